/* test_read_html.c - unit tests for the HTML page reader (nx_read_html). */
#include "ingest/record.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct capture {
    int records, problems;
    nx_record rec;
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
    /* Only the depth cut-off names a line (where the text stops). */
    if (line != 0)
        ck_assert_ptr_nonnull(strstr(msg, "nested more than 256 levels"));
    c->problems++;
    snprintf(c->msg, sizeof c->msg, "%s", msg);
}

static int read_n(struct capture *c, const char *data, size_t len)
{
    nx_record_sink sink = {on_record, on_problem, c, NULL};
    return nx_read_html(data, len, &sink);
}

static int read_s(struct capture *c, const char *html)
{
    return read_n(c, html, strlen(html));
}

/* Reads a page that must give exactly one record. */
static void read_ok(struct capture *c, const char *html)
{
    memset(c, 0, sizeof *c);
    ck_assert_int_eq(read_s(c, html), 0);
    ck_assert_int_eq(c->records, 1);
    ck_assert_int_eq(c->problems, 0);
}

static void done(struct capture *c)
{
    nx_record_clear(&c->rec);
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
    const char *fields[] = {r->title, r->body, r->date, r->source, r->url, r->lang};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i])
            ck_assert_msg(valid_utf8(fields[i]), "field %zu is not valid UTF-8", i);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + ul * n + tl + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, head, hl);
    for (size_t i = 0; i < n; i++)
        memcpy(s + hl + i * ul, unit, ul);
    memcpy(s + hl + ul * n, tail, tl + 1);
    return s;
}

/* ---- the typical page ---------------------------------------------------- */

static const char typical_page[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n<head>\n"
    "  <meta charset=\"utf-8\">\n"
    "  <title>Harbour bridge reopens after repairs | Coastal Courier</title>\n"
    "  <meta property=\"og:title\" content=\"Harbour bridge reopens after repairs\">\n"
    "  <meta property=\"og:site_name\" content=\"Coastal Courier\">\n"
    "  <meta property=\"article:published_time\" content=\"2023-04-05T08:30:00+02:00\">\n"
    "  <link rel=\"canonical\" href=\"https://courier.example/2023/bridge\">\n"
    "  <style>body { color: stylenoise; }</style>\n"
    "  <script>var scriptnoise = 1;</script>\n"
    "</head>\n<body>\n"
    "  <header class=\"site\"><a href=\"/\">headernoise logo</a></header>\n"
    "  <nav><ul><li>navnoise home</li><li>World</li></ul></nav>\n"
    "  <article>\n"
    "    <h1>Harbour bridge reopens after repairs</h1>\n"
    "    <p>The   harbour bridge\n reopened on <b>Wednesday</b> morning.</p>\n"
    "    <script>track('scriptnoise2');</script>\n"
    "    <figure><img src=\"b.jpg\" alt=\"altnoise\"><figcaption>Traffic returns.</figcaption></figure>\n"
    "    <aside>asidenoise: read more</aside>\n"
    "    <p>Repairs took <i>six</i> months.</p>\n"
    "    <form><label>formnoise email</label><input name=\"e\"><button>subscribe</button></form>\n"
    "  </article>\n"
    "  <aside><article><p>asidenoise2 related story with plenty of words in it to "
    "be bigger than anything else on the page, really quite a lot of words</p>"
    "</article></aside>\n"
    "  <footer>footernoise copyright</footer>\n"
    "  <noscript>noscriptnoise</noscript>\n"
    "</body></html>\n";

START_TEST(typical_news_page)
{
    struct capture c;
    read_ok(&c, typical_page);
    ck_assert_str_eq(c.rec.title, "Harbour bridge reopens after repairs");
    ck_assert_str_eq(c.rec.body,
                     "The harbour bridge reopened on Wednesday morning.\n\n"
                     "Traffic returns.\n\n"
                     "Repairs took six months.");
    ck_assert_str_eq(c.rec.date, "2023-04-05T08:30:00+02:00");
    ck_assert_str_eq(c.rec.source, "Coastal Courier");
    ck_assert_str_eq(c.rec.url, "https://courier.example/2023/bridge");
    ck_assert_str_eq(c.rec.lang, "en");
    ck_assert_ptr_null(c.rec.id);
    ck_assert_int_eq(c.rec.line, 0);
    const char *noise[] = {"noise", "World", "copyright", "subscribe", "read more"};
    for (size_t i = 0; i < sizeof noise / sizeof noise[0]; i++)
        ck_assert_msg(strstr(c.rec.body, noise[i]) == NULL, "body contains %s", noise[i]);
    done(&c);
}
END_TEST

START_TEST(hidden_elements_are_skipped)
{
    struct capture c;
    read_ok(&c, "<html><body><article><p>Seen.</p><div hidden>hiddennoise</div>"
                "<p aria-hidden=\"true\">arianoise</p><p aria-hidden=\"false\">Also seen.</p>"
                "<template><p>templatenoise</p></template>"
                "<svg><text>svgnoise</text></svg><iframe>iframenoise</iframe>"
                "<select><option>selectnoise</option></select></article></body></html>");
    ck_assert_str_eq(c.rec.body, "Seen.\n\nAlso seen.");
    done(&c);
}
END_TEST

START_TEST(header_inside_article_is_kept)
{
    struct capture c;
    read_ok(&c, "<html><body><header>Site chrome</header><article>"
                "<header><p class=\"kicker\">Science</p><p>By Ana Ruiz</p></header>"
                "<p>Body text.</p></article></body></html>");
    ck_assert_str_eq(c.rec.body, "Science\n\nBy Ana Ruiz\n\nBody text.");
    done(&c);
}
END_TEST

/* ---- title ----------------------------------------------------------------- */

START_TEST(og_title_beats_title_element)
{
    struct capture c;
    read_ok(&c, "<html><head><title>Page title</title>"
                "<meta property=\"og:title\" content=\" Social  title \"></head>"
                "<body><p>Text.</p></body></html>");
    ck_assert_str_eq(c.rec.title, "Social title");
    done(&c);

    read_ok(&c, "<html><head><title>\n  Page   title\n</title></head>"
                "<body><p>Text.</p></body></html>");
    ck_assert_str_eq(c.rec.title, "Page title");
    done(&c);
}
END_TEST

START_TEST(title_falls_back_to_first_h1)
{
    struct capture c;
    read_ok(&c, "<html><body><article><h1>Only <em>a</em> heading</h1><h1>Second</h1>"
                "<p>Text.</p></article></body></html>");
    ck_assert_str_eq(c.rec.title, "Only a heading");
    /* The h1 became the title, so it is not repeated in the body. */
    ck_assert_str_eq(c.rec.body, "Second\n\nText.");
    done(&c);
}
END_TEST

START_TEST(title_suffix_trimmed_only_when_site_name)
{
    struct capture c;
    read_ok(&c, "<html><head><title>Storm hits coast | Coastal Courier</title>"
                "<meta property=\"og:site_name\" content=\"Coastal Courier\"></head>"
                "<body><p>Text.</p></body></html>");
    ck_assert_str_eq(c.rec.title, "Storm hits coast");
    done(&c);

    read_ok(&c, "<html><head><title>Storm hits coast - coastal courier</title>"
                "<meta name=\"publisher\" content=\"Coastal Courier\"></head>"
                "<body><p>Text.</p></body></html>");
    ck_assert_str_eq(c.rec.title, "Storm hits coast");
    ck_assert_str_eq(c.rec.source, "Coastal Courier");
    done(&c);

    /* A dash inside the headline is not a suffix. */
    read_ok(&c, "<html><head><title>Left - right debate heats up</title>"
                "<meta property=\"og:site_name\" content=\"Coastal Courier\"></head>"
                "<body><p>Text.</p></body></html>");
    ck_assert_str_eq(c.rec.title, "Left - right debate heats up");
    done(&c);

    /* No site name known: nothing to compare with, nothing trimmed. */
    read_ok(&c, "<html><head><title>Storm hits coast | Coastal Courier</title></head>"
                "<body><p>Text.</p></body></html>");
    ck_assert_str_eq(c.rec.title, "Storm hits coast | Coastal Courier");
    done(&c);

    /* Only the last separator counts. */
    read_ok(&c, "<html><head><title>Vote - live updates | Courier</title>"
                "<meta property=\"og:site_name\" content=\"Courier\"></head>"
                "<body><p>Text.</p></body></html>");
    ck_assert_str_eq(c.rec.title, "Vote - live updates");
    done(&c);
}
END_TEST

START_TEST(h1_repeating_title_is_dropped)
{
    struct capture c;
    read_ok(&c, "<html><head><meta property=\"og:title\" content=\"Same  headline\"></head>"
                "<body><article><h1>Same <span>headline</span></h1><p>Text.</p>"
                "</article></body></html>");
    ck_assert_str_eq(c.rec.body, "Text.");
    done(&c);

    read_ok(&c, "<html><head><meta property=\"og:title\" content=\"Short title\"></head>"
                "<body><article><h1>A longer printed headline</h1><p>Text.</p>"
                "</article></body></html>");
    ck_assert_str_eq(c.rec.body, "A longer printed headline\n\nText.");
    done(&c);
}
END_TEST

/* ---- dates ----------------------------------------------------------------- */

static void check_date(const char *head, const char *body, const char *want)
{
    char html[2048];
    snprintf(html, sizeof html, "<html><head>%s</head><body>%s<p>Text.</p></body></html>",
             head, body);
    struct capture c;
    read_ok(&c, html);
    if (want)
        ck_assert_str_eq(c.rec.date, want);
    else
        ck_assert_ptr_null(c.rec.date);
    done(&c);
}

START_TEST(date_sources)
{
    check_date("<meta property=\"article:published_time\" content=\"2021-01-02\">", "", "2021-01-02");
    check_date("<meta name=\"date\" content=\"2021-01-03\">", "", "2021-01-03");
    check_date("<meta name=\"pubdate\" content=\"20210104\">", "", "20210104");
    check_date("<meta name=\"publishdate\" content=\"2021-01-05\">", "", "2021-01-05");
    check_date("<meta name=\"DC.date.issued\" content=\"2021-01-06\">", "", "2021-01-06");
    check_date("<meta name=\"dcterms.created\" content=\"2021-01-07\">", "", "2021-01-07");
    check_date("<meta itemprop=\"datePublished\" content=\"2021-01-08\">", "", "2021-01-08");
    check_date("", "<article><time datetime=\"2021-01-09T10:00Z\">9 Jan</time><p>Words.</p></article>",
               "2021-01-09T10:00Z");
    check_date("", "", NULL);
    /* Precedence: Open Graph, then named metas, then microdata, then <time>. */
    check_date("<meta name=\"date\" content=\"B\">"
               "<meta property=\"article:published_time\" content=\"A\">",
               "<article><time datetime=\"D\"></time><p>Words.</p></article>", "A");
    check_date("<meta itemprop=\"datePublished\" content=\"C\"><meta name=\"date\" content=\"B\">",
               "<article><time datetime=\"D\"></time><p>Words.</p></article>", "B");
    check_date("<meta itemprop=\"datePublished\" content=\"C\">",
               "<article><time datetime=\"D\"></time><p>Words.</p></article>", "C");
    /* A <time> in page chrome is not the article's date. */
    check_date("", "<aside><time datetime=\"X\"></time></aside>"
                   "<article><p>Words.</p><time datetime=\"E\">then</time></article>", "E");
}
END_TEST

/* ---- url, lang, source ----------------------------------------------------- */

START_TEST(canonical_url)
{
    struct capture c;
    read_ok(&c, "<html><head><meta property=\"og:url\" content=\"https://x.example/og\">"
                "<link rel=\"alternate\" href=\"https://x.example/amp\">"
                "<link rel=\"Canonical\" href=\" https://x.example/canon \"></head>"
                "<body><p>Text.</p></body></html>");
    ck_assert_str_eq(c.rec.url, "https://x.example/canon");
    done(&c);

    read_ok(&c, "<html><head><meta property=\"og:url\" content=\"https://x.example/og\"></head>"
                "<body><p>Text.</p></body></html>");
    ck_assert_str_eq(c.rec.url, "https://x.example/og");
    done(&c);

    read_ok(&c, "<html><body><p>Text.</p></body></html>");
    ck_assert_ptr_null(c.rec.url);
    done(&c);
}
END_TEST

START_TEST(language)
{
    struct capture c;
    read_ok(&c, "<html lang=\"fr-FR\"><head><meta http-equiv=\"content-language\" content=\"de\">"
                "</head><body><p>Texte.</p></body></html>");
    ck_assert_str_eq(c.rec.lang, "fr-FR");
    done(&c);

    read_ok(&c, "<html><head><meta http-equiv=\"Content-Language\" content=\"de\">"
                "</head><body><p>Text.</p></body></html>");
    ck_assert_str_eq(c.rec.lang, "de");
    done(&c);

    read_ok(&c, "<html><body><p>Text.</p></body></html>");
    ck_assert_ptr_null(c.rec.lang);
    done(&c);
}
END_TEST

START_TEST(source_only_site_name_or_publisher)
{
    struct capture c;
    read_ok(&c, "<html><head><meta name=\"author\" content=\"Jo Bloggs\">"
                "<meta name=\"publisher\" content=\"Pub Name\">"
                "<meta property=\"og:site_name\" content=\"Site Name\"></head>"
                "<body><p>Text.</p></body></html>");
    ck_assert_str_eq(c.rec.source, "Site Name");
    done(&c);

    read_ok(&c, "<html><head><meta name=\"author\" content=\"Jo Bloggs\"></head>"
                "<body><p>Text.</p></body></html>");
    ck_assert_ptr_null(c.rec.source);
    done(&c);
}
END_TEST

/* ---- body text --------------------------------------------------------------- */

START_TEST(inline_elements_do_not_split_words)
{
    struct capture c;
    read_ok(&c, "<html><body><p><b>Ky</b>iv and <a href=\"#\">Lon</a><i>don</i>,"
                " <span>New</span> <span>York</span>.</p></body></html>");
    ck_assert_str_eq(c.rec.body, "Kyiv and London, New York.");
    done(&c);
}
END_TEST

START_TEST(entities_are_decoded)
{
    struct capture c;
    read_ok(&c, "<html><body><p>Salt &amp; pepper &mdash; it&rsquo;s fine &#8212; "
                "&#x201C;ok&#x201D;&nbsp;now. Old page&#146;s quote.</p></body></html>");
    ck_assert_str_eq(c.rec.body,
                     "Salt & pepper \xE2\x80\x94 it\xE2\x80\x99s fine \xE2\x80\x94 "
                     "\xE2\x80\x9Cok\xE2\x80\x9D now. Old page\xE2\x80\x99s quote.");
    done(&c);
}
END_TEST

START_TEST(br_and_blocks_make_paragraphs)
{
    struct capture c;
    read_ok(&c, "<html><body><article>  First line<br>second line<br/><br>third"
                "<ul><li>one</li><li>two</li></ul><blockquote>quoted</blockquote>"
                "<table><tr><td>cell a</td><td>cell b</td></tr><tr><td>c</td></tr></table>"
                "<h2>Sub</h2>tail \n </article></body></html>");
    ck_assert_str_eq(c.rec.body,
                     "First line\n\nsecond line\n\nthird\n\none\n\ntwo\n\nquoted\n\n"
                     "cell a cell b\n\nc\n\nSub\n\ntail");
    done(&c);
}
END_TEST

START_TEST(no_article_falls_back_to_body)
{
    struct capture c;
    read_ok(&c, "<html><body><header>Chrome</header><nav>Menu</nav>"
                "<div><p>Plain page paragraph one.</p><p>Paragraph two.</p></div>"
                "<footer>Foot</footer></body></html>");
    ck_assert_str_eq(c.rec.body, "Plain page paragraph one.\n\nParagraph two.");
    done(&c);
}
END_TEST

START_TEST(main_and_role_main)
{
    struct capture c;
    read_ok(&c, "<html><body><div>Outside main.</div><main><p>Inside main.</p></main></body></html>");
    ck_assert_str_eq(c.rec.body, "Inside main.");
    done(&c);

    read_ok(&c, "<html><body><div>Outside.</div><div role=\"main\"><p>Inside role.</p></div></body></html>");
    ck_assert_str_eq(c.rec.body, "Inside role.");
    done(&c);
}
END_TEST

START_TEST(largest_article_wins)
{
    struct capture c;
    read_ok(&c, "<html><body><article><p>Teaser.</p></article>"
                "<article><p>The real story, which is much longer than the teaser.</p></article>"
                "<article><p>Another teaser.</p></article></body></html>");
    ck_assert_str_eq(c.rec.body, "The real story, which is much longer than the teaser.");
    done(&c);
}
END_TEST

/* ---- encodings ----------------------------------------------------------------- */

START_TEST(utf8_without_charset)
{
    struct capture c;
    read_ok(&c, "<html><head><title>Caf\xC3\xA9</title></head><body><p>"
                "Caf\xC3\xA9 \xD0\x9A\xD1\x8B\xD0\xB8\xD0\xB2 "
                "\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A</p></body></html>");
    ck_assert_str_eq(c.rec.title, "Caf\xC3\xA9");
    ck_assert_str_eq(c.rec.body, "Caf\xC3\xA9 \xD0\x9A\xD1\x8B\xD0\xB8\xD0\xB2 "
                                 "\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A");
    done(&c);
}
END_TEST

START_TEST(latin1_with_meta_charset)
{
    struct capture c;
    read_ok(&c, "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xE9</title></head>"
                "<body><p>Caf\xE9 cr\xE8me \x93quoted\x94</p></body></html>");
    ck_assert_str_eq(c.rec.title, "Caf\xC3\xA9");
    ck_assert_str_eq(c.rec.body, "Caf\xC3\xA9 cr\xC3\xA8me \xE2\x80\x9Cquoted\xE2\x80\x9D");
    done(&c);

    /* The http-equiv form, and a charset that libxml2 must not override. */
    read_ok(&c, "<html><head><meta http-equiv=\"Content-Type\" "
                "content=\"text/html; charset=windows-1251\"></head>"
                "<body><p>\xCA\xFB\xE8\xE2</p></body></html>");
    ck_assert_str_eq(c.rec.body, "\xD0\x9A\xD1\x8B\xD0\xB8\xD0\xB2");
    done(&c);
}
END_TEST

START_TEST(undeclared_latin1_is_guessed)
{
    struct capture c;
    read_ok(&c, "<html><body><p>Caf\xE9 \xE0 la cr\xE8me</p></body></html>");
    ck_assert_str_eq(c.rec.body, "Caf\xC3\xA9 \xC3\xA0 la cr\xC3\xA8me");
    done(&c);
}
END_TEST

START_TEST(utf16_with_bom)
{
    const char *ascii = "<html><body><p>Wide text</p></body></html>";
    size_t n = strlen(ascii);
    char buf[256];
    buf[0] = (char)0xFF;
    buf[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++) {
        buf[2 + 2 * i] = ascii[i];
        buf[3 + 2 * i] = 0;
    }
    struct capture c = {0};
    ck_assert_int_eq(read_n(&c, buf, 2 + 2 * n), 0);
    ck_assert_int_eq(c.records, 1);
    ck_assert_str_eq(c.rec.body, "Wide text");
    done(&c);
}
END_TEST

START_TEST(invalid_utf8_is_repaired)
{
    struct capture c;
    read_ok(&c, "<html><head><meta charset=\"utf-8\"><title>Bad \xFF title</title></head>"
                "<body><p>Good \xC3\xA9, bad \xC3 and \xED\xA0\x80 then caf\xC3\xA9.</p></body></html>");
    assert_record_utf8(&c.rec);
    ck_assert_str_eq(c.rec.title, "Bad \xEF\xBF\xBD title");
    ck_assert_ptr_nonnull(strstr(c.rec.body, "\xEF\xBF\xBD"));
    ck_assert_ptr_nonnull(strstr(c.rec.body, "then caf\xC3\xA9."));
    ck_assert_ptr_nonnull(strstr(c.rec.body, "Good \xC3\xA9,"));
    done(&c);
}
END_TEST

/* ---- unusable and hostile input -------------------------------------------- */

static void expect_no_text(const char *data, size_t len)
{
    struct capture c = {0};
    ck_assert_int_eq(read_n(&c, data, len), -1);
    ck_assert_int_eq(c.records, 0);
    ck_assert_int_eq(c.problems, 1);
    ck_assert_str_eq(c.msg, "no article text found in HTML");
}

START_TEST(empty_input)
{
    expect_no_text("", 0);
    expect_no_text(NULL, 0);
    expect_no_text("   \n\t ", 6);
    const char *chrome_only = "<html><head><title> </title></head><body><nav>Only menu</nav>"
                              "<p>&nbsp;</p><script>x()</script></body></html>";
    expect_no_text(chrome_only, strlen(chrome_only));
}
END_TEST

START_TEST(garbage_input)
{
    char buf[8192];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof buf; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (char)(x & 0xFF);
    }
    expect_no_text(buf, sizeof buf);
    expect_no_text("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", 20);
}
END_TEST

START_TEST(input_need_not_be_nul_terminated)
{
    const char *html = "<html lang=\"en\"><head><meta charset=\"utf-8\"></head>"
                       "<body><p>Exact length.</p></body></html>";
    size_t n = strlen(html);
    char *copy = malloc(n); /* no terminator: the sanitizer build catches over-reads */
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, html, n);
    struct capture c = {0};
    ck_assert_int_eq(read_n(&c, copy, n), 0);
    free(copy);
    ck_assert_str_eq(c.rec.body, "Exact length.");
    done(&c);
}
END_TEST

START_TEST(title_only_page)
{
    struct capture c;
    read_ok(&c, "<html><head><title>Just a title</title></head><body></body></html>");
    ck_assert_str_eq(c.rec.title, "Just a title");
    ck_assert_ptr_null(c.rec.body);
    done(&c);
}
END_TEST

START_TEST(on_record_stop_value_returned)
{
    struct capture c = {0};
    c.stop_with = 7;
    ck_assert_int_eq(read_s(&c, "<p>Text.</p>"), 7);
    ck_assert_int_eq(c.records, 1);
    done(&c);
}
END_TEST

START_TEST(deeply_nested_divs)
{
    char *html = repeat("<html><head><title>Deep</title></head><body><p>Before the pit.</p>",
                        "<div>", 100000, "bottom</body></html>");
    struct capture c = {0};
    int rc = read_s(&c, html);
    free(html);
    /* libxml2 stops at its depth limit; what was read before survives. */
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(c.records, 1);
    ck_assert_str_eq(c.rec.title, "Deep");
    ck_assert_ptr_nonnull(strstr(c.rec.body, "Before the pit."));
    done(&c);

    html = repeat("<html><body><p>Closed too.</p>", "<div>", 100000, "");
    char *closed = repeat(html, "</div>", 100000, "</body></html>");
    free(html);
    memset(&c, 0, sizeof c);
    rc = read_s(&c, closed);
    free(closed);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(c.rec.body, "Closed too.");
    done(&c);
}
END_TEST

START_TEST(many_unclosed_tags)
{
    char *html = repeat("<html><body><p>Start.</p>", "<b>x", 10000, "</p></body></html>");
    struct capture c = {0};
    int rc = read_s(&c, html);
    free(html);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(c.records, 1);
    ck_assert_ptr_nonnull(strstr(c.rec.body, "Start."));
    /* The text lost past libxml2's depth limit is reported, not hidden. */
    ck_assert_int_eq(c.problems, 1);
    assert_record_utf8(&c.rec);
    done(&c);

    /* Nested articles must not be measured one by one (quadratic). */
    html = repeat("<html><body>", "<article>w ", 10000, "</body></html>");
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(read_s(&c, html), 0);
    free(html);
    ck_assert_ptr_nonnull(c.rec.body);
    done(&c);
}
END_TEST

START_TEST(large_page)
{
    const char *para = "<p>Paragraph of ordinary news text, repeated to make a big page.</p>\n";
    size_t n = 50u * 1024 * 1024 / strlen(para);
    char *html = repeat("<html><head><title>Big</title></head><body><article>", para, n,
                        "</article></body></html>");
    struct capture c = {0};
    ck_assert_int_eq(read_s(&c, html), 0);
    free(html);
    ck_assert_int_eq(c.records, 1);
    size_t one = strlen("Paragraph of ordinary news text, repeated to make a big page.");
    ck_assert_uint_eq(strlen(c.rec.body), n * one + (n - 1) * 2);
    done(&c);
}
END_TEST

static Suite *read_html_suite(void)
{
    Suite *s = suite_create("read_html");
    TCase *page = tcase_create("page");
    tcase_add_test(page, typical_news_page);
    tcase_add_test(page, hidden_elements_are_skipped);
    tcase_add_test(page, header_inside_article_is_kept);
    tcase_add_test(page, og_title_beats_title_element);
    tcase_add_test(page, title_falls_back_to_first_h1);
    tcase_add_test(page, title_suffix_trimmed_only_when_site_name);
    tcase_add_test(page, h1_repeating_title_is_dropped);
    tcase_add_test(page, date_sources);
    tcase_add_test(page, canonical_url);
    tcase_add_test(page, language);
    tcase_add_test(page, source_only_site_name_or_publisher);
    suite_add_tcase(s, page);

    TCase *text = tcase_create("text");
    tcase_add_test(text, inline_elements_do_not_split_words);
    tcase_add_test(text, entities_are_decoded);
    tcase_add_test(text, br_and_blocks_make_paragraphs);
    tcase_add_test(text, no_article_falls_back_to_body);
    tcase_add_test(text, main_and_role_main);
    tcase_add_test(text, largest_article_wins);
    suite_add_tcase(s, text);

    TCase *enc = tcase_create("encoding");
    tcase_add_test(enc, utf8_without_charset);
    tcase_add_test(enc, latin1_with_meta_charset);
    tcase_add_test(enc, undeclared_latin1_is_guessed);
    tcase_add_test(enc, utf16_with_bom);
    tcase_add_test(enc, invalid_utf8_is_repaired);
    suite_add_tcase(s, enc);

    TCase *bad = tcase_create("hostile");
    /* The 50 MB page takes seconds under sanitizers. */
    tcase_set_timeout(bad, 120);
    tcase_add_test(bad, empty_input);
    tcase_add_test(bad, garbage_input);
    tcase_add_test(bad, input_need_not_be_nul_terminated);
    tcase_add_test(bad, title_only_page);
    tcase_add_test(bad, on_record_stop_value_returned);
    tcase_add_test(bad, deeply_nested_divs);
    tcase_add_test(bad, many_unclosed_tags);
    tcase_add_test(bad, large_page);
    suite_add_tcase(s, bad);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(read_html_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
