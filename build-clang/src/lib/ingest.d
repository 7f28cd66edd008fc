build-clang/src/lib/ingest.o: src/lib/ingest.c src/lib/internal.h \
  include/newsidx.h src/lib/../analyze/analyzer.h \
  src/lib/../ingest/date.h src/lib/../ingest/input.h \
  src/lib/../ingest/record.h src/lib/../store/store.h \
  src/lib/../store/../lib/internal.h src/lib/../store/../query/query.h

src/lib/internal.h:

include/newsidx.h:

src/lib/../analyze/analyzer.h:

src/lib/../ingest/date.h:

src/lib/../ingest/input.h:

src/lib/../ingest/record.h:

src/lib/../store/store.h:

src/lib/../store/../lib/internal.h:

src/lib/../store/../query/query.h:
