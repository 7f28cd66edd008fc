/* utf8_repair.c - make arbitrary input bytes safe to index and print.
 *
 * Archives contain Latin-1 leftovers, truncated multi-byte sequences and stray
 * NULs. Everything downstream (analyzer, SQLite, JSON output) assumes valid
 * UTF-8, so readers pass their strings through here first. utf8proc decides
 * what a valid sequence is (it rejects overlong forms and surrogates). */
#include "record.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

char *nx_utf8_repair(const char *s, size_t len)
{
    /* Worst case: every byte becomes U+FFFD (3 bytes). */
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] == 0) {
            i++;
            continue;
        }
        if (p[i] < 0x80) {
            out[o++] = (char)p[i++];
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n > 0) {
            memcpy(out + o, p + i, (size_t)n);
            o += (size_t)n;
            i += (size_t)n;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}
