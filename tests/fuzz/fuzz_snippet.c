/* fuzz_snippet.c - the snippet generator (src/query/snippet.c) on arbitrary
 * queries and texts: nx_hl_add from a parsed query's positive words, then
 * nx_snippet_make and nx_highlight_all.
 *
 * Input: "query NUL text"; without a NUL, the first half is the query and
 * the second half the text. As a search does, the query is stemmed in the
 * languages of its lang: filters, else in English and one more (French or
 * Russian); the text is in the analyzer's default (English), one of the
 * query's languages or German. These choices, the number of fragments
 * (1..3) and their width (8 or 30 words) follow from the input size.
 * Checks, besides memory safety and undefined behaviour:
 *   - nx_hl_add, nx_snippet_make and nx_highlight_all succeed; highlight
 *     words have an exact form, a stem per query language and a mode, and
 *     only the last word of an item is a prefix;
 *   - spans are non-empty, sorted, non-overlapping and inside their text
 *     (the snippet text for nx_snippet_make, the input for nx_highlight_all);
 *   - for text as the readers hand it out (valid UTF-8 without NULs): spans
 *     start and end on character boundaries and the snippet text is valid
 *     UTF-8. Texts that are not are run once as they are (memory safety,
 *     span order) and once repaired with nx_utf8_repair (all checks). */
#include "analyze/analyzer.h"
#include "ingest/record.h"
#include "query/query.h"
#include "query/snippet.h"

#include "fuzz_common.h"

typedef struct hl_ctx {
    nx_hl_query *q;
    nx_analyzer *an;
} hl_ctx;

static int add_item(void *ctx, const char *const *words, const size_t *lens, const int *modes,
                    size_t n)
{
    hl_ctx *h = ctx;
    FUZZ_CHECK(nx_hl_add(h->q, h->an, words, lens, modes, n) == 0, "nx_hl_add failed");
    return 0;
}

static void check_spans(const char *what, const nx_span_t *spans, size_t n, const char *text,
                        size_t len, int strict)
{
    FUZZ_CHECK(n == 0 || spans != NULL, "%s: %zu spans but no array", what, n);
    for (size_t i = 0; i < n; i++) {
        size_t a = spans[i].start, b = spans[i].end;
        FUZZ_CHECK(a < b, "%s: span %zu is [%zu, %zu)", what, i, a, b);
        if (i > 0)
            FUZZ_CHECK(a >= spans[i - 1].end, "%s: span %zu [%zu, %zu) overlaps or precedes [%zu, %zu)",
                       what, i, a, b, spans[i - 1].start, spans[i - 1].end);
        if (!strict)
            continue;
        FUZZ_CHECK(b <= len, "%s: span %zu [%zu, %zu) past the end of %zu bytes", what, i, a, b,
                   len);
        FUZZ_CHECK(fuzz_utf8_boundary(text, len, a) && fuzz_utf8_boundary(text, len, b),
                   "%s: span %zu [%zu, %zu) cuts a character", what, i, a, b);
    }
}

/* All checks, for text as the readers hand it out: valid UTF-8, no NULs. */
static void run_clean(nx_analyzer *an, const nx_hl_query *q, const nx_lang *lang, const char *text,
                      size_t len, size_t frags, size_t width)
{
    nx_snippet sn;
    FUZZ_CHECK(nx_snippet_make(an, q, lang, text, len, frags, width, &sn) == 0,
               "nx_snippet_make failed");
    FUZZ_CHECK(sn.text != NULL, "snippet without text");
    size_t slen = strlen(sn.text), bad = 0;
    FUZZ_CHECK(fuzz_utf8_valid(sn.text, slen, &bad),
               "snippet text is not valid UTF-8 at byte %zu of %zu: %s", bad, slen, sn.text);
    check_spans("snippet", sn.spans, sn.nspans, sn.text, slen, 1);
    nx_snippet_free(&sn);

    nx_span_t *spans = NULL;
    size_t nspans = 0;
    FUZZ_CHECK(nx_highlight_all(an, q, lang, text, len, &spans, &nspans) == 0,
               "nx_highlight_all failed");
    FUZZ_CHECK(nspans > 0 || spans == NULL, "no spans but an array");
    check_spans("highlight_all", spans, nspans, text, len, 1);
    free(spans);
}

/* The languages to stem the query in, as nx_search chooses them: those of
 * its lang: filters, else the index's (here English and French or Russian). */
