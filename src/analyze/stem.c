/* stem.c - Snowball stemming through libstemmer, for every language it has
 * (lang.c says which). A stemmer is not thread-safe: each analyzer owns its
 * own, one per language it has met.
 *
 * News text repeats its words (the commonest few thousand words make up
 * most of it), so each stemmer remembers its recent answers in a small
 * direct-mapped cache: a hit costs a hash and a compare instead of a
 * Snowball run, which was a sixth of all indexing time. The cache comes
 * only after CACHE_AFTER words: a search stems a handful of words with a
 * new analyzer, and clearing 200 KB per stemmer per search was a tenth of
 * the time of a typical query. */
#include "analyzer.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CACHE_SLOTS 4096 /* a power of two */
#define CACHE_WORD 24    /* longer words are stemmed every time */
#define CACHE_AFTER 256

typedef struct cache_slot {
    unsigned char wlen, slen; /* 0: empty */
    char word[CACHE_WORD], stem[CACHE_WORD];
} cache_slot;

struct nx_stemmer {
    struct sb_stemmer *sb;
    cache_slot *cache; /* CACHE_SLOTS, or NULL until CACHE_AFTER words */
    unsigned words;
};

nx_stemmer *nx_stemmer_new(const char *lang)
{
    const nx_lang *l = nx_lang_find(lang);
    const char *name = l ? l->snowball : NULL;
    if (!name)
        return NULL;
    nx_stemmer *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->sb = sb_stemmer_new(name, "UTF_8");
    if (!st->sb) {
        free(st);
        return NULL;
    }
    return st;
}

void nx_stemmer_free(nx_stemmer *st)
{
    if (!st)
        return;
    sb_stemmer_delete(st->sb);
    free(st->cache);
    free(st);
}

const char *nx_stemmer_stem(nx_stemmer *st, const char *w, size_t len, size_t *out_len)
{
    cache_slot *slot = NULL;
    /* Without memory for a cache, every word is stemmed: slower, not wrong. */
    if (!st->cache && st->words++ == CACHE_AFTER)
        st->cache = calloc(CACHE_SLOTS, sizeof *st->cache);
    if (st->cache && len > 0 && len < CACHE_WORD) {
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < len; i++)
            h = (h ^ (unsigned char)w[i]) * 16777619u;
        slot = &st->cache[h & (CACHE_SLOTS - 1)];
        if (slot->wlen == len && memcmp(slot->word, w, len) == 0) {
            *out_len = slot->slen;
            return slot->stem;
        }
    }
    const sb_symbol *s = sb_stemmer_stem(st->sb, (const sb_symbol *)w, (int)len);
    if (!s) {
        *out_len = len; /* out of memory inside libstemmer: index the word unstemmed */
        return w;
    }
    *out_len = (size_t)sb_stemmer_length(st->sb);
    if (slot && *out_len < CACHE_WORD) {
        memcpy(slot->word, w, len);
        memcpy(slot->stem, s, *out_len);
        slot->wlen = (unsigned char)len;
        slot->slen = (unsigned char)*out_len;
    }
    return (const char *)s;
}
