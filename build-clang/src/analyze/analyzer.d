build-clang/src/analyze/analyzer.o: src/analyze/analyzer.c \
  src/analyze/analyzer.h

src/analyze/analyzer.h:
