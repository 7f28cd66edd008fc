/* fts5.h - what the SQLite FTS5 engine's files share (fts5_store.c,
 * fts5_read.c, fts5_search.c); the rest of newsidx sees only
 * nx_engine_fts5. */
#ifndef NX_STORE_FTS5_H
#define NX_STORE_FTS5_H

#include "stempairs.h"
#include "store.h"

#include <sqlite3.h>

/* The FTS5 engine's schema version (index-schema/fts5-v4.sql); the
 * Xapian engine's is NX_SCHEMA_VERSION. */
#define NX_FTS5_SCHEMA_VERSION 4

struct nx_textpack;
struct nx_fts5_replay;

/* What an FTS5 index handle keeps beside its connection (nx_index_t.aux);
 * both belong to the connection. */
typedef struct nx_fts5_aux {
    struct nx_textpack *pack;      /* stored text (de)compression */
    struct nx_fts5_replay *replay; /* terms analyzed ahead (fts5_tokenizer.h) */
    /* A ranked search's two statements, kept prepared between searches
     * (fts5_search.c): their text never changes, and preparing them was a
     * fifth of a query that finds little. NULL while a cursor holds them. */
    sqlite3_stmt *ranked, *fill;
    sqlite3_stmt *stems; /* the written words of a stem term, prepared on first use */
} nx_fts5_aux;

/* The schema text, generated at build time from index-schema/fts5-v4.sql. */
extern const char nx_schema_fts5[];

/* The SQLite handle of an FTS5 index. */
sqlite3 *nx_fts5_db(const nx_index_t *ix);

/* Steps a statement that returns no rows and resets it: SQLITE_OK, or the
 * step's error. */
int nx_fts5_step_done(sqlite3_stmt *st);

/* Turns an SQLite failure into a status with context: what was being done,
 * and SQLite's own message after it, with a hint for the common causes. */
nx_status_t nx_fts5_fail(nx_index_t *ix, int rc, const char *doing);

/* ---- fts5_pack.c ---- */

/* Registers nx_unpack(body) and nx_unpacked_size(body) on db, with a text
 * packer the connection owns; *packer is set to it (for writers). */
int nx_fts5_register_pack(sqlite3 *db, struct nx_textpack **packer);
/* Loads the index's dictionary into the packer if it has one; with
 * may_train, trains one from the stored bodies when there is none and
 * enough text to learn from (inside the caller's write transaction). */
int nx_fts5_pack_maintain(sqlite3 *db, struct nx_textpack *packer, int may_train);
/* Compresses the bodies still stored as is (training a dictionary first if
 * need be); for optimize, inside the caller's transaction. */
int nx_fts5_pack_all(sqlite3 *db, struct nx_textpack *packer);

/* ---- fts5_rank.c ---- */

/* Registers the ranking function nx_rank() on db (see fts5_rank.c). */
int nx_fts5_register_rank(sqlite3 *db);

/* The rowids nx_rank was called for (every match of a ranked search), as
 * a search passes them in with sqlite3_bind_pointer under this type name. */
#define NX_FTS5_MATCHES "nx_fts5_matches"
typedef struct nx_fts5_matches {
    int64_t *ids;
    size_t n, cap;
    int sorted; /* ids ascending (FTS5 gives them so; checked once) */
} nx_fts5_matches;
int nx_fts5_matches_add(nx_fts5_matches *m, int64_t rowid); /* 0, or -1: no memory */
int nx_fts5_matches_has(nx_fts5_matches *m, int64_t rowid);

/* ---- fts5_read.c ---- */
/* The index's languages as "code:main code:main ..." (main 1 for a language
 * holding NX_MAIN_LANG_PERCENT % of the articles or more), computed now:
 * what writers keep in meta 'languages' for searches to read. SQLITE_TOOBIG
 * when it does not fit len. */
int nx_fts5_lang_summary(sqlite3 *db, char *out, size_t len);
nx_status_t nx_fts5_get_article(nx_index_t *ix, const char *id, nx_article_t **out);
nx_status_t nx_fts5_stats(nx_index_t *ix, nx_stats_t *out);
nx_status_t nx_fts5_field_counts(nx_index_t *ix, const char *field, size_t limit, nx_count_fn fn,
                                 void *ctx);

/* ---- fts5_stems.c ---- */
/* In the write transaction, before it commits: the writer's pairs not yet
 * written go into the stems table. An SQLite result code; SQLITE_NOMEM when
 * a pair was lost. */
int nx_fts5_stems_flush(nx_stempairs *s, sqlite3 *db);
/* The nx_expand_fn of the index ix (ctx) for its query analyzers: the
 * words of a stem term, read from the table. */
int nx_fts5_expand(void *ctx, const char *stem, size_t len, nx_emit_fn emit, void *ectx);

/* ---- fts5_holders.c ---- */
/* A writer's access to the holders table: the other files that hold an
 * article (same id) a later file took over. SQLite result codes. */
typedef struct nx_fts5_holders nx_fts5_holders;
nx_fts5_holders *nx_fts5_holders_new(sqlite3 *db); /* NULL when out of memory */
void nx_fts5_holders_free(nx_fts5_holders *h);
/* After a rollback: what was learnt about the table is forgotten. */
void nx_fts5_holders_reset(nx_fts5_holders *h);
/* The article id passes from the file numbered from (0: none) to the file
 * numbered to: from is remembered as a holder if it is still on disk. */
int nx_fts5_holders_pass(nx_fts5_holders *h, const char *id, int64_t from, int64_t to);
/* Articles were removed in this transaction: marks the index (meta
 * 'restore') until wanted finds nothing. */
int nx_fts5_holders_due(nx_fts5_holders *h);
/* fn for each (file path, id, since) whose article no file keeps any more;
 * with due_only, only if the index is marked. Unmarks it when there is
 * none. */
int nx_fts5_holders_wanted(nx_fts5_holders *h, int due_only, nx_holder_fn fn, void *ctx);
int nx_fts5_holders_forget(nx_fts5_holders *h, const char *path, const char *id);
/* Forgets every article the file at path holds (the file is forgotten). */
int nx_fts5_holders_drop_file(nx_fts5_holders *h, const char *path);

/* ---- fts5_search.c ---- */
nx_status_t nx_fts5_search(nx_index_t *ix, const nx_store_query *q, nx_cursor **out);
nx_status_t nx_fts5_count(nx_index_t *ix, const nx_store_query *q, int64_t *out);
char *nx_fts5_describe(nx_index_t *ix, const nx_store_query *q);
nx_status_t nx_fts5_vocabulary(nx_index_t *ix, const char *prefix, nx_word_want_fn want,
                               nx_count_fn fn, void *ctx);
nx_status_t nx_fts5_spelling(nx_index_t *ix, const char *first, size_t minlen, size_t maxlen,
                             nx_word_want_fn want, nx_count_fn fn, void *ctx, int *have);
nx_status_t nx_fts5_value_counts(nx_index_t *ix, const nx_store_query *q, const char *field,
                                 nx_count_fn fn, void *ctx);

#endif
