build-clang/src/query/explain.o: src/query/explain.c src/query/query.h \
  src/query/strbuf.h

src/query/query.h:

src/query/strbuf.h:
