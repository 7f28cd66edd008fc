/* newsidx.h - the public C API of newsidx, a full-text search engine for
 * news archives.
 *
 * Conventions, said once here and repeated briefly per function:
 *  - Every call that can fail returns nx_status_t (NX_OK == 0) and writes its
 *    result through an out-parameter, which is set to NULL on failure.
 *  - Handles are opaque. Objects made from a parent (a search from an index,
 *    results from a search) belong to the caller until destroyed, but must be
 *    destroyed before their parent. Every nx_*_destroy(NULL) is harmless.
 *  - A `const char *` returned by a getter is borrowed: it stays valid until
 *    the object it came from is destroyed or moved (for result iterators:
 *    until nx_results_move_to_next).
 *  - After a failure, nx_index_last_error() gives a message with context
 *    (file, line, query position) for the index the call was made on.
 *  - Threads: an nx_index_t and everything made from it must be used by one
 *    thread at a time; different handles on the same index file may be used
 *    from different threads and processes at once (one writer at a time).
 *    The library has no global mutable state.
 */
#ifndef NEWSIDX_H
#define NEWSIDX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NEWSIDX_VERSION_MAJOR 0
#define NEWSIDX_VERSION_MINOR 1
#define NEWSIDX_VERSION_PATCH 0
#define NEWSIDX_VERSION "0.1.0"

/* The version of the library actually linked, e.g. "0.1.0". Static string. */
const char *nx_version(void);

typedef enum nx_status {
    NX_OK = 0,
    NX_ERR_NOMEM,         /* out of memory */
    NX_ERR_INVALID_ARG,   /* a NULL handle or a value out of range */
    NX_ERR_IO,            /* a file could not be read or written */
    NX_ERR_NO_INDEX,      /* the index does not exist (open without create) */
    NX_ERR_NOT_AN_INDEX,  /* the file exists but is not a newsidx index */
    NX_ERR_VERSION,       /* made by another schema or analyzer version */
    NX_ERR_CORRUPT,       /* the index is damaged */
    NX_ERR_BUSY,          /* another process holds the index for too long */
    NX_ERR_READ_ONLY,     /* write attempted on an index opened read-only, or on
                           * files this process may not write (check needs write access) */
    NX_ERR_LANGUAGE,      /* no stemmer for the language asked for */
    NX_ERR_QUERY,         /* the query could not be parsed */
    NX_ERR_BAD_INPUT,     /* some input records or files were bad and skipped */
    NX_ERR_NOT_FOUND,     /* no article with that id */
    NX_ERR_ENGINE,        /* the storage engine failed; see nx_index_last_error */
} nx_status_t;

/* A short fixed description of a status ("out of memory"). Static string. */
const char *nx_status_to_string(nx_status_t status);

typedef struct nx_index nx_index_t;       /* an open index */
typedef struct nx_article nx_article_t;   /* one article, to add or as found */
typedef struct nx_ingest nx_ingest_t;     /* an indexing run over files */
typedef struct nx_search nx_search_t;     /* a prepared query */
typedef struct nx_results nx_results_t;   /* iterator over the hits of a search */

/* ------------------------------------------------------------------ index */

typedef enum nx_open_mode {
    NX_OPEN_READ_ONLY = 0,   /* searching; never writes, works on read-only files */
    NX_OPEN_READ_WRITE = 1,  /* the index must exist; a sharded Xapian index opened so
                                is for writing only: searching, stats and similar on it
                                give NX_ERR_INVALID_ARG (open a read-only handle) */
    NX_OPEN_CREATE = 2,      /* read-write, created when missing (as READ_WRITE) */
} nx_open_mode_t;

/* Opens the index at path. language (a Snowball name such as "english" or an
 * ISO 639-1 code) is used when the index is created and ignored otherwise
 * (NULL means english). On success *out is a new handle the caller owns
 * (close with nx_index_close); on failure *out is NULL and errbuf (may be
 * NULL) receives a NUL-terminated message of at most errlen bytes. */
nx_status_t nx_index_open(const char *path, nx_open_mode_t mode, const char *language,
                          nx_index_t **out, char *errbuf, size_t errlen);

#define NX_MAX_SHARDS 1024

/* How to open or create an index, for nx_index_open_ex. Zero it first. */
typedef struct nx_open_options {
    const char *language; /* stemming language of a new index; NULL: english */
    const char *engine;   /* engine of a new index: "fts5" (default, one file) or
                             "xapian" (a folder); an existing index's is detected */
    unsigned shards;      /* Xapian, new index: split across this many shard folders
                             (at most NX_MAX_SHARDS, else NX_ERR_INVALID_ARG) */
    int allow_partial;    /* searching several databases: go on without those that
                             cannot be opened (see nx_index_notice) instead of failing */
} nx_open_options_t;

/* Opens one index (npaths == 1) or, read-only, several Xapian databases
 * searched as one: local folders and "tcp://HOST:PORT" databases served by
 * xapian-tcpsrv. Otherwise as nx_index_open; opts may be NULL. */
nx_status_t nx_index_open_ex(const char *const *paths, size_t npaths, nx_open_mode_t mode,
                             const nx_open_options_t *opts, nx_index_t **out, char *errbuf,
                             size_t errlen);

/* A note about the opened index that is not an error, such as databases
 * skipped with allow_partial, or a compaction that failed after an indexing
 * run had committed; "" when none. Borrowed. */
const char *nx_index_notice(const nx_index_t *index);

/* The engine holding the index: "fts5" or "xapian". Static string. */
const char *nx_index_engine(const nx_index_t *index);

/* Closes the index, committing nothing that was not committed. NULL is fine. */
void nx_index_close(nx_index_t *index);

/* The message for the last failed call on this index, or "" if none. Borrowed. */
const char *nx_index_last_error(const nx_index_t *index);

/* Checks the index for damage: SQLite's and FTS5's integrity checks, or
 * Xapian's checker. NX_OK when sound; NX_ERR_CORRUPT with the findings in
 * nx_index_last_error when not. */
nx_status_t nx_index_check(nx_index_t *index);

/* Merges the index's segments so searches read less and makes its word
 * lists anew (FTS5: spelling list, stems table), or replaces
 * each Xapian database with a compact copy (swapped in with one rename);
 * the index must be open for writing. Safe to interrupt: the index stays as
 * it was. */
nx_status_t nx_index_optimize(nx_index_t *index);

/* The index's language (canonical Snowball name). Borrowed. */
const char *nx_index_language(const nx_index_t *index);

typedef struct nx_stats {
    int64_t articles;        /* articles in the index */
    int64_t sources;         /* distinct non-empty sources */
    int64_t files;           /* input files recorded */
    int64_t languages;       /* distinct languages */
    int64_t bytes_text;      /* bytes of title and body text */
    int64_t bytes_on_disk;   /* size of the index files */
    char first_date[24];     /* ISO-8601 of the oldest dated article, or "" */
    char last_date[24];      /* newest, or "" */
} nx_stats_t;

/* Fills *out with figures about the index. */
nx_status_t nx_index_stats(nx_index_t *index, nx_stats_t *out);

/* Calls fn(ctx, value, count) for each distinct value of a field ("source"
 * or "lang"), most frequent first, at most `limit` values (0: all). */
typedef void (*nx_count_fn)(void *ctx, const char *value, int64_t count);
nx_status_t nx_index_field_counts(nx_index_t *index, const char *field, size_t limit,
                                  nx_count_fn fn, void *ctx);

/* ---------------------------------------------------------------- article */

typedef enum nx_field {
    NX_FIELD_ID = 0,   /* stable external id */
    NX_FIELD_TITLE,
    NX_FIELD_BODY,
    NX_FIELD_DATE,     /* ISO-8601 UTC "YYYY-MM-DDTHH:MM:SSZ" once stored */
    NX_FIELD_SOURCE,
    NX_FIELD_URL,
    NX_FIELD_LANG,
    NX_FIELD_ORIGIN,   /* the file it came from (read-only for callers) */
    NX_FIELD_COUNT_
} nx_field_t;

/* A new empty article; the caller owns it (nx_article_destroy). */
nx_status_t nx_article_new(nx_article_t **out);
void nx_article_destroy(nx_article_t *article);

/* Sets a field to a copy of value (NULL clears it). Invalid UTF-8 is repaired.
 * A date is parsed from any of the forms `newsidx index` accepts;
 * NX_ERR_INVALID_ARG if it is not a date. */
nx_status_t nx_article_set(nx_article_t *article, nx_field_t field, const char *value);

/* The field's value, or NULL when unset. Borrowed from the article. */
const char *nx_article_get(const nx_article_t *article, nx_field_t field);

/* Adds or replaces (same id) one article and commits. The article needs an id
 * and a title or body. The caller keeps ownership of article. */
nx_status_t nx_index_add_article(nx_index_t *index, const nx_article_t *article);

/* Finds an article by id; *out is a new article the caller owns, or NULL with
 * NX_ERR_NOT_FOUND. */
nx_status_t nx_index_get_article(nx_index_t *index, const char *id, nx_article_t **out);

/* ----------------------------------------------------------------- ingest */

typedef struct nx_ingest_counts {
    int64_t files_seen;         /* input files looked at */
    int64_t files_indexed;      /* new or changed files read and stored */
    int64_t files_unchanged;    /* skipped: same size and mtime, or same content */
    int64_t files_bad;          /* unreadable or unusable files */
    int64_t articles_added;
    int64_t articles_updated;   /* same id, new content */
    int64_t articles_unchanged; /* same id, same content hash */
    int64_t articles_removed;   /* gone from a changed file */
    int64_t records_bad;        /* bad records skipped inside otherwise good files */
    int64_t files_pruned;       /* recorded files gone from the archive, forgotten */
    int64_t bytes_read;         /* input bytes read (after gunzip) */
} nx_ingest_counts_t;

/* A problem with one input: path and 1-based line (0 when not about a line). */
typedef void (*nx_ingest_problem_fn)(void *ctx, const char *path, long line, const char *message);
/* Progress, called after each file with the running counts. */
typedef void (*nx_ingest_progress_fn)(void *ctx, const nx_ingest_counts_t *counts);

typedef struct nx_ingest_options {
    nx_ingest_problem_fn on_problem; /* may be NULL */
    nx_ingest_progress_fn on_progress; /* may be NULL */
    void *ctx;
    size_t batch_articles;      /* articles per transaction; 0: default (10000); a file with
                                   more is committed in parts (of 10 batches
                                   with Xapian), recorded complete at its end */
    int force;                  /* re-read files even when size and mtime match */
    int prune;                  /* at finish, forget files under the folders given
                                   that were not seen (deleted from the archive) */
} nx_ingest_options_t;

/* Starts an indexing run; *out belongs to the caller (nx_ingest_destroy).
 * opts may be NULL. With the Xapian engine, set XAPIAN_FLUSH_THRESHOLD=2000 in
 * the environment before opening the index, as `newsidx index` does: Xapian's
 * default (10000 documents between write-outs) indexes 15-20% slower and takes
 * twice the memory. */
nx_status_t nx_ingest_begin(nx_index_t *index, const nx_ingest_options_t *opts,
                            nx_ingest_t **out);

/* Indexes a file or, recursively, a folder (hidden entries skipped). Files
 * of unknown type are ignored; bad ones are reported and counted. Returns
 * NX_OK unless the index itself failed (then the run must be abandoned). */
nx_status_t nx_ingest_path(nx_ingest_t *ingest, const char *path);

/* Indexes JSON Lines (optionally gzip-compressed) read from an open stream,
 * reported as `name` (e.g. "<stdin>"). */
nx_status_t nx_ingest_stream(nx_ingest_t *ingest, FILE *stream, const char *name);

/* Commits what is pending and fills *counts (may be NULL). First, an
 * article the run removed whose id another indexed file also gives (the
 * later file took it over, then dropped it) is read back from the file that
 * had it last before, reported through on_problem with line 0 and counted
 * as added. When the run changed a Xapian index, each database grown by
 * more than a quarter since it was last compacted is then compacted, as
 * nx_index_optimize does; if that fails, the run still succeeds and
 * nx_index_notice says why. */
nx_status_t nx_ingest_finish(nx_ingest_t *ingest, nx_ingest_counts_t *counts);

/* Frees the run; anything not committed by nx_ingest_finish is rolled back
 * (committed batches stay). NULL is fine. */
void nx_ingest_destroy(nx_ingest_t *ingest);

/* ----------------------------------------------------------------- search */

typedef enum nx_sort {
    NX_SORT_RELEVANCE = 0,  /* BM25, ties by newest date, then id */
    NX_SORT_NEWEST,
    NX_SORT_OLDEST,
} nx_sort_t;

/* Prepares a query; an empty one (only white space) matches every article,
 * newest first, to be narrowed with nx_search_filter. On a syntax error
 * returns NX_ERR_QUERY and
 * nx_index_last_error gives "query:1:COL: message". *out belongs to the caller
 * (nx_search_destroy) and must be destroyed before the index. */
nx_status_t nx_search_new(nx_index_t *index, const char *query, nx_search_t **out);

/* Flags for nx_search_new_ex. */
#define NX_SEARCH_ANY 1u /* ranked OR: words side by side need not all match (the
                            explicit AND, phrases, exclusions and filters still do) */

/* As nx_search_new, with flags (NX_SEARCH_*). */
nx_status_t nx_search_new_ex(nx_index_t *index, const char *query, unsigned flags,
                             nx_search_t **out);
void nx_search_destroy(nx_search_t *search);

/* Adds a filter, as the query's field syntax would: field is "source"
 * (substring, any case), "lang" (name or code), "url" (substring), "since"
 * or "until" (a date or partial date; both days included). NX_ERR_QUERY
 * with a message when the value is not valid. */
nx_status_t nx_search_filter(nx_search_t *search, const char *field, const char *value);

/* The parsed query as an S-expression followed by the engine's expression,
 * for people debugging a query. Borrowed from the search. */
const char *nx_search_explain(nx_search_t *search);

nx_status_t nx_search_set_limit(nx_search_t *search, size_t limit);   /* default 10 */
nx_status_t nx_search_set_offset(nx_search_t *search, size_t offset); /* default 0 */
nx_status_t nx_search_set_sort(nx_search_t *search, nx_sort_t sort);

/* Counts all matching articles (ignores limit and offset). */
nx_status_t nx_search_count(nx_search_t *search, int64_t *out);

/* Runs the search; *out is an iterator the caller owns (nx_results_destroy),
 * to be destroyed before the search. */
nx_status_t nx_search_run(nx_search_t *search, nx_results_t **out);

/* Iterator protocol, as notmuch's: while (valid) { get; move_to_next; } then
 * nx_results_status tells "finished" (NX_OK) from "failed part-way". */
int nx_results_valid(const nx_results_t *results);
/* The current hit, borrowed until nx_results_move_to_next or destroy. */
const nx_article_t *nx_results_get(const nx_results_t *results);
/* The current hit's score (higher is better; 0 when not sorted by relevance). */
double nx_results_score(const nx_results_t *results);
/* 1-based rank of the current hit, counting the offset. */
size_t nx_results_rank(const nx_results_t *results);
/* All matching articles, as nx_search_count gives them: free when the
 * engine counted them while ranking (FTS5, a query of words with no
 * filter), else counted now. Call it after nx_search_run rather than
 * nx_search_count before, to count once. */
nx_status_t nx_results_total(nx_results_t *results, int64_t *out);

/* A highlighted byte span in a snippet's text. */
typedef struct nx_span {
    size_t start, end; /* byte offsets into the snippet text, end exclusive */
} nx_span_t;

/* The current hit's snippet: text (borrowed; UTF-8, fragments joined with
 * " … ") and the spans to highlight (borrowed array of *nspans).
 * NX_ERR_CORRUPT when the hit's stored text is damaged (its body field is
 * then NULL); the other hits are not affected. */
nx_status_t nx_results_snippet(nx_results_t *results, const char **text, const nx_span_t **spans,
                               size_t *nspans);

/* "Did you mean": the query (as given to nx_search_new) with each word the
 * index lacks, or barely has, replaced by a close word common in the index
 * (Baklanof -> Baklanov). *out is malloc'd (the caller frees it), or NULL
 * when there is nothing to suggest. */
nx_status_t nx_search_suggest(nx_search_t *search, const char *query, char **out);

/* Wire copies: at indexing, articles that are near-duplicates of one
 * another (the same story lightly edited, syndicated under other outlets
 * and headlines) are put in one cluster. A search lists each cluster once,
 * at its best-ranked article; collapse = 0 lists every article. */
nx_status_t nx_search_set_collapse(nx_search_t *search, int collapse);

