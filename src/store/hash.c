/* hash.c - content fingerprints used to tell changed files and articles
 * from unchanged ones. FNV-1a is enough: this detects edits, it does not
 * defend against anyone, and a collision only costs a missed re-index. */
#include "store.h"

#include <stdio.h>
#include <string.h>

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

static void hex(uint64_t h, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

void nx_hash_bytes(const void *data, size_t len, char out[17])
{
    hex(fnv(FNV_OFFSET, data, len), out);
}

uint64_t nx_hash_more(uint64_t h, const void *data, size_t len)
{
    return fnv(h ? h : FNV_OFFSET, data, len);
}

void nx_hash_hex(uint64_t h, char out[17])
{
    hex(h ? h : FNV_OFFSET, out);
}

void nx_hash_strings(const char *const *parts, size_t n, char out[17])
{
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < n; i++) {
        const char *s = parts[i] ? parts[i] : "";
        h = fnv(h, (const unsigned char *)s, strlen(s) + 1); /* the NUL separates */
    }
    hex(h, out);
}

uint64_t nx_hash64(const void *data, size_t len)
{
    return fnv(FNV_OFFSET, data, len);
}

void nx_article_hash(const nx_article_t *a, char out[17])
{
    const char *const parts[] = {a->f[NX_FIELD_TITLE], a->f[NX_FIELD_BODY], a->f[NX_FIELD_DATE],
                                 a->f[NX_FIELD_SOURCE], a->f[NX_FIELD_URL], a->f[NX_FIELD_LANG]};
    nx_hash_strings(parts, sizeof parts / sizeof parts[0], out);
}
