build-clang/src/store/fts5_read.o: src/store/fts5_read.c \
  src/store/store.h src/store/../lib/internal.h include/newsidx.h \
  src/store/../query/query.h

src/store/store.h:

src/store/../lib/internal.h:

include/newsidx.h:

src/store/../query/query.h:
