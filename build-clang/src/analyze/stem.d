build-clang/src/analyze/stem.o: src/analyze/stem.c src/analyze/analyzer.h

src/analyze/analyzer.h:
