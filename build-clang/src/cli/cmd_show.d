build-clang/src/cli/cmd_show.o: src/cli/cmd_show.c src/cli/cli.h \
  include/newsidx.h

src/cli/cli.h:

include/newsidx.h:
