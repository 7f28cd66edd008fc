/* fts5.h - what the SQLite FTS5 engine's files share (fts5_store.c,
 * fts5_read.c, fts5_search.c); the rest of newsidx sees only
 * nx_engine_fts5. */
#ifndef NX_STORE_FTS5_H
#define NX_STORE_FTS5_H

#include "store.h"

#include <sqlite3.h>

/* The schema text, generated at build time from index-schema/fts5-v2.sql. */
extern const char nx_schema_fts5[];

/* The SQLite handle of an FTS5 index. */
sqlite3 *nx_fts5_db(const nx_index_t *ix);

/* Turns an SQLite failure into a status with context: what was being done,
 * and SQLite's own message after it, with a hint for the common causes. */
nx_status_t nx_fts5_fail(nx_index_t *ix, int rc, const char *doing);

/* ---- fts5_read.c ---- */
nx_status_t nx_fts5_get_article(nx_index_t *ix, const char *id, nx_article_t **out);
nx_status_t nx_fts5_stats(nx_index_t *ix, nx_stats_t *out);
nx_status_t nx_fts5_field_counts(nx_index_t *ix, const char *field, size_t limit, nx_count_fn fn,
                                 void *ctx);

/* ---- fts5_search.c ---- */
nx_status_t nx_fts5_search(nx_index_t *ix, const nx_store_query *q, nx_cursor **out);
nx_status_t nx_fts5_count(nx_index_t *ix, const nx_store_query *q, int64_t *out);
char *nx_fts5_describe(nx_index_t *ix, const nx_store_query *q);
nx_status_t nx_fts5_vocabulary(nx_index_t *ix, const char *prefix, nx_count_fn fn, void *ctx);
nx_status_t nx_fts5_value_counts(nx_index_t *ix, const nx_store_query *q, const char *field,
                                 nx_count_fn fn, void *ctx);

#endif
