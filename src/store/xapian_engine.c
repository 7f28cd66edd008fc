/* xapian_engine.c - the Xapian engine: articles as Xapian documents with
 * newsidx's own terms, query trees compiled to Xapian queries, and indexes
 * split into shards or served remotely by xapian-tcpsrv.
 *
 * The conventions (term prefixes, value slots, document data, metadata) are
 * written down in index-schema/xapian-v3.md; the short version:
 *   body words as the analyzer gives them, stems "Z"+stem without
 *   positions; title words "S"+word, stems "ZS"+stem; metadata "T"+stem
 *   term lists the words that share it, for phrases (xapian_stems.c);
 *   "Q"+id unique id; "XO"+hash of the origin file;
 *   "L"+language; "XS"/"XU" source and URL words; "XK"+source; value 0
 *   the ISO date, 1 and 2 sort keys (newest / oldest first, then id).
 * All Xapian calls go through src/xapian/nxx.h, the C++ wrapper. */
#define _GNU_SOURCE /* renameat2 (Linux 3.15, glibc 2.28): swapping folders in one step */
#include "ranking.h"
#include "store.h"

#include "../analyze/analyzer.h"
#include "../analyze/pretok.h"
#include "../query/strbuf.h"
#include "xapian_module.h"
#include "xapian_stems.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SHARDS_FILE "newsidx-shards"
#define MAX_TERM 240
#define TITLE_SCALE 3.0 /* as FTS5's title weight (fts5_search.c) */

enum {
    SLOT_DATE = 0,
    SLOT_NEWEST = 1,
    SLOT_OLDEST = 2,
    SLOT_SOURCE = 3,
    SLOT_LANG = 4,
    SLOT_CLUSTER = 5, /* near-duplicate cluster label, 16 hex digits: the collapse key */
    SLOT_MINHASH = 6, /* the same label, then the packed signature */
    SLOT_STATE = 7    /* content hash, origin hash, language: see stored_state */
};
enum { D_ID, D_TITLE, D_BODY, D_DATE, D_SOURCE, D_URL, D_LANG, D_ORIGIN, D_HASH, D_COUNT };

typedef struct xap_index {
    nxx_db *read;    /* every database as one, when opened for reading */
    nxx_db **shards; /* writable shards, when opened for writing */
    size_t nshards;
    int lost; /* a shard could not be opened again after compacting it */
} xap_index;

typedef struct xap_writer {
    nx_index_t *ix;
    xap_index *x;
    nx_analyzer *an;
    nx_stempairs **stems; /* per shard: pairs for its stem lists */
    int in_tx;
    uint64_t checked; /* origin hash of the file whose existence was last checked */
    int exists;       /* ... and whether it exists (pass_holder) */
} xap_writer;

static xap_index *X(const nx_index_t *ix)
{
    return ix->impl;
}

/* The status a message of the wrapper stands for; otherwise is what any
 * other failure of the caller's operation means. */
static nx_status_t status_of(const char *msg, nx_status_t otherwise)
{
    if (strstr(msg, "Permission denied"))
        return NX_ERR_READ_ONLY; /* files it may read but not write (or lock) */
    if (strstr(msg, "DatabaseLockError"))
        return NX_ERR_BUSY;
    if (strstr(msg, "NetworkError") || strstr(msg, "NetworkTimeoutError"))
        return NX_ERR_IO;
    if (strstr(msg, "DatabaseCorruptError"))
        return NX_ERR_CORRUPT;
    if (strstr(msg, "out of memory"))
        return NX_ERR_NOMEM;
    return otherwise;
}

static nx_status_t xfail(nx_index_t *ix, nxx_db *db, const char *doing)
{
    const char *msg = NXX(error)(db);
    /* The wrapper names what it was doing too: "searching: searching: ..." */
    size_t dl = strlen(doing);
    if (strncmp(msg, doing, dl) == 0 && strncmp(msg + dl, ": ", 2) == 0)
        msg += dl + 2;
    nx_status_t s = status_of(msg, NX_ERR_ENGINE);
    return nx_fail(ix, s, "%s: %s: %s%s", ix->path, doing, msg,
                   s == NX_ERR_BUSY ? " (another newsidx is writing to this index)" : "");
}

/* ------------------------------------------------------------ layout */

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Number of shards of the index folder dir: 0 when it is a plain Xapian
 * database, -1 when it is neither. */
static long shard_count(const char *dir)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, SHARDS_FILE);
    FILE *f = fopen(p, "r");
    if (f) {
        long n = 0;
        if (fscanf(f, "%ld", &n) != 1 || n < 1 || n > NX_MAX_SHARDS)
            n = -1;
        fclose(f);
        return n;
    }
    snprintf(p, sizeof p, "%s/iamglass", dir);
    return access(p, F_OK) == 0 ? 0 : -1;
}

static void shard_path(char *out, size_t len, const char *dir, size_t i)
{
    snprintf(out, len, "%s/shard%zu", dir, i);
}

/* Reads and checks the versions and language (in every shard's metadata). */
static nx_status_t check_meta(nx_index_t *ix, nxx_db *db)
{
    char *schema = NULL, *analyzer = NULL, *lang = NULL, *engine = NULL;
    if (NXX(get_metadata)(db, "schema_version", &schema) || NXX(get_metadata)(db, "analyzer_version",
                                                                              &analyzer) ||
        NXX(get_metadata)(db, "language", &lang) || NXX(get_metadata)(db, "engine", &engine)) {
        free(schema);
        free(analyzer);
        free(lang);
        free(engine);
        return xfail(ix, db, "reading the index metadata");
    }
    nx_status_t s = NX_OK;
    if (strcmp(engine, "xapian") != 0)
        s = nx_fail(ix, NX_ERR_NOT_AN_INDEX, "%s is a Xapian database but not a newsidx index",
                    ix->path);
    else if (atoi(schema) != NX_SCHEMA_VERSION)
        s = nx_fail(ix, NX_ERR_VERSION,
                    "%s: index schema version %s, but this newsidx reads version %d; index the "
                    "archive again into a new index",
                    ix->path, schema, NX_SCHEMA_VERSION);
    else if (atoi(analyzer) != NX_ANALYZER_VERSION)
        s = nx_fail(ix, NX_ERR_VERSION,
                    "%s: index made with analyzer version %s, but this newsidx uses version %d; "
                    "index the archive again into a new index",
                    ix->path, analyzer, NX_ANALYZER_VERSION);
    else if (!nx_stemmer_canonical(lang))
        s = nx_fail(ix, NX_ERR_CORRUPT, "%s: index names an unknown language '%s'", ix->path,
                    lang);
    else
        snprintf(ix->lang, sizeof ix->lang, "%s", nx_stemmer_canonical(lang));
    free(schema);
    free(analyzer);
    free(lang);
    free(engine);
    return s;
}

static nx_status_t write_meta(nx_index_t *ix, nxx_db *db, const char *lang)
{
    char v[16];
    snprintf(v, sizeof v, "%d", NX_SCHEMA_VERSION);
    int rc = NXX(set_metadata)(db, "schema_version", v);
    snprintf(v, sizeof v, "%d", NX_ANALYZER_VERSION);
    if (!rc)
        rc = NXX(set_metadata)(db, "analyzer_version", v);
    if (!rc)
        rc = NXX(set_metadata)(db, "language", lang);
    if (!rc)
        rc = NXX(set_metadata)(db, "engine", "xapian");
    if (!rc)
        rc = NXX(commit)(db);
    return rc ? xfail(ix, db, "creating the index") : NX_OK;
}

/* How long a writer waits for another's write lock, as the FTS5 engine's
 * busy timeout does: a second indexer then runs after the first instead of
 * failing at once. */
#define LOCK_WAIT_MS 30000
#define LOCK_POLL_MS 50

static void nap(void)
{
    struct timespec t = {0, LOCK_POLL_MS * 1000000L};
    nanosleep(&t, NULL);
}

/* Opens one database for writing, waiting out another writer's lock. */
static int open_one_writable(const char *p, int creating, nxx_db **out, char *err, size_t errlen)
{
    for (int waited = 0;; waited += LOCK_POLL_MS) {
        int rc = NXX(open)(&p, 1, 1, creating, out, err, errlen);
        if (rc == 0 || status_of(err, NX_ERR_IO) != NX_ERR_BUSY || waited >= LOCK_WAIT_MS)
            return rc;
        nap();
    }
}

static nx_status_t open_writable(nx_index_t *ix, xap_index *x, const char *dir,
                                 nx_open_mode_t mode, const nx_open_options_t *opts)
{
    char err[1024];
    long n = is_dir(dir) ? shard_count(dir) : -2;
    /* Another process creating the index this moment: Xapian's lock file
     * is there before the database's. Wait for it to be one, as for a lock
     * (a folder that is no index at all has no lock file and fails now). */
    char lockfile[PATH_MAX];
    snprintf(lockfile, sizeof lockfile, "%s/flintlock", dir);
    for (int waited = 0; n == -1 && waited < LOCK_WAIT_MS && access(lockfile, F_OK) == 0;
         waited += LOCK_POLL_MS) {
        nap();
        n = shard_count(dir);
    }
    int creating = n == -2 || (n == -1 && mode == NX_OPEN_CREATE && rmdir(dir) == 0);
    if (n == -1 && !creating)
        return nx_fail(ix, NX_ERR_NOT_AN_INDEX, "%s is a folder but not a newsidx index", dir);
    const char *lang = NULL;
    if (creating) {
        if (mode != NX_OPEN_CREATE)
            return nx_fail(ix, NX_ERR_NO_INDEX, "no index at %s", dir);
        lang = nx_stemmer_canonical(opts && opts->language ? opts->language : "english");
        if (!lang)
            return nx_fail(ix, NX_ERR_LANGUAGE,
                           "no Snowball stemmer for language '%s' (try a name such as english, "
                           "french, russian, or a code such as en, fr, ru)",
                           opts->language);
        n = opts && opts->shards > 1 ? (long)opts->shards : 0;
        if (n > 0) {
            if (mkdir(dir, 0777) != 0 && errno != EEXIST)
                return nx_fail(ix, NX_ERR_IO, "cannot create %s: %s", dir, strerror(errno));
        }
    }
    x->nshards = n > 0 ? (size_t)n : 1;
    x->shards = calloc(x->nshards, sizeof *x->shards);
    if (!x->shards)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < x->nshards; i++) {
        char p[PATH_MAX];
        if (n > 0)
            shard_path(p, sizeof p, dir, i);
        else
            snprintf(p, sizeof p, "%s", dir);
        if (open_one_writable(p, creating, &x->shards[i], err, sizeof err))
            return nx_fail(ix, status_of(err, NX_ERR_IO), "cannot open index %s: %s", p, err);
        nx_status_t s = creating ? write_meta(ix, x->shards[i], lang) : NX_OK;
        if (s == NX_OK)
            s = check_meta(ix, x->shards[i]);
        if (s != NX_OK)
            return s;
    }
    if (creating && n > 0) {
        /* Written last: a folder without it is not yet a sharded index. */
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/%s", dir, SHARDS_FILE);
        FILE *f = fopen(p, "w");
        if (!f || fprintf(f, "%ld\n", n) < 0 || fclose(f) != 0)
            return nx_fail(ix, NX_ERR_IO, "cannot write %s: %s", p, strerror(errno));
    }
    return NX_OK;
}

/* Adds "skipped WHAT" to the index's notice (databases left out of a
 * search with allow_partial). */
static void note_skipped(nx_index_t *ix, const char *what)
{
    size_t used = strlen(ix->notice);
    snprintf(ix->notice + used, sizeof ix->notice - used, "%sskipped %s", used ? "; " : "",
             what);
}

/* Expands each path (a folder that may hold shards, or tcp://) into the
 * list of databases to open. With partial, a local path that is no index
 * is left out with a notice, as an unreachable server is. */
static nx_status_t expand_paths(nx_index_t *ix, const char *const *paths, size_t n, int partial,
                                char ***out, size_t *nout)
{
    char **list = NULL;
    size_t cnt = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        long k = 0;
        if (strncmp(paths[i], "tcp://", 6) != 0) {
            /* What is wrong with a local path, if anything: left out with a
             * notice under partial, else the open fails with the same words. */
            nx_status_t bad = NX_OK;
            const char *why = NULL;
            if (!is_dir(paths[i])) {
                int exists = access(paths[i], F_OK) == 0;
                bad = exists ? NX_ERR_NOT_AN_INDEX : NX_ERR_NO_INDEX;
                why = exists ? "a file (an FTS5 index cannot be searched together with other "
                               "databases)"
                             : "no index there";
            } else if ((k = shard_count(paths[i])) < 0) {
                bad = NX_ERR_NOT_AN_INDEX;
                why = "a folder but not a newsidx index";
            }
            if (bad != NX_OK && partial) {
                char note[PATH_MAX + 128];
                snprintf(note, sizeof note, "%s: %s", paths[i], why);
                note_skipped(ix, note);
                continue;
            }
            if (bad != NX_OK) {
                for (size_t j = 0; j < cnt; j++)
                    free(list[j]);
                free(list);
                return nx_fail(ix, bad, "%s: %s", paths[i], why);
            }
        }
        for (long s = 0; s < (k > 0 ? k : 1); s++) {
            if (cnt == cap) {
                cap = cap ? cap * 2 : 8;
                char **p = realloc(list, cap * sizeof *p);
                if (!p)
                    goto oom;
                list = p;
            }
            char buf[PATH_MAX];
            if (k > 0)
                shard_path(buf, sizeof buf, paths[i], (size_t)s);
            else
                snprintf(buf, sizeof buf, "%s", paths[i]);
            if (!(list[cnt] = strdup(buf)))
                goto oom;
            cnt++;
        }
    }
    *out = list;
    *nout = cnt;
    return NX_OK;
oom:
    for (size_t j = 0; j < cnt; j++)
        free(list[j]);
    free(list);
    return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
}

static nx_status_t open_readable(nx_index_t *ix, xap_index *x, const char *const *paths, size_t n,
                                 const nx_open_options_t *opts)
{
    char **list = NULL;
    size_t cnt = 0;
    /* With allow_partial, open what can be opened and say what was not. */
    int partial = n > 1 && opts && opts->allow_partial;
    nx_status_t s = expand_paths(ix, paths, n, partial, &list, &cnt);
    if (s != NX_OK)
        return s;
    char err[1024];
    const char **ok = calloc(cnt + 1, sizeof *ok);
    size_t nok = 0;
    if (!ok)
        s = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    for (size_t i = 0; s == NX_OK && i < cnt; i++) {
        nxx_db *probe;
        const char *one = list[i];
        if (partial) {
            if (NXX(open)(&one, 1, 0, 0, &probe, err, sizeof err) != 0) {
                note_skipped(ix, err);
                continue;
            }
            NXX(close)(probe);
        }
        ok[nok++] = list[i];
    }
    if (s == NX_OK && nok == 0)
        s = nx_fail(ix, NX_ERR_IO, "no database could be opened: %s", ix->notice);
    if (s == NX_OK && NXX(open)(ok, nok, 0, 0, &x->read, err, sizeof err) != 0)
        s = nx_fail(ix, strstr(err, "Network") ? NX_ERR_IO : NX_ERR_NOT_AN_INDEX,
                    "cannot open %s (use --allow-partial to search the others)", err);
    if (s == NX_OK)
        s = check_meta(ix, x->read);
    for (size_t i = 0; i < cnt; i++)
        free(list[i]);
    free(list);
    free(ok);
    return s;
}

static void xap_close(nx_index_t *ix)
{
    xap_index *x = X(ix);
    if (!x)
        return;
    if (!nx_xapian_api()) { /* the module never loaded: nothing was opened */
        free(x);
        ix->impl = NULL;
        return;
    }
    NXX(close)(x->read);
    for (size_t i = 0; i < x->nshards; i++)
        NXX(close)(x->shards[i]);
    free(x->shards);
    free(x);
    ix->impl = NULL;
}

static nx_status_t xap_open(nx_index_t *ix, const char *const *paths, size_t n,
                            nx_open_mode_t mode, const nx_open_options_t *opts)
{
    const char *why = NULL;
    if (!nx_xapian_load(&why))
        return nx_fail(ix, NX_ERR_ENGINE, "%s: %s", paths[0], why);
    xap_index *x = calloc(1, sizeof *x);
    if (!x)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    ix->impl = x;
    if (mode == NX_OPEN_READ_ONLY)
        return open_readable(ix, x, paths, n, opts);
    if (n != 1 || strncmp(paths[0], "tcp://", 6) == 0)
        return nx_fail(ix, NX_ERR_INVALID_ARG,
                       "%s: only a local index folder can be written; remote databases are "
                       "written where they live",
                       paths[0]);
    return open_writable(ix, x, paths[0], mode, opts);
}

/* The database to read from: the combined one, or the only shard. */
static nxx_db *reader(nx_index_t *ix)
{
    xap_index *x = X(ix);
    return x->read ? x->read : x->nshards == 1 ? x->shards[0] : NULL;
}

/* ------------------------------------------------------------ documents */

static void id_term(char *out, size_t len, const char *id)
{
    if (strlen(id) <= 200)
        snprintf(out, len, "Q%s", id);
    else
        snprintf(out, len, "Q#%016llx", (unsigned long long)nx_hash64(id, strlen(id)));
}

/* The hash that names a file in terms, metadata and slot 7: of its path. */
static uint64_t origin_of(const char *path)
{
    return nx_hash64(path, strlen(path));
}

static void origin_term(char *out, size_t len, const char *path)
{
    snprintf(out, len, "XO%016llx", (unsigned long long)origin_of(path));
}

/* Document data: the fields in D_* order, each followed by a NUL. */
static char *encode_data(const nx_article_t *a, const char *hash, size_t *len)
{
    const char *v[D_COUNT] = {a->f[NX_FIELD_ID],  a->f[NX_FIELD_TITLE],  a->f[NX_FIELD_BODY],
                              a->f[NX_FIELD_DATE], a->f[NX_FIELD_SOURCE], a->f[NX_FIELD_URL],
                              a->f[NX_FIELD_LANG], a->f[NX_FIELD_ORIGIN], hash};
    size_t n = 0;
    for (int i = 0; i < D_COUNT; i++)
        n += (v[i] ? strlen(v[i]) : 0) + 1;
    char *d = malloc(n);
    if (!d)
        return NULL;
    size_t o = 0;
    for (int i = 0; i < D_COUNT; i++) {
        size_t k = v[i] ? strlen(v[i]) : 0;
        memcpy(d + o, v[i] ? v[i] : "", k);
        o += k;
        d[o++] = '\0';
    }
    *len = n;
    return d;
}

/* Splits data into fields; a field that was NULL comes back as "". */
static int decode_data(char *d, size_t len, const char *f[D_COUNT])
{
    size_t o = 0;
    for (int i = 0; i < D_COUNT; i++) {
        if (o >= len)
            return -1;
        f[i] = d + o;
        const char *nul = memchr(d + o, '\0', len - o);
        if (!nul)
            return -1;
        o = (size_t)(nul - d) + 1;
    }
    return 0;
}

/* The lead of a body (ranking.h): an occurrence among its first
 * NX_LEAD_WORDS words has wdf NX_LEAD_WEIGHT, so that BM25 counts it as
 * the FTS5 engine's ranking does. */

typedef struct doc_build {
    nxx_doc *doc;
    const char *prefix, *stem_prefix;
    unsigned pos;
    int failed;
    unsigned lead;       /* positions 1..lead count NX_LEAD_WEIGHT times */
    nx_stempairs *pairs; /* where (stem term, word) pairs go */
    const char *word;    /* the last word term, which a stem term follows */
    size_t wlen;
} doc_build;

static int add_term_wdf(nxx_doc *doc, const char *prefix, const char *t, size_t n, unsigned pos,
                        unsigned wdf)
{
    char buf[MAX_TERM + 8];
    size_t p = strlen(prefix);
    if (p + n > MAX_TERM)
        return 0; /* Xapian's term length limit: such words are not searchable */
    memcpy(buf, prefix, p);
    memcpy(buf + p, t, n);
    return pos || wdf ? NXX(doc_add_posting)(doc, buf, p + n, pos, wdf)
                      : NXX(doc_add_boolean)(doc, buf, p + n);
}

/* A term at pos, or a boolean term when pos is 0. */
static int add_term(nxx_doc *doc, const char *prefix, const char *t, size_t n, unsigned pos)
{
    return add_term_wdf(doc, prefix, t, n, pos, pos ? 1 : 0);
}

static int on_doc_term(void *ctx, int kind, const char *term, size_t len, size_t start, size_t end,
                       int colocated)
{
    (void)start;
    (void)end;
    doc_build *b = ctx;
    if (!colocated)
        b->pos++;
    unsigned wdf = b->pos <= b->lead ? NX_LEAD_WEIGHT : 1;
    int rc;
    if (kind == NX_TERM_STEM) {
        /* Weighted as the word, without positions (a phrase asks for the
         * words its stem lists): they were a seventh of the index. */
        rc = add_term_wdf(b->doc, b->stem_prefix, term + 1, len - 1, 0, wdf);
        if (b->pairs && b->word)
            nx_stempairs_note(b->pairs, term, len, b->word, b->wlen);
    } else {
        rc = add_term_wdf(b->doc, b->prefix, term, len, b->pos, wdf);
        b->word = term;
        b->wlen = len;
    }
    if (rc)
        b->failed = 1;
    return rc;
}

typedef struct word_terms {
    nxx_doc *doc;
    const char *prefix;
    unsigned pos;
    int failed;
    char *buf;
    size_t cap;
} word_terms;

/* Folded words of a metadata field (source, URL) as positional terms, so
 * that source:"baltic monitor" is a phrase query. */
static int on_meta_word(void *ctx, const nx_word *w)
{
    word_terms *wt = ctx;
    long n = nx_fold(w->raw, w->raw_len, 1, &wt->buf, &wt->cap);
    if (n < 0 || add_term(wt->doc, wt->prefix, wt->buf, (size_t)n, ++wt->pos)) {
        wt->failed = 1;
        return 1;
    }
    return 0;
}

static int add_meta_words(nxx_doc *doc, const char *prefix, const char *text)
{
    if (!text)
        return 0;
    word_terms wt = {doc, prefix, 0, 0, NULL, 0};
    nx_segment(text, strlen(text), on_meta_word, &wt);
    free(wt.buf);
    return wt.failed ? -1 : 0;
}

/* Sort key for newest-first: the date with every digit inverted, so that
 * ascending order is newest first; undated sorts last. Then the id. */
static void sort_keys(const char *date, const char *id, char *newest, char *oldest, size_t len)
{
    char inv[32];
    const char *d = date && *date ? date : "0000-00-00T00:00:00Z";
    size_t i = 0;
    for (; d[i] && i < sizeof inv - 1; i++)
        inv[i] = d[i] >= '0' && d[i] <= '9' ? (char)('9' - (d[i] - '0')) : d[i];
    inv[i] = '\0';
    snprintf(newest, len, "%s%c%s", inv, 1, id);
    snprintf(oldest, len, "%s%c%s", date && *date ? date : "~", 1, id);
}

/* The document's text terms: replayed from the indexer's worker when it
 * analyzed the article ahead (the same analysis, in the article's
 * language), which takes it off this thread. */
