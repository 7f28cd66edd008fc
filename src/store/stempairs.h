/* stempairs.h - a writer's (stem term, written word) pairs. Both engines
 * keep, per index, the written words that share a stem term, and a query
 * asks for those words: FTS5 (the `stems` table) in place of stem terms it
 * does not index, Xapian (`T` metadata) at the positions of a phrase, as
 * its stem terms have none. A writer collects the pairs of a transaction
 * here and writes them out before it commits. */
#ifndef NX_STORE_STEMPAIRS_H
#define NX_STORE_STEMPAIRS_H

#include <stddef.h>

typedef struct nx_stempairs nx_stempairs;

nx_stempairs *nx_stempairs_new(void); /* NULL when out of memory */
void nx_stempairs_free(nx_stempairs *s);
/* Keeps a pair (ctx: the collection) that this run has not met yet; the
 * stem term is "~" + a two-letter code + the stem. Fits nx_fts5_stem_fn. */
void nx_stempairs_note(void *ctx, const char *stem, size_t slen, const char *word, size_t wlen);
/* Receives a kept pair; nonzero stops the walk. */
typedef int (*nx_stempair_fn)(void *ctx, const char *stem, size_t slen, const char *word,
                              size_t wlen);
/* Walks the pairs kept since the last nx_stempairs_written, in the order
 * met. Returns fn's nonzero result, -1 when a pair was lost (out of
 * memory), else 0. */
int nx_stempairs_each(const nx_stempairs *s, nx_stempair_fn fn, void *ctx);
/* The kept pairs are in the index: the next walk starts after them. */
void nx_stempairs_written(nx_stempairs *s);
/* After a rollback: what was kept or written is forgotten. */
void nx_stempairs_forget(nx_stempairs *s);

#endif
