build-clang/src/lib/article.o: src/lib/article.c src/lib/internal.h \
  include/newsidx.h src/lib/../ingest/date.h src/lib/../ingest/record.h

src/lib/internal.h:

include/newsidx.h:

src/lib/../ingest/date.h:

src/lib/../ingest/record.h:
