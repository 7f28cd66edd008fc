/* store.h - interface to the storage engine (src/store/): everything that
 * speaks SQL. The library above it deals in articles, files and queries.
 * Today the one engine is SQLite FTS5 (fts5_store.c, fts5_search.c). */
#ifndef NX_STORE_STORE_H
#define NX_STORE_STORE_H

#include "../lib/internal.h"
#include "../query/query.h"

#include <stdint.h>

#define NX_SCHEMA_VERSION 1

/* ---- interface to code in fts5_store.c ---- */

/* Opens or creates the SQLite index behind ix (fills ix->db, ix->lang). */
nx_status_t nx_store_open(nx_index_t *ix, const char *path, nx_open_mode_t mode, const char *lang);
void nx_store_close(nx_index_t *ix);

typedef struct nx_store_writer nx_store_writer;

nx_status_t nx_store_writer_new(nx_index_t *ix, nx_store_writer **out);
void nx_store_writer_free(nx_store_writer *w);
nx_status_t nx_store_begin(nx_store_writer *w);
nx_status_t nx_store_commit(nx_store_writer *w);
void nx_store_rollback(nx_store_writer *w);
int nx_store_in_transaction(const nx_store_writer *w);

enum { NX_PUT_ADDED, NX_PUT_UPDATED, NX_PUT_UNCHANGED };

/* Where an article came from, stored with it. */
typedef struct nx_origin {
    const char *path;  /* files.path, or NULL for articles added through the API */
    int64_t size, mtime_ns;
} nx_origin;

/* Inserts or replaces the article with a's id. *outcome is one of NX_PUT_*,
 * *rowid its internal row id. */
nx_status_t nx_store_put_article(nx_store_writer *w, const nx_article_t *a, const nx_origin *o,
                                 int *outcome, int64_t *rowid);

typedef struct nx_file_row {
    int64_t size, mtime_ns, articles;
    char hash[17];
} nx_file_row;

/* Looks up a file; *found is 0 when it was never indexed. */
nx_status_t nx_store_file_get(nx_store_writer *w, const char *path, nx_file_row *row, int *found);
nx_status_t nx_store_file_put(nx_store_writer *w, const char *path, const nx_file_row *row);

/* Deletes the articles whose origin is path and whose rowid is not in keep
 * (sorted ascending); *removed counts them. */
nx_status_t nx_store_remove_stale(nx_store_writer *w, const char *path, const int64_t *keep,
                                  size_t nkeep, int64_t *removed);

/* Reads one article by external id into a new article (*out NULL if none). */
nx_status_t nx_store_get_article(nx_index_t *ix, const char *id, nx_article_t **out);

nx_status_t nx_store_stats(nx_index_t *ix, nx_stats_t *out);
nx_status_t nx_store_field_counts(nx_index_t *ix, const char *field, size_t limit, nx_count_fn fn,
                                  void *ctx);

/* ---- interface to code in fts5_search.c ---- */

typedef struct nx_store_query {
    const char *match;        /* FTS5 expression, or NULL for filters only */
    int positive;             /* 0: list what does NOT match `match` */
    const nx_filter *filters;
    size_t nfilters;
    nx_sort_t sort;
    size_t limit, offset;
} nx_store_query;

/* Prepares the statement for q. Rows are: id, title, body, date, source,
 * url, lang, origin, score; with count_only a single count. The caller
 * finalizes *out. */
nx_status_t nx_store_search(nx_index_t *ix, const nx_store_query *q, int count_only,
                            sqlite3_stmt **out);
/* Turns a failed step of a search statement into a status and message. */
nx_status_t nx_store_search_error(nx_index_t *ix, int rc);

/* The schema text, generated at build time from index-schema/fts5-v1.sql. */
extern const char nx_schema_fts5_v1[];

/* 64-bit FNV-1a over several strings (NULLs count as empty, separated so
 * that ("ab","c") and ("a","bc") differ), as 16 hex digits plus NUL. */
void nx_hash_strings(const char *const *parts, size_t n, char out[17]);
void nx_hash_bytes(const void *data, size_t len, char out[17]);

#endif
