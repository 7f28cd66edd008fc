/* test_input.c - unit tests for getting inputs into memory: nx_gunzip and
 * nx_load_stream (src/ingest/load.c), nx_text_classify and
 * nx_cp1252_to_utf8 (src/ingest/encoding.c), nx_utf8_repair
 * (src/ingest/utf8_repair.c). */
#include "ingest/input.h"
#include "ingest/record.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <zlib.h>

/* ---- helpers ------------------------------------------------------------- */

/* For checks in hot loops: Check's ck_assert_* talk to the runner on every
 * call, which makes thousands of them slow under sanitizers. */
#define REQUIRE(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

/* Compresses data with zlib: windowBits 31 gives a gzip member, 15 a zlib
 * stream. Returns a malloc'd buffer of *outlen bytes. */
static unsigned char *deflate_buf(const void *data, size_t len, int window_bits, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    uLong cap = deflateBound(&z, (uLong)len) + 32;
    unsigned char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *outlen = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

static unsigned char *gzip_buf(const void *data, size_t len, size_t *outlen)
{
    return deflate_buf(data, len, 31, outlen);
}

/* Concatenation of two buffers. */
static unsigned char *concat(const unsigned char *a, size_t al, const unsigned char *b, size_t bl)
{
    unsigned char *s = malloc(al + bl + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, a, al);
    if (bl)
        memcpy(s + al, b, bl);
    return s;
}

/* Some text of n bytes that is not all one byte. */
static char *sample_text(size_t n)
{
    char *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    static const char words[] = "The council met on Monday and voted to reopen the bridge. ";
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        s[i] = (i % 97 == 0) ? (char)('A' + (x >> 16) % 26) : words[i % (sizeof words - 1)];
    }
    s[n] = '\0';
    return s;
}

static int valid_utf8_n(const char *s, size_t n)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

/* Gunzips and checks success and the NUL terminator. */
static char *gunzip_ok(const void *in, size_t n, size_t *len)
{
    char *out = (char *)1;
    char msg[256] = "untouched";
    int rc = nx_gunzip(in, n, &out, len, msg, sizeof msg);
    ck_assert_msg(rc == 0, "nx_gunzip failed: %s", msg);
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(out[*len], '\0');
    return out;
}

/* Gunzips expecting failure; returns the message. */
static void gunzip_fails(const void *in, size_t n, char *msg, size_t msglen)
{
    char *out = (char *)1;
    size_t len = 99;
    int rc = nx_gunzip(in, n, &out, &len, msg, msglen);
    ck_assert_int_eq(rc, -1);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(len, 0);
    ck_assert_msg(msg[0] != '\0', "failure without a message");
}

/* ---- nx_gunzip ----------------------------------------------------------- */

START_TEST(gunzip_round_trip)
{
    static const size_t sizes[] = {0, 1, 100, 4096, 65536, 1000003};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *text = sample_text(sizes[i]);
        size_t gzlen;
        unsigned char *gz = gzip_buf(text, sizes[i], &gzlen);
        size_t len;
        char *out = gunzip_ok(gz, gzlen, &len);
        ck_assert_uint_eq(len, sizes[i]);
        ck_assert_int_eq(memcmp(out, text, len), 0);
        free(out);
        free(gz);
        free(text);
    }
}
END_TEST

/* Highly compressible data inflates far past the first buffer guess. */
START_TEST(gunzip_high_ratio)
{
    size_t n = 8 * 1024 * 1024;
    char *zeros = calloc(n, 1);
    ck_assert_ptr_nonnull(zeros);
    memset(zeros, 'a', n);
    size_t gzlen;
    unsigned char *gz = gzip_buf(zeros, n, &gzlen);
    ck_assert_uint_lt(gzlen * 100, n);
    size_t len;
    char *out = gunzip_ok(gz, gzlen, &len);
    ck_assert_uint_eq(len, n);
    ck_assert_int_eq(memcmp(out, zeros, n), 0);
    free(out);
    free(gz);
    free(zeros);
}
END_TEST

START_TEST(gunzip_zlib_format)
{
    const char *text = "zlib streams are accepted too";
    unsigned char buf[256];
    uLongf blen = sizeof buf;
    ck_assert_int_eq(compress2(buf, &blen, (const Bytef *)text, (uLong)strlen(text), 9), Z_OK);
    size_t len;
    char *out = gunzip_ok(buf, blen, &len);
    ck_assert_str_eq(out, text);
    free(out);
}
END_TEST

START_TEST(gunzip_concatenated_members)
{
    const char *a = "first member\n", *b = "second member\n", *c = "";
    size_t al, bl, cl;
    unsigned char *ga = gzip_buf(a, strlen(a), &al);
    unsigned char *gb = gzip_buf(b, strlen(b), &bl);
    unsigned char *gc = gzip_buf(c, 0, &cl);
    unsigned char *ab = concat(ga, al, gb, bl);
    size_t len;
    char *out = gunzip_ok(ab, al + bl, &len);
    ck_assert_str_eq(out, "first member\nsecond member\n");
    free(out);
    /* an empty member in between, and three in all */
    unsigned char *ac = concat(ga, al, gc, cl);
    unsigned char *acb = concat(ac, al + cl, gb, bl);
    out = gunzip_ok(acb, al + cl + bl, &len);
    ck_assert_str_eq(out, "first member\nsecond member\n");
    free(out);
    free(acb);
    free(ac);
    free(ab);
    free(ga);
    free(gb);
    free(gc);
}
END_TEST

/* Every proper prefix of a gzip stream is "truncated", never a short text. */
START_TEST(gunzip_truncated)
{
    char *text = sample_text(20000);
    size_t gzlen;
    unsigned char *gz = gzip_buf(text, 20000, &gzlen);
    for (size_t cut = 0; cut < gzlen; cut += (cut < 64 || gzlen - cut < 64) ? 1 : 97) {
        char msg[256];
        msg[0] = 'x';
        msg[1] = '\0';
        gunzip_fails(gz, cut, msg, sizeof msg);
        ck_assert_msg(strstr(msg, "truncated") != NULL, "cut at %zu of %zu: message \"%s\"", cut,
                      gzlen, msg);
    }
    /* a complete member followed by a partial one */
    size_t bl;
    unsigned char *gb = gzip_buf("more", 4, &bl);
    unsigned char *ab = concat(gz, gzlen, gb, bl);
    for (size_t cut = 1; cut < bl; cut++) {
        char msg[256];
        gunzip_fails(ab, gzlen + cut, msg, sizeof msg);
        ck_assert_msg(strstr(msg, "truncated") != NULL, "second member cut at %zu: \"%s\"", cut,
                      msg);
    }
    free(ab);
    free(gb);
    free(gz);
    free(text);
}
END_TEST

START_TEST(gunzip_corrupt)
{
    const char *text = "An article about the harbour bridge that reopened after repairs.";
    size_t gzlen;
    unsigned char *gz = gzip_buf(text, strlen(text), &gzlen);
    char msg[256];

    /* wrong CRC in the trailer */
    unsigned char *bad = concat(gz, gzlen, NULL, 0);
    bad[gzlen - 8] ^= 0xff;
    gunzip_fails(bad, gzlen, msg, sizeof msg);
    ck_assert_msg(strstr(msg, "corrupt") != NULL, "bad crc: \"%s\"", msg);
    free(bad);

    /* wrong length in the trailer */
    bad = concat(gz, gzlen, NULL, 0);
    bad[gzlen - 1] ^= 0x01;
    gunzip_fails(bad, gzlen, msg, sizeof msg);
    ck_assert_msg(strstr(msg, "corrupt") != NULL, "bad length: \"%s\"", msg);
    free(bad);

    /* unknown compression method in the header */
    bad = concat(gz, gzlen, NULL, 0);
    bad[2] = 9;
    gunzip_fails(bad, gzlen, msg, sizeof msg);
    ck_assert_msg(strstr(msg, "corrupt") != NULL, "bad method: \"%s\"", msg);
    free(bad);

    /* not compressed at all */
    gunzip_fails("plain text, not gzip", 20, msg, sizeof msg);
    ck_assert_msg(strstr(msg, "corrupt") != NULL, "plain: \"%s\"", msg);

    /* garbage after a complete member */
    unsigned char *tail = concat(gz, gzlen, (const unsigned char *)"garbage", 7);
    gunzip_fails(tail, gzlen + 7, msg, sizeof msg);
    free(tail);

    /* every single-byte flip in the body either fails or gives the text
     * back (the CRC catches the rest); never a crash */
    for (size_t i = 10; i < gzlen - 8; i++) {
        bad = concat(gz, gzlen, NULL, 0);
        bad[i] ^= 0x55;
        char *out;
        size_t len;
        if (nx_gunzip((const char *)bad, gzlen, &out, &len, msg, sizeof msg) == 0) {
            ck_assert_uint_eq(len, strlen(text));
            ck_assert_int_eq(memcmp(out, text, len), 0);
            free(out);
        } else {
            ck_assert_msg(msg[0] != '\0', "flip at %zu: failure without a message", i);
        }
        free(bad);
    }
    free(gz);
}
END_TEST

/* A zlib stream that needs a preset dictionary cannot be read: that is an
 * error, and like every error it comes with a message. */
START_TEST(gunzip_needs_dictionary)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(deflateInit(&z, 6), Z_OK);
    static const char dict[] = "harbour bridge repairs";
    ck_assert_int_eq(deflateSetDictionary(&z, (const Bytef *)dict, sizeof dict - 1), Z_OK);
    const char *text = "the harbour bridge reopened after repairs";
    unsigned char out[256];
    z.next_in = (Bytef *)(uintptr_t)text;
    z.avail_in = (uInt)strlen(text);
    z.next_out = out;
    z.avail_out = sizeof out;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = sizeof out - z.avail_out;
    deflateEnd(&z);

    char msg[256];
    gunzip_fails(out, n, msg, sizeof msg);
}
END_TEST

START_TEST(gunzip_small_message_buffer)
{
    char msg[8];
    char *out;
    size_t len;
    ck_assert_int_eq(nx_gunzip("\x1f\x8b", 2, &out, &len, msg, sizeof msg), -1);
    ck_assert_uint_lt(strlen(msg), sizeof msg);
}
END_TEST

/* ---- nx_load_stream ------------------------------------------------------ */

static FILE *tmp_with(const void *data, size_t n)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    if (n)
        ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    rewind(f);
    return f;
}

static char *load_ok(const void *data, size_t n, size_t *len)
{
    FILE *f = tmp_with(data, n);
    char *out = NULL;
    char msg[256];
    int rc = nx_load_stream(f, &out, len, msg, sizeof msg);
    fclose(f);
    ck_assert_msg(rc == 0, "nx_load_stream failed: %s", msg);
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(out[*len], '\0');
    return out;
}

START_TEST(load_plain)
{
    size_t len;
    char *out = load_ok("Title: x\n\nbody\n", 15, &len);
    ck_assert_uint_eq(len, 15);
    ck_assert_str_eq(out, "Title: x\n\nbody\n");
    free(out);

    out = load_ok("", 0, &len);
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(out, "");
    free(out);

    /* binary bytes and NULs pass through untouched */
    out = load_ok("a\0b\xff\x1f", 5, &len);
    ck_assert_uint_eq(len, 5);
    ck_assert_int_eq(memcmp(out, "a\0b\xff\x1f", 5), 0);
    free(out);

    /* a lone 0x1f byte, or 0x1f without 0x8b, is not gzip */
    out = load_ok("\x1f", 1, &len);
    ck_assert_uint_eq(len, 1);
    free(out);
    out = load_ok("\x1f\x8a rest", 7, &len);
    ck_assert_uint_eq(len, 7);
    free(out);
}
END_TEST

/* Larger than the first 64 KiB buffer: grown on the way. */
START_TEST(load_plain_large)
{
    static const size_t sizes[] = {65535, 65536, 65537, 3 * 65536 + 5};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *text = sample_text(sizes[i]);
        size_t len;
        char *out = load_ok(text, sizes[i], &len);
        ck_assert_uint_eq(len, sizes[i]);
        ck_assert_int_eq(memcmp(out, text, len), 0);
        free(out);
        free(text);
    }
}
END_TEST

START_TEST(load_gzip)
{
    char *text = sample_text(200000);
    size_t gzlen;
    unsigned char *gz = gzip_buf(text, 200000, &gzlen);
    size_t len;
    char *out = load_ok(gz, gzlen, &len);
    ck_assert_uint_eq(len, 200000);
    ck_assert_int_eq(memcmp(out, text, len), 0);
    free(out);

    /* truncated gzip file: an error with the reason, no output */
    FILE *f = tmp_with(gz, gzlen / 2);
    char msg[256];
    out = (char *)1;
    len = 7;
    ck_assert_int_eq(nx_load_stream(f, &out, &len, msg, sizeof msg), -1);
    fclose(f);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_nonnull(strstr(msg, "truncated"));
    free(gz);
    free(text);
}
END_TEST

START_TEST(load_read_error)
{
    /* On Linux a directory opens for reading, and then fails with EISDIR. */
    FILE *d = fopen("/", "r");
    if (!d)
        return; /* a platform where directories cannot be opened */
    char *out = (char *)1;
    size_t len = 3;
    char msg[256];
    ck_assert_int_eq(nx_load_stream(d, &out, &len, msg, sizeof msg), -1);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(len, 0);
    ck_assert_msg(strstr(msg, "read error") != NULL, "message \"%s\"", msg);
    fclose(d);
}
END_TEST

/* ---- nx_text_classify ---------------------------------------------------- */

struct classify_case {
    const char *d;
    size_t n;
    nx_text_kind kind;
    long bad_line;
    int has_utf8;
};

#define S(lit) lit, sizeof lit - 1

static const struct classify_case classify_cases[] = {
    {S(""), NX_TEXT_UTF8, 0, 0},
    {S("plain ascii news\nsecond line\n"), NX_TEXT_UTF8, 0, 0},
    {S("tabs\tand\r\nform\ffeeds are text\n"), NX_TEXT_UTF8, 0, 0},
    {S("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb9\x8c"), NX_TEXT_UTF8, 0, 1},
    /* NUL anywhere in the first 8 KiB: binary */
    {S("text\0more text"), NX_TEXT_BINARY, 0, 0},
    {S("\0"), NX_TEXT_BINARY, 0, 0},
    /* control bytes: more than one in 20 is binary */
    {S("\x01\x02\x03" "abc"), NX_TEXT_BINARY, 0, 0},
    {S("\x1b" "1234567890123456789"), NX_TEXT_UTF8, 0, 0},  /* 1 in 20 */
    {S("\x1b" "123456789012345678"), NX_TEXT_BINARY, 0, 0}, /* 1 in 19 */
    {S("\x7f\x7f\x7f\x7f"), NX_TEXT_UTF8, 0, 0},            /* DEL is not counted */
    /* invalid sequences: the line of the first one */
    {S("\xe9t\xe9"), NX_TEXT_NOT_UTF8, 1, 0},
    {S("line one\nline two\ncaf\xe9\nline four \xff\n"), NX_TEXT_NOT_UTF8, 3, 0},
    {S("a\r\nb\r\n\r\n\xff"), NX_TEXT_NOT_UTF8, 4, 0},
    {S("\xc3\xa9t\xc3\xa9\n\xff"), NX_TEXT_NOT_UTF8, 2, 1},
    {S("\xff\n\xc3\xa9"), NX_TEXT_NOT_UTF8, 1, 1},
    {S("ok\n\xc0\xaf"), NX_TEXT_NOT_UTF8, 2, 0},               /* overlong */
    {S("ok\n\n\n\xed\xa0\x80"), NX_TEXT_NOT_UTF8, 4, 0},      /* surrogate */
    {S("\xf4\x90\x80\x80"), NX_TEXT_NOT_UTF8, 1, 0},          /* past U+10FFFF */
    {S("end \xe2\x82"), NX_TEXT_NOT_UTF8, 1, 0},               /* truncated at the end */
    {S("\x80"), NX_TEXT_NOT_UTF8, 1, 0},
};

START_TEST(classify_table)
{
    const struct classify_case *k = &classify_cases[_i];
    long bad = -5;
    int has = -5;
    nx_text_kind kind = nx_text_classify(k->d, k->n, &bad, &has);
    ck_assert_msg(kind == k->kind, "case %d: kind %d, want %d", _i, (int)kind, (int)k->kind);
    ck_assert_msg(bad == k->bad_line, "case %d: bad_line %ld, want %ld", _i, bad, k->bad_line);
    if (k->kind != NX_TEXT_BINARY)
        ck_assert_msg(has == k->has_utf8, "case %d: has_utf8 %d, want %d", _i, has, k->has_utf8);
}
END_TEST

START_TEST(classify_probes_first_8k_for_binary)
{
    size_t n = 20000;
    char *d = malloc(n);
    ck_assert_ptr_nonnull(d);
    memset(d, 'a', n);
    long bad;
    int has;
    /* a NUL past the first 8 KiB does not make the file binary */
    d[10000] = '\0';
    ck_assert_int_eq(nx_text_classify(d, n, &bad, &has), NX_TEXT_UTF8);
    d[10000] = 'a';
    d[8191] = '\0';
    ck_assert_int_eq(nx_text_classify(d, n, &bad, &has), NX_TEXT_BINARY);
    /* a bad byte far down is found, with its line */
    d[8191] = 'a';
    for (size_t i = 99; i < 15000; i += 100)
        d[i] = '\n';
    d[19000] = (char)0xff;
    ck_assert_int_eq(nx_text_classify(d, n, &bad, &has), NX_TEXT_NOT_UTF8);
    ck_assert_int_eq(bad, 150 + 1);
    ck_assert_int_eq(has, 0);
    free(d);
}
END_TEST

/* ---- nx_cp1252_to_utf8 --------------------------------------------------- */

/* UTF-16 with its byte order mark, either order, becomes UTF-8 without it;
 * a lone surrogate or an odd last byte becomes U+FFFD, the rest is kept. */
START_TEST(utf16_examples)
{
    static const struct {
        const char *in;
        size_t n;
        const char *want;
    } cases[] = {
        {"\xFF\xFE" "C\0a\0f\0\xE9\0", 10, "Caf\u00e9"},
        {"\xFE\xFF" "\0C\0a\0f\0\xE9", 10, "Caf\u00e9"},
        {"\xFF\xFE" "=\xD8\0\xDE", 6, "\U0001F600"},             /* a surrogate pair */
        {"\xFF\xFE" "=\xD8" "a\0", 6, "\ufffd" "a"},               /* a lone high surrogate */
        {"\xFF\xFE" "a\0b", 5, "a\ufffd"},                          /* an odd last byte */
        {"\xFF\xFE", 2, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert(nx_is_utf16(cases[i].in, cases[i].n));
        size_t len;
        char *out = nx_utf16_to_utf8(cases[i].in, cases[i].n, &len);
        ck_assert_ptr_nonnull(out);
        ck_assert_msg(strcmp(out, cases[i].want) == 0 && len == strlen(cases[i].want),
                      "case %zu: got \"%s\"", i, out);
        free(out);
    }
    ck_assert(!nx_is_utf16("\xFF", 1));
    ck_assert(!nx_is_utf16("ab", 2));
    size_t len = 7;
    ck_assert_ptr_null(nx_utf16_to_utf8("ab", 2, &len));
    ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(cp1252_examples)
{
    static const struct {
        const char *in;
        const char *want;
    } cases[] = {
        {"caf\xe9", "caf\u00e9"},
        {"\x80 5", "\u20ac 5"},
        {"Macron\x92s", "Macron\u2019s"},
        {"\x93quoted\x94", "\u201cquoted\u201d"},
        {"\x96 \x97 \x85", "\u2013 \u2014 \u2026"},
        {"\x8a\x9a\x8e\x9e\x9f", "\u0160\u0161\u017d\u017e\u0178"},
        {"\x81\x8d\x8f\x90\x9d", "\ufffd\ufffd\ufffd\ufffd\ufffd"},
        {"\xa0\xff\xdf", "\u00a0\u00ff\u00df"},
        {"plain ascii", "plain ascii"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = 12345;
        char *out = nx_cp1252_to_utf8(cases[i].in, strlen(cases[i].in), &len);
        ck_assert_ptr_nonnull(out);
        ck_assert_uint_eq(len, strlen(out));
        ck_assert_msg(strcmp(out, cases[i].want) == 0, "case %zu: got \"%s\", want \"%s\"", i, out,
                      cases[i].want);
        free(out);
    }
}
END_TEST

/* All 256 bytes against the Windows-1252 table as published by Unicode
 * (0x80-0x9F; everything else is Latin-1). */
START_TEST(cp1252_every_byte)
{
    static const uint32_t high[32] = {
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    };
    for (int b = 1; b < 256; b++) {
        char in[3] = {'<', (char)b, '>'};
        size_t len;
        char *out = nx_cp1252_to_utf8(in, 3, &len);
        ck_assert_ptr_nonnull(out);
        ck_assert_msg(valid_utf8_n(out, len), "byte %02x: invalid UTF-8 out", b);
        ck_assert_int_eq(out[0], '<');
        ck_assert_int_eq(out[len - 1], '>');
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)out + 1, (utf8proc_ssize_t)(len - 2), &cp);
        ck_assert_int_eq((size_t)k, len - 2);
        uint32_t want = (b >= 0x80 && b <= 0x9f) ? high[b - 0x80] : (uint32_t)b;
        ck_assert_msg((uint32_t)cp == want, "byte %02x: U+%04X, want U+%04X", b, (unsigned)cp,
                      (unsigned)want);
        free(out);
    }
    /* NUL bytes do not end up inside the string */
    size_t len;
    char *out = nx_cp1252_to_utf8("a\0b", 3, &len);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(len, strlen(out));
    free(out);
    /* the worst case: every byte three bytes long */
    char all[1000];
    memset(all, (char)0x80, sizeof all);
    out = nx_cp1252_to_utf8(all, sizeof all, &len);
    ck_assert_uint_eq(len, 3 * sizeof all);
    free(out);
}
END_TEST

/* ---- nx_utf8_repair ------------------------------------------------------ */

/* Replaces each run of U+FFFD with a single one, so that the tests hold
 * whether a bad sequence gives one replacement or one per byte. */
static void squeeze_fffd(char *s)
{
    char *o = s;
    const char *fffd = "\xEF\xBF\xBD";
    int last_was = 0;
    while (*s) {
        if (strncmp(s, fffd, 3) == 0) {
            if (!last_was) {
                memcpy(o, fffd, 3);
                o += 3;
            }
            last_was = 1;
            s += 3;
        } else {
            *o++ = *s++;
            last_was = 0;
        }
    }
    *o = '\0';
}

#define R "\xEF\xBF\xBD"

static const struct {
    const char *in;
    size_t n;
    const char *want; /* after squeeze_fffd */
} repair_cases[] = {
    {S(""), ""},
    {S("plain"), "plain"},
    {S("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
    {S("\xef\xbf\xbd kept"), R " kept"},
    {S("caf\xe9!"), "caf" R "!"},
    {S("\xff"), R},
    {S("\x80x"), R "x"},
    {S("a\xc0\xaf" "b"), "a" R "b"},                /* overlong '/' */
    {S("a\xc1\xbf" "b"), "a" R "b"},
    {S("a\xe0\x80\xaf" "b"), "a" R "b"},            /* 3-byte overlong */
    {S("a\xf0\x80\x80\xaf" "b"), "a" R "b"},        /* 4-byte overlong */
    {S("a\xed\xa0\x80" "b"), "a" R "b"},            /* high surrogate */
    {S("a\xed\xbf\xbf" "b"), "a" R "b"},            /* low surrogate */
    {S("a\xed\xa0\xbd\xed\xb8\x80" "b"), "a" R "b"}, /* CESU-8 pair */
    {S("a\xf4\x90\x80\x80" "b"), "a" R "b"},        /* past U+10FFFF */
    {S("a\xf8\x88\x80\x80\x80" "b"), "a" R "b"},    /* 5-byte form */
    {S("end\xe2\x82"), "end" R},                    /* truncated at the end */
    {S("end\xf0\x9f\x98"), "end" R},
    {S("\xe2\x82x\xc3"), R "x" R},                  /* truncated mid-text */
    {S("\xc3\xc3\xa9"), R "\xc3\xa9"},              /* a bad lead before a good one */
    {S("a\0b\0\0c"), "abc"},                        /* NULs dropped */
    {S("\0"), ""},
    {S("\xc0\x80"), R},                             /* overlong NUL is not a NUL */
};

START_TEST(repair_table)
{
    char *out = nx_utf8_repair(repair_cases[_i].in, repair_cases[_i].n);
    ck_assert_ptr_nonnull(out);
    ck_assert_msg(valid_utf8_n(out, strlen(out)), "case %d: output is not valid UTF-8", _i);
    squeeze_fffd(out);
    ck_assert_msg(strcmp(out, repair_cases[_i].want) == 0, "case %d: got \"%s\", want \"%s\"", _i,
                  out, repair_cases[_i].want);
    free(out);
}
END_TEST

/* Every two-byte input and pseudo-random longer ones: the output is valid
 * UTF-8, NUL-free, and repairing it again changes nothing. */
START_TEST(repair_any_bytes)
{
    char in[2];
    for (int a = 0; a < 256; a++)
        for (int b = 0; b < 256; b++) {
            in[0] = (char)a;
            in[1] = (char)b;
            char *out = nx_utf8_repair(in, 2);
            REQUIRE(out != NULL, "out of memory");
            size_t len = strlen(out);
            REQUIRE(len <= 6 && valid_utf8_n(out, len), "bytes %02x %02x: bad output", a, b);
            free(out);
        }
    uint32_t x = 88172645u;
    char buf[300];
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(round % 300);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            buf[i] = (char)(x & 0xff);
        }
        char *out = nx_utf8_repair(buf, n);
        REQUIRE(out != NULL, "out of memory");
        size_t len = strlen(out);
        REQUIRE(len <= 3 * n && valid_utf8_n(out, len), "round %d: bad output", round);
        char *again = nx_utf8_repair(out, len);
        REQUIRE(again != NULL && strcmp(again, out) == 0, "round %d: repair not idempotent", round);
        free(again);
        free(out);
    }
}
END_TEST

/* Only len bytes are read: the input need not be NUL-terminated. */
START_TEST(repair_reads_only_len)
{
    static const char *const texts[] = {"abc", "caf\xc3", "\xe2\x82", "\xf0\x9f\x98"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t n = strlen(texts[i]);
        char *p = malloc(n);
        ck_assert_ptr_nonnull(p);
        memcpy(p, texts[i], n);
        char *out = nx_utf8_repair(p, n);
        ck_assert_ptr_nonnull(out);
        ck_assert(valid_utf8_n(out, strlen(out)));
        free(out);
        free(p);
    }
    char *out = nx_utf8_repair("abcdef", 3);
    ck_assert_str_eq(out, "abc");
    free(out);
}
END_TEST

static Suite *input_suite(void)
{
    Suite *s = suite_create("input");
    TCase *gz = tcase_create("gunzip");
    tcase_set_timeout(gz, 60);
    tcase_add_test(gz, gunzip_round_trip);
    tcase_add_test(gz, gunzip_high_ratio);
    tcase_add_test(gz, gunzip_zlib_format);
    tcase_add_test(gz, gunzip_concatenated_members);
    tcase_add_test(gz, gunzip_truncated);
    tcase_add_test(gz, gunzip_corrupt);
    tcase_add_test(gz, gunzip_needs_dictionary);
    tcase_add_test(gz, gunzip_small_message_buffer);
    suite_add_tcase(s, gz);

    TCase *load = tcase_create("load");
    tcase_add_test(load, load_plain);
    tcase_add_test(load, load_plain_large);
    tcase_add_test(load, load_gzip);
    tcase_add_test(load, load_read_error);
    suite_add_tcase(s, load);

    TCase *cls = tcase_create("classify");
    tcase_add_loop_test(cls, classify_table, 0,
                        (int)(sizeof classify_cases / sizeof classify_cases[0]));
    tcase_add_test(cls, classify_probes_first_8k_for_binary);
    suite_add_tcase(s, cls);

    TCase *cp = tcase_create("cp1252");
    tcase_add_test(cp, cp1252_examples);
    tcase_add_test(cp, utf16_examples);
    tcase_add_test(cp, cp1252_every_byte);
    suite_add_tcase(s, cp);

    TCase *rep = tcase_create("utf8_repair");
    tcase_set_timeout(rep, 60);
    tcase_add_loop_test(rep, repair_table, 0, (int)(sizeof repair_cases / sizeof repair_cases[0]));
    tcase_add_test(rep, repair_any_bytes);
    tcase_add_test(rep, repair_reads_only_len);
    suite_add_tcase(s, rep);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(input_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
