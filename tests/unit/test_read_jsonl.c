/* test_read_jsonl.c - unit tests for the JSON Lines reader (nx_read_jsonl,
 * src/ingest/read_jsonl.c). */
#include "ingest/record.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_SEEN 16

/* For checks in hot loops: Check's ck_assert_* talk to the runner on every
 * call, which makes thousands of them slow under sanitizers. */
#define REQUIRE(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

struct capture {
    int records, problems;
    nx_record rec[MAX_SEEN];  /* the first MAX_SEEN records, owned here */
    long problem_line[MAX_SEEN];
    char msg[MAX_SEEN][160];
    int stop_after; /* return 5 from on_record after this many records; 0: never */
};

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

static int on_record(void *ctx, nx_record *rec)
{
    struct capture *c = ctx;
    const char *fields[] = {rec->id, rec->title, rec->body, rec->date, rec->source, rec->url,
                            rec->lang};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        REQUIRE(!fields[i] || valid_utf8(fields[i]), "field %zu is not valid UTF-8", i);
    REQUIRE(rec->line > 0, "record line %ld", rec->line);
    if (c->records < MAX_SEEN)
        c->rec[c->records] = *rec;
    else
        nx_record_clear(rec);
    c->records++;
    return c->stop_after && c->records == c->stop_after ? 5 : 0;
}

static void on_problem(void *ctx, long line, const char *msg)
{
    struct capture *c = ctx;
    REQUIRE(msg != NULL && strlen(msg) < 256, "bad problem message");
    if (c->problems < MAX_SEEN) {
        c->problem_line[c->problems] = line;
        snprintf(c->msg[c->problems], sizeof c->msg[0], "%s", msg);
    }
    c->problems++;
}

static void done(struct capture *c)
{
    for (int i = 0; i < c->records && i < MAX_SEEN; i++)
        nx_record_clear(&c->rec[i]);
}

/* Reads from a malloc'd copy of exactly len bytes (not NUL-terminated), so
 * that ASan catches a read past the end. */
static int read_n(struct capture *c, const char *data, size_t len)
{
    memset(c, 0, sizeof *c);
    char *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, data, len);
    nx_record_sink sink = {on_record, on_problem, c, on_problem};
    int rc = nx_read_jsonl(copy, len, &sink);
    free(copy);
    return rc;
}

static int read_s(struct capture *c, const char *data)
{
    return read_n(c, data, strlen(data));
}

static void assert_field(const char *what, const char *got, const char *want)
{
    if (!want) {
        ck_assert_msg(got == NULL, "%s: got \"%s\", want NULL", what, got);
        return;
    }
    ck_assert_msg(got != NULL, "%s: got NULL, want \"%s\"", what, want);
    ck_assert_msg(strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"", what, got, want);
}

/* ---- good records -------------------------------------------------------- */

START_TEST(several_records_with_line_numbers)
{
    struct capture c;
    const char *in =
        "{\"id\":\"a1\",\"title\":\"Port strike ends\",\"body\":\"Dockers returned.\","
        "\"date\":\"2024-02-01\",\"source\":\"Harbour Times\",\"url\":\"https://ht.example/1\","
        "\"lang\":\"en\"}\n"
        "{\"title\":\"Second story\",\"body\":\"Line one.\\n\\nLine two.\"}\n"
        "\n"
        "{\"title\":\"Fourth line\",\"unknown\":{\"deep\":[1,2,3]},\"tags\":[\"x\"]}\n";
    ck_assert_int_eq(read_s(&c, in), 0);
    ck_assert_int_eq(c.problems, 0);
    ck_assert_int_eq(c.records, 3);
    nx_record *r = &c.rec[0];
    ck_assert_int_eq(r->line, 1);
    assert_field("id", r->id, "a1");
    assert_field("title", r->title, "Port strike ends");
    assert_field("body", r->body, "Dockers returned.");
    assert_field("date", r->date, "2024-02-01");
    assert_field("source", r->source, "Harbour Times");
    assert_field("url", r->url, "https://ht.example/1");
    assert_field("lang", r->lang, "en");
    r = &c.rec[1];
    ck_assert_int_eq(r->line, 2);
    assert_field("title", r->title, "Second story");
    assert_field("body", r->body, "Line one.\n\nLine two.");
    assert_field("id", r->id, NULL);
    assert_field("date", r->date, NULL);
    assert_field("source", r->source, NULL);
    assert_field("url", r->url, NULL);
    assert_field("lang", r->lang, NULL);
    r = &c.rec[2];
    ck_assert_int_eq(r->line, 4);
    assert_field("title", r->title, "Fourth line");
    assert_field("body", r->body, NULL);
    done(&c);
}
END_TEST

struct field_case {
    const char *line;
    const char *id, *title, *body, *date, *source, *url, *lang;
};

static const struct field_case field_cases[] = {
    {"{\"headline\":\"H\",\"text\":\"T\",\"published\":\"2023-05-06\",\"link\":\"https://l.example\","
     "\"language\":\"fr\",\"id\":42,\"source\":{\"name\":\"Le Quotidien\",\"id\":\"lq\"}}",
     "42", "H", "T", "2023-05-06", "Le Quotidien", "https://l.example", "fr"},
    {"{\"title\":\"t\",\"content\":\"C\",\"guid\":\"g-1\",\"pubDate\":\"Sun, 04 Dec 2022 09:30:00 GMT\","
     "\"publisher\":\"P\"}",
     "g-1", "t", "C", "Sun, 04 Dec 2022 09:30:00 GMT", "P", NULL, NULL},
    {"{\"title\":\"t\",\"article\":\"A\",\"doc_id\":\"d\",\"published_at\":\"x\",\"outlet\":\"O\"}", "d",
     "t", "A", "x", "O", NULL, NULL},
    {"{\"title\":\"t\",\"description\":\"D\",\"docid\":7,\"datePublished\":\"y\",\"site\":\"S\"}", "7",
     "t", "D", "y", "S", NULL, NULL},
    {"{\"title\":\"t\",\"time\":1700000000}", NULL, "t", NULL, "1700000000", NULL, NULL, NULL},
    /* the first name present wins */
    {"{\"headline\":\"second\",\"title\":\"first\",\"text\":\"b2\",\"body\":\"b1\"}", NULL, "first",
     "b1", NULL, NULL, NULL, NULL},
    /* values of the wrong type are passed over for the next name */
    {"{\"title\":null,\"headline\":\"H\",\"body\":[1],\"text\":\"T\",\"id\":true,\"guid\":\"G\"}",
     "G", "H", "T", NULL, NULL, NULL, NULL},
    {"{\"title\":\"t\",\"source\":{\"id\":\"no-name\"},\"publisher\":\"Pub\"}", NULL, "t", NULL, NULL,
     "Pub", NULL, NULL},
    /* text as an array of paragraphs is joined by blank lines; [] is no text */
    {"{\"title\":[\"Two\",\"parts\"],\"body\":[\"p1\",7,\"p2\"]}", NULL, "Two\n\nparts",
     "p1\n\np2", NULL, NULL, NULL, NULL},
    {"{\"title\":\"t\",\"body\":[],\"text\":\"T\"}", NULL, "t", "T", NULL, NULL, NULL, NULL},
    /* numbers as written */
    {"{\"title\":\"t\",\"id\":-12}", "-12", "t", NULL, NULL, NULL, NULL, NULL},
    {"{\"title\":\"t\",\"id\":12.50}", "12.50", "t", NULL, NULL, NULL, NULL, NULL},
    {"{\"title\":\"t\",\"id\":9223372036854775807}", "9223372036854775807", "t", NULL, NULL, NULL,
     NULL, NULL},
    /* escapes */
    {"{\"title\":\"caf\\u00e9 \\\"quoted\\\" \\/ \\ud83d\\ude00\",\"body\":\"tab\\there\"}", NULL,
     "caf\u00e9 \"quoted\" / \U0001F600", "tab\there", NULL, NULL, NULL, NULL},
    /* an escaped NUL is dropped */
    {"{\"title\":\"a\\u0000b\"}", NULL, "ab", NULL, NULL, NULL, NULL, NULL},
    /* only a body is enough; only a title is enough */
    {"{\"body\":\"just text\"}", NULL, NULL, "just text", NULL, NULL, NULL, NULL},
    /* whitespace around the object */
    {"  \t{\"title\":\"padded\"}  \t", NULL, "padded", NULL, NULL, NULL, NULL, NULL},
};

START_TEST(field_names)
{
    const struct field_case *k = &field_cases[_i];
    struct capture c;
    ck_assert_int_eq(read_s(&c, k->line), 0);
    ck_assert_msg(c.problems == 0, "unexpected problem: %s", c.msg[0]);
    ck_assert_int_eq(c.records, 1);
    nx_record *r = &c.rec[0];
    ck_assert_int_eq(r->line, 1);
    assert_field("id", r->id, k->id);
    assert_field("title", r->title, k->title);
    assert_field("body", r->body, k->body);
    assert_field("date", r->date, k->date);
    assert_field("source", r->source, k->source);
    assert_field("url", r->url, k->url);
    assert_field("lang", r->lang, k->lang);
    done(&c);
}
END_TEST

/* ---- bad lines ----------------------------------------------------------- */

struct bad_case {
    const char *line;
    const char *msg_part; /* expected in the problem message */
};

static const struct bad_case bad_cases[] = {
    {"{\"title\": \"broken", "invalid JSON"},
    {"{\"title\": \"x\"", "invalid JSON"},
    {"{title: \"x\"}", "invalid JSON"},
    {"{\"title\": \"x\",, }", "invalid JSON"},
    {"}", "invalid JSON"},
    {"[1, 2, 3]", "not a JSON object"},
    {"[{\"title\":\"in an array\"}]", "not a JSON object"},
    {"\"just a string\"", "not a JSON object"},
    {"{\"title\":\"a\"} trailing", "text after the JSON object"},
    {"{\"title\":\"a\"}{\"title\":\"b\"}", "text after the JSON object"},
    {"{\"title\":\"a\"} ]", "text after the JSON object"},
    {"{}", "no title or text"},
    {"{\"date\":\"2024-01-01\",\"url\":\"https://x.example\"}", "no title or text"},
    {"{\"title\":\"\",\"body\":\"\"}", "no title or text"},
    {"{\"title\":null,\"text\":[]}", "no title or text"},
};

START_TEST(bad_line_reported_and_skipped)
{
    const struct bad_case *k = &bad_cases[_i];
    char in[512];
    snprintf(in, sizeof in, "{\"title\":\"before\"}\n%s\n{\"title\":\"after\"}\n", k->line);
    struct capture c;
    ck_assert_int_eq(read_s(&c, in), 0);
    ck_assert_int_eq(c.records, 2);
    ck_assert_int_eq(c.rec[0].line, 1);
    ck_assert_int_eq(c.rec[1].line, 3);
    assert_field("title", c.rec[1].title, "after");
    ck_assert_int_eq(c.problems, 1);
    ck_assert_int_eq(c.problem_line[0], 2);
    ck_assert_msg(strstr(c.msg[0], k->msg_part) != NULL, "line %s: message \"%s\" lacks \"%s\"",
                  k->line, c.msg[0], k->msg_part);
    ck_assert_msg(strstr(c.msg[0], "skipped") != NULL, "message \"%s\"", c.msg[0]);
    done(&c);
}
END_TEST

/* A field whose value is of no usable type (and no other name gives one)
 * is reported with the line, and the article kept; once they were dropped
 * without a word, leaving articles that no search finds. */
START_TEST(unusable_field_reported_article_kept)
{
    static const struct {
        const char *line, *msg;
        int records;
    } cases[] = {
        {"{\"id\":\"a\",\"title\":\"T\",\"body\":{\"text\":\"okapi\"}}",
         "'body' is an object, not text; the field is left empty", 1},
        {"{\"id\":[\"x\"],\"title\":\"T\"}", "'id' is an array, not text", 1},
        {"{\"title\":\"T\",\"date\":{\"y\":1}}", "'date' is an object, not text", 1},
        {"{\"title\":\"t\",\"source\":{\"name\":17}}", "'source' is an object, not text", 1},
        {"{\"title\":true,\"body\":\"b\"}", "'title' is true or false, not text", 1},
        {"{\"body\":[1,2]}", "no title or text field ('body' is an array without text, not text)",
         0},
        {"{\"title\":{\"a\":1}}", "no title or text field ('title' is an object, not text)", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct capture c;
        ck_assert_int_eq(read_s(&c, cases[i].line), 0);
        ck_assert_int_eq(c.records, cases[i].records);
        ck_assert_int_eq(c.problems, 1);
        ck_assert_int_eq(c.problem_line[0], 1);
        ck_assert_msg(strstr(c.msg[0], cases[i].msg) != NULL, "line %s: message \"%s\"",
                      cases[i].line, c.msg[0]);
        done(&c);
    }
}
END_TEST

/* JSON values that are not objects must be reported as such, not as invalid
 * JSON: json-c needs a terminator after a bare number or literal. */
START_TEST(scalar_lines_are_not_objects)
{
    static const char *const lines[] = {"null", "42", "true", "false", "-1.5e3"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct capture c;
        ck_assert_int_eq(read_s(&c, lines[i]), 0);
        ck_assert_int_eq(c.records, 0);
        ck_assert_int_eq(c.problems, 1);
        ck_assert_int_eq(c.problem_line[0], 1);
        ck_assert_msg(strstr(c.msg[0], "not a JSON object") != NULL, "line \"%s\": message \"%s\"",
                      lines[i], c.msg[0]);
    }
}
END_TEST

START_TEST(many_problems_many_records)
{
    /* every other line broken; all reported with the right numbers */
    char in[4096] = "";
    for (int i = 1; i <= 20; i++) {
        size_t used = strlen(in);
        if (i % 2)
            snprintf(in + used, sizeof in - used, "{\"title\":\"story %d\"}\n", i);
        else
            snprintf(in + used, sizeof in - used, "{\"title\":\"broken %d\"\n", i);
    }
    struct capture c;
    ck_assert_int_eq(read_s(&c, in), 0);
    ck_assert_int_eq(c.records, 10);
    ck_assert_int_eq(c.problems, 10);
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(c.rec[i].line, 2 * i + 1);
        ck_assert_int_eq(c.problem_line[i], 2 * i + 2);
        char want[32];
        snprintf(want, sizeof want, "story %d", 2 * i + 1);
        assert_field("title", c.rec[i].title, want);
    }
    done(&c);
}
END_TEST

/* ---- line structure ------------------------------------------------------ */

START_TEST(blank_lines_are_counted_not_reported)
{
    struct capture c;
    ck_assert_int_eq(read_s(&c, "\n  \n\t\r\n{\"title\":\"x\"}\n\n\n{\"title\":\"y\"}\n   \n"), 0);
    ck_assert_int_eq(c.problems, 0);
    ck_assert_int_eq(c.records, 2);
    ck_assert_int_eq(c.rec[0].line, 4);
    ck_assert_int_eq(c.rec[1].line, 7);
    done(&c);

    ck_assert_int_eq(read_n(&c, "", 0), 0);
    ck_assert_int_eq(c.records + c.problems, 0);
    ck_assert_int_eq(read_s(&c, "\n\n\n"), 0);
    ck_assert_int_eq(c.records + c.problems, 0);
}
END_TEST

START_TEST(crlf_line_ends)
{
    struct capture c;
    ck_assert_int_eq(read_s(&c, "{\"title\":\"one\"}\r\n{\"title\":\"two\",\"body\":\"b\"}\r\n\r\n"
                                "{\"title\":\"four\"}\r\n"),
                     0);
    ck_assert_int_eq(c.problems, 0);
    ck_assert_int_eq(c.records, 3);
    assert_field("title", c.rec[0].title, "one");
    assert_field("title", c.rec[1].title, "two");
    assert_field("body", c.rec[1].body, "b");
    ck_assert_int_eq(c.rec[2].line, 4);
    done(&c);
}
END_TEST

START_TEST(byte_order_mark)
{
    struct capture c;
    ck_assert_int_eq(read_s(&c, "\xEF\xBB\xBF{\"title\":\"first\"}\n{\"title\":\"second\"}"), 0);
    ck_assert_int_eq(c.problems, 0);
    ck_assert_int_eq(c.records, 2);
    ck_assert_int_eq(c.rec[0].line, 1);
    assert_field("title", c.rec[0].title, "first");
    ck_assert_int_eq(c.rec[1].line, 2);
    done(&c);
    /* a BOM alone */
    ck_assert_int_eq(read_s(&c, "\xEF\xBB\xBF"), 0);
    ck_assert_int_eq(c.records + c.problems, 0);
}
END_TEST

START_TEST(no_final_newline)
{
    struct capture c;
    ck_assert_int_eq(read_s(&c, "{\"title\":\"a\"}\n{\"title\":\"last\",\"id\":\"z\"}"), 0);
    ck_assert_int_eq(c.problems, 0);
    ck_assert_int_eq(c.records, 2);
    assert_field("title", c.rec[1].title, "last");
    assert_field("id", c.rec[1].id, "z");
    ck_assert_int_eq(c.rec[1].line, 2);
    done(&c);
    /* a broken last line without newline is still reported with its number */
    ck_assert_int_eq(read_s(&c, "{\"title\":\"a\"}\n{\"title\":\"cut"), 0);
    ck_assert_int_eq(c.records, 1);
    ck_assert_int_eq(c.problems, 1);
    ck_assert_int_eq(c.problem_line[0], 2);
    done(&c);
}
END_TEST

START_TEST(invalid_utf8_in_strings_is_repaired)
{
    struct capture c;
    const char in[] = "{\"title\":\"Caf\xe9\",\"body\":\"ok \xc3\xa9 bad \xed\xa0\x80 \xff\","
                      "\"source\":\"\\ud800\"}";
    ck_assert_int_eq(read_n(&c, in, sizeof in - 1), 0);
    ck_assert_int_eq(c.records, 1);
    assert_field("title", c.rec[0].title, "Caf\xEF\xBF\xBD");
    ck_assert_ptr_nonnull(strstr(c.rec[0].body, "ok \xc3\xa9 bad "));
    ck_assert_ptr_null(strstr(c.rec[0].body, "\xed\xa0\x80"));
    done(&c);
}
END_TEST

/* A raw NUL byte inside a line: that line is reported, the next one read. */
START_TEST(raw_nul_byte_in_line)
{
    struct capture c;
    const char in[] = "{\"title\":\"a\0b\"}\n{\"title\":\"next\"}\n";
    ck_assert_int_eq(read_n(&c, in, sizeof in - 1), 0);
    ck_assert_int_eq(c.records, 1);
    ck_assert_int_eq(c.rec[0].line, 2);
    ck_assert_int_eq(c.problems, 1);
    ck_assert_int_eq(c.problem_line[0], 1);
    done(&c);
}
END_TEST

START_TEST(stop_value_returned)
{
    struct capture c;
    memset(&c, 0, sizeof c);
    c.stop_after = 2;
    const char *in = "{\"title\":\"1\"}\n{\"title\":\"2\"}\n{\"title\":\"3\"}\n";
    nx_record_sink sink = {on_record, on_problem, &c, NULL};
    ck_assert_int_eq(nx_read_jsonl(in, strlen(in), &sink), 5);
    ck_assert_int_eq(c.records, 2);
    done(&c);
}
END_TEST

START_TEST(no_problem_callback)
{
    struct capture c;
    memset(&c, 0, sizeof c);
    nx_record_sink sink = {on_record, NULL, &c, NULL};
    const char *in = "garbage\n{\"title\":\"ok\"}\n{}\n[1]\n";
    ck_assert_int_eq(nx_read_jsonl(in, strlen(in), &sink), 0);
    ck_assert_int_eq(c.records, 1);
    done(&c);
}
END_TEST

/* ---- hostile input ------------------------------------------------------- */

START_TEST(ten_megabyte_string)
{
    size_t big = 10 * 1024 * 1024;
    const char *head = "{\"title\":\"Huge\",\"body\":\"";
    const char *tail = "\"}\n{\"title\":\"after\"}\n";
    size_t hl = strlen(head), tl = strlen(tail);
    char *in = malloc(hl + big + tl);
    ck_assert_ptr_nonnull(in);
    memcpy(in, head, hl);
    for (size_t i = 0; i < big; i++)
        in[hl + i] = (char)('a' + i % 26);
    memcpy(in + hl + big, tail, tl);
    struct capture c;
    memset(&c, 0, sizeof c);
    nx_record_sink sink = {on_record, on_problem, &c, NULL};
    ck_assert_int_eq(nx_read_jsonl(in, hl + big + tl, &sink), 0);
    ck_assert_int_eq(c.problems, 0);
    ck_assert_int_eq(c.records, 2);
    ck_assert_uint_eq(strlen(c.rec[0].body), big);
    ck_assert_int_eq(memcmp(c.rec[0].body, "abcdef", 6), 0);
    assert_field("title", c.rec[1].title, "after");
    done(&c);
    free(in);
}
END_TEST

static char *nested(const char *open, size_t depth, const char *inner, const char *close,
                    const char *after)
{
    size_t ol = strlen(open), il = strlen(inner), cl = strlen(close), al = strlen(after);
    char *s = malloc(depth * (ol + cl) + il + al + 1);
    ck_assert_ptr_nonnull(s);
    size_t o = 0;
    for (size_t i = 0; i < depth; i++, o += ol)
        memcpy(s + o, open, ol);
    memcpy(s + o, inner, il);
    o += il;
    for (size_t i = 0; i < depth; i++, o += cl)
        memcpy(s + o, close, cl);
    memcpy(s + o, after, al + 1);
    return s;
}

START_TEST(deep_nesting_rejected)
{
    static const struct {
        const char *open, *inner, *close;
        size_t depth;
    } cases[] = {
        {"[", "", "", 100000},                      /* unclosed */
        {"[", "1", "]", 100000},                    /* closed */
        {"{\"a\":", "1", "}", 100000},
        {"{\"title\":\"t\",\"x\":[", "1", "]}", 50000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *in = nested(cases[i].open, cases[i].depth, cases[i].inner, cases[i].close,
                          "\n{\"title\":\"survivor\"}\n");
        struct capture c;
        ck_assert_int_eq(read_s(&c, in), 0);
        ck_assert_int_eq(c.problems, 1);
        ck_assert_int_eq(c.problem_line[0], 1);
        ck_assert_int_eq(c.records, 1);
        assert_field("title", c.rec[0].title, "survivor");
        ck_assert_int_eq(c.rec[0].line, 2);
        done(&c);
        free(in);
    }
    /* moderate nesting inside an ignored field is fine */
    char *ok = nested("{\"title\":\"t\",\"x\":[", 20, "1", "]}", "");
    struct capture c;
    ck_assert_int_eq(read_s(&c, ok), 0);
    ck_assert_int_eq(c.problems, 0);
    ck_assert_int_eq(c.records, 1);
    done(&c);
    free(ok);
}
END_TEST

START_TEST(huge_numbers)
{
    struct capture c;
    /* a huge number where a string is expected elsewhere: no crash, and the
     * record is read */
    ck_assert_int_eq(read_s(&c, "{\"title\":\"t\",\"x\":1e99999,\"y\":-1e-99999,"
                                "\"z\":123456789012345678901234567890123456789012345678901234567890}"),
                     0);
    ck_assert_int_eq(c.problems, 0);
    ck_assert_int_eq(c.records, 1);
    done(&c);
    /* a huge float id is kept as written */
    ck_assert_int_eq(read_s(&c, "{\"title\":\"t\",\"id\":1e400}"), 0);
    ck_assert_int_eq(c.records, 1);
    assert_field("id", c.rec[0].id, "1e400");
    done(&c);
}
END_TEST

/* An integer id too large for 64 bits must not silently become another
 * number (json-c clamps it to INT64_MIN / UINT64_MAX), or two articles with
 * different ids would share one. Kept as written or dropped (NULL, so the
 * driver derives an id) are both acceptable. */
START_TEST(huge_integer_id_not_clamped)
{
    static const char *const ids[] = {"123456789012345678901234567890", "18446744073709551616",
                                      "-99999999999999999999"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char in[128];
        snprintf(in, sizeof in, "{\"title\":\"t\",\"id\":%s}", ids[i]);
        struct capture c;
        ck_assert_int_eq(read_s(&c, in), 0);
        ck_assert_int_le(c.records, 1);
        if (c.records == 1)
            ck_assert_msg(c.rec[0].id == NULL || strcmp(c.rec[0].id, ids[i]) == 0,
                          "id %s became \"%s\"", ids[i], c.rec[0].id);
        done(&c);
    }
}
END_TEST

START_TEST(many_small_lines)
{
    size_t n = 50000;
    char *in = malloc(n * 40);
    ck_assert_ptr_nonnull(in);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(in + o, "{\"id\":%zu,\"title\":\"t%zu\"}\n", i, i);
    struct capture c;
    ck_assert_int_eq(read_n(&c, in, o), 0);
    ck_assert_int_eq(c.records, (int)n);
    ck_assert_int_eq(c.problems, 0);
    assert_field("id", c.rec[MAX_SEEN - 1].id, "15");
    done(&c);
    free(in);
}
END_TEST

static Suite *read_jsonl_suite(void)
{
    Suite *s = suite_create("read_jsonl");
    TCase *good = tcase_create("records");
    tcase_add_test(good, several_records_with_line_numbers);
    tcase_add_loop_test(good, field_names, 0, (int)(sizeof field_cases / sizeof field_cases[0]));
    tcase_add_test(good, stop_value_returned);
    suite_add_tcase(s, good);

    TCase *bad = tcase_create("bad_lines");
    tcase_add_loop_test(bad, bad_line_reported_and_skipped, 0,
                        (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(bad, scalar_lines_are_not_objects);
    tcase_add_test(bad, unusable_field_reported_article_kept);
    tcase_add_test(bad, many_problems_many_records);
    tcase_add_test(bad, no_problem_callback);
    suite_add_tcase(s, bad);

    TCase *lines = tcase_create("lines");
    tcase_add_test(lines, blank_lines_are_counted_not_reported);
    tcase_add_test(lines, crlf_line_ends);
    tcase_add_test(lines, byte_order_mark);
    tcase_add_test(lines, no_final_newline);
    tcase_add_test(lines, invalid_utf8_in_strings_is_repaired);
    tcase_add_test(lines, raw_nul_byte_in_line);
    suite_add_tcase(s, lines);

    TCase *hostile = tcase_create("hostile");
    /* 10 MB strings and 100,000-deep nesting take a while under sanitizers. */
    tcase_set_timeout(hostile, 120);
    tcase_add_test(hostile, ten_megabyte_string);
    tcase_add_test(hostile, deep_nesting_rejected);
    tcase_add_test(hostile, huge_numbers);
    tcase_add_test(hostile, huge_integer_id_not_clamped);
    tcase_add_test(hostile, many_small_lines);
    suite_add_tcase(s, hostile);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(read_jsonl_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
