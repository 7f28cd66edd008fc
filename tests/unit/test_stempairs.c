/* test_stempairs.c - unit tests for a writer's (stem term, word) pairs
 * (src/store/stempairs.c), which both engines write into their stem lists:
 * a pair is kept once per run, walked in the order met until written,
 * forgotten with a rollback; a language is part of the pair. */
#include "store/stempairs.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct walk {
    char text[4096]; /* "stem=word;" for each pair */
    size_t used;
    int stop_after; /* nonzero: return 7 at that pair */
    int seen;
} walk;

static int on_pair(void *ctx, const char *stem, size_t sl, const char *word, size_t wl)
{
    walk *w = ctx;
    /* Only the first pairs are spelled out; all are counted. */
    if (w->used + sl + wl + 3 < sizeof w->text)
        w->used += (size_t)snprintf(w->text + w->used, sizeof w->text - w->used, "%.*s=%.*s;",
                                    (int)sl, stem, (int)wl, word);
    return ++w->seen == w->stop_after ? 7 : 0;
}

static const char *pairs_of(nx_stempairs *s)
{
    static walk w;
    memset(&w, 0, sizeof w);
    ck_assert_int_eq(nx_stempairs_each(s, on_pair, &w), 0);
    return w.text;
}

START_TEST(kept_once_in_order)
{
    nx_stempairs *s = nx_stempairs_new();
    ck_assert_ptr_nonnull(s);
    nx_stempairs_note(s, "~ennegoti", 9, "negotiations", 12);
    nx_stempairs_note(s, "~enprice", 8, "prices", 6);
    nx_stempairs_note(s, "~ennegoti", 9, "negotiations", 12);
    nx_stempairs_note(s, "~ennegoti", 9, "negotiate", 9);
    /* The same word in another language is another pair. */
    nx_stempairs_note(s, "~frnegoci", 9, "negotiations", 12);
    ck_assert_str_eq(pairs_of(s), "~ennegoti=negotiations;~enprice=prices;~ennegoti=negotiate;"
                                  "~frnegoci=negotiations;");
    /* Too short a stem term, an empty or over-long word: not kept. */
    nx_stempairs_note(s, "~en", 3, "a", 1);
    nx_stempairs_note(s, "~enx", 4, "", 0);
    char longw[300];
    memset(longw, 'w', sizeof longw);
    nx_stempairs_note(s, "~enw", 4, longw, 254);
    ck_assert_str_eq(pairs_of(s), "~ennegoti=negotiations;~enprice=prices;~ennegoti=negotiate;"
                                  "~frnegoci=negotiations;");
    nx_stempairs_free(s);
}
END_TEST

START_TEST(written_then_forgotten)
{
    nx_stempairs *s = nx_stempairs_new();
    ck_assert_ptr_nonnull(s);
    nx_stempairs_note(s, "~enprice", 8, "prices", 6);
    nx_stempairs_written(s);
    ck_assert_str_eq(pairs_of(s), "");
    /* Written this run: not kept again. */
    nx_stempairs_note(s, "~enprice", 8, "prices", 6);
    nx_stempairs_note(s, "~enprice", 8, "priced", 6);
    ck_assert_str_eq(pairs_of(s), "~enprice=priced;");
    /* A rollback lost what was written in it: the run meets them anew. */
    nx_stempairs_forget(s);
    ck_assert_str_eq(pairs_of(s), "");
    nx_stempairs_note(s, "~enprice", 8, "prices", 6);
    nx_stempairs_note(s, "~enprice", 8, "priced", 6);
    ck_assert_str_eq(pairs_of(s), "~enprice=prices;~enprice=priced;");
    nx_stempairs_free(s);
}
END_TEST

START_TEST(walk_stops_and_grows)
{
    nx_stempairs *s = nx_stempairs_new();
    ck_assert_ptr_nonnull(s);
    char word[32];
    /* Past the first buffer (64 KB). */
    for (int i = 0; i < 10000; i++) {
        int n = snprintf(word, sizeof word, "talks%d", i);
        nx_stempairs_note(s, "~entalk", 7, word, (size_t)n);
    }
    walk some = {.stop_after = 3};
    ck_assert_int_eq(nx_stempairs_each(s, on_pair, &some), 7);
    ck_assert_int_eq(some.seen, 3);
    walk all = {0};
    ck_assert_int_eq(nx_stempairs_each(s, on_pair, &all), 0);
    ck_assert_int_eq(all.seen, 10000);
    ck_assert(strncmp(all.text, "~entalk=talks0;~entalk=talks1;", 30) == 0);
    nx_stempairs_free(s);
}
END_TEST

static Suite *stempairs_suite(void)
{
    Suite *s = suite_create("stempairs");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, kept_once_in_order);
    tcase_add_test(tc, written_then_forgotten);
    tcase_add_test(tc, walk_stops_and_grows);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(stempairs_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
