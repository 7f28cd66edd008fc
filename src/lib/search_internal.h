/* search_internal.h - interface to code in search.c for the library's
 * other files that work on a prepared search (facets.c). */
#ifndef NX_LIB_SEARCH_INTERNAL_H
#define NX_LIB_SEARCH_INTERNAL_H

#include "../store/store.h"

/* The index a search runs on. */
nx_index_t *nx_search_index(const nx_search_t *s);
/* The search as the engines receive it (borrowing from s). */
nx_store_query nx_search_store_query(const nx_search_t *s);

#endif
