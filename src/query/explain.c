/* explain.c - walking a query tree for people and for the snippet
 * generator: --explain's S-expression, and the list of words a query looks
 * for (excluded words are not highlighted). */
#include "query.h"

#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static const char *const column_names[] = {"", "title:", "body:"};

static void put_term(nx_sb *b, const nx_qnode *t)
{
    nx_sb_puts(b, t->exact == NX_EXACT_STRICT ? "=" : "");
    nx_sb_puts(b, t->text);
    if (t->prefix)
        nx_sb_puts(b, "*");
}

static void explain(nx_sb *b, const nx_qnode *n)
{
    static const char *const kinds[] = {"TERM", "PHRASE", "AND", "OR", "NOT", "NEAR", "FILTER"};
    switch (n->kind) {
    case NX_Q_TERM:
        nx_sb_puts(b, column_names[n->column]);
        put_term(b, n);
        return;
    case NX_Q_PHRASE:
        nx_sb_printf(b, "%s\"", column_names[n->column]);
        for (size_t i = 0; i < n->nkids; i++) {
            if (i)
                nx_sb_puts(b, " ");
            put_term(b, n->kids[i]);
        }
        nx_sb_puts(b, "\"");
        return;
    default:
        break;
    }
    nx_sb_printf(b, "(%s", kinds[n->kind]);
    if (n->kind == NX_Q_NEAR)
        nx_sb_printf(b, "/%d", n->distance);
    for (size_t i = 0; i < n->nkids; i++) {
        nx_sb_puts(b, " ");
        explain(b, n->kids[i]);
    }
    nx_sb_puts(b, ")");
}

char *nx_query_explain(const nx_query_parts *parts)
{
    static const char *const fnames[] = {"source", "lang", "url", "date"};
    nx_sb b = {0};
    if (parts->text)
        explain(&b, parts->text);
    for (size_t i = 0; i < parts->nfilters; i++) {
        const nx_filter *f = &parts->filters[i];
        if (b.n)
            nx_sb_puts(&b, " ");
        nx_sb_printf(&b, "(%sFILTER %s ", f->negated ? "NOT " : "", fnames[f->kind]);
        if (f->kind == NX_F_DATE)
            nx_sb_printf(&b, "[%s, %s)", f->since[0] ? f->since : "-inf",
                         f->until[0] ? f->until : "+inf");
        else
            nx_sb_printf(&b, "\"%s\"", f->value);
        nx_sb_puts(&b, ")");
    }
    return nx_sb_take(&b);
}

int nx_query_positive_words(const nx_qnode *n, nx_query_words_fn fn, void *ctx)
{
    switch (n->kind) {
    case NX_Q_NOT:
    case NX_Q_FILTER:
        return 0;
    case NX_Q_TERM: {
        const char *w = n->text;
        size_t len = strlen(w);
        int mode = n->prefix ? 2 : n->exact == NX_EXACT_STRICT ? 1 : n->exact ? 3 : 0;
        return fn(ctx, &w, &len, &mode, 1);
    }
    case NX_Q_PHRASE: {
        const char **ws = calloc(n->nkids, sizeof *ws);
        size_t *lens = calloc(n->nkids, sizeof *lens);
        int *modes = calloc(n->nkids, sizeof *modes);
        int rc = -1;
        if (ws && lens && modes) {
            for (size_t i = 0; i < n->nkids; i++) {
                ws[i] = n->kids[i]->text;
                lens[i] = strlen(ws[i]);
                modes[i] = n->kids[i]->exact == NX_EXACT_STRICT ? 1 : n->kids[i]->exact ? 3 : 0;
            }
            rc = fn(ctx, ws, lens, modes, n->nkids);
        }
        free(ws);
        free(lens);
        free(modes);
        return rc;
    }
    default:
        for (size_t i = 0; i < n->nkids; i++) {
            int rc = nx_query_positive_words(n->kids[i], fn, ctx);
            if (rc)
                return rc;
        }
        return 0;
    }
}
