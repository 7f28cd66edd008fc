/* parse.c - the query language's lexer and recursive-descent parser.
 *
 * User text never reaches an engine as syntax: it becomes terms in a tree,
 * and each engine quotes them itself. Errors carry the 1-based character
 * column of the offending token, as `query:1:COL: message`. Nesting is
 * bounded so that hostile input cannot exhaust the stack. */
#include "query.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define MAX_DEPTH 100
#define MAX_NEAR 100000
#define DEFAULT_NEAR 10

typedef enum {
    T_END,
    T_WORD,   /* text; may start with '-' or '=' and end with '*' */
    T_QUOTE,  /* "a phrase" */
    T_LPAREN,
    T_RPAREN,
    T_COMMA,
    T_OR,
    T_AND,
    T_NOT,
    T_NEAR_N, /* NEAR/N */
    T_NEARF,  /* NEAR( */
    T_FIELD,  /* name: */
} tok_kind;

typedef struct tok {
    tok_kind kind;
    const char *s;   /* token text (for T_QUOTE: inside the quotes) */
    size_t n;
    size_t at;       /* byte offset in the query */
    int num;         /* T_NEAR_N distance */
} tok;

typedef struct parser {
    const char *q;
    size_t len, pos;
    tok cur;
    int depth;
    size_t col_at;   /* column_of's memory: byte offset and its column, so */
    int col_col;     /* that columns cost nothing extra left to right */
    int failed;
    char *err;
    size_t errlen;
} parser;

static const char *const text_fields[] = {"title", "body", NULL};
static const char *const filter_fields[] = {"source", "lang", "language", "url", "date", "after",
                                            "before", NULL};

static int column_of(parser *p, size_t at)
{
    size_t i = 0;
    int col = 1;
    if (p->col_col && at >= p->col_at) {
        i = p->col_at;
        col = p->col_col;
    }
    for (; i < at && i < p->len; i++)
        if (((unsigned char)p->q[i] & 0xC0) != 0x80)
            col++;
    p->col_at = at;
    p->col_col = col;
    return col;
}

static void fail(parser *p, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(parser *p, size_t at, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = 1;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "query:1:%d: %s", column_of(p, at), msg);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_delim(char c)
{
    return is_space(c) || c == '(' || c == ')' || c == '"' || c == ',' || c == '\0';
}

/* Field names in any case: `Title:` and `DATE:` are what a user typed
 * meaning the field, never words to look for. */
static int in_list(const char *s, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && strncasecmp(s, *list, n) == 0)
            return 1;
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The digits of s[*i..n) as a NEAR distance, at most MAX_NEAR (a longer
 * number means "anywhere near", not an error); *i ends after the digits. */
static long read_distance(const char *s, size_t n, size_t *i)
{
    long d = 0;
    for (; *i < n && is_digit(s[*i]); (*i)++)
        if ((d = d * 10 + (s[*i] - '0')) > MAX_NEAR)
            d = MAX_NEAR;
    return d;
}

/* Reads the next token into p->cur. */
static void next(parser *p)
{
    while (p->pos < p->len && is_space(p->q[p->pos]))
        p->pos++;
    tok t = {T_END, p->q + p->pos, 0, p->pos, 0};
    if (p->pos >= p->len) {
        p->cur = t;
        return;
    }
    char c = p->q[p->pos];
    if (c == '(' || c == ')' || c == ',') {
        t.kind = c == '(' ? T_LPAREN : c == ')' ? T_RPAREN : T_COMMA;
        t.n = 1;
        p->pos++;
        p->cur = t;
        return;
    }
    if (c == '"') {
        const char *close = memchr(p->q + p->pos + 1, '"', p->len - p->pos - 1);
        if (!close) {
            fail(p, p->pos, "unbalanced quote");
            t.kind = T_END;
            p->pos = p->len;
            p->cur = t;
            return;
        }
        t.kind = T_QUOTE;
        t.s = p->q + p->pos + 1;
        t.n = (size_t)(close - t.s);
        p->pos = (size_t)(close - p->q) + 1;
        /* A '*' right after the closing quote is accepted and ignored. */
        if (p->pos < p->len && p->q[p->pos] == '*')
            p->pos++;
        p->cur = t;
        return;
    }
    size_t start = p->pos;
    /* A comma between digits belongs to the number (1,200), as the
     * analyzer reads it; elsewhere it separates words. */
    while (p->pos < p->len &&
           (!is_delim(p->q[p->pos]) ||
            (p->q[p->pos] == ',' && p->pos > start && is_digit(p->q[p->pos - 1]) &&
             p->pos + 1 < p->len && is_digit(p->q[p->pos + 1]))))
        p->pos++;
    t.kind = T_WORD;
    t.s = p->q + start;
    t.n = p->pos - start;
    if (t.n == 2 && memcmp(t.s, "OR", 2) == 0)
        t.kind = T_OR;
    else if (t.n == 3 && memcmp(t.s, "AND", 3) == 0)
        t.kind = T_AND;
    else if (t.n == 3 && memcmp(t.s, "NOT", 3) == 0)
        t.kind = T_NOT;
    else if (t.n == 4 && memcmp(t.s, "NEAR", 4) == 0 && p->pos < p->len && p->q[p->pos] == '(') {
        t.kind = T_NEARF;
        p->pos++;
    } else if (t.n >= 5 && memcmp(t.s, "NEAR/", 5) == 0) {
        size_t i = 5;
        long d = read_distance(t.s, t.n, &i);
        if (i == 5 || i != t.n)
            fail(p, t.at, "NEAR/ needs a number of words right after it, as in a NEAR/5 b");
        t.kind = T_NEAR_N;
        t.num = (int)d;
    } else {
        const char *colon = memchr(t.s, ':', t.n);
        if (colon && (in_list(t.s, (size_t)(colon - t.s), text_fields) ||
                      in_list(t.s, (size_t)(colon - t.s), filter_fields))) {
            /* name:value is split: the field token, then the value is
             * read as the next token. */
            t.kind = T_FIELD;
            t.n = (size_t)(colon - t.s);
            p->pos = start + t.n + 1;
        }
    }
    p->cur = t;
}

static nx_qnode *node(parser *p, nx_qkind kind, size_t at)
{
    nx_qnode *n = calloc(1, sizeof *n);
    if (!n) {
        fail(p, at, "out of memory");
        return NULL;
    }
    n->kind = kind;
    n->col = column_of(p, at);
    return n;
}

void nx_qnode_free(nx_qnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        nx_qnode_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n->value);
    free(n);
}

static int add_kid(parser *p, nx_qnode *parent, nx_qnode *kid)
{
    /* Capacity doubles at powers of two, so it need not be stored. */
    size_t n = parent->nkids;
    if ((n & (n - 1)) == 0) {
        nx_qnode **k = realloc(parent->kids, (n ? 2 * n : 1) * sizeof *k);
        if (!k) {
            fail(p, 0, "out of memory");
            nx_qnode_free(kid);
            return -1;
        }
        parent->kids = k;
    }
    parent->kids[parent->nkids++] = kid;
    return 0;
}

/* Does s[0..n) contain anything the analyzer would call a word? Bytes of
 * multi-byte characters count (letters of other scripts); ASCII must be
 * a letter or digit. */
/* Letters, digits and marks of any script: what the analyzer calls a word
 * (punctuation such as — … « is not searchable and is ignored). */
static int has_word_char(const char *s, size_t n)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            i++;
            continue;
        }
        i += (size_t)k;
        switch (utf8proc_category(cp)) {
        case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
        case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
            return 1;
        default:
            break;
        }
    }
    return 0;
}

/* A capital (or title-case) letter first, in any script: a name. */
static int starts_upper(const char *s, size_t n)
{
    utf8proc_int32_t cp;
    if (n == 0 || utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp) <= 0)
        return 0;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

/* A term from raw word text w (no leading '-'). Returns NULL without
 * failing when the word has no word characters (punctuation is not
 * searchable and is ignored, like FTS5's own tokenizers do). */
static nx_qnode *term_from(parser *p, const char *w, size_t n, size_t at, int in_phrase)
{
    int exact = 0, prefix = 0;
    if (n && w[0] == '=') {
        exact = 1;
        w++, n--, at++;
    }
    if (!in_phrase && n && w[n - 1] == '*') {
        prefix = 1;
        while (n && w[n - 1] == '*')
            n--;
    }
    if (!has_word_char(w, n)) {
        if (prefix)
            fail(p, at, "'*' must follow the start of a word, as in negot*");
        return NULL;
    }
    nx_qnode *t = node(p, NX_Q_TERM, at);
    if (!t)
        return NULL;
    t->text = strndup(w, n);
    if (!t->text) {
        nx_qnode_free(t);
        fail(p, at, "out of memory");
        return NULL;
    }
    t->exact = exact ? NX_EXACT_STRICT : starts_upper(w, n) ? NX_EXACT_NAME : 0;
    t->prefix = prefix;
    return t;
}

/* The words of a quoted phrase, each a term. */
static nx_qnode *phrase_from(parser *p, const tok *t)
{
    nx_qnode *ph = node(p, NX_Q_PHRASE, t->at);
    if (!ph)
        return NULL;
    size_t i = 0;
    while (i < t->n && !p->failed) {
        while (i < t->n && is_space(t->s[i]))
            i++;
        size_t start = i;
        while (i < t->n && !is_space(t->s[i]))
            i++;
        if (i > start) {
            nx_qnode *w = term_from(p, t->s + start, i - start, t->at + 1 + start, 1);
            if (w && add_kid(p, ph, w))
                break;
        }
    }
    if (p->failed || ph->nkids == 0) {
        if (!p->failed)
            fail(p, t->at, "empty phrase");
        nx_qnode_free(ph);
        return NULL;
    }
    if (ph->nkids == 1) {
        /* A one-word phrase is that word (stemmed like any other). */
        nx_qnode *w = ph->kids[0];
        ph->nkids = 0;
        nx_qnode_free(ph);
        return w;
    }
    return ph;
}

static nx_qnode *parse_or(parser *p);

static nx_qnode *parse_filter(parser *p, const tok *field)
{
    size_t at = field->at;
    char name[16];
    snprintf(name, sizeof name, "%.*s", (int)field->n, field->s);
    for (char *c = name; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    next(p);
    const char *v;
    size_t n;
    if (p->cur.kind == T_WORD || p->cur.kind == T_QUOTE) {
        v = p->cur.s;
        n = p->cur.n;
    } else {
        fail(p, at, "%s: needs a value", name);
        return NULL;
    }
    /* Only the part after "name:" directly belongs to it. */
    if (p->cur.at != at + field->n + 1 && p->cur.kind == T_WORD) {
        fail(p, at, "%s: needs a value", name);
        return NULL;
    }
    if (n == 0 || (strcmp(name, "date") != 0 && strcmp(name, "after") != 0 &&
                   strcmp(name, "before") != 0 && !has_word_char(v, n))) {
        fail(p, at, "%s: needs a value", name);
        return NULL;
    }
    nx_qnode *f = node(p, NX_Q_FILTER, at);
    if (!f)
        return NULL;
    char buf[128];
    snprintf(buf, sizeof buf, "%.*s", (int)(n < 127 ? n : 127), v);
    if (strcmp(name, "source") == 0 || strcmp(name, "url") == 0) {
        f->filter = name[0] == 's' ? NX_F_SOURCE : NX_F_URL;
        f->value = strndup(v, n);
    } else if (strcmp(name, "lang") == 0 || strcmp(name, "language") == 0) {
        f->filter = NX_F_LANG;
        f->value = strdup(buf);
    } else {
        f->filter = NX_F_DATE;
        char a_since[24], a_until[24], b_since[24], b_until[24];
        const char *dots = strstr(buf, "..");
        int ok;
        if (strcmp(name, "date") == 0 && dots) {
            char left[128];
            snprintf(left, sizeof left, "%.*s", (int)(dots - buf), buf);
            const char *right = dots + 2;
            ok = (!left[0] || nx_date_range(left, a_since, a_until) == 0) &&
                 (!*right || nx_date_range(right, b_since, b_until) == 0) && (left[0] || *right);
            if (ok) {
                snprintf(f->since, sizeof f->since, "%s", left[0] ? a_since : "");
                snprintf(f->until, sizeof f->until, "%s", *right ? b_until : "");
            }
        } else {
            ok = nx_date_range(buf, a_since, a_until) == 0;
            if (ok && strcmp(name, "date") == 0) {
                memcpy(f->since, a_since, sizeof f->since);
                memcpy(f->until, a_until, sizeof f->until);
            } else if (ok && strcmp(name, "after") == 0) {
                memcpy(f->since, a_since, sizeof f->since); /* the day itself counts */
            } else if (ok) {
                memcpy(f->until, a_since, sizeof f->until); /* before that day */
            }
        }
        if (!ok) {
            nx_qnode_free(f);
            fail(p, p->cur.at, "%s: '%s' is not a date (try 2022, 2022-12, 2022-12-04 or "
                               "2022-12-01..2022-12-31)",
                 name, buf);
            return NULL;
        }
    }
    if (f->filter != NX_F_DATE && !f->value) {
        nx_qnode_free(f);
        fail(p, at, "out of memory");
        return NULL;
    }
    next(p);
    return f;
}

/* NEAR(a "b c" d, N) */
static nx_qnode *parse_near_call(parser *p)
{
    size_t at = p->cur.at;
    nx_qnode *nr = node(p, NX_Q_NEAR, at);
    if (!nr)
        return NULL;
    nr->distance = DEFAULT_NEAR;
    next(p);
    while (!p->failed && p->cur.kind != T_RPAREN) {
        if (p->cur.kind == T_WORD && p->cur.n > 1 && p->cur.s[0] == '-') {
            fail(p, p->cur.at, "NEAR( cannot take an excluded word");
            break;
        } else if (p->cur.kind == T_WORD) {
            nx_qnode *t = term_from(p, p->cur.s, p->cur.n, p->cur.at, 0);
            if (t && add_kid(p, nr, t))
                break;
        } else if (p->cur.kind == T_QUOTE) {
            nx_qnode *ph = phrase_from(p, &p->cur);
            if (ph && add_kid(p, nr, ph))
                break;
        } else if (p->cur.kind == T_COMMA) {
            next(p);
            size_t i = 0;
            long d = p->cur.kind == T_WORD ? read_distance(p->cur.s, p->cur.n, &i) : 0;
            if (p->cur.kind != T_WORD || i == 0 || i != p->cur.n) {
                fail(p, p->cur.at, "NEAR( needs a distance after the comma, as in NEAR(a b, 5)");
                break;
            }
            nr->distance = (int)d;
            next(p);
            if (p->cur.kind != T_RPAREN)
                fail(p, p->cur.at, "NEAR( expects ')' after the distance");
            break;
        } else if (p->cur.kind == T_END) {
            fail(p, at, "unbalanced parenthesis: NEAR( is not closed");
            break;
        } else {
            fail(p, p->cur.at, "NEAR( takes only words and phrases");
            break;
        }
        next(p);
    }
    if (!p->failed && nr->nkids < 2)
        fail(p, at, "NEAR( needs at least two words or phrases");
    if (p->failed) {
        nx_qnode_free(nr);
        return NULL;
    }
    next(p); /* the ')' */
    return nr;
}

/* Restricts every word of n to col; a filter inside is an error. Returns 0
 * or -1 (the caller frees n). */
static int set_column(parser *p, nx_qnode *n, nx_column col, size_t at)
{
    if (n->kind == NX_Q_FILTER) {
        fail(p, at, "a field filter cannot be inside title: or body:");
        return -1;
    }
    if (n->column == NX_COL_ANY)
        n->column = col;
    for (size_t i = 0; i < n->nkids; i++)
        if (set_column(p, n->kids[i], col, at) != 0)
            return -1;
    return 0;
}

static nx_qnode *apply_column(parser *p, nx_qnode *n, nx_column col, size_t at)
{
    if (n && set_column(p, n, col, at) != 0) {
        nx_qnode_free(n);
        return NULL;
    }
    return n;
}

/* primary: ( expr ) | "phrase" | NEAR(...) | field:value | word */
static nx_qnode *parse_primary(parser *p)
{
    tok t = p->cur;
    switch (t.kind) {
    case T_LPAREN: {
        if (++p->depth > MAX_DEPTH) {
            fail(p, t.at, "parentheses nested more than %d deep", MAX_DEPTH);
            return NULL;
        }
        next(p);
        if (p->cur.kind == T_RPAREN) {
            fail(p, t.at, "empty parentheses");
            return NULL;
        }
        nx_qnode *inner = parse_or(p);
        if (p->failed) {
            nx_qnode_free(inner);
            return NULL;
        }
        if (p->cur.kind != T_RPAREN) {
            nx_qnode_free(inner);
            fail(p, t.at, "unbalanced parenthesis");
            return NULL;
        }
        p->depth--;
        next(p);
        return inner;
    }
    case T_QUOTE: {
        nx_qnode *ph = phrase_from(p, &t);
        next(p);
        return ph;
    }
    case T_NEARF:
        return parse_near_call(p);
    case T_FIELD: {
        size_t n = t.n;
        if (in_list(t.s, n, filter_fields))
            return parse_filter(p, &t);
        nx_column col = n == 5 ? NX_COL_TITLE : NX_COL_BODY;
        if (++p->depth > MAX_DEPTH) {
            fail(p, t.at, "fields nested more than %d deep", MAX_DEPTH);
            return NULL;
        }
        next(p);
        if (p->cur.at != t.at + n + 1 || p->cur.kind == T_END || p->cur.kind == T_RPAREN ||
            p->cur.kind == T_OR || p->cur.kind == T_AND) {
            fail(p, t.at, "%.*s: needs a word, phrase or (group)", (int)n, t.s);
            return NULL;
        }
        if (p->cur.kind == T_WORD && !has_word_char(p->cur.s, p->cur.n)) {
            fail(p, t.at, "%.*s: needs a word, phrase or (group)", (int)n, t.s);
            return NULL;
        }
        if (p->cur.kind == T_WORD && p->cur.s[0] == '-') {
            fail(p, t.at, "%.*s: cannot take an excluded word; write -%.*s:word", (int)n, t.s,
                 (int)n, t.s);
            return NULL;
        }
        nx_qnode *inner = apply_column(p, parse_primary(p), col, t.at);
        p->depth--;
        return inner;
    }
    case T_WORD: {
        nx_qnode *w = term_from(p, t.s, t.n, t.at, 0);
        next(p);
        return w; /* NULL for punctuation: ignored */
    }
    case T_RPAREN:
        fail(p, t.at, "unbalanced parenthesis");
        return NULL;
    case T_END:
        fail(p, t.at, "the query ends where a word was expected");
        return NULL;
    case T_COMMA:
        next(p);
        return NULL; /* stray commas separate words, like spaces */
    default:
        fail(p, t.at, "'%.*s' needs a word before and after it", (int)t.n, t.s);
        return NULL;
    }
}

/* unary: ['-' | 'NOT'] primary, then any number of NEAR/N primary */
static nx_qnode *parse_unary(parser *p)
{
    tok t = p->cur;
    int negate = 0;
    if (t.kind == T_NOT) {
        negate = 1;
        next(p);
    } else if (t.kind == T_WORD && t.s[0] == '-' &&
               (t.n > 1 || (p->pos < p->len && (p->q[p->pos] == '"' || p->q[p->pos] == '(')))) {
        /* -word, -field:value, -"phrase", -(group): read again after the '-'. */
        negate = 1;
        p->pos = t.at + 1;
        next(p);
    }
    nx_qnode *n = parse_primary(p);
    while (!p->failed && p->cur.kind == T_NEAR_N) {
        tok op = p->cur;
        next(p);
        if (p->cur.kind == T_WORD && p->cur.n > 1 && p->cur.s[0] == '-') {
            fail(p, p->cur.at, "NEAR/%d cannot take an excluded word", op.num);
            break;
        }
        if (n && n->kind == NX_Q_NEAR && n->distance != op.num) {
            fail(p, op.at,
                 "NEAR/%d after NEAR/%d: chained distances must be the same; write "
                 "NEAR(a b c, N) or combine with AND",
                 op.num, n->distance);
            break;
        }
        nx_qnode *right = parse_primary(p);
        if (!n || !right || (n->kind != NX_Q_TERM && n->kind != NX_Q_PHRASE &&
                             n->kind != NX_Q_NEAR) ||
            (right->kind != NX_Q_TERM && right->kind != NX_Q_PHRASE)) {
            nx_qnode_free(right);
            fail(p, op.at, "NEAR/%d needs a word or phrase on each side", op.num);
            break;
        }
        if (n->kind == NX_Q_NEAR && n->distance == op.num) {
            if (add_kid(p, n, right))
                break;
            continue;
        }
        nx_qnode *nr = node(p, NX_Q_NEAR, op.at);
        if (!nr || add_kid(p, nr, n)) {
            nx_qnode_free(right);
            n = NULL;
            break;
        }
        n = nr;
        nr->distance = op.num;
        if (add_kid(p, nr, right))
            break;
    }
    if (!p->failed && n && n->kind == NX_Q_NEAR && n->column == NX_COL_ANY) {
        /* title:grain NEAR/2 deal: the words' column is the NEAR's; FTS5
         * has one column filter per NEAR group, so they must agree. */
        nx_column c = n->kids[0]->column;
        for (size_t i = 1; i < n->nkids; i++)
            if (n->kids[i]->column != c && n->kids[i]->column != NX_COL_ANY && c != NX_COL_ANY)
                fail(p, t.at, "NEAR cannot join words of different fields (title:, body:)");
            else if (c == NX_COL_ANY)
                c = n->kids[i]->column;
        n->column = c;
    }
    if (p->failed) {
        nx_qnode_free(n);
        return NULL;
    }
    if (negate && n) {
        nx_qnode *no = node(p, NX_Q_NOT, t.at);
        if (!no || add_kid(p, no, n))
            return NULL;
        return no;
    }
    if (negate && !n && !p->failed && t.kind == T_NOT)
        fail(p, t.at, "NOT needs something to exclude after it");
    return n;
}

static int ends_group(const parser *p)
{
    return p->cur.kind == T_END || p->cur.kind == T_RPAREN || p->cur.kind == T_OR;
}

/* and: unary ([AND] unary)* */
static nx_qnode *parse_and(parser *p)
{
    nx_qnode *all = node(p, NX_Q_AND, p->cur.at);
    if (!all)
        return NULL;
    all->implicit = 1;
    nx_qnode *chain = NULL; /* the AND being written (a AND b AND c), if any */
    while (!p->failed && !ends_group(p)) {
        if (p->cur.kind == T_AND) {
            tok op = p->cur;
            next(p);
            if (all->nkids == 0 || ends_group(p) || p->cur.kind == T_AND) {
                fail(p, op.at, "AND needs a word before and after it");
                break;
            }
            /* A written AND binds the words on either side tighter than
             * the words beside them: in "a AND b c" under --any, a and b
             * are both required and c is optional. */
            nx_qnode *u = parse_unary(p);
            if (!u)
                continue;
            if (!chain) {
                if (!(chain = node(p, NX_Q_AND, op.at))) {
                    nx_qnode_free(u);
                    break;
                }
                nx_qnode *left = all->kids[all->nkids - 1];
                all->kids[all->nkids - 1] = chain;
                if (add_kid(p, chain, left)) {
                    nx_qnode_free(u);
                    break;
                }
            }
            if (add_kid(p, chain, u))
                break;
            continue;
        }
        chain = NULL;
        nx_qnode *u = parse_unary(p);
        if (u && add_kid(p, all, u))
            break;
    }
    if (p->failed) {
        nx_qnode_free(all);
        return NULL;
    }
    if (all->nkids == 1) {
        nx_qnode *only = all->kids[0];
        all->nkids = 0;
        nx_qnode_free(all);
        return only;
    }
    if (all->nkids == 0) {
        nx_qnode_free(all);
        return NULL;
    }
    return all;
}

/* or: and (OR and)* */
static nx_qnode *parse_or(parser *p)
{
    size_t at = p->cur.at;
    if (p->cur.kind == T_OR) {
        fail(p, at, "OR needs a word before and after it");
        return NULL;
    }
    nx_qnode *first = parse_and(p);
    if (p->failed || p->cur.kind != T_OR)
        return first;
    nx_qnode *any = node(p, NX_Q_OR, at);
    if (!any) {
        nx_qnode_free(first);
        return NULL;
    }
    if (first && add_kid(p, any, first))
        return NULL;
    while (!p->failed && p->cur.kind == T_OR) {
        tok op = p->cur;
        next(p);
        if (ends_group(p) || p->cur.kind == T_AND) {
            fail(p, op.at, "OR needs a word before and after it");
            break;
        }
        nx_qnode *n = parse_and(p);
        if (n && add_kid(p, any, n))
            break;
        if (!n && !p->failed) {
            fail(p, op.at, "OR needs a word before and after it");
            break;
        }
    }
    if (!p->failed && any->nkids == 1 && !first)
        fail(p, at, "OR needs a word before and after it");
    if (p->failed) {
        nx_qnode_free(any);
        return NULL;
    }
    return any;
}

int nx_query_parse(const char *query, nx_qnode **out, char *err, size_t errlen)
{
    *out = NULL;
    parser p = {query ? query : "", query ? strlen(query) : 0, 0, {0}, 0, 0, 0, 0, err, errlen};
    if (errlen)
        err[0] = '\0';
    /* Terms are UTF-8 from here on: a byte that is not (a Latin-1
     * terminal's é) is named here rather than failing deep in analysis. */
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)p.q;
    for (size_t i = 0; i < p.len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(p.len - i), &cp);
        if (k <= 0) {
            fail(&p, i, "byte 0x%02X is not UTF-8 text (is the terminal set to UTF-8?)", u[i]);
            return -1;
        }
        i += (size_t)k;
    }
    next(&p);
    if (p.cur.kind == T_END && !p.failed) {
        fail(&p, 0, "empty query");
        return -1;
    }
    nx_qnode *root = p.failed ? NULL : parse_or(&p);
    if (!p.failed && p.cur.kind == T_RPAREN)
        fail(&p, p.cur.at, "unbalanced parenthesis");
    else if (!p.failed && p.cur.kind != T_END)
        fail(&p, p.cur.at, "unexpected '%.*s'", (int)p.cur.n, p.cur.s);
    if (!p.failed && !root)
        fail(&p, 0, "nothing to search for (the query has only punctuation)");
    if (p.failed) {
        nx_qnode_free(root);
        return -1;
    }
    *out = root;
    return 0;
}
