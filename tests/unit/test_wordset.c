/* test_wordset.c - unit tests for the word set behind the spelling list
 * (src/store/wordset.c): each word is new once, lengths and bytes both
 * count, growth keeps every word, clearing forgets them all. */
#include "store/wordset.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(new_once)
{
    nx_wordset *s = nx_wordset_new();
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(nx_wordset_add(s, "oil", 3), 1);
    ck_assert_int_eq(nx_wordset_add(s, "oil", 3), 0);
    /* A prefix, a longer word and one byte changed are other words. */
    ck_assert_int_eq(nx_wordset_add(s, "oils", 3), 0);
    ck_assert_int_eq(nx_wordset_add(s, "oils", 4), 1);
    ck_assert_int_eq(nx_wordset_add(s, "oi", 2), 1);
    ck_assert_int_eq(nx_wordset_add(s, "oir", 3), 1);
    ck_assert_uint_eq(nx_wordset_count(s), 4);
    /* Empty and over-long words are refused, not stored. */
    ck_assert_int_eq(nx_wordset_add(s, "", 0), -1);
    char longw[300];
    memset(longw, 'a', sizeof longw);
    ck_assert_int_eq(nx_wordset_add(s, longw, 256), -1);
    ck_assert_int_eq(nx_wordset_add(s, longw, 255), 1);
    ck_assert_uint_eq(nx_wordset_count(s), 5);
    nx_wordset_free(s);
}
END_TEST

START_TEST(growth_keeps_words)
{
    nx_wordset *s = nx_wordset_new();
    ck_assert_ptr_nonnull(s);
    char w[32];
    /* Far past the first table and arena sizes. */
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(w, sizeof w, "word%d", i);
        ck_assert_int_eq(nx_wordset_add(s, w, (size_t)n), 1);
    }
    ck_assert_uint_eq(nx_wordset_count(s), 100000);
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(w, sizeof w, "word%d", i);
        ck_assert_int_eq(nx_wordset_add(s, w, (size_t)n), 0);
    }
    ck_assert_int_eq(nx_wordset_add(s, "word100000", 10), 1);
    nx_wordset_clear(s);
    ck_assert_uint_eq(nx_wordset_count(s), 0);
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(w, sizeof w, "word%d", i);
        ck_assert_int_eq(nx_wordset_add(s, w, (size_t)n), 1);
    }
    nx_wordset_free(s);
}
END_TEST

static Suite *wordset_suite(void)
{
    Suite *s = suite_create("wordset");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, new_once);
    tcase_add_test(tc, growth_keeps_words);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(wordset_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
