/* analyzer.c - words to terms: the segmenter's words, folded and stemmed in
 * the right language, handed out with their original offsets. Both engines
 * index exactly what this file emits; see analyzer.h for the term scheme
 * and index-schema/terms.md for why it is so. */
#include "analyzer.h"

#include <stdlib.h>
#include <string.h>

struct nx_analyzer {
    const nx_lang *def;                /* default language */
    const nx_lang *use[NX_MAX_LANGS];  /* languages in use; use[0] for documents */
    size_t nuse;
    nx_stemmer **stemmers;             /* by nx_lang_index, made on first use */
    char *exact, *cf, *stem;           /* scratch buffers, reused across words */
    size_t exact_cap, cf_cap, stem_cap;
    nx_word_observer observe;          /* documents' words, or NULL */
    void *observe_ctx;
    nx_expand_fn expand;               /* stem terms to written words, or NULL */
    void *expand_ctx;
};

nx_analyzer *nx_analyzer_new(const char *lang)
{
    const nx_lang *l = nx_lang_find(lang ? lang : "en");
    if (!l)
        return NULL;
    nx_analyzer *an = calloc(1, sizeof *an);
    if (!an || !(an->stemmers = calloc(nx_lang_count(), sizeof *an->stemmers))) {
        free(an);
        return NULL;
    }
    an->def = l;
    an->use[0] = l;
    an->nuse = 1;
    return an;
}

void nx_analyzer_free(nx_analyzer *an)
{
    if (!an)
        return;
    for (size_t i = 0; i < nx_lang_count(); i++)
        nx_stemmer_free(an->stemmers[i]);
    free(an->stemmers);
    free(an->exact);
    free(an->cf);
    free(an->stem);
    free(an);
}

void nx_analyzer_observe(nx_analyzer *an, nx_word_observer fn, void *ctx)
{
    an->observe = fn;
    an->observe_ctx = ctx;
}

void nx_analyzer_expand(nx_analyzer *an, nx_expand_fn fn, void *ctx)
{
    an->expand = fn;
    an->expand_ctx = ctx;
}

const nx_lang *nx_analyzer_default(const nx_analyzer *an)
{
    return an->def;
}

const char *nx_analyzer_language(const nx_analyzer *an)
{
    return an->def->name;
}

void nx_analyzer_use(nx_analyzer *an, const nx_lang *const *langs, size_t n)
{
    an->nuse = 0;
    for (size_t i = 0; i < n && an->nuse < NX_MAX_LANGS; i++)
        if (langs[i])
            an->use[an->nuse++] = langs[i];
    if (an->nuse == 0)
        an->use[an->nuse++] = an->def;
}

/* The stemmer of l, made on first use; NULL when l has none (or no memory:
 * words are then indexed as written, which still matches exactly). */
static nx_stemmer *stemmer_for(nx_analyzer *an, const nx_lang *l)
{
    if (!l->snowball)
        return NULL;
    size_t i = nx_lang_index(l);
    if (!an->stemmers[i])
        an->stemmers[i] = nx_stemmer_new(l->code);
    return an->stemmers[i];
}

static int grow(char **buf, size_t *cap, size_t need)
{
    if (*cap >= need)
        return 0;
    char *p = realloc(*buf, need);
    if (!p)
        return -1;
    *buf = p;
    *cap = need;
    return 0;
}

/* The exact form of a raw word into an->exact; returns its length or -1. */
static long exact_form(nx_analyzer *an, const char *raw, size_t len)
{
    return nx_fold(raw, len, 1, &an->exact, &an->exact_cap);
}

/* The marked stem of the exact form in language l into an->stem: "~", the
 * language code, the folded stem. The stemmer sees the case-folded word
 * with its diacritics (French and German stemmers rely on them); the stem
 * is folded afterwards. Returns the marked length (0 when l has no stemmer),
 * or -1; *differs tells whether the stem differs from the exact form. */
static long stem_form(nx_analyzer *an, const nx_lang *l, const char *raw, size_t len,
                      size_t elen, int *differs)
{
    *differs = 0;
    nx_stemmer *st = stemmer_for(an, l);
    if (!st)
        return 0;
    long clen = nx_fold(raw, len, 0, &an->cf, &an->cf_cap);
    if (clen < 0)
        return -1;
    size_t slen;
    const char *s = nx_stemmer_stem(st, an->cf, (size_t)clen, &slen);
    /* s points into the stemmer, so folding it into cf is safe. */
    long flen = nx_fold(s, slen, 1, &an->cf, &an->cf_cap);
    if (flen < 0)
        return -1;
    if (flen == 0) /* Snowball can stem a word to nothing (some Greek): keep it as written */
        return 0;
    if (grow(&an->stem, &an->stem_cap, (size_t)flen + 4))
        return -1;
    an->stem[0] = NX_STEM_MARK;
    memcpy(an->stem + 1, l->code, 2);
    memcpy(an->stem + 3, an->cf, (size_t)flen + 1);
    *differs = !((size_t)flen == elen && memcmp(an->cf, an->exact, elen) == 0);
    return flen + 3;
}

typedef struct run {
    nx_analyzer *an;
    nx_analyze_mode mode;
    nx_term_fn fn;
    void *ctx;
} run;

/* The plain forms given so far for one query word, NUL-separated: each
 * term once, since languages often agree on a stem and a stem's written
 * words include the stem itself when it is written. */
typedef struct seen {
    char *s;
    size_t len;
} seen;

/* 1 when w is new (and now remembered), 0 when given before, -1 out of memory. */
static int seen_add(seen *sn, const char *w, size_t n)
{
    for (size_t o = 0; o < sn->len; o += strlen(sn->s + o) + 1)
        if (strlen(sn->s + o) == n && memcmp(sn->s + o, w, n) == 0)
            return 0;
    char *p = realloc(sn->s, sn->len + n + 1);
    if (!p)
        return -1;
    sn->s = p;
    memcpy(sn->s + sn->len, w, n);
    sn->s[sn->len + n] = '\0';
    sn->len += n + 1;
    return 1;
}

typedef struct alt_run {
    run *r;
    const nx_word *w;
    seen *sn;
    int *n;
} alt_run;

/* One alternative written as it is: an exact term, once. */
static int give_plain(void *ctx, const char *t, size_t len)
{
    alt_run *a = ctx;
    if (len == 0 || memchr(t, '\0', len))
        return 0;
    int added = seen_add(a->sn, t, len);
    if (added <= 0)
        return added;
    return a->r->fn(a->r->ctx, NX_TERM_EXACT, t, len, a->w->start, a->w->end, (*a->n)++ > 0);
}

/* Query alternatives of one word: for each language in use (or only those
 * whose names inflect), the stem as a plain word (a word that is its own
 * stem is indexed only plain) and as a stem term, or, for an index without
 * stem terms, the written words with that stem. The exact form comes first
 * in NAME mode, last otherwise: an article in a language the query is not
 * stemmed in is still found by the word as written. */
static int alternatives(run *r, const nx_word *w, size_t elen, int names_only)
{
    nx_analyzer *an = r->an;
    int n = 0, rc = 0;
    seen sn = {0};
    alt_run a = {r, w, &sn, &n};
    if (names_only)
        rc = give_plain(&a, an->exact, elen);
    for (size_t i = 0; rc == 0 && i < an->nuse; i++) {
        const nx_lang *l = an->use[i];
        if (names_only && !l->names_inflect)
            continue;
        int differs;
        long slen = stem_form(an, l, w->raw, w->raw_len, elen, &differs);
        if (slen < 0) {
            rc = -1;
            break;
        }
        if (slen == 0)
            continue;
        rc = give_plain(&a, an->stem + 3, (size_t)slen - 3);
        if (rc == 0 && an->expand)
            rc = an->expand(an->expand_ctx, an->stem, (size_t)slen, give_plain, &a);
        else if (rc == 0)
            rc = r->fn(r->ctx, NX_TERM_STEM, an->stem, (size_t)slen, w->start, w->end, n++ > 0);
    }
    if (rc == 0) /* also the word as written */
        rc = give_plain(&a, an->exact, elen);
    free(sn.s);
    return rc;
}

static int on_word(void *ctx, const nx_word *w)
{
    run *r = ctx;
    nx_analyzer *an = r->an;
    nx_analyze_mode mode = r->mode;
    if (mode == NX_ANALYZE_QUERY && w->mark == '=')
        mode = NX_ANALYZE_EXACT;
    else if (mode == NX_ANALYZE_QUERY && w->mark == '^')
        mode = NX_ANALYZE_NAME;
    /* A run's lone last character is for finding single characters; a
     * query for the run itself is its bigrams. */
    if (w->cjk_tail && mode != NX_ANALYZE_DOCUMENT)
        return 0;
    long elen = exact_form(an, w->raw, w->raw_len);
    if (elen < 0)
        return -1;
    if (mode == NX_ANALYZE_DOCUMENT && an->observe) {
        int rc = an->observe(an->observe_ctx, an->exact, (size_t)elen, w);
        if (rc)
            return rc;
    }
    if (elen == 0)
        return 0;
    /* CJK has no stemming: its bigrams are matched as written. */
    if (w->cjk && mode != NX_ANALYZE_DOCUMENT)
        mode = NX_ANALYZE_EXACT;
    switch (mode) {
    case NX_ANALYZE_QUERY:
        return alternatives(r, w, (size_t)elen, 0);
    case NX_ANALYZE_NAME:
        return alternatives(r, w, (size_t)elen, 1);
    case NX_ANALYZE_EXACT:
    case NX_ANALYZE_PREFIX:
        return r->fn(r->ctx, NX_TERM_EXACT, an->exact, (size_t)elen, w->start, w->end, 0);
    case NX_ANALYZE_DOCUMENT:
        break;
    }
    int rc = r->fn(r->ctx, NX_TERM_EXACT, an->exact, (size_t)elen, w->start, w->end, 0);
    if (rc || w->cjk)
        return rc;
    int differs;
    long slen = stem_form(an, an->use[0], w->raw, w->raw_len, (size_t)elen, &differs);
    if (slen < 0)
        return -1;
    if (slen > 0 && differs)
        rc = r->fn(r->ctx, NX_TERM_STEM, an->stem, (size_t)slen, w->start, w->end, 1);
    return rc;
}

int nx_analyze(nx_analyzer *an, const char *text, size_t len, nx_analyze_mode mode, nx_term_fn fn,
               void *ctx)
{
    run r = {an, mode, fn, ctx};
    return nx_segment(text, len, on_word, &r);
}

int nx_analyzer_forms(nx_analyzer *an, const char *raw, size_t len, const char **exact,
                      size_t *elen, const char **stem, size_t *slen)
{
    long n = exact_form(an, raw, len);
    if (n < 0)
        return -1;
    *exact = an->exact;
    *elen = (size_t)n;
    int differs;
    long s = stem_form(an, an->use[0], raw, len, (size_t)n, &differs);
    if (s < 0)
        return -1;
    if (s == 0) { /* no stemmer: the word is its own stem */
        *stem = an->exact;
        *slen = (size_t)n;
    } else {
        *stem = an->stem + 3;
        *slen = (size_t)s - 3;
    }
    return 0;
}
