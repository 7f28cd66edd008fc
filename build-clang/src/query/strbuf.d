build-clang/src/query/strbuf.o: src/query/strbuf.c src/query/strbuf.h

src/query/strbuf.h:
