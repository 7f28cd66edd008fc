/* segment.c - split UTF-8 text into words, remembering where each one was.
 *
 * A word is a run of letters, digits and combining marks of any script.
 * Inside a run a few joiners are kept so that news text gives the words a
 * reader sees: an apostrophe between letters (O'Brien, Macron’s - the
 * possessive 's is then cut off; an elided French or Italian article before
 * one, l’Élysée, d’Emmanuel, dell’Europa, is cut off too, so that the word
 * is found as written alone), dots in single-letter acronyms (U.S., e.g.)
 * and dots or commas between digits (3.5, 1,200). Hyphens split (Kyiv-based
 * gives kyiv, based). Runs of Han, kana and Hangul have no spaces between
 * words, so they become overlapping bigrams (the usual approach of CJK
 * search when no dictionary segmenter is at hand) plus the run's last
 * character alone, so that one character can still be found. The span
 * reported is that of the word as written, minus any possessive, which is
 * what highlighting should mark. */
#include "analyzer.h"

#include <string.h>
#include <utf8proc.h>

typedef struct cursor {
    const utf8proc_uint8_t *p;
    size_t len;
} cursor;

/* Decodes the code point at i; returns its byte length, or 0 when the bytes
 * there are not valid UTF-8 (the caller then skips one byte). */
static size_t decode(const cursor *c, size_t i, utf8proc_int32_t *cp)
{
    if (i >= c->len)
        return 0;
    if (c->p[i] < 0x80) {
        *cp = c->p[i];
        return 1;
    }
    utf8proc_ssize_t n = utf8proc_iterate(c->p + i, (utf8proc_ssize_t)(c->len - i), cp);
    return n > 0 ? (size_t)n : 0;
}

static int is_ideograph(utf8proc_int32_t cp)
{
    int block = (cp >= 0x3040 && cp <= 0x30FF) ||   /* hiragana, katakana */
                (cp >= 0xAC00 && cp <= 0xD7AF) ||   /* Hangul syllables */
                (cp >= 0x3400 && cp <= 0x4DBF) ||   /* CJK extension A */
                (cp >= 0x4E00 && cp <= 0x9FFF) ||   /* CJK unified */
                (cp >= 0xF900 && cp <= 0xFAFF) ||   /* compatibility ideographs */
                (cp >= 0x20000 && cp <= 0x3FFFF);   /* extensions B.. */
    if (!block)
        return 0;
    /* The kana blocks also hold punctuation (・ ゠): only letters count. */
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_LM;
}

static int is_word_char(utf8proc_int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return !is_ideograph(cp);
    default:
        return 0;
    }
}

static int is_apostrophe(utf8proc_int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

static int is_digit(utf8proc_int32_t cp)
{
    return cp < 0x80 ? (cp >= '0' && cp <= '9') : utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
}

/* Is raw[0..n) an elided article or pronoun (French, Italian), written
 * before an apostrophe? None is an English word that takes one (O'Brien,
 * I'm, don't keep theirs). */
static int elided(const char *raw, size_t n)
{
    static const char *const forms[] = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu",
                                        "lorsqu", "puisqu", "quoiqu", "un", "dell", "all",
                                        "nell", "dall", "sull", "quell", "quest", NULL};
    char low[8];
    if (n == 0 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = raw[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch < 'a' || ch > 'z')
            return 0;
        low[i] = ch;
    }
    low[n] = '\0';
    for (const char *const *f = forms; *f; f++)
        if (strcmp(low, *f) == 0)
            return 1;
    return 0;
}

typedef struct word_buf {
    char raw[NX_MAX_WORD_BYTES + 8];
    size_t n;
    int overflow;
} word_buf;

static void put(word_buf *b, const utf8proc_uint8_t *s, size_t n)
{
    if (b->n + n > NX_MAX_WORD_BYTES) {
        b->overflow = 1;
        return;
    }
    memcpy(b->raw + b->n, s, n);
    b->n += n;
}

static char mark_before(const char *text, size_t at)
{
    return at > 0 && (text[at - 1] == '=' || text[at - 1] == '^') ? text[at - 1] : 0;
}

/* A run of CJK characters from *i: overlapping bigrams, then the last
 * character alone; a lone character is one word. Advances *i past the run. */
static int cjk_run(const cursor *c, const char *text, size_t *i, nx_word_fn fn, void *ctx)
{
    size_t start = *i, prev = *i, n = 0;
    utf8proc_int32_t cp;
    size_t k;
    while ((k = decode(c, *i, &cp)) > 0 && is_ideograph(cp)) {
        if (n > 0) {
            nx_word w = {prev, *i + k, text + prev, *i + k - prev, 0, 1, 0};
            if (n == 1)
                w.mark = mark_before(text, start);
            int rc = fn(ctx, &w);
            if (rc)
                return rc;
        }
        prev = *i;
        *i += k;
        n++;
    }
    nx_word last = {prev, *i, text + prev, *i - prev, n == 1 ? mark_before(text, start) : 0, 1,
                    n > 1};
    return fn(ctx, &last);
}

int nx_segment(const char *text, size_t len, nx_word_fn fn, void *ctx)
{
    cursor c = {(const utf8proc_uint8_t *)text, len};
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        size_t n = decode(&c, i, &cp);
        if (n == 0) {
            i++;
            continue;
        }
        if (is_ideograph(cp)) {
            int rc = cjk_run(&c, text, &i, fn, ctx);
            if (rc)
                return rc;
            continue;
        }
        if (!is_word_char(cp)) {
            i += n;
            continue;
        }

        word_buf b = {.n = 0, .overflow = 0};
        size_t start = i, end = i;
        size_t apos_at = 0;       /* byte offset in raw of the last apostrophe's cut, +1 */
        size_t apos_src = 0;      /* where that apostrophe stood in the text */
        size_t first_at = 0;      /* the same for the first apostrophe */
        size_t first_after = 0;   /* where the text after the first apostrophe starts */
        size_t seg_chars = 0;     /* code points since the word start or the last dot */
        utf8proc_int32_t prev = 0;
        while (i < len) {
            n = decode(&c, i, &cp);
            if (n == 0)
                break;
            if (is_word_char(cp)) {
                put(&b, c.p + i, n);
                seg_chars++;
                prev = cp;
                i += n;
                end = i;
                continue;
            }
            /* A joiner only counts when a word character follows it. */
            utf8proc_int32_t next;
            size_t nn = decode(&c, i + n, &next);
            if (nn == 0 || !is_word_char(next))
                break;
            if (is_apostrophe(cp) && !is_digit(prev) && !is_digit(next)) {
                apos_at = b.n + 1;
                apos_src = i;
                if (!first_at) {
                    first_at = apos_at;
                    first_after = i + n;
                }
                i += n;
                continue;
            }
            if ((cp == '.' || cp == ',') && is_digit(prev) && is_digit(next)) {
                if (cp == '.')
                    put(&b, c.p + i, n);
                i += n;
                continue;
            }
            if (cp == '.' && seg_chars == 1 && !is_digit(prev)) {
                /* U.S: join while every part is one letter followed by a dot
                 * or the end of the word. */
                utf8proc_int32_t after;
                size_t na = decode(&c, i + n + nn, &after);
                if (na == 0 || !is_word_char(after)) {
                    seg_chars = 0;
                    i += n;
                    continue;
                }
            }
            break;
        }
        if (b.overflow)
            continue;
        if (first_at && elided(b.raw, first_at - 1)) {
            /* l’Élysée -> Élysée, from where it is written. */
            size_t cut = first_at - 1;
            memmove(b.raw, b.raw + cut, b.n - cut);
            b.n -= cut;
            start = first_after;
            apos_at = apos_at == first_at ? 0 : apos_at - cut;
        }
        if (apos_at) {
            size_t cut = apos_at - 1;
            if (b.n - cut == 1 && (b.raw[cut] == 's' || b.raw[cut] == 'S')) {
                b.n = cut;           /* possessive: Macron’s -> Macron */
                end = apos_src;
            }
        }
        if (b.n == 0)
            continue;
        nx_word w = {start, end, b.raw, b.n, mark_before(text, start), 0, 0};
        int rc = fn(ctx, &w);
        if (rc)
            return rc;
    }
    return 0;
}
