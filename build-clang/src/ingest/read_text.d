build-clang/src/ingest/read_text.o: src/ingest/read_text.c \
  src/ingest/record.h

src/ingest/record.h:
