/* test_rank.c - unit tests for nx_rank(), the FTS5 ranking function
 * (src/store/fts5_rank.c), called through SQL on a small index the way the
 * search does: a word's terms ORed, with the map of phrases to words.
 *
 * BM25 values are worked out here from the index's own counts, so that a
 * change to the formula shows; and a map that does not fit the query's
 * phrases must fall back to one word per phrase rather than misread. An
 * occurrence in the first 30 words of the body counts twice (the lead). */
#include "store/fts5.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/nx-rank-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void add(nx_index_t *ix, const char *id, const char *body)
{
    nx_article_t *a;
    ck_assert_int_eq(nx_article_new(&a), NX_OK);
    nx_article_set(a, NX_FIELD_ID, id);
    nx_article_set(a, NX_FIELD_TITLE, "");
    nx_article_set(a, NX_FIELD_BODY, body);
    nx_article_set(a, NX_FIELD_LANG, "en");
    ck_assert_msg(nx_index_add_article(ix, a) == NX_OK, "adding %s: %s", id,
                  nx_index_last_error(ix));
    nx_article_destroy(a);
}

/* Twenty articles of six words each: only the first says oil, only the
 * second oils, the third both; the rest neither (so that rarity counts:
 * in 3 of 4 articles a word would weigh next to nothing). */
static nx_index_t *small_index(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/r.idx", dir);
    nx_index_t *ix;
    char err[256];
    ck_assert_int_eq(nx_index_open(path, NX_OPEN_CREATE, NULL, &ix, err, sizeof err), NX_OK);
    add(ix, "a", "the tanker brought oil to port");
    add(ix, "b", "the tanker brought oils to port");
    add(ix, "c", "oil and oils came to port");
    add(ix, "d", "the ferry brought cars to port");
    for (int i = 0; i < 16; i++) {
        char id[16];
        snprintf(id, sizeof id, "f%d", i);
        add(ix, id, "a ferry carried cars to port");
    }
    return ix;
}

/* The score of article id for the MATCH expression and map. */
static double score(nx_index_t *ix, const char *match, const char *groups, const char *id)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(
        sqlite3_prepare_v2(nx_fts5_db(ix),
                           "SELECT nx_rank(articles_fts, ?2, 1.0, 3.0) FROM articles_fts JOIN "
                           "articles AS a ON a.rowid = articles_fts.rowid WHERE articles_fts "
                           "MATCH ?1 AND a.id = ?3",
                           -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, groups, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    ck_assert_msg(rc == SQLITE_ROW, "%s: no row for %s (%s)", match, id,
                  sqlite3_errmsg(nx_fts5_db(ix)));
    double v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

#define OIL "(\"\x1f!\x1foil\" OR \"\x1f!\x1foils\")"

/* BM25 of one word: idf from n of N articles, tf occurrences in an article
 * of dl words where the average is avgdl (k1 1.3, b 0.8). */
static double bm25(double n, double N, double tf, double dl, double avgdl)
{
    double idf = log((N - n + 0.5) / (n + 0.5));
    if (idf <= 0)
        idf = 1e-6;
    return idf * tf * 2.3 / (tf + 1.3 * (1 - 0.8 + 0.8 * dl / avgdl));
}

/* What an occurrence in the lead counts for: every occurrence in
 * small_index's six-word articles is in it. */
#define LEAD 2.0

START_TEST(forms_of_a_word_score_as_one)
{
    nx_index_t *ix = small_index();
    double a = score(ix, OIL, "0 0", "a"), b = score(ix, OIL, "0 0", "b");
    double c = score(ix, OIL, "0 0", "c");
    /* oil and oils: one word in 3 of 20 articles, once in a and b, twice in c. */
    ck_assert_double_eq_tol(a, b, 1e-12);
    ck_assert_double_eq_tol(a, bm25(3, 20, LEAD, 6, 6), 1e-9);
    ck_assert_double_eq_tol(c, bm25(3, 20, 2 * LEAD, 6, 6), 1e-9);
    /* Without the map, the rarer oils would weigh more on its own. */
    double b_alone = score(ix, OIL, NULL, "b");
    ck_assert_double_eq_tol(b_alone, bm25(2, 20, LEAD, 6, 6), 1e-9);
    ck_assert(b_alone > b + 0.1);
    nx_index_close(ix);
}
END_TEST

START_TEST(a_map_that_does_not_fit_is_not_used)
{
    nx_index_t *ix = small_index();
    double alone = score(ix, OIL, NULL, "b");
    static const char *bad[] = {"0 0 0", "0", "0 5", "x y", "0 -1", "", "0 0 junk"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(fabs(score(ix, OIL, bad[i], "b") - alone) < 1e-9,
                      "map '%s' was used for two phrases", bad[i]);
    nx_index_close(ix);
}
END_TEST

START_TEST(excluded_words_cost_nothing_and_score_nothing)
{
    nx_index_t *ix = small_index();
    /* port NOT ferry: ferry's phrase is in the map but never in a hit. */
    const char *m = "(\"\x1f!\x1fport\") NOT (\"\x1f!\x1f" "ferry\")";
    double a = score(ix, m, "0 1", "a");
    ck_assert_double_eq_tol(a, bm25(20, 20, LEAD, 6, 6), 1e-12);
    nx_index_close(ix);
}
END_TEST

/* n words: word first (at == 0), last (at == n - 1), or nowhere (at < 0),
 * port everywhere else. */
static void add_at(nx_index_t *ix, const char *id, const char *word, int at, int n)
{
    char body[1024] = "";
    for (int i = 0; i < n; i++) {
        strcat(body, i ? " " : "");
        strcat(body, i == at ? word : "port");
    }
    add(ix, id, body);
}

START_TEST(the_lead_counts_twice)
{
    char path[128];
    snprintf(path, sizeof path, "%s/lead.idx", dir);
    nx_index_t *ix;
    char err[256];
    ck_assert_int_eq(nx_index_open(path, NX_OPEN_CREATE, NULL, &ix, err, sizeof err), NX_OK);
    /* Ten articles of 40 words: tanker first in one, last in another
     * (past the lead's 30 words), in no other. */
    add_at(ix, "first", "tanker", 0, 40);
    add_at(ix, "last", "tanker", 39, 40);
    for (int i = 0; i < 8; i++) {
        char id[16];
        snprintf(id, sizeof id, "f%d", i);
        add_at(ix, id, "tanker", -1, 40);
    }
    const char *m = "(\"\x1f!\x1ftanker\")";
    double first = score(ix, m, "0", "first"), last = score(ix, m, "0", "last");
    ck_assert_double_eq_tol(first, bm25(2, 10, 2, 40, 40), 1e-9);
    ck_assert_double_eq_tol(last, bm25(2, 10, 1, 40, 40), 1e-9);
    ck_assert(first > last);
    nx_index_close(ix);
}
END_TEST

static Suite *rank_suite(void)
{
    Suite *s = suite_create("rank");
    TCase *tc = tcase_create("nx_rank");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, forms_of_a_word_score_as_one);
    tcase_add_test(tc, a_map_that_does_not_fit_is_not_used);
    tcase_add_test(tc, excluded_words_cost_nothing_and_score_nothing);
    tcase_add_test(tc, the_lead_counts_twice);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rank_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
