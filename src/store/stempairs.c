/* stempairs.c - a writer's (stem term, written word) pairs (stempairs.h).
 * Each (language, word) is looked up in a set once per run, so that a
 * common word costs a hash lookup, not a write, after its first time. */
#include "stempairs.h"

#include "wordset.h"

#include <stdlib.h>
#include <string.h>

struct nx_stempairs {
    nx_wordset *seen;     /* language code + word, for the pairs of this run */
    unsigned char *fresh; /* new pairs: length byte + stem, length byte + word */
    size_t used, cap;
    int lost;             /* out of memory: a pair could not be kept */
    char key[256];
};

nx_stempairs *nx_stempairs_new(void)
{
    nx_stempairs *s = calloc(1, sizeof *s);
    if (s && !(s->seen = nx_wordset_new())) {
        free(s);
        s = NULL;
    }
    return s;
}

void nx_stempairs_free(nx_stempairs *s)
{
    if (!s)
        return;
    nx_wordset_free(s->seen);
    free(s->fresh);
    free(s);
}

void nx_stempairs_note(void *ctx, const char *stem, size_t slen, const char *word, size_t wlen)
{
    nx_stempairs *s = ctx;
    /* "~" + a two-letter code + a stem; longer words than a length byte
     * holds are not worth a query's while (they still match as written). */
    if (slen < 4 || slen > 255 || wlen == 0 || wlen > 253 || s->lost)
        return;
    /* The stem term follows from the language and the word. */
    memcpy(s->key, stem + 1, 2);
    memcpy(s->key + 2, word, wlen);
    int added = nx_wordset_add(s->seen, s->key, wlen + 2);
    if (added == 0)
        return;
    size_t need = s->used + slen + wlen + 2;
    if (added > 0 && need > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 65536;
        while (cap < need)
            cap *= 2;
        unsigned char *p = realloc(s->fresh, cap);
        if (p) {
            s->fresh = p;
            s->cap = cap;
        }
    }
    if (added < 0 || need > s->cap) {
        s->lost = 1;
        return;
    }
    s->fresh[s->used++] = (unsigned char)slen;
    memcpy(s->fresh + s->used, stem, slen);
    s->used += slen;
    s->fresh[s->used++] = (unsigned char)wlen;
    memcpy(s->fresh + s->used, word, wlen);
    s->used += wlen;
}

int nx_stempairs_each(const nx_stempairs *s, nx_stempair_fn fn, void *ctx)
{
    if (s->lost)
        return -1;
    for (size_t i = 0; i < s->used;) {
        size_t sl = s->fresh[i];
        const char *stem = (const char *)s->fresh + i + 1;
        size_t wl = s->fresh[i + 1 + sl];
        int rc = fn(ctx, stem, sl, stem + sl + 1, wl);
        if (rc)
            return rc;
        i += sl + wl + 2;
    }
    return 0;
}

void nx_stempairs_written(nx_stempairs *s)
{
    s->used = 0;
}

void nx_stempairs_forget(nx_stempairs *s)
{
    /* The pairs of a transaction rolled back never reached the index, and
     * the set cannot tell them from the earlier ones: start over. */
    nx_wordset_clear(s->seen);
    s->used = 0;
    s->lost = 0;
}
