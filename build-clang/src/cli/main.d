build-clang/src/cli/main.o: src/cli/main.c src/cli/cli.h \
  include/newsidx.h

src/cli/cli.h:

include/newsidx.h:
