/* compile_fts5.c - a query tree as an FTS5 MATCH expression.
 *
 * Every word is written inside double quotes (embedded quotes doubled), so
 * nothing a user types can act as FTS5 syntax: operators, column filters,
 * '^' and '*' inside words are just text for the tokenizer. Exact words get
 * '=' before each of their words, which the newsidx tokenizer reads as
 * "look up the written form, not the stem" (see analyze/analyzer.h). All
 * grouping is written out with parentheses rather than left to FTS5's
 * precedence rules.
 *
 * For searching (nx_query_to_fts5_grouped), a single word is written as the
 * terms the analyzer gives it, ORed: ("oil" OR "oils"). The same terms
 * colocated in one string mean the same to FTS5, but it merges synonym
 * position lists row by row and skips over them slowly: on a 100 MB
 * archive, three- to eight-word queries ran 2-3 times slower that way. */
#include "query.h"

#include "../analyze/analyzer.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct compiler {
    nx_sb b;
    const char *langs; /* language marker content, or NULL */
    char mark;         /* '=' or '^' being put before each word */
    const char *text; /* the word being quoted */
    size_t last;      /* bytes of it copied so far */
    char *err;
    size_t errlen;
    int failed;
    int raw;            /* put_escaped copies without escaping (for the analyzer) */
    nx_analyzer *an;    /* set: single words become ORed raw terms */
    nx_sb groups;       /* the word number of each phrase written */
    int nphrases, nwords;
    /* The terms of the word being expanded, NUL-separated. */
    nx_sb terms;
    int nterms, positions;
} compiler;

static void put_escaped(compiler *c, const char *s, size_t n)
{
    if (c->raw) {
        nx_sb_put(&c->b, s, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            nx_sb_put(&c->b, "\"\"", 2);
        else
            nx_sb_put(&c->b, &s[i], 1);
    }
}

static int mark_word(void *ctx, const nx_word *w)
{
    compiler *c = ctx;
    put_escaped(c, c->text + c->last, w->start - c->last);
    nx_sb_put(&c->b, &c->mark, 1);
    c->last = w->start;
    return 0;
}

/* The inside of a quoted FTS5 string for one term. */
static void put_term_text(compiler *c, const nx_qnode *t)
{
    size_t n = strlen(t->text);
    if (t->exact) {
        c->mark = t->exact == NX_EXACT_STRICT ? '=' : '^';
        c->text = t->text;
        c->last = 0;
        nx_segment(t->text, n, mark_word, c);
        put_escaped(c, t->text + c->last, n - c->last);
    } else {
        put_escaped(c, t->text, n);
    }
}

static void put_column(compiler *c, const nx_qnode *n)
{
    if (n->column == NX_COL_TITLE)
        nx_sb_puts(&c->b, "title : ");
    else if (n->column == NX_COL_BODY)
        nx_sb_puts(&c->b, "body : ");
}

/* The language marker that starts each quoted string, so the tokenizer
 * stems the words in every language asked for. */
static void put_langs(compiler *c)
{
    if (c->langs && *c->langs) {
        char m = NX_LANG_MARK;
        nx_sb_put(&c->b, &m, 1);
        nx_sb_puts(&c->b, c->langs);
        nx_sb_put(&c->b, &m, 1);
    }
}

/* Records that the next FTS5 phrase belongs to query word `word`. */
static void note_phrase(compiler *c, int word)
{
    if (c->an)
        nx_sb_printf(&c->groups, c->nphrases++ ? " %d" : "%d", word);
}

/* A phrase (or one term) as an FTS5 phrase, without column filter. */
static void put_phrase(compiler *c, const nx_qnode *n)
{
    note_phrase(c, c->nwords++);
    nx_sb_put(&c->b, "\"", 1);
    if (!(n->kind == NX_Q_TERM && n->prefix))
        put_langs(c);
    if (n->kind == NX_Q_TERM) {
        put_term_text(c, n);
        nx_sb_put(&c->b, "\"", 1);
        if (n->prefix)
            nx_sb_put(&c->b, " *", 2);
        return;
    }
    for (size_t i = 0; i < n->nkids; i++) {
        if (i)
            nx_sb_put(&c->b, " ", 1);
        put_term_text(c, n->kids[i]);
    }
    nx_sb_put(&c->b, "\"", 1);
}

static void fail(compiler *c, int col, const char *msg);

static int on_term(void *ctx, int kind, const char *term, size_t len, size_t start, size_t end,
                   int colocated)
{
    (void)kind, (void)start, (void)end;
    compiler *c = ctx;
    if (!colocated)
        c->positions++;
    /* Languages often agree on a stem: each term once. */
    for (size_t o = 0; o < c->terms.n; o += strlen(c->terms.s + o) + 1)
        if (strlen(c->terms.s + o) == len && memcmp(c->terms.s + o, term, len) == 0)
            return 0;
    nx_sb_put(&c->terms, term, len);
    nx_sb_put(&c->terms, "", 1);
    c->nterms++;
    return 0;
}

/* Writes a single word as its terms ORed; returns 0 when it is not one
 * word at one position (a phrase it is then). */
static int put_expanded(compiler *c, const nx_qnode *n)
{
    /* The text the tokenizer would get, marks and all, unescaped. */
    nx_sb out = c->b;
    c->b = (nx_sb){0};
    c->raw = 1;
    put_term_text(c, n);
    c->raw = 0;
    nx_sb text = c->b;
    c->b = out;
    c->terms.n = 0;
    c->nterms = c->positions = 0;
    int rc = text.s ? nx_analyze(c->an, text.s, text.n, NX_ANALYZE_QUERY, on_term, c) : 0;
    free(text.s);
    if (rc == NX_EXPAND_UNREADABLE) {
        fail(c, n->col, "the index's stems table cannot be read: the index is damaged ('newsidx "
                        "check' tells more); index the archive again into a new index");
        return 1;
    }
    if (rc != 0 || text.oom || c->terms.oom) {
        fail(c, n->col, "out of memory");
        return 1;
    }
    if (c->positions != 1 || c->nterms == 0)
        return 0;
    int word = c->nwords++;
    if (c->nterms > 1)
        nx_sb_put(&c->b, "(", 1);
    size_t o = 0;
    for (int i = 0; i < c->nterms; i++) {
        const char *t = c->terms.s + o;
        o += strlen(t) + 1;
        if (i)
            nx_sb_puts(&c->b, " OR ");
        note_phrase(c, word);
        nx_sb_puts(&c->b, "\"" NX_RAW_TERM);
        put_escaped(c, t, strlen(t));
        nx_sb_put(&c->b, "\"", 1);
    }
    if (c->nterms > 1)
        nx_sb_put(&c->b, ")", 1);
    return 1;
}

static void fail(compiler *c, int col, const char *msg)
{
    if (!c->failed)
        snprintf(c->err, c->errlen, "query:1:%d: %s", col, msg);
    c->failed = 1;
}

static void put_node(compiler *c, const nx_qnode *n);

static void put_and(compiler *c, const nx_qnode *n)
{
    size_t pos = 0;
    for (size_t i = 0; i < n->nkids; i++)
        pos += n->kids[i]->kind != NX_Q_NOT;
    if (pos == 0) {
        fail(c, n->col, "a group cannot consist only of excluded words; add a word to search for");
        return;
    }
    /* The exclusions as one NOT of their OR: a NOT b NOT c nested one
     * level per exclusion, and about 90 of them overflowed FTS5's parser
     * stack. */
    if (pos < n->nkids)
        nx_sb_put(&c->b, "(", 1);
    nx_sb_put(&c->b, "(", 1);
    size_t k = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        if (n->kids[i]->kind == NX_Q_NOT)
            continue;
        if (k++)
            nx_sb_puts(&c->b, " AND ");
        put_node(c, n->kids[i]);
    }
    nx_sb_put(&c->b, ")", 1);
    if (pos == n->nkids)
        return;
    nx_sb_puts(&c->b, " NOT (");
    k = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        if (n->kids[i]->kind != NX_Q_NOT)
            continue;
        if (k++)
            nx_sb_puts(&c->b, " OR ");
        put_node(c, n->kids[i]->kids[0]);
    }
    nx_sb_puts(&c->b, "))");
}

static void put_node(compiler *c, const nx_qnode *n)
{
    switch (n->kind) {
    case NX_Q_TERM:
    case NX_Q_PHRASE:
        put_column(c, n);
        if (!(c->an && n->kind == NX_Q_TERM && !n->prefix && put_expanded(c, n)))
            put_phrase(c, n);
        break;
    case NX_Q_NEAR:
        put_column(c, n);
        nx_sb_puts(&c->b, "NEAR(");
        for (size_t i = 0; i < n->nkids; i++) {
            if (i)
                nx_sb_put(&c->b, " ", 1);
            put_phrase(c, n->kids[i]);
        }
        nx_sb_printf(&c->b, ", %d)", n->distance);
        break;
    case NX_Q_AND:
        put_and(c, n);
        break;
    case NX_Q_OR:
        nx_sb_put(&c->b, "(", 1);
        for (size_t i = 0; i < n->nkids; i++) {
            if (i)
                nx_sb_puts(&c->b, " OR ");
            if (n->kids[i]->kind == NX_Q_NOT) {
                fail(c, n->kids[i]->col,
                     "an excluded word cannot be an alternative of OR; write 'a -b' or "
                     "'(a OR b) -c'");
                return;
            }
            put_node(c, n->kids[i]);
        }
        nx_sb_put(&c->b, ")", 1);
        break;
    case NX_Q_NOT:
        fail(c, n->col, "an excluded word needs a word to search for beside it");
        break;
    case NX_Q_FILTER:
        fail(c, n->col, "a field filter cannot be used here");
        break;
    }
}

static char *compile(compiler *c, const nx_qnode *text, int *positive);

char *nx_query_to_fts5(const nx_qnode *text, const char *langs, int *positive, char *err,
                       size_t errlen)
{
    compiler c = {.langs = langs, .err = err, .errlen = errlen};
    return compile(&c, text, positive);
}

char *nx_query_to_fts5_grouped(const nx_qnode *text, const char *langs, nx_analyzer *an,
                               int *positive, char **groups, char *err, size_t errlen)
{
    compiler c = {.langs = langs, .err = err, .errlen = errlen, .an = an};
    *groups = NULL;
    char *s = compile(&c, text, positive);
    free(c.terms.s);
    if (s) {
        *groups = nx_sb_take(&c.groups);
        if (!*groups) {
            free(s);
            snprintf(err, errlen, "query:1:1: out of memory");
            return NULL;
        }
    } else {
        free(c.groups.s);
    }
    return s;
}

static char *compile(compiler *c, const nx_qnode *text, int *positive)
{
    *positive = 1;
    const nx_qnode *root = text;
    if (text->kind == NX_Q_NOT) {
        /* Only exclusions: the caller lists what does not match this. */
        *positive = 0;
        root = text->kids[0];
    } else if (text->kind == NX_Q_AND) {
        size_t pos = 0;
        for (size_t i = 0; i < text->nkids; i++)
            pos += text->kids[i]->kind != NX_Q_NOT;
        if (pos == 0) {
            *positive = 0;
            nx_sb_put(&c->b, "(", 1);
            for (size_t i = 0; i < text->nkids; i++) {
                if (i)
                    nx_sb_puts(&c->b, " OR ");
                put_node(c, text->kids[i]->kids[0]);
            }
            nx_sb_put(&c->b, ")", 1);
            goto done;
        }
    }
    put_node(c, root);
done:
    if (c->failed) {
        free(c->b.s);
        return NULL;
    }
    char *s = nx_sb_take(&c->b);
    if (!s)
        snprintf(c->err, c->errlen, "query:1:1: out of memory");
    return s;
}
