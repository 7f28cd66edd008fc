/* analyzer.h - interface to the analyzer in src/analyze/: the one place that
 * decides what a word is and which terms it becomes, shared by both engines.
 *
 * A word yields up to two terms at the same position:
 *   - the exact term: the folded word (NFKC, case-folded, diacritics removed);
 *   - the stem term:  NX_STEM_MARK, the article's language code, then the
 *     folded Snowball stem ("~fr" + stem), only when the stem differs.
 * So an exact query for w looks up "w"; a stemmed query for w looks up "s"
 * and "~ll" + s for each language ll it is asked in (s = stem of w in ll),
 * because a word that is its own stem is indexed only once. An engine may
 * keep the stem terms out of its index and list their written words
 * instead (nx_analyzer_expand): the FTS5 engine does.
 * index-schema/terms.md is the long version of this. */
#ifndef NX_ANALYZE_ANALYZER_H
#define NX_ANALYZE_ANALYZER_H

#include <stddef.h>

#define NX_STEM_MARK '~'
/* Starts and ends a language marker in text handed to the FTS5 tokenizer. */
#define NX_LANG_MARK '\x1f'
/* Starts a query string that is one term as stored, looked up without
 * analysis: how the query compiler hands FTS5 the alternatives of a word as
 * separate terms ("oil" OR "~enoil"), which FTS5 matches several times
 * faster than the same terms as colocated synonyms. Queries only. */
#define NX_RAW_TERM "\x1f!\x1f"
/* Longest word kept, in bytes of input; longer runs (base64, URLs without
 * breaks) are skipped so that junk does not bloat the term dictionary. */
#define NX_MAX_WORD_BYTES 256
/* Bump when any rule here changes what terms a text yields: indexes record
 * it and refuse to mix terms from two analyzers. */
#define NX_ANALYZER_VERSION 4 /* 4: elided French and Italian articles cut off */

/* ---- interface to code in segment.c ---- */

/* One word found in a text: its span in the original bytes (what highlighting
 * marks) and its normalised raw form (apostrophes, acronym dots and digit
 * group commas removed, possessive 's cut off) before folding. */
typedef struct nx_word {
    size_t start, end;   /* byte offsets into the text, end exclusive */
    const char *raw;     /* normalised raw form, not NUL-terminated */
    size_t raw_len;
    char mark;           /* '=' or '^' directly before the word (query marks), else 0 */
    unsigned cjk : 1;    /* a bigram or single character of a CJK run */
    unsigned cjk_tail : 1; /* the last character of a run of two or more, on its own:
                              indexed so one character can be found, not queried */
} nx_word;

/* Calls fn for every word of text[0..len) in order. Invalid UTF-8 separates
 * words. A run of Han, kana or Hangul characters gives overlapping bigrams
 * (乌克兰 → 乌克, 克兰) and then its last character alone (cjk_tail); a lone
 * character is one word. Returns 0, or the first non-zero value fn returned. */
typedef int (*nx_word_fn)(void *ctx, const nx_word *w);
int nx_segment(const char *text, size_t len, nx_word_fn fn, void *ctx);

/* ---- interface to code in fold.c ---- */

/* Case-folds s[0..len) with NFKC. With strip set, also removes diacritics
 * (combining marks on Latin, Greek, Cyrillic, Arabic and Hebrew letters, but
 * keeps the breve of Cyrillic short i), Arabic tatweel, and ё becomes е.
 * Writes a NUL-terminated result to *buf (grown with realloc as needed; *cap
 * its size). Returns the length, or -1 on allocation failure. */
long nx_fold(const char *s, size_t len, int strip, char **buf, size_t *cap);

/* ---- interface to code in lang.c ---- */

typedef struct nx_lang {
    const char *code;     /* ISO 639-1, stored with articles and in stem terms */
    const char *name;     /* English name */
    const char *snowball; /* libstemmer algorithm, or NULL: words kept as written */
    int names_inflect;    /* capitalised query words also match other forms */
} nx_lang;

/* The language named by an ISO 639-1 code or English name, any case, with
 * or without a region ("fr-FR"); NULL when unknown. */
const nx_lang *nx_lang_find(const char *name_or_code);
size_t nx_lang_count(void);
const nx_lang *nx_lang_at(size_t i);
size_t nx_lang_index(const nx_lang *l);
/* The name of a language that has a Snowball stemmer, or NULL. */
const char *nx_stemmer_canonical(const char *lang);

/* ---- interface to code in stem.c ---- */

typedef struct nx_stemmer nx_stemmer;
/* lang: a code or name of a language with a stemmer; NULL otherwise. */
nx_stemmer *nx_stemmer_new(const char *lang);
void nx_stemmer_free(nx_stemmer *st);
/* Stems a case-folded word; the result is valid until the next call. */
const char *nx_stemmer_stem(nx_stemmer *st, const char *w, size_t len, size_t *out_len);

/* ---- interface to code in analyzer.c ---- */

typedef struct nx_analyzer nx_analyzer;

/* What a term is: the exact form, or the stem (already carrying the mark). */
enum { NX_TERM_EXACT = 0, NX_TERM_STEM = 1 };

/* Called per term. colocated is 1 for a term at the same position as the
 * previous one. Returns 0 to go on. */
typedef int (*nx_term_fn)(void *ctx, int kind, const char *term, size_t len, size_t start,
                          size_t end, int colocated);

/* How to analyse a text:
 *  DOCUMENT  exact + stem terms, in the first language in use;
 *  QUERY     per word, its stem alternatives in every language in use
 *            and the word as written (a word marked '=' is EXACT, one
 *            marked '^' is NAME);
 *  EXACT     the exact form only;
 *  NAME      the exact form, plus the stem alternatives in the languages in
 *            use whose names inflect (Бакланова finds Бакланов);
 *  PREFIX    the exact form only (prefixes match written forms). */
typedef enum {
    NX_ANALYZE_DOCUMENT,
    NX_ANALYZE_QUERY,
    NX_ANALYZE_EXACT,
    NX_ANALYZE_PREFIX,
    NX_ANALYZE_NAME
} nx_analyze_mode;

/* An analyzer whose default language is lang (code or name); NULL when the
 * language is unknown or out of memory. */
nx_analyzer *nx_analyzer_new(const char *lang);
void nx_analyzer_free(nx_analyzer *an);
/* The default language. */
const nx_lang *nx_analyzer_default(const nx_analyzer *an);
const char *nx_analyzer_language(const nx_analyzer *an); /* its name */

/* The languages to analyse in from now on (see the modes); n == 0 means the
 * default. At most NX_MAX_LANGS; languages past that are ignored. */
#define NX_MAX_LANGS 48
void nx_analyzer_use(nx_analyzer *an, const nx_lang *const *langs, size_t n);

/* Analyses text[0..len) and calls fn for each term. Returns 0, -1 when out of
 * memory, or what fn returned to stop. */
int nx_analyze(nx_analyzer *an, const char *text, size_t len, nx_analyze_mode mode, nx_term_fn fn,
               void *ctx);

/* Called, in DOCUMENT mode, for every word the segmenter finds (w), folded
 * as its exact term (NUL-terminated; len may be 0 when folding leaves
 * nothing, though no term is then made) and before its terms. Lets one pass
 * over a text serve another reader of its words (the near-duplicate
 * fingerprint and verification). Nonzero stops the analysis. */
typedef int (*nx_word_observer)(void *ctx, const char *folded, size_t len, const nx_word *w);
/* Sets the observer (NULL: none) for the analyses that follow. */
void nx_analyzer_observe(nx_analyzer *an, nx_word_observer fn, void *ctx);

/* Lists the written words an index holds whose stem term is stem (len
 * bytes, "~" + code + stem), each to emit(ectx, word, wlen); emit's nonzero
 * return stops and is returned. Returns 0, -1 when out of memory, or
 * NX_EXPAND_UNREADABLE when the list could not be read (nx_analyze then
 * returns that too). */
#define NX_EXPAND_UNREADABLE (-2)
typedef int (*nx_emit_fn)(void *ectx, const char *word, size_t len);
typedef int (*nx_expand_fn)(void *ctx, const char *stem, size_t len, nx_emit_fn emit, void *ectx);
/* For an index that holds no stem terms (the FTS5 engine's, see
 * index-schema/terms.md): from now on, QUERY and NAME modes give, instead
 * of each stem term, the written words fn lists for it, as exact terms at
 * the same position. NULL: stem terms as they are. */
void nx_analyzer_expand(nx_analyzer *an, nx_expand_fn fn, void *ctx);

/* The exact form and the stem (without mark and language) of one raw word
 * in the first language in use. Both are borrowed from the analyzer and
 * valid until its next call. Used by the snippet generator to recognise
 * words. Returns 0, or -1 when out of memory. */
int nx_analyzer_forms(nx_analyzer *an, const char *raw, size_t len, const char **exact,
                      size_t *elen, const char **stem, size_t *slen);

#endif
