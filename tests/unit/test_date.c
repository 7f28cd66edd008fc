/* test_date.c - unit tests for nx_date_parse (src/ingest/date.c). */
#include "ingest/date.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct good_case {
    const char *in;
    const char *want;
};

static const struct good_case good[] = {
    /* ISO-8601 */
    {"2022-12-04", "2022-12-04T00:00:00Z"},
    {"2022-12-04T09:30", "2022-12-04T09:30:00Z"},
    {"2022-12-04T09:30:00Z", "2022-12-04T09:30:00Z"},
    {"2022-12-04t09:30:00z", "2022-12-04T09:30:00Z"},
    {"2022-12-04 09:30:00+01:00", "2022-12-04T08:30:00Z"},
    {"2022-12-04T09:30:00+0100", "2022-12-04T08:30:00Z"},
    {"2022-12-04T09:30:00+01", "2022-12-04T08:30:00Z"},
    {"2022-12-04T09:30:00.123Z", "2022-12-04T09:30:00Z"},
    {"2022-12-04T09:30:00,5Z", "2022-12-04T09:30:00Z"},
    {"2022-12-04T09:30:59.999999-05:00", "2022-12-04T14:30:59Z"},
    {"2022-12-04T09:30:00+05:30", "2022-12-04T04:00:00Z"},
    {"2022-12-04T09:30:00-00:00", "2022-12-04T09:30:00Z"},
    {"2022-12-04 09:30 UTC", "2022-12-04T09:30:00Z"},
    {"  \t2022-12-04T09:30:00Z \r\n", "2022-12-04T09:30:00Z"},
    /* offsets crossing midnight, month end, year end, leap day */
    {"2022-12-04T00:30:00+01:00", "2022-12-03T23:30:00Z"},
    {"2022-12-04T23:30:00-02:00", "2022-12-05T01:30:00Z"},
    {"2022-11-30T23:00:00-01:00", "2022-12-01T00:00:00Z"},
    {"2023-01-01T00:15:00+01:00", "2022-12-31T23:15:00Z"},
    {"2022-12-31T22:00:00-05:00", "2023-01-01T03:00:00Z"},
    {"2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z"},
    {"2023-03-01T00:30:00+01:00", "2023-02-28T23:30:00Z"},
    {"2024-02-29", "2024-02-29T00:00:00Z"},
    {"2000-02-29", "2000-02-29T00:00:00Z"},
    {"2016-12-31T23:59:60Z", "2016-12-31T23:59:60Z"},
    {"2017-01-01T00:59:60+01:00", "2016-12-31T23:59:60Z"},
    {"0001-01-01", "0001-01-01T00:00:00Z"},
    {"9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"},
    /* RFC 2822 */
    {"Sun, 04 Dec 2022 09:30:00 +0100", "2022-12-04T08:30:00Z"},
    {"04 Dec 2022 09:30:00 +0100", "2022-12-04T08:30:00Z"},
    {"Sun, 04 Dec 2022 09:30 +0100", "2022-12-04T08:30:00Z"},
    {"Sun, 4 Dec 2022 09:30:00 -0330", "2022-12-04T13:00:00Z"},
    {"Sun,04 Dec 2022 09:30:00 +0000", "2022-12-04T09:30:00Z"},
    {"Sun, 04 Dec 2022 09:30:00 GMT", "2022-12-04T09:30:00Z"},
    {"Sun, 04 Dec 2022 09:30:00 UT", "2022-12-04T09:30:00Z"},
    {"Sun, 04 Dec 2022 09:30:00 EST", "2022-12-04T14:30:00Z"},
    {"Sun, 04 Dec 2022 09:30:00 EDT", "2022-12-04T13:30:00Z"},
    {"sun, 04 DEC 2022 09:30:00 cst", "2022-12-04T15:30:00Z"},
    {"Sun, 04 Dec 2022 09:30:00 CDT", "2022-12-04T14:30:00Z"},
    {"Sun, 04 Dec 2022 09:30:00 MST", "2022-12-04T16:30:00Z"},
    {"Sun, 04 Dec 2022 09:30:00 MDT", "2022-12-04T15:30:00Z"},
    {"Sun, 04 Dec 2022 09:30:00 PST", "2022-12-04T17:30:00Z"},
    {"Sun, 04 Dec 2022 21:30:00 PDT", "2022-12-05T04:30:00Z"},
    {"Sun, 04 Dec 2022 09:30:00 CET", "2022-12-04T08:30:00Z"},
    {"Sun, 04 Dec 2022 01:30:00 CEST", "2022-12-03T23:30:00Z"},
    {"Sun, 04 Dec 2022 09:30:00 MSK", "2022-12-04T06:30:00Z"},
    {"Sun, 01 Jan 2023 00:30:00 +0100", "2022-12-31T23:30:00Z"},
    {"Sun, 04 Dec 2022 09:30:00 +0100 (CET)", "2022-12-04T08:30:00Z"},
    {"Mon, 04 Dec 2022 09:30:00 +0100", "2022-12-04T08:30:00Z"}, /* wrong weekday */
    {"Thu, 1 Jan 1970 00:00:00 -0000", "1970-01-01T00:00:00Z"},
    {"Sun, 04 Dec 22 09:30:00 +0000", "2022-12-04T09:30:00Z"},
    {"Sat, 04 Dec 99 09:30:00 GMT", "1999-12-04T09:30:00Z"},
    {"04 Dec 49 09:30 GMT", "2049-12-04T09:30:00Z"},
    {"04 Dec 50 09:30 GMT", "1950-12-04T09:30:00Z"},
    {"04 Dec 122 09:30 GMT", "2022-12-04T09:30:00Z"},
    /* month names */
    {"December 4, 2022", "2022-12-04T00:00:00Z"},
    {"Dec. 4, 2022", "2022-12-04T00:00:00Z"},
    {"Dec 4, 2022", "2022-12-04T00:00:00Z"},
    {"december 4 2022", "2022-12-04T00:00:00Z"},
    {"Sunday, December 4, 2022", "2022-12-04T00:00:00Z"},
    {"4 December 2022", "2022-12-04T00:00:00Z"},
    {"4 Sept 2022", "2022-09-04T00:00:00Z"},
    {"May 1, 2022", "2022-05-01T00:00:00Z"},
    {"February 29, 2024", "2024-02-29T00:00:00Z"},
    {"December 4, 2022 10:30 AM", "2022-12-04T10:30:00Z"},
    {"December 4, 2022 10:30 pm", "2022-12-04T22:30:00Z"},
    {"December 4, 2022, 10:30PM", "2022-12-04T22:30:00Z"},
    {"Dec 4, 2022 12:05 AM", "2022-12-04T00:05:00Z"},
    {"Dec 4, 2022 12:05 PM", "2022-12-04T12:05:00Z"},
    {"Sept. 14, 2022 9:15 p.m.", "2022-09-14T21:15:00Z"},
    {"December 4, 2022 10:30 PM EST", "2022-12-05T03:30:00Z"},
    /* slashes and dots */
    {"2022/12/04", "2022-12-04T00:00:00Z"},
    {"2022/12/04 09:30:00", "2022-12-04T09:30:00Z"},
    {"04.12.2022", "2022-12-04T00:00:00Z"},
    {"4.12.2022 09:30", "2022-12-04T09:30:00Z"},
    {"31.12.2022 23:30 -01:00", "2023-01-01T00:30:00Z"},
    /* epoch seconds */
    {"1670146200", "2022-12-04T09:30:00Z"},
    {"100000000", "1973-03-03T09:46:40Z"},
    {"9999999999", "2286-11-20T17:46:39Z"},
    {"0000000000", "1970-01-01T00:00:00Z"},
    {" 1670146200\n", "2022-12-04T09:30:00Z"},
};

static const char *const bad[] = {
    "",
    "   \t\n",
    "garbage",
    "2022-12-04 junk",
    "2022-12-04T09:30:00Z junk",
    "2022-12-04T09:30:00Z.",
    "2023-02-29",
    "2023-02-30",
    "2024-02-30",
    "2022-04-31",
    "2022-13-01",
    "2022-00-10",
    "2022-12-00",
    "2022-12-04T25:00",
    "2022-12-04T24:00:00",
    "2022-12-04T09:60",
    "2022-12-04T12:00:60Z",
    "0000-01-01",
    "99999-01-01",
    "4 December 99999",
    "9999-12-31T23:30:00-01:00",
    "0001-01-01T00:30:00+01:00",
    "2022-12-04T",
    "2022-12-04T09",
    "2022-12-04T09:30:",
    "2022-12-04T09:30:00.",
    "2022-12-04Z",
    "2022-12-04T09:30:00+2500",
    "2022-12-04T09:30:00+01:60",
    "2022-12-04T09:30:00+010",
    "2022-12-04T09:30:00 XYZ",
    "Sun, 04 Dec 2022 09:30:00 +0100 (CET",
    "Foo, 04 Dec 2022 09:30:00 +0100",
    "Sun 04 Dec 2022 09:30:00 ++0100",
    "December 32, 2022",
    "Decembre 4, 2022",
    "December 4, 22",
    "Dec 4, 2022 13:00 PM",
    "Dec 4, 2022 0:30 AM",
    "04.13.2022",
    "2022/12/4/",
    "12345678",
    "12345678901",
    "-1670146200",
    "1e9",
    "\377\3762022-12-04",
    "2022-12-04\xc3\xa9",
    "Dec\xc3\xa9 4, 2022",
};

/* Heap buffer of exactly the documented size so ASan catches any overrun. */
static char *new_out(void)
{
    char *out = malloc(NX_DATE_LEN + 1);
    ck_assert_ptr_nonnull(out);
    memset(out, '#', NX_DATE_LEN + 1);
    return out;
}

START_TEST(test_good)
{
    const struct good_case *c = &good[_i];
    char *out = new_out();
    int rc = nx_date_parse(c->in, out);
    ck_assert_msg(rc == 0, "rejected \"%s\"", c->in);
    ck_assert_msg(strcmp(out, c->want) == 0, "\"%s\": got %s, want %s", c->in, out, c->want);
    free(out);
}
END_TEST

START_TEST(test_bad)
{
    const char *in = bad[_i];
    char *out = new_out();
    int rc = nx_date_parse(in, out);
    ck_assert_msg(rc == -1, "accepted \"%s\" as %.*s", in, NX_DATE_LEN, out);
    free(out);
}
END_TEST

START_TEST(test_null)
{
    char out[NX_DATE_LEN + 1];
    ck_assert_int_eq(nx_date_parse(NULL, out), -1);
    ck_assert_int_eq(nx_date_parse("2022-12-04", NULL), -1);
}
END_TEST

static char *filled(size_t n, char c, const char *tail)
{
    size_t tl = tail ? strlen(tail) : 0;
    char *s = malloc(n + tl + 1);
    ck_assert_ptr_nonnull(s);
    memset(s, c, n);
    if (tail)
        memcpy(s + n, tail, tl);
    s[n + tl] = '\0';
    return s;
}

START_TEST(test_long_inputs)
{
    enum { N = 1 << 20 };
    char *out = new_out();
    char *s;

    s = filled(N, '9', NULL);
    ck_assert_int_eq(nx_date_parse(s, out), -1);
    free(s);

    s = filled(N, 'a', NULL);
    ck_assert_int_eq(nx_date_parse(s, out), -1);
    free(s);

    s = filled(N, '\xe9', NULL);
    ck_assert_int_eq(nx_date_parse(s, out), -1);
    free(s);

    s = filled(N, ' ', "2022-12-04T09:30:00Z");
    ck_assert_int_eq(nx_date_parse(s, out), 0);
    ck_assert_str_eq(out, "2022-12-04T09:30:00Z");
    free(s);

    /* a very long fraction is fine: it is truncated, not accumulated */
    s = filled(N, '7', "Z");
    memcpy(s, "2022-12-04T09:30:00.", 20);
    ck_assert_int_eq(nx_date_parse(s, out), 0);
    ck_assert_str_eq(out, "2022-12-04T09:30:00Z");
    free(s);

    s = filled(N, '(', NULL);
    memcpy(s, "2022-12-04T09:30:00Z ", 21);
    ck_assert_int_eq(nx_date_parse(s, out), -1);
    free(s);

    free(out);
}
END_TEST

/* Every byte value in every position of a valid date must be handled safely. */
START_TEST(test_byte_mutations)
{
    const char *base = "Sun, 04 Dec 2022 09:30:00 +0100 (CET)";
    size_t n = strlen(base);
    char buf[64];
    char *out = new_out();
    for (size_t pos = 0; pos < n; pos++) {
        for (int b = 1; b < 256; b++) {
            memcpy(buf, base, n + 1);
            buf[pos] = (char)b;
            int rc = nx_date_parse(buf, out);
            if (rc != -1 && (rc != 0 || strlen(out) != NX_DATE_LEN))
                ck_abort_msg("byte %d at %zu: rc %d", b, pos, rc);
        }
        memcpy(buf, base, n + 1);
        buf[pos] = '\0';
        int rc = nx_date_parse(buf, out);
        if (rc != 0 && rc != -1)
            ck_abort_msg("cut at %zu: rc %d", pos, rc);
    }
    free(out);
}
END_TEST

/* Plain check without ck_assert: Check reports every assertion's location to
 * the parent process, which makes million-iteration loops crawl. */
static int parses_to(const char *in, const char *want)
{
    char out[NX_DATE_LEN + 1];
    int rc = nx_date_parse(in, out);
    if (!want)
        return rc == -1;
    return rc == 0 && strcmp(out, want) == 0;
}

static int test_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Walks the whole supported calendar with a naive day counter, checking the
 * date itself and that a one-minute positive offset lands on the day before. */
START_TEST(test_calendar_walk)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    char in[64], want[64], prev[64] = "";
    for (int y = 1; y <= 9999; y++) {
        for (int m = 1; m <= 12; m++) {
            int last = dim[m - 1] + (m == 2 && test_leap(y));
            for (int d = 1; d <= last; d++) {
                snprintf(in, sizeof in, "%04d-%02d-%02d", y, m, d);
                snprintf(want, sizeof want, "%04d-%02d-%02dT00:00:00Z", y, m, d);
                if (!parses_to(in, want))
                    ck_abort_msg("\"%s\" should give %s", in, want);

                snprintf(in, sizeof in, "%04d-%02d-%02dT00:00+00:01", y, m, d);
                if (!parses_to(in, prev[0] ? prev : NULL))
                    ck_abort_msg("\"%s\" should give %s", in, prev[0] ? prev : "-1");
                snprintf(prev, sizeof prev, "%04d-%02d-%02dT23:59:00Z", y, m, d);
            }
            snprintf(in, sizeof in, "%04d-%02d-%02d", y, m, last + 1);
            if (!parses_to(in, NULL))
                ck_abort_msg("\"%s\" should be rejected", in);
        }
    }
}
END_TEST

/* Epoch days must agree with the calendar walk above: day k is k days after
 * 1970-01-01, for every day a 10-digit epoch can reach. */
START_TEST(test_epoch_walk)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    char in[32], want[64];
    int y = 1970, m = 1, d = 1;
    for (long long k = 0; k * 86400 + 86399 <= 9999999999LL; k++) {
        snprintf(in, sizeof in, "%010lld", k * 86400 + 86399);
        snprintf(want, sizeof want, "%04d-%02d-%02dT23:59:59Z", y, m, d);
        if (!parses_to(in, want))
            ck_abort_msg("\"%s\" should give %s", in, want);
        if (++d > dim[m - 1] + (m == 2 && test_leap(y))) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
}
END_TEST

static Suite *date_suite(void)
{
    Suite *s = suite_create("date");
    TCase *tc = tcase_create("table");
    tcase_add_loop_test(tc, test_good, 0, (int)(sizeof good / sizeof good[0]));
    tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, test_null);
    suite_add_tcase(s, tc);

    TCase *robust = tcase_create("robustness");
    tcase_set_timeout(robust, 120);
    tcase_add_test(robust, test_long_inputs);
    tcase_add_test(robust, test_byte_mutations);
    tcase_add_test(robust, test_calendar_walk);
    tcase_add_test(robust, test_epoch_walk);
    suite_add_tcase(s, robust);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(date_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
