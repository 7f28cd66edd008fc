/* suggest.c - "did you mean": a close, common word of the index for each
 * query word that the index lacks or barely has (Baklanof -> Baklanov).
 *
 * Candidates are the index's written words with the same first letter and
 * a length within two letters, at a Damerau-Levenshtein distance of 1 (2 for
 * words of eight letters or more), counted in letters (code points), so
 * that Cyrillic or Greek words are measured as Latin ones are. The best
 * has the fewest edits, then the most articles; it must be in at least
 * SUGGEST_RATIO times as many as the word typed; a word in SUGGEST_MEANT
 * articles or more gets none. The store reads the words of the letter and
 * lengths from its spelling list (or, without one, the whole letter) but
 * counts the articles of the close ones only (on a 100 MB FTS5 index,
 * counting every word of a common letter took 20 ms). */
#include "internal.h"

#include "../analyze/analyzer.h"
#include "../query/query.h"
#include "../query/strbuf.h"
#include "search_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define SUGGEST_RATIO 10
/* A word in this many articles is taken as meant: no close word is looked
 * for. Most queries that find nothing are common words that never meet
 * in one article ("miami white pages"); the word alone is a seek, the
 * words of its letter a scan of a share of the index. */
#define SUGGEST_MEANT 50
#define MAX_WORD 64

/* The code points of word w (n bytes) into out (MAX_WORD of them at most);
 * how many, or -1 when there are more or the bytes are not UTF-8. */
static int code_points(const char *w, size_t n, int32_t *out)
{
    int k = 0;
    for (size_t i = 0; i < n; k++) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t used =
            utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(n - i), &cp);
        if (used <= 0 || k == MAX_WORD)
            return -1;
        out[k] = cp;
        i += (size_t)used;
    }
    return k;
}

/* Edit distance with transpositions, over code points, giving up past limit.
 * Only the band of cells within limit of the diagonal can stay within
 * limit; it is all that is computed (every word of a letter comes here). */
static int distance(const int32_t *a, size_t la, const int32_t *b, size_t lb, int limit)
{
    if (la > MAX_WORD || lb > MAX_WORD || la > lb + (size_t)limit || lb > la + (size_t)limit)
        return limit + 1;
    size_t k = (size_t)limit;
    int d[MAX_WORD + 1][MAX_WORD + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int row_min = limit + 1;
        size_t lo = i > k ? i - k : 1, hi = i + k < lb ? i + k : lb;
        if (lo > 1)
            d[i][lo - 1] = limit + 1;
        if (hi == i + k && i > 1)
            d[i - 1][hi] = limit + 1; /* outside the band of the row before */
        for (size_t j = lo; j <= hi; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > limit)
            return limit + 1;
    }
    return d[la][lb];
}

/* The letters a word uses, folded into 64 bits. */
static uint64_t letter_set(const int32_t *w, size_t n)
{
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++)
        m |= (uint64_t)1 << (w[i] & 63);
    return m;
}

typedef struct scan {
    const char *word; /* folded query word */
    size_t len;       /* in bytes */
    int32_t cp[MAX_WORD];
    size_t ncp;       /* letters */
    int limit;
    uint64_t set;     /* letter_set of word */
    int64_t own;      /* articles holding the word itself */
    char best[MAX_WORD * 4 + 1];
    int64_t best_n;
    int best_d;
} scan;

/* The edit distance from the query word to t (lt bytes), or limit + 1. */
static int distance_to(const scan *sc, const char *t, size_t lt, int prefilter)
{
    /* Two letters more or fewer are at most 8 bytes: most of a letter's
     * words are turned away before they are decoded. */
    if (lt >= sizeof sc->best || lt + 8 < sc->len || lt > sc->len + 8)
        return sc->limit + 1;
    int32_t cp[MAX_WORD];
    int k = code_points(t, lt, cp);
    if (k < 0 || (size_t)k + 2 < sc->ncp || (size_t)k > sc->ncp + 2)
        return sc->limit + 1;
    /* An edit changes the set of letters a word uses by two at most: a
     * cheap test that turns away most words before the edit distance. */
    if (prefilter && __builtin_popcountll(letter_set(cp, (size_t)k) ^ sc->set) > 2 * sc->limit)
        return sc->limit + 1;
    return distance(sc->cp, sc->ncp, cp, (size_t)k, sc->limit);
}

static void on_term(scan *sc, const char *t, size_t lt, int64_t n)
{
    if (lt == sc->len && memcmp(t, sc->word, lt) == 0) {
        sc->own = n;
        return;
    }
    int d = distance_to(sc, t, lt, 0);
    if (d > sc->limit)
        return;
    /* Fewer edits first, then more articles, then the first in byte order
     * (whatever order the store reports the words in). */
    if (!sc->best[0] || d < sc->best_d || (d == sc->best_d && n > sc->best_n) ||
        (d == sc->best_d && n == sc->best_n && strcmp(t, sc->best) < 0)) {
        memcpy(sc->best, t, lt + 1);
        sc->best_n = n;
        sc->best_d = d;
    }
}

/* Only the words that could be a suggestion (or the word itself) are
 * counted: counting is most of the cost of reading the vocabulary. */
static int want_term(void *ctx, const char *t, size_t lt)
{
    scan *sc = ctx;
    if (lt == sc->len && memcmp(t, sc->word, lt) == 0)
        return 1;
    return distance_to(sc, t, lt, 1) <= sc->limit;
}

static void on_count(void *ctx, const char *t, int64_t n)
{
    on_term(ctx, t, strlen(t), n);
}

static int want_itself(void *ctx, const char *t, size_t lt)
{
    const scan *sc = ctx;
    return lt == sc->len && memcmp(t, sc->word, lt) == 0;
}

typedef struct fix {
    nx_search_t *s;
    nx_index_t *ix;
    nx_analyzer *an;
    nx_sb out;        /* the query with replacements so far */
    const char *query;
    size_t pos;       /* how much of query was copied to out */
    int changed;
    nx_status_t st;
} fix;

/* Writes w with the case of the word it replaces (Baklanof -> Baklanov,
 * Бакланоф -> Бакланов), and a Greek word's last sigma final again (case
 * folding made it σ: Μητσοτακης, not Μητσοτακησ). */
static void put_like(nx_sb *b, const char *w, const char *model)
{
    utf8proc_int32_t m, c;
    utf8proc_ssize_t mn = utf8proc_iterate((const utf8proc_uint8_t *)model, -1, &m);
    utf8proc_ssize_t cn = utf8proc_iterate((const utf8proc_uint8_t *)w, -1, &c);
    if (mn > 0 && cn > 0 && utf8proc_category(m) == UTF8PROC_CATEGORY_LU &&
        utf8proc_toupper(c) != c) {
        utf8proc_uint8_t up[4];
        nx_sb_put(b, (const char *)up, (size_t)utf8proc_encode_char(utf8proc_toupper(c), up));
        w += cn;
    }
    size_t n = strlen(w);
    if (n >= 4 && memcmp(w + n - 2, "\xCF\x83", 2) == 0 && (unsigned char)w[n - 4] >= 0xCE) {
        nx_sb_put(b, w, n - 2);
        nx_sb_puts(b, "\xCF\x82");
    } else {
        nx_sb_puts(b, w);
    }
}

static int word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Where word (len bytes) stands in text: the first place where it is a
 * whole word, not inside a longer one ("Baklanof" in "xBaklanof Baklanof"),
 * else the first place at all (the parser split it from its neighbours);
 * NULL if nowhere. */
static const char *find_word(const char *text, const char *word, size_t len)
{
    const char *first = strstr(text, word);
    for (const char *at = first; at; at = strstr(at + 1, word))
        if ((at == text || !word_byte((unsigned char)at[-1])) && !word_byte((unsigned char)at[len]))
            return at;
    return first;
}

static int on_words(void *ctx, const char *const *words, const size_t *lens, const int *modes,
                    size_t n)
{
    fix *f = ctx;
    for (size_t k = 0; k < n && f->st == NX_OK; k++) {
        if (modes[k] == 2 /* prefix */)
            continue;
        const char *e, *stem;
        size_t el, sl;
        if (nx_analyzer_forms(f->an, words[k], lens[k], &e, &el, &stem, &sl) != 0) {
            f->st = nx_fail(f->ix, NX_ERR_NOMEM, "out of memory");
            return 1;
        }
        /* Words a spelling list holds (store.h): not numbers, not CJK. */
        if (el == 0 || el > MAX_WORD * 4 || !NX_SPELL_FIRST(e[0]))
            continue;
        char folded[MAX_WORD * 4 + 1];
        memcpy(folded, e, el);
        folded[el] = '\0';
        scan sc = {.word = folded, .len = el};
        int letters = code_points(e, el, sc.cp);
        if (letters <= 0)
            continue;
        sc.ncp = (size_t)letters;
        sc.limit = letters >= 8 ? 2 : 1;
        sc.set = letter_set(sc.cp, sc.ncp);
        /* Its first letter, and the byte lengths of words two letters
         * shorter or longer. */
        size_t fl = (unsigned char)folded[0] < 0x80 ? 1 : 2;
        char first[3] = {folded[0], fl == 2 ? folded[1] : '\0', '\0'};
        f->st = nx_store_vocabulary(f->ix, folded, want_itself, on_count, &sc);
        if (f->st != NX_OK)
            return 1;
        if (sc.own >= SUGGEST_MEANT)
            continue;
        /* The index's spelling list when it has one, else its words of the
         * letter. */
        int have = 0;
        size_t span = 2 * fl;
        f->st = nx_store_spelling(f->ix, first, el > span + 1 ? el - span : 1, el + span,
                                  want_term, on_count, &sc, &have);
        if (f->st == NX_OK && !have)
            f->st = nx_store_vocabulary(f->ix, first, want_term, on_count, &sc);
        if (f->st != NX_OK)
            return 1;
        /* A word the index lacks: any close word will do; a rare one: only a
         * close word far more common. */
        if (!sc.best[0] || (sc.own > 0 && sc.best_n < sc.own * SUGGEST_RATIO))
            continue;
        /* Replace the word where it stands in the query text. */
        const char *at = find_word(f->query + f->pos, words[k], lens[k]);
        if (!at)
            continue;
        nx_sb_put(&f->out, f->query + f->pos, (size_t)(at - (f->query + f->pos)));
        put_like(&f->out, sc.best, words[k]);
        f->pos = (size_t)(at - f->query) + lens[k];
        f->changed = 1;
    }
    return 0;
}

nx_status_t nx_search_suggest(nx_search_t *s, const char *query, char **out)
{
    if (out)
        *out = NULL;
    if (!s || !query || !out)
        return NX_ERR_INVALID_ARG;
    nx_index_t *ix = nx_search_index(s);
    const nx_qnode *text = nx_search_store_query(s).text;
    if (!text)
        return NX_OK;
    fix f = {s, ix, nx_analyzer_new(ix->lang), {0}, query, 0, 0, NX_OK};
    if (!f.an)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    nx_query_positive_words(text, on_words, &f);
    nx_analyzer_free(f.an);
    if (f.st == NX_OK && f.changed) {
        nx_sb_puts(&f.out, query + f.pos);
        *out = nx_sb_take(&f.out);
        if (!*out)
            f.st = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    } else {
        free(f.out.s);
    }
    return f.st;
}
