build-clang/src/cli/cmd_index.o: src/cli/cmd_index.c src/cli/cli.h \
  include/newsidx.h

src/cli/cli.h:

include/newsidx.h:
