/* pretok.h - a text's terms analyzed ahead of time, to be handed to the
 * index later exactly as the analyzer would hand them: the indexer
 * analyzes the next articles on another thread while this one writes
 * (src/lib/prepare.c), and the FTS5 tokenizer replays the terms instead of
 * analyzing the text again (fts5_tokenizer.c). */
#ifndef NX_ANALYZE_PRETOK_H
#define NX_ANALYZE_PRETOK_H

#include "analyzer.h"

#include <stddef.h>
#include <stdint.h>

typedef struct nx_pretok_term {
    uint32_t start, end; /* byte offsets in the text */
    uint32_t off;        /* the term's bytes in buf */
    uint16_t len;
    uint8_t kind, colocated;
} nx_pretok_term;

typedef struct nx_pretok {
    nx_pretok_term *t;
    size_t n, cap;
    char *buf;
    size_t used, bcap;
} nx_pretok;

/* Analyzes text as a document in an's current language into p (emptied
 * first). Returns 0, or -1 when out of memory or the text is over 4 GB. */
int nx_pretok_record(nx_analyzer *an, const char *text, size_t len, nx_pretok *p);
/* Hands p's terms to fn with offsets moved by shift; fn's nonzero return
 * stops and is returned. */
int nx_pretok_replay(const nx_pretok *p, size_t shift, nx_term_fn fn, void *ctx);
void nx_pretok_free(nx_pretok *p);

#endif
