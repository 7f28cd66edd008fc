/* wordset.c - an open-addressing hash set of words (see wordset.h). The
 * words live in one growing arena, each preceded by its length; slots hold
 * the word's offset and hash, so most probes compare no bytes. */
#include "wordset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    uint32_t hash;
    uint32_t off; /* 0: empty; else offset + 1 of the length byte in the arena */
} slot;

struct nx_wordset {
    slot *slots;
    size_t cap, count; /* cap a power of two */
    unsigned char *arena;
    size_t used, acap;
};

static uint32_t hash_of(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)w[i]) * 16777619u;
    return h;
}

nx_wordset *nx_wordset_new(void)
{
    nx_wordset *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cap = 1024;
    s->slots = calloc(s->cap, sizeof *s->slots);
    if (!s->slots) {
        free(s);
        return NULL;
    }
    return s;
}

void nx_wordset_free(nx_wordset *s)
{
    if (!s)
        return;
    free(s->slots);
    free(s->arena);
    free(s);
}

void nx_wordset_clear(nx_wordset *s)
{
    memset(s->slots, 0, s->cap * sizeof *s->slots);
    s->count = 0;
    s->used = 0;
}

size_t nx_wordset_count(const nx_wordset *s)
{
    return s->count;
}

static int grow(nx_wordset *s)
{
    size_t cap = s->cap * 2;
    slot *t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slots[i].off)
            continue;
        size_t j = s->slots[i].hash & (cap - 1);
        while (t[j].off)
            j = (j + 1) & (cap - 1);
        t[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = t;
    s->cap = cap;
    return 0;
}

int nx_wordset_add(nx_wordset *s, const char *w, size_t n)
{
    if (n == 0 || n > 255)
        return -1;
    /* Kept under half full, so probes stay short; a table that could not
     * grow may fill up to one free slot, which ends every probe. */
    if ((s->count + 1) * 2 > s->cap && grow(s) != 0 && s->count + 2 > s->cap)
        return -1;
    uint32_t h = hash_of(w, n);
    size_t j = h & (s->cap - 1);
    for (; s->slots[j].off; j = (j + 1) & (s->cap - 1)) {
        const unsigned char *e = s->arena + s->slots[j].off - 1;
        if (s->slots[j].hash == h && e[0] == n && memcmp(e + 1, w, n) == 0)
            return 0;
    }
    if (s->used + n + 1 > UINT32_MAX - 1)
        return -1;
    if (s->used + n + 1 > s->acap) {
        size_t cap = s->acap ? s->acap * 2 : 16384;
        unsigned char *a = realloc(s->arena, cap);
        if (!a)
            return -1;
        s->arena = a;
        s->acap = cap;
    }
    s->arena[s->used] = (unsigned char)n;
    memcpy(s->arena + s->used + 1, w, n);
    s->slots[j] = (slot){h, (uint32_t)s->used + 1};
    s->used += n + 1;
    s->count++;
    return 1;
}
