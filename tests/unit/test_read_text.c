/* test_read_text.c - unit tests for the plain-text / Markdown reader
 * (nx_read_text, src/ingest/read_text.c). */
#include "ingest/record.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct capture {
    int records, problems;
    nx_record rec;
    long problem_line;
    char msg[128];
    int stop_with; /* what on_record returns */
};

static int on_record(void *ctx, nx_record *rec)
{
    struct capture *c = ctx;
    c->records++;
    nx_record_clear(&c->rec);
    c->rec = *rec;
    return c->stop_with;
}

static void on_problem(void *ctx, long line, const char *msg)
{
    struct capture *c = ctx;
    c->problems++;
    c->problem_line = line;
    snprintf(c->msg, sizeof c->msg, "%s", msg);
}

/* Reads from a malloc'd copy of exactly len bytes, so that ASan catches any
 * read past the end (the input need not be NUL-terminated). */
static int read_n(struct capture *c, const char *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, data, len);
    nx_record_sink sink = {on_record, on_problem, c, NULL};
    int rc = nx_read_text(copy, len, &sink);
    free(copy);
    return rc;
}

static int valid_utf8(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t cp;
    while (*p) {
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0)
            return 0;
        p += n;
    }
    return 1;
}

static void assert_record_utf8(const nx_record *r)
{
    const char *fields[] = {r->id, r->title, r->body, r->date, r->source, r->url, r->lang};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i])
            ck_assert_msg(valid_utf8(fields[i]), "field %zu is not valid UTF-8", i);
}

/* Reads text that must give exactly one record. */
static void read_ok_n(struct capture *c, const char *text, size_t len)
{
    memset(c, 0, sizeof *c);
    ck_assert_int_eq(read_n(c, text, len), 0);
    ck_assert_int_eq(c->records, 1);
    ck_assert_int_eq(c->problems, 0);
    ck_assert_int_eq(c->rec.line, 0);
    assert_record_utf8(&c->rec);
}

static void read_ok(struct capture *c, const char *text)
{
    read_ok_n(c, text, strlen(text));
}

static void done(struct capture *c)
{
    nx_record_clear(&c->rec);
}

/* NULL-tolerant string comparison for table checks. */
static void assert_field(const char *what, const char *got, const char *want, const char *input)
{
    if (!want) {
        ck_assert_msg(got == NULL, "%s: got \"%s\", want NULL (input \"%s\")", what, got, input);
        return;
    }
    ck_assert_msg(got != NULL, "%s: got NULL, want \"%s\" (input \"%s\")", what, want, input);
    ck_assert_msg(strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\" (input \"%s\")", what, got,
                  want, input);
}

/* ---- table: what each input yields ---------------------------------------- */

struct text_case {
    const char *in;
    const char *title, *body, *date, *source, *url, *lang, *id;
};

static const struct text_case cases[] = {
    /* a full header block */
    {"Title: Talks resume in Geneva\n"
     "Date: 2024-03-01T09:00:00Z\n"
     "Source: Alpine Wire\n"
     "URL: https://wire.example/geneva-talks\n"
     "Language: en\n"
     "ID: aw-2024-0301\n"
     "\n"
     "Delegations met on Friday.\n",
     "Talks resume in Geneva", "Delegations met on Friday.", "2024-03-01T09:00:00Z", "Alpine Wire",
     "https://wire.example/geneva-talks", "en", "aw-2024-0301"},
    /* keys in any case, values trimmed, the alternative key names */
    {"HEADLINE:   Harbour reopens  \n"
     "published:\t5 April 2023\n"
     "PUBLISHER: Coastal Courier\n"
     "lang: fr\n"
     "url:https://courier.example/a\n"
     "\n"
     "Ships are back.",
     "Harbour reopens", "Ships are back.", "5 April 2023", "Coastal Courier",
     "https://courier.example/a", "fr", NULL},
    /* CRLF line ends throughout */
    {"Title: Storm warning\r\nDate: 2023-11-02\r\n\r\nFirst line\r\nwrapped here.\r\n\r\n"
     "Second paragraph.\r\n",
     "Storm warning", "First line wrapped here.\n\nSecond paragraph.", "2023-11-02", NULL, NULL,
     NULL, NULL},
    /* a byte order mark before the header */
    {"\xEF\xBB\xBFTitle: Budget passes\nSource: Capitol Desk\n\nThe vote was close.\n",
     "Budget passes", "The vote was close.", NULL, "Capitol Desk", NULL, NULL, NULL},
    /* a BOM and no header */
    {"\xEF\xBB\xBF# Budget passes\n\nThe vote was close.\n", "Budget passes",
     "The vote was close.", NULL, NULL, NULL, NULL, NULL},
    /* leading blank lines before the header */
    {"\n  \n\t\nTitle: Late start\n\nBody.\n", "Late start", "Body.", NULL, NULL, NULL, NULL,
     NULL},
    /* a header without a title: the first body line becomes the title */
    {"Date: 2022-12-04\n\nMayor opens library\nThe new library opened today.\n",
     "Mayor opens library", "The new library opened today.", "2022-12-04", NULL, NULL, NULL,
     NULL},
    /* a repeated key: the last one wins */
    {"Title: first\nTitle: second\n\nbody", "second", "body", NULL, NULL, NULL, NULL, NULL},
    /* a value containing colons */
    {"Title: Update: rail strike ends\nURL: http://x.example:8080/a\n\nBody text.",
     "Update: rail strike ends", "Body text.", NULL, NULL, "http://x.example:8080/a", NULL, NULL},
    /* a header and nothing after it */
    {"Title: Only a headline\n\n", "Only a headline", "", NULL, NULL, NULL, NULL, NULL},
    /* no header: the first non-empty line is the title, Markdown marks removed */
    {"\n\n# Floods in the valley\n\nRivers rose overnight.\n", "Floods in the valley",
     "Rivers rose overnight.", NULL, NULL, NULL, NULL, NULL},
    {"### Deep heading\nText.", "Deep heading", "Text.", NULL, NULL, NULL, NULL, NULL},
    {"  Indented title  \nBody line.", "Indented title", "Body line.", NULL, NULL, NULL, NULL,
     NULL},
    {"Just a title", "Just a title", "", NULL, NULL, NULL, NULL, NULL},
    /* a body that starts "Update: ..." is not a header */
    {"Update: talks continue into the night\n\nNegotiators said little.\n",
     "Update: talks continue into the night", "Negotiators said little.", NULL, NULL, NULL, NULL,
     NULL},
    /* one unknown key spoils the block: it is all body */
    {"Title: Bridge closes\nUpdate: traffic diverted\n\nMore later.\n", "Title: Bridge closes",
     "Update: traffic diverted\n\nMore later.", NULL, NULL, NULL, NULL, NULL},
    /* "Key : value" (space before the colon) and ":value" are not header lines */
    {"Title : spaced\n\nbody", "Title : spaced", "body", NULL, NULL, NULL, NULL, NULL},
    {": no key\n\nbody", ": no key", "body", NULL, NULL, NULL, NULL, NULL},
    /* a time of day is not a header */
    {"10:30 Markets open\n\nbody", "10:30 Markets open", "body", NULL, NULL, NULL, NULL, NULL},
    /* paragraphs: hard-wrapped lines joined with a space, blank-line runs
     * become one "\n\n", lines trimmed, trailing blank lines dropped */
    {"Heading\n\n  The council met   \non Monday\n\tand voted.\n\n\n\n  A second\nparagraph.\n"
     "   \n\t\n\r\nThird.\n\n\n",
     "Heading", "The council met on Monday and voted.\n\nA second paragraph.\n\nThird.", NULL, NULL,
     NULL, NULL, NULL},
    /* a title directly followed by body lines */
    {"Heading\nline one\nline two", "Heading", "line one line two", NULL, NULL, NULL, NULL, NULL},
    /* Markdown in the body is kept as written */
    {"# T\n\n## Section\n\n* item", "T", "## Section\n\n* item", NULL, NULL, NULL, NULL, NULL},
};

START_TEST(text_table)
{
    const struct text_case *k = &cases[_i];
    struct capture c;
    read_ok(&c, k->in);
    assert_field("title", c.rec.title, k->title, k->in);
    assert_field("body", c.rec.body, k->body, k->in);
    assert_field("date", c.rec.date, k->date, k->in);
    assert_field("source", c.rec.source, k->source, k->in);
    assert_field("url", c.rec.url, k->url, k->in);
    assert_field("lang", c.rec.lang, k->lang, k->in);
    assert_field("id", c.rec.id, k->id, k->in);
    done(&c);
}
END_TEST

/* ---- no text ------------------------------------------------------------- */

START_TEST(no_text_is_a_problem)
{
    static const struct {
        const char *in;
        size_t len;
    } empty[] = {
        {"", 0},
        {" \n\t\r\n  \n", 8},
        {"\r\n\r\n", 4},
        {"\xEF\xBB\xBF", 3},
        {"\xEF\xBB\xBF\n\n", 5},
        {"#\n\n", 3},
        {"### \n   \n", 9},
        {"\0\0\0", 3},
    };
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        struct capture c;
        memset(&c, 0, sizeof c);
        ck_assert_msg(read_n(&c, empty[i].in, empty[i].len) == -1, "case %zu: not -1", i);
        ck_assert_int_eq(c.records, 0);
        ck_assert_int_eq(c.problems, 1);
        ck_assert_int_eq(c.problem_line, 0);
        ck_assert_str_eq(c.msg, "no text in file");
    }
}
END_TEST

START_TEST(no_text_without_problem_callback)
{
    nx_record_sink sink = {on_record, NULL, NULL, NULL};
    ck_assert_int_eq(nx_read_text("  \n", 3, &sink), -1);
}
END_TEST

/* ---- bytes --------------------------------------------------------------- */

START_TEST(invalid_utf8_is_repaired)
{
    struct capture c;
    const char in[] = "Caf\xe9 reopens\n\nThe owner \xff\xfe said \xc3\xa9t\xc3\xa9 was \xe2\x82";
    read_ok_n(&c, in, sizeof in - 1);
    ck_assert_str_eq(c.rec.title, "Caf\xEF\xBF\xBD reopens");
    ck_assert_ptr_nonnull(strstr(c.rec.body, "The owner \xEF\xBF\xBD"));
    ck_assert_ptr_nonnull(strstr(c.rec.body, "said \xc3\xa9t\xc3\xa9 was "));
    done(&c);

    /* a bad byte in a header value */
    const char in2[] = "Title: Z\xfcrich\nSource: \xc0\xaf\n\nBody";
    read_ok_n(&c, in2, sizeof in2 - 1);
    ck_assert_str_eq(c.rec.title, "Z\xEF\xBF\xBDrich");
    ck_assert_ptr_null(strstr(c.rec.source, "\xc0"));
    done(&c);
}
END_TEST

START_TEST(nul_bytes_are_dropped)
{
    struct capture c;
    const char in[] = "Ti\0tle\n\nBo\0dy text";
    read_ok_n(&c, in, sizeof in - 1);
    ck_assert_str_eq(c.rec.title, "Title");
    ck_assert_str_eq(c.rec.body, "Body text");
    done(&c);
}
END_TEST

START_TEST(utf8_text_kept)
{
    struct capture c;
    read_ok(&c, "Title: \u0412\u0441\u0442\u0440\u0435\u0447\u0430 \u0432 \u041a\u0438\u0435\u0432\u0435\n"
                "Language: ru\n\n\u041f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b "
                "\u2014 \u00abvery\u00bb long\n\u4e4c\u514b\u5170\n");
    ck_assert_str_eq(c.rec.title, "\u0412\u0441\u0442\u0440\u0435\u0447\u0430 \u0432 \u041a\u0438\u0435\u0432\u0435");
    ck_assert_str_eq(c.rec.body, "\u041f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b "
                                 "\u2014 \u00abvery\u00bb long \u4e4c\u514b\u5170");
    ck_assert_str_eq(c.rec.lang, "ru");
    done(&c);
}
END_TEST

/* Each line end where the reader joins lines: the body can never be longer
 * than the input (the reader writes into a buffer of that size). Many short
 * lines and paragraph breaks give ASan a chance to catch an overflow. */
START_TEST(many_short_lines)
{
    size_t n = 20000;
    char *in = malloc(n * 4 + 8);
    ck_assert_ptr_nonnull(in);
    size_t o = 0;
    in[o++] = 'T';
    in[o++] = '\n';
    for (size_t i = 0; i < n; i++) {
        in[o++] = 'a';
        in[o++] = '\n';
        if (i % 3 == 0)
            in[o++] = '\n';
    }
    struct capture c;
    read_ok_n(&c, in, o);
    ck_assert_str_eq(c.rec.title, "T");
    ck_assert_uint_le(strlen(c.rec.body), o);
    ck_assert_int_eq(strncmp(c.rec.body, "a\n\na a a\n\na", 11), 0);
    done(&c);
    free(in);
}
END_TEST

START_TEST(stop_value_returned)
{
    struct capture c;
    memset(&c, 0, sizeof c);
    c.stop_with = 7;
    ck_assert_int_eq(read_n(&c, "Title\n\nBody", 11), 7);
    ck_assert_int_eq(c.records, 1);
    done(&c);
}
END_TEST

/* A warning about the date or the language names its header line (the
 * driver's messages about a text file had no line to go by). */
START_TEST(header_lines_remembered)
{
    struct capture c;
    const char *in = "\xEF\xBB\xBF\n\r\nTitle: T\r\nLanguage: xx\r\nDate: someday\r\n\r\nBody";
    read_ok_n(&c, in, strlen(in));
    ck_assert_str_eq(c.rec.date, "someday");
    ck_assert_int_eq(c.rec.date_line, 5);
    ck_assert_int_eq(c.rec.lang_line, 4);
    ck_assert_int_eq(c.rec.line, 0);
    done(&c);
    /* no header: no lines */
    read_ok_n(&c, "Title\n\nDate: someday\n", 22);
    ck_assert_ptr_null(c.rec.date);
    ck_assert_int_eq(c.rec.date_line, 0);
    ck_assert_int_eq(c.rec.lang_line, 0);
    done(&c);
}
END_TEST

START_TEST(large_body)
{
    /* 4 MB of wrapped prose */
    const char *unit = "word word word word word word word word word word word word word\n";
    size_t ul = strlen(unit), reps = 4 * 1024 * 1024 / ul;
    char *in = malloc(ul * reps + 16);
    ck_assert_ptr_nonnull(in);
    memcpy(in, "Big\n\n", 5);
    for (size_t i = 0; i < reps; i++)
        memcpy(in + 5 + i * ul, unit, ul);
    struct capture c;
    read_ok_n(&c, in, 5 + ul * reps);
    ck_assert_str_eq(c.rec.title, "Big");
    ck_assert_uint_eq(strlen(c.rec.body), ul * reps - 1);
    ck_assert_ptr_null(strchr(c.rec.body, '\n'));
    done(&c);
    free(in);
}
END_TEST

static Suite *read_text_suite(void)
{
    Suite *s = suite_create("read_text");
    TCase *tc = tcase_create("fields");
    tcase_add_loop_test(tc, text_table, 0, (int)(sizeof cases / sizeof cases[0]));
    suite_add_tcase(s, tc);

    TCase *bad = tcase_create("bad_input");
    tcase_set_timeout(bad, 60);
    tcase_add_test(bad, no_text_is_a_problem);
    tcase_add_test(bad, no_text_without_problem_callback);
    tcase_add_test(bad, invalid_utf8_is_repaired);
    tcase_add_test(bad, nul_bytes_are_dropped);
    tcase_add_test(bad, utf8_text_kept);
    tcase_add_test(bad, many_short_lines);
    tcase_add_test(bad, stop_value_returned);
    tcase_add_test(bad, large_body);
    tcase_add_test(bad, header_lines_remembered);
    suite_add_tcase(s, bad);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(read_text_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