/* Receives one copy: an article borrowed for the call. */
typedef void (*nx_copy_fn)(void *ctx, const nx_article_t *copy);
/* The other articles of the current hit's cluster that match the search
 * (the copies a collapsed list folded into it), oldest first: fn (may be
 * NULL) is called for each and *count says how many there are. */
nx_status_t nx_results_copies(nx_results_t *results, nx_copy_fn fn, void *ctx, int64_t *count);

/* "More like this": a search for the articles most like the article id,
 * from its most significant words (often in it, rare in the archive),
 * ranked by relevance. The article itself is never listed, nor articles
 * that are copies of it (sharing most of its words) unless
 * nx_search_set_copies asks for them. *out belongs to the caller;
 * NX_ERR_NOT_FOUND when there is no such article. */
nx_status_t nx_search_new_similar(nx_index_t *index, const char *id, nx_search_t **out);
/* With include != 0, a similar search also lists copies of the article. */
nx_status_t nx_search_set_copies(nx_search_t *search, int include);

/* Names mentioned with the search: capitalised word sequences of the
 * matching articles (up to 500 read), ranked by how much more common they
 * are with the search than in the whole archive (a significant-terms
 * score), not by raw count. query is the text given to nx_search_new
 * (its own words are not listed). fn gets the name, the matching articles
 * naming it, all articles naming it, and the score; at most limit names
 * (0: all significant ones). Changes the search's limit. */
typedef void (*nx_name_fn)(void *ctx, const char *name, int64_t with, int64_t everywhere,
                           double score);
nx_status_t nx_search_names(nx_search_t *search, const char *query, size_t limit, nx_name_fn fn,
                            void *ctx);

/* Counts the articles the search matches (ignoring limit and offset) per
 * value of field: "source" or "lang" (most frequent first), or "year",
 * "month", "week" (the Monday starting it), "day" (in time order). Calls
 * fn(ctx, value, count) for at most limit values (0: all). */
nx_status_t nx_search_facet(nx_search_t *search, const char *field, size_t limit,
                            nx_count_fn fn, void *ctx);

typedef enum nx_period {
    NX_PERIOD_AUTO = 0, /* chosen from the span: about 10 to 60 periods */
    NX_PERIOD_DAY,
    NX_PERIOD_WEEK,     /* labelled by the Monday starting it */
    NX_PERIOD_MONTH,
    NX_PERIOD_YEAR,
} nx_period_t;

/* The matching articles counted per period, in time order, every period
 * from the first to the last (the date filters' bounds when given) with
 * empty ones as 0: fn(ctx, "2022-12", count). *chosen (may be NULL) is the
 * period used. Undated articles are not counted. NX_ERR_QUERY, before any
 * call of fn, when the span holds more than 100,000 periods. */
nx_status_t nx_search_timeline(nx_search_t *search, nx_period_t by, nx_count_fn fn, void *ctx,
                               nx_period_t *chosen);

/* Flags for nx_search_timeline_ex. */
#define NX_TIMELINE_UNIQUE 1u       /* count stories: a cluster of wire copies counts once
                                     * per period (and per source when split) */
#define NX_TIMELINE_SPLIT_SOURCE 2u /* one series per source */
/* Receives one count of one series ("" when not split), series after series
 * (the biggest first), periods in time order within each. */
typedef void (*nx_series_fn)(void *ctx, const char *series, const char *period, int64_t count);
/* nx_search_timeline with flags (NX_TIMELINE_*): the same periods for every
 * series, empty ones as zero. */
nx_status_t nx_search_timeline_ex(nx_search_t *search, nx_period_t by, unsigned flags,
                                  nx_series_fn fn, void *ctx, nx_period_t *chosen);

/* Every place in text (any UTF-8 string, e.g. a whole article body) that
 * the search's words match, as the snippets would highlight them; lang is
 * the language text is written in (code or name; NULL: the index default).
 * *spans is malloc'd, in text order (NULL when none); the caller frees it
 * with free(). */
nx_status_t nx_search_highlight(nx_search_t *search, const char *text, const char *lang,
                                nx_span_t **spans, size_t *nspans);

void nx_results_move_to_next(nx_results_t *results);
nx_status_t nx_results_status(const nx_results_t *results);
void nx_results_destroy(nx_results_t *results);

#ifdef __cplusplus
}
#endif

#endif
