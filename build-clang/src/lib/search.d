build-clang/src/lib/search.o: src/lib/search.c src/lib/internal.h \
  include/newsidx.h src/lib/../analyze/analyzer.h \
  src/lib/../query/query.h src/lib/../query/snippet.h \
  src/lib/../query/../analyze/analyzer.h src/lib/../store/store.h \
  src/lib/../store/../lib/internal.h src/lib/../store/../query/query.h \
  src/lib/../query/strbuf.h

src/lib/internal.h:

include/newsidx.h:

src/lib/../analyze/analyzer.h:

src/lib/../query/query.h:

src/lib/../query/snippet.h:

src/lib/../query/../analyze/analyzer.h:

src/lib/../store/store.h:

src/lib/../store/../lib/internal.h:

src/lib/../store/../query/query.h:

src/lib/../query/strbuf.h:
