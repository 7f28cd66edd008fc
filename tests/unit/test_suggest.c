/* test_suggest.c - unit tests for "did you mean" (src/lib/suggest.c) and the
 * FTS5 vocabulary it reads (nx_fts5_vocabulary, src/store/fts5_read.c).
 *
 * The vocabulary is read straight from the FTS5 segment leaves; every case
 * compares it, word for word and count for count, with what SQLite's own
 * fts5vocab table says of the same index, on indexes made to stress the
 * reader: pages of 64 bytes (every doclist and position list runs over
 * several pages), one segment per article, articles replaced (delete flags,
 * rowids in several segments) and merged. Then suggestions are checked on
 * small indexes. */
#include "store/fts5.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* For checks in loops: Check's ck_assert_* are slow under sanitizers. */
#define REQUIRE(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

/* ---- helpers ------------------------------------------------------------- */

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/nx-suggest-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static char *db_path(const char *name)
{
    static char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static void exec(nx_index_t *ix, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(nx_fts5_db(ix), sql, NULL, NULL, &err);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
    sqlite3_free(err);
}

static void add(nx_index_t *ix, const char *id, const char *title, const char *body)
{
    nx_article_t *a;
    ck_assert_int_eq(nx_article_new(&a), NX_OK);
    nx_article_set(a, NX_FIELD_ID, id);
    nx_article_set(a, NX_FIELD_TITLE, title);
    nx_article_set(a, NX_FIELD_BODY, body);
    nx_article_set(a, NX_FIELD_LANG, "en");
    nx_status_t st = nx_index_add_article(ix, a);
    ck_assert_msg(st == NX_OK, "adding %s: %s", id, nx_index_last_error(ix));
    nx_article_destroy(a);
}

/* A made-up word: common ones often, a few very long, some sharing long
 * prefixes, all from a seeded generator so that every run is the same. */
static unsigned rnd_state;
static unsigned rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) & 0x7fff;
}

static void word(char *w, size_t size)
{
    static const char *stems[] = {"said", "sa", "share", "shares", "market", "markets", "oil",
                                  "baklanov", "baklanow", "negotiations", "talks", "zebra",
                                  "x", "qu", "abcdefghijklmnopqrstuvwxyzabcdefghij", "1987",
                                  "m", "mm", "mmm", "moscow", "kyiv"};
    unsigned r = rnd();
    if (r % 3 == 0) {
        snprintf(w, size, "%s", stems[r / 3 % (sizeof stems / sizeof stems[0])]);
    } else { /* two to nine letters, skewed to the start of the alphabet */
        size_t n = 2 + rnd() % 8;
        for (size_t i = 0; i < n && i + 1 < size; i++)
            w[i] = (char)('a' + (rnd() % 26) * (rnd() % 26) / 26);
        w[n < size ? n : size - 1] = '\0';
    }
}

/* An article body of n words; every seventh article repeats one word
 * hundreds of times (a position list longer than many pages). */
static char *body(size_t n, unsigned seed)
{
    rnd_state = seed;
    size_t cap = n * 48 + 8192, len = 0;
    char *b = malloc(cap);
    ck_assert_ptr_nonnull(b);
    b[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char w[64];
        word(w, sizeof w);
        len += (size_t)snprintf(b + len, cap - len, "%s ", w);
    }
    for (int i = 0; seed % 7 == 0 && i < 600; i++)
        len += (size_t)snprintf(b + len, cap - len, "%s", "repeated ");
    return b;
}

typedef struct vlist {
    char **t;
    int64_t *n;
    size_t k, cap;
} vlist;

static void collect(void *ctx, const char *t, int64_t n)
{
    vlist *l = ctx;
    if (l->k == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->t = realloc(l->t, l->cap * sizeof *l->t);
        l->n = realloc(l->n, l->cap * sizeof *l->n);
        REQUIRE(l->t && l->n, "out of memory");
    }
    l->t[l->k] = strdup(t);
    l->n[l->k++] = n;
}

static void vlist_free(vlist *l)
{
    for (size_t i = 0; i < l->k; i++)
        free(l->t[i]);
    free(l->t);
    free(l->n);
    memset(l, 0, sizeof *l);
}

static int table_exists(nx_index_t *ix, const char *name)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(nx_fts5_db(ix),
                                        "SELECT count(*) FROM temp.sqlite_master WHERE name = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* A word filter that keeps about half the words, in no order the index
 * knows: the reader must pass over the others' doclists, however long. */
static int every_other(void *ctx, const char *t, size_t len)
{
    (void)ctx;
    size_t h = len;
    for (size_t i = 0; i < len; i++)
        h = h * 31 + (unsigned char)t[i];
    return (int)(h & 1);
}

/* Compares nx_fts5_vocabulary with fts5vocab for prefix (with filter
 * set, the words every_other keeps); returns the number of words. With
 * leaves, the words must have come from the leaves (the fts5vocab table
 * the function falls back on was never made). */
static size_t compare_with(nx_index_t *ix, const char *prefix, int leaves, int filter)
{
    vlist got = {0}, want = {0};
    ck_assert_int_eq(nx_fts5_vocabulary(ix, prefix, filter ? every_other : NULL, collect, &got),
                     NX_OK);
    if (leaves)
        ck_assert_msg(!table_exists(ix, "nx_vocab"), "'%s' was read by fts5vocab", prefix);
    exec(ix, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.t_vocab USING "
             "fts5vocab(main, articles_fts, row)");
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(nx_fts5_db(ix),
                                        "SELECT term, doc FROM temp.t_vocab WHERE term >= ?1 AND "
                                        "term < ?1 || char(1114111) AND substr(term, 1, 1) != '~'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (!filter || every_other(NULL, t, strlen(t)))
            collect(&want, t, sqlite3_column_int64(st, 1));
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < got.k && i < want.k; i++)
        REQUIRE(strcmp(got.t[i], want.t[i]) == 0 && got.n[i] == want.n[i],
                "prefix '%s'%s, word %zu: '%s' in %lld articles, fts5vocab: '%s' in %lld",
                prefix, filter ? " (filtered)" : "", i, got.t[i], (long long)got.n[i],
                want.t[i], (long long)want.n[i]);
    REQUIRE(got.k == want.k, "prefix '%s'%s: %zu words, fts5vocab %zu", prefix,
            filter ? " (filtered)" : "", got.k, want.k);
    size_t n = got.k;
    vlist_free(&got);
    vlist_free(&want);
    return n;
}

static size_t compare(nx_index_t *ix, const char *prefix, int leaves)
{
    size_t kept = compare_with(ix, prefix, leaves, 1);
    size_t all = compare_with(ix, prefix, leaves, 0);
    ck_assert_uint_le(kept, all);
    return all;
}

static void compare_all(nx_index_t *ix, int leaves)
{
    static const char *words[] = {"said", "sa", "baklanov", "baklano", "repeated", "x", "zz",
                                  "abcdefghijklmnopqrstuvwxyz", "mm", "1987", "qu", "~", ""};
    size_t total = compare(ix, "", leaves);
    ck_assert_uint_gt(total, 100);
    size_t sum = 0;
    char p[2] = {0, 0};
    for (int c = 0; c < 128; c++) {
        p[0] = (char)c;
        if (c)
            sum += compare(ix, p, leaves);
    }
    ck_assert_uint_eq(sum, total);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        compare(ix, words[i], leaves);
}

/* How the test index is made. */
typedef struct shape {
    const char *name;
    int pgsz;       /* FTS5 page size; 0: the default (4050) */
    int automerge;  /* -1: the default */
    int articles;
    int replace;    /* articles written again with other words, in rounds */
    int optimize;
} shape;

static const shape shapes[] = {
    {"default pages, merged as it goes", 0, -1, 120, 0, 0},
    {"64-byte pages, a segment per article", 64, 0, 60, 0, 0},
    {"64-byte pages, replaced articles", 64, 0, 60, 3, 0},
    {"default pages, replaced articles", 0, 0, 80, 2, 0},
    {"64-byte pages, replaced, merged", 64, 2, 60, 3, 0},
    {"64-byte pages, replaced, merged by 16", 64, 16, 60, 3, 0},
    {"replaced then optimized", 64, 0, 40, 2, 1},
};

static nx_index_t *make_index(const shape *s)
{
    nx_index_t *ix;
    char err[256];
    ck_assert_int_eq(nx_index_open(db_path("v.idx"), NX_OPEN_CREATE, NULL, &ix, err, sizeof err),
                     NX_OK);
    char sql[160];
    if (s->pgsz) {
        snprintf(sql, sizeof sql, "INSERT INTO articles_fts(articles_fts, rank) VALUES('pgsz', %d)",
                 s->pgsz);
        exec(ix, sql);
    }
    if (s->automerge >= 0) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO articles_fts(articles_fts, rank) VALUES('automerge', %d)",
                 s->automerge);
        exec(ix, sql);
        exec(ix, "INSERT INTO articles_fts(articles_fts, rank) VALUES('crisismerge', 1000)");
    }
    for (int round = 0; round <= s->replace; round++) {
        for (int i = 0; i < s->articles; i++) {
            if (round && i % (round + 2) != 0)
                continue; /* replace some, fewer each round */
            char id[32], title[64];
            snprintf(id, sizeof id, "a%d", i);
            snprintf(title, sizeof title, "Article %d round %d", i, round);
            char *b = body(40 + (size_t)(i % 9) * 25, (unsigned)(i * 31 + round * 977 + 7));
            add(ix, id, title, b);
            free(b);
        }
    }
    if (s->optimize)
        ck_assert_int_eq(nx_index_optimize(ix), NX_OK);
    nx_index_close(ix);
    /* Read it as `newsidx search` does. */
    ck_assert_int_eq(nx_index_open(db_path("v.idx"), NX_OPEN_READ_ONLY, NULL, &ix, err, sizeof err),
                     NX_OK);
    return ix;
}

/* ---- the vocabulary ------------------------------------------------------ */

START_TEST(leaves_match_fts5vocab)
{
    nx_index_t *ix = make_index(&shapes[_i]);
    compare_all(ix, 1);
    nx_index_close(ix);
}
END_TEST

START_TEST(open_transaction_uses_fts5vocab)
{
    nx_index_t *ix = make_index(&shapes[2]);
    exec(ix, "BEGIN");
    compare(ix, "s", 0);
    ck_assert_msg(table_exists(ix, "nx_vocab"), "read from the leaves inside a transaction");
    exec(ix, "COMMIT");
    nx_index_close(ix);
}
END_TEST

START_TEST(empty_index)
{
    nx_index_t *ix;
    char err[256];
    ck_assert_int_eq(nx_index_open(db_path("e.idx"), NX_OPEN_CREATE, NULL, &ix, err, sizeof err),
                     NX_OK);
    vlist got = {0};
    ck_assert_int_eq(nx_fts5_vocabulary(ix, "", NULL, collect, &got), NX_OK);
    ck_assert_uint_eq(got.k, 0);
    add(ix, "one", "Baklanov", "talks");
    ck_assert_int_eq(nx_fts5_vocabulary(ix, "b", NULL, collect, &got), NX_OK);
    ck_assert_uint_eq(got.k, 1);
    ck_assert_str_eq(got.t[0], "baklanov");
    ck_assert_int_eq(got.n[0], 1);
    vlist_free(&got);
    nx_index_close(ix);
}
END_TEST

/* ---- suggestions --------------------------------------------------------- */

static char *suggest(nx_index_t *ix, const char *query)
{
    nx_search_t *s;
    ck_assert_int_eq(nx_search_new(ix, query, &s), NX_OK);
    char *out = (char *)1;
    ck_assert_int_eq(nx_search_suggest(s, query, &out), NX_OK);
    nx_search_destroy(s);
    return out;
}

static void expect_suggestion(nx_index_t *ix, const char *query, const char *want)
{
    char *got = suggest(ix, query);
    if (want)
        ck_assert_msg(got && strcmp(got, want) == 0, "'%s': '%s', expected '%s'", query,
                      got ? got : "(none)", want);
    else
        ck_assert_msg(!got, "'%s': '%s', expected none", query, got);
    free(got);
}

static nx_index_t *small_index(void)
{
    nx_index_t *ix;
    char err[256];
    ck_assert_int_eq(nx_index_open(db_path("s.idx"), NX_OPEN_CREATE, NULL, &ix, err, sizeof err),
                     NX_OK);
    for (int i = 0; i < 12; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        add(ix, id, "Baklanov sets conditions",
            i % 3 ? "Negotiations stalled in Moscow over two of six points."
                  : "Baklanov said negotiations would wait.");
    }
    return ix;
}

START_TEST(replaces_whole_words_only)
{
    nx_index_t *ix = small_index();
    expect_suggestion(ix, "Baklanof", "Baklanov");
    /* Baklanof is also inside xBaklanof, which has no close word. */
    expect_suggestion(ix, "xBaklanof Baklanof", "xBaklanof Baklanov");
    expect_suggestion(ix, "Baklanof xBaklanof", "Baklanov xBaklanof");
    expect_suggestion(ix, "Baklanof Baklanof", "Baklanov Baklanov");
    /* "o" (of) sits inside "two" */
    expect_suggestion(ix, "two o six", "two of six");
    nx_index_close(ix);
}
END_TEST

START_TEST(words_sharing_a_letter)
{
    nx_index_t *ix = small_index();
    /* one read of the n words serves both */
    expect_suggestion(ix, "negotiatoins nagotiations", "negotiations negotiations");
    expect_suggestion(ix, "conditons Baklanof", "conditions Baklanov");
    expect_suggestion(ix, "negotiations Moscow", NULL);
    nx_index_close(ix);
}
END_TEST

/* Greek and Cyrillic: edits counted in letters (one two-byte letter
 * changed is one edit), lengths in letters, capitals kept. */
START_TEST(other_alphabets)
{
    nx_index_t *ix = small_index();
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "g%d", i);
        add(ix, id, "Μητσοτάκης στις Βρυξέλλες", "Ο Μητσοτάκης συνάντησε τον Зеленский.");
    }
    expect_suggestion(ix, "Μητσοτακις", "Μητσοτακης");
    expect_suggestion(ix, "Зеленскй", "Зеленский");          /* a letter left out */
    expect_suggestion(ix, "Зеленськийй", "Зеленский");       /* two edits in 8+ letters */
    expect_suggestion(ix, "Зеленсьикйй", NULL);              /* three */
    nx_index_close(ix);
}
END_TEST

START_TEST(replaced_articles_no_longer_count)
{
    nx_index_t *ix = small_index();
    exec(ix, "INSERT INTO articles_fts(articles_fts, rank) VALUES('automerge', 0)");
    /* Every Baklanov becomes Baklanow: the old word is left only in deleted
     * entries of older segments, and must count for nothing. */
    for (int i = 0; i < 12; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        add(ix, id, "Baklanow sets conditions", "Baklanow said negotiations would wait.");
    }
    vlist got = {0};
    ck_assert_int_eq(nx_fts5_vocabulary(ix, "baklano", NULL, collect, &got), NX_OK);
    ck_assert_uint_eq(got.k, 1);
    ck_assert_str_eq(got.t[0], "baklanow");
    ck_assert_int_eq(got.n[0], 12);
    vlist_free(&got);
    expect_suggestion(ix, "Baklanof", "Baklanow");
    nx_index_close(ix);
}
END_TEST

/* A word in 50 articles is taken as meant, even beside a close word in ten
 * times as many (weak / week): looking for a correction would read the
 * words of its whole letter, for a word nobody mistyped. */
START_TEST(common_words_are_meant)
{
    nx_index_t *ix;
    char err[256];
    ck_assert_int_eq(nx_index_open(db_path("m.idx"), NX_OPEN_CREATE, NULL, &ix, err, sizeof err),
                     NX_OK);
    for (int i = 0; i < 550; i++) {
        char id[16];
        snprintf(id, sizeof id, "m%d", i);
        add(ix, id, "Harbour notes",
            i < 50 ? "A weak current in the bay." : "A calm week in the bay.");
    }
    /* weak is in 50 articles: meant, though week is in 500. */
    expect_suggestion(ix, "weak zqxjv", NULL);
    /* A word in fewer articles still gets a far more common close word. */
    expect_suggestion(ix, "bey zqxjv", "bay zqxjv");
    nx_index_close(ix);
}
END_TEST

static Suite *suggest_suite(void)
{
    Suite *s = suite_create("suggest");
    TCase *v = tcase_create("vocabulary");
    tcase_add_checked_fixture(v, setup, teardown);
    tcase_set_timeout(v, 120);
    tcase_add_loop_test(v, leaves_match_fts5vocab, 0, (int)(sizeof shapes / sizeof shapes[0]));
    tcase_add_test(v, open_transaction_uses_fts5vocab);
    tcase_add_test(v, empty_index);
    suite_add_tcase(s, v);

    TCase *g = tcase_create("suggestions");
    tcase_add_checked_fixture(g, setup, teardown);
    tcase_set_timeout(g, 60);
    tcase_add_test(g, replaces_whole_words_only);
    tcase_add_test(g, words_sharing_a_letter);
    tcase_add_test(g, other_alphabets);
    tcase_add_test(g, replaced_articles_no_longer_count);
    tcase_add_test(g, common_words_are_meant);
    suite_add_tcase(s, g);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suggest_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
