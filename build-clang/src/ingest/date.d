build-clang/src/ingest/date.o: src/ingest/date.c src/ingest/date.h

src/ingest/date.h:
