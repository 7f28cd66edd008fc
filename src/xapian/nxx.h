/* nxx.h - the C interface to libxapian: the only door between newsidx's C
 * code and C++. Handles are opaque; every call that can fail returns 0 on
 * success or -1 with a message in the handle's error buffer (nxx_error), so
 * no C++ exception ever reaches C. Terms, positions and document data are
 * decided by the C side (src/store/xapian_engine.c); this layer only moves
 * them in and out of Xapian. */
#ifndef NX_XAPIAN_NXX_H
#define NX_XAPIAN_NXX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nxx_db nxx_db;       /* one database, or several searched as one */
typedef struct nxx_doc nxx_doc;     /* a document being built */
typedef struct nxx_query nxx_query; /* a query tree node */
typedef struct nxx_hits nxx_hits;   /* the result of a search */

/* Opens databases: local directories or "tcp://HOST:PORT" remotes served by
 * xapian-tcpsrv. Writing needs exactly one local path; create makes it if
 * missing. On failure returns -1, *out is NULL and err holds the reason
 * naming the database. */
int nxx_open(const char *const *paths, size_t n, int writable, int create, nxx_db **out,
             char *err, size_t errlen);
void nxx_close(nxx_db *db);
/* The message of the last failure on db. */
const char *nxx_error(const nxx_db *db);

/* Checks the database at path (a local folder) for damage with Xapian's own
 * checker; returns 0 when sound, else -1 with the reason in err. */
int nxx_check(const char *path, char *err, size_t errlen);

/* Writes a compact copy of the writable database db (its last commit, same
 * document numbers, B-tree blocks full) to the new folder dest. Returns 0,
 * or -1 with the reason in nxx_error(db). */
int nxx_compact(nxx_db *db, const char *dest);

/* Metadata (writable only for set). *value is malloc'd, "" when unset. */
int nxx_get_metadata(nxx_db *db, const char *key, char **value);
int nxx_set_metadata(nxx_db *db, const char *key, const char *value);
/* Calls fn with key's value in each database that db combines (the one
 * database when writable), skipping those where it is unset: a combined
 * database's own nxx_get_metadata reads its first one only. */
int nxx_get_metadata_each(nxx_db *db, const char *key, void (*fn)(void *, const char *, size_t),
                          void *ctx);

/* A transaction; commit outside one makes pending changes durable. */
int nxx_begin(nxx_db *db);
int nxx_commit(nxx_db *db);
int nxx_cancel(nxx_db *db);

nxx_doc *nxx_doc_new(void);
void nxx_doc_free(nxx_doc *d);
/* wdf: what the occurrence adds to the term's within-document frequency
 * (BM25's term frequency), 1 normally; pos 0: no position is kept. */
int nxx_doc_add_posting(nxx_doc *d, const char *term, size_t len, unsigned pos, unsigned wdf);
int nxx_doc_add_boolean(nxx_doc *d, const char *term, size_t len);
int nxx_doc_set_value(nxx_doc *d, unsigned slot, const char *value, size_t len);
int nxx_doc_set_data(nxx_doc *d, const char *data, size_t len);

/* Adds or replaces the document holding unique term idterm; *docid is its id. */
int nxx_replace(nxx_db *db, const char *idterm, nxx_doc *d, uint64_t *docid);
/* Finds the document holding idterm: *docid 0 when none; else *data is its
 * data, malloc'd (*len bytes). */
int nxx_lookup(nxx_db *db, const char *idterm, uint64_t *docid, char **data, size_t *len);
/* Finds the document holding idterm like nxx_lookup, but reads only its
 * value in slot: *value malloc'd (*len bytes, NULL when the slot is empty).
 * Much cheaper than the data, which holds the whole text. */
int nxx_lookup_value(nxx_db *db, const char *idterm, unsigned slot, uint64_t *docid,
                     char **value, size_t *len);
int nxx_delete(nxx_db *db, uint64_t docid);
/* The data of document docid, malloc'd (*len bytes); NULL when there is no
 * such document. */
int nxx_get_data(nxx_db *db, uint64_t docid, char **data, size_t *len);
/* Calls fn(ctx, docid, value, len) for every document with a value in
 * slot; fn returning nonzero stops (and the call fails). */
int nxx_values(nxx_db *db, unsigned slot,
               int (*fn)(void *, uint64_t, const char *, size_t), void *ctx);
/* Ids of the documents holding term; *ids malloc'd, ascending. */
int nxx_postings(nxx_db *db, const char *term, uint64_t **ids, size_t *n);

/* Figures. */
int nxx_doccount(nxx_db *db, uint64_t *n);
/* Calls fn for each term starting with prefix (prefix stripped) and the
 * number of documents holding it. */
int nxx_terms(nxx_db *db, const char *prefix, void (*fn)(void *, const char *, size_t, uint64_t),
              void *ctx);
/* Lowest and highest value in a slot (empty strings when none), malloc'd. */
int nxx_value_bounds(nxx_db *db, unsigned slot, char **lo, char **hi);
/* Calls fn with each metadata key starting with prefix (prefix stripped). */
int nxx_metadata_keys(nxx_db *db, const char *prefix,
                      void (*fn)(void *, const char *, size_t, uint64_t), void *ctx);
/* Number of metadata keys starting with prefix. */
int nxx_metadata_count(nxx_db *db, const char *prefix, uint64_t *n);
/* Sum, over every document, of the bytes of fields first to first + n - 1
 * of its data, read as fields ended by NUL bytes (the NULs not counted). */
int nxx_data_bytes(nxx_db *db, unsigned first, unsigned n, uint64_t *bytes);

/* Query building. Constructors return NULL only when out of memory; every
 * query passed to a combinator is consumed by it. */
enum { NXX_AND, NXX_OR, NXX_AND_NOT, NXX_PHRASE, NXX_NEAR, NXX_FILTER, NXX_SYNONYM };
nxx_query *nxx_q_term(const char *term, size_t len);
/* OR of every term of db starting with prefix, at most max of them (more is
 * an error on db). */
nxx_query *nxx_q_expand(nxx_db *db, const char *prefix, size_t len, size_t max);
nxx_query *nxx_q_all(void);                 /* every document */
nxx_query *nxx_q_none(void);                /* no document */
nxx_query *nxx_q_value_ge(unsigned slot, const char *value);
nxx_query *nxx_q_combine(int op, nxx_query **subs, size_t n, unsigned window);
nxx_query *nxx_q_scale(nxx_query *q, double factor);
void nxx_q_free(nxx_query *q);
/* A readable form of the query, malloc'd. */
char *nxx_q_describe(const nxx_query *q);

enum { NXX_SORT_RELEVANCE, NXX_SORT_VALUE_DESC, NXX_SORT_VALUE_ASC };

/* Runs q (not consumed). Sorting by relevance breaks ties by value slot
 * `slot` descending (newest first), then by docid; value sorts use `slot`.
 * Each hit keeps its value in slot capture (nxx_hits_value; -1: none). */
int nxx_search(nxx_db *db, const nxx_query *q, int sort, unsigned slot, uint64_t offset,
               uint64_t limit, int capture, nxx_hits **out);
/* Calls fn with each distinct tuple of the values in slots (joined by
 * tabs) among the documents matching q, and how many have it. */
int nxx_value_tuples(nxx_db *db, const nxx_query *q, const unsigned *slots, size_t nslots,
                     void (*fn)(void *, const char *, size_t, uint64_t), void *ctx);
/* Calls fn with each distinct value of slot among the documents matching
 * q, and how many of them have it (a ValueCountMatchSpy; works remotely). */
int nxx_value_counts(nxx_db *db, const nxx_query *q, unsigned slot,
                     void (*fn)(void *, const char *, size_t, uint64_t), void *ctx);

/* The exact number of documents matching q. */
int nxx_count(nxx_db *db, const nxx_query *q, uint64_t *n);
size_t nxx_hits_size(const nxx_hits *h);
/* Data (borrowed until nxx_hits_free) and score of hit i. */
const char *nxx_hits_data(const nxx_hits *h, size_t i, size_t *len);
const char *nxx_hits_value(const nxx_hits *h, size_t i, size_t *len);
double nxx_hits_score(const nxx_hits *h, size_t i);
void nxx_hits_free(nxx_hits *h);

/* The module's one export. The C++ half is built as its own shared object
 * (newsidx-xapian.so) that the library loads when a Xapian index is first
 * opened (src/store/xapian_module.c): libxapian and libstdc++ cost every
 * process about 3 ms to load, and most processes never touch Xapian. The
 * library calls the functions above through this table; NXX_API_VERSION
 * changes whenever a function is added, removed or changes type, so that a
 * module from another build is refused rather than misused. */
#define NXX_API_VERSION 5
#define NXX_API_FUNCTIONS(X)                                                                  \
    X(open) X(close) X(error) X(check) X(compact) X(get_metadata) X(set_metadata) X(begin)   \
    X(get_metadata_each)                                                                      \
    X(commit) X(cancel) X(doc_new) X(doc_free) X(doc_add_posting) X(doc_add_boolean)         \
    X(doc_set_value) X(doc_set_data) X(replace) X(lookup) X(lookup_value) X(delete)          \
    X(get_data) X(values) X(postings) X(doccount) X(terms) X(value_bounds) X(metadata_keys)  \
    X(metadata_count) X(data_bytes)                                                          \
    X(q_term) X(q_expand) X(q_all) X(q_none) X(q_value_ge) X(q_combine)                     \
    X(q_scale) X(q_free) X(q_describe) X(search) X(value_tuples) X(value_counts) X(count)    \
    X(hits_size) X(hits_data) X(hits_value) X(hits_score) X(hits_free)
#define NXX_API_FIELD(f) __typeof__(nxx_##f) *nxx_##f;
typedef struct nxx_api {
    int version; /* NXX_API_VERSION of the module's build */
    NXX_API_FUNCTIONS(NXX_API_FIELD)
} nxx_api;
#undef NXX_API_FIELD
const nxx_api *nxx_api_get(void);

#ifdef __cplusplus
}
#endif

#endif
