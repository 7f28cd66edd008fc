build-clang/src/ingest/encoding.o: src/ingest/encoding.c \
  src/ingest/input.h

src/ingest/input.h:
