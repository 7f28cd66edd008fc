build-clang/src/analyze/fold.o: src/analyze/fold.c src/analyze/analyzer.h

src/analyze/analyzer.h:
