/* search_internal.h - interface to code in search.c for the library's
 * other files that work on a prepared search (facets.c). */
#ifndef NX_LIB_SEARCH_INTERNAL_H
#define NX_LIB_SEARCH_INTERNAL_H

#include "../store/store.h"

/* The index a search runs on. */
nx_index_t *nx_search_index(const nx_search_t *s);
/* The search as the engines receive it (borrowing from s). */
nx_store_query nx_search_store_query(const nx_search_t *s);

/* Makes s a "more like this" search of article id: that article is never
 * listed, and articles sharing COPY_OVERLAP of its words (copies) only when
 * asked for. words are the article's words, copied. */
nx_status_t nx_search_set_similar(nx_search_t *s, const char *id, const char *const *words,
                                  size_t n);
/* Share of distinct words (3 letters or more) shared by a word list and a
 * text: |A and B| / |A or B|. */
double nx_word_overlap(const char *const *words, size_t n, const char *title, const char *body);

#endif
