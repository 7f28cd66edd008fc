build-clang/src/cli/cmd_search.o: src/cli/cmd_search.c src/cli/cli.h \
  include/newsidx.h

src/cli/cli.h:

include/newsidx.h:
