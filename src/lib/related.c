/* related.c - what travels with a search: the names mentioned with it
 * (`newsidx names`), and the articles most like a given one (`newsidx
 * similar`). Both read article texts through the analyzer's segmenter and
 * weigh what they find against the whole archive, so that what is common
 * everywhere ranks low. */
#include "internal.h"

#include "../analyze/analyzer.h"
#include "../query/strbuf.h"
#include "search_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define NAMES_SAMPLE 500    /* matching articles read for names */
#define NAMES_CANDIDATES 80 /* most frequent names weighed against the archive */
#define NAME_WORDS 4
#define SIMILAR_TERMS 20
#define COPY_OVERLAP 0.7    /* word-set overlap from which a hit is a copy */

/* ---------------------------------------------------------------- names */

typedef struct name {
    char *text;
    int64_t fg;      /* matching articles naming it */
    int64_t bg;      /* archive articles naming it */
    double score;
    long last_doc;   /* to count each article once */
} name;

typedef struct names {
    name *v;
    size_t n, cap;
    long doc;
    int oom;
    /* the name being read */
    char buf[512];
    size_t len;
    int words;
    size_t prev_end;
    const char *text;
} names;

static int is_capital(const char *raw, size_t len)
{
    utf8proc_int32_t cp;
    if (!len || utf8proc_iterate((const utf8proc_uint8_t *)raw, (utf8proc_ssize_t)len, &cp) <= 0)
        return 0;
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

/* Capitalised words that start sentences without being names. */
static int is_stop(const char *w, size_t len)
{
    static const char *const stops[] = {
        "A", "An", "The", "In", "On", "At", "As", "By", "For", "From", "Of", "To", "With", "And",
        "But", "Or", "If", "When", "While", "After", "Before", "Since", "He", "She", "It", "They",
        "We", "I", "You", "His", "Her", "Its", "Their", "Our", "This", "That", "These", "Those",
        "There", "Here", "What", "Which", "Who", "Why", "How", "Some", "Many", "Most", "Other",
        "One", "Two", "Three", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
        "Saturday", "Sunday", "Le", "La", "Les", "Der", "Die", "Das", "El", "Los", "Las", NULL};
    for (const char *const *s = stops; *s; s++)
        if (strlen(*s) == len && memcmp(*s, w, len) == 0)
            return 1;
    return 0;
}

static void flush_name(names *ns)
{
    if (ns->words == 0 || ns->oom) {
        ns->len = 0;
        ns->words = 0;
        return;
    }
    ns->buf[ns->len] = '\0';
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->v[i].text, ns->buf) == 0) {
            if (ns->v[i].last_doc != ns->doc) {
                ns->v[i].fg++;
                ns->v[i].last_doc = ns->doc;
            }
            ns->len = ns->words = 0;
            return;
        }
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 64;
        name *p = realloc(ns->v, cap * sizeof *p);
        if (!p) {
            ns->oom = 1;
            return;
        }
        ns->v = p;
        ns->cap = cap;
    }
    name *nm = &ns->v[ns->n];
    if (!(nm->text = strdup(ns->buf))) {
        ns->oom = 1;
        return;
    }
    nm->fg = 1;
    nm->bg = 0;
    nm->score = 0;
    nm->last_doc = ns->doc;
    ns->n++;
    ns->len = ns->words = 0;
}

static int on_name_word(void *ctx, const nx_word *w)
{
    names *ns = ctx;
    /* Only what stood between this word and the last: a space keeps a
     * name going (Andrei Baklanov); anything else ends it. */
    int joined = ns->words > 0 && w->start == ns->prev_end + 1 && ns->text[ns->prev_end] == ' ';
    if (!joined)
        flush_name(ns);
    ns->prev_end = w->end;
    const char *raw = ns->text + w->start;
    size_t len = w->end - w->start;
    if (!is_capital(raw, len) || w->cjk) {
        flush_name(ns);
        return 0;
    }
    if (ns->words == 0 && is_stop(raw, len))
        return 0;
    if (ns->words == NAME_WORDS || ns->len + len + 2 >= sizeof ns->buf) {
        flush_name(ns);
    }
    if (ns->words)
        ns->buf[ns->len++] = ' ';
    memcpy(ns->buf + ns->len, raw, len);
    ns->len += len;
    ns->words++;
    return 0;
}

static void read_names(names *ns, const char *text)
{
    if (!text)
        return;
    ns->text = text;
    ns->len = ns->words = 0;
    ns->prev_end = 0;
    nx_segment(text, strlen(text), on_name_word, ns);
    flush_name(ns);
}

static int by_fg(const void *a, const void *b)
{
    const name *x = a, *y = b;
    return (x->fg < y->fg) - (x->fg > y->fg);
}

static int by_score(const void *a, const void *b)
{
    const name *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->fg < y->fg) - (x->fg > y->fg);
}

/* Does any word of name nm appear among the query's words (Andrei Baklanov
 * in `names Baklanov`)? Those are what was asked, not what came with it.
 * Compared folded (case and diacritics), as the search matched them:
 * "macron" leaves out "Emmanuel Macron". Returns 1, 0, or -1 out of memory. */
static int in_query(const char *query, const char *nm)
{
    char *q = NULL, *n = NULL;
    size_t qcap = 0, ncap = 0;
    if (nx_fold(query, strlen(query), 1, &q, &qcap) < 0 || nx_fold(nm, strlen(nm), 1, &n, &ncap) < 0) {
        free(q);
        free(n);
        return -1;
    }
    static const char seps[] = " \t\"=()*-";
    int found = 0;
    for (const char *w = n + strspn(n, seps); *w && !found; w += strspn(w, seps)) {
        size_t wl = strcspn(w, seps);
        for (const char *p = q + strspn(q, seps); *p && !found; p += strspn(p, seps)) {
            size_t pl = strcspn(p, seps);
            found = pl == wl && memcmp(p, w, wl) == 0;
            p += pl;
        }
        w += wl;
    }
    free(q);
    free(n);
    return found;
}

