build-clang/src/query/parse.o: src/query/parse.c src/query/query.h

src/query/query.h:
