/* test_query.c - unit tests for the query language (src/query/): the parser
 * (nx_query_parse), filter splitting (nx_query_split, nx_date_range), the
 * FTS5 compiler (nx_query_to_fts5), --explain (nx_query_explain) and the
 * words handed to the snippet generator (nx_query_positive_words).
 *
 * Most cases run a query through the whole pipeline the search command uses
 * (parse, split, explain, compile) and compare the explain S-expression, the
 * FTS5 expression and its `positive` flag, or the first error message with
 * its position. */
#include "analyze/analyzer.h"
#include "query/query.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers ------------------------------------------------------------- */

enum { STAGE_OK = 0, STAGE_PARSE = 'p', STAGE_SPLIT = 's', STAGE_COMPILE = 'c' };

typedef struct result {
    int stage;      /* STAGE_OK, or where the first error came from */
    char err[512];
    char *explain;  /* NULL after a parse or split error */
    char *fts5;     /* NULL when there is no text part, or after an error */
    int positive;
    int has_text;
} result;

static void result_free(result *r)
{
    free(r->explain);
    free(r->fts5);
    memset(r, 0, sizeof *r);
}

/* Runs query through parse, split, explain and compile, like `search`. */
static void run_query(const char *q, result *r)
{
    memset(r, 0, sizeof *r);
    nx_qnode *tree = (nx_qnode *)1;
    if (nx_query_parse(q, &tree, r->err, sizeof r->err) != 0) {
        ck_assert_msg(tree == NULL, "parse failed but *out is not NULL");
        r->stage = STAGE_PARSE;
        return;
    }
    ck_assert_ptr_nonnull(tree);
    nx_query_parts parts;
    if (nx_query_split(tree, &parts, r->err, sizeof r->err) != 0) {
        r->stage = STAGE_SPLIT;
        return;
    }
    r->explain = nx_query_explain(&parts);
    ck_assert_ptr_nonnull(r->explain);
    if (parts.text) {
        r->has_text = 1;
        r->positive = -1;
        r->fts5 = nx_query_to_fts5(parts.text, NULL, &r->positive, r->err, sizeof r->err);
        if (!r->fts5)
            r->stage = STAGE_COMPILE;
    }
    nx_query_parts_free(&parts);
}

/* Characters (not bytes) in s: what an error column counts. */
static int char_count(const char *s)
{
    int n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* An error must read "query:1:COL: message" with COL inside the query (or
 * just past its end). Returns 1 when it does. */
static int positioned(const char *err, const char *q)
{
    int col = 0, used = 0;
    if (sscanf(err, "query:1:%d: %n", &col, &used) != 1 || used == 0 || err[used] == '\0')
        return 0;
    return col >= 1 && col <= char_count(q) + 1;
}

/* Is everything outside the quoted strings of an FTS5 expression our own
 * syntax? Quoted strings (with "" for an embedded quote) are skipped; what
 * remains may only be parentheses, AND/OR/NOT, NEAR( ... , N), the column
 * filters "title :" and "body :", and '*' after a string. */
static int fts5_syntax_ok(const char *s)
{
    const char *p = s;
    while (*p) {
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0')
                    return 0; /* unterminated string */
                if (*p == '"' && p[1] == '"') {
                    p += 2;
                    continue;
                }
                if (*p == '"')
                    break;
                p++;
            }
            p++;
            continue;
        }
        static const char *const ok[] = {"NEAR(", "AND", "OR", "NOT", "title :", "body :",
                                         "(", ")", " ", "*", ",", NULL};
        size_t k;
        for (k = 0; ok[k]; k++)
            if (strncmp(p, ok[k], strlen(ok[k])) == 0)
                break;
        if (ok[k]) {
            p += strlen(ok[k]);
            continue;
        }
        if (*p >= '0' && *p <= '9' && p - s >= 2 && p[-1] == ' ' && p[-2] == ',') {
            while (*p >= '0' && *p <= '9')
                p++;
            if (*p != ')')
                return 0;
            continue;
        }
        return 0;
    }
    return 1;
}

static char *repeat(const char *unit, size_t times, const char *tail)
{
    size_t ul = strlen(unit), tl = tail ? strlen(tail) : 0;
    char *s = malloc(ul * times + tl + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * ul, unit, ul);
    if (tl)
        memcpy(s + ul * times, tail, tl);
    s[ul * times + tl] = '\0';
    return s;
}

/* ---- queries that parse: explain and FTS5 -------------------------------- */

struct good_case {
    const char *q;
    const char *explain;
    const char *fts5; /* NULL: the query has only filters, no text part */
    int positive;
};

static const struct good_case good[] = {
    /* implicit AND, AND, OR and their precedence */
    {"putin zelensky", "(AND putin zelensky)", "(\"putin\" AND \"zelensky\")", 1},
    {"putin AND zelensky", "(AND putin zelensky)", "(\"putin\" AND \"zelensky\")", 1},
    {"putin OR zelensky", "(OR putin zelensky)", "(\"putin\" OR \"zelensky\")", 1},
    {"macron OR scholz OR meloni", "(OR macron scholz meloni)",
     "(\"macron\" OR \"scholz\" OR \"meloni\")", 1},
    {"grain OR wheat exports", "(OR grain (AND wheat exports))",
     "(\"grain\" OR (\"wheat\" AND \"exports\"))", 1},
    {"grain exports OR imports", "(OR (AND grain exports) imports)",
     "((\"grain\" AND \"exports\") OR \"imports\")", 1},
    /* a written AND binds tighter than words side by side (see --any) */
    {"grain AND wheat exports", "(AND (AND grain wheat) exports)",
     "((\"grain\" AND \"wheat\") AND \"exports\")", 1},
    {"ports grain AND wheat AND corn exports", "(AND ports (AND grain wheat corn) exports)",
     "(\"ports\" AND (\"grain\" AND \"wheat\" AND \"corn\") AND \"exports\")", 1},
    /* a comma between digits is part of the number; elsewhere it separates */
    {"1,200 homes", "(AND 1,200 homes)", "(\"1,200\" AND \"homes\")", 1},
    {"homes,1,200,", "(AND homes 1,200)", "(\"homes\" AND \"1,200\")", 1},
    {"NEAR(grain 1,200, 5)", "(NEAR/5 grain 1,200)", "NEAR(\"grain\" \"1,200\", 5)", 1},
    {"a NEAR/99999999 b", "(NEAR/100000 a b)", "NEAR(\"a\" \"b\", 100000)", 1},
    {"NEAR(a b, 99999999)", "(NEAR/100000 a b)", "NEAR(\"a\" \"b\", 100000)", 1},
    {"grain OR wheat AND exports", "(OR grain (AND wheat exports))",
     "(\"grain\" OR (\"wheat\" AND \"exports\"))", 1},
    /* NOT and '-' */
    {"sanctions NOT oil", "(AND sanctions (NOT oil))", "((\"sanctions\") NOT (\"oil\"))", 1},
    {"sanctions -oil", "(AND sanctions (NOT oil))", "((\"sanctions\") NOT (\"oil\"))", 1},
    {"-oil sanctions", "(AND (NOT oil) sanctions)", "((\"sanctions\") NOT (\"oil\"))", 1},
    {"sanctions -oil -gas", "(AND sanctions (NOT oil) (NOT gas))",
     "((\"sanctions\") NOT (\"oil\" OR \"gas\"))", 1},
    {"talks -\"peace deal\"", "(AND talks (NOT \"peace deal\"))",
     "((\"talks\") NOT (\"peace deal\"))", 1},
    {"talks -(Russia OR Ukraine)", "(AND talks (NOT (OR Russia Ukraine)))",
     "((\"talks\") NOT ((\"^Russia\" OR \"^Ukraine\")))", 1},
    {"NOT (grain exports) wheat", "(AND (NOT (AND grain exports)) wheat)",
     "((\"wheat\") NOT ((\"grain\" AND \"exports\")))", 1},
    {"grain AND (corn OR soy) AND NOT rice", "(AND grain (OR corn soy) (NOT rice))",
     "((\"grain\" AND (\"corn\" OR \"soy\")) NOT (\"rice\"))", 1},
    {"ceasefire OR (truce -\"broken truce\")",
     "(OR ceasefire (AND truce (NOT \"broken truce\")))",
     "(\"ceasefire\" OR ((\"truce\") NOT (\"broken truce\")))", 1},
    {"--oil", "(NOT -oil)", "\"-oil\"", 0},
    {"ceasefire -", "ceasefire", "\"ceasefire\"", 1},
    /* only exclusions: positive = 0 and the expression is what to exclude */
    {"-putin", "(NOT putin)", "\"putin\"", 0},
    {"NOT putin", "(NOT putin)", "\"putin\"", 0},
    {"-putin -trump", "(AND (NOT putin) (NOT trump))", "(\"putin\" OR \"trump\")", 0},
    {"-\"peace talks\"", "(NOT \"peace talks\")", "\"peace talks\"", 0},
    {"-(grain OR wheat)", "(NOT (OR grain wheat))", "(\"grain\" OR \"wheat\")", 0},
    {"-negot*", "(NOT negot*)", "\"negot\" *", 0},
    {"-title:kherson", "(NOT title:kherson)", "title : \"kherson\"", 0},
    /* parentheses and nesting */
    {"(grain OR wheat) exports", "(AND (OR grain wheat) exports)",
     "((\"grain\" OR \"wheat\") AND \"exports\")", 1},
    {"((grain OR wheat) (ports OR railways)) Odesa",
     "(AND (AND (OR grain wheat) (OR ports railways)) Odesa)",
     "(((\"grain\" OR \"wheat\") AND (\"ports\" OR \"railways\")) AND \"^Odesa\")", 1},
    {"(((ceasefire)))", "ceasefire", "\"ceasefire\"", 1},
    {"(ceasefire -shelling)", "(AND ceasefire (NOT shelling))",
     "((\"ceasefire\") NOT (\"shelling\"))", 1},
    {"(a (b (c (d OR e))))", "(AND a (AND b (AND c (OR d e))))",
     "(\"a\" AND (\"b\" AND (\"c\" AND (\"d\" OR \"e\"))))", 1},
    /* phrases; a one-word phrase becomes a term */
    {"\"security guarantees\"", "\"security guarantees\"", "\"security guarantees\"", 1},
    {"\"security guarantees\" kyiv", "(AND \"security guarantees\" kyiv)",
     "(\"security guarantees\" AND \"kyiv\")", 1},
    {"\"ceasefire\"", "ceasefire", "\"ceasefire\"", 1},
    {"\"Kherson\"", "Kherson", "\"^Kherson\"", 1},
    {"\"  grain   deal  \"", "\"grain deal\"", "\"grain deal\"", 1},
    {"\"the who\"", "\"the who\"", "\"the who\"", 1},
    {"\"Бакланов заявил\"", "\"Бакланов заявил\"", "\"^Бакланов заявил\"", 1},
    {"\"=Paris talks\"", "\"=Paris talks\"", "\"=Paris talks\"", 1},
    {"\"grain deal\"*", "\"grain deal\"", "\"grain deal\"", 1},
    {"\"ceasefire ... agreed\"", "\"ceasefire agreed\"", "\"ceasefire agreed\"", 1},
    /* NEAR */
    {"NEAR(haines winter, 20)", "(NEAR/20 haines winter)", "NEAR(\"haines\" \"winter\", 20)", 1},
    {"NEAR(haines winter)", "(NEAR/10 haines winter)", "NEAR(\"haines\" \"winter\", 10)", 1},
    {"NEAR(haines \"winter offensive\")", "(NEAR/10 haines \"winter offensive\")",
     "NEAR(\"haines\" \"winter offensive\", 10)", 1},
    {"NEAR(Putin \"peace talks\" Zelensky, 12)", "(NEAR/12 Putin \"peace talks\" Zelensky)",
     "NEAR(\"^Putin\" \"peace talks\" \"^Zelensky\", 12)", 1},
    {"NEAR( grain  deal ,5 )", "(NEAR/5 grain deal)", "NEAR(\"grain\" \"deal\", 5)", 1},
    {"NEAR(negot* talks, 3)", "(NEAR/3 negot* talks)", "NEAR(\"negot\" * \"talks\", 3)", 1},
    {"NEAR(haines winter, 999999)", "(NEAR/100000 haines winter)",
     "NEAR(\"haines\" \"winter\", 100000)", 1},
    {"NEAR(grain deal, 5) odesa", "(AND (NEAR/5 grain deal) odesa)",
     "(NEAR(\"grain\" \"deal\", 5) AND \"odesa\")", 1},
    {"haines NEAR/20 winter", "(NEAR/20 haines winter)", "NEAR(\"haines\" \"winter\", 20)", 1},
    {"haines NEAR/0 winter", "(NEAR/0 haines winter)", "NEAR(\"haines\" \"winter\", 0)", 1},
    {"Putin NEAR/5 \"peace talks\"", "(NEAR/5 Putin \"peace talks\")",
     "NEAR(\"^Putin\" \"peace talks\", 5)", 1},
    {"grain NEAR/3 deal NEAR/3 odesa", "(NEAR/3 grain deal odesa)",
     "NEAR(\"grain\" \"deal\" \"odesa\", 3)", 1},
    {"NEAR(grain deal, 3) NEAR/3 odesa", "(NEAR/3 grain deal odesa)",
     "NEAR(\"grain\" \"deal\" \"odesa\", 3)", 1},
    {"grain NEAR/3 (deal)", "(NEAR/3 grain deal)", "NEAR(\"grain\" \"deal\", 3)", 1},
    {"title:NEAR(grain deal)", "(NEAR/10 title:grain title:deal)",
     "title : NEAR(\"grain\" \"deal\", 10)", 1},
    /* NEAR as a plain word */
    {"NEAR", "NEAR", "\"^NEAR\"", 1},
    {"ceasefire NEAR frontline", "(AND ceasefire NEAR frontline)",
     "(\"ceasefire\" AND \"^NEAR\" AND \"frontline\")", 1},
    {"NEAR (grain deal)", "(AND NEAR (AND grain deal))",
     "(\"^NEAR\" AND (\"grain\" AND \"deal\"))", 1},
    {"\"NEAR(a b)\"", "\"NEAR(a b)\"", "\"^NEAR(^a b)\"", 1},
    /* prefixes */
    {"negot*", "negot*", "\"negot\" *", 1},
    {"negot** talks", "(AND negot* talks)", "(\"negot\" * AND \"talks\")", 1},
    {"Zelensk*", "Zelensk*", "\"^Zelensk\" *", 1},
    {"=negot*", "=negot*", "\"=negot\" *", 1},
    {"title:negot*", "title:negot*", "title : \"negot\" *", 1},
    /* exact forms */
    {"Paris", "Paris", "\"^Paris\"", 1},
    {"=paris", "=paris", "\"=paris\"", 1},
    {"paris", "paris", "\"paris\"", 1},
    {"=negotiations", "=negotiations", "\"=negotiations\"", 1},
    {"Бакланов переговоры", "(AND Бакланов переговоры)",
     "(\"^Бакланов\" AND \"переговоры\")", 1},
    {"Élysée Macron", "(AND Élysée Macron)", "(\"^Élysée\" AND \"^Macron\")", 1},
    {"élysée", "élysée", "\"élysée\"", 1},
    {"Ελλάδα", "Ελλάδα", "\"^Ελλάδα\"", 1},
    {"Ñandú", "Ñandú", "\"^Ñandú\"", 1},
    /* columns on words, phrases and groups */
    {"title:putin", "title:putin", "title : \"putin\"", 1},
    {"title:Paris", "title:Paris", "title : \"^Paris\"", 1},
    /* field names in any case (they were searched as words) */
    {"TITLE:putin", "title:putin", "title : \"putin\"", 1},
    {"Body:\"grain deal\"", "body:\"grain deal\"", "body : \"grain deal\"", 1},
    {"SOURCE:reuters", "(FILTER source \"reuters\")", NULL, 1},
    {"Lang:fr putin", "putin (FILTER lang \"fr\")", "\"putin\"", 1},
    {"Date:2022", "(FILTER date [2022-01-01T00:00:00Z, 2023-01-01T00:00:00Z))", NULL, 1},
    {"body:\"grain deal\"", "body:\"grain deal\"", "body : \"grain deal\"", 1},
    {"title:\"security guarantees\" body:(grain OR wheat)",
     "(AND title:\"security guarantees\" (OR body:grain body:wheat))",
     "(title : \"security guarantees\" AND (body : \"grain\" OR body : \"wheat\"))", 1},
    {"title:(Kherson -\"grain deal\")", "(AND title:Kherson (NOT title:\"grain deal\"))",
     "((title : \"^Kherson\") NOT (title : \"grain deal\"))", 1},
    {"title:(a body:b)", "(AND title:a body:b)", "(title : \"a\" AND body : \"b\")", 1},
    {"-title:kherson putin", "(AND (NOT title:kherson) putin)",
     "((\"putin\") NOT (title : \"kherson\"))", 1},
    {"title:title:putin", "title:putin", "title : \"putin\"", 1},
    /* filters */
    {"source:reuters", "(FILTER source \"reuters\")", NULL, 1},
    {"source:Reuters putin", "putin (FILTER source \"Reuters\")", "\"putin\"", 1},
    {"source:\"New York Times\" ceasefire", "ceasefire (FILTER source \"New York Times\")",
     "\"ceasefire\"", 1},
    {"url:bbc.co.uk/news", "(FILTER url \"bbc.co.uk/news\")", NULL, 1},
    {"url:\"https://x.com/a?b=c\"", "(FILTER url \"https://x.com/a?b=c\")", NULL, 1},
    {"lang:en", "(FILTER lang \"en\")", NULL, 1},
    {"lang:\"english\"", "(FILTER lang \"english\")", NULL, 1},
    {"language:french", "(FILTER lang \"french\")", NULL, 1},
    {"url:bbc.co.uk lang:en", "(FILTER url \"bbc.co.uk\") (FILTER lang \"en\")", NULL, 1},
    {"date:2022", "(FILTER date [2022-01-01T00:00:00Z, 2023-01-01T00:00:00Z))", NULL, 1},
    {"date:2022-12", "(FILTER date [2022-12-01T00:00:00Z, 2023-01-01T00:00:00Z))", NULL, 1},
    {"date:2022-12-04", "(FILTER date [2022-12-04T00:00:00Z, 2022-12-05T00:00:00Z))", NULL, 1},
    {"date:\"2022-12-04\"", "(FILTER date [2022-12-04T00:00:00Z, 2022-12-05T00:00:00Z))", NULL,
     1},
    {"date:2022-12-31", "(FILTER date [2022-12-31T00:00:00Z, 2023-01-01T00:00:00Z))", NULL, 1},
    {"date:2024-02", "(FILTER date [2024-02-01T00:00:00Z, 2024-03-01T00:00:00Z))", NULL, 1},
    {"date:2022-12-01..2022-12-31",
     "(FILTER date [2022-12-01T00:00:00Z, 2023-01-01T00:00:00Z))", NULL, 1},
    {"date:2022..2023", "(FILTER date [2022-01-01T00:00:00Z, 2024-01-01T00:00:00Z))", NULL, 1},
    {"date:2022..", "(FILTER date [2022-01-01T00:00:00Z, +inf))", NULL, 1},
    {"date:..2022-06", "(FILTER date [-inf, 2022-07-01T00:00:00Z))", NULL, 1},
    {"date:9999", "(FILTER date [9999-01-01T00:00:00Z, +inf))", NULL, 1},
    {"after:2022-12-04", "(FILTER date [2022-12-04T00:00:00Z, +inf))", NULL, 1},
    {"after:2022", "(FILTER date [2022-01-01T00:00:00Z, +inf))", NULL, 1},
    {"before:2022-12-04", "(FILTER date [-inf, 2022-12-04T00:00:00Z))", NULL, 1},
    {"before:2022-12", "(FILTER date [-inf, 2022-12-01T00:00:00Z))", NULL, 1},
    {"-source:rt", "(NOT FILTER source \"rt\")", NULL, 1},
    {"putin -source:rt", "putin (NOT FILTER source \"rt\")", "\"putin\"", 1},
    {"ceasefire -source:rt -url:sputnik",
     "ceasefire (NOT FILTER source \"rt\") (NOT FILTER url \"sputnik\")", "\"ceasefire\"", 1},
    {"putin source:reuters -lang:ru date:2022",
     "putin (FILTER source \"reuters\") (NOT FILTER lang \"ru\") "
     "(FILTER date [2022-01-01T00:00:00Z, 2023-01-01T00:00:00Z))",
     "\"putin\"", 1},
    {"-putin source:reuters", "(NOT putin) (FILTER source \"reuters\")", "\"putin\"", 0},
    {"(ceasefire source:reuters)", "ceasefire (FILTER source \"reuters\")", "\"ceasefire\"", 1},
    /* stop words are words */
    {"the who", "(AND the who)", "(\"the\" AND \"who\")", 1},
    /* apostrophes and hyphens */
    {"O'Brien's remarks", "(AND O'Brien's remarks)", "(\"^O'Brien's\" AND \"remarks\")", 1},
    {"Macron’s visit", "(AND Macron’s visit)", "(\"^Macron’s\" AND \"visit\")", 1},
    {"don't", "don't", "\"don't\"", 1},
    {"Kyiv-based", "Kyiv-based", "\"^Kyiv-^based\"", 1},
    {"=kyiv-based reporters", "(AND =kyiv-based reporters)",
     "(\"=kyiv-=based\" AND \"reporters\")", 1},
    {"\"Kyiv-based reporters\"", "\"Kyiv-based reporters\"", "\"^Kyiv-^based reporters\"", 1},
    {"state-run media", "(AND state-run media)", "(\"state-run\" AND \"media\")", 1},
    {"=pro-Russian", "=pro-Russian", "\"=pro-=Russian\"", 1},
    {"U.S. sanctions", "(AND U.S. sanctions)", "(\"^U.S.\" AND \"sanctions\")", 1},
    /* ASCII punctuation on its own is ignored; commas separate words */
    {"Baklanov ... conditions", "(AND Baklanov conditions)",
     "(\"^Baklanov\" AND \"conditions\")", 1},
    {"ceasefire , ; !", "ceasefire", "\"ceasefire\"", 1},
    {"grain,wheat", "(AND grain wheat)", "(\"grain\" AND \"wheat\")", 1},
    {"grain \"wheat\"\"corn\"", "(AND grain wheat corn)",
     "(\"grain\" AND \"wheat\" AND \"corn\")", 1},
    /* FTS5 and SQL syntax typed by a user stays inside quoted strings */
    {"'; DROP TABLE x; --", "(AND DROP TABLE x;)", "(\"^DROP\" AND \"^TABLE\" AND \"x;\")", 1},
    {"{title}: x", "(AND {title}: x)", "(\"{title}:\" AND \"x\")", 1},
    {"col:val", "col:val", "\"col:val\"", 1},
    {"^x", "^x", "\"^x\"", 1},
    {"a*b", "a*b", "\"a*b\"", 1},
    {"\"title:*\"", "title:*", "\"title:*\"", 1},
    {"\"a OR b\"", "\"a OR b\"", "\"a ^OR b\"", 1},
    {"x:y:z", "x:y:z", "\"x:y:z\"", 1},
    {"rank:1", "rank:1", "\"rank:1\"", 1},
    /* lower-case operators are words */
    {"or and not", "(AND or and not)", "(\"or\" AND \"and\" AND \"not\")", 1},
    {"ceasefire or truce", "(AND ceasefire or truce)",
     "(\"ceasefire\" AND \"or\" AND \"truce\")", 1},
    {"near(a b)", "(AND near (AND a b))", "(\"near\" AND (\"a\" AND \"b\"))", 1},
};

START_TEST(test_good)
{
    const struct good_case *c = &good[_i];
    result r;
    run_query(c->q, &r);
    ck_assert_msg(r.stage == STAGE_OK, "[%s] failed at stage %c: %s", c->q, r.stage, r.err);
    ck_assert_msg(strcmp(r.explain, c->explain) == 0, "[%s] explain: got %s, want %s", c->q,
                  r.explain, c->explain);
    if (c->fts5) {
        ck_assert_msg(r.has_text, "[%s] no text part", c->q);
        ck_assert_msg(strcmp(r.fts5, c->fts5) == 0, "[%s] fts5: got %s, want %s", c->q, r.fts5,
                      c->fts5);
        ck_assert_msg(r.positive == c->positive, "[%s] positive: got %d, want %d", c->q,
                      r.positive, c->positive);
        ck_assert_msg(fts5_syntax_ok(r.fts5), "[%s] user text outside quotes: %s", c->q, r.fts5);
    } else {
        ck_assert_msg(!r.has_text, "[%s] unexpected text part: %s", c->q,
                      r.fts5 ? r.fts5 : r.err);
    }
    result_free(&r);
}
END_TEST

/* ---- queries that fail: message and position ----------------------------- */

struct bad_case {
    const char *q;
    int stage;
    const char *err;
};

#define NEAR_NUMBER "NEAR/ needs a number of words right after it, as in a NEAR/5 b"
#define NOT_A_DATE "is not a date (try 2022, 2022-12, 2022-12-04 or 2022-12-01..2022-12-31)"
#define FILTER_ALONE                                                                             \
    "field filters (source:, lang:, url:, date:, after:, before:) must stand on their own, "   \
    "not inside OR, NOT or a group"

static const struct bad_case bad[] = {
    /* quotes: the position is that of the opening quote, in characters */
    {"\"peace talks", 'p', "query:1:1: unbalanced quote"},
    {"Zelensky said \"peace talks", 'p', "query:1:15: unbalanced quote"},
    {"Путин сказал \"мир", 'p', "query:1:14: unbalanced quote"},
    {"Élysée Путин (\"a", 'p', "query:1:15: unbalanced quote"},
    {"talks\"", 'p', "query:1:6: unbalanced quote"},
    /* parentheses: the unclosed '(' or the stray ')' */
    {"(grain OR wheat", 'p', "query:1:1: unbalanced parenthesis"},
    {"grain OR wheat)", 'p', "query:1:15: unbalanced parenthesis"},
    {"grain (wheat OR (corn)", 'p', "query:1:7: unbalanced parenthesis"},
    {"((grain) wheat", 'p', "query:1:1: unbalanced parenthesis"},
    {"Élysée (Macron", 'p', "query:1:8: unbalanced parenthesis"},
    {"Київ) мир", 'p', "query:1:5: unbalanced parenthesis"},
    {")", 'p', "query:1:1: unbalanced parenthesis"},
    {"()", 'p', "query:1:1: empty parentheses"},
    {"grain () wheat", 'p', "query:1:7: empty parentheses"},
    /* lone operators */
    {"OR putin", 'p', "query:1:1: OR needs a word before and after it"},
    {"putin OR", 'p', "query:1:7: OR needs a word before and after it"},
    {"AND putin", 'p', "query:1:1: AND needs a word before and after it"},
    {"putin AND", 'p', "query:1:7: AND needs a word before and after it"},
    {"putin AND AND zelensky", 'p', "query:1:7: AND needs a word before and after it"},
    {"putin OR OR zelensky", 'p', "query:1:7: OR needs a word before and after it"},
    {"putin OR AND zelensky", 'p', "query:1:7: OR needs a word before and after it"},
    {"putin AND OR zelensky", 'p', "query:1:7: AND needs a word before and after it"},
    {"(putin OR) zelensky", 'p', "query:1:8: OR needs a word before and after it"},
    {"OR", 'p', "query:1:1: OR needs a word before and after it"},
    {"NOT", 'p', "query:1:4: the query ends where a word was expected"},
    {"putin NOT", 'p', "query:1:10: the query ends where a word was expected"},
    {"putin NOT NOT trump", 'p', "query:1:11: 'NOT' needs a word before and after it"},
    /* nothing to search for */
    {"", 'p', "query:1:1: empty query"},
    {"   ", 'p', "query:1:1: empty query"},
    {" \t\r\n\f\v ", 'p', "query:1:1: empty query"},
    {"... !!! ,,,", 'p', "query:1:1: nothing to search for (the query has only punctuation)"},
    {"-", 'p', "query:1:1: nothing to search for (the query has only punctuation)"},
    {"=", 'p', "query:1:1: nothing to search for (the query has only punctuation)"},
    {"\"\"", 'p', "query:1:1: empty phrase"},
    {"grain \"\" wheat", 'p', "query:1:7: empty phrase"},
    {"\" ... \"", 'p', "query:1:1: empty phrase"},
    {"*", 'p', "query:1:1: '*' must follow the start of a word, as in negot*"},
    {"talks *", 'p', "query:1:7: '*' must follow the start of a word, as in negot*"},
    /* fields without a value */
    {"title:", 'p', "query:1:1: title: needs a word, phrase or (group)"},
    {"title: putin", 'p', "query:1:1: title: needs a word, phrase or (group)"},
    {"title:*", 'p', "query:1:1: title: needs a word, phrase or (group)"},
    {"title:)", 'p', "query:1:1: title: needs a word, phrase or (group)"},
    {"putin body:", 'p', "query:1:7: body: needs a word, phrase or (group)"},
    {"title:OR putin", 'p', "query:1:1: title: needs a word, phrase or (group)"},
    {"source:", 'p', "query:1:1: source: needs a value"},
    {"source: reuters", 'p', "query:1:1: source: needs a value"},
    {"source:...", 'p', "query:1:1: source: needs a value"},
    {"source:\"\"", 'p', "query:1:1: source: needs a value"},
    {"lang:", 'p', "query:1:1: lang: needs a value"},
    {"ceasefire url:", 'p', "query:1:11: url: needs a value"},
    {"Путин source:", 'p', "query:1:7: source: needs a value"},
    /* bad dates: the position is that of the value */
    {"date:2022-13", 'p', "query:1:6: date: '2022-13' " NOT_A_DATE},
    {"date:2022-02-30", 'p', "query:1:6: date: '2022-02-30' " NOT_A_DATE},
    {"date:0000", 'p', "query:1:6: date: '0000' " NOT_A_DATE},
    {"date:..", 'p', "query:1:6: date: '..' " NOT_A_DATE},
    {"date:2022..soon", 'p', "query:1:6: date: '2022..soon' " NOT_A_DATE},
    {"Путин date:2022-13", 'p', "query:1:12: date: '2022-13' " NOT_A_DATE},
    {"after:yesterday", 'p', "query:1:7: after: 'yesterday' " NOT_A_DATE},
    {"after:..2022", 'p', "query:1:7: after: '..2022' " NOT_A_DATE},
    {"before:2022..2023", 'p', "query:1:8: before: '2022..2023' " NOT_A_DATE},
    {"date:", 'p', "query:1:1: date: needs a value"},
    /* NEAR */
    {"NEAR(putin zelensky", 'p', "query:1:1: unbalanced parenthesis: NEAR( is not closed"},
    {"talks NEAR(putin zelensky", 'p', "query:1:7: unbalanced parenthesis: NEAR( is not closed"},
    {"NEAR(putin zelensky, x)", 'p',
     "query:1:22: NEAR( needs a distance after the comma, as in NEAR(a b, 5)"},
    {"NEAR(putin zelensky,)", 'p',
     "query:1:21: NEAR( needs a distance after the comma, as in NEAR(a b, 5)"},
    {"NEAR(putin, zelensky)", 'p',
     "query:1:13: NEAR( needs a distance after the comma, as in NEAR(a b, 5)"},
    {"NEAR(putin zelensky, 5", 'p', "query:1:23: NEAR( expects ')' after the distance"},
    {"NEAR(putin zelensky, 5 6)", 'p', "query:1:24: NEAR( expects ')' after the distance"},
    {"NEAR(putin)", 'p', "query:1:1: NEAR( needs at least two words or phrases"},
    {"NEAR(putin, 5)", 'p', "query:1:1: NEAR( needs at least two words or phrases"},
    {"NEAR()", 'p', "query:1:1: NEAR( needs at least two words or phrases"},
    {"NEAR(putin OR zelensky)", 'p', "query:1:12: NEAR( takes only words and phrases"},
    {"NEAR(title:putin zelensky)", 'p', "query:1:6: NEAR( takes only words and phrases"},
    {"NEAR(putin (zelensky))", 'p', "query:1:12: NEAR( takes only words and phrases"},
    {"putin NEAR/3", 'p', "query:1:13: the query ends where a word was expected"},
    {"NEAR/", 'p', "query:1:1: " NEAR_NUMBER},
    {"putin NEAR/ talks", 'p', "query:1:7: " NEAR_NUMBER},
    {"putin NEAR/x talks", 'p', "query:1:7: " NEAR_NUMBER},
    {"putin NEAR/3x talks", 'p', "query:1:7: " NEAR_NUMBER},
    {"NEAR/3 putin", 'p', "query:1:1: 'NEAR/3' needs a word before and after it"},
    {"(putin talks) NEAR/3 zelensky", 'p',
     "query:1:15: NEAR/3 needs a word or phrase on each side"},
    {"putin NEAR/3 (talks OR zelensky)", 'p',
     "query:1:7: NEAR/3 needs a word or phrase on each side"},
    /* filters where they cannot be (nx_query_split) */
    {"putin (talks source:reuters)", 's', "query:1:14: " FILTER_ALONE},
    {"putin OR source:reuters", 's', "query:1:10: " FILTER_ALONE},
    {"putin OR -date:2022", 's', "query:1:11: " FILTER_ALONE},
    {"-(putin source:reuters)", 's', "query:1:9: " FILTER_ALONE},
    {"title:source:reuters", 'p', "query:1:1: a field filter cannot be inside title: or body:"},
    {"title:(putin lang:en)", 'p', "query:1:1: a field filter cannot be inside title: or body:"},
    /* exclusions the FTS5 compiler cannot place */
    {"putin OR -trump", 'c',
     "query:1:10: an excluded word cannot be an alternative of OR; write 'a -b' or "
     "'(a OR b) -c'"},
    {"(-putin -trump) talks", 'c',
     "query:1:2: a group cannot consist only of excluded words; add a word to search for"},
    {"ceasefire OR (-shelling -strikes)", 'c',
     "query:1:15: a group cannot consist only of excluded words; add a word to search for"},
};

START_TEST(test_bad)
{
    const struct bad_case *c = &bad[_i];
    result r;
    run_query(c->q, &r);
    ck_assert_msg(r.stage != STAGE_OK, "[%s] accepted: %s / %s", c->q,
                  r.explain ? r.explain : "-", r.fts5 ? r.fts5 : "-");
    ck_assert_msg(strcmp(r.err, c->err) == 0, "[%s] error: got \"%s\", want \"%s\"", c->q, r.err,
                  c->err);
    ck_assert_msg(r.stage == c->stage, "[%s] failed at stage %c, want %c", c->q, r.stage,
                  c->stage);
    ck_assert_msg(positioned(r.err, c->q), "[%s] bad position in \"%s\"", c->q, r.err);
    result_free(&r);
}
END_TEST

START_TEST(test_null_and_small_buffers)
{
    nx_qnode *t = (nx_qnode *)1;
    char err[64];
    ck_assert_int_eq(nx_query_parse(NULL, &t, err, sizeof err), -1);
    ck_assert_ptr_null(t);
    ck_assert_str_eq(err, "query:1:1: empty query");

    /* a short error buffer gets a truncated, terminated message */
    char tiny[12];
    memset(tiny, 'X', sizeof tiny);
    ck_assert_int_eq(nx_query_parse("\"open quote", &t, tiny, sizeof tiny), -1);
    ck_assert_str_eq(tiny, "query:1:1: ");

    /* and no buffer at all is allowed */
    ck_assert_int_eq(nx_query_parse("(", &t, NULL, 0), -1);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(nx_query_parse("putin", &t, NULL, 0), 0);
    nx_qnode_free(t);
    nx_qnode_free(NULL);
    nx_query_parts_free(NULL);
}
END_TEST

/* Node columns are 1-based characters in the query, not bytes. */
START_TEST(test_node_columns)
{
    nx_qnode *t;
    char err[256];
    ck_assert_int_eq(nx_query_parse("Élysée Путин \"мир talks\" -x", &t, err, sizeof err), 0);
    ck_assert_int_eq(t->kind, NX_Q_AND);
    ck_assert_uint_eq(t->nkids, 4);
    ck_assert_int_eq(t->kids[0]->col, 1);
    ck_assert_int_eq(t->kids[1]->col, 8);
    ck_assert_int_eq(t->kids[2]->kind, NX_Q_PHRASE);
    ck_assert_int_eq(t->kids[2]->col, 14);
    ck_assert_int_eq(t->kids[2]->kids[0]->col, 15);
    ck_assert_int_eq(t->kids[2]->kids[1]->col, 19);
    ck_assert_int_eq(t->kids[3]->kind, NX_Q_NOT);
    ck_assert_int_eq(t->kids[3]->col, 26);
    ck_assert_int_eq(t->kids[3]->kids[0]->col, 27);
    ck_assert_int_eq(t->kids[0]->exact, NX_EXACT_NAME);
    ck_assert_int_eq(t->kids[1]->exact, NX_EXACT_NAME);
    ck_assert_int_eq(t->kids[2]->kids[0]->exact, 0);
    nx_qnode_free(t);

    /* =word: the term starts after the '=' */
    ck_assert_int_eq(nx_query_parse("a =paris", &t, err, sizeof err), 0);
    ck_assert_int_eq(t->kids[1]->col, 4);
    ck_assert_str_eq(t->kids[1]->text, "paris");
    ck_assert_int_eq(t->kids[1]->exact, NX_EXACT_STRICT);
    nx_qnode_free(t);
}
END_TEST

/* The compiler doubles a '"' inside a word. The parser never puts one into a
 * word (a quote always starts or ends a phrase), so the tree is built by hand. */
static nx_qnode *mk_term(const char *text, int exact, int prefix, nx_column col)
{
    nx_qnode *n = calloc(1, sizeof *n);
    ck_assert_ptr_nonnull(n);
    n->kind = NX_Q_TERM;
    n->col = 1;
    n->text = strdup(text);
    ck_assert_ptr_nonnull(n->text);
    n->exact = exact;
    n->prefix = prefix;
    n->column = col;
    return n;
}

static nx_qnode *mk_node(nx_qkind kind, size_t nkids, ...)
{
    nx_qnode *n = calloc(1, sizeof *n);
    ck_assert_ptr_nonnull(n);
    n->kind = kind;
    n->col = 1;
    n->kids = calloc(nkids, sizeof *n->kids);
    ck_assert_ptr_nonnull(n->kids);
    va_list ap;
    va_start(ap, nkids);
    for (size_t i = 0; i < nkids; i++)
        n->kids[i] = va_arg(ap, nx_qnode *);
    va_end(ap);
    n->nkids = nkids;
    return n;
}

START_TEST(test_fts5_escapes_quotes)
{
    char err[256];
    int pos;
    char *s;

    nx_qnode *t = mk_term("say\"hi\"", 0, 0, NX_COL_ANY);
    s = nx_query_to_fts5(t, NULL, &pos, err, sizeof err);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "\"say\"\"hi\"\"\"");
    ck_assert_int_eq(pos, 1);
    ck_assert(fts5_syntax_ok(s));
    free(s);
    nx_qnode_free(t);

    /* exact: '=' before each word, quotes still doubled */
    t = mk_term("\"Kyiv-based\"", 1, 0, NX_COL_TITLE);
    s = nx_query_to_fts5(t, NULL, &pos, err, sizeof err);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "title : \"\"\"=Kyiv-=based\"\"\"");
    free(s);
    nx_qnode_free(t);

    /* an attempt to break out of the string and add FTS5 syntax */
    t = mk_node(NX_Q_AND, 2, mk_term("x\" OR \"y", 0, 0, NX_COL_ANY),
                mk_node(NX_Q_NOT, 1, mk_term("\") NOT (\"", 0, 1, NX_COL_BODY)));
    s = nx_query_to_fts5(t, NULL, &pos, err, sizeof err);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "((\"x\"\" OR \"\"y\") NOT (body : \"\"\") NOT (\"\"\" *))");
    ck_assert(fts5_syntax_ok(s));
    free(s);
    nx_qnode_free(t);

    /* inside a phrase and a NEAR */
    t = mk_node(NX_Q_NEAR, 2, mk_node(NX_Q_PHRASE, 2, mk_term("a\"", 0, 0, NX_COL_ANY),
                                      mk_term("\"b", 1, 0, NX_COL_ANY)),
                mk_term("c", 0, 0, NX_COL_ANY));
    t->distance = 4;
    s = nx_query_to_fts5(t, NULL, &pos, err, sizeof err);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "NEAR(\"a\"\" \"\"=b\" \"c\", 4)");
    ck_assert(fts5_syntax_ok(s));
    free(s);
    nx_qnode_free(t);
}
END_TEST

/* With languages, every quoted string but a prefix starts with the language
 * marker (NX_LANG_MARK, the codes, NX_LANG_MARK) for the tokenizer. */
START_TEST(test_fts5_languages)
{
    static const struct {
        const char *q, *want;
    } cases[] = {
        {"putin", "\"\x1f" "en,ru\x1f" "putin\""},
        {"Paris", "\"\x1f" "en,ru\x1f" "^Paris\""},
        {"\"peace talks\"", "\"\x1f" "en,ru\x1f" "peace talks\""},
        {"negot*", "\"negot\" *"},
        {"NEAR(grain deal, 3)", "NEAR(\"\x1f" "en,ru\x1f" "grain\" \"\x1f" "en,ru\x1f" "deal\", 3)"},
        {"title:grain -negot*", "((title : \"\x1f" "en,ru\x1f" "grain\") NOT (\"negot\" *))"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nx_qnode *t;
        char err[256];
        ck_assert_int_eq(nx_query_parse(cases[i].q, &t, err, sizeof err), 0);
        int pos;
        char *f = nx_query_to_fts5(t, "en,ru", &pos, err, sizeof err);
        ck_assert_ptr_nonnull(f);
        ck_assert_msg(strcmp(f, cases[i].want) == 0, "[%s]: got %s", cases[i].q, f);
        ck_assert(fts5_syntax_ok(f));
        free(f);
        /* "" is the index default: no marker */
        f = nx_query_to_fts5(t, "", &pos, err, sizeof err);
        ck_assert_ptr_nonnull(f);
        ck_assert_msg(strchr(f, '\x1f') == NULL, "[%s]: got %s", cases[i].q, f);
        free(f);
        nx_qnode_free(t);
    }
}
END_TEST

/* For searching, a word alone becomes its terms ORed, raw; phrases, NEAR
 * and prefixes stay as they were; groups names each phrase's query word. */
START_TEST(test_fts5_grouped)
{
#define R "\"\x1f!\x1f"
    static const struct {
        const char *q, *want, *groups;
    } cases[] = {
        {"oil", "(" R "oil\" OR " R "~enoil\")", "0 0"},
        {"oil prices",
         "((" R "oil\" OR " R "~enoil\") AND (" R "price\" OR " R "~enprice\" OR " R
         "prices\"))",
         "0 0 1 1 1"},
        {"=prices", R "prices\"", "0"},
        {"\"oil prices\" tanker",
         "(\"\x1f" "en\x1f" "oil prices\" AND (" R "tanker\" OR " R "~entanker\"))", "0 1 1"},
        {"negot* oil", "(\"negot\" * AND (" R "oil\" OR " R "~enoil\"))", "0 1 1"},
        {"title:oil -gas",
         "((title : (" R "oil\" OR " R "~enoil\")) NOT ((" R "gas\" OR " R "~engas\")))",
         "0 0 1 1"},
        {"NEAR(grain deal, 3)", "NEAR(\"\x1f" "en\x1f" "grain\" \"\x1f" "en\x1f" "deal\", 3)", "0 1"},
        /* two positions (a hyphen splits it): a phrase */
        {"\"grain-deal\"", "\"\x1f" "en\x1f" "grain-deal\"", "0"},
    };
#undef R
    nx_analyzer *an = nx_analyzer_new("en");
    ck_assert_ptr_nonnull(an);
    const nx_lang *en = nx_lang_find("en");
    nx_analyzer_use(an, &en, 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nx_qnode *t;
        char err[256];
        ck_assert_int_eq(nx_query_parse(cases[i].q, &t, err, sizeof err), 0);
        int pos;
        char *groups = NULL;
        char *f = nx_query_to_fts5_grouped(t, "en", an, &pos, &groups, err, sizeof err);
        ck_assert_msg(f != NULL, "[%s]: %s", cases[i].q, err);
        ck_assert_msg(strcmp(f, cases[i].want) == 0, "[%s]: got %s", cases[i].q, f);
        ck_assert(fts5_syntax_ok(f));
        ck_assert_msg(strcmp(groups, cases[i].groups) == 0, "[%s]: groups %s, want %s",
                      cases[i].q, groups, cases[i].groups);
        free(f);
        free(groups);
        nx_qnode_free(t);
    }
    nx_analyzer_free(an);
}
END_TEST

/* --any leaves out single letters when other words remain. */
START_TEST(test_any_single_letters)
{
    static const struct {
        const char *q, *want;
    } cases[] = {
        {"spain s relaxation", "(OR spain relaxation)"},
        {"u n consideration", "consideration"},
        {"s u", "(OR s u)"},
        {"s", "s"},
        {"s -gas oil", "(AND (NOT gas) oil)"},
        {"=s oil", "(OR =s oil)"},
        {"\u0432 \u043c\u043e\u0441\u043a\u0432\u0435 talks", "(OR \u043c\u043e\u0441\u043a\u0432\u0435 talks)"},
        {"\u4e4c \u514b", "(OR \u4e4c \u514b)"}, /* one Han character is a word */
        /* a written AND stays required; only the words beside it become
         * optional (once every word of the group became required) */
        {"apple AND banana cherry", "(OR (AND apple banana) cherry)"},
        {"cherry apple AND banana", "(OR cherry (AND apple banana))"},
        {"apple AND banana AND cherry", "(AND apple banana cherry)"},
        {"(apple AND banana) cherry", "(OR (AND apple banana) cherry)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nx_qnode *t;
        char err[256];
        ck_assert_int_eq(nx_query_parse(cases[i].q, &t, err, sizeof err), 0);
        ck_assert_int_eq(nx_query_any(t), 0);
        nx_query_parts parts;
        ck_assert_int_eq(nx_query_split(t, &parts, err, sizeof err), 0);
        char *e = nx_query_explain(&parts);
        ck_assert_msg(e && strcmp(e, cases[i].want) == 0, "[%s]: got %s, want %s", cases[i].q,
                      e ? e : "-", cases[i].want);
        free(e);
        nx_query_parts_free(&parts);
    }
}
END_TEST

/* ---- nesting limits ------------------------------------------------------- */

START_TEST(test_nesting_limit)
{
    result r;
    char *q = repeat("(", 100, NULL);
    char *full = malloc(strlen(q) * 2 + 16);
    ck_assert_ptr_nonnull(full);
    sprintf(full, "%sputin", q);
    for (int i = 0; i < 100; i++)
        strcat(full, ")");
    run_query(full, &r);
    ck_assert_msg(r.stage == STAGE_OK, "100 levels: %s", r.err);
    ck_assert_str_eq(r.explain, "putin");
    ck_assert_str_eq(r.fts5, "\"putin\"");
    result_free(&r);
    free(full);
    free(q);

    q = repeat("(", 101, "putin");
    full = malloc(strlen(q) + 128);
    ck_assert_ptr_nonnull(full);
    strcpy(full, q);
    for (int i = 0; i < 101; i++)
        strcat(full, ")");
    run_query(full, &r);
    ck_assert_int_eq(r.stage, STAGE_PARSE);
    ck_assert_str_eq(r.err, "query:1:101: parentheses nested more than 100 deep");
    result_free(&r);
    free(full);
    free(q);

    /* nesting through '-' and NOT counts the same */
    q = repeat("-(", 101, "putin");
    run_query(q, &r);
    ck_assert_int_eq(r.stage, STAGE_PARSE);
    ck_assert_str_eq(r.err, "query:1:202: parentheses nested more than 100 deep");
    result_free(&r);
    free(q);
}
END_TEST

/* ---- nx_date_range --------------------------------------------------------- */

struct range_case {
    const char *in;
    int rc;
    const char *since, *until;
};

static const struct range_case ranges[] = {
    {"2022", 0, "2022-01-01T00:00:00Z", "2023-01-01T00:00:00Z"},
    {"2022-12", 0, "2022-12-01T00:00:00Z", "2023-01-01T00:00:00Z"},
    {"2022-01", 0, "2022-01-01T00:00:00Z", "2022-02-01T00:00:00Z"},
    {"2024-02", 0, "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"},
    {"2023-02", 0, "2023-02-01T00:00:00Z", "2023-03-01T00:00:00Z"},
    {"2022-12-04", 0, "2022-12-04T00:00:00Z", "2022-12-05T00:00:00Z"},
    {"2022-12-31", 0, "2022-12-31T00:00:00Z", "2023-01-01T00:00:00Z"},
    {"2022-11-30", 0, "2022-11-30T00:00:00Z", "2022-12-01T00:00:00Z"},
    {"2024-02-28", 0, "2024-02-28T00:00:00Z", "2024-02-29T00:00:00Z"},
    {"2024-02-29", 0, "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"},
    {"2023-02-28", 0, "2023-02-28T00:00:00Z", "2023-03-01T00:00:00Z"},
    {"2000-02-29", 0, "2000-02-29T00:00:00Z", "2000-03-01T00:00:00Z"},
    {"0001", 0, "0001-01-01T00:00:00Z", "0002-01-01T00:00:00Z"},
    {"9998-12", 0, "9998-12-01T00:00:00Z", "9999-01-01T00:00:00Z"},
    {"9999", 0, "9999-01-01T00:00:00Z", ""},
    {"9999-12", 0, "9999-12-01T00:00:00Z", ""},
    {"9999-12-30", 0, "9999-12-30T00:00:00Z", "9999-12-31T00:00:00Z"},
    {"9999-12-31", 0, "9999-12-31T00:00:00Z", ""},
    /* anything nx_date_parse takes names its UTC day */
    {"2022-12-04T10:00:00Z", 0, "2022-12-04T00:00:00Z", "2022-12-05T00:00:00Z"},
    {"2022-12-04T00:30:00+01:00", 0, "2022-12-03T00:00:00Z", "2022-12-04T00:00:00Z"},
    {"Dec 4, 2022", 0, "2022-12-04T00:00:00Z", "2022-12-05T00:00:00Z"},
    {"1670146200", 0, "2022-12-04T00:00:00Z", "2022-12-05T00:00:00Z"},
    /* not dates */
    {"", -1, NULL, NULL},
    {"22", -1, NULL, NULL},
    {"202", -1, NULL, NULL},
    {"0000", -1, NULL, NULL},
    {"10000", -1, NULL, NULL},
    {"-001", -1, NULL, NULL},
    {"2022-13", -1, NULL, NULL},
    {"2022-00", -1, NULL, NULL},
    {"2022-1", -1, NULL, NULL},
    {"2022-12-", -1, NULL, NULL},
    {"2022/12", -1, NULL, NULL},
    {"2023-02-29", -1, NULL, NULL},
    {"2022-12-32", -1, NULL, NULL},
    {"0000-12", -1, NULL, NULL},
    {"abcd", -1, NULL, NULL},
    {"yesterday", -1, NULL, NULL},
    {"2022\xc3\xa9", -1, NULL, NULL},
    /* sscanf leniency: signs and spaces are not part of a date */
    {"+202", -1, NULL, NULL},
    {" 202", -1, NULL, NULL},
    {"2022-+1", -1, NULL, NULL},
    {"2022- 1", -1, NULL, NULL},
};

START_TEST(test_date_range)
{
    const struct range_case *c = &ranges[_i];
    char *since = malloc(24), *until = malloc(24);
    ck_assert_ptr_nonnull(since);
    ck_assert_ptr_nonnull(until);
    memset(since, '#', 24);
    memset(until, '#', 24);
    int rc = nx_date_range(c->in, since, until);
    ck_assert_msg(rc == c->rc, "[%s]: rc %d, want %d (got [%.24s, %.24s))", c->in, rc, c->rc,
                  rc == 0 ? since : "", rc == 0 ? until : "");
    if (rc == 0) {
        ck_assert_msg(strcmp(since, c->since) == 0, "[%s]: since %s, want %s", c->in, since,
                      c->since);
        ck_assert_msg(strcmp(until, c->until) == 0, "[%s]: until %s, want %s", c->in, until,
                      c->until);
    }
    free(since);
    free(until);
}
END_TEST

/* ---- nx_query_positive_words ---------------------------------------------- */

struct words_case {
    const char *q;
    const char *want; /* calls separated by " | ", each word as text:mode */
};

static const struct words_case words[] = {
    {"putin", "putin:0"},
    {"putin -trump", "putin:0"},
    {"putin NOT trump", "putin:0"},
    {"ceasefire -\"peace deal\" -(grain OR corn)", "ceasefire:0"},
    {"-putin", ""},
    {"\"security guarantees\" Paris negot*", "security:0 guarantees:0 | Paris:3 | negot:2"},
    {"\"=paris talks\"", "paris:1 talks:0"},
    {"\"Kyiv-based reporters\"", "Kyiv-based:3 reporters:0"},
    {"Kyiv-based", "Kyiv-based:3"},
    {"=Kyiv-based", "Kyiv-based:1"},
    {"=haines Zelensk*", "haines:1 | Zelensk:2"},
    {"(grain OR wheat) exports", "grain:0 | wheat:0 | exports:0"},
    {"NEAR(Putin \"peace talks\", 5)", "Putin:3 | peace:0 talks:0"},
    {"haines NEAR/20 winter", "haines:0 | winter:0"},
    {"title:kherson body:\"grain deal\"", "kherson:0 | grain:0 deal:0"},
    {"putin source:reuters -lang:ru date:2022", "putin:0"},
    {"source:reuters", ""},
};

typedef struct words_ctx {
    char out[1024];
    int calls;
    int stop_after; /* return 7 on this call (1-based); 0: never */
} words_ctx;

static int collect_words(void *ctx, const char *const *ws, const size_t *lens, const int *modes,
                         size_t n)
{
    words_ctx *c = ctx;
    ck_assert_uint_gt(n, 0);
    size_t used = strlen(c->out);
    if (c->calls++)
        used += (size_t)snprintf(c->out + used, sizeof c->out - used, " | ");
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(lens[i], strlen(ws[i]));
        used += (size_t)snprintf(c->out + used, sizeof c->out - used, "%s%.*s:%d", i ? " " : "",
                                 (int)lens[i], ws[i], modes[i]);
        ck_assert_uint_lt(used, sizeof c->out);
    }
    return c->stop_after && c->calls == c->stop_after ? 7 : 0;
}

START_TEST(test_positive_words)
{
    const struct words_case *c = &words[_i];
    nx_qnode *t;
    char err[256];
    ck_assert_msg(nx_query_parse(c->q, &t, err, sizeof err) == 0, "[%s]: %s", c->q, err);
    words_ctx ctx = {{0}, 0, 0};
    ck_assert_int_eq(nx_query_positive_words(t, collect_words, &ctx), 0);
    ck_assert_msg(strcmp(ctx.out, c->want) == 0, "[%s]: got \"%s\", want \"%s\"", c->q, ctx.out,
                  c->want);
    nx_qnode_free(t);
}
END_TEST

START_TEST(test_positive_words_stop)
{
    nx_qnode *t;
    char err[256];
    ck_assert_int_eq(nx_query_parse("grain \"peace talks\" wheat corn", &t, err, sizeof err), 0);
    words_ctx ctx = {{0}, 0, 2};
    ck_assert_int_eq(nx_query_positive_words(t, collect_words, &ctx), 7);
    ck_assert_int_eq(ctx.calls, 2);
    ck_assert_str_eq(ctx.out, "grain:0 | peace:0 talks:0");
    nx_qnode_free(t);
}
END_TEST

/* ---- behaviour found wrong while writing these tests ---------------------- */

/* Capitals outside U+00C0-U+00DE, Greek U+0391-U+03AB and Cyrillic
 * U+0400-U+042F are not recognised (starts_upper() in parse.c): Polish,
 * Czech, Croatian, Turkish and Ukrainian names are then stemmed instead of
 * being matched as names. */
static const char *const capitals[] = {
    "Łukaszenka", "Žižek", "Šefčovič", "İstanbul", "Ōsaka", "Ήπειρος", "Ґудзь",
};

START_TEST(test_exact_capitals)
{
    const char *q = capitals[_i];
    result r;
    run_query(q, &r);
    ck_assert_msg(r.stage == STAGE_OK, "[%s]: %s", q, r.err);
    char want[64];
    snprintf(want, sizeof want, "\"^%s\"", q);
    ck_assert_msg(strcmp(r.fts5, want) == 0, "[%s] fts5: got %s, want %s", q, r.fts5, want);
    result_free(&r);
}
END_TEST

/* Non-ASCII punctuation on its own (a dash, an ellipsis, guillemets pasted
 * from a headline) has no word in it either: it must be ignored like ASCII
 * punctuation, not become a term that the tokenizer turns into nothing
 * (which makes the whole AND match no article). */
static const struct good_case punctuation[] = {
    {"Kherson — grain", "(AND Kherson grain)", "(\"^Kherson\" AND \"grain\")", 1},
    {"ceasefire …", "ceasefire", "\"ceasefire\"", 1},
    {"« ceasefire »", "ceasefire", "\"ceasefire\"", 1},
    {"grain – wheat", "(AND grain wheat)", "(\"grain\" AND \"wheat\")", 1},
    {"¿ceasefire ¡", "¿ceasefire", "\"¿ceasefire\"", 1},
};

START_TEST(test_nonascii_punctuation)
{
    const struct good_case *c = &punctuation[_i];
    result r;
    run_query(c->q, &r);
    ck_assert_msg(r.stage == STAGE_OK, "[%s]: %s", c->q, r.err);
    ck_assert_msg(strcmp(r.explain, c->explain) == 0, "[%s] explain: got %s, want %s", c->q,
                  r.explain, c->explain);
    ck_assert_msg(strcmp(r.fts5, c->fts5) == 0, "[%s] fts5: got %s, want %s", c->q, r.fts5,
                  c->fts5);
    result_free(&r);
}
END_TEST

START_TEST(test_nonascii_punctuation_only)
{
    result r;
    run_query("— … «»", &r);
    ck_assert_msg(r.stage == STAGE_PARSE, "accepted: %s / %s", r.explain ? r.explain : "-",
                  r.fts5 ? r.fts5 : "-");
    ck_assert_str_eq(r.err, "query:1:1: nothing to search for (the query has only punctuation)");
    result_free(&r);
}
END_TEST

/* a NEAR/3 b NEAR/5 c: the parser nests the first NEAR inside the second,
 * and the compiler writes the inner NEAR as if it were a phrase:
 * NEAR("a b" "c", 5) asks for "a b" adjacent, which nobody typed. With three
 * different distances the inner node is a NEAR of a NEAR and the compiler
 * calls strlen(NULL). Either refusing the mix or compiling it to something
 * that keeps both distances is fine; a phrase or a crash is not. */
START_TEST(test_near_chain_mixed_distances)
{
    result r;
    run_query("grain NEAR/3 deal NEAR/5 odesa", &r);
    if (r.stage == STAGE_OK) {
        ck_assert_msg(strstr(r.fts5, "\"grain deal\"") == NULL,
                      "proximity turned into a phrase: %s", r.fts5);
        ck_assert_msg(strstr(r.fts5, ", 3)") && strstr(r.fts5, ", 5)"),
                      "a distance was lost: %s", r.fts5);
    } else {
        ck_assert_msg(positioned(r.err, "grain NEAR/3 deal NEAR/5 odesa"), "%s", r.err);
    }
    result_free(&r);
}
END_TEST

START_TEST(test_near_chain_three_distances)
{
    const char *q = "grain NEAR/1 deal NEAR/2 odesa NEAR/3 port";
    result r;
    run_query(q, &r); /* crashed: strlen(NULL) in put_term_text */
    if (r.stage == STAGE_OK)
        ck_assert_msg(strstr(r.fts5, "\"grain deal") == NULL, "phrase: %s", r.fts5);
    else
        ck_assert_msg(positioned(r.err, q), "%s", r.err);
    result_free(&r);
}
END_TEST

/* title:a NEAR/2 b: the column of a word on either side of NEAR/N is
 * dropped, so the expression searches the whole article. */
START_TEST(test_near_keeps_column)
{
    static const char *const qs[] = {"title:grain NEAR/2 deal", "grain NEAR/2 title:deal",
                                     "body:\"grain deal\" NEAR/4 odesa"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        result r;
        run_query(qs[i], &r);
        if (r.stage == STAGE_OK)
            ck_assert_msg(strstr(r.fts5, i == 2 ? "body : " : "title : ") != NULL,
                          "[%s] column dropped: %s", qs[i], r.fts5);
        else
            ck_assert_msg(positioned(r.err, qs[i]), "%s", r.err);
        result_free(&r);
    }
}
END_TEST

/* A '-' where no exclusion can be (after NEAR/N, inside NEAR( ), right after
 * title:) is kept as part of the word, and the tokenizer then drops it: the
 * query looks FOR the word the user wanted to exclude. */
START_TEST(test_misplaced_exclusion)
{
    static const char *const qs[] = {"putin NEAR/3 -trump", "NEAR(putin -trump)",
                                     "title:-trump", "body:-trump putin"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        result r;
        run_query(qs[i], &r);
        if (r.stage == STAGE_OK)
            ck_assert_msg(strstr(r.explain, "(NOT") != NULL,
                          "[%s] exclusion became a search for the word: %s / %s", qs[i],
                          r.explain, r.fts5 ? r.fts5 : r.err);
        else
            ck_assert_msg(positioned(r.err, qs[i]), "%s", r.err);
        result_free(&r);
    }
}
END_TEST

/* title:(putin lang:en): apply_column() frees the filter it refuses but
 * returns NULL without freeing the group around it (which also keeps a
 * pointer to the freed filter). Only visible with LeakSanitizer. */
START_TEST(test_filter_in_column_group)
{
    static const char *const qs[] = {"title:(putin lang:en)", "body:(grain (wheat source:rt))",
                                     "title:(a OR b OR date:2022)"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        nx_qnode *t = (nx_qnode *)1;
        char err[256];
        ck_assert_int_eq(nx_query_parse(qs[i], &t, err, sizeof err), -1);
        ck_assert_ptr_null(t);
        ck_assert_str_eq(err, "query:1:1: a field filter cannot be inside title: or body:");
    }
}
END_TEST

/* ---- robustness ------------------------------------------------------------ */

/* Either a tree (and then split/explain/compile work or fail with a
 * positioned message) or a positioned parse error. Returns 0 when fine. */
static int pipeline_ok(const char *q, char *why, size_t whylen)
{
    nx_qnode *t = NULL;
    char err[512];
    if (nx_query_parse(q, &t, err, sizeof err) != 0) {
        if (t || !positioned(err, q)) {
            snprintf(why, whylen, "parse: %.400s", err);
            return -1;
        }
        return 0;
    }
    if (!t) {
        snprintf(why, whylen, "parse returned 0 and no tree");
        return -1;
    }
    nx_query_parts parts;
    if (nx_query_split(t, &parts, err, sizeof err) != 0) {
        if (!positioned(err, q)) {
            snprintf(why, whylen, "split: %.400s", err);
            return -1;
        }
        return 0;
    }
    int rc = 0;
    char *e = nx_query_explain(&parts);
    if (!e) {
        snprintf(why, whylen, "explain returned NULL");
        rc = -1;
    }
    free(e);
    if (rc == 0 && parts.text) {
        int pos = -1;
        char *f = nx_query_to_fts5(parts.text, NULL, &pos, err, sizeof err);
        if (f && (pos < 0 || pos > 1 || !fts5_syntax_ok(f))) {
            snprintf(why, whylen, "fts5: %.200s", f);
            rc = -1;
        } else if (!f && !positioned(err, q)) {
            snprintf(why, whylen, "compile: %.400s", err);
            rc = -1;
        }
        free(f);
    }
    nx_query_parts_free(&parts);
    return rc;
}

START_TEST(test_many_terms)
{
    enum { N = 10000 };
    char why[512];
    char *q = malloc((size_t)N * 16);
    ck_assert_ptr_nonnull(q);

    /* 10,000 ANDed words */
    q[0] = '\0';
    size_t n = 0;
    for (int i = 0; i < N; i++)
        n += (size_t)sprintf(q + n, "w%d ", i);
    nx_qnode *t;
    char err[256];
    ck_assert_int_eq(nx_query_parse(q, &t, err, sizeof err), 0);
    ck_assert_int_eq(t->kind, NX_Q_AND);
    ck_assert_uint_eq(t->nkids, N);
    ck_assert_str_eq(t->kids[N - 1]->text, "w9999");
    int pos;
    char *f = nx_query_to_fts5(t, NULL, &pos, err, sizeof err);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(pos, 1);
    ck_assert(strncmp(f, "(\"w0\" AND \"w1\" AND ", 19) == 0);
    const char *tail = "AND \"w9999\")";
    ck_assert(strlen(f) > strlen(tail) && strcmp(f + strlen(f) - strlen(tail), tail) == 0);
    free(f);
    nx_qnode_free(t);

    /* 10,000 alternatives, 10,000 exclusions, 10,000 in one NEAR chain */
    static const char *const fmts[] = {"w%d OR ", "-w%d ", "w%d NEAR/4 ", "\"w%d x\" "};
    for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++) {
        strcpy(q, "first ");
        n = strlen(q);
        for (int i = 0; i < N; i++)
            n += (size_t)sprintf(q + n, fmts[k], i);
        strcpy(q + n, "last");
        ck_assert_msg(pipeline_ok(q, why, sizeof why) == 0, "format %zu: %s", k, why);
    }
    free(q);
}
END_TEST

START_TEST(test_many_parens)
{
    enum { N = 100000 };
    result r;
    char *q = repeat("(", N, NULL);
    run_query(q, &r);
    ck_assert_int_eq(r.stage, STAGE_PARSE);
    ck_assert_str_eq(r.err, "query:1:101: parentheses nested more than 100 deep");
    result_free(&r);
    free(q);

    q = repeat("(", N, "putin");
    run_query(q, &r);
    ck_assert_str_eq(r.err, "query:1:101: parentheses nested more than 100 deep");
    result_free(&r);
    free(q);

    q = repeat(")", N, NULL);
    run_query(q, &r);
    ck_assert_str_eq(r.err, "query:1:1: unbalanced parenthesis");
    result_free(&r);
    free(q);

    q = repeat("(a) ", N / 10, NULL); /* 10,000 groups side by side */
    run_query(q, &r);
    ck_assert_msg(r.stage == STAGE_OK, "%s", r.err);
    result_free(&r);
    free(q);

    q = repeat("-(", N, "x");
    run_query(q, &r);
    ck_assert_int_eq(r.stage, STAGE_PARSE);
    result_free(&r);
    free(q);

    q = repeat("\"", N + 1, NULL);
    run_query(q, &r);
    ck_assert_int_eq(r.stage, STAGE_PARSE);
    ck_assert_msg(positioned(r.err, q), "%s", r.err);
    result_free(&r);
    free(q);
}
END_TEST

/* title:title:title:...x recursed once per prefix without the nesting limit
 * that parentheses have, so a long enough query overflowed the stack (40,000
 * prefixes, 240 kB, were enough). */
START_TEST(test_many_field_prefixes)
{
    enum { N = 50000 };
    char why[512];
    char *q = repeat("title:", N, "putin");
    ck_assert_msg(pipeline_ok(q, why, sizeof why) == 0, "%s", why);
    free(q);
    q = repeat("body:title:", N / 2, "putin");
    ck_assert_msg(pipeline_ok(q, why, sizeof why) == 0, "%s", why);
    free(q);
}
END_TEST

START_TEST(test_control_and_invalid_bytes)
{
    char why[512];
    char q[64];
    /* every control character, alone and inside or beside a word */
    for (int b = 1; b < 32; b++) {
        static const char *const fmts[] = {"%c", "a%cb", "%cputin", "putin %c", "\"a%cb\"",
                                           "title:%cx", "NEAR(a%cb c)"};
        for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++) {
            snprintf(q, sizeof q, fmts[k], b);
            if (pipeline_ok(q, why, sizeof why) != 0)
                ck_abort_msg("byte %d in \"%s\": %s", b, fmts[k], why);
        }
    }
    snprintf(q, sizeof q, "a%cb", 0x7f);
    ck_assert_msg(pipeline_ok(q, why, sizeof why) == 0, "%s", why);

    /* a control character inside a word stays in its quoted string */
    result r;
    run_query("grain\x01" "deal", &r);
    ck_assert_int_eq(r.stage, STAGE_OK);
    ck_assert_str_eq(r.fts5, "\"grain\x01" "deal\"");
    result_free(&r);

    /* invalid UTF-8 is refused where it starts, whatever surrounds it (it
     * once reached the analyzer and came back as "out of memory") */
    static const struct {
        const char *q;
        const char *err;
    } inv[] = {
        {"\xff", "query:1:1: byte 0xFF"},
        {"\xc3", "query:1:1: byte 0xC3"},
        {"\xe2\x80", "query:1:1: byte 0xE2"},
        {"a\xfe\xff" "b", "query:1:2: byte 0xFE"},
        {"\xc0\xaf", "query:1:1: byte 0xC0"},
        {"\xed\xa0\x80", "query:1:1: byte 0xED"},
        {"\xf4\x90\x80\x80", "query:1:1: byte 0xF4"},
        {"Путин\xd0", "query:1:6: byte 0xD0"},
        {"\"\xff\"", "query:1:2: byte 0xFF"},
        {"title:\xff", "query:1:7: byte 0xFF"},
        {"\xff OR \xfe", "query:1:1: byte 0xFF"},
        {"NEAR(\xff \xfe)", "query:1:6: byte 0xFF"},
        {"source:\xff", "query:1:8: byte 0xFF"},
        {"date:\xff", "query:1:6: byte 0xFF"},
        {"caf\xe9 \"x", "query:1:4: byte 0xE9"},
    };
    for (size_t k = 0; k < sizeof inv / sizeof inv[0]; k++) {
        ck_assert_msg(pipeline_ok(inv[k].q, why, sizeof why) == 0, "case %zu: %s", k, why);
        run_query(inv[k].q, &r);
        ck_assert_int_eq(r.stage, 'p');
        ck_assert_msg(strncmp(r.err, inv[k].err, strlen(inv[k].err)) == 0 &&
                          strstr(r.err, " is not UTF-8 text"),
                      "case %zu: got \"%s\", want \"%s ...\"", k, r.err, inv[k].err);
        result_free(&r);
    }
}
END_TEST

START_TEST(test_huge_word)
{
    enum { N = 1 << 20 };
    char why[512];
    result r;
    char *q = repeat("a", N, NULL);
    run_query(q, &r);
    ck_assert_int_eq(r.stage, STAGE_OK);
    ck_assert_uint_eq(strlen(r.fts5), N + 2);
    result_free(&r);
    q[0] = 'A'; /* exact */
    ck_assert_msg(pipeline_ok(q, why, sizeof why) == 0, "%s", why);
    q[N - 1] = '*'; /* prefix */
    ck_assert_msg(pipeline_ok(q, why, sizeof why) == 0, "%s", why);
    q[0] = '"';
    ck_assert_msg(pipeline_ok(q, why, sizeof why) == 0, "%s", why);
    free(q);

    q = repeat("é", N / 2, NULL);
    ck_assert_msg(pipeline_ok(q, why, sizeof why) == 0, "%s", why);
    free(q);
    q = repeat("É-", N / 4, NULL);
    ck_assert_msg(pipeline_ok(q, why, sizeof why) == 0, "%s", why);
    free(q);
    q = repeat("x", N, NULL);
    memcpy(q, "source:", 7);
    run_query(q, &r);
    ck_assert_int_eq(r.stage, STAGE_OK);
    result_free(&r);
    memcpy(q, "date:..", 7);
    run_query(q, &r);
    ck_assert_int_eq(r.stage, STAGE_PARSE);
    ck_assert_msg(positioned(r.err, q), "%s", r.err);
    ck_assert_msg(strlen(r.err) < 400, "message not bounded");
    result_free(&r);
    free(q);
}
END_TEST

/* Every byte value at every position of a few rich queries: no crash, and
 * either a result or a positioned error. */
START_TEST(test_byte_mutations)
{
    static const char *const bases[] = {
        "title:\"peace talks\" NEAR(Putin zelensky, 5) -source:rt date:2022-12..2023-01",
        "(negot* OR =Paris) -\"grain deal\" body:(Kyiv-based OR Élysée) haines NEAR/3 winter",
    };
    char buf[256];
    char why[512];
    for (size_t k = 0; k < sizeof bases / sizeof bases[0]; k++) {
        size_t n = strlen(bases[k]);
        for (size_t pos = 0; pos < n; pos++) {
            for (int b = 1; b < 256; b++) {
                memcpy(buf, bases[k], n + 1);
                buf[pos] = (char)b;
                if (pipeline_ok(buf, why, sizeof why) != 0)
                    ck_abort_msg("base %zu, byte %d at %zu: %s", k, b, pos, why);
            }
            memcpy(buf, bases[k], n + 1);
            buf[pos] = '\0';
            if (pipeline_ok(buf, why, sizeof why) != 0)
                ck_abort_msg("base %zu cut at %zu: %s", k, pos, why);
        }
    }
}
END_TEST

/* column_of() counts characters from the start of the query for every
 * node, so parsing is quadratic: 100,000 words took 28 s, 200,000 took
 * 107 s. A 600 kB query must not take minutes. */
START_TEST(test_parse_time)
{
    enum { N = 200000 };
    char *q = repeat("ab ", N, "x");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    nx_qnode *t;
    char err[256];
    ck_assert_int_eq(nx_query_parse(q, &t, err, sizeof err), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_uint_eq(t->nkids, N + 1);
    ck_assert_int_eq(t->kids[N]->col, 3 * N + 1);
    nx_qnode_free(t);
    free(q);
    ck_assert_msg(secs < 5.0, "parsing %d words took %.1f s", N, secs);
}
END_TEST

static Suite *query_suite(void)
{
    Suite *s = suite_create("query");
    TCase *tc = tcase_create("table");
    tcase_add_loop_test(tc, test_good, 0, (int)(sizeof good / sizeof good[0]));
    tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, test_null_and_small_buffers);
    tcase_add_test(tc, test_node_columns);
    tcase_add_test(tc, test_fts5_escapes_quotes);
    tcase_add_test(tc, test_fts5_languages);
    tcase_add_test(tc, test_fts5_grouped);
    tcase_add_test(tc, test_any_single_letters);
    tcase_add_test(tc, test_nesting_limit);
    tcase_add_loop_test(tc, test_date_range, 0, (int)(sizeof ranges / sizeof ranges[0]));
    tcase_add_loop_test(tc, test_positive_words, 0, (int)(sizeof words / sizeof words[0]));
    tcase_add_test(tc, test_positive_words_stop);
    suite_add_tcase(s, tc);

    TCase *bugs = tcase_create("found");
    tcase_add_loop_test(bugs, test_exact_capitals, 0,
                        (int)(sizeof capitals / sizeof capitals[0]));
    tcase_add_loop_test(bugs, test_nonascii_punctuation, 0,
                        (int)(sizeof punctuation / sizeof punctuation[0]));
    tcase_add_test(bugs, test_nonascii_punctuation_only);
    tcase_add_test(bugs, test_near_chain_mixed_distances);
    tcase_add_test(bugs, test_near_chain_three_distances);
    tcase_add_test(bugs, test_near_keeps_column);
    tcase_add_test(bugs, test_misplaced_exclusion);
    tcase_add_test(bugs, test_filter_in_column_group);
    suite_add_tcase(s, bugs);

    TCase *robust = tcase_create("robustness");
    tcase_set_timeout(robust, 120);
    tcase_add_test(robust, test_many_terms);
    tcase_add_test(robust, test_many_parens);
    tcase_add_test(robust, test_many_field_prefixes);
    tcase_add_test(robust, test_control_and_invalid_bytes);
    tcase_add_test(robust, test_huge_word);
    tcase_add_test(robust, test_byte_mutations);
    suite_add_tcase(s, robust);

    TCase *perf = tcase_create("performance");
    tcase_set_timeout(perf, 30);
    tcase_add_test(perf, test_parse_time);
    suite_add_tcase(s, perf);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(query_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
