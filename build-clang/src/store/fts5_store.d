build-clang/src/store/fts5_store.o: src/store/fts5_store.c \
  src/store/store.h src/store/../lib/internal.h include/newsidx.h \
  src/store/../query/query.h src/store/../analyze/analyzer.h \
  src/store/../analyze/fts5_tokenizer.h

src/store/store.h:

src/store/../lib/internal.h:

include/newsidx.h:

src/store/../query/query.h:

src/store/../analyze/analyzer.h:

src/store/../analyze/fts5_tokenizer.h:
