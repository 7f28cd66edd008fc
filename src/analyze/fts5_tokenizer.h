/* fts5_tokenizer.h - interface to code in fts5_tokenizer.c. */
#ifndef NX_ANALYZE_FTS5_TOKENIZER_H
#define NX_ANALYZE_FTS5_TOKENIZER_H

#include "pretok.h"

#include <sqlite3.h>

/* Terms analyzed ahead of time for the next document texts (pretok.h). */
typedef struct nx_fts5_replay nx_fts5_replay;

/* Registers the tokenizer "newsidx" (argument: a language) and the SQL
 * function nx_words(text) (folded words joined by spaces) on db. Must be
 * called on every connection before the FTS5 table is touched. *replay
 * (may be NULL) receives the connection's replay slot, which the
 * connection owns. Returns an SQLite result code. */
int nx_fts5_register_tokenizer(sqlite3 *db, nx_fts5_replay **replay);

/* db's FTS5 API (for registering functions), or NULL without FTS5. */
fts5_api *nx_fts5_api(sqlite3 *db);

/* Until nx_fts5_replay_clear: a document text that is the language marker
 * of lang followed by exactly texts[i] is not analyzed again; its terms
 * are terms[i]. The texts and terms are borrowed. */
void nx_fts5_replay_set(nx_fts5_replay *r, const char *lang, const char *const texts[2],
                        const nx_pretok *const terms[2]);
void nx_fts5_replay_clear(nx_fts5_replay *r);

/* Called with each exact term of the document texts the connection
 * indexes (or unindexes), from then on; NULL stops it. */
typedef void (*nx_fts5_word_fn)(void *ctx, const char *term, size_t len);
void nx_fts5_replay_words(nx_fts5_replay *r, nx_fts5_word_fn fn, void *ctx);

/* Called, in place of indexing it, with each stem term of the document
 * texts the connection indexes (or unindexes), and the exact term it
 * stems, from then on; NULL stops it. */
typedef void (*nx_fts5_stem_fn)(void *ctx, const char *stem, size_t slen, const char *word,
                                size_t wlen);
void nx_fts5_replay_stems(nx_fts5_replay *r, nx_fts5_stem_fn fn, void *ctx);

/* The connection's stems lookup for query texts (nx_analyzer_expand). */
void nx_fts5_expander(nx_fts5_replay *r, nx_expand_fn fn, void *ctx);

#endif
