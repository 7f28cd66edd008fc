build-clang/src/query/snippet.o: src/query/snippet.c src/query/snippet.h \
  src/query/../analyze/analyzer.h include/newsidx.h

src/query/snippet.h:

src/query/../analyze/analyzer.h:

include/newsidx.h:
