build-clang/src/ingest/utf8_repair.o: src/ingest/utf8_repair.c \
  src/ingest/record.h

src/ingest/record.h:
