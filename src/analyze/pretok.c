/* pretok.c - recording a text's terms once and replaying them later (see
 * pretok.h for why). */
#include "pretok.h"

#include <stdlib.h>
#include <string.h>

static int on_term(void *ctx, int kind, const char *term, size_t len, size_t start, size_t end,
                   int colocated)
{
    nx_pretok *p = ctx;
    if (len > UINT16_MAX || end > UINT32_MAX || p->used + len > UINT32_MAX)
        return -1;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        nx_pretok_term *t = realloc(p->t, cap * sizeof *t);
        if (!t)
            return -1;
        p->t = t;
        p->cap = cap;
    }
    if (p->used + len > p->bcap) {
        size_t cap = p->bcap ? p->bcap * 2 : 4096;
        while (cap < p->used + len)
            cap *= 2;
        char *b = realloc(p->buf, cap);
        if (!b)
            return -1;
        p->buf = b;
        p->bcap = cap;
    }
    memcpy(p->buf + p->used, term, len);
    p->t[p->n++] = (nx_pretok_term){(uint32_t)start, (uint32_t)end, (uint32_t)p->used,
                                     (uint16_t)len, (uint8_t)kind, (uint8_t)(colocated != 0)};
    p->used += len;
    return 0;
}

int nx_pretok_record(nx_analyzer *an, const char *text, size_t len, nx_pretok *p)
{
    p->n = 0;
    p->used = 0;
    if (len > UINT32_MAX)
        return -1;
    return nx_analyze(an, text, len, NX_ANALYZE_DOCUMENT, on_term, p) == 0 ? 0 : -1;
}

int nx_pretok_replay(const nx_pretok *p, size_t shift, nx_term_fn fn, void *ctx)
{
    for (size_t i = 0; i < p->n; i++) {
        const nx_pretok_term *t = &p->t[i];
        int rc = fn(ctx, t->kind, p->buf + t->off, t->len, t->start + shift, t->end + shift,
                    t->colocated);
        if (rc)
            return rc;
    }
    return 0;
}

void nx_pretok_free(nx_pretok *p)
{
    free(p->t);
    free(p->buf);
    memset(p, 0, sizeof *p);
}
