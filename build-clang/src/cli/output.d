build-clang/src/cli/output.o: src/cli/output.c src/cli/cli.h \
  include/newsidx.h

src/cli/cli.h:

include/newsidx.h:
