/* analyzer.c - words to terms: the segmenter's words, folded and stemmed,
 * handed out with their original offsets. Both engines index exactly what
 * this file emits; see analyzer.h for the term scheme and why it is so. */
#include "analyzer.h"

#include <stdlib.h>
#include <string.h>

struct nx_analyzer {
    nx_stemmer *stemmer;
    const char *lang;       /* canonical Snowball name */
    char *exact, *cf, *stem; /* scratch buffers, reused across words */
    size_t exact_cap, cf_cap, stem_cap;
};

nx_analyzer *nx_analyzer_new(const char *lang)
{
    nx_analyzer *an = calloc(1, sizeof *an);
    if (!an)
        return NULL;
    an->stemmer = nx_stemmer_new(lang);
    if (!an->stemmer) {
        free(an);
        return NULL;
    }
    an->lang = nx_stemmer_canonical(lang);
    return an;
}

void nx_analyzer_free(nx_analyzer *an)
{
    if (!an)
        return;
    nx_stemmer_free(an->stemmer);
    free(an->exact);
    free(an->cf);
    free(an->stem);
    free(an);
}

const char *nx_analyzer_language(const nx_analyzer *an)
{
    return an->lang;
}

/* Computes the exact form into an->exact and, when wanted, the marked stem
 * ("~" + stem) into an->stem. The stemmer sees the case-folded word with its
 * diacritics (French and German stemmers rely on them); the stem is folded
 * afterwards. Returns the exact length, or -1 when out of memory; *stem_len
 * is the marked stem's length and *differs tells whether stem != exact. */
static long forms(nx_analyzer *an, const char *raw, size_t len, int want_stem, size_t *stem_len,
                  int *differs)
{
    *stem_len = 0;
    *differs = 0;
    long elen = nx_fold(raw, len, 1, &an->exact, &an->exact_cap);
    if (elen < 0 || !want_stem)
        return elen;
    long clen = nx_fold(raw, len, 0, &an->cf, &an->cf_cap);
    if (clen < 0)
        return -1;
    size_t slen;
    const char *s = nx_stemmer_stem(an->stemmer, an->cf, (size_t)clen, &slen);
    /* s points into the stemmer, so folding it into cf is safe. */
    long flen = nx_fold(s, slen, 1, &an->cf, &an->cf_cap);
    if (flen < 0)
        return -1;
    if (an->stem_cap < (size_t)flen + 2) {
        char *p = realloc(an->stem, (size_t)flen + 2);
        if (!p)
            return -1;
        an->stem = p;
        an->stem_cap = (size_t)flen + 2;
    }
    an->stem[0] = NX_STEM_MARK;
    memcpy(an->stem + 1, an->cf, (size_t)flen + 1);
    *stem_len = (size_t)flen + 1;
    *differs = !((size_t)flen == (size_t)elen && memcmp(an->cf, an->exact, (size_t)elen) == 0);
    return elen;
}

typedef struct run {
    nx_analyzer *an;
    nx_analyze_mode mode;
    nx_term_fn fn;
    void *ctx;
} run;

static int on_word(void *ctx, const nx_word *w)
{
    run *r = ctx;
    nx_analyzer *an = r->an;
    int stemmed = r->mode == NX_ANALYZE_DOCUMENT || (r->mode == NX_ANALYZE_QUERY && !w->eq_prefix);
    size_t slen;
    int differs;
    long elen = forms(an, w->raw, w->raw_len, stemmed, &slen, &differs);
    if (elen < 0)
        return -1;
    if (elen == 0)
        return 0;
    if (r->mode == NX_ANALYZE_QUERY && stemmed) {
        /* Both places a stem can live: "~s" for words that differ from their
         * stem, the plain word for words that are their own stem. */
        int rc = r->fn(r->ctx, NX_TERM_EXACT, an->stem + 1, slen - 1, w->start, w->end, 0);
        return rc ? rc : r->fn(r->ctx, NX_TERM_STEM, an->stem, slen, w->start, w->end, 1);
    }
    int rc = r->fn(r->ctx, NX_TERM_EXACT, an->exact, (size_t)elen, w->start, w->end, 0);
    if (rc == 0 && differs)
        rc = r->fn(r->ctx, NX_TERM_STEM, an->stem, slen, w->start, w->end, 1);
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
    int differs;
    long n = forms(an, raw, len, 1, slen, &differs);
    if (n < 0)
        return -1;
    *exact = an->exact;
    *elen = (size_t)n;
    *stem = an->stem + 1;
    *slen -= 1;
    return 0;
}
