/* xapian_stems.c - the Xapian engine's stem lists (xapian_stems.h). A list
 * is the metadata value of "T" + stem term: its words, each followed by a
 * space. A writer merges a transaction's new pairs into them, one read and
 * one write per stem term. */
#include "xapian_stems.h"

#include "xapian_module.h"

#include <stdlib.h>
#include <string.h>

/* Xapian refuses metadata keys over 245 bytes: a word with a longer stem
 * term is still found as written. */
#define MAX_KEY 240

typedef struct pair {
    const char *stem, *word;
    size_t sl, wl;
} pair;

typedef struct pairs {
    pair *p;
    size_t n, cap;
} pairs;

static int collect(void *ctx, const char *stem, size_t sl, const char *word, size_t wl)
{
    pairs *ps = ctx;
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 1024;
        pair *p = realloc(ps->p, cap * sizeof *p);
        if (!p)
            return -1;
        ps->p = p;
        ps->cap = cap;
    }
    ps->p[ps->n++] = (pair){stem, word, sl, wl};
    return 0;
}

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    return cmp_bytes(x->stem, x->sl, y->stem, y->sl);
}

/* Whether list (words each followed by a space) holds word. */
static int listed(const char *list, const char *word, size_t wl)
{
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ' ');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == wl && memcmp(p, word, wl) == 0)
            return 1;
        p += n + (end ? 1 : 0);
    }
    return 0;
}

/* Merges the words of pairs [from, to), which share a stem term. */
static int merge(nxx_db *db, const pair *from, const pair *to)
{
    char key[MAX_KEY + 2];
    if (from->sl + 1 > MAX_KEY)
        return 0;
    key[0] = 'T';
    memcpy(key + 1, from->stem, from->sl);
    key[from->sl + 1] = '\0';
    char *old;
    if (NXX(get_metadata)(db, key, &old))
        return -1;
    size_t len = strlen(old), cap = len + 1;
    for (const pair *p = from; p < to; p++)
        cap += p->wl + 1;
    char *list = malloc(cap);
    if (!list) {
        free(old);
        return -2;
    }
    memcpy(list, old, len + 1);
    free(old);
    size_t was = len;
    for (const pair *p = from; p < to; p++) {
        /* A word can hold no space (terms.md), but a NUL would cut it. */
        if (memchr(p->word, '\0', p->wl) || memchr(p->word, ' ', p->wl) ||
            listed(list, p->word, p->wl))
            continue;
        memcpy(list + len, p->word, p->wl);
        len += p->wl;
        list[len++] = ' ';
        list[len] = '\0';
    }
    int rc = len == was ? 0 : NXX(set_metadata)(db, key, list);
    free(list);
    return rc;
}

int nx_xap_stems_write(nxx_db *db, nx_stempairs *s)
{
    pairs ps = {0};
    int rc = nx_stempairs_each(s, collect, &ps);
    if (rc) {
        free(ps.p);
        return -2;
    }
    if (ps.n) /* qsort's array may not be NULL, even when empty */
        qsort(ps.p, ps.n, sizeof *ps.p, cmp_pair);
    for (size_t i = 0, j; rc == 0 && i < ps.n; i = j) {
        for (j = i + 1; j < ps.n && cmp_pair(&ps.p[i], &ps.p[j]) == 0; j++)
            ;
        rc = merge(db, ps.p + i, ps.p + j);
    }
    free(ps.p);
    if (rc == 0)
        nx_stempairs_written(s);
    return rc;
}

typedef struct expansion {
    nx_emit_fn emit;
    void *ectx;
    int rc;
    char *seen; /* the words emitted so far, each followed by a space */
    size_t used, cap;
} expansion;

static void on_list(void *ctx, const char *v, size_t n)
{
    expansion *e = ctx;
    for (size_t i = 0; e->rc == 0 && i < n;) {
        const char *sp = memchr(v + i, ' ', n - i);
        size_t wl = sp ? (size_t)(sp - (v + i)) : n - i;
        const char *w = v + i;
        i += wl + 1;
        if (wl == 0)
            continue;
        /* Several databases may list the same word. */
        if (e->used && listed(e->seen, w, wl))
            continue;
        if (e->used + wl + 2 > e->cap) {
            size_t cap = (e->cap ? e->cap * 2 : 256) + wl + 2;
            char *p = realloc(e->seen, cap);
            if (!p) {
                e->rc = -1;
                return;
            }
            e->seen = p;
            e->cap = cap;
        }
        memcpy(e->seen + e->used, w, wl);
        e->used += wl;
        e->seen[e->used++] = ' ';
        e->seen[e->used] = '\0';
        e->rc = e->emit(e->ectx, w, wl);
    }
}

int nx_xap_stems_expand(nxx_db *db, const char *stem, size_t len, nx_emit_fn emit, void *ectx)
{
    char key[MAX_KEY + 2];
    if (len + 1 > MAX_KEY)
        return 0;
    key[0] = 'T';
    memcpy(key + 1, stem, len);
    key[len + 1] = '\0';
    expansion e = {emit, ectx, 0, NULL, 0, 0};
    int rc = NXX(get_metadata_each)(db, key, on_list, &e);
    free(e.seen);
    return rc ? NX_EXPAND_UNREADABLE : e.rc;
}
