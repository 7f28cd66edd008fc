/* fuzz_analyzer.c - the segmenter and the analyzer (src/analyze/) on
 * arbitrary bytes.
 *
 * Input: the first byte picks the languages, the rest is the text. Its low
 * three bits pick the analyzer's default language among english, french,
 * german, russian, arabic, greek, turkish and chinese (no stemmer); the
 * next two bits how many more languages are put in use after it (0..3,
 * the next ones in that list), as a search over a many-language index does.
 * Checks, besides memory safety and undefined behaviour:
 *   - nx_segment: every word has start < end <= len, a raw form of
 *     1..NX_MAX_WORD_BYTES bytes of valid UTF-8 and a span of whole
 *     characters; words come in text order: a word starts after the previous
 *     one ends, except CJK bigrams, which overlap (start still increasing);
 *     the mark is 0, '=' or '^' and is the byte before the word;
 *     cjk_tail only on CJK words;
 *   - nx_analyzer_forms on every word: exact and stem forms are valid UTF-8
 *     of the reported length;
 *   - nx_analyze in all five modes: every term has start <= end <= len; a
 *     colocated term has a previous term and shares its offsets; other terms
 *     start after the previous position starts; terms are non-empty valid
 *     UTF-8 without NULs; stem terms are NX_STEM_MARK, a two-letter code of
 *     a language in use, then a non-empty stem, exact terms do not start with the
 *     mark; the exact and prefix modes give one exact term per word; a
 *     document gives at most two terms per word, a query at most two per
 *     language in use and one more;
 *   - the query and name modes again with a stems expander (as for an FTS5
 *     index, which holds no stem terms): it sees only marked stems, and
 *     what it lists comes out as exact terms at the word's position, each
 *     once, empty ones dropped, with no stem term left;
 *   - a document's words handed to a near-duplicate builder as the analysis
 *     meets them (nx_analyzer_observe, as the indexing worker does) give
 *     the signature nx_mh_signature gives the text, and the words it keeps
 *     verify as the text read again (nx_mh_text_new): the same shingles,
 *     and the same figures against the text's first half. */
#include "analyze/analyzer.h"
#include "analyze/minhash.h"

#include "fuzz_common.h"

static const char *const languages[] = {
    "en", "fr", "de", "ru", "ar", "el", "tr", "zh",
};
#define NLANG (sizeof languages / sizeof languages[0])

static const char *const mode_names[] = {"document", "query", "exact", "prefix", "name"};

typedef struct seg_state {
    const char *text;
    size_t len;
    size_t prev_start, prev_end;
    size_t words;
    nx_analyzer *an;
} seg_state;

static int on_word(void *ctx, const nx_word *w)
{
    seg_state *st = ctx;
    FUZZ_CHECK(w->start < w->end && w->end <= st->len, "word span [%zu, %zu) in text of %zu bytes",
               w->start, w->end, st->len);
    if (w->cjk)
        FUZZ_CHECK(st->words == 0 || w->start > st->prev_start,
                   "CJK word at %zu does not start after the previous one (%zu)", w->start,
                   st->prev_start);
    else
        FUZZ_CHECK(w->start >= st->prev_end,
                   "word at %zu starts before the previous one ends (%zu)", w->start,
                   st->prev_end);
    FUZZ_CHECK(w->raw_len > 0 && w->raw_len <= NX_MAX_WORD_BYTES, "raw form of %zu bytes",
               w->raw_len);
    FUZZ_CHECK(fuzz_utf8_valid(w->raw, w->raw_len, NULL), "raw form of word at %zu not UTF-8",
               w->start);
    FUZZ_CHECK(fuzz_utf8_valid(st->text + w->start, w->end - w->start, NULL),
               "span [%zu, %zu) does not cover whole characters", w->start, w->end);
    FUZZ_CHECK(w->mark == 0 || ((w->mark == '=' || w->mark == '^') && w->start > 0 &&
                                st->text[w->start - 1] == w->mark),
               "mark %d for the word at %zu", w->mark, w->start);
    if (!w->cjk) {
        char before = w->start > 0 ? st->text[w->start - 1] : 0;
        FUZZ_CHECK(w->mark == ((before == '=' || before == '^') ? before : 0),
                   "mark %d for the word at %zu after byte %d", w->mark, w->start, before);
    }
    FUZZ_CHECK(!w->cjk_tail || w->cjk, "cjk_tail on a word that is not CJK (at %zu)", w->start);
    st->prev_start = w->start;
    st->prev_end = w->end;
    st->words++;

    const char *exact, *stem;
    size_t elen, slen;
    FUZZ_CHECK(nx_analyzer_forms(st->an, w->raw, w->raw_len, &exact, &elen, &stem, &slen) == 0,
               "nx_analyzer_forms failed");
    FUZZ_CHECK(strlen(exact) == elen, "exact form length %zu, strlen %zu", elen, strlen(exact));
    FUZZ_CHECK(fuzz_utf8_valid(exact, elen, NULL), "exact form not UTF-8");
    FUZZ_CHECK(fuzz_utf8_valid(stem, slen, NULL), "stem form not UTF-8");
    return 0;
}

typedef struct term_state {
    nx_analyze_mode mode;
    size_t len;
    const nx_lang *const *use;
    size_t nuse;
    size_t nterms;
    size_t prev_start, prev_end;
    size_t run; /* terms at the current position */
    int expanded; /* an expander is set: no stem terms */
    char seen[4096]; /* the terms at the current position, NUL-separated */
    size_t seen_len;
} term_state;

/* Lists, for a stem term, its stem again (a duplicate of the plain stem
 * the analyzer gives), the stem with an s, and an empty word. */
static int fake_expand(void *ctx, const char *stem, size_t len, nx_emit_fn emit, void *ectx)
{
    (void)ctx;
    FUZZ_CHECK(len > 3 && stem[0] == NX_STEM_MARK, "expander given '%.*s', not a stem term",
               (int)len, stem);
    int rc = emit(ectx, stem + 3, len - 3);
    char buf[NX_MAX_WORD_BYTES * 4 + 8];
    if (rc == 0 && len - 3 + 1 <= sizeof buf) {
        memcpy(buf, stem + 3, len - 3);
        buf[len - 3] = 's';
        rc = emit(ectx, buf, len - 2);
    }
    return rc ? rc : emit(ectx, "", 0);
}

static int on_term(void *ctx, int kind, const char *term, size_t len, size_t start, size_t end,
                   int colocated)
{
    term_state *st = ctx;
    const char *mode = mode_names[st->mode];
    FUZZ_CHECK(start <= end && end <= st->len, "%s mode: term span [%zu, %zu) in text of %zu bytes",
               mode, start, end, st->len);
    FUZZ_CHECK(kind == NX_TERM_EXACT || kind == NX_TERM_STEM, "%s mode: term kind %d", mode, kind);
    FUZZ_CHECK(!st->expanded || kind == NX_TERM_EXACT, "%s mode, expanded: a stem term", mode);
    if (colocated) {
        FUZZ_CHECK(st->nterms > 0, "%s mode: the first term is marked colocated", mode);
        FUZZ_CHECK(start == st->prev_start && end == st->prev_end,
                   "%s mode: colocated term [%zu, %zu) after a term at [%zu, %zu)", mode, start,
                   end, st->prev_start, st->prev_end);
        st->run++;
    } else {
        st->seen_len = 0;
        FUZZ_CHECK(st->nterms == 0 || start > st->prev_start,
                   "%s mode: term at %zu does not start after the previous position (%zu)", mode,
                   start, st->prev_start);
        st->run = 1;
    }
    FUZZ_CHECK(term != NULL && len > 0, "%s mode: empty term (kind %d) at [%zu, %zu)", mode, kind,
               start, end);
    FUZZ_CHECK(memchr(term, '\0', len) == NULL, "%s mode: NUL inside a term", mode);
    FUZZ_CHECK(fuzz_utf8_valid(term, len, NULL), "%s mode: term at [%zu, %zu) not UTF-8", mode,
               start, end);
    if (kind == NX_TERM_STEM) {
        FUZZ_CHECK(len >= 3 && term[0] == NX_STEM_MARK, "%s mode: stem term '%.*s' without the mark",
                   mode, (int)len, term);
        FUZZ_CHECK(len > 3, "%s mode: stem term '%.*s' with an empty stem at [%zu, %zu)", mode,
                   (int)len, term, start, end);
        int known = 0;
        for (size_t i = 0; i < st->nuse && !known; i++)
            known = memcmp(term + 1, st->use[i]->code, 2) == 0;
        FUZZ_CHECK(known, "%s mode: stem term '%.*s' of a language not in use", mode, (int)len,
                   term);
    } else {
        FUZZ_CHECK(term[0] != NX_STEM_MARK, "%s mode: exact term '%.*s' starts with the stem mark",
                   mode, (int)len, term);
    }
    if (st->mode == NX_ANALYZE_EXACT || st->mode == NX_ANALYZE_PREFIX)
        FUZZ_CHECK(kind == NX_TERM_EXACT && !colocated, "%s mode: term kind %d, colocated %d",
                   mode, kind, colocated);
    size_t most = st->mode == NX_ANALYZE_DOCUMENT ? 2 : 2 * st->nuse + 1;
    FUZZ_CHECK(st->run <= most, "%s mode: %zu terms at one position (%zu languages)", mode,
               st->run, st->nuse);
    for (size_t o = 0; o < st->seen_len; o += strlen(st->seen + o) + 1)
        FUZZ_CHECK(strlen(st->seen + o) != len || memcmp(st->seen + o, term, len) != 0,
                   "%s mode: '%.*s' twice at one position", mode, (int)len, term);
    if (st->seen_len + len + 1 <= sizeof st->seen) {
        memcpy(st->seen + st->seen_len, term, len);
        st->seen[st->seen_len + len] = '\0';
        st->seen_len += len + 1;
    }
    st->prev_start = start;
    st->prev_end = end;
    st->nterms++;
    return 0;
}

