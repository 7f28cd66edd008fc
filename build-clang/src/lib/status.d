build-clang/src/lib/status.o: src/lib/status.c include/newsidx.h

include/newsidx.h:
