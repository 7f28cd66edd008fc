/* snippet.c - choose the fragments of an article that show why it matched,
 * and where to highlight them. Engine-neutral: it re-reads the text with the
 * same analyzer the index used, so "negotiating" in a query highlights
 * "negotiations" in the text, and a name asked for exactly highlights only
 * that name.
 *
 * Fragments are windows of about fragment_words words. The best window is
 * the one showing the most distinct query items (a phrase counts double),
 * then the most hits; windows start at a sentence start when one is close
 * before the first hit. Later fragments must show an item the earlier ones
 * did not. Fragments are shown in text order, with "…" where text was cut. */
#include "snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Looking at more than this much of a body per hit costs more than it is
 * worth; a match further in is still found, just not shown. */
#define SCAN_LIMIT (1u << 20)
#define MAX_ITEMS 64

typedef struct wpos {
    size_t start, end;     /* bytes in text */
    uint64_t items;        /* query items this word is part of a match of */
    uint32_t hl_end;       /* >0: this word starts a highlight ending at word hl_end-1 */
    unsigned sentence : 1; /* the word starts a sentence or paragraph */
} wpos;

typedef struct scan {
    nx_analyzer *an;
    const nx_hl_query *q;
    const nx_lang *lang; /* the text's language */
    long li;             /* its index in q->langs, or -1 */
    const char *text;
    wpos *w;
    size_t n, cap;
    char **exact;  /* per word: folded forms, kept for phrase matching */
    char **stem;
    char **xstem;  /* per word, when the query is stemmed in another language than the
                    * text's: its stems in the query's languages, NUL-separated */
    int oom;
} scan;

static void free_word(nx_hl_word *w, size_t nlangs)
{
    free(w->exact);
    for (size_t i = 0; w->stems && i < nlangs; i++)
        free(w->stems[i]);
    free(w->stems);
}

void nx_hl_languages(nx_hl_query *q, const nx_lang *const *langs, size_t n)
{
    q->nlangs = 0;
    for (size_t i = 0; i < n && q->nlangs < NX_MAX_LANGS; i++)
        q->langs[q->nlangs++] = langs[i];
}

void nx_hl_free(nx_hl_query *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->nitems; i++) {
        for (size_t k = 0; k < q->items[i].nwords; k++)
            free_word(&q->items[i].words[k], q->nlangs);
        free(q->items[i].words);
    }
    free(q->items);
    q->items = NULL;
    q->nitems = 0;
}

typedef struct hl_build {
    nx_analyzer *an;
    const nx_hl_query *q;
    nx_hl_word *words;
    size_t n, cap;
    int mode;
    int oom;
} hl_build;

static int hl_word(void *ctx, const nx_word *w)
{
    hl_build *hb = ctx;
    if (w->cjk_tail) /* a CJK run is matched by its bigrams */
        return 0;
    if (hb->n == hb->cap) {
        size_t cap = hb->cap ? hb->cap * 2 : 4;
        nx_hl_word *p = realloc(hb->words, cap * sizeof *p);
        if (!p) {
            hb->oom = 1;
            return 1;
        }
        hb->words = p;
        hb->cap = cap;
    }
    nx_hl_word *hw = &hb->words[hb->n];
    memset(hw, 0, sizeof *hw);
    hw->mode = hb->mode;
    size_t nl = hb->q->nlangs;
    hw->stems = calloc(nl ? nl : 1, sizeof *hw->stems);
    int ok = hw->stems != NULL;
    for (size_t i = 0; ok && i < (nl ? nl : 1); i++) {
        const char *e, *s;
        size_t el, sl;
        if (nl)
            nx_analyzer_use(hb->an, &hb->q->langs[i], 1);
        ok = nx_analyzer_forms(hb->an, w->raw, w->raw_len, &e, &el, &s, &sl) == 0;
        if (ok && !hw->exact)
            ok = (hw->exact = strndup(e, el)) != NULL;
        if (ok && nl)
            ok = (hw->stems[i] = strndup(s, sl)) != NULL;
    }
    if (!ok) {
        free_word(hw, nl);
        hb->oom = 1;
        return 1;
    }
    hb->n++;
    return 0;
}

int nx_hl_add(nx_hl_query *q, nx_analyzer *an, const char *const *raw, const size_t *lens,
              const int *modes, size_t n)
{
    if (n == 0 || q->nitems >= MAX_ITEMS)
        return 0;
    /* A query word may hold several words for the analyzer (Kyiv-based):
     * it is then matched as a phrase of them. */
    hl_build hb = {an, q, NULL, 0, 0, 0, 0};
    for (size_t k = 0; k < n && !hb.oom; k++) {
        hb.mode = modes[k];
        nx_segment(raw[k], lens[k], hl_word, &hb);
    }
    if (!hb.oom && hb.n) {
        /* Only the last word of a prefix term is a prefix. */
        for (size_t k = 0; k + 1 < hb.n; k++)
            if (hb.words[k].mode == NX_HL_PREFIX)
                hb.words[k].mode = NX_HL_EXACT;
        nx_hl_item *items = realloc(q->items, (q->nitems + 1) * sizeof *items);
        if (items) {
            q->items = items;
            q->items[q->nitems++] = (nx_hl_item){hb.words, hb.n};
            return 0;
        }
        hb.oom = 1;
    }
    for (size_t k = 0; k < hb.n; k++)
        free_word(&hb.words[k], q->nlangs);
    free(hb.words);
    return hb.oom ? -1 : 0;
}

/* Mirrors what the index matches: a stemmed query word looks up its stem
 * in each language both as a written word and as a stem term, so it
 * matches a word written as any of its stems, or whose stem (in the text's
 * language) is the query's stem in that language. The FTS5 engine looks a
 * stem term's written words up in articles of every language: so a word
 * whose stem in another of the query's languages is the query's stem in
 * it matches too (xstem). */
static int stem_matches(const scan *sc, const nx_hl_word *qw, size_t at, const char *exact,
                        const char *stem)
{
    for (size_t i = 0; i < sc->q->nlangs; i++)
        if (strcmp(qw->stems[i], exact) == 0)
            return 1;
    const char *qstem = sc->li >= 0 ? qw->stems[sc->li] : qw->exact;
    if (strcmp(qstem, stem) == 0 || strcmp(qw->exact, exact) == 0)
        return 1;
    const char *x = sc->xstem ? sc->xstem[at] : NULL;
    for (size_t i = 0; x && i < sc->q->nlangs; i++, x += strlen(x) + 1)
        if (strcmp(qw->stems[i], x) == 0)
            return 1;
    return 0;
}

static int word_matches(const scan *sc, const nx_hl_word *qw, size_t at)
{
    const char *exact = sc->exact[at], *stem = sc->stem[at];
    switch (qw->mode) {
    case NX_HL_EXACT: return strcmp(qw->exact, exact) == 0;
    case NX_HL_PREFIX: return strncmp(qw->exact, exact, strlen(qw->exact)) == 0;
    case NX_HL_NAME:
        return strcmp(qw->exact, exact) == 0 ||
               (sc->lang->names_inflect && stem_matches(sc, qw, at, exact, stem));
    default: return stem_matches(sc, qw, at, exact, stem);
    }
}

/* A sentence starts after . ! ? or a blank line (skipping quotes and
 * brackets), or at the start of the text. */
static int starts_sentence(const char *text, size_t at)
{
    size_t i = at;
    int newline = 0;
    while (i > 0) {
        /* The code point before i. */
        size_t prev = i - 1;
        while (prev > 0 && ((unsigned char)text[prev] & 0xC0) == 0x80)
            prev--;
        utf8proc_int32_t cp;
        if (utf8proc_iterate((const utf8proc_uint8_t *)text + prev, (utf8proc_ssize_t)(i - prev),
                             &cp) <= 0) {
            i = prev;
            continue;
        }
        if (cp == '\n') {
            if (newline)
                return 1;
            newline = 1;
            i = prev;
            continue;
        }
        if (cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == 0x3002 || cp == 0xFF01 ||
            cp == 0xFF1F || cp == 0x061F || cp == 0x2026)
            return 1;
        utf8proc_category_t cat = utf8proc_category(cp);
        /* Spaces, quotes and brackets between a sentence's end and its next
         * word are passed over; anything else means mid-sentence. */
        if (cat == UTF8PROC_CATEGORY_ZS || cp == '\t' || cp == '\r' || cat == UTF8PROC_CATEGORY_PS ||
            cat == UTF8PROC_CATEGORY_PE || cat == UTF8PROC_CATEGORY_PI ||
            cat == UTF8PROC_CATEGORY_PF || cp == '"' || cp == '\'' || cp == 0x2014 || cp == 0x2013) {
            i = prev;
            continue;
        }
        return 0;
    }
    return 1;
}

/* The word's stems in each of the query's languages into sc->xstem[i],
 * the analyzer set back to the text's language after. */
static int xstem_of(scan *sc, const nx_word *word, size_t i)
{
    size_t n = 0;
    char *out = NULL;
    int rc = 0;
    for (size_t l = 0; rc == 0 && l < sc->q->nlangs; l++) {
        const char *e, *s;
        size_t el, sl;
        nx_analyzer_use(sc->an, &sc->q->langs[l], 1);
        char *p = NULL;
        if (nx_analyzer_forms(sc->an, word->raw, word->raw_len, &e, &el, &s, &sl) != 0 ||
            !(p = realloc(out, n + sl + 1))) {
            rc = -1;
            break;
        }
        out = p;
        memcpy(out + n, s, sl);
        out[n + sl] = '\0';
        n += sl + 1;
    }
    nx_analyzer_use(sc->an, &sc->lang, 1);
    if (rc)
        free(out);
    else
        sc->xstem[i] = out;
    return rc;
}

static int on_word(void *ctx, const nx_word *word)
{
    scan *sc = ctx;
    if (sc->n == sc->cap) {
        size_t cap = sc->cap ? sc->cap * 2 : 256;
        wpos *w = realloc(sc->w, cap * sizeof *w);
        char **e = w ? realloc(sc->exact, cap * sizeof *e) : NULL;
        if (w)
            sc->w = w;
        if (e)
            sc->exact = e;
        char **s = e ? realloc(sc->stem, cap * sizeof *s) : NULL;
        if (s)
            sc->stem = s;
        int want_x = sc->q->nlangs > (sc->li >= 0 ? 1u : 0u);
        char **x = s && want_x ? realloc(sc->xstem, cap * sizeof *x) : NULL;
        if (x)
            sc->xstem = x;
        if (!w || !e || !s || (!x && want_x)) {
            sc->oom = 1;
            return 1;
        }
        sc->cap = cap;
    }
    const char *e, *s;
    size_t el, sl;
    if (nx_analyzer_forms(sc->an, word->raw, word->raw_len, &e, &el, &s, &sl) != 0) {
        sc->oom = 1;
        return 1;
    }
    size_t i = sc->n;
    sc->exact[i] = strndup(e, el);
    sc->stem[i] = strndup(s, sl);
    if (!sc->exact[i] || !sc->stem[i]) {
        free(sc->exact[i]);
        free(sc->stem[i]);
        sc->oom = 1;
        return 1;
    }
    if (sc->xstem && xstem_of(sc, word, i) != 0) {
        free(sc->exact[i]);
        free(sc->stem[i]);
        sc->oom = 1;
        return 1;
    }
    sc->w[i] = (wpos){word->start, word->end, 0, 0, (unsigned)starts_sentence(sc->text, word->start)};
    sc->n++;
    return 0;
}

/* Marks every match of every item. */
static void mark_matches(scan *sc)
{
    for (size_t it = 0; it < sc->q->nitems; it++) {
        const nx_hl_item *item = &sc->q->items[it];
        for (size_t i = 0; i + item->nwords <= sc->n; i++) {
            size_t k = 0;
            while (k < item->nwords &&
                   word_matches(sc, &item->words[k], i + k))
                k++;
            if (k < item->nwords)
                continue;
            for (k = 0; k < item->nwords; k++)
                sc->w[i + k].items |= (uint64_t)1 << it;
            uint32_t end = (uint32_t)(i + item->nwords);
            if (sc->w[i].hl_end < end)
                sc->w[i].hl_end = end;
        }
    }
}

static unsigned popcount64(uint64_t x)
{
    unsigned c = 0;
    for (; x; x &= x - 1)
        c++;
    return c;
}

/* Score of words [a, b): distinct items not yet shown (phrases double),
 * then hits. */
static long window_score(const scan *sc, size_t a, size_t b, uint64_t shown, uint64_t phrases)
{
    uint64_t seen = 0;
    long hits = 0;
    for (size_t i = a; i < b; i++) {
        seen |= sc->w[i].items;
        hits += sc->w[i].hl_end > 0;
    }
    uint64_t fresh = seen & ~shown;
    return 1000L * (popcount64(fresh) + popcount64(fresh & phrases)) + 10L * popcount64(seen) +
           hits;
}

typedef struct frag {
    size_t a, b; /* words [a, b) */
} frag;

/* Where a window showing the hit at h should start: a sentence start up to
 * 12 words back, else a few words of lead-in. */
static size_t window_start(const scan *sc, size_t h, size_t width)
{
    /* A sentence start up to 12 words back, as long as the hit stays in
     * the window; else a little lead-in. */
    for (size_t back = 0; back <= 12 && back <= h && back < width; back++)
        if (sc->w[h - back].sentence)
            return h - back;
    size_t lead = width > 1 && width - 1 < 4 ? width - 1 : width > 1 ? 4 : 0;
    return h >= lead ? h - lead : 0;
}

static int overlaps(const frag *f, size_t nf, size_t a, size_t b)
{
    for (size_t i = 0; i < nf; i++)
        if (a < f[i].b && f[i].a < b)
            return 1;
    return 0;
}

static size_t pick(const scan *sc, size_t max_frags, size_t width, frag *out)
{
    uint64_t phrases = 0, shown = 0;
    for (size_t it = 0; it < sc->q->nitems; it++)
        if (sc->q->items[it].nwords > 1)
            phrases |= (uint64_t)1 << it;
    size_t nf = 0;
    while (nf < max_frags) {
        long best = -1;
        frag bf = {0, 0};
        for (size_t h = 0; h < sc->n; h++) {
            if (!sc->w[h].hl_end || (sc->w[h].items & ~shown) == 0)
                continue;
            size_t a = window_start(sc, h, width);
            size_t b = a + width < sc->n ? a + width : sc->n;
            if (b < sc->w[h].hl_end) /* keep a whole phrase in view */
                b = sc->w[h].hl_end;
            if (overlaps(out, nf, a, b))
                continue;
            long s = window_score(sc, a, b, shown, phrases);
            if (s > best) {
                best = s;
                bf = (frag){a, b};
            }
        }
        if (best < 1000) /* nothing new to show */
            break;
        for (size_t i = bf.a; i < bf.b; i++)
            shown |= sc->w[i].items;
        out[nf++] = bf;
    }
    if (nf == 0 && sc->n) {
        out[0] = (frag){0, width < sc->n ? width : sc->n};
        nf = 1;
    }
    /* Text order. */
    for (size_t i = 1; i < nf; i++)
        for (size_t k = i; k > 0 && out[k].a < out[k - 1].a; k--) {
            frag t = out[k];
            out[k] = out[k - 1];
            out[k - 1] = t;
        }
    return nf;
}

typedef struct outbuf {
    char *s;
    size_t n, cap;
    nx_span_t *spans;
    size_t nspans, capspans;
    int oom;
} outbuf;

static void put(outbuf *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->n + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->n + n + 1)
            cap *= 2;
        char *p = realloc(o->s, cap);
        if (!p) {
            o->oom = 1;
            return;
        }
        o->s = p;
        o->cap = cap;
    }
    memcpy(o->s + o->n, s, n);
    o->n += n;
    o->s[o->n] = '\0';
}

static void add_span(outbuf *o, size_t a, size_t b)
{
    if (o->oom)
        return;
    if (o->nspans == o->capspans) {
        size_t cap = o->capspans ? o->capspans * 2 : 8;
        nx_span_t *p = realloc(o->spans, cap * sizeof *p);
        if (!p) {
            o->oom = 1;
            return;
        }
        o->spans = p;
        o->capspans = cap;
    }
    o->spans[o->nspans++] = (nx_span_t){a, b};
}

/* Copies text[a, b) with white space runs folded to one space, so that
 * line and paragraph breaks do not leak into one-line output. */
static void put_folded(outbuf *o, const char *text, size_t a, size_t b)
{
    int space = 0;
    for (size_t i = a; i < b; i++) {
        char c = text[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
            space = 1;
            continue;
        }
        if (space && o->n && o->s[o->n - 1] != ' ')
            put(o, " ", 1);
        space = 0;
        put(o, &c, 1);
    }
    if (space)
        put(o, " ", 1);
}

static const char ELLIPSIS[] = "\xE2\x80\xA6";

/* A fragment ends cleanly when its last word is followed by sentence-ending
 * punctuation (possibly behind a closing quote). */
static size_t clean_end(const char *text, size_t len, size_t end, int *sentence)
{
    *sentence = 0;
    size_t i = end;
    int seen_stop = 0;
    /* Closing quotes and brackets, one sentence-ending mark, closing
     * quotes again: whole code points only. */
    for (int steps = 0; i < len && steps < 6; steps++) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0)
            break;
        utf8proc_category_t cat = utf8proc_category(cp);
        int closing = cat == UTF8PROC_CATEGORY_PF || cat == UTF8PROC_CATEGORY_PE || cp == '"' ||
                      cp == '\'';
        int stop = cp == '.' || cp == '!' || cp == '?' || cp == 0x3002 || cp == 0xFF01 ||
                   cp == 0xFF1F || cp == 0x061F || cp == 0x2026;
        if (stop && !seen_stop) {
            seen_stop = 1;
        } else if (!closing) {
            break;
        }
        i += (size_t)k;
    }
    if (!seen_stop)
        return end;
    *sentence = 1;
    return i;
}

/* Moves a fragment's start back over opening quotes and brackets written
 * against its first word (“These, (Kyiv), so they are not cut in half. */
static size_t with_opening_punct(const char *text, size_t pos)
{
    while (pos > 0) {
        size_t prev = pos - 1;
        while (prev > 0 && ((unsigned char)text[prev] & 0xC0) == 0x80)
            prev--;
        utf8proc_int32_t cp;
        if (utf8proc_iterate((const utf8proc_uint8_t *)text + prev, (utf8proc_ssize_t)(pos - prev),
                             &cp) <= 0)
            break;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat != UTF8PROC_CATEGORY_PS && cat != UTF8PROC_CATEGORY_PI && cp != '"' && cp != '\'')
            break;
        pos = prev;
    }
    return pos;
}

static void emit(const scan *sc, const char *text, size_t len, const frag *f, size_t nf,
                 outbuf *o)
{
    for (size_t fi = 0; fi < nf; fi++) {
        size_t a = f[fi].a, b = f[fi].b;
        /* Fragments that touch are one. */
        while (fi + 1 < nf && f[fi + 1].a <= b) {
            if (f[fi + 1].b > b)
                b = f[fi + 1].b;
            fi++;
        }
        if (o->n)
            put(o, " ", 1);
        if (!sc->w[a].sentence)
            put(o, ELLIPSIS, 3);
        size_t pos = with_opening_punct(text, sc->w[a].start);
        for (size_t i = a; i < b; i++) {
            if (sc->w[i].hl_end) {
                /* One span for a match and any matches overlapping it
                 * (peace talks + talks resumed); a phrase is never cut. */
                size_t last = sc->w[i].hl_end - 1;
                for (size_t k = i + 1; k <= last && k < sc->n; k++)
                    if (sc->w[k].hl_end && sc->w[k].hl_end - 1 > last)
                        last = sc->w[k].hl_end - 1;
                if (last >= b)
                    b = last + 1;
                put_folded(o, text, pos, sc->w[i].start);
                size_t s0 = o->n;
                put_folded(o, text, sc->w[i].start, sc->w[last].end);
                add_span(o, s0, o->n);
                pos = sc->w[last].end;
                i = last;
            }
        }
        int sentence;
        size_t end = clean_end(text, len, sc->w[b - 1].end, &sentence);
        put_folded(o, text, pos, end);
        while (o->n && o->s[o->n - 1] == ' ')
            o->s[--o->n] = '\0';
        int at_end = b == sc->n;
        if (!sentence && !at_end)
            put(o, ELLIPSIS, 3);
    }
}

