/* encoding.c - tell text from binary, and rescue archives that are not
 * UTF-8.
 *
 * Old newswire files are often Latin-1 or Windows-1252. Replacing every
 * accented letter with U+FFFD would lose words, so a file with no valid
 * multi-byte UTF-8 at all is decoded as Windows-1252; a file that is mostly
 * UTF-8 with a few bad bytes is repaired with U+FFFD instead. */
#include "input.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

nx_text_kind nx_text_classify(const char *d, size_t n, long *bad_line, int *has_utf8)
{
    *bad_line = 0;
    *has_utf8 = 0;
    size_t probe = n < 8192 ? n : 8192, ctrl = 0;
    for (size_t i = 0; i < probe; i++) {
        unsigned char c = (unsigned char)d[i];
        if (c == 0)
            return NX_TEXT_BINARY;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
            ctrl++;
    }
    if (probe && ctrl * 20 > probe)
        return NX_TEXT_BINARY;

    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)d;
    long line = 1;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            line += p[i] == '\n';
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k > 0) {
            *has_utf8 = 1;
            i += (size_t)k;
        } else {
            if (!*bad_line)
                *bad_line = line;
            i++;
        }
    }
    return *bad_line ? NX_TEXT_NOT_UTF8 : NX_TEXT_UTF8;
}

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

unsigned nx_cp1252_char(unsigned char c)
{
    return c >= 0x80 && c <= 0x9F ? cp1252_high[c - 0x80] : c;
}

char *nx_cp1252_to_utf8(const char *d, size_t n, size_t *len)
{
    char *out = malloc(n * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)d[i];
        utf8proc_int32_t cp = (utf8proc_int32_t)nx_cp1252_char(c);
        if (c && !cp)
            cp = 0xFFFD;
        if (cp == 0)
            continue;
        o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
    }
    out[o] = '\0';
    *len = o;
    return out;
}

int nx_is_utf16(const char *d, size_t n)
{
    const unsigned char *u = (const unsigned char *)d;
    return n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
}

char *nx_utf16_to_utf8(const char *d, size_t n, size_t *len)
{
    *len = 0;
    if (!nx_is_utf16(d, n))
        return NULL;
    int be = (unsigned char)d[0] == 0xFE;
    iconv_t cd = iconv_open("UTF-8", be ? "UTF-16BE" : "UTF-16LE");
    if (cd == (iconv_t)-1)
        return NULL;
    /* Two bytes give at most three of UTF-8 (a pair of four, four). */
    size_t cap = (n - 2) / 2 * 3 + 8;
    char *out = malloc(cap + 1);
    if (!out) {
        iconv_close(cd);
        return NULL;
    }
    char *in = (char *)(uintptr_t)(d + 2), *o = out;
    size_t inleft = n - 2, oleft = cap;
    while (inleft > 0 && iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
        if ((errno != EILSEQ && errno != EINVAL) || oleft < 3)
            break;
        memcpy(o, "\xEF\xBF\xBD", 3);
        o += 3;
        oleft -= 3;
        size_t skip = inleft < 2 ? inleft : 2;
        in += skip;
        inleft -= skip;
    }
    iconv_close(cd);
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}
