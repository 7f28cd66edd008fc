/* store.h - interface to the storage engines (src/store/): what the library
 * above asks of an index, whichever engine holds it. engine.c picks the
 * engine when an index is opened and forwards each call to it; the engines
 * are SQLite FTS5 (fts5_*.c, the default: one file) and Xapian
 * (xapian_engine.c over src/xapian/, a folder, possibly sharded or remote). */
#ifndef NX_STORE_STORE_H
#define NX_STORE_STORE_H

#include "../analyze/analyzer.h"
#include "../lib/internal.h"
#include "../query/query.h"

#include <stdint.h>

/* The Xapian engine's schema version (index-schema/xapian-v3.md): 4 since
 * its stem terms have no positions. */
#define NX_SCHEMA_VERSION 4

/* A query word is stemmed in the main languages of the index: those that
 * hold at least this share of its articles (a string, for SQL), and those
 * asked for with lang:. Each language stemmed in costs a few terms per
 * word; on a 100 MB English archive where language detection had found a
 * few dozen Catalan, Danish, German and French articles, stemming in all
 * five made typical queries a third slower, and let "german" find "germ"
 * (its Catalan stem). */
#define NX_MAIN_LANG_PERCENT "1"

/* Where an article came from, stored with it. */
typedef struct nx_origin {
    const char *path;  /* files.path, or NULL for articles added through the API */
    int64_t size, mtime_ns;
} nx_origin;

typedef struct nx_file_row {
    int64_t size, mtime_ns, articles;
    char hash[17];
} nx_file_row;

enum { NX_PUT_ADDED, NX_PUT_UPDATED, NX_PUT_UNCHANGED };

/* Near-duplicate facts stored with an article (src/lib/dupindex.h). Keys
 * are the engines' article keys (the rowid put_article returns). */
typedef struct nx_dup_facts {
    const unsigned char *sig; /* packed signature, or NULL: not fingerprinted */
    size_t sig_len;
    int64_t cluster;          /* label of the cluster it joins; -1: starts its own */
    int64_t assigned;         /* set by put_article: the label it was stored with */
} nx_dup_facts;

/* Words a spelling list holds ("did you mean"): exact terms of 2 to
 * NX_SPELL_MAX bytes that start with a letter a-z or with a two-byte UTF-8
 * character (U+0080-U+07FF: Greek, Cyrillic, Armenian, Hebrew, Arabic and
 * the Latin letters folding keeps). Not the scripts after them: Indic and
 * Thai words are syllable runs, CJK terms are bigrams. */
#define NX_SPELL_MAX 64
#define NX_SPELL_FIRST(c)                                                                  \
    (((c) >= 'a' && (c) <= 'z') || ((unsigned char)(c) >= 0xC2 && (unsigned char)(c) < 0xE0))
#define NX_SPELL_WORD(t, n) ((n) >= 2 && (n) <= NX_SPELL_MAX && NX_SPELL_FIRST((t)[0]))

/* Terms of an article analyzed ahead of time, in its language (NULL when
 * not): an engine may use them instead of analyzing the texts again. And
 * its body packed ahead of time (NULL when not) with the dictionary
 * packed_dict (0: none), which the FTS5 engine stores as is when that is
 * still its dictionary (see nx_store_pack_dict). With words_given, words
 * lists its spelling words (NX_SPELL_WORD) that the preparer had not
 * listed for an earlier article of this writer, each a length byte then
 * its bytes: the engine adds those instead of collecting them from the
 * terms (the indexing thread is the busier one). With stems_given, stems
 * lists the same way its (stem term, written word) pairs the preparer had
 * not listed before, each pair as two such strings. */
typedef struct nx_prepared {
    const struct nx_pretok *body, *title;
    const unsigned char *packed;
    size_t packed_len;
    unsigned packed_dict;
    int words_given;
    const unsigned char *words;
    size_t words_len;
    int stems_given;
    const unsigned char *stems;
    size_t stems_len;
} nx_prepared;

/* Receives one stored signature; nonzero stops (out of memory). */
typedef int (*nx_sig_fn)(void *ctx, int64_t key, int64_t cluster, const void *sig, size_t len);
/* Receives about how many signatures follow (it may overstate). */
typedef void (*nx_sig_expect_fn)(void *ctx, int64_t n);

/* A search as the engines receive it. */
typedef struct nx_store_query {
    const nx_qnode *text;     /* words to match, or NULL for filters only */
    const char *fts5;         /* text compiled for FTS5 (the FTS5 engine's form) */
    const char *fts5_groups;  /* its phrases' query words, for nx_rank (may be NULL) */
    int positive;             /* 0: list what does NOT match text */
    const nx_filter *filters;
    size_t nfilters;
    nx_sort_t sort;
    size_t limit, offset;
    const nx_lang *const *langs; /* languages to stem query words in */
    size_t nlangs;
} nx_store_query;

