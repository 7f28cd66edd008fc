/* lang.c - the languages newsidx knows: ISO 639-1 code, English name,
 * whether libstemmer has a stemmer for it, and whether its names inflect.
 *
 * Articles store the code ("fr"); stem terms carry it ("~fr" + stem) so that
 * a French stem cannot collide with an English word. Languages without a
 * Snowball stemmer (Chinese, Japanese, Ukrainian...) are still known, so
 * their articles are labelled and filterable; their words are indexed as
 * written. "Names inflect" marks languages where a name changes its ending
 * with its role in the sentence (Бакланов, Бакланова, Бакланову): there a
 * capitalised query word also matches the name's other forms. */
#include "analyzer.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const nx_lang langs[] = {
    /* code, name, Snowball stemmer name or NULL, names inflect */
    {"en", "english", "english", 0},       {"fr", "french", "french", 0},
    {"de", "german", "german", 0},         {"es", "spanish", "spanish", 0},
    {"it", "italian", "italian", 0},       {"pt", "portuguese", "portuguese", 0},
    {"nl", "dutch", "dutch", 0},           {"ru", "russian", "russian", 1},
    {"ar", "arabic", "arabic", 1},         {"sv", "swedish", "swedish", 0},
    {"da", "danish", "danish", 0},         {"no", "norwegian", "norwegian", 0},
    {"fi", "finnish", "finnish", 1},       {"hu", "hungarian", "hungarian", 1},
    {"ro", "romanian", "romanian", 1},     {"tr", "turkish", "turkish", 1},
    {"el", "greek", "greek", 1},           {"lt", "lithuanian", "lithuanian", 1},
    {"sr", "serbian", "serbian", 1},       {"ga", "irish", "irish", 1},
    {"ca", "catalan", "catalan", 0},       {"eu", "basque", "basque", 1},
    {"hy", "armenian", "armenian", 1},     {"hi", "hindi", "hindi", 1},
    {"ne", "nepali", "nepali", 1},         {"ta", "tamil", "tamil", 1},
    {"id", "indonesian", "indonesian", 0}, {"yi", "yiddish", "yiddish", 0},
    {"zh", "chinese", NULL, 0},            {"ja", "japanese", NULL, 0},
    {"ko", "korean", NULL, 0},             {"th", "thai", NULL, 0},
    {"uk", "ukrainian", NULL, 1},          {"pl", "polish", NULL, 1},
    {"cs", "czech", NULL, 1},              {"bg", "bulgarian", NULL, 1},
    {"he", "hebrew", NULL, 0},             {"fa", "persian", NULL, 0},
    {"ur", "urdu", NULL, 0},               {"vi", "vietnamese", NULL, 0},
};

static const struct {
    const char *alias, *code;
} aliases[] = {{"nb", "no"}, {"nn", "no"}, {"iw", "he"}, {"porter", "en"}};

const nx_lang *nx_lang_find(const char *s)
{
    if (!s || !*s)
        return NULL;
    /* "fr-FR", "pt_BR": the part before the region. */
    char key[32];
    size_t n = strcspn(s, "-_");
    if (n == 0 || n >= sizeof key)
        return NULL;
    memcpy(key, s, n);
    key[n] = '\0';
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(key, aliases[i].alias) == 0)
            return nx_lang_find(aliases[i].code);
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
        if (strcasecmp(key, langs[i].code) == 0 || strcasecmp(key, langs[i].name) == 0)
            return &langs[i];
    return NULL;
}

size_t nx_lang_count(void)
{
    return sizeof langs / sizeof langs[0];
}

const nx_lang *nx_lang_at(size_t i)
{
    return i < nx_lang_count() ? &langs[i] : NULL;
}

size_t nx_lang_index(const nx_lang *l)
{
    return (size_t)(l - langs);
}

const char *nx_stemmer_canonical(const char *lang)
{
    const nx_lang *l = nx_lang_find(lang);
    return l && l->snowball ? l->name : NULL;
}