static size_t query_langs(const nx_query_parts *parts, size_t size, const nx_lang **langs)
{
    size_t n = 0;
    for (size_t i = 0; parts && i < parts->nfilters; i++) {
        const nx_filter *f = &parts->filters[i];
        const nx_lang *l = f->kind == NX_F_LANG && !f->negated ? nx_lang_find(f->value) : NULL;
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            dup |= langs[k] == l;
        if (l && !dup && n < NX_MAX_LANGS)
            langs[n++] = l;
    }
    if (n == 0) {
        langs[n++] = nx_lang_find("en");
        langs[n++] = nx_lang_find(size % 2 ? "ru" : "fr");
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t qlen = nul ? (size_t)(nul - data) : size / 2;
    size_t toff = nul ? qlen + 1 : qlen;
    char *query = fuzz_cstr(data, qlen);
    size_t len = size - toff;
    char *text = fuzz_exact(data + toff, len);
    size_t frags = 1 + size % 3;
    size_t width = (size / 3) % 2 ? 8 : 30;

    nx_analyzer *an = nx_analyzer_new("en");
    FUZZ_CHECK(an != NULL, "no English analyzer");
    nx_hl_query hq;
    memset(&hq, 0, sizeof hq);
    const nx_lang *langs[NX_MAX_LANGS];
    size_t nlangs = 0;

    nx_qnode *tree;
    char err[512];
    nx_query_parts parts;
    int have_parts = nx_query_parse(query, &tree, err, sizeof err) == 0 &&
                     nx_query_split(tree, &parts, err, sizeof err) == 0;
    nlangs = query_langs(have_parts ? &parts : NULL, size, langs);
    FUZZ_CHECK(langs[0] != NULL && langs[nlangs - 1] != NULL, "unknown language");
    nx_hl_languages(&hq, langs, nlangs);
    if (have_parts) {
        if (parts.text) {
            hl_ctx h = {&hq, an};
            FUZZ_CHECK(nx_query_positive_words(parts.text, add_item, &h) == 0,
                       "positive_words failed");
        }
        nx_query_parts_free(&parts);
    }
    for (size_t i = 0; i < hq.nitems; i++) {
        FUZZ_CHECK(hq.items[i].nwords > 0, "highlight item %zu has no words", i);
        for (size_t k = 0; k < hq.items[i].nwords; k++) {
            const nx_hl_word *w = &hq.items[i].words[k];
            FUZZ_CHECK(w->exact != NULL && w->stems != NULL, "highlight word without forms");
            for (size_t l = 0; l < hq.nlangs; l++)
                FUZZ_CHECK(w->stems[l] != NULL, "highlight word without a stem in %s",
                           hq.langs[l]->code);
            FUZZ_CHECK(w->mode >= NX_HL_STEM && w->mode <= NX_HL_NAME, "mode %d", w->mode);
            /* Only the last word of an item may be a prefix. */
            FUZZ_CHECK(w->mode != NX_HL_PREFIX || k + 1 == hq.items[i].nwords,
                       "prefix word %zu of %zu", k, hq.items[i].nwords);
        }
    }

    const nx_lang *lang = NULL; /* the analyzer's default */
    if ((size / 5) % 3 == 1)
        lang = langs[size % nlangs];
    else if ((size / 5) % 3 == 2)
        lang = nx_lang_find("de");

    int clean = fuzz_utf8_valid(text, len, NULL) && memchr(text, '\0', len) == NULL;
    if (clean) {
        run_clean(an, &hq, lang, text, len, frags, width);
    } else {
        /* As is: highlight_all spans index the input, whatever it holds. */
        nx_snippet sn;
        FUZZ_CHECK(nx_snippet_make(an, &hq, lang, text, len, frags, width, &sn) == 0,
                   "nx_snippet_make failed");
        check_spans("snippet (raw text)", sn.spans, sn.nspans, sn.text, 0, 0);
        nx_snippet_free(&sn);
        nx_span_t *spans = NULL;
        size_t nspans = 0;
        FUZZ_CHECK(nx_highlight_all(an, &hq, lang, text, len, &spans, &nspans) == 0,
                   "nx_highlight_all failed");
        check_spans("highlight_all (raw text)", spans, nspans, text, len, 0);
        for (size_t i = 0; i < nspans; i++)
            FUZZ_CHECK(spans[i].end <= len, "highlight_all span %zu [%zu, %zu) past the end of %zu",
                       i, spans[i].start, spans[i].end, len);
        free(spans);

        char *fixed = nx_utf8_repair(text, len);
        FUZZ_CHECK(fixed != NULL, "nx_utf8_repair failed");
        size_t flen = strlen(fixed);
        char *exact = fuzz_exact((const uint8_t *)fixed, flen);
        free(fixed);
        run_clean(an, &hq, lang, exact, flen, frags, width);
        free(exact);
    }

    nx_hl_free(&hq);
    nx_analyzer_free(an);
    free(text);
    free(query);
    return 0;
}
