/* stem.c - Snowball stemming through libstemmer, for every language it has.
 *
 * Languages may be named as Snowball does ("french") or by ISO 639-1 code
 * ("fr"); libstemmer accepts both, so this only adds the canonical name used
 * in index metadata. A stemmer is not thread-safe: each analyzer owns one. */
#include "analyzer.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct nx_stemmer {
    struct sb_stemmer *sb;
};

static const struct {
    const char *code, *name;
} iso_names[] = {
    {"ar", "arabic"},   {"hy", "armenian"},  {"eu", "basque"},     {"ca", "catalan"},
    {"da", "danish"},   {"nl", "dutch"},     {"en", "english"},    {"fi", "finnish"},
    {"fr", "french"},   {"de", "german"},    {"el", "greek"},      {"hi", "hindi"},
    {"hu", "hungarian"}, {"id", "indonesian"}, {"ga", "irish"},     {"it", "italian"},
    {"lt", "lithuanian"}, {"ne", "nepali"},  {"no", "norwegian"},  {"nb", "norwegian"},
    {"pt", "portuguese"}, {"ro", "romanian"}, {"ru", "russian"},   {"sr", "serbian"},
    {"es", "spanish"},  {"sv", "swedish"},   {"ta", "tamil"},      {"tr", "turkish"},
    {"yi", "yiddish"},
};

const char *nx_stemmer_canonical(const char *lang)
{
    if (!lang)
        return NULL;
    /* "English", "EN" and "en" are the same language. */
    for (size_t i = 0; i < sizeof iso_names / sizeof iso_names[0]; i++)
        if (strcasecmp(lang, iso_names[i].code) == 0 || strcasecmp(lang, iso_names[i].name) == 0)
            return iso_names[i].name;
    /* Names libstemmer knows but the table does not (e.g. "porter"). */
    for (const char **l = sb_stemmer_list(); *l; l++)
        if (strcasecmp(lang, *l) == 0)
            return *l;
    return NULL;
}

nx_stemmer *nx_stemmer_new(const char *lang)
{
    const char *name = nx_stemmer_canonical(lang);
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
