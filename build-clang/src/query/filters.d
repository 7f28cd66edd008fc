build-clang/src/query/filters.o: src/query/filters.c src/query/query.h \
  src/query/../ingest/date.h

src/query/query.h:

src/query/../ingest/date.h:
