/* query.h - interface to the query language (src/query/): parse.c turns a
 * query string into a syntax tree, filters.c pulls out the field filters,
 * compile_fts5.c turns the text part into an FTS5 expression, explain.c
 * prints a tree. The tree is engine-neutral; each engine compiles it.
 *
 * Syntax (docs/query-language.md has the user's version):
 *   words are ANDed; OR, AND, NOT (upper case); a leading '-' excludes;
 *   ( ) group; "exact phrase"; NEAR(a b, N) and a NEAR/N b; negot* prefix;
 *   Capitalised or =word: exact form; title:, body: restrict to a column;
 *   source:, lang:, url:, date:, after:, before: filter. */
#ifndef NX_QUERY_QUERY_H
#define NX_QUERY_QUERY_H

#include <stddef.h>

typedef enum nx_qkind {
    NX_Q_TERM,   /* one word (which the analyzer may still split) */
    NX_Q_PHRASE, /* kids are NX_Q_TERMs in order */
    NX_Q_AND,
    NX_Q_OR,
    NX_Q_NOT,    /* one kid: what is excluded */
    NX_Q_NEAR,   /* kids are terms or phrases; `distance` */
    NX_Q_FILTER, /* a metadata filter; see nx_filter_kind */
} nx_qkind;

typedef enum nx_filter_kind {
    NX_F_SOURCE, /* value: substring of the source, case-insensitive */
    NX_F_LANG,   /* value: Snowball language name */
    NX_F_URL,    /* value: substring of the URL */
    NX_F_DATE,   /* [since, until) as ISO-8601 UTC; either or both may be empty (no
                    bound: "..9999" ends past the last date written) */
    NX_F_CLUSTER, /* value: a near-duplicate cluster's label, decimal (internal) */
} nx_filter_kind;

typedef enum nx_column { NX_COL_ANY = 0, NX_COL_TITLE, NX_COL_BODY } nx_column;

/* How a term is matched: stemmed (0); =word, the written form only; a
 * Capitalised word, the written form, and in languages whose names inflect
 * (Russian, Arabic...) the name's other forms too. */
enum { NX_EXACT_STRICT = 1, NX_EXACT_NAME = 2 };

typedef struct nx_qnode {
    nx_qkind kind;
    int col;                 /* 1-based character column in the query */
    /* NX_Q_TERM */
    char *text;              /* the word as written (without '=' and '*') */
    int exact;               /* NX_EXACT_*: 0 stemmed, or how exact */
    int prefix;              /* word* */
    /* NX_Q_TERM, NX_Q_PHRASE, NX_Q_NEAR */
    nx_column column;
    /* NX_Q_AND, NX_Q_OR, NX_Q_NOT, NX_Q_PHRASE, NX_Q_NEAR */
    struct nx_qnode **kids;
    size_t nkids;
    int distance;            /* NX_Q_NEAR */
    int implicit;            /* NX_Q_AND: made by adjacency only, no AND written */
    /* NX_Q_FILTER */
    nx_filter_kind filter;
    char *value;             /* source/lang/url */
    char since[24], until[24]; /* date */
} nx_qnode;

/* Parses query. On success returns 0 and *out (the caller frees it with
 * nx_qnode_free); on a syntax error returns -1, *out is NULL and err holds
 * "query:1:COL: message". Out of memory is reported the same way. */
int nx_query_parse(const char *query, nx_qnode **out, char *err, size_t errlen);
void nx_qnode_free(nx_qnode *n);


/* ---- interface to code in filters.c ---- */

/* The filters of a query, which must all be in its top-level AND (possibly
 * excluded with '-'): collected here and removed from the text part. */
typedef struct nx_filter {
    nx_filter_kind kind;
    int negated;
    int col;        /* where it stood in the query (0 for options) */
    char *value;
    char since[24], until[24];
} nx_filter;

typedef struct nx_query_parts {
    nx_qnode *text;       /* what remains for the full-text engine; NULL if only filters */
    nx_filter *filters;
    size_t nfilters;
} nx_query_parts;

/* Splits tree (taking ownership of it) into text and filters. Returns 0, or
 * -1 with a positioned message in err (a filter under OR, for instance). */
int nx_query_split(nx_qnode *tree, nx_query_parts *out, char *err, size_t errlen);
void nx_query_parts_free(nx_query_parts *p);

/* Ranked-OR mode (--any): every AND made only by adjacency becomes an OR of
 * its words and phrases, keeping its exclusions and filters as they are, so
 * long natural-language queries rank articles by how many words they share
 * instead of requiring all of them. A single letter ("s" of "Spain s",
 * "u n" of "U.N." with its dots taken out) is left out when other words
 * remain: the index stores such letters only where they stand alone
 * (possessives and abbreviations are kept whole), which makes them rare,
 * and a rare word weighs much, so a stray "s" outranked the words that
 * mattered. Returns 0, or -1 when out of memory (the tree is then
 * unchanged). */
int nx_query_any(nx_qnode *tree);

/* Converts a date or partial date ("2022", "2022-12", "2022-12-04", or any
 * form nx_date_parse takes) into the half-open range it covers. Returns 0
 * or -1 when it is not a date. */
int nx_date_range(const char *s, char since[24], char until[24]);

/* ---- interface to code in compile_fts5.c ---- */

/* The FTS5 expression for a text tree: every word quoted, strict exact
 * words marked with '=', names with '^', stemmed words and names preceded
 * by the language marker for langs (ISO codes joined by commas; NULL or ""
 * for the index default), columns as FTS5 column filters. *positive is 0
 * when the tree only excludes (-x): then the returned expression is what to
 * exclude. Returns a malloc'd string, or NULL with a positioned message in
 * err (an exclusion with nothing to exclude from, or out of memory). */
char *nx_query_to_fts5(const nx_qnode *text, const char *langs, int *positive, char *err,
                       size_t errlen);

/* As nx_query_to_fts5, for running the search: a word that an (set to the
 * languages of langs by the caller) turns into terms at one position is
 * written as those terms, each a raw FTS5 string (NX_RAW_TERM), ORed: FTS5
 * walks separate terms several times faster than colocated synonyms. The
 * rank function must then score the alternatives of a word as one word:
 * *groups (malloc'd, caller frees) receives, for each FTS5 phrase in
 * order, the number of the query word it belongs to, space-separated. */
struct nx_analyzer;
char *nx_query_to_fts5_grouped(const nx_qnode *text, const char *langs, struct nx_analyzer *an,
                               int *positive, char **groups, char *err, size_t errlen);

/* ---- interface to code in explain.c ---- */

/* Calls fn for every word the query looks for (not those it excludes), to
 * feed the snippet generator: a term, or the words of a phrase. modes are
 * the NX_HL_* values of snippet.h: 0 stemmed, 1 exact, 2 prefix, 3 name. */
typedef int (*nx_query_words_fn)(void *ctx, const char *const *words, const size_t *lens,
                                 const int *modes, size_t n);
int nx_query_positive_words(const nx_qnode *n, nx_query_words_fn fn, void *ctx);

/* Writes the text tree and filters as an S-expression, for --explain.
 * Returns a malloc'd string or NULL. */
char *nx_query_explain(const nx_query_parts *parts);

#endif