static int observe_word(void *ctx, const char *folded, size_t len, const nx_word *w)
{
    return nx_mh_word(ctx, folded, len, w->cjk_tail, w->start, w->end);
}

static int no_term(void *ctx, int kind, const char *term, size_t len, size_t start, size_t end,
                   int colocated)
{
    (void)ctx, (void)kind, (void)term, (void)len, (void)start, (void)end, (void)colocated;
    return 0;
}

static void check_kept_words(nx_analyzer *an, const char *text, size_t len)
{
    nx_mh_builder *b = nx_mh_begin(text);
    FUZZ_CHECK(b != NULL, "out of memory");
    nx_analyzer_observe(an, observe_word, b);
    int rc = nx_analyze(an, text, len, NX_ANALYZE_DOCUMENT, no_term, NULL);
    nx_analyzer_observe(an, NULL, NULL);
    nx_mh_sig built, read;
    nx_mh_words *words = NULL;
    size_t nb = 0, nr = 0;
    int brc = nx_mh_end(b, &built, &nb, &words);
    int rrc = nx_mh_signature(text, len, &read, &nr);
    FUZZ_CHECK(rc == 0 && brc == rrc && nb == nr && memcmp(&built, &read, sizeof built) == 0,
               "the observed words signed otherwise (%d/%d, %zu/%zu shingles)", brc, rrc, nb,
               nr);
    FUZZ_CHECK(words != NULL, "no words kept");
    nx_mh_text *kept = nx_mh_text_of(words);
    nx_mh_text *again = nx_mh_text_new(text, len);
    nx_mh_text *half = nx_mh_text_new(text, len / 2);
    FUZZ_CHECK(kept && again && half, "out of memory");
    FUZZ_CHECK(nx_mh_text_shingles(kept) == nx_mh_text_shingles(again),
               "%zu shingles kept, %zu read", nx_mh_text_shingles(kept),
               nx_mh_text_shingles(again));
    FUZZ_CHECK(nx_mh_text_containment(kept, half) == nx_mh_text_containment(again, half),
               "containment differs");
    int c1, x1, c2, x2;
    nx_mh_text_figures(kept, half, &c1, &x1);
    nx_mh_text_figures(again, half, &c2, &x2);
    FUZZ_CHECK(c1 == c2 && x1 == x2, "figures %d/%d kept, %d/%d read", c1, x1, c2, x2);
    nx_mh_text_free(kept);
    nx_mh_text_free(again);
    nx_mh_text_free(half);
    nx_mh_words_free(words);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t first = data[0] % NLANG, extra = (data[0] >> 3) & 3;
    size_t len = size - 1;
    char *text = fuzz_exact(data + 1, len);

    nx_analyzer *an = nx_analyzer_new(languages[first]);
    FUZZ_CHECK(an != NULL, "no analyzer for %s", languages[first]);
    const nx_lang *use[4];
    size_t nuse = 0;
    for (size_t i = 0; i <= extra; i++) {
        use[nuse] = nx_lang_find(languages[(first + i) % NLANG]);
        FUZZ_CHECK(use[nuse] != NULL, "unknown language %s", languages[(first + i) % NLANG]);
        nuse++;
    }
    nx_analyzer_use(an, use, nuse);

    seg_state seg = {text, len, 0, 0, 0, an};
    FUZZ_CHECK(nx_segment(text, len, on_word, &seg) == 0, "nx_segment did not finish");

    static const nx_analyze_mode modes[] = {NX_ANALYZE_DOCUMENT, NX_ANALYZE_QUERY,
                                            NX_ANALYZE_EXACT, NX_ANALYZE_PREFIX,
                                            NX_ANALYZE_NAME};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        term_state st = {modes[m], len, use, nuse, 0, 0, 0, 0, 0, {0}, 0};
        int rc = nx_analyze(an, text, len, modes[m], on_term, &st);
        FUZZ_CHECK(rc == 0, "%s mode: nx_analyze returned %d", mode_names[modes[m]], rc);
    }
    check_kept_words(an, text, len);
    nx_analyzer_expand(an, fake_expand, NULL);
    for (size_t m = 1; m < sizeof modes / sizeof modes[0]; m += 3) { /* query, name */
        term_state st = {modes[m], len, use, nuse, 0, 0, 0, 0, 1, {0}, 0};
        int rc = nx_analyze(an, text, len, modes[m], on_term, &st);
        FUZZ_CHECK(rc == 0, "%s mode, expanded: nx_analyze returned %d", mode_names[modes[m]], rc);
    }

    nx_analyzer_free(an);
    free(text);
    return 0;
}