static int text_terms(xap_writer *w, const nx_article_t *a, const nx_pretok *given,
                      const char *text, doc_build *b)
{
    if (given)
        return nx_pretok_replay(given, 0, on_doc_term, b);
    const nx_lang *dl = nx_lang_find(a->f[NX_FIELD_LANG]);
    nx_analyzer_use(w->an, &dl, dl ? 1 : 0);
    return nx_analyze(w->an, text, strlen(text), NX_ANALYZE_DOCUMENT, on_doc_term, b);
}

static nxx_doc *build_doc(xap_writer *w, const nx_article_t *a, const char *hash,
                          const nx_dup_facts *dup, const nx_prepared *prep, size_t shard)
{
    nxx_doc *doc = NXX(doc_new)();
    if (!doc)
        return NULL;
    int rc = 0;
    const char *title = a->f[NX_FIELD_TITLE] ? a->f[NX_FIELD_TITLE] : "";
    const char *body = a->f[NX_FIELD_BODY] ? a->f[NX_FIELD_BODY] : "";
    nx_stempairs *pairs = w->stems[shard];
    doc_build tb = {doc, "S", "ZS", 0, 0, 0, pairs, NULL, 0};
    rc |= text_terms(w, a, prep ? prep->title : NULL, title, &tb);
    doc_build bb = {doc, "", "Z", 0, 0, NX_LEAD_WORDS, pairs, NULL, 0};
    rc |= text_terms(w, a, prep ? prep->body : NULL, body, &bb);
    char term[MAX_TERM + 8];
    id_term(term, sizeof term, a->f[NX_FIELD_ID]);
    rc |= NXX(doc_add_boolean)(doc, term, strlen(term));
    if (a->f[NX_FIELD_ORIGIN]) {
        origin_term(term, sizeof term, a->f[NX_FIELD_ORIGIN]);
        rc |= NXX(doc_add_boolean)(doc, term, strlen(term));
    }
    const char *lang = a->f[NX_FIELD_LANG] ? a->f[NX_FIELD_LANG] : w->ix->lang;
    rc |= add_term(doc, "L", lang, strlen(lang), 0);
    if (a->f[NX_FIELD_SOURCE] && *a->f[NX_FIELD_SOURCE]) {
        size_t n = strlen(a->f[NX_FIELD_SOURCE]);
        rc |= add_term(doc, "XK", a->f[NX_FIELD_SOURCE], n > 200 ? 200 : n, 0);
    }
    rc |= add_meta_words(doc, "XS", a->f[NX_FIELD_SOURCE]);
    rc |= add_meta_words(doc, "XU", a->f[NX_FIELD_URL]);
    const char *date = a->f[NX_FIELD_DATE];
    if (date && *date) {
        rc |= NXX(doc_set_value)(doc, SLOT_DATE, date, strlen(date));
        rc |= add_term(doc, "Y", date, 4, 0);
    }
    char newest[600], oldest[600];
    sort_keys(date, a->f[NX_FIELD_ID], newest, oldest, sizeof newest);
    rc |= NXX(doc_set_value)(doc, SLOT_NEWEST, newest, strlen(newest));
    rc |= NXX(doc_set_value)(doc, SLOT_OLDEST, oldest, strlen(oldest));
    if (a->f[NX_FIELD_SOURCE] && *a->f[NX_FIELD_SOURCE])
        rc |= NXX(doc_set_value)(doc, SLOT_SOURCE, a->f[NX_FIELD_SOURCE],
                                strlen(a->f[NX_FIELD_SOURCE]));
    rc |= NXX(doc_set_value)(doc, SLOT_LANG, lang, strlen(lang));
    {
        /* Every article is in a cluster, alone when it was not
         * fingerprinted: labelled by its own id's hash then. */
        const char *id = a->f[NX_FIELD_ID];
        int64_t label = dup ? dup->assigned : (int64_t)(nx_hash64(id, strlen(id)) >> 1);
        char v[16 + 256];
        snprintf(v, sizeof v, "%016llx", (unsigned long long)label);
        rc |= NXX(doc_set_value)(doc, SLOT_CLUSTER, v, 16);
        /* And as a term: a hit's copies are then a posting list, where a
         * range on slot 5 read the value of every match of the query (10
         * hits of a common query at 100 MB: 40 ms). */
        rc |= add_term(doc, "XC", v, 16, 0);
        if (dup && dup->sig && dup->sig_len <= 256) {
            memcpy(v + 16, dup->sig, dup->sig_len);
            rc |= NXX(doc_set_value)(doc, SLOT_MINHASH, v, 16 + dup->sig_len);
        }
    }
    {
        const char *o = a->f[NX_FIELD_ORIGIN] ? a->f[NX_FIELD_ORIGIN] : "";
        const char *l = a->f[NX_FIELD_LANG] ? a->f[NX_FIELD_LANG] : "";
        char v[16 + 16 + 64];
        int n = snprintf(v, sizeof v, "%.16s%016llx%.63s", hash,
                         (unsigned long long)origin_of(o), l);
        rc |= NXX(doc_set_value)(doc, SLOT_STATE, v, (size_t)n);
    }
    size_t dlen;
    char *data = encode_data(a, hash, &dlen);
    rc |= !data || NXX(doc_set_data)(doc, data, dlen);
    free(data);
    if (rc || tb.failed || bb.failed) {
        NXX(doc_free)(doc);
        return NULL;
    }
    return doc;
}

/* ------------------------------------------------------------ writing */

static void xap_writer_free(void *wp);

static nx_status_t xap_writer_new(nx_index_t *ix, void **out)
{
    *out = NULL;
    xap_writer *w = calloc(1, sizeof *w);
    if (!w)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    w->ix = ix;
    w->x = X(ix);
    int ok = (w->an = nx_analyzer_new(ix->lang)) &&
             (w->stems = calloc(w->x->nshards, sizeof *w->stems));
    for (size_t i = 0; ok && i < w->x->nshards; i++)
        ok = (w->stems[i] = nx_stempairs_new()) != NULL;
    if (!ok) {
        xap_writer_free(w);
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    }
    *out = w;
    return NX_OK;
}

static void xap_rollback(void *wp)
{
    xap_writer *w = wp;
    if (!w->in_tx)
        return;
    for (size_t i = 0; i < w->x->nshards; i++)
        if (w->x->shards[i])
            NXX(cancel)(w->x->shards[i]);
    w->in_tx = 0;
    for (size_t i = 0; w->stems && i < w->x->nshards; i++)
        nx_stempairs_forget(w->stems[i]);
}

static void xap_writer_free(void *wp)
{
    xap_writer *w = wp;
    if (!w)
        return;
    xap_rollback(w);
    nx_analyzer_free(w->an);
    for (size_t i = 0; w->stems && i < w->x->nshards; i++)
        nx_stempairs_free(w->stems[i]);
    free(w->stems);
    free(w);
}

/* A shard whose handle could not be opened again after compacting it. */
static nx_status_t lost_shard(nx_index_t *ix, const char *what)
{
    return nx_fail(ix, NX_ERR_IO, "%s was compacted but could not be opened again: open the "
                   "index anew to write to it", what);
}

static nx_status_t xap_begin(void *wp)
{
    xap_writer *w = wp;
    if (w->in_tx)
        return NX_OK;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    for (size_t i = 0; i < w->x->nshards; i++)
        if (NXX(begin)(w->x->shards[i])) {
            nx_status_t s = xfail(w->ix, w->x->shards[i], "starting a transaction");
            for (size_t k = 0; k < i; k++)
                NXX(cancel)(w->x->shards[k]);
            return s;
        }
    w->in_tx = 1;
    return NX_OK;
}

static nx_status_t xap_commit(void *wp)
{
    xap_writer *w = wp;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    if (!w->in_tx)
        return NX_OK;
    /* Each shard lists the words of its own articles, committed with them:
     * a shard stopped before its commit loses both. */
    for (size_t i = 0; i < w->x->nshards; i++) {
        int rc = nx_xap_stems_write(w->x->shards[i], w->stems[i]);
        if (rc == -2)
            return nx_fail(w->ix, NX_ERR_NOMEM, "out of memory listing the words of stems");
        if (rc)
            return xfail(w->ix, w->x->shards[i], "adding words to the stem lists");
    }
    w->in_tx = 0;
    /* Shards commit one after another; a crash between two leaves the
     * later shards at their previous commit, and the files of the batch
     * unrecorded in shard 0 until its own commit, so they are read again. */
    for (size_t i = w->x->nshards; i-- > 0;)
        if (NXX(commit)(w->x->shards[i]))
            return xfail(w->ix, w->x->shards[i], "committing");
    return NX_OK;
}

static size_t shard_of(const xap_writer *w, const char *id)
{
    return w->x->nshards == 1 ? 0 : (size_t)(nx_hash64(id, strlen(id)) % w->x->nshards);
}

/* Whether the stored article (content hash, origin path, language as
 * stored) is a with origin o. hash is a's hash, or NULL: computed here with
 * the stored language when a has none (detected from the same text, it
 * would be the same). */
static int same_state(const nx_article_t *a, const nx_origin *o, const char *hash,
                      const char *stored_hash, uint64_t stored_origin, const char *stored_lang)
{
    char own[17];
    if (!hash) {
        nx_article_t copy = *a;
        if (!copy.f[NX_FIELD_LANG] && stored_lang[0])
            copy.f[NX_FIELD_LANG] = (char *)stored_lang;
        nx_article_hash(&copy, own);
        hash = own;
    }
    const char *path = o->path ? o->path : "";
    return strcmp(stored_hash, hash) == 0 && stored_origin == origin_of(path);
}

/* Looks a up by id: *rowid its key (0 when not stored), *same when the
 * stored document has a's content hash and origin; hash as for same_state.
 * Slot 7 has all it takes, and reading it is a third of the cost of reading
 * the document data, which holds the text: an update reads it for every
 * article of every changed file. Every document newsidx can open has it
 * (indexes from before it are refused: analyzer 3); one without a usable
 * slot 7 counts as changed, and is written again. */
static nx_status_t stored_state(xap_writer *w, const nx_article_t *a, const nx_origin *o,
                                const char *hash, int *same, int64_t *rowid, uint64_t *holder)
{
    size_t sh = shard_of(w, a->f[NX_FIELD_ID]);
    nxx_db *db = w->x->shards[sh];
    char term[MAX_TERM + 8];
    id_term(term, sizeof term, a->f[NX_FIELD_ID]);
    uint64_t docid;
    char *v;
    size_t len;
    *same = 0;
    *rowid = 0;
    *holder = 0;
    if (NXX(lookup_value)(db, term, SLOT_STATE, &docid, &v, &len))
        return xfail(w->ix, db, "looking up an article");
    if (!docid)
        return NX_OK;
    *rowid = (int64_t)(docid * w->x->nshards + sh);
    if (v && len >= 32 && len < 32 + 64) {
        char stored_hash[17], origin[17], lang[64];
        memcpy(stored_hash, v, 16);
        stored_hash[16] = '\0';
        memcpy(origin, v + 16, 16);
        origin[16] = '\0';
        memcpy(lang, v + 32, len - 32);
        lang[len - 32] = '\0';
        *holder = strtoull(origin, NULL, 16);
        *same = same_state(a, o, hash, stored_hash, *holder, lang);
    }
    free(v);
    return NX_OK;
}

/* Metadata H + origin hash + id hash (16 hex digits each) = when the file
 * at that origin stopped keeping the article (16 hex digits of
 * microseconds since the epoch), a space, and the id: the file holds it
 * too, which another file took over (see wanted in store.h and
 * index-schema/xapian-v3.md). In shard 0, with the files' records. */
static void holder_key(char *out, size_t len, uint64_t origin, const char *id)
{
    snprintf(out, len, "H%016llx%016llx", (unsigned long long)origin,
             (unsigned long long)nx_hash64(id, strlen(id)));
}

/* Metadata F + the origin hash of a file's path (16 hex digits) is its
 * record: "size mtime_ns hash articles path". */
static void file_key(char *out, size_t len, uint64_t origin)
{
    snprintf(out, len, "F%016llx", (unsigned long long)origin);
}

/* A file record's fields into *row; its path, or NULL when v is not one. */
static const char *file_value(const char *v, nx_file_row *row)
{
    long long size, mtime, arts;
    int used = 0;
    if (sscanf(v, "%lld %lld %16s %lld %n", &size, &mtime, row->hash, &arts, &used) != 4 ||
        used == 0)
        return NULL;
    row->size = size;
    row->mtime_ns = mtime;
    row->articles = arts;
    return v + used;
}

/* The path of the recorded file whose path hashes to origin, malloc'd into
 * *path; NULL when there is none. */
static nx_status_t recorded_path(xap_writer *w, uint64_t origin, char **path)
{
    char key[32], *v;
    *path = NULL;
    file_key(key, sizeof key, origin);
    if (NXX(get_metadata)(w->x->shards[0], key, &v))
        return xfail(w->ix, w->x->shards[0], "looking up a file");
    nx_file_row row;
    const char *p = file_value(v, &row);
    if (p && !(*path = strdup(p))) {
        free(v);
        return nx_fail(w->ix, NX_ERR_NOMEM, "out of memory");
    }
    free(v);
    return NX_OK;
}

/* The article id passes from the file whose path hashes to from, to the
 * file at path: from is remembered as a holder if it is still on disk (an
 * archive whose files were moved would otherwise leave a key per
 * article). */
static nx_status_t pass_holder(xap_writer *w, const char *id, uint64_t from, const char *path)
{
    uint64_t to = origin_of(path);
    if (!from || from == to)
        return NX_OK;
    if (from != w->checked) {
        char *p;
        nx_status_t s = recorded_path(w, from, &p);
        if (s != NX_OK)
            return s;
        w->checked = from;
        w->exists = p && access(p, F_OK) == 0;
        free(p);
    }
    if (!w->exists)
        return NX_OK;
    char key[40];
    nxx_db *db = w->x->shards[0];
    holder_key(key, sizeof key, to, id);
    int rc = NXX(set_metadata)(db, key, ""); /* the keeper now, not one of the others */
    holder_key(key, sizeof key, from, id);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char *v = NULL;
    if (!rc && asprintf(&v, "%016llx %s",
                        (unsigned long long)now.tv_sec * 1000000 + now.tv_nsec / 1000, id) < 0)
        return nx_fail(w->ix, NX_ERR_NOMEM, "out of memory");
    if (rc || NXX(set_metadata)(db, key, v)) {
        free(v);
        return xfail(w->ix, db, "recording that another file holds an article");
    }
    free(v);
    return NX_OK;
}

typedef struct holders_walk {
    xap_writer *w;
    const char *prefix; /* of the keys walked: "H", or "H" + a file's origin hash */
    char **keys;     /* what the walk found: key, then id, by pairs */
    size_t n, cap;
    nx_status_t s;
} holders_walk;

static void on_holder_key(void *ctx, const char *key, size_t len, uint64_t n)
{
    (void)n;
    holders_walk *h = ctx;
    char k[40], *id = NULL;
    if (h->s != NX_OK || strlen(h->prefix) + len != 33)
        return;
    snprintf(k, sizeof k, "%s%.*s", h->prefix, (int)len, key);
    if (NXX(get_metadata)(h->w->x->shards[0], k, &id)) {
        h->s = xfail(h->w->ix, h->w->x->shards[0],
                     "looking for removed articles that other files hold");
        return;
    }
    if (h->n + 2 > h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        char **p = realloc(h->keys, cap * sizeof *p);
        if (!p) {
            free(id);
            h->s = nx_fail(h->w->ix, NX_ERR_NOMEM, "out of memory");
            return;
        }
        h->keys = p;
        h->cap = cap;
    }
    if (!(h->keys[h->n] = strdup(k))) {
        free(id);
        h->s = nx_fail(h->w->ix, NX_ERR_NOMEM, "out of memory");
        return;
    }
    h->keys[h->n + 1] = id;
    h->n += 2;
}

/* Metadata key marking an index whose removed articles may be wanted back
 * (see wanted in store.h). */
#define RESTORE_KEY "restore"

static nx_status_t xap_wanted(void *wp, int due_only, nx_holder_fn fn, void *ctx)
{
    xap_writer *w = wp;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    if (due_only) {
        char *v;
        if (NXX(get_metadata)(w->x->shards[0], RESTORE_KEY, &v))
            return xfail(w->ix, w->x->shards[0], "reading the index's metadata");
        int due = v[0] != '\0';
        free(v);
        if (!due)
            return NX_OK;
    }
    size_t listed = 0;
    holders_walk h = {w, "H", NULL, 0, 0, NX_OK};
    if (NXX(metadata_keys)(w->x->shards[0], h.prefix, on_holder_key, &h) && h.s == NX_OK)
        h.s = xfail(w->ix, w->x->shards[0], "looking for removed articles that other files hold");
    for (size_t i = 0; h.s == NX_OK && i < h.n; i += 2) {
        const char *id = h.keys[i + 1];
        int64_t since = 0;
        if (strlen(id) > 17 && id[16] == ' ') {
            since = (int64_t)strtoull(id, NULL, 16);
            id += 17;
        }
        size_t sh = shard_of(w, id);
        char term[MAX_TERM + 8];
        id_term(term, sizeof term, id);
        uint64_t docid;
        char *v;
        size_t len;
        if (NXX(lookup_value)(w->x->shards[sh], term, SLOT_STATE, &docid, &v, &len)) {
            h.s = xfail(w->ix, w->x->shards[sh], "looking up an article");
            break;
        }
        free(v);
        if (docid)
            continue; /* kept by a file */
        char origin[17], *path;
        memcpy(origin, h.keys[i] + 1, 16);
        origin[16] = '\0';
        if ((h.s = recorded_path(w, strtoull(origin, NULL, 16), &path)) != NX_OK)
            break;
        listed += path != NULL;
        if (path && fn(ctx, path, id, since))
            h.s = nx_fail(w->ix, NX_ERR_NOMEM, "out of memory");
        else if (!path && NXX(set_metadata)(w->x->shards[0], h.keys[i], ""))
            h.s = xfail(w->ix, w->x->shards[0], "forgetting that a file holds an article");
        free(path);
    }
    for (size_t i = 0; i < h.n; i++)
        free(h.keys[i]);
    free(h.keys);
    if (h.s == NX_OK && !listed && NXX(set_metadata)(w->x->shards[0], RESTORE_KEY, ""))
        h.s = xfail(w->ix, w->x->shards[0], "recording the index's metadata");
    return h.s;
}

static nx_status_t xap_holder_forget(void *wp, const char *path, const char *id)
{
    xap_writer *w = wp;
    char key[40];
    holder_key(key, sizeof key, origin_of(path), id);
    if (NXX(set_metadata)(w->x->shards[0], key, ""))
        return xfail(w->ix, w->x->shards[0], "forgetting that a file holds an article");
    return NX_OK;
}

static nx_status_t xap_unchanged(void *wp, const nx_article_t *a, const nx_origin *o, int touch,
                                 int *same, int64_t *rowid)
{
    (void)touch; /* the origin is part of the document: unchanged means the same one */
    xap_writer *w = wp;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    uint64_t holder;
    return stored_state(w, a, o, NULL, same, rowid, &holder);
}

static nx_status_t xap_put_article(void *wp, const nx_article_t *a, const nx_origin *o,
                                   nx_dup_facts *dup, const nx_prepared *prep, int *outcome,
                                   int64_t *rowid)
{
    xap_writer *w = wp;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    size_t sh = shard_of(w, a->f[NX_FIELD_ID]);
    nxx_db *db = w->x->shards[sh];
    char hash[17];
    nx_article_hash(a, hash);
    int same;
    uint64_t holder;
    nx_status_t s = stored_state(w, a, o, hash, &same, rowid, &holder);
    if (s != NX_OK)
        return s;
    if (same) {
        *outcome = NX_PUT_UNCHANGED;
        return NX_OK;
    }
    int existed = *rowid != 0; /* docids start at 1 */
    if (existed && o->path && (s = pass_holder(w, a->f[NX_FIELD_ID], holder, o->path)) != NX_OK)
        return s;
    char term[MAX_TERM + 8];
    id_term(term, sizeof term, a->f[NX_FIELD_ID]);
    /* The stored origin is the file's path (files key), as FTS5 stores it. */
    nx_article_t copy = *a;
    copy.f[NX_FIELD_ORIGIN] = (char *)o->path;
    /* A document's id is known only once it is added, so a cluster is
     * labelled by a hash of its first article's id and text: a new text
     * under the same id starts a new label, and leaves its old copies
     * theirs. */
    if (dup) {
        char key[600];
        snprintf(key, sizeof key, "%.560s%c%s", a->f[NX_FIELD_ID], 0, hash);
        size_t klen = strnlen(a->f[NX_FIELD_ID], 560) + 1 + strlen(hash);
        dup->assigned = dup->cluster >= 0 ? dup->cluster : (int64_t)(nx_hash64(key, klen) >> 1);
    }
    nxx_doc *doc = build_doc(w, &copy, hash, dup, prep, sh);
    if (!doc)
        return nx_fail(w->ix, NX_ERR_NOMEM, "out of memory building a document");
    uint64_t newid;
    int rc = NXX(replace)(db, term, doc, &newid);
    NXX(doc_free)(doc);
    if (rc)
        return xfail(w->ix, db, "storing an article");
    *outcome = existed ? NX_PUT_UPDATED : NX_PUT_ADDED;
    *rowid = (int64_t)(newid * w->x->nshards + sh);
    return NX_OK;
}

static nx_status_t xap_file_get(void *wp, const char *path, nx_file_row *row, int *found)
{
    xap_writer *w = wp;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    char key[32];
    file_key(key, sizeof key, origin_of(path));
    char *v;
    if (NXX(get_metadata)(w->x->shards[0], key, &v))
        return xfail(w->ix, w->x->shards[0], "looking up a file");
    *found = file_value(v, row) != NULL;
    free(v);
    return NX_OK;
}

static nx_status_t xap_file_put(void *wp, const char *path, const nx_file_row *row)
{
    xap_writer *w = wp;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    char key[32], v[128 + PATH_MAX];
    file_key(key, sizeof key, origin_of(path));
    snprintf(v, sizeof v, "%lld %lld %s %lld %s", (long long)row->size, (long long)row->mtime_ns,
             row->hash, (long long)row->articles, path);
    if (NXX(set_metadata)(w->x->shards[0], key, v))
        return xfail(w->ix, w->x->shards[0], "recording a file");
    return NX_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static nx_status_t xap_remove_stale(void *wp, const char *path, const int64_t *keep, size_t nkeep,
                                    int64_t *removed)
{
    xap_writer *w = wp;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    *removed = 0;
    char term[40];
    origin_term(term, sizeof term, path);
    for (size_t sh = 0; sh < w->x->nshards; sh++) {
        nxx_db *db = w->x->shards[sh];
        uint64_t *ids;
        size_t n;
        if (NXX(postings)(db, term, &ids, &n))
            return xfail(w->ix, db, "listing a file's articles");
        for (size_t i = 0; i < n; i++) {
            int64_t r = (int64_t)(ids[i] * w->x->nshards + sh);
            if (nkeep && bsearch(&r, keep, nkeep, sizeof r, cmp_i64))
                continue;
            if (NXX(delete)(db, ids[i])) {
                free(ids);
                return xfail(w->ix, db, "removing articles gone from a file");
            }
            ++*removed;
        }
        free(ids);
    }
    /* Another file may hold one of them: to be read back (xap_wanted). */
    if (*removed && NXX(set_metadata)(w->x->shards[0], RESTORE_KEY, "1"))
        return xfail(w->ix, w->x->shards[0], "removing articles gone from a file");
    return NX_OK;
}

/* ------------------------------------------------------------ reading */

static nx_status_t to_article(nx_index_t *ix, char *data, size_t len, nx_article_t **out)
{
    const char *f[D_COUNT];
    if (decode_data(data, len, f) != 0)
        return nx_fail(ix, NX_ERR_CORRUPT, "%s: an article's stored data is damaged", ix->path);
    nx_article_t *a;
    if (nx_article_new(&a) != NX_OK)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    static const int map[] = {NX_FIELD_ID,     NX_FIELD_TITLE, NX_FIELD_BODY,
                              NX_FIELD_DATE,   NX_FIELD_SOURCE, NX_FIELD_URL,
                              NX_FIELD_LANG,   NX_FIELD_ORIGIN};
    for (int i = 0; i < D_HASH; i++) {
        if (!*f[i] && i != D_TITLE && i != D_BODY)
            continue;
        char *v = strdup(f[i]);
        if (!v) {
            nx_article_destroy(a);
            return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
        }
        nx_article_take(a, (nx_field_t)map[i], v);
    }
    *out = a;
    return NX_OK;
}

static nx_status_t xap_get_article(nx_index_t *ix, const char *id, nx_article_t **out)
{
    *out = NULL;
    xap_index *x = X(ix);
    char term[MAX_TERM + 8];
    id_term(term, sizeof term, id);
    size_t ndb = x->read ? 1 : x->nshards;
    for (size_t i = 0; i < ndb; i++) {
        nxx_db *db = x->read ? x->read : x->shards[i];
        uint64_t docid;
        char *data;
        size_t len;
        if (NXX(lookup)(db, term, &docid, &data, &len))
            return xfail(ix, db, "reading an article");
        if (docid) {
            nx_status_t s = to_article(ix, data, len, out);
            free(data);
            return s;
        }
    }
    return nx_fail(ix, NX_ERR_NOT_FOUND, "no article with id '%s'", id);
}

typedef struct count_list {
    nx_count_fn fn;
    void *ctx;
    int64_t distinct;
    size_t limit;
    struct { char *v; uint64_t n; } *items;
    size_t n, cap;
    int oom;
} count_list;

static void collect(void *ctx, const char *t, size_t len, uint64_t freq)
{
    count_list *c = ctx;
    c->distinct++;
    if (c->oom)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        void *p = realloc(c->items, cap * sizeof *c->items);
        if (!p) {
            c->oom = 1;
            return;
        }
        c->items = p;
        c->cap = cap;
    }
    if (!(c->items[c->n].v = strndup(t, len))) {
        c->oom = 1;
        return;
    }
    c->items[c->n++].n = freq;
}

static int by_count(const void *a, const void *b)
{
    const struct { char *v; uint64_t n; } *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->v, y->v);
}

static nx_status_t term_counts(nx_index_t *ix, const char *prefix, int sort_by_count,
                               count_list *c)
{
    nxx_db *db = reader(ix);
    if (!db)
        return nx_fail(ix, NX_ERR_INVALID_ARG, "%s: open the index read-only to read it", ix->path);
    if (NXX(terms)(db, prefix, collect, c))
        return xfail(ix, db, "counting field values");
    if (c->oom)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    if (sort_by_count)
        if (c->n) /* qsort needs a real array, even for none */
            qsort(c->items, c->n, sizeof *c->items, by_count);
    return NX_OK;
}

static void free_counts(count_list *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->items[i].v);
    free(c->items);
}

static nx_status_t xap_field_counts(nx_index_t *ix, const char *field, size_t limit,
                                    nx_count_fn fn, void *ctx)
{
    const char *prefix;
    int by_n = 1;
    if (strcmp(field, "source") == 0)
        prefix = "XK";
    else if (strcmp(field, "lang") == 0 || strcmp(field, "lang-values") == 0)
        prefix = "L";
    else if (strcmp(field, "year") == 0)
        prefix = "Y", by_n = 0;
    else
        return nx_fail(ix, NX_ERR_INVALID_ARG, "unknown field '%s' (source, lang, year)", field);
    count_list c = {fn, ctx, 0, limit, NULL, 0, 0, 0};
    nx_status_t s = term_counts(ix, prefix, by_n, &c);
    if (s == NX_OK) {
        if (strcmp(field, "lang-values") == 0) {
            uint64_t all = 0;
            if (NXX(doccount)(reader(ix), &all) != 0)
                all = 0;
            uint64_t least = all * (uint64_t)atoi(NX_MAIN_LANG_PERCENT) / 100;
            for (size_t i = 0; i < c.n; i++)
                fn(ctx, c.items[i].v, c.items[i].n >= (least ? least : 1));
            free_counts(&c);
            return s;
        }
        /* Articles without a source are counted as "(none)", as FTS5 does. */
        uint64_t total = 0, with = 0;
        if (strcmp(field, "source") == 0 && NXX(doccount)(reader(ix), &total) == 0) {
            for (size_t i = 0; i < c.n; i++)
                with += c.items[i].n;
        }
        size_t shown = 0;
        int none_done = total <= with;
        for (size_t i = 0; i < c.n && (!limit || shown < limit); i++) {
            uint64_t none = total - with;
            if (!none_done && (c.items[i].n < none ||
                               (c.items[i].n == none && strcmp("(none)", c.items[i].v) < 0))) {
                fn(ctx, "(none)", (int64_t)none);
                none_done = 1;
                shown++;
                if (limit && shown >= limit)
                    break;
            }
            fn(ctx, c.items[i].v, (int64_t)c.items[i].n);
            shown++;
        }
        if (!none_done && (!limit || shown < limit))
            fn(ctx, "(none)", (int64_t)(total - with));
    }
    free_counts(&c);
    return s;
}

static int64_t tree_size(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return (int64_t)st.st_size;
    int64_t sum = 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[PATH_MAX];
        if (snprintf(p, sizeof p, "%s/%s", path, e->d_name) < (int)sizeof p)
            sum += tree_size(p);
    }
    closedir(d);
    return sum;
}

static nx_status_t xap_stats(nx_index_t *ix, nx_stats_t *out)
{
    memset(out, 0, sizeof *out);
    nxx_db *db = reader(ix);
    if (!db)
        return nx_fail(ix, NX_ERR_INVALID_ARG, "%s: open the index read-only to read it", ix->path);
    uint64_t docs, bytes, files;
    char *lo, *hi;
    /* The text is the title and body (two data fields), as the FTS5
     * engine counts it: the whole data also holds the id, URL, origin ... */
    if (NXX(doccount)(db, &docs) || NXX(data_bytes)(db, D_TITLE, 2, &bytes) ||
        NXX(metadata_count)(db, "F", &files) || NXX(value_bounds)(db, SLOT_DATE, &lo, &hi))
        return xfail(ix, db, "computing statistics");
    out->articles = (int64_t)docs;
    out->bytes_text = (int64_t)bytes;
    out->files = (int64_t)files;
    snprintf(out->first_date, sizeof out->first_date, "%s", lo);
    snprintf(out->last_date, sizeof out->last_date, "%s", hi);
    free(lo);
    free(hi);
    count_list c = {NULL, NULL, 0, 0, NULL, 0, 0, 0};
    nx_status_t s = term_counts(ix, "XK", 0, &c);
    out->sources = c.distinct;
    free_counts(&c);
    count_list l = {NULL, NULL, 0, 0, NULL, 0, 0, 0};
    if (s == NX_OK)
        s = term_counts(ix, "L", 0, &l);
    out->languages = l.distinct;
    free_counts(&l);
    if (strncmp(ix->path, "tcp://", 6) != 0)
        out->bytes_on_disk = tree_size(ix->path);
    return s;
}

/* ------------------------------------------------------------ queries */

typedef struct qbuild {
    nx_index_t *ix;
    nx_analyzer *an;
    int failed;
    int unreadable; /* the stem lists could not be read */
} qbuild;

/* One position of a query word: its alternatives as terms. */
typedef struct alt {
    char **t;   /* malloc'd terms: a word, "Z" + code + stem, or "+" + a word
                 * the stem's list gives (positional_alts) */
    size_t n, cap;
    int prefix; /* t[0] is a prefix to expand */
} alt;

typedef struct alts {
    alt *a;
    size_t n, cap;
    int failed;
} alts;

static int on_query_term(void *ctx, int kind, const char *term, size_t len, size_t start,
                         size_t end, int colocated)
{
    (void)start;
    (void)end;
    alts *as = ctx;
    if (!colocated || as->n == 0) {
        if (as->n == as->cap) {
            size_t cap = as->cap ? as->cap * 2 : 4;
            alt *p = realloc(as->a, cap * sizeof *p);
            if (!p) {
                as->failed = 1;
                return 1;
            }
            as->a = p;
            as->cap = cap;
        }
        memset(&as->a[as->n++], 0, sizeof(alt));
    }
    alt *a = &as->a[as->n - 1];
    if (len + 4 > MAX_TERM)
        return 0;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 4;
        char **p = realloc(a->t, cap * sizeof *p);
        if (!p) {
            as->failed = 1;
            return 1;
        }
        a->t = p;
        a->cap = cap;
    }
    /* Stems are stored as "Z" + code + stem; the analyzer marks them '~'. */
    char *t = malloc(len + 1);
    if (!t) {
        as->failed = 1;
        return 1;
    }
    memcpy(t, term, len);
    t[len] = '\0';
    if (kind == NX_TERM_STEM)
        t[0] = 'Z';
    a->t[a->n++] = t;
    return 0;
}

#define MAX_EXPANSION 10000

/* The query for one alternative set in one column ("" body, "S" title);
 * prefixes are expanded against db. */
static nxx_query *alt_query(nxx_db *db, const alt *a, const char *col, int alone)
{
    nxx_query **subs = calloc(a->n ? a->n : 1, sizeof *subs);
    if (!subs)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++) {
        char buf[MAX_TERM + 16];
        const char *t = a->t[i];
        /* Alone, a word is itself or its stem term: one word for BM25 (a
         * synonym), with exact statistics in any database (the words of a
         * stem's list, as one synonym, are estimated from those each shard
         * holds, and the order would change with the sharding). At a
         * position, stem terms have none: the listed words stand in. */
        if (!a->prefix && (alone ? t[0] == '+' : t[0] == 'Z'))
            continue;
        if (t[0] == 'Z' && !a->prefix)
            snprintf(buf, sizeof buf, "Z%s%s", col, t + 1);
        else
            snprintf(buf, sizeof buf, "%s%s", col, t[0] == '+' && !a->prefix ? t + 1 : t);
        subs[n] = a->prefix ? NXX(q_expand)(db, buf, strlen(buf), MAX_EXPANSION)
                            : NXX(q_term)(buf, strlen(buf));
        if (!subs[n]) {
            for (size_t k = 0; k < n; k++)
                NXX(q_free)(subs[k]);
            free(subs);
            return NULL;
        }
        n++;
    }
    /* The forms of a word standing alone are one word for weighting (a
     * synonym): an OR would count it once per form matched. Inside a
     * phrase or NEAR, Xapian 1.4 takes only an OR of terms. */
    nxx_query *q = n == 1 ? subs[0] : NXX(q_combine)(alone ? NXX_SYNONYM : NXX_OR, subs, n, 0);
    free(subs);
    return q;
}

/* Analyzes a term's text into alternatives per position. */
static int term_alts(qbuild *b, const nx_qnode *t, alts *as)
{
    nx_analyze_mode mode = t->prefix                      ? NX_ANALYZE_PREFIX
                           : t->exact == NX_EXACT_STRICT ? NX_ANALYZE_EXACT
                           : t->exact                    ? NX_ANALYZE_NAME
                                                         : NX_ANALYZE_QUERY;
    nx_analyze(b->an, t->text, strlen(t->text), mode, on_query_term, as);
    if (as->failed)
        return -1;
    if (t->prefix && as->n)
        as->a[as->n - 1].prefix = 1;
    return 0;
}

/* A sequence of positions as a query in one column: one position is its
 * alternatives; several are a phrase (or NEAR with window). */
static nxx_query *sequence(nxx_db *db, const alts *as, const char *col, int op, unsigned window)
{
    if (as->n == 0)
        return NULL;
    if (as->n == 1 && op == NXX_PHRASE)
        return alt_query(db, &as->a[0], col, 1);
    nxx_query **subs = calloc(as->n, sizeof *subs);
    if (!subs)
        return NULL;
    for (size_t i = 0; i < as->n; i++) {
        if (!(subs[i] = alt_query(db, &as->a[i], col, 0))) {
            for (size_t k = 0; k < i; k++)
                NXX(q_free)(subs[k]);
            free(subs);
            return NULL;
        }
    }
    nxx_query *q = NXX(q_combine)(op, subs, as->n, op == NXX_PHRASE ? (unsigned)as->n : window);
    free(subs);
    return q;
}

/* The same positional query for the title and/or body, per column. */
static nxx_query *in_columns(nxx_db *db, const alts *as, nx_column col, int op,
                             unsigned window)
{
    if (col == NX_COL_BODY)
        return sequence(db, as, "", op, window);
    nxx_query *t = sequence(db, as, "S", op, window);
    if (col == NX_COL_TITLE || !t)
        return t;
    nxx_query *subs[2] = {sequence(db, as, "", op, window), NXX(q_scale)(t, TITLE_SCALE)};
    if (!subs[0] || !subs[1]) {
        NXX(q_free)(subs[0]);
        NXX(q_free)(subs[1]);
        return NULL;
    }
    return NXX(q_combine)(NXX_OR, subs, 2, 0);
}

static void free_alts(alts *as)
{
    for (size_t i = 0; i < as->n; i++) {
        for (size_t k = 0; k < as->a[i].n; k++)
            free(as->a[i].t[k]);
        free(as->a[i].t);
    }
    free(as->a);
    as->a = NULL;
    as->n = as->cap = 0;
}

static nxx_query *compile(qbuild *b, const nx_qnode *n);

static int add_listed(void *ctx, const char *word, size_t len)
{
    alt *a = ctx;
    for (size_t i = 0; i < a->n; i++) {
        const char *t = a->t[i] + (a->t[i][0] == '+');
        if (strlen(t) == len && memcmp(t, word, len) == 0)
            return 0; /* the word as written, or listed twice */
    }
    if (a->n == a->cap) {
        size_t cap = a->cap * 2 + 4;
        char **p = realloc(a->t, cap * sizeof *p);
        if (!p)
            return -1;
        a->t = p;
        a->cap = cap;
    }
    char *t = malloc(len + 2);
    if (!t)
        return -1;
    t[0] = '+';
    memcpy(t + 1, word, len);
    t[len + 1] = '\0';
    a->t[a->n++] = t;
    return 0;
}

/* Adds, at each position, the words its stem terms list ("+" + word): a
 * phrase or NEAR needs positions, which stem terms do not have. */
static int positional_alts(qbuild *b, alts *as)
{
    nxx_db *db = reader(b->ix);
    for (size_t i = 0; db && i < as->n; i++) {
        alt *a = &as->a[i];
        size_t had = a->n;
        for (size_t k = 0; !a->prefix && k < had; k++) {
            if (a->t[k][0] != 'Z')
                continue;
            char stem[MAX_TERM + 8];
            int n = snprintf(stem, sizeof stem, "~%s", a->t[k] + 1);
            int rc = nx_xap_stems_expand(db, stem, (size_t)n, add_listed, a);
            if (rc == NX_EXPAND_UNREADABLE) {
                b->unreadable = 1;
                return -1;
            }
            if (rc) {
                b->failed = 1;
                return -1;
            }
        }
    }
    return 0;
}

/* Words of a term or phrase, all positions in order. */
static int collect_alts(qbuild *b, const nx_qnode *n, alts *as)
{
    if (n->kind == NX_Q_TERM)
        return term_alts(b, n, as);
    for (size_t i = 0; i < n->nkids; i++)
        if (term_alts(b, n->kids[i], as))
            return -1;
    return 0;
}

static nxx_query *compile_list(qbuild *b, nx_qnode *const *kids, size_t n, int op)
{
    nxx_query **subs = calloc(n ? n : 1, sizeof *subs);
    if (!subs)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        nxx_query *q = compile(b, kids[i]);
        if (!q)
            continue; /* words with no terms (punctuation) */
        subs[k++] = q;
    }
    nxx_query *q = k == 0 ? NULL : k == 1 ? subs[0] : NXX(q_combine)(op, subs, k, 0);
    free(subs);
    return q;
}

static nxx_query *compile(qbuild *b, const nx_qnode *n)
{
    switch (n->kind) {
    case NX_Q_TERM:
    case NX_Q_PHRASE: {
        alts as = {0};
        nxx_query *q = NULL;
        if (collect_alts(b, n, &as) != 0)
            b->failed = 1;
        else if (as.n < 2 || positional_alts(b, &as) == 0)
            q = in_columns(reader(b->ix), &as, n->column, NXX_PHRASE, 0);
        free_alts(&as);
        return q;
    }
    case NX_Q_NEAR: {
        /* FTS5's NEAR(a b, N) allows N words between the phrases; Xapian's
         * window counts positions, so it is N plus the number of words.
         * Phrases inside NEAR become their words (a small approximation). */
        alts as = {0};
        nxx_query *q = NULL;
        int ok = 1;
        for (size_t i = 0; ok && i < n->nkids; i++)
            ok = collect_alts(b, n->kids[i], &as) == 0;
        if (!ok)
            b->failed = 1;
        else if (positional_alts(b, &as) != 0)
            ok = 0;
        if (ok && as.n)
            q = in_columns(reader(b->ix), &as, n->column, NXX_NEAR,
                           (unsigned)(n->distance + (int)as.n));
        free_alts(&as);
        return q;
    }
    case NX_Q_OR:
        return compile_list(b, n->kids, n->nkids, NXX_OR);
    case NX_Q_AND: {
        size_t npos = 0;
        nx_qnode **pos = calloc(n->nkids, sizeof *pos);
        nx_qnode **neg = calloc(n->nkids, sizeof *neg);
        size_t nneg = 0;
        nxx_query *q = NULL;
        if (pos && neg) {
            for (size_t i = 0; i < n->nkids; i++) {
                if (n->kids[i]->kind == NX_Q_NOT)
                    neg[nneg++] = n->kids[i]->kids[0];
                else
                    pos[npos++] = n->kids[i];
            }
            q = compile_list(b, pos, npos, NXX_AND);
            nxx_query *ex = nneg ? compile_list(b, neg, nneg, NXX_OR) : NULL;
            if (q && ex) {
                nxx_query *subs[2] = {q, ex};
                q = NXX(q_combine)(NXX_AND_NOT, subs, 2, 0);
            } else {
                NXX(q_free)(ex);
            }
        } else {
            b->failed = 1;
        }
        free(pos);
        free(neg);
        return q;
    }
    case NX_Q_NOT:
        return compile(b, n->kids[0]);
    case NX_Q_FILTER:
        return NULL;
    }
    return NULL;
}

typedef struct phrase_build {
    const char *prefix;
    nxx_query **subs;
    size_t n, cap;
    char *buf;
    size_t bufcap;
    int failed;
} phrase_build;

static int on_filter_word(void *ctx, const nx_word *w)
{
    phrase_build *pb = ctx;
    long n = nx_fold(w->raw, w->raw_len, 1, &pb->buf, &pb->bufcap);
    char term[MAX_TERM + 8];
    if (n < 0 || (size_t)n + strlen(pb->prefix) > MAX_TERM) {
        pb->failed = n < 0;
        return n < 0;
    }
    snprintf(term, sizeof term, "%s%s", pb->prefix, pb->buf);
    if (pb->n == pb->cap) {
        size_t cap = pb->cap ? pb->cap * 2 : 4;
        nxx_query **p = realloc(pb->subs, cap * sizeof *p);
        if (!p) {
            pb->failed = 1;
            return 1;
        }
        pb->subs = p;
        pb->cap = cap;
    }
    if (!(pb->subs[pb->n] = NXX(q_term)(term, strlen(term)))) {
        pb->failed = 1;
        return 1;
    }
    pb->n++;
    return 0;
}

/* source:/url: values: the folded words of value as a phrase of prefixed
 * terms, so both engines match whole words of the field in order. */
static nxx_query *words_query(const char *prefix, const char *value, int *failed)
{
    phrase_build pb = {prefix, NULL, 0, 0, NULL, 0, 0};
    nx_segment(value, strlen(value), on_filter_word, &pb);
    free(pb.buf);
    nxx_query *q = NULL;
    if (pb.failed) {
        *failed = 1;
        for (size_t i = 0; i < pb.n; i++)
            NXX(q_free)(pb.subs[i]);
    } else if (pb.n == 0) {
        q = NXX(q_none)(); /* no words: matches nothing, as in FTS5 */
    } else if (pb.n == 1) {
        q = pb.subs[0];
    } else {
        q = NXX(q_combine)(NXX_PHRASE, pb.subs, pb.n, (unsigned)pb.n);
    }
    free(pb.subs);
    if (!q)
        *failed = 1;
    return q;
}

static nxx_query *filter_query(const nx_filter *f, int *failed)
{
    switch (f->kind) {
    case NX_F_SOURCE: return words_query("XS", f->value, failed);
    case NX_F_URL: return words_query("XU", f->value, failed);
    case NX_F_LANG: {
        char term[64];
        snprintf(term, sizeof term, "L%s", f->value);
        nxx_query *q = NXX(q_term)(term, strlen(term));
        if (!q)
            *failed = 1;
        return q;
    }
    case NX_F_CLUSTER: {
        char v[24];
        int n = snprintf(v, sizeof v, "XC%016llx",
                         (unsigned long long)strtoll(f->value, NULL, 10));
        nxx_query *q = NXX(q_term)(v, (size_t)n);
        if (!q)
            *failed = 1;
        return q;
    }
    default: {
        /* [since, until): dated articles only, as SQL's comparisons are. */
        nxx_query *q = NXX(q_value_ge)(SLOT_DATE, f->since[0] ? f->since : "0");
        if (q && f->until[0]) {
            nxx_query *subs[2] = {q, NXX(q_value_ge)(SLOT_DATE, f->until)};
            q = subs[1] ? NXX(q_combine)(NXX_AND_NOT, subs, 2, 0) : (NXX(q_free)(q), NULL);
        }
        if (!q)
            *failed = 1;
        return q;
    }
    }
}

/* The whole query: text (or everything), exclusions, then filters. */
static nx_status_t build(nx_index_t *ix, const nx_store_query *sq, nxx_query **out)
{
    *out = NULL;
    qbuild b = {ix, nx_analyzer_new(ix->lang), 0, 0};
    if (!b.an)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    nx_analyzer_use(b.an, sq->langs, sq->nlangs);
    nxx_query *q = NULL;
    if (sq->text) {
        const nx_qnode *t = sq->text;
        if (!sq->positive) {
            /* Only exclusions: everything but what they match. */
            nxx_query *ex;
            if (t->kind == NX_Q_NOT) {
                ex = compile(&b, t->kids[0]);
            } else {
                nx_qnode **neg = calloc(t->nkids, sizeof *neg);
                for (size_t i = 0; neg && i < t->nkids; i++)
                    neg[i] = t->kids[i]->kids[0];
                ex = neg ? compile_list(&b, neg, t->nkids, NXX_OR) : NULL;
                b.failed |= !neg;
                free(neg);
            }
            q = NXX(q_all)();
            if (q && ex) {
                nxx_query *subs[2] = {q, ex};
                q = NXX(q_combine)(NXX_AND_NOT, subs, 2, 0);
            }
        } else {
            q = compile(&b, t);
            if (!q && !b.failed)
                q = NXX(q_none)(); /* words that yield no terms match nothing */
        }
    } else {
        q = NXX(q_all)();
    }
    for (size_t i = 0; q && !b.failed && i < sq->nfilters; i++) {
        nxx_query *f = filter_query(&sq->filters[i], &b.failed);
        if (!f)
            break;
        nxx_query *subs[2] = {q, f};
        q = NXX(q_combine)(sq->filters[i].negated ? NXX_AND_NOT : NXX_FILTER, subs, 2, 0);
    }
    nx_analyzer_free(b.an);
    if (b.unreadable) {
        NXX(q_free)(q);
        return xfail(ix, reader(ix), "reading the index's stem lists");
    }
    if (b.failed || !q) {
        NXX(q_free)(q);
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory building the query");
    }
    *out = q;
    return NX_OK;
}

/* The database to search and the query for sq. */
static nx_status_t prepare(nx_index_t *ix, const nx_store_query *sq, nxx_db **db, nxx_query **q)
{
    *db = reader(ix);
    if (!*db)
        return nx_fail(ix, NX_ERR_INVALID_ARG, "%s: open the index read-only to search it",
                       ix->path);
    return build(ix, sq, q);
}

typedef struct xap_cursor {
    nx_cursor base;
    nx_index_t *ix;
    nxx_hits *hits;
    size_t i;
    char *buf; /* the current hit's data, NUL-separated fields */
} xap_cursor;

static int64_t label_of(const char *v, size_t len)
{
    char hex[17];
    if (len != 16)
        return -1;
    memcpy(hex, v, 16);
    hex[16] = '\0';
    return (int64_t)strtoull(hex, NULL, 16);
}

static int xcursor_next(nx_cursor *c, nx_article_t *cur, double *score, int64_t *cluster,
                        nx_status_t *st)
{
    xap_cursor *xc = (xap_cursor *)c;
    if (xc->i >= NXX(hits_size)(xc->hits))
        return 0;
    size_t len, vlen;
    const char *v = NXX(hits_value)(xc->hits, xc->i, &vlen);
    *cluster = label_of(v, vlen);
    const char *data = NXX(hits_data)(xc->hits, xc->i, &len);
    *score = NXX(hits_score)(xc->hits, xc->i);
    xc->i++;
    free(xc->buf);
    xc->buf = malloc(len + 1);
    const char *f[D_COUNT];
    if (!xc->buf) {
        *st = nx_fail(xc->ix, NX_ERR_NOMEM, "out of memory");
        return -1;
    }
    memcpy(xc->buf, data, len);
    xc->buf[len] = '\0';
    if (decode_data(xc->buf, len, f) != 0) {
        *st = nx_fail(xc->ix, NX_ERR_CORRUPT, "%s: an article's stored data is damaged",
                      xc->ix->path);
        return -1;
    }
    static const int map[] = {NX_FIELD_ID,   NX_FIELD_TITLE,  NX_FIELD_BODY,
                              NX_FIELD_DATE, NX_FIELD_SOURCE, NX_FIELD_URL,
                              NX_FIELD_LANG, NX_FIELD_ORIGIN};
    for (int i = 0; i < D_HASH; i++)
        cur->f[map[i]] = (char *)(*f[i] || i == D_TITLE || i == D_BODY ? f[i] : NULL);
    return 1;
}

static void xcursor_free(nx_cursor *c)
{
    xap_cursor *xc = (xap_cursor *)c;
    NXX(hits_free)(xc->hits);
    free(xc->buf);
    free(xc);
}

static nx_status_t xap_search(nx_index_t *ix, const nx_store_query *sq, nx_cursor **out)
{
    *out = NULL;
    nxx_db *db;
    nxx_query *q;
    nx_status_t s = prepare(ix, sq, &db, &q);
    if (s != NX_OK)
        return s;
    int ranked = sq->text && sq->positive;
    int sort = NXX_SORT_RELEVANCE;
    unsigned slot = SLOT_NEWEST;
    if (sq->sort == NX_SORT_OLDEST) {
        sort = NXX_SORT_VALUE_ASC;
        slot = SLOT_OLDEST;
    } else if (sq->sort == NX_SORT_NEWEST || !ranked) {
        sort = NXX_SORT_VALUE_ASC;
    }
    xap_cursor *c = calloc(1, sizeof *c);
    if (!c) {
        NXX(q_free)(q);
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    }
    int rc = NXX(search)(db, q, sort, slot, sq->offset, sq->limit, SLOT_CLUSTER, &c->hits);
    NXX(q_free)(q);
    if (rc) {
        free(c);
        return xfail(ix, db, "searching");
    }
    c->base.next = xcursor_next;
    c->base.free = xcursor_free;
    c->ix = ix;
    *out = &c->base;
    return NX_OK;
}

static nx_status_t xap_count(nx_index_t *ix, const nx_store_query *sq, int64_t *out)
{
    *out = 0;
    nxx_db *db;
    nxx_query *q;
    nx_status_t s = prepare(ix, sq, &db, &q);
    if (s != NX_OK)
        return s;
    uint64_t n;
    int rc = NXX(count)(db, q, &n);
    NXX(q_free)(q);
    if (rc)
        return xfail(ix, db, "counting");
    *out = (int64_t)n;
    return NX_OK;
}

typedef struct vc_ctx {
    nx_count_fn fn;
    void *ctx;
    char *buf;
    size_t cap;
    int oom;
    int tuples; /* 1: values are date[, source] joined by tabs; 2: then a cluster label */
} vc_ctx;

static void on_value_count(void *ctx, const char *v, size_t len, uint64_t n)
{
    vc_ctx *c = ctx;
    if (c->oom)
        return;
    if (len + 1 > c->cap) {
        char *p = realloc(c->buf, len + 1);
        if (!p) {
            c->oom = 1;
            return;
        }
        c->buf = p;
        c->cap = len + 1;
    }
    memcpy(c->buf, v, len);
    c->buf[len] = '\0';
    if (c->tuples) {
        /* Undated articles are left out, as FTS5 leaves them out; cluster
         * labels become decimal, as FTS5 gives them. */
        if (c->buf[0] == '\t' || c->buf[0] == '\0')
            return;
        char *last = strrchr(c->buf, '\t');
        if (c->tuples == 2 && last && strlen(last + 1) == 16) {
            char out[512];
            snprintf(out, sizeof out, "%.*s\t%lld", (int)(last - c->buf), c->buf,
                     (long long)label_of(last + 1, 16));
            c->fn(c->ctx, out, (int64_t)n);
            return;
        }
    }
    c->fn(c->ctx, c->buf, (int64_t)n);
}

static nx_status_t xap_value_counts(nx_index_t *ix, const nx_store_query *sq, const char *field,
                                    nx_count_fn fn, void *ctx)
{
    unsigned slot = strcmp(field, "date") == 0     ? SLOT_DATE
                    : strcmp(field, "source") == 0 ? SLOT_SOURCE
                    : strcmp(field, "lang") == 0   ? SLOT_LANG
                                                   : 99;
    unsigned slots[3];
    size_t nslots = 0;
    if (slot == 99) {
        /* Lists of fields: "date,source", "date,cluster", "date,source,cluster". */
        if (strcmp(field, "date,source") == 0 || strcmp(field, "date,cluster") == 0 ||
            strcmp(field, "date,source,cluster") == 0) {
            slots[nslots++] = SLOT_DATE;
            if (strstr(field, "source"))
                slots[nslots++] = SLOT_SOURCE;
            if (strstr(field, "cluster"))
                slots[nslots++] = SLOT_CLUSTER;
        } else {
            return nx_fail(ix, NX_ERR_INVALID_ARG, "unknown field '%s'", field);
        }
    }
    nxx_db *db;
    nxx_query *q;
    nx_status_t s = prepare(ix, sq, &db, &q);
    if (s != NX_OK)
        return s;
    vc_ctx c = {fn, ctx, NULL, 0, 0, nslots == 0 ? 0 : strstr(field, "cluster") ? 2 : 1};
    int rc = nslots ? NXX(value_tuples)(db, q, slots, nslots, on_value_count, &c)
                    : NXX(value_counts)(db, q, slot, on_value_count, &c);
    NXX(q_free)(q);
    free(c.buf);
    if (rc)
        return xfail(ix, db, "counting values");
    if (c.oom)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    return NX_OK;
}

typedef struct vocab_ctx {
    vc_ctx vc;
    const char *prefix; /* nxx_terms strips it; the caller wants whole words */
    nx_word_want_fn want;
    void *want_ctx;
} vocab_ctx;

static void on_vocab_term(void *ctx, const char *t, size_t len, uint64_t n)
{
    vocab_ctx *c = ctx;
    char buf[MAX_TERM + 16];
    int k = snprintf(buf, sizeof buf, "%s%.*s", c->prefix, (int)len, t);
    if (k > 0 && (size_t)k < sizeof buf && (!c->want || c->want(c->want_ctx, buf, (size_t)k)))
        on_value_count(&c->vc, buf, (size_t)k, n);
}

static nx_status_t xap_vocabulary(nx_index_t *ix, const char *prefix, nx_word_want_fn want,
                                  nx_count_fn fn, void *ctx)
{
    nxx_db *db = reader(ix);
    if (!db)
        return nx_fail(ix, NX_ERR_INVALID_ARG, "%s: open the index read-only to read it", ix->path);
    /* Body words are unprefixed, lower case; a lower-case prefix therefore
     * never reaches the upper-case prefixed terms. */
    vocab_ctx c = {{fn, ctx, NULL, 0, 0, 0}, prefix, want, ctx};
    int rc = NXX(terms)(db, prefix, on_vocab_term, &c);
    free(c.vc.buf);
    if (rc)
        return xfail(ix, db, "reading the vocabulary");
    return c.vc.oom ? nx_fail(ix, NX_ERR_NOMEM, "out of memory") : NX_OK;
}

static nx_status_t xap_check(nx_index_t *ix)
{
    char err[1024];
    if (strncmp(ix->path, "tcp://", 6) == 0)
        return nx_fail(ix, NX_ERR_INVALID_ARG, "%s: check a database where it is stored",
                       ix->path);
    long n = shard_count(ix->path);
    for (long i = 0; i < (n > 0 ? n : 1); i++) {
        char p[PATH_MAX];
        if (n > 0)
            shard_path(p, sizeof p, ix->path, (size_t)i);
        else
            snprintf(p, sizeof p, "%s", ix->path);
        if (NXX(check)(p, err, sizeof err) != 0)
            return status_of(err, NX_ERR_CORRUPT) == NX_ERR_READ_ONLY
                       ? nx_fail(ix, NX_ERR_READ_ONLY,
                                 "%s: checking needs the right to write the index files: %s",
                                 ix->path, err)
                       : nx_fail(ix, NX_ERR_CORRUPT, "%s", err);
    }
    return NX_OK;
}

/* An entry already gone was removed by another process tidying up the
 * same leftover: not an error. */
static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    int r = type == FTW_DP ? rmdir(path) : unlink(path);
    return r != 0 && errno == ENOENT ? 0 : r;
}

