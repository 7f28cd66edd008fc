/* test_analyzer.c - unit tests for the analyzer (src/analyze/): the segmenter
 * (nx_segment), folding (nx_fold), the Snowball stemmers (nx_stemmer_*) and
 * the term scheme of nx_analyze in its four modes, the stems expansion an
 * index without stem terms uses, and the FTS5 tokenizer's handling of stem
 * terms. */
#include "analyze/analyzer.h"
#include "analyze/fts5_tokenizer.h"

#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- helpers ------------------------------------------------------------- */

/* For checks in hot loops: Check's ck_assert_* talk to the runner on every
 * call, which makes thousands of them slow under sanitizers. */
#define REQUIRE(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

static int valid_utf8_n(const char *s, size_t n)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

/* Appends printf-style text to a fixed buffer; fails the test on overflow. */
static void append(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t cap, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, cap - used, fmt, ap);
    va_end(ap);
    REQUIRE(n >= 0 && (size_t)n < cap - used, "test buffer too small");
}

/* Words as "raw@start:end" separated by spaces, "=" before an eq_prefix word. */
struct words {
    char out[4096];
    const char *text;
    size_t len;
    int count;
};

static int collect_word(void *ctx, const nx_word *w)
{
    struct words *c = ctx;
    REQUIRE(w->start < w->end && w->end <= c->len, "bad span [%zu,%zu) of %zu bytes", w->start,
            w->end, c->len);
    REQUIRE(w->raw_len > 0 && w->raw_len <= NX_MAX_WORD_BYTES, "raw_len %zu", w->raw_len);
    REQUIRE(valid_utf8_n(w->raw, w->raw_len), "raw form is not valid UTF-8");
    REQUIRE(valid_utf8_n(c->text + w->start, w->end - w->start),
            "span [%zu,%zu) does not cover whole characters", w->start, w->end);
    if (c->count++)
        append(c->out, sizeof c->out, " ");
    append(c->out, sizeof c->out, "%s%.*s@%zu:%zu", w->mark == '=' ? "=" : "", (int)w->raw_len,
           w->raw, w->start, w->end);
    return 0;
}

static void segment_n(struct words *c, const char *text, size_t len)
{
    memset(c, 0, sizeof *c);
    c->text = text;
    c->len = len;
    int rc = nx_segment(text, len, collect_word, c);
    REQUIRE(rc == 0, "nx_segment returned %d", rc);
}

/* Terms as "term@start:end", a '+' before a colocated one. Kinds are checked
 * on the fly: a STEM term always carries the mark, an EXACT one never. */
struct terms {
    char out[4096];
    const char *text;
    size_t len;
    int count;
    int stop_at; /* return 99 from the callback at this term (1-based); 0: never */
};

static int collect_term(void *ctx, int kind, const char *term, size_t len, size_t start,
                        size_t end, int colocated)
{
    struct terms *c = ctx;
    REQUIRE(kind == NX_TERM_EXACT || kind == NX_TERM_STEM, "bad kind %d", kind);
    REQUIRE(len > 0, "empty term");
    REQUIRE((kind == NX_TERM_STEM) == (term[0] == NX_STEM_MARK), "kind %d for term \"%.*s\"", kind,
            (int)len, term);
    REQUIRE(valid_utf8_n(term, len), "term is not valid UTF-8");
    REQUIRE(start < end && end <= c->len, "bad span [%zu,%zu) of %zu bytes", start, end, c->len);
    REQUIRE(c->count > 0 || !colocated, "first term cannot be colocated");
    if (c->count++)
        append(c->out, sizeof c->out, " ");
    append(c->out, sizeof c->out, "%s%.*s@%zu:%zu", colocated ? "+" : "", (int)len, term, start,
           end);
    return c->count == c->stop_at ? 99 : 0;
}

static void analyze_s(struct terms *c, const char *lang, nx_analyze_mode mode, const char *text)
{
    memset(c, 0, sizeof *c);
    c->text = text;
    c->len = strlen(text);
    nx_analyzer *an = nx_analyzer_new(lang);
    ck_assert_ptr_nonnull(an);
    ck_assert_int_eq(nx_analyze(an, text, c->len, mode, collect_term, c), 0);
    nx_analyzer_free(an);
}

static char *fold_s(const char *s, int strip)
{
    char *buf = NULL;
    size_t cap = 0;
    long n = nx_fold(s, strlen(s), strip, &buf, &cap);
    ck_assert_int_ge(n, 0);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(strlen(buf), (size_t)n);
    ck_assert_uint_le((size_t)n + 1, cap);
    return buf;
}

/* ---- segmentation -------------------------------------------------------- */

struct seg_case {
    const char *text;
    const char *want; /* "raw@start:end ..." */
};

static const struct seg_case seg_cases[] = {
    /* possessives: the span stops before the apostrophe */
    {"Macron\u2019s offer", "Macron@0:6 offer@11:16"},
    {"Macron's offer", "Macron@0:6 offer@9:14"},
    {"Haines' report", "Haines@0:6 report@8:14"},
    {"the minister\u2019S plan", "the@0:3 minister@4:12 plan@17:21"},
    {"it's over", "it@0:2 over@5:9"},
    /* apostrophes inside a name are dropped, the span keeps them */
    {"O'Brien said", "OBrien@0:7 said@8:12"},
    {"O\u2019Brien\u2019s aide", "OBrien@0:9 aide@14:18"},
    {"rock'n'roll", "rocknroll@0:11"},
    /* an elided French or Italian article is cut off, the span too (they
     * once made l\u2019\u00c9lys\u00e9e one word, lelysee, that a search for
     * \u00c9lys\u00e9e could not find) */
    {"l\u2019\u00c9lys\u00e9e", "\u00c9lys\u00e9e@4:12"},
    {"d'Emmanuel Macron", "Emmanuel@2:10 Macron@11:17"},
    {"dell'Europa", "Europa@5:11"},
    {"qu'il", "il@3:5"},
    {"L'Or\u00e9al's shares", "Or\u00e9al@2:8 shares@11:17"},
    {"aujourd'hui", "aujourdhui@0:11"},
    {"I'm", "Im@0:3"},
    {"'quoted' word", "quoted@1:7 word@9:13"},
    {"1990's", "1990@0:4 s@5:6"},
    /* acronyms with single-letter parts */
    {"U.S. envoy", "US@0:3 envoy@5:10"},
    {"the U.K.", "the@0:3 UK@4:7"},
    {"e.g. talks", "eg@0:3 talks@5:10"},
    {"x.com", "x@0:1 com@2:5"},
    {"end. Next", "end@0:3 Next@5:9"},
    {"St. Petersburg", "St@0:2 Petersburg@4:14"},
    /* hyphens and other punctuation split */
    {"Kyiv-based", "Kyiv@0:4 based@5:10"},
    {"cease-fire, now!", "cease@0:5 fire@6:10 now@12:15"},
    {"a_b", "a@0:1 b@2:3"},
    /* numbers */
    {"3.5%", "3.5@0:3"},
    {"1,200 troops", "1200@0:5 troops@6:12"},
    {"1,200,000", "1200000@0:9"},
    {"2024.", "2024@0:4"},
    {"3,", "3@0:1"},
    {"v2.0", "v2.0@0:4"},
    /* CJK: one word per ideograph or kana, even without spaces */
    /* CJK runs: overlapping bigrams, then the last character alone */
    {"\u4e4c\u514b\u5170", "\u4e4c\u514b@0:6 \u514b\u5170@3:9 \u5170@6:9"},
    {"Kiev\u4e4c", "Kiev@0:4 \u4e4c@4:7"},
    {"\u30c8\u30e9\u30f3\u30d7",
     "\u30c8\u30e9@0:6 \u30e9\u30f3@3:9 \u30f3\u30d7@6:12 \u30d7@9:12"},
    /* other scripts */
    {"\u041f\u0443\u0442\u0438\u043d \u0441\u043a\u0430\u0437\u0430\u043b",
     "\u041f\u0443\u0442\u0438\u043d@0:10 \u0441\u043a\u0430\u0437\u0430\u043b@11:23"},
    {"\u0642\u0627\u0644 \u0627\u0644\u0631\u0626\u064a\u0633",
     "\u0642\u0627\u0644@0:6 \u0627\u0644\u0631\u0626\u064a\u0633@7:19"},
    /* Arabic with harakat: the marks stay in the word */
    {"\u0645\u064f\u062d\u064e\u0645\u064e\u0651\u062f.",
     "\u0645\u064f\u062d\u064e\u0645\u064e\u0651\u062f@0:16"},
    {"\u0939\u093f\u0928\u094d\u0926\u0940 \u0938\u092e\u093e\u091a\u093e\u0930",
     "\u0939\u093f\u0928\u094d\u0926\u0940@0:18 \u0938\u092e\u093e\u091a\u093e\u0930@19:37"},
    {"\u00c9lys\u00e9e", "\u00c9lys\u00e9e@0:8"},
    {"E\u0301lyse\u0301e", "E\u0301lyse\u0301e@0:10"},
    {"\uff21\uff22\uff23", "\uff21\uff22\uff23@0:9"},
    /* nothing to find */
    {"", ""},
    {"   ,;:!? -- \u2014 \u00ab \u00bb \t\n", ""},
    {"'''", ""},
};

START_TEST(segment_table)
{
    const struct seg_case *k = &seg_cases[_i];
    struct words c;
    segment_n(&c, k->text, strlen(k->text));
    ck_assert_msg(strcmp(c.out, k->want) == 0, "segment(\"%s\"): got \"%s\", want \"%s\"", k->text,
                  c.out, k->want);
}
END_TEST

START_TEST(segment_eq_prefix)
{
    struct words c;
    const char *t = "=haines Haines = report a=b \"=x\" ==y =\u4e4c \u4e4c";
    segment_n(&c, t, strlen(t));
    ck_assert_str_eq(c.out, "=haines@1:7 Haines@8:14 report@17:23 a@24:25 =b@26:27 =x@30:31 "
                            "=y@35:36 =\u4e4c@38:41 \u4e4c@42:45");
}
END_TEST

START_TEST(segment_invalid_utf8_bytes_skipped)
{
    static const struct {
        const char *text;
        size_t len;
        const char *want;
    } cases[] = {
        {"hello\xffworld", 11, "hello@0:5 world@6:11"},
        {"\xff\xfe\xfd", 3, ""},
        {"caf\xe9 au lait", 12, "caf@0:3 au@5:7 lait@8:12"},
        {"abc\xc3", 4, "abc@0:3"},                     /* truncated at the end */
        {"abc\xe2\x82", 5, "abc@0:3"},
        {"\xc0\xafx", 3, "x@2:3"},                     /* overlong '/' */
        {"a\xed\xa0\x80z", 5, "a@0:1 z@4:5"},          /* UTF-16 surrogate */
        {"O'\xff" "Brien", 8, "O@0:1 Brien@3:8"},
        {"1,\xff" "2", 4, "1@0:1 2@3:4"},
        {"a\0b", 3, "a@0:1 b@2:3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct words c;
        segment_n(&c, cases[i].text, cases[i].len);
        ck_assert_msg(strcmp(c.out, cases[i].want) == 0, "case %zu: got \"%s\", want \"%s\"", i,
                      c.out, cases[i].want);
    }
}
END_TEST

/* Pseudo-random bytes: never a crash, every word within bounds and valid. */
START_TEST(segment_random_bytes)
{
    static const char alphabet[] = "aZ9 .,'-=\xe2\x80\x99\xc3\xa9\xe4\xb9\x8c\xff\x80\xc0\xed\xa0\xf0";
    uint32_t x = 2463534242u;
    char buf[512];
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(round % 200);
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            buf[i] = (round & 1) ? (char)(x & 0xff) : alphabet[x % (sizeof alphabet - 1)];
        }
        struct words c;
        segment_n(&c, buf, len); /* collect_word checks every word */
    }
}
END_TEST

/* The katakana block holds punctuation too: the middle dot between the parts
 * of a foreign name (ドナルド・トランプ) and the double hyphen are not words. */
START_TEST(segment_kana_punctuation_is_not_a_word)
{
    struct words c;
    const char *t = "\u30c9\u30ca\u30eb\u30c9\u30fb\u30c8\u30e9\u30f3\u30d7";
    segment_n(&c, t, strlen(t));
    ck_assert_str_eq(c.out, "\u30c9\u30ca@0:6 \u30ca\u30eb@3:9 \u30eb\u30c9@6:12 \u30c9@9:12 "
                            "\u30c8\u30e9@15:21 \u30e9\u30f3@18:24 \u30f3\u30d7@21:27 "
                            "\u30d7@24:27");
    t = "\u30a2\u30a0\u30a2";
    segment_n(&c, t, strlen(t));
    ck_assert_str_eq(c.out, "\u30a2@0:3 \u30a2@6:9");
}
END_TEST

static char *repeat(const char *unit, size_t n)
{
    size_t ul = strlen(unit);
    char *s = malloc(ul * n + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * ul, unit, ul);
    s[ul * n] = '\0';
    return s;
}

START_TEST(segment_long_words_skipped)
{
    char text[2048];
    struct words c;
    char *a256 = repeat("a", NX_MAX_WORD_BYTES);
    char *a257 = repeat("a", NX_MAX_WORD_BYTES + 1);
    char *e129 = repeat("\u00e9", NX_MAX_WORD_BYTES / 2 + 1); /* 258 bytes */
    char *e128 = repeat("\u00e9", NX_MAX_WORD_BYTES / 2);     /* 256 bytes */

    /* exactly the limit: kept */
    snprintf(text, sizeof text, "x %s y", a256);
    segment_n(&c, text, strlen(text));
    ck_assert_int_eq(c.count, 3);
    snprintf(text, sizeof text, "%s", e128);
    segment_n(&c, text, strlen(text));
    ck_assert_int_eq(c.count, 1);

    /* one byte more: the whole run is dropped, its neighbours stay */
    snprintf(text, sizeof text, "before %s after", a257);
    segment_n(&c, text, strlen(text));
    ck_assert_str_eq(c.out, "before@0:6 after@265:270");
    snprintf(text, sizeof text, "before %s after", e129);
    segment_n(&c, text, strlen(text));
    ck_assert_str_eq(c.out, "before@0:6 after@266:271");
    /* a long run at the very end */
    snprintf(text, sizeof text, "tail %s", a257);
    segment_n(&c, text, strlen(text));
    ck_assert_str_eq(c.out, "tail@0:4");
    free(a256);
    free(a257);
    free(e129);
    free(e128);

    char *digits = repeat("123,", 100);
    /* and one made of joined parts: 123,123,...,123 is 300 digits once joined */
    digits[strlen(digits) - 1] = '\0';
    snprintf(text, sizeof text, "n %s m", digits);
    segment_n(&c, text, strlen(text));
    ck_assert_str_eq(c.out, "n@0:1 m@402:403");
    free(digits);
}
END_TEST

/* Zero length means nothing is read, whatever the pointer shows. */
START_TEST(segment_zero_length)
{
    struct words c;
    segment_n(&c, "one two", 0);
    ck_assert_int_eq(c.count, 0);
    segment_n(&c, "one two", 3);
    ck_assert_str_eq(c.out, "one@0:3");
}
END_TEST

static int stop_second(void *ctx, const nx_word *w)
{
    (void)w;
    int *n = ctx;
    return ++*n == 2 ? 42 : 0;
}

START_TEST(segment_callback_can_stop)
{
    int n = 0;
    const char *t = "one two three \u4e4c\u514b";
    ck_assert_int_eq(nx_segment(t, strlen(t), stop_second, &n), 42);
    ck_assert_int_eq(n, 2);
    n = 1;
    ck_assert_int_eq(nx_segment("\u4e4c\u514b", 6, stop_second, &n), 42);
    ck_assert_int_eq(n, 2);
}
END_TEST

/* The input need not be NUL-terminated: a word running to the end of the
 * buffer must not be read past (ASan checks this). */
START_TEST(segment_not_nul_terminated)
{
    static const char *texts[] = {"abc", "U.S", "1,2", "O'B", "\u00e9\u00e9", "a.", "a'"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t n = strlen(texts[i]);
        char *p = malloc(n);
        ck_assert_ptr_nonnull(p);
        memcpy(p, texts[i], n);
        struct words c;
        segment_n(&c, p, n);
        ck_assert_int_ge(c.count, 1);
        free(p);
    }
}
END_TEST

/* ---- folding ------------------------------------------------------------- */

struct fold_case {
    const char *in;
    const char *want;
};

static const struct fold_case fold_cases[] = {
    {"Paris", "paris"},
    {"ZELENSKYY", "zelensky"}, /* a final yy is folded to y */
    {"3.5", "3.5"},
    {"", ""},
    {"\u00c9lys\u00e9e", "elysee"},             /* precomposed É, é */
    {"E\u0301lyse\u0301e", "elysee"},           /* decomposed */
    {"Z\u00fcrich", "zurich"},
    {"\u00c5ngstr\u00f6m", "angstrom"},
    {"Stra\u00dfe", "strasse"},
    {"STRASSE", "strasse"},
    {"Ni\u00f1o", "nino"},
    {"\u0141\u00f3d\u017a", "\u0142odz"},              /* Ł has no mark to drop */
    {"\u00c7a\u011fr\u0131", "cagr\u0131"},             /* dotless ı stays */
    {"\u0386\u0398\u0397\u039d\u0391", "\u03b1\u03b8\u03b7\u03bd\u03b1"}, /* ΆΘΗΝΑ -> αθηνα */
    {"\u0401\u043b\u043a\u0430", "\u0435\u043b\u043a\u0430"},             /* Ёлка -> елка */
    {"\u0451\u0436", "\u0435\u0436"},
    {"\u0439\u043e\u0434", "\u0439\u043e\u0434"},      /* й kept */
    {"\u0419\u041e\u0414", "\u0439\u043e\u0434"},      /* Й -> й */
    {"\u0438\u0306", "\u0439"},                       /* decomposed й composes */
    /* Arabic: harakat and tatweel go */
    {"\u0645\u064f\u062d\u064e\u0645\u064e\u0651\u062f", "\u0645\u062d\u0645\u062f"},
    {"\u0645\u0640\u0640\u0640\u062d\u0645\u062f", "\u0645\u062d\u0645\u062f"},
    {"\u0627\u0644\u0633\u0651\u064e\u0644\u064e\u0627\u0645\u064f",
     "\u0627\u0644\u0633\u0644\u0627\u0645"},
    /* Hebrew niqqud goes */
    {"\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd", "\u05e9\u05dc\u05d5\u05dd"},
    /* Devanagari and Tamil vowel signs are letters of the word: kept */
    {"\u0939\u093f\u0928\u094d\u0926\u0940", "\u0939\u093f\u0928\u094d\u0926\u0940"},
    {"\u0b87\u0ba8\u0bcd\u0ba4\u0bbf\u0baf\u0bbe", "\u0b87\u0ba8\u0bcd\u0ba4\u0bbf\u0baf\u0bbe"},
    /* NFKC */
    {"\ufb01nance", "finance"},
    {"\ufb02ight", "flight"},
    {"\uff21\uff22\uff23", "abc"},
    {"\uff11\uff12\uff13", "123"},
    {"\u2460", "1"},                                  /* circled digit one */
    {"x\u00b2", "x2"},
    {"\u4e4c", "\u4e4c"},
    {"\u30c8", "\u30c8"},
    {"\uff84", "\u30c8"},                             /* half-width katakana */
    {"\u1100\u1161\u11a8", "\uac01"},                 /* Hangul jamo compose */
};

START_TEST(fold_table)
{
    const struct fold_case *k = &fold_cases[_i];
    char *got = fold_s(k->in, 1);
    ck_assert_msg(strcmp(got, k->want) == 0, "fold(\"%s\"): got \"%s\", want \"%s\"", k->in, got,
                  k->want);
    /* folding is idempotent */
    char *again = fold_s(got, 1);
    ck_assert_str_eq(again, got);
    free(again);
    free(got);
}
END_TEST

/* Without strip: case folding and NFKC only, diacritics kept (composed). */
START_TEST(fold_without_strip_keeps_diacritics)
{
    static const struct fold_case cases[] = {
        {"\u00c9LYS\u00c9E", "\u00e9lys\u00e9e"},
        {"E\u0301lyse\u0301e", "\u00e9lys\u00e9e"},
        {"\u0401\u043b\u043a\u0430", "\u0451\u043b\u043a\u0430"},
        {"Stra\u00dfe", "strasse"},
        {"\ufb01", "fi"},
        {"\uff21", "a"},
        {"\u0645\u064e", "\u0645\u064e"},
        {"\u0645\u0640\u062d", "\u0645\u0640\u062d"},
        {"ABC", "abc"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = fold_s(cases[i].in, 0);
        ck_assert_msg(strcmp(got, cases[i].want) == 0, "fold(\"%s\", 0): got \"%s\", want \"%s\"",
                      cases[i].in, got, cases[i].want);
        free(got);
    }
}
END_TEST

START_TEST(fold_reuses_and_grows_buffer)
{
    char *buf = NULL;
    size_t cap = 0;
    ck_assert_int_eq(nx_fold("AB", 2, 1, &buf, &cap), 2);
    ck_assert_str_eq(buf, "ab");
    /* a long non-ASCII input that expands (ß -> ss, ﬁ -> fi) */
    char *big = repeat("\u00df\ufb01\u00c9", 200);
    long n = nx_fold(big, strlen(big), 1, &buf, &cap);
    ck_assert_int_eq(n, 200 * 5);
    ck_assert_uint_ge(cap, (size_t)n + 1);
    ck_assert_int_eq(strncmp(buf, "ssfiessfie", 10), 0);
    /* and back to a short one in the same buffer */
    ck_assert_int_eq(nx_fold("Xy", 2, 1, &buf, &cap), 2);
    ck_assert_str_eq(buf, "xy");
    /* only len bytes are read */
    ck_assert_int_eq(nx_fold("ABCDEF", 3, 1, &buf, &cap), 3);
    ck_assert_str_eq(buf, "abc");
    free(big);
    free(buf);
}
END_TEST

/* ---- stemming ------------------------------------------------------------ */

struct stem_case {
    const char *lang, *word, *stem; /* word already case-folded */
};

/* One known word per libstemmer language (stems as Snowball writes them,
 * before the analyzer folds them). */
static const struct stem_case stem_cases[] = {
    {"english", "negotiations", "negoti"},
    {"english", "running", "run"},
    {"porter", "negotiations", "negoti"},
    {"french", "n\u00e9gociations", "n\u00e9goci"},
    {"german", "verhandlungen", "verhandl"},
    {"russian", "\u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b",
     "\u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440"},
    {"arabic", "\u0627\u0644\u0645\u0641\u0627\u0648\u0636\u0627\u062a",
     "\u0645\u0641\u0627\u0648\u0636"},
    {"spanish", "negociaciones", "negoci"},
    {"italian", "negoziati", "negoz"},
    {"portuguese", "negocia\u00e7\u00f5es", "negoc"},
    {"dutch", "onderhandelingen", "onderhandel"},
    {"danish", "forhandlingerne", "forhandling"},
    {"swedish", "f\u00f6rhandlingarna", "f\u00f6rhandling"},
    {"norwegian", "forhandlingene", "forhandling"},
    {"finnish", "neuvottelut", "neuvottelu"},
    {"hungarian", "t\u00e1rgyal\u00e1sok", "t\u00e1rgyal\u00e1s"},
    {"romanian", "negocierile", "negocier"},
    {"turkish", "m\u00fczakereler", "m\u00fczakere"},
    {"greek", "\u03b4\u03b9\u03b1\u03c0\u03c1\u03b1\u03b3\u03bc\u03b1\u03c4\u03b5\u03cd\u03c3\u03b5\u03b9\u03c2",
     "\u03b4\u03b9\u03b1\u03c0\u03c1\u03b1\u03b3\u03bc\u03b1\u03c4\u03b5\u03c5\u03c3"},
    {"irish", "idirbheart\u00edocht", "idirbheart"},
    {"basque", "negoziazioak", "negozia"},
    {"catalan", "negociacions", "negoc"},
    {"lithuanian", "derybos", "deryb"},
    {"indonesian", "perundingan", "unding"},
    {"nepali", "\u0935\u093e\u0930\u094d\u0924\u093e\u0939\u0930\u0942",
     "\u0935\u093e\u0930\u094d\u0924\u093e"},
    {"hindi", "\u092c\u093e\u0924\u091a\u0940\u0924\u094b\u0902",
     "\u092c\u093e\u0924\u091a\u0940\u0924"},
    {"tamil",
     "\u0baa\u0bc7\u0b9a\u0bcd\u0b9a\u0bc1\u0bb5\u0bbe\u0bb0\u0bcd\u0ba4\u0bcd\u0ba4\u0bc8\u0b95\u0bb3\u0bcd",
     "\u0baa\u0bc7\u0b9a\u0bcd\u0b9a\u0bc1\u0bb5\u0bbe\u0bb0\u0bcd\u0ba4\u0bcd\u0ba4\u0bc8"},
    {"armenian",
     "\u0562\u0561\u0576\u0561\u056f\u0581\u0578\u0582\u0569\u0575\u0578\u0582\u0576\u0576\u0565\u0580\u0568",
     "\u0562\u0561\u0576\u0561\u056f\u0581"},
    {"serbian", "\u043f\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u0438", "pregovor"},
    {"serbian", "pregovora", "pregovor"},
    {"yiddish",
     "\u05e4\u05bf\u05d0\u05b7\u05e8\u05d4\u05d0\u05b7\u05e0\u05d3\u05dc\u05d5\u05e0\u05d2\u05e2\u05df",
     "\u05e4\u05d0\u05e8\u05d4\u05d0\u05e0\u05d3\u05dc"},
};

START_TEST(stem_table)
{
    const struct stem_case *k = &stem_cases[_i];
    nx_stemmer *st = nx_stemmer_new(k->lang);
    ck_assert_msg(st != NULL, "no stemmer for %s", k->lang);
    size_t n = 0;
    const char *s = nx_stemmer_stem(st, k->word, strlen(k->word), &n);
    ck_assert_ptr_nonnull(s);
    ck_assert_msg(n == strlen(k->stem) && memcmp(s, k->stem, n) == 0,
                  "%s stem(\"%s\"): got \"%.*s\", want \"%s\"", k->lang, k->word, (int)n, s,
                  k->stem);
    nx_stemmer_free(st);
}
END_TEST

/* Where the exact stem matters less than the property: inflected and base
 * forms meet at one stem. */
START_TEST(stem_inflections_meet)
{
    static const struct {
        const char *lang, *a, *b;
    } cases[] = {
        {"russian", "\u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b",
         "\u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u043e\u0432"},
        {"en", "negotiate", "negotiations"},
        {"fr", "n\u00e9gociation", "n\u00e9gociations"},
        {"de", "verhandlung", "verhandlungen"},
        {"es", "negociaci\u00f3n", "negociaciones"},
        {"it", "negoziato", "negoziati"},
        {"pt", "negocia\u00e7\u00e3o", "negocia\u00e7\u00f5es"},
        {"nl", "onderhandeling", "onderhandelingen"},
        {"sv", "f\u00f6rhandlingar", "f\u00f6rhandlingarna"},
        {"fi", "neuvottelut", "neuvotteluissa"},
        {"tr", "m\u00fczakereler", "m\u00fczakerelerde"},
        {"el",
         "\u03b4\u03b9\u03b1\u03c0\u03c1\u03b1\u03b3\u03bc\u03b1\u03c4\u03b5\u03cd\u03c3\u03b5\u03b9\u03c2",
         "\u03b4\u03b9\u03b1\u03c0\u03c1\u03b1\u03b3\u03bc\u03b1\u03c4\u03b5\u03cd\u03c3\u03b5\u03c9\u03bd"},
        {"lt", "derybos", "deryb\u0173"},
        {"id", "perundingan", "berunding"},
        {"hi", "\u092c\u093e\u0924\u091a\u0940\u0924\u094b\u0902", "\u092c\u093e\u0924\u091a\u0940\u0924"},
        {"sr", "\u043f\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u0438", "pregovora"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nx_stemmer *st = nx_stemmer_new(cases[i].lang);
        ck_assert_msg(st != NULL, "no stemmer for %s", cases[i].lang);
        size_t na, nb;
        const char *sa = nx_stemmer_stem(st, cases[i].a, strlen(cases[i].a), &na);
        char *ca = strndup(sa, na); /* the result is valid until the next call */
        const char *sb = nx_stemmer_stem(st, cases[i].b, strlen(cases[i].b), &nb);
        ck_assert_msg(na == nb && memcmp(ca, sb, na) == 0,
                      "%s: \"%s\" -> \"%s\" but \"%s\" -> \"%.*s\"", cases[i].lang, cases[i].a,
                      ca, cases[i].b, (int)nb, sb);
        free(ca);
        nx_stemmer_free(st);
    }
}
END_TEST

START_TEST(stemmer_canonical_names)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"en", "english"},     {"english", "english"}, {"fr", "french"},    {"french", "french"},
        {"de", "german"},      {"ru", "russian"},      {"ar", "arabic"},    {"nb", "norwegian"},
        {"no", "norwegian"},   {"el", "greek"},        {"hy", "armenian"},  {"yi", "yiddish"},
        {"porter", "english"},  {"klingon", NULL},      {"tlh", NULL},       {"", NULL},
        {"e", NULL},           {"englishx", NULL},     {"zz", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = nx_stemmer_canonical(cases[i].in);
        if (!cases[i].want)
            ck_assert_msg(got == NULL, "canonical(\"%s\") = \"%s\", want NULL", cases[i].in, got);
        else
            ck_assert_msg(got && strcmp(got, cases[i].want) == 0,
                          "canonical(\"%s\") = \"%s\", want \"%s\"", cases[i].in,
                          got ? got : "(null)", cases[i].want);
    }
    ck_assert_ptr_null(nx_stemmer_canonical(NULL));
    ck_assert_ptr_null(nx_stemmer_new("klingon"));
    ck_assert_ptr_null(nx_stemmer_new(NULL));
    ck_assert_ptr_null(nx_analyzer_new("klingon"));
    nx_stemmer_free(NULL);
    nx_analyzer_free(NULL);
}
END_TEST

/* Every language by ISO code and by name gives a working stemmer. */
START_TEST(stemmer_all_languages)
{
    static const char *const codes[] = {"ar", "hy", "eu", "ca", "da", "nl", "en", "fi", "fr", "de",
                                        "el", "hi", "hu", "id", "ga", "it", "lt", "ne", "no", "pt",
                                        "ro", "ru", "sr", "es", "sv", "ta", "tr", "yi", "nb"};
    ck_assert_uint_eq(sizeof codes / sizeof codes[0], 29);
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *name = nx_stemmer_canonical(codes[i]);
        ck_assert_msg(name != NULL, "no name for %s", codes[i]);
        ck_assert_str_eq(nx_stemmer_canonical(name), name);
        nx_stemmer *st = nx_stemmer_new(codes[i]);
        ck_assert_msg(st != NULL, "no stemmer for %s", codes[i]);
        size_t n;
        const char *s = nx_stemmer_stem(st, "x", 1, &n);
        ck_assert_ptr_nonnull(s);
        nx_stemmer_free(st);
        nx_analyzer *an = nx_analyzer_new(name);
        ck_assert_ptr_nonnull(an);
        ck_assert_str_eq(nx_analyzer_language(an), name);
        nx_analyzer_free(an);
    }
    nx_analyzer *an = nx_analyzer_new("en");
    ck_assert_str_eq(nx_analyzer_language(an), "english");
    nx_analyzer_free(an);
}
END_TEST

/* ---- nx_analyze ---------------------------------------------------------- */

struct an_case {
    const char *lang;
    nx_analyze_mode mode;
    const char *text;
    const char *want; /* "term@start:end", '+' marks a colocated term */
};

#define DOC NX_ANALYZE_DOCUMENT
#define QRY NX_ANALYZE_QUERY
#define EXA NX_ANALYZE_EXACT
#define PRE NX_ANALYZE_PREFIX

static const struct an_case an_cases[] = {
    /* documents: exact, then the colocated marked stem when it differs */
    {"en", DOC, "Paris negotiations", "paris@0:5 +~enpari@0:5 negotiations@6:18 +~ennegoti@6:18"},
    {"en", DOC, "talk", "talk@0:4"},
    {"en", DOC, "TALK talks", "talk@0:4 talks@5:10 +~entalk@5:10"},
    {"en", DOC, "Macron\u2019s U.S. visit", "macron@0:6 us@11:14 visit@16:21"},
    {"en", DOC, "O'Brien", "obrien@0:7"},
    {"en", DOC, "1,200 troops", "1200@0:5 troops@6:12 +~entroop@6:12"},
    {"en", DOC, "=talks", "talks@1:6 +~entalk@1:6"}, /* '=' means nothing in documents */
    {"en", DOC, "Kyiv-based", "kyiv@0:4 based@5:10 +~enbase@5:10"},
    {"en", DOC, "\u4e4c\u514b\u5170", "\u4e4c\u514b@0:6 \u514b\u5170@3:9 \u5170@6:9"},
    {"en", DOC, "", ""},
    {"en", DOC, "  --  ", ""},
    {"en", DOC, "\u0640", ""}, /* a lone tatweel folds to nothing */
    {"fr", DOC, "\u00c9lys\u00e9e n\u00e9gociations",
     "elysee@0:8 +~frelys@0:8 negociations@9:22 +~frnegoci@9:22"},
    {"fr", DOC, "N\u00c9GOCIATIONS", "negociations@0:13 +~frnegoci@0:13"},
    {"de", DOC, "Stra\u00dfe Verhandlungen", "strasse@0:7 +~destrass@0:7 verhandlungen@8:21 +~deverhandl@8:21"},
    {"ru", DOC, "\u041f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b",
     "\u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b@0:20 "
     "+~ru\u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440@0:20"},
    {"ru", DOC, "\u0401\u043b\u043a\u0430", "\u0435\u043b\u043a\u0430@0:8 +~ru\u0435\u043b\u043a@0:8"},
    {"ar", DOC, "\u0627\u0644\u0645\u064f\u0641\u0627\u0648\u0636\u0627\u062a",
     "\u0627\u0644\u0645\u0641\u0627\u0648\u0636\u0627\u062a@0:20 +~ar\u0645\u0641\u0627\u0648\u0636@0:20"},
    /* the Greek stemmer stems ουσα to nothing: the word stays as written
     * (found by fuzzing, tests/fuzz/regressions/analyzer/greek-empty-stem) */
    {"el", DOC, "\u03bf\u03c5\u03c3\u03b1", "\u03bf\u03c5\u03c3\u03b1@0:8"},
    {"el", QRY, "\u03bf\u03c5\u03c3\u03b1", "\u03bf\u03c5\u03c3\u03b1@0:8"},
    /* queries: the plain stem, the colocated marked stem, then the word as written */
    {"en", QRY, "Paris negotiations",
     "pari@0:5 +~enpari@0:5 +paris@0:5 negoti@6:18 +~ennegoti@6:18 +negotiations@6:18"},
    {"en", QRY, "talk", "talk@0:4 +~entalk@0:4"},
    {"en", QRY, "talks", "talk@0:5 +~entalk@0:5 +talks@0:5"},
    {"en", QRY, "=talks peace", "talks@1:6 peac@7:12 +~enpeac@7:12 +peace@7:12"},
    {"en", QRY, "=Negotiations", "negotiations@1:13"},
    {"en", QRY, "\u4e4c", "\u4e4c@0:3"}, /* CJK is matched as written */
    {"fr", QRY, "N\u00e9gociations", "negoci@0:13 +~frnegoci@0:13 +negociations@0:13"},
    {"fr", QRY, "=\u00c9lys\u00e9e", "elysee@1:9"},
    /* exact and prefix queries: the exact form only, '=' or not */
    {"en", EXA, "Paris negotiations", "paris@0:5 negotiations@6:18"},
    {"en", EXA, "=talks", "talks@1:6"},
    {"fr", EXA, "\u00c9lys\u00e9e", "elysee@0:8"},
    {"en", PRE, "negot", "negot@0:5"},
    {"en", PRE, "Negotiations", "negotiations@0:12"},
    {"fr", PRE, "\u00c9lys", "elys@0:5"},
};

START_TEST(analyze_table)
{
    const struct an_case *k = &an_cases[_i];
    struct terms c;
    analyze_s(&c, k->lang, k->mode, k->text);
    ck_assert_msg(strcmp(c.out, k->want) == 0, "analyze(%s, mode %d, \"%s\"):\n got \"%s\"\nwant \"%s\"",
                  k->lang, (int)k->mode, k->text, c.out, k->want);
}
END_TEST

/* text[start..end) of every term is the word as written. */
START_TEST(analyze_offsets_index_original_text)
{
    const char *text = "\u00c9lys\u00e9e: O'Brien\u2019s U.S. aide, 1,200 Kyiv-based "
                       "\u4e4c \u041f\u0443\u0442\u0438\u043d\xff(3.5%) =talks";
    static const char *const written[] = {"\u00c9lys\u00e9e", "O'Brien", "U.S",   "aide",
                                          "1,200",            "Kyiv",    "based", "\u4e4c",
                                          "\u041f\u0443\u0442\u0438\u043d", "3.5", "talks"};
    const size_t nw = sizeof written / sizeof written[0];
    for (int mode = DOC; mode <= PRE; mode++) {
        struct terms c;
        memset(&c, 0, sizeof c);
        c.text = text;
        c.len = strlen(text);
        nx_analyzer *an = nx_analyzer_new("english");
        ck_assert_ptr_nonnull(an);
        ck_assert_int_eq(nx_analyze(an, text, c.len, (nx_analyze_mode)mode, collect_term, &c), 0);
        nx_analyzer_free(an);
        /* Walk the terms: each non-colocated one starts the next word. */
        size_t w = 0;
        const char *p = c.out;
        while (*p) {
            int colocated = *p == '+';
            const char *sp = strchr(p, ' ');
            /* the last '@' before the next space */
            const char *at = NULL;
            for (const char *q = p; *q && q != sp; q++)
                if (*q == '@')
                    at = q;
            ck_assert_ptr_nonnull(at);
            size_t s, e;
            ck_assert_int_eq(sscanf(at + 1, "%zu:%zu", &s, &e), 2);
            if (!colocated)
                w++;
            ck_assert_msg(w >= 1 && w <= nw, "mode %d: too many words: %s", mode, c.out);
            const char *want = written[w - 1];
            ck_assert_msg(e - s == strlen(want) && memcmp(text + s, want, e - s) == 0,
                          "mode %d word %zu: text[%zu..%zu) = \"%.*s\", want \"%s\"", mode, w, s, e,
                          (int)(e - s), text + s, want);
            p = sp ? sp + 1 : p + strlen(p);
        }
        ck_assert_uint_eq(w, nw);
    }
}
END_TEST

START_TEST(analyze_callback_can_stop)
{
    struct terms c;
    memset(&c, 0, sizeof c);
    const char *t = "Paris negotiations resumed";
    c.text = t;
    c.len = strlen(t);
    c.stop_at = 2; /* stop on the colocated stem of the first word */
    nx_analyzer *an = nx_analyzer_new("en");
    ck_assert_int_eq(nx_analyze(an, t, c.len, DOC, collect_term, &c), 99);
    ck_assert_str_eq(c.out, "paris@0:5 +~enpari@0:5");
    memset(&c, 0, sizeof c);
    c.text = t;
    c.len = strlen(t);
    c.stop_at = 1;
    ck_assert_int_eq(nx_analyze(an, t, c.len, QRY, collect_term, &c), 99);
    ck_assert_str_eq(c.out, "pari@0:5");
    nx_analyzer_free(an);
}
END_TEST

/* An analyzer is reused across texts; long words must not leave stale state. */
START_TEST(analyze_reuse)
{
    nx_analyzer *an = nx_analyzer_new("en");
    ck_assert_ptr_nonnull(an);
    char *longw = repeat("\u00e9", NX_MAX_WORD_BYTES / 2); /* the longest word kept */
    for (int round = 0; round < 3; round++) {
        struct terms c;
        memset(&c, 0, sizeof c);
        c.text = longw;
        c.len = strlen(longw);
        ck_assert_int_eq(nx_analyze(an, longw, c.len, DOC, collect_term, &c), 0);
        ck_assert_int_ge(c.count, 1);
        memset(&c, 0, sizeof c);
        c.text = "talks";
        c.len = 5;
        ck_assert_int_eq(nx_analyze(an, "talks", 5, DOC, collect_term, &c), 0);
        ck_assert_str_eq(c.out, "talks@0:5 +~entalk@0:5");
    }
    free(longw);
    nx_analyzer_free(an);
}
END_TEST

START_TEST(analyzer_forms)
{
    static const struct {
        const char *lang, *raw, *exact, *stem;
    } cases[] = {
        {"en", "Negotiations", "negotiations", "negoti"},
        {"en", "talk", "talk", "talk"},
        {"en", "US", "us", "us"},
        {"fr", "\u00c9lys\u00e9e", "elysee", "elys"},
        {"fr", "n\u00e9gociations", "negociations", "negoci"},
        {"ru", "\u041f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u043e\u0432",
         "\u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u043e\u0432",
         "\u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440"},
        {"ru", "\u0439\u043e\u0434", "\u0439\u043e\u0434", "\u0439\u043e\u0434"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nx_analyzer *an = nx_analyzer_new(cases[i].lang);
        ck_assert_ptr_nonnull(an);
        const char *e, *s;
        size_t el, sl;
        ck_assert_int_eq(nx_analyzer_forms(an, cases[i].raw, strlen(cases[i].raw), &e, &el, &s, &sl),
                         0);
        ck_assert_msg(el == strlen(cases[i].exact) && memcmp(e, cases[i].exact, el) == 0,
                      "%s exact(\"%s\") = \"%.*s\", want \"%s\"", cases[i].lang, cases[i].raw,
                      (int)el, e, cases[i].exact);
        ck_assert_msg(sl == strlen(cases[i].stem) && memcmp(s, cases[i].stem, sl) == 0,
                      "%s stem(\"%s\") = \"%.*s\", want \"%s\"", cases[i].lang, cases[i].raw,
                      (int)sl, s, cases[i].stem);
        nx_analyzer_free(an);
    }
}
END_TEST

/* A query finds what a document indexed: for every word, one of the query's
 * two alternatives is among the document's terms. */
START_TEST(query_terms_match_document_terms)
{
    const char *text = "Negotiations talks TALK Paris \u00c9lys\u00e9e Stra\u00dfe running ran "
                       "\u041f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b \u4e4c 1,200";
    static const char *const langs[] = {"en", "fr", "de", "ru"};
    for (size_t li = 0; li < sizeof langs / sizeof langs[0]; li++) {
        struct terms d, q;
        analyze_s(&d, langs[li], DOC, text);
        analyze_s(&q, langs[li], QRY, text);
        /* collect the document's terms as " t1 t2 ... " without offsets */
        char dterms[4096] = " ";
        for (const char *p = d.out; *p;) {
            if (*p == '+')
                p++;
            const char *at = strchr(p, '@');
            append(dterms, sizeof dterms, "%.*s ", (int)(at - p), p);
            const char *sp = strchr(p, ' ');
            p = sp ? sp + 1 : p + strlen(p);
        }
        /* Each query word gives a group of alternatives (the first term and
         * the colocated ones after it); one of them must be indexed. */
        const char *p = q.out;
        while (*p) {
            int found = 0;
            char group[1024] = "";
            do {
                if (*p == '+')
                    p++;
                const char *at = strchr(p, '@');
                char term[512];
                snprintf(term, sizeof term, " %.*s ", (int)(at - p), p);
                append(group, sizeof group, "%s", term);
                found |= strstr(dterms, term) != NULL;
                const char *sp = strchr(p, ' ');
                p = sp ? sp + 1 : p + strlen(p);
            } while (*p == '+');
            ck_assert_msg(found, "%s: no query alternative of%s among document terms%s", langs[li],
                          group, dterms);
        }
    }
}
END_TEST

/* ---- stems expanded into written words (an index without stem terms) ---- */

/* A stems table in miniature: stem term, then its words, "" ending each. */
static const char *const fake_stems[] = {
    "~ennegoti", "negotiate", "negotiations", "negotiating", "negotiations", "",
    "~entalk", "talks", "talking", "",
    "~ruбаклан", "бакланова", "бакланову", "",
    NULL,
};

struct expand_log {
    int calls;
    int fail; /* nonzero: the expander returns it */
};

static int fake_expand(void *ctx, const char *stem, size_t len, nx_emit_fn emit, void *ectx)
{
    struct expand_log *log = ctx;
    log->calls++;
    if (log->fail)
        return log->fail;
    for (size_t i = 0; fake_stems[i];) {
        int match = strlen(fake_stems[i]) == len && memcmp(fake_stems[i], stem, len) == 0;
        for (i++; *fake_stems[i]; i++) {
            int rc = match ? emit(ectx, fake_stems[i], strlen(fake_stems[i])) : 0;
            if (rc)
                return rc;
        }
        i++;
    }
    return 0;
}

static void expand_s(struct terms *c, struct expand_log *log, const char *lang,
                     nx_analyze_mode mode, const char *text, int want_rc)
{
    memset(c, 0, sizeof *c);
    c->text = text;
    c->len = strlen(text);
    nx_analyzer *an = nx_analyzer_new(lang);
    ck_assert_ptr_nonnull(an);
    nx_analyzer_expand(an, fake_expand, log);
    ck_assert_int_eq(nx_analyze(an, text, c->len, mode, collect_term, c), want_rc);
    nx_analyzer_free(an);
}

START_TEST(query_expands_stems_into_words)
{
    struct terms c;
    struct expand_log log = {0};
    /* The plain stem, then each written word once (the table may list the
     * query word itself, and lists words as often as it likes), then the
     * word as written only if not given yet; no stem term. */
    expand_s(&c, &log, "en", NX_ANALYZE_QUERY, "negotiating talk", 0);
    ck_assert_str_eq(c.out, "negoti@0:11 +negotiate@0:11 +negotiations@0:11 +negotiating@0:11 "
                            "talk@12:16 +talks@12:16 +talking@12:16");
    ck_assert_int_eq(log.calls, 2);
    /* A stem nothing in the index has: the plain stem and the word. */
    expand_s(&c, &log, "en", NX_ANALYZE_QUERY, "peace", 0);
    ck_assert_str_eq(c.out, "peac@0:5 +peace@0:5");
    /* Exact and prefix words are not stemmed, so not expanded (negot is
     * its own stem, and no stem term lists it). */
    log.calls = 0;
    expand_s(&c, &log, "en", NX_ANALYZE_QUERY, "=negotiating negot", 0);
    ck_assert_str_eq(c.out, "negotiating@1:12 negot@13:18");
    expand_s(&c, &log, "en", NX_ANALYZE_PREFIX, "negot", 0);
    ck_assert_str_eq(c.out, "negot@0:5");
    /* A name in a language whose names inflect: written form first. */
    expand_s(&c, &log, "ru", NX_ANALYZE_NAME, "Бакланов", 0);
    ck_assert_str_eq(c.out, "бакланов@0:16 +баклан@0:16 +бакланова@0:16 +бакланову@0:16");
    /* Documents keep their stem terms: the engine decides what to index. */
    log.calls = 0;
    expand_s(&c, &log, "en", NX_ANALYZE_DOCUMENT, "negotiating", 0);
    ck_assert_str_eq(c.out, "negotiating@0:11 +~ennegoti@0:11");
    ck_assert_int_eq(log.calls, 0);
}
END_TEST

START_TEST(query_expansion_failure_stops)
{
    struct terms c;
    struct expand_log log = {.fail = -1};
    expand_s(&c, &log, "en", NX_ANALYZE_QUERY, "negotiating", -1);
    ck_assert_int_eq(log.calls, 1);
    /* An unreadable list is told apart from a lack of memory. */
    log = (struct expand_log){.fail = NX_EXPAND_UNREADABLE};
    expand_s(&c, &log, "en", NX_ANALYZE_NAME, "=x Бакланов", 0);
    expand_s(&c, &log, "ru", NX_ANALYZE_NAME, "Бакланов", NX_EXPAND_UNREADABLE);
    ck_assert_int_eq(log.calls, 1);
}
END_TEST

/* ---- the FTS5 tokenizer indexes no stem terms ---------------------------- */

struct pairs {
    char out[1024];
};

static void note_pair(void *ctx, const char *stem, size_t slen, const char *word, size_t wlen)
{
    struct pairs *p = ctx;
    append(p->out, sizeof p->out, "%s%.*s=%.*s", p->out[0] ? " " : "", (int)slen, stem, (int)wlen,
           word);
}

static char *one_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    char *out = strdup(t ? (const char *)t : "");
    sqlite3_finalize(st);
    return out;
}

START_TEST(tokenizer_hands_stems_over)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    nx_fts5_replay *r = NULL;
    ck_assert_int_eq(nx_fts5_register_tokenizer(db, &r), SQLITE_OK);
    struct pairs p = {0};
    nx_fts5_replay_stems(r, note_pair, &p);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='newsidx english');"
                                  "CREATE VIRTUAL TABLE v USING fts5vocab(t, row);"
                                  "INSERT INTO t VALUES ('Talks on negotiations' || char(31) || 'x');"
                                  "INSERT INTO t VALUES (char(31) || 'fr' || char(31) || "
                                  "'Les n\u00e9gociations');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    /* Each stem term went to the callback with the word it stems, in the
     * text's language; none went into the index. */
    ck_assert_str_eq(p.out, "~entalk=talks ~ennegoti=negotiations ~frle=les ~frnegoci=negociations");
    char *terms = one_text(db, "SELECT group_concat(term, ' ') FROM v");
    ck_assert_str_eq(terms, "les negociations negotiations on talks x");
    free(terms);
    /* A query through the tokenizer (a phrase) asks for the words the
     * expander lists, colocated. */
    struct expand_log log = {0};
    nx_fts5_expander(r, fake_expand, &log);
    char *n = one_text(db, "SELECT count(*) FROM t WHERE t MATCH '\"talk on\"'");
    ck_assert_str_eq(n, "1");
    free(n);
    ck_assert_int_eq(log.calls, 2); /* talk, on: any word may be some word's stem */
    /* Without a callback, stem terms are still left out of the index. */
    nx_fts5_replay_stems(r, NULL, NULL);
    p.out[0] = '\0';
    ck_assert_int_eq(sqlite3_exec(db, "INSERT INTO t VALUES ('negotiators')", NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_str_eq(p.out, "");
    terms = one_text(db, "SELECT group_concat(term, ' ') FROM v WHERE term LIKE '~%'");
    ck_assert_str_eq(terms, "");
    free(terms);
    sqlite3_close(db);
}
END_TEST

static Suite *analyzer_suite(void)
{
    Suite *s = suite_create("analyzer");

    TCase *seg = tcase_create("segment");
    tcase_set_timeout(seg, 60);
    tcase_add_loop_test(seg, segment_table, 0, (int)(sizeof seg_cases / sizeof seg_cases[0]));
    tcase_add_test(seg, segment_eq_prefix);
    tcase_add_test(seg, segment_kana_punctuation_is_not_a_word);
    tcase_add_test(seg, segment_invalid_utf8_bytes_skipped);
    tcase_add_test(seg, segment_random_bytes);
    tcase_add_test(seg, segment_long_words_skipped);
    tcase_add_test(seg, segment_zero_length);
    tcase_add_test(seg, segment_callback_can_stop);
    tcase_add_test(seg, segment_not_nul_terminated);
    suite_add_tcase(s, seg);

    TCase *fold = tcase_create("fold");
    tcase_add_loop_test(fold, fold_table, 0, (int)(sizeof fold_cases / sizeof fold_cases[0]));
    tcase_add_test(fold, fold_without_strip_keeps_diacritics);
    tcase_add_test(fold, fold_reuses_and_grows_buffer);
    suite_add_tcase(s, fold);

    TCase *stem = tcase_create("stem");
    tcase_add_loop_test(stem, stem_table, 0, (int)(sizeof stem_cases / sizeof stem_cases[0]));
    tcase_add_test(stem, stem_inflections_meet);
    tcase_add_test(stem, stemmer_canonical_names);
    tcase_add_test(stem, stemmer_all_languages);
    suite_add_tcase(s, stem);

    TCase *an = tcase_create("analyze");
    tcase_set_timeout(an, 60);
    tcase_add_loop_test(an, analyze_table, 0, (int)(sizeof an_cases / sizeof an_cases[0]));
    tcase_add_test(an, analyze_offsets_index_original_text);
    tcase_add_test(an, analyze_callback_can_stop);
    tcase_add_test(an, analyze_reuse);
    tcase_add_test(an, analyzer_forms);
    tcase_add_test(an, query_terms_match_document_terms);
    tcase_add_test(an, query_expands_stems_into_words);
    tcase_add_test(an, query_expansion_failure_stops);
    tcase_add_test(an, tokenizer_hands_stems_over);
    suite_add_tcase(s, an);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(analyzer_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
