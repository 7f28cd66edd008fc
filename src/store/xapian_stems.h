/* xapian_stems.h - the Xapian engine's stem lists (index-schema/xapian-v3.md,
 * `T` metadata): which written words of the index share a stem term. Stem
 * terms are indexed without positions, so a phrase or NEAR asks, at each
 * position, for the words listed under its stem terms. */
#ifndef NX_STORE_XAPIAN_STEMS_H
#define NX_STORE_XAPIAN_STEMS_H

#include "../analyze/analyzer.h"
#include "../xapian/nxx.h"
#include "stempairs.h"

/* Adds the writer's pairs not yet written to the lists in db (writable,
 * before it commits). Returns 0, -1 with the reason in db's error, or -2
 * when out of memory (a pair was lost). */
int nx_xap_stems_write(nxx_db *db, nx_stempairs *s);

/* The words listed under stem (len bytes) in every database db combines
 * (each shard lists its own articles' words), each once, to emit; an
 * nx_expand_fn's result. */
int nx_xap_stems_expand(nxx_db *db, const char *stem, size_t len, nx_emit_fn emit, void *ectx);

#endif