nx_status_t nx_search_names(nx_search_t *s, const char *query, size_t limit, nx_name_fn fn,
                            void *ctx)
{
    if (!s || !query || !fn)
        return NX_ERR_INVALID_ARG;
    nx_index_t *ix = nx_search_index(s);
    names ns;
    memset(&ns, 0, sizeof ns);
    int64_t nfg = 0, nall = 0;
    nx_stats_t st_all;
    nx_status_t st = nx_search_count(s, &nfg);
    if (st == NX_OK)
        st = nx_index_stats(ix, &st_all);
    nall = st_all.articles;
    nx_results_t *r = NULL;
    if (st == NX_OK)
        st = nx_search_set_limit(s, NAMES_SAMPLE);
    if (st == NX_OK)
        st = nx_search_run(s, &r);
    for (; st == NX_OK && nx_results_valid(r) && !ns.oom; nx_results_move_to_next(r)) {
        const nx_article_t *a = nx_results_get(r);
        ns.doc++;
        read_names(&ns, nx_article_get(a, NX_FIELD_TITLE));
        read_names(&ns, nx_article_get(a, NX_FIELD_BODY));
    }
    if (st == NX_OK)
        st = nx_results_status(r);
    nx_results_destroy(r);
    if (st == NX_OK && ns.oom)
        st = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    if (nfg > NAMES_SAMPLE)
        nfg = NAMES_SAMPLE;
    /* Weigh the most frequent against the archive: a significant-terms
     * score, (fg/Nfg - bg/N) * (fg/Nfg) / (bg/N), high for names far more
     * common with the query than elsewhere. */
    if (st == NX_OK) {
        if (ns.n)
            qsort(ns.v, ns.n, sizeof *ns.v, by_fg);
        size_t keep = ns.n < NAMES_CANDIDATES ? ns.n : NAMES_CANDIDATES;
        for (size_t i = 0; st == NX_OK && i < keep; i++) {
            name *nm = &ns.v[i];
            nx_sb b = {0};
            nx_sb_puts(&b, "\"");
            for (const char *p = nm->text; *p; p++) {
                if (p == nm->text || p[-1] == ' ')
                    nx_sb_puts(&b, "=");
                if (*p != '"')
                    nx_sb_put(&b, p, 1);
            }
            nx_sb_puts(&b, "\"");
            char *q = nx_sb_take(&b);
            nx_search_t *bs = NULL;
            st = q ? nx_search_new(ix, q, &bs) : NX_ERR_NOMEM;
            if (st == NX_OK)
                st = nx_search_count(bs, &nm->bg);
            else if (st == NX_ERR_QUERY)
                st = NX_OK, nm->bg = nall; /* not searchable as a phrase: not significant */
            nx_search_destroy(bs);
            free(q);
            double pf = nfg ? (double)nm->fg / (double)nfg : 0;
            double pb = nall ? (double)(nm->bg ? nm->bg : 1) / (double)nall : 1;
            nm->score = nm->fg >= 2 || nfg < 4 ? (pf - pb) * pf / pb : 0;
        }
        if (keep)
            qsort(ns.v, keep, sizeof *ns.v, by_score);
        size_t shown = 0;
        for (size_t i = 0; st == NX_OK && i < keep && shown < (limit ? limit : keep); i++) {
            int own = ns.v[i].score > 0 ? in_query(query, ns.v[i].text) : 1;
            if (own < 0) {
                st = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
                break;
            }
            if (own)
                continue;
            fn(ctx, ns.v[i].text, ns.v[i].fg, ns.v[i].bg, ns.v[i].score);
            shown++;
        }
    }
    for (size_t i = 0; i < ns.n; i++)
        free(ns.v[i].text);
    free(ns.v);
    return st;
}

/* -------------------------------------------------------------- similar */

typedef struct wordset {
    char **w;
    size_t n, cap;
    int64_t *tf;
    char *fold;
    size_t fold_cap;
    int oom;
} wordset;

static long find_word(const wordset *ws, const char *w)
{
    for (size_t i = 0; i < ws->n; i++)
        if (strcmp(ws->w[i], w) == 0)
            return (long)i;
    return -1;
}

static int on_set_word(void *ctx, const nx_word *w)
{
    wordset *ws = ctx;
    long n = nx_fold(w->raw, w->raw_len, 1, &ws->fold, &ws->fold_cap);
    if (n < 0) {
        ws->oom = 1;
        return 1;
    }
    if (n < 3 || w->cjk_tail)
        return 0;
    long at = find_word(ws, ws->fold);
    if (at >= 0) {
        ws->tf[at]++;
        return 0;
    }
    if (ws->n == ws->cap) {
        size_t cap = ws->cap ? ws->cap * 2 : 128;
        char **p = realloc(ws->w, cap * sizeof *p);
        if (p)
            ws->w = p;
        int64_t *t = p ? realloc(ws->tf, cap * sizeof *t) : NULL;
        if (!p || !t) {
            ws->oom = 1;
            return 1;
        }
        ws->tf = t;
        ws->cap = cap;
    }
    if (!(ws->w[ws->n] = strdup(ws->fold))) {
        ws->oom = 1;
        return 1;
    }
    ws->tf[ws->n++] = 1;
    return 0;
}

static void wordset_add(wordset *ws, const char *text)
{
    if (text)
        nx_segment(text, strlen(text), on_set_word, ws);
}

static void wordset_free(wordset *ws)
{
    for (size_t i = 0; i < ws->n; i++)
        free(ws->w[i]);
    free(ws->w);
    free(ws->tf);
    free(ws->fold);
    memset(ws, 0, sizeof *ws);
}

typedef struct df_ctx {
    const char *word;
    int64_t df;
} df_ctx;

/* The word itself, not the longer words it begins. */
static int want_df(void *ctx, const char *t, size_t len)
{
    const df_ctx *d = ctx;
    return strlen(d->word) == len && memcmp(d->word, t, len) == 0;
}

static void on_df(void *ctx, const char *t, int64_t n)
{
    df_ctx *d = ctx;
    if (strcmp(t, d->word) == 0)
        d->df = n;
}

typedef struct scored {
    const char *w;
    double score;
} scored;

static int by_weight(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    return (x->score < y->score) - (x->score > y->score);
}

nx_status_t nx_search_new_similar(nx_index_t *ix, const char *id, nx_search_t **out)
{
    if (out)
        *out = NULL;
    if (!ix || !id || !out)
        return NX_ERR_INVALID_ARG;
    nx_article_t *a;
    nx_status_t st = nx_index_get_article(ix, id, &a);
    if (st != NX_OK)
        return st;
    wordset ws;
    memset(&ws, 0, sizeof ws);
    wordset_add(&ws, nx_article_get(a, NX_FIELD_TITLE));
    wordset_add(&ws, nx_article_get(a, NX_FIELD_TITLE)); /* the title counts double */
    wordset_add(&ws, nx_article_get(a, NX_FIELD_BODY));
    nx_stats_t stats;
    st = ws.oom ? nx_fail(ix, NX_ERR_NOMEM, "out of memory") : nx_index_stats(ix, &stats);
    scored *sc = st == NX_OK ? calloc(ws.n ? ws.n : 1, sizeof *sc) : NULL;
    if (st == NX_OK && !sc)
        st = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    size_t nsc = 0;
    /* tf-idf: words this article uses often and the archive rarely. A word
     * in no other article links to nothing and is left out. */
    for (size_t i = 0; st == NX_OK && i < ws.n; i++) {
        if (ws.w[i][0] >= '0' && ws.w[i][0] <= '9')
            continue;
        df_ctx d = {ws.w[i], 0};
        st = nx_store_vocabulary(ix, ws.w[i], want_df, on_df, &d);
        if (d.df < 2)
            continue;
        sc[nsc].w = ws.w[i];
        sc[nsc++].score = (1.0 + log((double)ws.tf[i])) * log((double)stats.articles / (double)d.df);
    }
    nx_sb q = {0};
    if (st == NX_OK) {
        if (nsc)
            qsort(sc, nsc, sizeof *sc, by_weight);
        for (size_t i = 0; i < nsc && i < SIMILAR_TERMS; i++) {
            if (sc[i].score <= 0)
                break;
            nx_sb_puts(&q, i ? " =" : "=");
            nx_sb_puts(&q, sc[i].w);
        }
    }
    free(sc);
    char *query = nx_sb_take(&q);
    if (st == NX_OK && (!query || !*query))
        st = nx_fail(ix, NX_ERR_NOT_FOUND, "article '%s' has no words shared with others", id);
    nx_search_t *s = NULL;
    if (st == NX_OK)
        st = nx_search_new_ex(ix, query, NX_SEARCH_ANY, &s);
    free(query);
    if (st == NX_OK)
        st = nx_search_set_similar(s, id, (const char *const *)ws.w, ws.n);
    wordset_free(&ws);
    nx_article_destroy(a);
    if (st != NX_OK) {
        nx_search_destroy(s);
        return st;
    }
    *out = s;
    return NX_OK;
}

double nx_word_overlap(const char *const *words, size_t n, const char *title, const char *body)
{
    wordset ws;
    memset(&ws, 0, sizeof ws);
    wordset_add(&ws, title);
    wordset_add(&ws, body);
    size_t common = 0;
    for (size_t i = 0; i < n; i++)
        common += find_word(&ws, words[i]) >= 0;
    size_t uni = n + ws.n - common;
    wordset_free(&ws);
    return uni ? (double)common / (double)uni : 0.0;
}
