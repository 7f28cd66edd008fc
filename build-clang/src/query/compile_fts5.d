build-clang/src/query/compile_fts5.o: src/query/compile_fts5.c \
  src/query/query.h src/query/../analyze/analyzer.h src/query/strbuf.h

src/query/query.h:

src/query/../analyze/analyzer.h:

src/query/strbuf.h:
