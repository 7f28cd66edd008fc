/* fuzz_gunzip.c - getting input bytes into memory as text (src/ingest/load.c
 * and encoding.c): nx_gunzip on arbitrary bytes, on a gzip stream of them
 * made here, then nx_text_classify and nx_cp1252_to_utf8 on the result, as
 * the ingest driver does with a file's contents.
 *
 * Input: bytes that may or may not be gzip/zlib data.
 * Checks, besides memory safety and undefined behaviour:
 *   - nx_gunzip on the input: success gives a NUL-terminated buffer of the
 *     reported length; failure gives no buffer and a message;
 *   - round trip: gzip(input) decompresses to the input; gzip(input) twice,
 *     concatenated, to the input twice; gzip(input) without its last byte
 *     fails (a truncated stream is an error, not a short article);
 *   - nx_text_classify: UTF8 means valid UTF-8 with no bad line and has_utf8
 *     exactly when a multi-byte character is present; NOT_UTF8 gives the
 *     1-based line of the first invalid byte;
 *   - nx_cp1252_to_utf8: valid UTF-8 of the reported length, no NULs. */
#include "ingest/input.h"

#include <zlib.h>

#include "fuzz_common.h"

/* gzip(data) into a malloc'd buffer. */
static unsigned char *gzip(const uint8_t *data, size_t size, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    FUZZ_CHECK(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                            Z_DEFAULT_STRATEGY) == Z_OK,
               "deflateInit2 failed");
    size_t cap = deflateBound(&z, (uLong)size) + 64;
    unsigned char *out = malloc(cap);
    FUZZ_CHECK(out != NULL, "out of memory");
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)size;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    FUZZ_CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END, "deflate did not finish");
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

static void check_gunzip(const char *in, size_t n, int rc, char *out, size_t len, const char *msg)
{
    if (rc == 0) {
        FUZZ_CHECK(out != NULL, "success without a buffer (input of %zu bytes)", n);
        FUZZ_CHECK(out[len] == '\0', "output of %zu bytes not NUL-terminated", len);
    } else {
        FUZZ_CHECK(rc == -1, "nx_gunzip returned %d", rc);
        FUZZ_CHECK(out == NULL && len == 0, "failure left a buffer");
        FUZZ_CHECK(msg[0] != '\0', "failure without a message");
    }
    (void)in;
}

static void check_text(const char *d, size_t n)
{
    long bad_line = -1;
    int has_utf8 = -1;
    nx_text_kind kind = nx_text_classify(d, n, &bad_line, &has_utf8);
    size_t bad = 0;
    int valid = fuzz_utf8_valid(d, n, &bad);
    if (kind == NX_TEXT_UTF8) {
        FUZZ_CHECK(valid, "classified UTF-8 but invalid at byte %zu", bad);
        FUZZ_CHECK(bad_line == 0, "UTF-8 with bad_line %ld", bad_line);
        int multi = 0;
        for (size_t i = 0; i < n && !multi; i++)
            multi = (unsigned char)d[i] >= 0x80;
        FUZZ_CHECK(has_utf8 == multi, "has_utf8 %d, multi-byte characters %d", has_utf8, multi);
    } else if (kind == NX_TEXT_NOT_UTF8) {
        FUZZ_CHECK(!valid, "classified not UTF-8 but valid");
        long line = 1;
        for (size_t i = 0; i < bad; i++)
            line += d[i] == '\n';
        FUZZ_CHECK(bad_line == line, "first bad byte %zu is on line %ld, reported %ld", bad, line,
                   bad_line);
    } else {
        FUZZ_CHECK(kind == NX_TEXT_BINARY, "nx_text_classify returned %d", (int)kind);
    }

    size_t ulen = (size_t)-1;
    char *u = nx_cp1252_to_utf8(d, n, &ulen);
    FUZZ_CHECK(u != NULL, "nx_cp1252_to_utf8 failed");
    FUZZ_CHECK(strlen(u) == ulen, "cp1252: length %zu, strlen %zu", ulen, strlen(u));
    FUZZ_CHECK(fuzz_utf8_valid(u, ulen, &bad), "cp1252 output invalid at byte %zu", bad);
    free(u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_exact(data, size);
    char msg[256];
    char *out = (char *)1;
    size_t len = 1;

    /* 1. The input as it comes. */
    int rc = nx_gunzip(in, size, &out, &len, msg, sizeof msg);
    check_gunzip(in, size, rc, out, len, msg);
    if (rc == 0)
        check_text(out, len);
    else
        check_text(in, size);
    free(out);

    /* 2. A gzip stream of it. */
    size_t glen;
    unsigned char *gz = gzip(data, size, &glen);
    rc = nx_gunzip((const char *)gz, glen, &out, &len, msg, sizeof msg);
    FUZZ_CHECK(rc == 0, "gzip of %zu bytes does not decompress: %s", size, msg);
    FUZZ_CHECK(len == size && memcmp(out, data, size) == 0, "round trip of %zu bytes gave %zu",
               size, len);
    free(out);

    /* 3. Two members, as `cat a.gz b.gz` makes. */
    unsigned char *two = malloc(2 * glen);
    FUZZ_CHECK(two != NULL, "out of memory");
    memcpy(two, gz, glen);
    memcpy(two + glen, gz, glen);
    rc = nx_gunzip((const char *)two, 2 * glen, &out, &len, msg, sizeof msg);
    FUZZ_CHECK(rc == 0, "two gzip members do not decompress: %s", msg);
    FUZZ_CHECK(len == 2 * size && memcmp(out, data, size) == 0 &&
                   memcmp(out + size, data, size) == 0,
               "two members of %zu bytes gave %zu", size, len);
    free(out);
    free(two);

    /* 4. Truncated by one byte (copied, so a read past the end is caught). */
    char *cut = fuzz_exact(gz, glen - 1);
    out = (char *)1;
    rc = nx_gunzip(cut, glen - 1, &out, &len, msg, sizeof msg);
    FUZZ_CHECK(rc == -1, "gzip stream without its last byte decompressed (%zu bytes)", len);
    check_gunzip(cut, glen - 1, rc, out, len, msg);
    free(cut);

    free(gz);
    free(in);
    return 0;
}
