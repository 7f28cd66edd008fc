/* test_holders.c - unit tests for the FTS5 engine's holders table
 * (src/store/fts5_holders.c), on a bare database with the two tables it
 * reads: a take-over from a file on disk is remembered, from a file that is
 * gone or from no file it is not; an article is wanted back only once no
 * file keeps it, each holder with the time it stopped keeping it; the
 * mark left by a removal makes a due-only call list them, until a call
 * finds nothing; forgetting a pair or a file removes its rows; a rollback
 * that took the table away is survived. */
#include "store/fts5.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static sqlite3 *db;
static char present[64], absent[64];

static void exec(const char *sql)
{
    char *err = NULL;
    ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql,
                  err ? err : "");
}

static void setup(void)
{
    snprintf(present, sizeof present, "/tmp/nx-holders-%ld.jsonl", (long)getpid());
    snprintf(absent, sizeof absent, "/tmp/nx-holders-%ld-gone.jsonl", (long)getpid());
    FILE *f = fopen(present, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    unlink(absent);
    ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    exec("CREATE TABLE files (fileno INTEGER PRIMARY KEY, path TEXT UNIQUE)");
    exec("CREATE TABLE articles (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, fileno INTEGER)");
    exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO files VALUES (1, '%s'), (2, '%s'), (3, '/later')",
             present, absent);
    exec(sql);
}

static void teardown(void)
{
    sqlite3_close(db);
    unlink(present);
}

typedef struct seen {
    char text[512];
    int n;
    int64_t since[8];
} seen;

static int note(void *ctx, const char *path, const char *id, int64_t since)
{
    seen *s = ctx;
    if (s->n < 8)
        s->since[s->n] = since;
    size_t used = strlen(s->text);
    snprintf(s->text + used, sizeof s->text - used, "%s%s=%s", s->n ? " " : "",
             strcmp(path, present) == 0 ? "present" : path, id);
    s->n++;
    return 0;
}

static seen wanted(nx_fts5_holders *h)
{
    seen s = {"", 0, {0}};
    ck_assert_int_eq(nx_fts5_holders_wanted(h, 0, note, &s), SQLITE_OK);
    return s;
}

/* The one number a query gives. */
static int number(const char *sql)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int rows(void)
{
    return number("SELECT count(*) FROM holders");
}

START_TEST(no_table_nothing_wanted)
{
    nx_fts5_holders *h = nx_fts5_holders_new(db);
    ck_assert_ptr_nonnull(h);
    /* An index made before the table: nothing to list or forget. */
    ck_assert_int_eq(wanted(h).n, 0);
    ck_assert_int_eq(nx_fts5_holders_forget(h, present, "x"), SQLITE_OK);
    ck_assert_int_eq(nx_fts5_holders_drop_file(h, present), SQLITE_OK);
    /* Passes that remember nothing do not make the table either. */
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 0, 3), SQLITE_OK);
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 3, 3), SQLITE_OK);
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 2, 3), SQLITE_OK);
    ck_assert_int_eq(wanted(h).n, 0);
    sqlite3_stmt *st;
    ck_assert_int_ne(sqlite3_prepare_v2(db, "SELECT 1 FROM holders", -1, &st, NULL), SQLITE_OK);
    nx_fts5_holders_free(h);
}
END_TEST

START_TEST(wanted_once_no_file_keeps_it)
{
    nx_fts5_holders *h = nx_fts5_holders_new(db);
    exec("INSERT INTO articles VALUES (1, 'x', 3), (2, 'y', 3)");
    /* From the file on disk: remembered; from the one gone: not. */
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 1, 3), SQLITE_OK);
    ck_assert_int_eq(nx_fts5_holders_pass(h, "y", 2, 3), SQLITE_OK);
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 1, 3), SQLITE_OK); /* twice: one row */
    ck_assert_int_eq(rows(), 1);
    /* Kept by /later: not wanted. */
    ck_assert_int_eq(wanted(h).n, 0);
    exec("DELETE FROM articles WHERE id = 'x'");
    seen s = wanted(h);
    ck_assert_str_eq(s.text, "present=x");
    ck_assert_int_eq(nx_fts5_holders_forget(h, present, "x"), SQLITE_OK);
    ck_assert_int_eq(wanted(h).n, 0);
    ck_assert_int_eq(rows(), 0);
    nx_fts5_holders_free(h);
}
END_TEST

START_TEST(taking_back_is_not_holding_twice)
{
    nx_fts5_holders *h = nx_fts5_holders_new(db);
    exec("INSERT INTO files VALUES (4, '/tmp')"); /* a path on disk */
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 1, 4), SQLITE_OK);
    /* The first file takes it back: it keeps it, /tmp holds it too. */
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 4, 1), SQLITE_OK);
    exec("DELETE FROM articles");
    seen s = wanted(h);
    ck_assert_str_eq(s.text, "/tmp=x");
    nx_fts5_holders_free(h);
}
END_TEST

START_TEST(holders_in_the_order_they_kept_it)
{
    nx_fts5_holders *h = nx_fts5_holders_new(db);
    exec("INSERT INTO files VALUES (4, '/tmp')");
    /* Kept by the first file, taken by /tmp, then by /later. */
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 1, 4), SQLITE_OK);
    nanosleep(&(struct timespec){0, 2000000}, NULL);
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 4, 3), SQLITE_OK);
    seen s = wanted(h);
    ck_assert_str_eq(s.text, "/tmp=x present=x"); /* by path */
    ck_assert_int_gt(s.since[1], 0);
    ck_assert_int_gt(s.since[0], s.since[1]); /* /tmp kept it last */
    nx_fts5_holders_free(h);
}
END_TEST

static int marked(void)
{
    return number("SELECT count(*) FROM meta WHERE key = 'restore'");
}

START_TEST(due_only_after_a_removal)
{
    nx_fts5_holders *h = nx_fts5_holders_new(db);
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 1, 3), SQLITE_OK);
    /* x is wanted (no article), but no removal marked the index. */
    seen s = {"", 0, {0}};
    ck_assert_int_eq(nx_fts5_holders_wanted(h, 1, note, &s), SQLITE_OK);
    ck_assert_int_eq(s.n, 0);
    ck_assert_int_eq(nx_fts5_holders_due(h), SQLITE_OK);
    ck_assert_int_eq(marked(), 1);
    ck_assert_int_eq(nx_fts5_holders_wanted(h, 1, note, &s), SQLITE_OK);
    ck_assert_str_eq(s.text, "present=x");
    ck_assert_int_eq(marked(), 1); /* still to do */
    ck_assert_int_eq(nx_fts5_holders_forget(h, present, "x"), SQLITE_OK);
    s = (seen){"", 0, {0}};
    ck_assert_int_eq(nx_fts5_holders_wanted(h, 1, note, &s), SQLITE_OK);
    ck_assert_int_eq(s.n, 0);
    ck_assert_int_eq(marked(), 0); /* done */
    nx_fts5_holders_free(h);
}
END_TEST

START_TEST(dropping_a_file_forgets_its_rows)
{
    nx_fts5_holders *h = nx_fts5_holders_new(db);
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 1, 3), SQLITE_OK);
    ck_assert_int_eq(nx_fts5_holders_pass(h, "z", 1, 3), SQLITE_OK);
    ck_assert_int_eq(wanted(h).n, 2);
    ck_assert_int_eq(nx_fts5_holders_drop_file(h, present), SQLITE_OK);
    ck_assert_int_eq(rows(), 0);
    nx_fts5_holders_free(h);
}
END_TEST

START_TEST(rollback_of_the_table)
{
    nx_fts5_holders *h = nx_fts5_holders_new(db);
    exec("BEGIN");
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 1, 3), SQLITE_OK);
    exec("ROLLBACK");
    nx_fts5_holders_reset(h);
    /* The table went with the transaction; the next pass makes it again. */
    ck_assert_int_eq(wanted(h).n, 0);
    ck_assert_int_eq(nx_fts5_holders_pass(h, "x", 1, 3), SQLITE_OK);
    ck_assert_int_eq(rows(), 1);
    nx_fts5_holders_free(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("holders");
    TCase *tc = tcase_create("holders");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, no_table_nothing_wanted);
    tcase_add_test(tc, wanted_once_no_file_keeps_it);
    tcase_add_test(tc, taking_back_is_not_holding_twice);
    tcase_add_test(tc, holders_in_the_order_they_kept_it);
    tcase_add_test(tc, due_only_after_a_removal);
    tcase_add_test(tc, dropping_a_file_forgets_its_rows);
    tcase_add_test(tc, rollback_of_the_table);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
