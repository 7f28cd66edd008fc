/* filters.c - separate a query's metadata filters (source:, lang:, url:,
 * date:) from its text, since the engines apply them differently from
 * words: as conditions on stored fields, not as terms.
 *
 * Filters must be conjuncts of the top level (possibly excluded): under OR
 * their meaning would need per-branch evaluation that neither engine's
 * ranking can express, so such queries are refused with a clear message. */
#include "query.h"

#include "../ingest/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int contains_filter(const nx_qnode *n)
{
    if (n->kind == NX_Q_FILTER)
        return n->col;
    for (size_t i = 0; i < n->nkids; i++) {
        int c = contains_filter(n->kids[i]);
        if (c)
            return c;
    }
    return 0;
}

static int take(nx_query_parts *out, nx_qnode *f, int negated)
{
    nx_filter *fs = realloc(out->filters, (out->nfilters + 1) * sizeof *fs);
    if (!fs)
        return -1;
    out->filters = fs;
    nx_filter *x = &fs[out->nfilters++];
    x->kind = f->filter;
    x->negated = negated;
    x->col = f->col;
    x->value = f->value;
    f->value = NULL;
    memcpy(x->since, f->since, sizeof x->since);
    memcpy(x->until, f->until, sizeof x->until);
    return 0;
}

/* Is n a filter, or NOT of a filter? Sets *negated. */
static nx_qnode *as_filter(nx_qnode *n, int *negated)
{
    *negated = 0;
    if (n->kind == NX_Q_FILTER)
        return n;
    if (n->kind == NX_Q_NOT && n->nkids == 1 && n->kids[0]->kind == NX_Q_FILTER) {
        *negated = 1;
        return n->kids[0];
    }
    return NULL;
}

int nx_query_split(nx_qnode *tree, nx_query_parts *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int neg;
    nx_qnode *f = as_filter(tree, &neg);
    if (f) {
        int rc = take(out, f, neg);
        nx_qnode_free(tree);
        if (rc)
            snprintf(err, errlen, "query:1:1: out of memory");
        return rc;
    }
    if (tree->kind == NX_Q_AND) {
        size_t keep = 0;
        for (size_t i = 0; i < tree->nkids; i++) {
            nx_qnode *k = tree->kids[i];
            f = as_filter(k, &neg);
            if (f) {
                if (take(out, f, neg)) {
                    snprintf(err, errlen, "query:1:1: out of memory");
                    /* Kids from i on were not moved down yet: free them,
                     * then the tree with the ones kept. */
                    for (size_t j = i; j < tree->nkids; j++)
                        nx_qnode_free(tree->kids[j]);
                    tree->nkids = keep;
                    nx_qnode_free(tree);
                    return -1;
                }
                nx_qnode_free(k);
            } else {
                tree->kids[keep++] = k;
            }
        }
        tree->nkids = keep;
        if (keep == 0) {
            nx_qnode_free(tree);
            tree = NULL;
        } else if (keep == 1) {
            nx_qnode *only = tree->kids[0];
            tree->nkids = 0;
            nx_qnode_free(tree);
            tree = only;
        }
    }
    if (tree) {
        int col = contains_filter(tree);
        if (col) {
            snprintf(err, errlen,
                     "query:1:%d: field filters (source:, lang:, url:, date:, after:, before:) "
                     "must stand on their own, not inside OR, NOT or a group",
                     col);
            nx_qnode_free(tree);
            nx_query_parts_free(out);
            return -1;
        }
    }
    out->text = tree;
    return 0;
}

/* One letter of an alphabet that writes words with several (a Latin,
 * Greek or Cyrillic letter), stemmed as usual. */
static int single_letter(const nx_qnode *k)
{
    if (k->kind != NX_Q_TERM || k->prefix || k->exact || !k->text)
        return 0;
    const unsigned char *t = (const unsigned char *)k->text;
    if (t[0] < 0x80)
        return t[1] == '\0' && ((t[0] | 0x20) >= 'a' && (t[0] | 0x20) <= 'z');
    return t[0] >= 0xc3 && t[0] <= 0xd3 && (t[1] & 0xc0) == 0x80 && t[2] == '\0';
}

int nx_query_any(nx_qnode *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        if (nx_query_any(n->kids[i]) != 0)
            return -1;
    if (n->kind != NX_Q_AND || !n->implicit)
        return 0;
    size_t words = 0, letters = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        words += n->kids[i]->kind != NX_Q_NOT && n->kids[i]->kind != NX_Q_FILTER;
        letters += single_letter(n->kids[i]);
    }
    if (words < 2)
        return 0;
    if (letters && letters < words) {
        size_t keep = 0;
        for (size_t i = 0; i < n->nkids; i++) {
            if (single_letter(n->kids[i]))
                nx_qnode_free(n->kids[i]);
            else
                n->kids[keep++] = n->kids[i];
        }
        n->nkids = keep;
        words -= letters;
        if (words < 2)
            return 0;
    }
    nx_qnode *any = calloc(1, sizeof *any);
    nx_qnode **kids = any ? calloc(words, sizeof *kids) : NULL;
    if (!kids) {
        free(any);
        return -1;
    }
    any->kind = NX_Q_OR;
    any->col = n->col;
    any->kids = kids;
    /* The OR takes the words' place; exclusions and filters stay beside it. */
    size_t keep = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        nx_qnode *k = n->kids[i];
        if (k->kind != NX_Q_NOT && k->kind != NX_Q_FILTER)
            any->kids[any->nkids++] = k;
        else
            n->kids[keep++] = k;
    }
    n->kids[keep++] = any;
    n->nkids = keep;
    if (keep == 1) {
        /* Only the OR is left: the AND becomes it. */
        nx_qnode tmp = *any;
        free(n->kids);
        free(any);
        *n = tmp;
    }
    return 0;
}

void nx_query_parts_free(nx_query_parts *p)
{
    if (!p)
        return;
    nx_qnode_free(p->text);
    for (size_t i = 0; i < p->nfilters; i++)
        free(p->filters[i].value);
    free(p->filters);
    memset(p, 0, sizeof *p);
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : d[m - 1];
}

/* Writes midnight UTC of y-m-d; the ranges were checked by the caller and
 * are restated here so the compiler can see the output fits. */
static void midnight(char out[24], int y, int m, int d)
{
    snprintf(out, 24, "%04u-%02u-%02uT00:00:00Z", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

int nx_date_range(const char *s, char since[24], char until[24])
{
    int y = 0, m = 0, d = 0, used = 0;
    size_t n = strlen(s);
    /* sscanf would take "+202" or " 202": partial dates are digits only. */
    int digits = 1;
    for (size_t i = 0; i < n && i < 7; i++)
        if (!(s[i] >= '0' && s[i] <= '9') && !(i == 4 && s[i] == '-'))
            digits = 0;
    if ((n == 4 || n == 7) && !digits)
        return -1;
    /* Partial dates: YYYY, YYYY-MM, YYYY-MM-DD. */
    if (n == 4 && sscanf(s, "%4d%n", &y, &used) == 1 && used == 4) {
        if (y < 1 || y > 9999)
            return -1;
        midnight(since, y, 1, 1);
        if (y == 9999)
            until[0] = '\0';
        else
            midnight(until, y + 1, 1, 1);
        return 0;
    }
    if (n == 7 && sscanf(s, "%4d-%2d%n", &y, &m, &used) == 2 && used == 7) {
        if (y < 1 || y > 9999 || m < 1 || m > 12)
            return -1;
        midnight(since, y, m, 1);
        if (m == 12 && y == 9999)
            until[0] = '\0';
        else
            midnight(until, m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
        return 0;
    }
    char iso[NX_DATE_LEN + 1];
    if (nx_date_parse(s, iso) != 0)
        return -1;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return -1;
    /* A date names its whole (UTC) day. */
    midnight(since, y, m, d);
    if (++d > days_in_month(y, m)) {
        d = 1;
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    if (y > 9999)
        until[0] = '\0';
    else
        midnight(until, y, m, d);
    return 0;
}