/* Sets the analyzer to the text's language and finds it among the query's. */
static void scan_init(scan *sc, nx_analyzer *an, const nx_hl_query *q, const nx_lang *lang,
                      const char *text)
{
    memset(sc, 0, sizeof *sc);
    sc->an = an;
    sc->q = q;
    sc->text = text;
    sc->lang = lang ? lang : nx_analyzer_default(an);
    sc->li = -1;
    for (size_t i = 0; i < q->nlangs; i++)
        if (q->langs[i] == sc->lang)
            sc->li = (long)i;
    nx_analyzer_use(an, &sc->lang, 1);
}

static void scan_free(scan *sc)
{
    for (size_t i = 0; i < sc->n; i++) {
        free(sc->exact[i]);
        free(sc->stem[i]);
        if (sc->xstem)
            free(sc->xstem[i]);
    }
    free(sc->exact);
    free(sc->stem);
    free(sc->xstem);
    free(sc->w);
}

int nx_snippet_make(nx_analyzer *an, const nx_hl_query *q, const nx_lang *lang, const char *text,
                    size_t len, size_t max_fragments, size_t fragment_words, nx_snippet *out)
{
    memset(out, 0, sizeof *out);
    if (max_fragments == 0)
        max_fragments = 1;
    if (fragment_words == 0)
        fragment_words = 30;
    scan sc;
    scan_init(&sc, an, q, lang, text);
    nx_segment(text, len < SCAN_LIMIT ? len : SCAN_LIMIT, on_word, &sc);
    int rc = 0;
    outbuf o = {0};
    if (!sc.oom) {
        mark_matches(&sc);
        frag *f = calloc(max_fragments, sizeof *f);
        if (f) {
            size_t nf = sc.n ? pick(&sc, max_fragments, fragment_words, f) : 0;
            emit(&sc, text, len, f, nf, &o);
            free(f);
        } else {
            sc.oom = 1;
        }
        if (!o.s && !o.oom)
            put(&o, "", 0);
    }
    scan_free(&sc);
    if (sc.oom || o.oom) {
        free(o.s);
        free(o.spans);
        rc = -1;
    } else {
        out->text = o.s;
        out->spans = o.spans;
        out->nspans = o.nspans;
    }
    return rc;
}

void nx_snippet_free(nx_snippet *s)
{
    if (!s)
        return;
    free(s->text);
    free(s->spans);
    s->text = NULL;
    s->spans = NULL;
    s->nspans = 0;
}

int nx_highlight_all(nx_analyzer *an, const nx_hl_query *q, const nx_lang *lang, const char *text,
                     size_t len, nx_span_t **spans, size_t *nspans)
{
    *spans = NULL;
    *nspans = 0;
    scan sc;
    scan_init(&sc, an, q, lang, text);
    nx_segment(text, len, on_word, &sc);
    outbuf o = {0};
    if (!sc.oom) {
        mark_matches(&sc);
        for (size_t i = 0; i < sc.n; i++) {
            if (!sc.w[i].hl_end)
                continue;
            size_t last = sc.w[i].hl_end - 1;
            add_span(&o, sc.w[i].start, sc.w[last].end);
            i = last;
        }
    }
    scan_free(&sc);
    if (sc.oom || o.oom) {
        free(o.spans);
        return -1;
    }
    *spans = o.spans;
    *nspans = o.nspans;
    return 0;
}