/* Removes the folder at path and everything in it (nothing when missing). */
static int remove_tree(const char *path)
{
    if (access(path, F_OK) != 0)
        return errno == ENOENT ? 0 : -1;
    int r = nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    return r != 0 && access(path, F_OK) != 0 && errno == ENOENT ? 0 : r;
}

/* Compacts the writable database *db at p: a compact copy is written beside
 * it (p.compact), the two folders are swapped in one step (a reader or a
 * crash sees one whole database or the other), the old one is removed and
 * *db is opened again on the new one. Every commit leaves Xapian's B-trees
 * partly empty: at 100 MB of text, an index committed twice took 732 MB,
 * its compact copy 449 MB, made in 4 s. */
static nx_status_t compact_one(nx_index_t *ix, nxx_db **db, const char *p)
{
    char tmp[PATH_MAX], err[1024];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.compact", p) >= sizeof tmp)
        return nx_fail(ix, NX_ERR_IO, "%s: path too long", p);
    /* Left by an interrupted optimize: a partial copy, or the old database. */
    if (remove_tree(tmp) != 0)
        return nx_fail(ix, NX_ERR_IO, "cannot remove %s: %s", tmp, strerror(errno));
    if (NXX(compact)(*db, tmp) != 0) {
        nx_status_t s = xfail(ix, *db, "writing its compact copy");
        remove_tree(tmp);
        return s;
    }
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, p, RENAME_EXCHANGE) != 0) {
        int e = errno;
        remove_tree(tmp);
        return nx_fail(ix, NX_ERR_IO,
                       "cannot put the compact copy of %s in its place: %s (the index is as "
                       "it was)",
                       p, strerror(e));
    }
    /* The handle still holds the old folder (and its lock). */
    NXX(close)(*db);
    *db = NULL;
    const char *one = p;
    if (NXX(open)(&one, 1, 1, 0, db, err, sizeof err) != 0) {
        X(ix)->lost = 1;
        return nx_fail(ix, strstr(err, "DatabaseLockError") ? NX_ERR_BUSY : NX_ERR_IO,
                       "cannot open index %s again after compacting it: %s", p, err);
    }
    if (remove_tree(tmp) != 0)
        return nx_fail(ix, NX_ERR_IO, "%s is compacted, but its old copy %s could not be "
                       "removed: %s", p, tmp, strerror(errno));
    return NX_OK;
}

/* Bytes in the files of the folder dir (not below it). */
static int64_t folder_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int64_t sum = 0;
    struct dirent *e;
    char p[PATH_MAX];
    struct stat st;
    while ((e = readdir(d)))
        if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, e->d_name) < sizeof p &&
            stat(p, &st) == 0 && S_ISREG(st.st_mode))
            sum += (int64_t)st.st_size;
    closedir(d);
    return sum;
}

/* Metadata key: the database's size just after it was last compacted. */
#define COMPACT_KEY "compacted_bytes"

/* Compacts the shard at p (when not forced: only if it has grown by more
 * than a quarter since its last compaction, or was never compacted), and
 * records its new size. */
static nx_status_t settle_one(nx_index_t *ix, nxx_db **db, const char *p, int force)
{
    if (X(ix)->lost)
        return lost_shard(ix, p);
    char *was = NULL;
    if (NXX(get_metadata)(*db, COMPACT_KEY, &was) != 0)
        return xfail(ix, *db, "reading the index's metadata");
    int64_t base = was ? strtoll(was, NULL, 10) : 0;
    free(was);
    int64_t now = folder_bytes(p);
    if (!force && (now < 0 || (base > 0 && now <= base + base / 4))) {
        /* A copy left by an interrupted compaction (maybe the whole old
         * database) goes all the same; what cannot be removed now is
         * reported by the next optimize. */
        char tmp[PATH_MAX];
        if ((size_t)snprintf(tmp, sizeof tmp, "%s.compact", p) < sizeof tmp)
            remove_tree(tmp);
        return NX_OK;
    }
    nx_status_t s = compact_one(ix, db, p);
    if (s != NX_OK)
        return s;
    char v[32];
    snprintf(v, sizeof v, "%lld", (long long)folder_bytes(p));
    if (NXX(set_metadata)(*db, COMPACT_KEY, v) != 0 || NXX(commit)(*db) != 0)
        return xfail(ix, *db, "recording the compaction");
    return NX_OK;
}

/* settle_one on every shard of an index open for writing. */
static nx_status_t settle_all(nx_index_t *ix, int force)
{
    xap_index *x = X(ix);
    long n = shard_count(ix->path);
    for (size_t i = 0; i < x->nshards; i++) {
        char p[PATH_MAX];
        if (n > 0)
            shard_path(p, sizeof p, ix->path, i);
        else
            snprintf(p, sizeof p, "%s", ix->path);
        nx_status_t s = settle_one(ix, &x->shards[i], p, force);
        if (s != NX_OK)
            return s;
    }
    return NX_OK;
}

/* After an indexing run that changed the index: every commit leaves the
 * B-trees partly empty (Reuters-21578 in one commit 92.6 MB, compacted
 * 70.2 MB in 0.5 s; after a 1% update 134 MB), so a shard that has grown
 * by more than a quarter since it was last compacted is compacted now. A
 * quarter keeps small updates of a big index from rewriting it each time. */
static nx_status_t xap_settle(nx_index_t *ix)
{
    return X(ix)->shards ? settle_all(ix, 0) : NX_OK;
}

static nx_status_t xap_optimize(nx_index_t *ix)
{
    if (!X(ix)->shards)
        return nx_fail(ix, NX_ERR_INVALID_ARG, "%s: optimize a database where it is stored",
                       ix->path);
    return settle_all(ix, 1);
}

typedef struct files_ctx {
    nx_count_fn fn;
    void *ctx;
    const char *prefix;
    nxx_db *db;
    int failed;
} files_ctx;

static void on_file_key(void *ctx, const char *key, size_t len, uint64_t n)
{
    (void)n;
    files_ctx *f = ctx;
    char k[64], *v = NULL;
    snprintf(k, sizeof k, "F%.*s", (int)(len < 40 ? len : 40), key);
    if (NXX(get_metadata)(f->db, k, &v) != 0) {
        f->failed = 1;
        return;
    }
    nx_file_row row;
    const char *path = file_value(v, &row);
    if (path && strncmp(path, f->prefix, strlen(f->prefix)) == 0)
        f->fn(f->ctx, path, row.articles);
    free(v);
}

static nx_status_t xap_files(void *wp, const char *prefix, nx_count_fn fn, void *ctx)
{
    xap_writer *w = wp;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    files_ctx f = {fn, ctx, prefix, w->x->shards[0], 0};
    if (NXX(metadata_keys)(w->x->shards[0], "F", on_file_key, &f) || f.failed)
        return xfail(w->ix, w->x->shards[0], "listing indexed files");
    return NX_OK;
}

static nx_status_t xap_file_remove(void *wp, const char *path, int64_t *removed)
{
    xap_writer *w = wp;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    nx_status_t s = xap_remove_stale(w, path, NULL, 0, removed);
    if (s != NX_OK)
        return s;
    /* The articles it holds for others: its record goes. */
    char key[40];
    snprintf(key, sizeof key, "H%016llx", (unsigned long long)origin_of(path));
    holders_walk h = {w, key, NULL, 0, 0, NX_OK};
    if (NXX(metadata_keys)(w->x->shards[0], key, on_holder_key, &h) && h.s == NX_OK)
        h.s = xfail(w->ix, w->x->shards[0], "looking for removed articles that other files hold");
    for (size_t i = 0; i < h.n; i += 2) {
        if (h.s == NX_OK && NXX(set_metadata)(w->x->shards[0], h.keys[i], ""))
            h.s = xfail(w->ix, w->x->shards[0], "forgetting that a file holds an article");
        free(h.keys[i]);
        free(h.keys[i + 1]);
    }
    free(h.keys);
    if (h.s != NX_OK)
        return h.s;
    w->checked = 0;
    file_key(key, sizeof key, origin_of(path));
    if (NXX(set_metadata)(w->x->shards[0], key, ""))
        return xfail(w->ix, w->x->shards[0], "forgetting a file");
    return NX_OK;
}

typedef struct sig_walk {
    nx_sig_fn fn;
    void *ctx;
    size_t shard, nshards;
} sig_walk;

static int on_sig_value(void *ctx, uint64_t docid, const char *v, size_t len)
{
    sig_walk *sw = ctx;
    if (len <= 16)
        return 0;
    char hex[17];
    memcpy(hex, v, 16);
    hex[16] = '\0';
    int64_t label = (int64_t)strtoull(hex, NULL, 16);
    return sw->fn(sw->ctx, (int64_t)(docid * sw->nshards + sw->shard), label, v + 16, len - 16);
}

static nx_status_t xap_dup_signatures(void *wp, nx_sig_expect_fn expect, nx_sig_fn fn, void *ctx)
{
    (void)expect; /* not known without another call into each shard */
    xap_writer *w = wp;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    for (size_t sh = 0; sh < w->x->nshards; sh++) {
        sig_walk sw = {fn, ctx, sh, w->x->nshards};
        if (NXX(values)(w->x->shards[sh], SLOT_MINHASH, on_sig_value, &sw))
            return xfail(w->ix, w->x->shards[sh], "reading near-duplicate signatures");
    }
    return NX_OK;
}

static nx_status_t xap_dup_text(void *wp, int64_t key, char **text, size_t *len)
{
    xap_writer *w = wp;
    if (w->x->lost)
        return lost_shard(w->ix, w->ix->path);
    *text = NULL;
    *len = 0;
    size_t sh = (size_t)key % w->x->nshards;
    nxx_db *db = w->x->shards[sh];
    char *data;
    size_t dlen;
    if (NXX(get_data)(db, (uint64_t)key / w->x->nshards, &data, &dlen))
        return xfail(w->ix, db, "reading an article");
    const char *f[D_COUNT];
    if (data && decode_data(data, dlen, f) == 0) {
        *len = strlen(f[D_BODY]);
        *text = strdup(f[D_BODY]);
        if (!*text) {
            free(data);
            return nx_fail(w->ix, NX_ERR_NOMEM, "out of memory");
        }
    }
    free(data);
    return NX_OK;
}

static char *xap_describe(nx_index_t *ix, const nx_store_query *sq)
{
    nxx_query *q;
    if (build(ix, sq, &q) != NX_OK)
        return NULL;
    char *d = NXX(q_describe)(q);
    NXX(q_free)(q);
    nx_sb b = {0};
    nx_sb_puts(&b, "xapian: ");
    nx_sb_puts(&b, d ? d : "");
    free(d);
    return nx_sb_take(&b);
}

const nx_engine nx_engine_xapian = {
    "xapian",
    xap_open,
    xap_close,
    xap_writer_new,
    xap_writer_free,
    xap_begin,
    xap_commit,
    xap_rollback,
    xap_put_article,
    xap_file_get,
    xap_file_put,
    xap_remove_stale,
    xap_get_article,
    xap_stats,
    xap_field_counts,
    xap_search,
    xap_count,
    xap_value_counts,
    xap_vocabulary,
    NULL, /* Xapian's term list has no doclists between words: reading a letter is cheap */
    xap_check,
    xap_optimize,
    xap_files,
    xap_file_remove,
    xap_wanted,
    xap_holder_forget,
    xap_describe,
    xap_dup_signatures,
    xap_dup_text,
    NULL, /* documents are stored as Xapian's data, not packed */
    xap_unchanged,
    /* Each commit leaves Xapian's B-trees less full: Reuters-21578 in one
     * commit takes 92.6 MB, in two 115.9 MB, in ten 142.3 MB. */
    10,
    xap_settle,
    NULL, /* stem terms are indexed (without positions); their lists serve phrases */
};
