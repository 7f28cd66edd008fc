/* wordset.h - a set of short words, for the words an indexing run has
 * already put in the spelling list: each word of the text is looked up
 * here, only the new ones go on (the indexing worker, src/lib/prepare.c,
 * and the FTS5 writer, fts5_store.c, each keep one). */
#ifndef NX_STORE_WORDSET_H
#define NX_STORE_WORDSET_H

#include <stddef.h>

typedef struct nx_wordset nx_wordset;

/* An empty set, or NULL when out of memory. */
nx_wordset *nx_wordset_new(void);
void nx_wordset_free(nx_wordset *s);
/* Adds w (n bytes, 1 to 255): 1 when it was new, 0 when already there,
 * -1 when out of memory (the set is unchanged). */
int nx_wordset_add(nx_wordset *s, const char *w, size_t n);
/* Empties the set, keeping its memory. */
void nx_wordset_clear(nx_wordset *s);
size_t nx_wordset_count(const nx_wordset *s);

#endif