/* Whether a word of the vocabulary (len bytes, not NUL-terminated) is
 * wanted: non-zero for yes. */
typedef int (*nx_word_want_fn)(void *ctx, const char *word, size_t len);
/* A file (path) that holds an article (id), since when another file keeps
 * it (microseconds since the epoch); nonzero stops the walk. */
typedef int (*nx_holder_fn)(void *ctx, const char *path, const char *id, int64_t since);

/* Hits of a search, one at a time. */
typedef struct nx_cursor nx_cursor;
struct nx_cursor {
    /* Moves to the next hit, filling cur's fields (borrowed until the next
     * call), *score and *cluster (its near-duplicate cluster's label; an
     * engine may give -1 for an article known to have no copy).
     * Returns 1 for a hit, 0 at the end, -1 on failure (*st set, message
     * on the index). */
    int (*next)(nx_cursor *c, nx_article_t *cur, double *score, int64_t *cluster,
                nx_status_t *st);
    /* When not NULL, next fills only the id and date, and this fills the
     * other fields of the current hit (borrowed until the next call of
     * either): hits skipped as copies or before the page cost no body to
     * unpack. Returns 0, or -1 on failure (*st set). */
    int (*fill)(nx_cursor *c, nx_article_t *cur, nx_status_t *st);
    /* When not NULL: the articles of cluster that match the search, but
     * the one with id self, oldest first, each to fn (may be NULL) with
     * *count how many; valid once next has given a hit. Else the caller
     * runs the search again narrowed to the cluster. */
    nx_status_t (*copies)(nx_cursor *c, int64_t cluster, const char *self, nx_copy_fn fn,
                          void *ctx, int64_t *count);
    void (*free)(nx_cursor *c);
    /* has_total: total is the number of matches (what count gives), known
     * from ranking them all before the first hit; 0: unknown. */
    int has_total;
    int64_t total;
};

/* What an engine implements. Writers are engine-private (void *). */
typedef struct nx_engine {
    const char *name;
    nx_status_t (*open)(nx_index_t *ix, const char *const *paths, size_t n, nx_open_mode_t mode,
                        const nx_open_options_t *opts);
    void (*close)(nx_index_t *ix);
    nx_status_t (*writer_new)(nx_index_t *ix, void **w);
    void (*writer_free)(void *w);
    nx_status_t (*begin)(void *w);
    nx_status_t (*commit)(void *w);
    void (*rollback)(void *w);
    nx_status_t (*put_article)(void *w, const nx_article_t *a, const nx_origin *o,
                               nx_dup_facts *dup, const nx_prepared *prep, int *outcome,
                               int64_t *rowid);
    nx_status_t (*file_get)(void *w, const char *path, nx_file_row *row, int *found);
    nx_status_t (*file_put)(void *w, const char *path, const nx_file_row *row);
    nx_status_t (*remove_stale)(void *w, const char *path, const int64_t *keep, size_t nkeep,
                                int64_t *removed);
    nx_status_t (*get_article)(nx_index_t *ix, const char *id, nx_article_t **out);
    nx_status_t (*stats)(nx_index_t *ix, nx_stats_t *out);
    /* Articles per value of field ("source", "lang", "year"); "lang-values"
     * gives the languages cheaply, with count 1 for a main language (one
     * that holds NX_MAIN_LANG_PERCENT % of the articles or more), else 0. */
    nx_status_t (*field_counts)(nx_index_t *ix, const char *field, size_t limit, nx_count_fn fn,
                                void *ctx);
    nx_status_t (*search)(nx_index_t *ix, const nx_store_query *q, nx_cursor **out);
    nx_status_t (*count)(nx_index_t *ix, const nx_store_query *q, int64_t *out);
    /* Calls fn for each distinct value of field ("date", "source", "lang")
     * among the articles matching q, with its count. field may also list
     * several of "date", "source" and "cluster" joined by commas: the
     * value is then their values joined by tabs. */
    nx_status_t (*value_counts)(nx_index_t *ix, const nx_store_query *q, const char *field,
                                nx_count_fn fn, void *ctx);
    /* Calls fn for each written word (exact term) of the index starting
     * with prefix, with the number of articles holding it; with want set,
     * only for the words want accepts (the others are not counted, which
     * is most of the cost). */
    nx_status_t (*vocabulary)(nx_index_t *ix, const char *prefix, nx_word_want_fn want,
                              nx_count_fn fn, void *ctx);
    /* Like vocabulary for the words starting with the letter first (its
     * UTF-8 bytes, NUL-terminated) and of minlen to maxlen bytes, read from
     * a spelling list, without reading the whole letter: *have is 0
     * (nothing reported) when the engine has no complete list, and the
     * caller reads the vocabulary instead. May be NULL. */
    nx_status_t (*spelling)(nx_index_t *ix, const char *first, size_t minlen, size_t maxlen,
                            nx_word_want_fn want, nx_count_fn fn, void *ctx, int *have);
    /* Verifies the index's structures (SQLite and FTS5 integrity checks,
     * Xapian's checker); NX_ERR_CORRUPT with the findings when damaged. */
    nx_status_t (*check)(nx_index_t *ix);
    /* Merges the index's segments for faster searches (FTS5 'optimize'). */
    nx_status_t (*optimize)(nx_index_t *ix);
    /* Calls fn(ctx, path, articles) for every recorded input file whose
     * path starts with prefix (writer). */
    nx_status_t (*files)(void *w, const char *prefix, nx_count_fn fn, void *ctx);
    /* Forgets a recorded file: its articles and its record (writer). */
    nx_status_t (*file_remove)(void *w, const char *path, int64_t *removed);
    /* Articles to read back from another file. When a file takes over an
     * article (same id) from another file that still exists, put_article and
     * unchanged (touch) remember that the earlier file holds it too, and
     * since when; when the article is then removed (its new file dropped
     * it, or went), fn is called here with each such file's path, the id
     * and that time, so that the caller restores it from the latest one
     * (writer). Removing articles marks the index (in the transaction that
     * removes them) until a call here finds nothing wanted: with due_only,
     * nothing is listed unless it is marked, so that a run stopped before
     * restoring has the next run do it. May be NULL: the engine remembers
     * no holders. */
    nx_status_t (*wanted)(void *w, int due_only, nx_holder_fn fn, void *ctx);
    /* Forgets that the file at path holds id (restored, or no longer in it). */
    nx_status_t (*holder_forget)(void *w, const char *path, const char *id);
    /* The engine's form of the query, for --explain; malloc'd or NULL. */
    char *(*describe)(nx_index_t *ix, const nx_store_query *q);
    /* Calls fn for every stored near-duplicate signature (writer); first,
     * when the engine can tell cheaply, expect with about how many. */
    nx_status_t (*dup_signatures)(void *w, nx_sig_expect_fn expect, nx_sig_fn fn, void *ctx);
    /* The body of the article with key, malloc'd into *text; NULL when
     * there is none (writer: sees what the transaction wrote). */
    nx_status_t (*dup_text)(void *w, int64_t key, char **text, size_t *len);
    /* The dictionary stored bodies are packed with now (writer): its id,
     * and its bytes (borrowed until the next put or commit); id 0 and NULL
     * when none. May be NULL: the engine packs nothing. */
    const void *(*pack_dict)(void *w, size_t *len, unsigned *id);
    /* Whether the stored article with a's id has a's content (its hash,
     * with the stored language when a has none: detected from the same
     * text, it would be the same) and, for engines that keep it with the
     * article, a's origin o: *same, and *rowid its key. With touch, an
     * unchanged article is then recorded as found in o, as put_article
     * does. Lets an indexer skip preparing an article it would not write. */
    nx_status_t (*unchanged)(void *w, const nx_article_t *a, const nx_origin *o, int touch,
                             int *same, int64_t *rowid);
    /* A file longer than a batch is committed every this many batches of
     * its articles (src/lib/ingest.c). */
    unsigned file_commit_batches;
    /* After an indexing run that changed the index has committed: tidies
     * the engine's files (NULL: nothing to do). */
    nx_status_t (*settle)(nx_index_t *ix);
    /* Readies an analyzer that compiles queries for this index (FTS5: its
     * stem terms become the written words the stems table lists). May be
     * NULL: nothing to do. */
    void (*query_analyzer)(nx_index_t *ix, nx_analyzer *an);
} nx_engine;

extern const nx_engine nx_engine_fts5;
extern const nx_engine nx_engine_xapian;

/* ---- interface to code in engine.c ---- */

/* Opens the index at paths (one path, except for Xapian searches across
 * several databases), choosing the engine: an existing file is FTS5, an
 * existing folder or a tcp:// address is Xapian, a new index is what opts
 * ask for (FTS5 by default). */
nx_status_t nx_store_open(nx_index_t *ix, const char *const *paths, size_t n, nx_open_mode_t mode,
                          const nx_open_options_t *opts);
void nx_store_close(nx_index_t *ix);

typedef struct nx_store_writer {
    nx_index_t *ix;
    void *impl;
} nx_store_writer;

nx_status_t nx_store_writer_new(nx_index_t *ix, nx_store_writer **out);
void nx_store_writer_free(nx_store_writer *w); /* rolls back what is not committed */
nx_status_t nx_store_begin(nx_store_writer *w);
nx_status_t nx_store_commit(nx_store_writer *w);
nx_status_t nx_store_put_article(nx_store_writer *w, const nx_article_t *a, const nx_origin *o,
                                 nx_dup_facts *dup, const nx_prepared *prep, int *outcome,
                               int64_t *rowid);
