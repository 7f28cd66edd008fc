build-clang/src/analyze/fts5_tokenizer.o: src/analyze/fts5_tokenizer.c \
  src/analyze/fts5_tokenizer.h src/analyze/analyzer.h

src/analyze/fts5_tokenizer.h:

src/analyze/analyzer.h:
