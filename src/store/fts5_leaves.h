/* fts5_leaves.h - interface to code in fts5_leaves.c: the vocabulary of
 * the FTS5 table articles_fts read from its leaf pages (fts5_read.c asks
 * fts5vocab instead when this reader declines), and the sizes of its
 * segments. */
#ifndef NX_STORE_FTS5_LEAVES_H
#define NX_STORE_FTS5_LEAVES_H

#include "store.h"

#include <sqlite3.h>

/* Calls fn for each written word starting with prefix and the number of
 * articles holding it; with want set, only for the words it accepts (the
 * others are passed over, not counted). *done is 0 when the caller should
 * ask fts5vocab instead (inside a transaction, or data this reader does
 * not expect: nothing was reported then). Returns an SQLite result code. */
int nx_fts5_leaf_words(sqlite3 *db, const char *prefix, nx_word_want_fn want, nx_count_fn fn,
                       void *ctx, int *done);

/* The size of the index in leaf pages: *total over its segments, *largest
 * in its largest one (both 0 when its layout is not the one read here).
 * What decides whether a writer merges them into one (fts5_store.c).
 * Returns an SQLite result code. */
int nx_fts5_segment_pages(sqlite3 *db, int64_t *total, int64_t *largest);

#endif
