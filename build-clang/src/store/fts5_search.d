build-clang/src/store/fts5_search.o: src/store/fts5_search.c \
  src/store/store.h src/store/../lib/internal.h include/newsidx.h \
  src/store/../query/query.h src/store/../query/strbuf.h

src/store/store.h:

src/store/../lib/internal.h:

include/newsidx.h:

src/store/../query/query.h:

src/store/../query/strbuf.h:
