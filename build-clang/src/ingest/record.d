build-clang/src/ingest/record.o: src/ingest/record.c src/ingest/record.h

src/ingest/record.h:
