/* stem.c - Snowball stemming through libstemmer, for every language it has
 * (lang.c says which). A stemmer is not thread-safe: each analyzer owns its
 * own, one per language it has met. */
#include "analyzer.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct nx_stemmer {
    struct sb_stemmer *sb;
};

nx_stemmer *nx_stemmer_new(const char *lang)
{
    const nx_lang *l = nx_lang_find(lang);
    const char *name = l ? l->snowball : NULL;
    if (!name)
        return NULL;
    nx_stemmer *st = malloc(sizeof *st);
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
    free(st);
}

const char *nx_stemmer_stem(nx_stemmer *st, const char *w, size_t len, size_t *out_len)
{
    const sb_symbol *s = sb_stemmer_stem(st->sb, (const sb_symbol *)w, (int)len);
    if (!s) {
        *out_len = len; /* out of memory inside libstemmer: index the word unstemmed */
        return w;
    }
    *out_len = (size_t)sb_stemmer_length(st->sb);
    return (const char *)s;
}
