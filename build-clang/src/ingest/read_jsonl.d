build-clang/src/ingest/read_jsonl.o: src/ingest/read_jsonl.c \
  src/ingest/record.h

src/ingest/record.h:
