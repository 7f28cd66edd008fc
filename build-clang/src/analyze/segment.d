build-clang/src/analyze/segment.o: src/analyze/segment.c \
  src/analyze/analyzer.h

src/analyze/analyzer.h:
