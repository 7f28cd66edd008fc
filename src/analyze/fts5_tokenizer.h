/* fts5_tokenizer.h - interface to code in fts5_tokenizer.c. */
#ifndef NX_ANALYZE_FTS5_TOKENIZER_H
#define NX_ANALYZE_FTS5_TOKENIZER_H

#include <sqlite3.h>

/* Registers the tokenizer "newsidx" (argument: a language) and the SQL
 * function nx_words(text) (folded words joined by spaces) on db. Must be
 * called on every connection before the FTS5 table is touched. Returns an
 * SQLite result code. */
int nx_fts5_register_tokenizer(sqlite3 *db);

#endif