/* Articles of a long file per commit, for a batch of batch articles. */
size_t nx_store_file_commit_every(const nx_index_t *ix, size_t batch);
/* See unchanged in nx_engine; *same 0 when the engine cannot tell. */
nx_status_t nx_store_unchanged(nx_store_writer *w, const nx_article_t *a, const nx_origin *o,
                               int touch, int *same, int64_t *rowid);
nx_status_t nx_store_dup_signatures(nx_store_writer *w, nx_sig_expect_fn expect, nx_sig_fn fn,
                                    void *ctx);
nx_status_t nx_store_dup_text(nx_store_writer *w, int64_t key, char **text, size_t *len);
/* The engine's packing dictionary now (see pack_dict in nx_engine); NULL,
 * *len 0 and *id 0 when there is none or the engine packs nothing. */
const void *nx_store_pack_dict(nx_store_writer *w, size_t *len, unsigned *id);
/* Whether the engine keeps a spelling list (the spelling op), and so takes
 * the words listed in nx_prepared. */
int nx_store_keeps_spelling(const nx_index_t *ix);
/* Whether the engine keeps its stem terms' words in a table of its own,
 * which its queries expand stems from (query_analyzer), and so takes the
 * pairs listed in nx_prepared. */
int nx_store_lists_stems(const nx_index_t *ix);
/* See query_analyzer in nx_engine. */
void nx_store_query_analyzer(nx_index_t *ix, nx_analyzer *an);
nx_status_t nx_store_file_get(nx_store_writer *w, const char *path, nx_file_row *row, int *found);
nx_status_t nx_store_file_put(nx_store_writer *w, const char *path, const nx_file_row *row);
/* Deletes the articles whose origin is path and whose row id is not in keep
 * (sorted ascending); *removed counts them. */
nx_status_t nx_store_remove_stale(nx_store_writer *w, const char *path, const int64_t *keep,
                                  size_t nkeep, int64_t *removed);
nx_status_t nx_store_get_article(nx_index_t *ix, const char *id, nx_article_t **out);
nx_status_t nx_store_stats(nx_index_t *ix, nx_stats_t *out);
nx_status_t nx_store_field_counts(nx_index_t *ix, const char *field, size_t limit, nx_count_fn fn,
                                  void *ctx);
nx_status_t nx_store_search(nx_index_t *ix, const nx_store_query *q, nx_cursor **out);
nx_status_t nx_store_count(nx_index_t *ix, const nx_store_query *q, int64_t *out);
char *nx_store_describe(nx_index_t *ix, const nx_store_query *q);
nx_status_t nx_store_value_counts(nx_index_t *ix, const nx_store_query *q, const char *field,
                                  nx_count_fn fn, void *ctx);
nx_status_t nx_store_vocabulary(nx_index_t *ix, const char *prefix, nx_word_want_fn want,
                                nx_count_fn fn, void *ctx);
nx_status_t nx_store_spelling(nx_index_t *ix, const char *first, size_t minlen, size_t maxlen,
                              nx_word_want_fn want, nx_count_fn fn, void *ctx, int *have);
nx_status_t nx_store_check(nx_index_t *ix);
nx_status_t nx_store_optimize(nx_index_t *ix);
nx_status_t nx_store_settle(nx_index_t *ix);
nx_status_t nx_store_files(nx_store_writer *w, const char *prefix, nx_count_fn fn, void *ctx);
nx_status_t nx_store_file_remove(nx_store_writer *w, const char *path, int64_t *removed);
/* See wanted and holder_forget in nx_engine; nothing for engines without them. */
nx_status_t nx_store_wanted(nx_store_writer *w, int due_only, nx_holder_fn fn, void *ctx);
nx_status_t nx_store_holder_forget(nx_store_writer *w, const char *path, const char *id);

/* ---- interface to code in hash.c ---- */

/* 64-bit FNV-1a over several strings (NULLs count as empty, separated so
 * that ("ab","c") and ("a","bc") differ), as 16 hex digits plus NUL. */
void nx_hash_strings(const char *const *parts, size_t n, char out[17]);
void nx_hash_bytes(const void *data, size_t len, char out[17]);
/* The same hash of bytes given piece by piece: h starts at 0, and
 * nx_hash_hex of the last value equals nx_hash_bytes of all the pieces. */
uint64_t nx_hash_more(uint64_t h, const void *data, size_t len);
void nx_hash_hex(uint64_t h, char out[17]);
uint64_t nx_hash64(const void *data, size_t len);

/* The content hash stored with each article (title, body, date, source,
 * url, lang), used by both engines to skip unchanged articles. */
void nx_article_hash(const nx_article_t *a, char out[17]);

#endif
