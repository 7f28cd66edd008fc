build-clang/src/cli/cmd_stats.o: src/cli/cmd_stats.c src/cli/cli.h \
  include/newsidx.h

src/cli/cli.h:

include/newsidx.h:
