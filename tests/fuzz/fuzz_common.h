/* fuzz_common.h - helpers shared by the libFuzzer targets in tests/fuzz/.
 *
 * Every check that fails prints what was wrong and calls abort(), which
 * libFuzzer reports as a crash and saves the input for. Nothing here keeps
 * state between inputs. */
#ifndef NX_FUZZ_COMMON_H
#define NX_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                          \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "\nfuzz check failed at %s:%d: %s\n  ", __FILE__, __LINE__, \
                    #cond);                                                            \
            fprintf(stderr, __VA_ARGS__);                                              \
            fputc('\n', stderr);                                                       \
            abort();                                                                   \
        }                                                                              \
    } while (0)

/* Is s[0..n) valid UTF-8 (as utf8proc decides: no overlong forms, no
 * surrogates)? Stores the offset of the first bad byte in *bad when not. */
static inline int fuzz_utf8_valid(const char *s, size_t n, size_t *bad)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += (size_t)k;
    }
    return 1;
}

/* Is byte offset at of s[0..n) a character boundary (the start of a
 * character or the end of the string)? Meaningful for valid UTF-8. */
static inline int fuzz_utf8_boundary(const char *s, size_t n, size_t at)
{
    return at == n || (at < n && ((unsigned char)s[at] & 0xC0) != 0x80);
}

/* A malloc'd NUL-terminated copy of data[0..size). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL, "out of memory copying %zu bytes", size);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A malloc'd copy of data[0..size) with no terminator, so that AddressSanitizer
 * catches any read past the end. */
static inline char *fuzz_exact(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1);
    FUZZ_CHECK(s != NULL, "out of memory copying %zu bytes", size);
    if (size)
        memcpy(s, data, size);
    return s;
}

#endif
