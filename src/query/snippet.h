/* snippet.h - interface to code in snippet.c: the engine-neutral snippet
 * generator. Given an article's text and what the query asked for, it picks
 * the fragments that best show why the article matched and the byte spans
 * to highlight in them. */
#ifndef NX_QUERY_SNIPPET_H
#define NX_QUERY_SNIPPET_H

#include "../analyze/analyzer.h"
#include "newsidx.h"

#include <stddef.h>

/* One thing the query looks for: a single word (nwords == 1) or a phrase.
 * Each word is matched by its exact folded form, or (when not exact) by its
 * stem, or (prefix) by the start of its exact form. */
typedef struct nx_hl_word {
    char *exact;  /* folded form */
    char **stems; /* folded stem in each language of the query (nx_hl_query.langs) */
    int mode;     /* NX_HL_* */
} nx_hl_word;

/* Stemmed; the written form only; a prefix of the written form; a name:
 * the written form, or any form with its stem in a language whose names
 * inflect. */
enum { NX_HL_STEM = 0, NX_HL_EXACT = 1, NX_HL_PREFIX = 2, NX_HL_NAME = 3 };

typedef struct nx_hl_item {
    nx_hl_word *words;
    size_t nwords;
} nx_hl_item;

typedef struct nx_hl_query {
    nx_hl_item *items;
    size_t nitems;
    const nx_lang *langs[NX_MAX_LANGS]; /* the languages words are stemmed in */
    size_t nlangs;
} nx_hl_query;

/* Sets the languages to stem query words in; call before nx_hl_add. */
void nx_hl_languages(nx_hl_query *q, const nx_lang *const *langs, size_t n);

/* Adds an item from raw query words (folded, and stemmed with an in each of
 * the query's languages). Returns 0 or -1 when out of memory. */
int nx_hl_add(nx_hl_query *q, nx_analyzer *an, const char *const *raw, const size_t *lens,
              const int *modes, size_t n);
void nx_hl_free(nx_hl_query *q);

typedef struct nx_snippet {
    char *text;        /* fragments joined with " … ", "…" where text was cut */
    nx_span_t *spans;  /* spans into text, in order */
    size_t nspans;
} nx_snippet;

/* Builds a snippet of at most max_fragments fragments of about
 * fragment_words words from text, written in language lang (NULL: the
 * analyzer's default). When nothing matches, the snippet is the start of
 * the text. Returns 0, or -1 when out of memory. */
int nx_snippet_make(nx_analyzer *an, const nx_hl_query *q, const nx_lang *lang, const char *text,
                    size_t len, size_t max_fragments, size_t fragment_words, nx_snippet *out);
void nx_snippet_free(nx_snippet *s);

/* Every match in the whole of text[0..len), as spans into text (for showing
 * a full article highlighted). *spans is malloc'd (NULL when none). Returns
 * 0, or -1 when out of memory. */
int nx_highlight_all(nx_analyzer *an, const nx_hl_query *q, const nx_lang *lang, const char *text,
                     size_t len, nx_span_t **spans, size_t *nspans);

#endif
