build-clang/src/ingest/load.o: src/ingest/load.c src/ingest/input.h

src/ingest/input.h:
