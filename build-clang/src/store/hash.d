build-clang/src/store/hash.o: src/store/hash.c src/store/store.h \
  src/store/../lib/internal.h include/newsidx.h \
  src/store/../query/query.h

src/store/store.h:

src/store/../lib/internal.h:

include/newsidx.h:

src/store/../query/query.h:
