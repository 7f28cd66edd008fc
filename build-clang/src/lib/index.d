build-clang/src/lib/index.o: src/lib/index.c src/lib/internal.h \
  include/newsidx.h src/lib/../store/store.h \
  src/lib/../store/../lib/internal.h src/lib/../store/../query/query.h

src/lib/internal.h:

include/newsidx.h:

src/lib/../store/store.h:

src/lib/../store/../lib/internal.h:

src/lib/../store/../query/query.h:
