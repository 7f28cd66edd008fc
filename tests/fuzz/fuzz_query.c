/* fuzz_query.c - the query language (src/query/) on arbitrary strings:
 * nx_query_parse -> nx_query_split -> nx_query_to_fts5 -> nx_query_explain
 * -> nx_query_positive_words, as a search does.
 *
 * Input: the query (a NUL ends it, as for a C string).
 * Checks, besides memory safety and undefined behaviour:
 *   - parse: success gives a tree, failure gives no tree and a message
 *     "query:1:COL: ..." whose column lies within the query (1..chars+1);
 *   - split: the same error form; a query is text, filters or both; date
 *     filters hold empty or midnight ISO-8601 bounds that nx_date_parse
 *     reads back unchanged;
 *   - to_fts5 (in the languages of the query's lang: filters, as a search
 *     asks, else "en,ru"): an expression or a positioned error; the
 *     expression has an even number of '"' (every word quoted, embedded
 *     quotes doubled), every string is closed and all but prefix terms start
 *     with the language marker for those languages;
 *   - explain: never NULL;
 *   - positive_words: words are non-NULL, as long as reported, modes 0..3;
 *   - the same again after nx_query_any (ranked-OR mode, --any). */
#include "analyze/analyzer.h"
#include "ingest/date.h"
#include "query/query.h"

#include "fuzz_common.h"

/* Checks "query:1:COL: message" with 1 <= COL <= chars + 1. */
static void check_error(const char *what, const char *err, const char *query)
{
    FUZZ_CHECK(strncmp(err, "query:1:", 8) == 0, "%s: error message '%s'", what, err);
    char *end;
    long col = strtol(err + 8, &end, 10);
    size_t chars = 0;
    for (const char *p = query; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    FUZZ_CHECK(end != err + 8 && *end == ':' && col >= 1 && (size_t)col <= chars + 1,
               "%s: bad column in '%s' (query of %zu characters)", what, err, chars);
    FUZZ_CHECK(end[1] == ' ' && end[2] != '\0', "%s: no message in '%s'", what, err);
}

static void check_bound(const char *b, const char *which)
{
    FUZZ_CHECK(memchr(b, '\0', 24) != NULL, "date filter %s not terminated", which);
    if (!b[0])
        return;
    char again[NX_DATE_LEN + 1];
    FUZZ_CHECK(strlen(b) == NX_DATE_LEN && memcmp(b + 10, "T00:00:00Z", 10) == 0,
               "date filter %s '%s' is not a midnight", which, b);
    FUZZ_CHECK(nx_date_parse(b, again) == 0 && strcmp(again, b) == 0,
               "date filter %s '%s' does not read back", which, b);
}

static int on_words(void *ctx, const char *const *words, const size_t *lens, const int *modes,
                    size_t n)
{
    size_t *count = ctx;
    FUZZ_CHECK(n > 0, "positive_words called with no words");
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(words[i] != NULL, "word %zu is NULL", i);
        FUZZ_CHECK(strlen(words[i]) == lens[i], "word '%s' reported as %zu bytes", words[i],
                   lens[i]);
        FUZZ_CHECK(modes[i] >= 0 && modes[i] <= 3, "word '%s' has mode %d", words[i], modes[i]);
    }
    (*count)++;
    return 0;
}

/* The ISO codes of the query's lang: filters, as nx_search compiles them,
 * else those of an index holding English and Russian. */
static void query_langs(const nx_query_parts *parts, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < parts->nfilters; i++) {
        const nx_filter *f = &parts->filters[i];
        const nx_lang *l = f->kind == NX_F_LANG && !f->negated ? nx_lang_find(f->value) : NULL;
        if (l && o + 4 < cap)
            o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? "," : "", l->code);
    }
    if (!out[0])
        snprintf(out, cap, "en,ru");
}

/* Every FTS5 string ("...", with "" for a quote) is closed, and each one
 * that is not a prefix term ("negot" *) starts with the language marker for
 * langs, which the tokenizer reads only there. */
static void check_strings(const char *fts, const char *langs)
{
    char marker[80];
    int mlen = snprintf(marker, sizeof marker, "%c%s%c", NX_LANG_MARK, langs, NX_LANG_MARK);
    for (const char *p = fts; *p;) {
        if (*p != '"') {
            p++;
            continue;
        }
        const char *s = ++p;
        for (;;) {
            FUZZ_CHECK(*p != '\0', "unterminated string in FTS5 expression: %s", fts);
            if (*p == '"' && p[1] == '"') {
                p += 2;
                continue;
            }
            if (*p == '"')
                break;
            p++;
        }
        size_t n = (size_t)(p - s);
        p++;
        if (strncmp(p, " *", 2) == 0)
            continue;
        FUZZ_CHECK(n >= (size_t)mlen && memcmp(s, marker, (size_t)mlen) == 0,
                   "FTS5 string without the language marker for '%s': %s", langs, fts);
    }
}

static void check_fts5(const nx_query_parts *parts, const char *q)
{
    char langs[64], err[512] = "";
    query_langs(parts, langs, sizeof langs);
    int positive = -1;
    char *fts = nx_query_to_fts5(parts->text, langs, &positive, err, sizeof err);
    if (!fts) {
        check_error("to_fts5", err, q);
        return;
    }
    FUZZ_CHECK(positive == 0 || positive == 1, "positive is %d", positive);
    size_t quotes = 0;
    for (const char *p = fts; *p; p++)
        quotes += *p == '"';
    FUZZ_CHECK(quotes % 2 == 0, "odd number of '\"' (%zu) in FTS5 expression: %s", quotes, fts);
    FUZZ_CHECK(quotes > 0, "FTS5 expression without a quoted word: %s", fts);
    check_strings(fts, langs);
    free(fts);
}

/* parse -> [any] -> positive_words -> split -> to_fts5 -> explain ->
 * positive_words. */
static void run(const char *q, int any)
{
    char err[512];
    nx_qnode *tree = (nx_qnode *)1;
    if (nx_query_parse(q, &tree, err, sizeof err) != 0) {
        FUZZ_CHECK(tree == NULL, "failed parse left a tree");
        check_error("parse", err, q);
        return;
    }
    FUZZ_CHECK(tree != NULL, "successful parse gave no tree");
    if (any)
        FUZZ_CHECK(nx_query_any(tree) == 0, "nx_query_any failed");

    /* The whole tree, filters included, as the snippet code never sees it. */
    size_t items = 0;
    FUZZ_CHECK(nx_query_positive_words(tree, on_words, &items) == 0, "positive_words failed");

    nx_query_parts parts;
    err[0] = '\0';
    if (nx_query_split(tree, &parts, err, sizeof err) != 0) {
        check_error("split", err, q);
        return;
    }
    FUZZ_CHECK(parts.text != NULL || parts.nfilters > 0, "split gave neither text nor filters");
    for (size_t i = 0; i < parts.nfilters; i++) {
        const nx_filter *f = &parts.filters[i];
        if (f->kind == NX_F_DATE) {
            check_bound(f->since, "since");
            check_bound(f->until, "until");
        } else {
            FUZZ_CHECK(f->value != NULL, "filter %d without a value", (int)f->kind);
            FUZZ_CHECK(f->kind == NX_F_SOURCE || f->kind == NX_F_LANG || f->kind == NX_F_URL,
                       "filter kind %d", (int)f->kind);
        }
    }

    if (parts.text)
        check_fts5(&parts, q);

    char *ex = nx_query_explain(&parts);
    FUZZ_CHECK(ex != NULL, "nx_query_explain returned NULL");
    free(ex);

    if (parts.text) {
        items = 0;
        FUZZ_CHECK(nx_query_positive_words(parts.text, on_words, &items) == 0,
                   "positive_words failed on the text part");
    }
    nx_query_parts_free(&parts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *q = fuzz_cstr(data, size);
    run(q, 0);
    run(q, 1);
    free(q);
    return 0;
}
