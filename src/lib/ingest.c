/* ingest.c - an indexing run: walk inputs, read each file with the reader
 * for its format, turn records into articles and store them in batches.
 *
 * A file with fewer articles than a batch is written in one transaction,
 * together with its row in `files`, so a crash leaves it whole or absent.
 * A longer file is committed every batch of its own articles, or every ten
 * with Xapian (nx_store_file_commit_every; one transaction for a multi-GB
 * dump made the write-ahead log as big as the index and lost all of it to
 * an interruption); its row says "incomplete" until its last article is
 * in, so an interrupted file is read again on the next run, which finds the
 * articles already stored unchanged and removes none that the file still
 * holds. Files whose size and mtime match the record are
 * skipped without being read. Articles whose content hash is unchanged are
 * not rewritten, so re-reading a touched file costs no index churn; in a
 * file indexed before (or, see MAX_MISSES, one that may hold articles
 * indexed from another), they are looked up before being queued, and one
 * found unchanged is not prepared either (a dump with a few articles
 * appended is read again at the speed of JSON parsing). */
#include "internal.h"

#include "../analyze/analyzer.h"
#include "../analyze/langid.h"
#include "../analyze/minhash.h"
#include "../ingest/date.h"
#include "../ingest/input.h"
#include "../ingest/record.h"
#include "../store/store.h"
#include "dupindex.h"
#include "prepare.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>
#include <zlib.h>

/* A batch, in articles. A long file is committed every batch of its own:
 * at 2,000 that cost 10% at 1 GB (FTS5 writes out its pending terms at each
 * commit, and merges more); at 10,000, nothing measurable. */
#define DEFAULT_BATCH 10000
/* Reports per file: a file with thousands of bad lines says so once. */
#define MAX_REPORTS 20
#define MAX_DIR_DEPTH 64
/* Articles prepared ahead of the one being written: enough to keep the
 * writer busy through the worker's slower stretches (64 left the writer
 * waiting about 10% of a Reuters-21578 run), few enough to bound memory
 * (a few MB). */
#define MAX_QUEUED 256
/* Articles the near-duplicate index holds, the latest ones (dupindex.h):
 * about 300 MB, where holding all of them took the indexer past 1 GB of
 * memory at 3.5 million articles. */
#define DUP_WINDOW ((size_t)1 << 20)
/* Files not indexed before (moved, renamed, or a dump overlapping an
 * earlier one) are looked through for stored articles until this many in a
 * row, in the run, are not: a run of new articles (a new index) pays this
 * many lookups, not one each. */
#define MAX_MISSES 1000

typedef enum { FMT_NONE, FMT_TEXT, FMT_JSONL, FMT_HTML } file_format;

struct nx_ingest {
    nx_index_t *ix;
    nx_langid *langid;    /* for preparing here (no worker); NULL without fingerprints */
    nx_store_writer *w;
    nx_ingest_options_t opt;
    nx_ingest_counts_t n;
    size_t pending;       /* articles written since the last commit */
    nx_status_t fatal;    /* set when the index itself failed */
    nx_dupindex *dups;    /* the index's near-duplicate signatures, loaded on first use */
    nx_prep *prep;        /* the worker preparing the next articles */
    int prep_failed;      /* no worker thread: articles are prepared here */
    unsigned dict_sent;   /* the packing dictionary the worker was given (0: none) */
    nx_analyzer *an;      /* for preparing here */

    /* The file being read. */
    const char *path;     /* as reported to the user */
    const char *key;      /* files.path / articles.origin */
    const char *id_base;  /* prefix for ids of records without one */
    int id_base_checked;  /* choose_id_base has run for this file */
    char id_alt[PATH_MAX]; /* a longer id_base, when the short one is another file's */
    file_format fmt;
    nx_origin origin;
    int64_t *rowids;      /* articles of this file seen so far */
    size_t nrowids, caprowids;
    int split;            /* part of this file is committed: its record says incomplete */
    int recheck;          /* the file was indexed before: look for unchanged articles first */
    size_t misses;        /* articles looked for and not found, in a row, in this run */
    int bad_records;      /* in this file */
    long line_base;       /* lines of the file before the part being read */
    long quiet_problems;  /* reports not shown for this file (past MAX_REPORTS) */
    /* While the file is read back for articles another file dropped (see
     * restore_dropped): their ids, sorted; only those are taken. */
    char **want;
    size_t nwant;
    /* for --prune: the files seen, the folders walked, and the folders (or
     * entries) that could not be read, whose files are not taken as gone */
    char **seen, **roots, **unread;
    size_t nseen, capseen, nroots, caproots, nunread, capunread;
};

static void problem(nx_ingest_t *g, const char *path, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(nx_ingest_t *g, const char *path, long line, const char *fmt, ...)
{
    if (!g->opt.on_problem)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    g->opt.on_problem(g->opt.ctx, path, line, msg);
}

nx_status_t nx_ingest_begin(nx_index_t *ix, const nx_ingest_options_t *opts, nx_ingest_t **out)
{
    if (out)
        *out = NULL;
    if (!ix || !out)
        return NX_ERR_INVALID_ARG;
    nx_ingest_t *g = calloc(1, sizeof *g);
    if (!g)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    g->ix = ix;
    if (opts)
        g->opt = *opts;
    if (!g->opt.batch_articles)
        g->opt.batch_articles = DEFAULT_BATCH;
    nx_status_t s = nx_store_writer_new(ix, &g->w);
    if (s != NX_OK) {
        free(g);
        return s;
    }
    *out = g;
    return NX_OK;
}

void nx_ingest_destroy(nx_ingest_t *g)
{
    if (!g)
        return;
    nx_store_writer_free(g->w); /* rolls back what was not committed */
    nx_prep_free(g->prep); /* before the writer: queued articles are dropped */
    nx_analyzer_free(g->an);
    nx_langid_free(g->langid);
    nx_dupindex_free(g->dups);
    for (size_t i = 0; i < g->nseen; i++)
        free(g->seen[i]);
    free(g->seen);
    for (size_t i = 0; i < g->nroots; i++)
        free(g->roots[i]);
    free(g->roots);
    for (size_t i = 0; i < g->nunread; i++)
        free(g->unread[i]);
    free(g->unread);
    free(g->rowids);
    free(g);
}

/* Appends a copy of s to a string list; -1 when out of memory. */
static int remember(char ***list, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        char **p = realloc(*list, c * sizeof *p);
        if (!p)
            return -1;
        *list = p;
        *cap = c;
    }
    if (!((*list)[*n] = strdup(s)))
        return -1;
    (*n)++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct prune_ctx {
    nx_ingest_t *g;
    char **gone;
    size_t n, cap;
    int oom;
} prune_ctx;

static void on_recorded(void *ctx, const char *path, int64_t articles)
{
    (void)articles;
    prune_ctx *p = ctx;
    const char *key = path;
    if (bsearch(&key, p->g->seen, p->g->nseen, sizeof *p->g->seen, cmp_str))
        return;
    /* Under a folder this run could not list (permissions, I/O): unseen,
     * but not known to be gone. */
    for (size_t i = 0; i < p->g->nunread; i++)
        if (strncmp(path, p->g->unread[i], strlen(p->g->unread[i])) == 0)
            return;
    if (remember(&p->gone, &p->n, &p->cap, path))
        p->oom = 1;
}

/* Remembers, for --prune, that dir/name (name NULL: dir itself) could not
 * be read: the recorded files under it (or it) stay. */
static void unread(nx_ingest_t *g, const char *dir, const char *name)
{
    char real[PATH_MAX], key[PATH_MAX + 2];
    if (!g->opt.prune || !realpath(dir, real))
        return;
    if (name) {
        /* The entry itself (a file), and as a folder. */
        snprintf(key, sizeof key, "%s/%s", real, name);
        if (remember(&g->seen, &g->nseen, &g->capseen, key))
            g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
    } else {
        snprintf(key, sizeof key, "%s", real);
    }
    strncat(key, "/", sizeof key - strlen(key) - 1);
    if (remember(&g->unread, &g->nunread, &g->capunread, key))
        g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
}

/* Forgets the recorded files under the folders walked that this run did
 * not see: they were deleted or moved out of the archive. */
static nx_status_t prune(nx_ingest_t *g)
{
    if (g->nseen)
        qsort(g->seen, g->nseen, sizeof *g->seen, cmp_str);
    nx_status_t s = nx_store_begin(g->w);
    for (size_t r = 0; s == NX_OK && r < g->nroots; r++) {
        prune_ctx p = {g, NULL, 0, 0, 0};
        s = nx_store_files(g->w, g->roots[r], on_recorded, &p);
        if (s == NX_OK && p.oom)
            s = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
        for (size_t i = 0; s == NX_OK && i < p.n; i++) {
            int64_t removed = 0;
            s = nx_store_file_remove(g->w, p.gone[i], &removed);
            g->n.articles_removed += removed;
            g->n.files_pruned++;
        }
        for (size_t i = 0; i < p.n; i++)
            free(p.gone[i]);
        free(p.gone);
    }
    return s;
}

typedef struct held {
    char *path, *id;
    int64_t since; /* when the file stopped keeping the article */
} held;

typedef struct wanted_list {
    held *v;
    size_t n, cap;
} wanted_list;

static int on_wanted(void *ctx, const char *path, const char *id, int64_t since)
{
    wanted_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        held *p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return 1;
        l->v = p;
        l->cap = cap;
    }
    held *h = &l->v[l->n];
    h->since = since;
    if (!(h->path = strdup(path)) || !(h->id = strdup(id))) {
        free(h->path);
        return 1;
    }
    l->n++;
    return 0;
}

static void free_wanted(wanted_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].id);
    }
    free(l->v);
}

/* By id, the file that kept it last first. */
static int by_id_latest(const void *a, const void *b)
{
    const held *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return (x->since < y->since) - (x->since > y->since);
}

static int by_path_id(const void *a, const void *b)
{
    const held *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : strcmp(x->id, y->id);
}

static void index_file(nx_ingest_t *g, const char *path, const char *id_base, int explicit_arg);

/* Reads each file of l (sorted by path) back for its ids, then has the
 * engine forget those pairs: read back, or no longer in the file. */
static nx_status_t read_back(nx_ingest_t *g, wanted_list *l)
{
    char **ids = malloc(l->n * sizeof *ids);
    if (!ids)
        return g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
    nx_status_t s = NX_OK;
    for (size_t i = 0, j; s == NX_OK && i < l->n; i = j) {
        size_t k = 0;
        for (j = i; j < l->n && strcmp(l->v[j].path, l->v[i].path) == 0; j++)
            ids[k++] = l->v[j].id;
        g->want = ids;
        g->nwant = k;
        index_file(g, l->v[i].path, "", 0);
        g->want = NULL;
        s = g->fatal;
        for (size_t m = i; s == NX_OK && m < j; m++)
            s = nx_store_holder_forget(g->w, l->v[m].path, l->v[m].id);
    }
    free(ids);
    return s;
}

/* Articles this run removed may be held by another file too: one that a
 * later file took over (same id) and has now dropped. The engine remembers
 * such files (wanted in store.h); the one that kept the article last is
 * read again for it, as if the later file had never had it, wherever that
 * file is and whether or not the run was given it; should it no longer have
 * the article, the next round tries the one before. Only the articles
 * wanted are taken from a file. The engine's list is read only after a
 * run that removed articles, or when the index says a run that did stopped
 * before this (with a copy of a big dump indexed, the list is as long as
 * the dump). Each round forgets at least one pair; the bound is for an
 * engine that would not. */
static nx_status_t restore_dropped(nx_ingest_t *g)
{
    nx_status_t s = NX_OK;
    for (int round = 0; s == NX_OK && round < 64; round++) {
        wanted_list l = {NULL, 0, 0};
        s = nx_store_begin(g->w);
        if (s == NX_OK)
            s = nx_store_wanted(g->w, round == 0 && g->n.articles_removed == 0, on_wanted, &l);
        if (s != NX_OK || l.n == 0) {
            free_wanted(&l);
            break;
        }
        /* Each id from its latest holder only, this round. */
        qsort(l.v, l.n, sizeof *l.v, by_id_latest);
        size_t kept = 0;
        for (size_t i = 0; i < l.n; i++) {
            if (kept && strcmp(l.v[kept - 1].id, l.v[i].id) == 0) {
                free(l.v[i].path);
                free(l.v[i].id);
            } else {
                l.v[kept++] = l.v[i];
            }
        }
        l.n = kept;
        qsort(l.v, l.n, sizeof *l.v, by_path_id);
        s = read_back(g, &l);
        free_wanted(&l);
    }
    return s;
}

nx_status_t nx_ingest_finish(nx_ingest_t *g, nx_ingest_counts_t *counts)
{
    if (!g)
        return NX_ERR_INVALID_ARG;
    if (!g->fatal && g->opt.prune)
        g->fatal = prune(g);
    if (!g->fatal)
        g->fatal = restore_dropped(g);
    nx_status_t s = g->fatal ? g->fatal : nx_store_commit(g->w);
    /* The run is committed: a tidy-up that fails (a compaction needs room
     * for a copy of the index) is a warning, not a failed run. */
    if (s == NX_OK && g->n.articles_added + g->n.articles_updated + g->n.articles_removed > 0 &&
        nx_store_settle(g->ix) != NX_OK)
        snprintf(g->ix->notice, sizeof g->ix->notice, "the index was not compacted: %.960s",
                 g->ix->err);
    if (counts)
        *counts = g->n;
    return s;
}

/* ---------------------------------------------------------- one record */

/* The article's language as an ISO code: as the input states it ("fr",
 * "fr-FR", "French"), else NULL: to be detected from its text (prepare.c),
 * which falls back on the index's. A language newsidx does not know is
 * reported and replaced the same way. */
static const char *record_language(nx_ingest_t *g, const nx_record *r)
{
    if (r->lang && *r->lang) {
        const nx_lang *l = nx_lang_find(r->lang);
        if (l)
            return l->code;
        problem(g, g->path, r->lang_line ? r->lang_line : r->line,
                "unknown language '%.40s'; detecting it from the text", r->lang);
    }
    /* Detected from the text while the article is prepared (the index's
     * language when that finds none, or without fingerprints). */
    return NULL;
}

static int remember_rowid(nx_ingest_t *g, int64_t rowid)
{
    if (g->nrowids == g->caprowids) {
        size_t cap = g->caprowids ? g->caprowids * 2 : 64;
        int64_t *p = realloc(g->rowids, cap * sizeof *p);
        if (!p)
            return -1;
        g->rowids = p;
        g->caprowids = cap;
    }
    g->rowids[g->nrowids++] = rowid;
    return 0;
}

/* The id of a record without one, from its file's path: a byte of the path
 * that is not UTF-8 is written %XX, so that the id is text (JSON output,
 * a terminal, `show ID`) and still names one file. */
static void derived_id(char *buf, size_t len, const char *base, long line)
{
    size_t o = 0;
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)base;
    for (size_t i = 0; u[i] && o + 4 < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(u + i, -1, &cp);
        if (k <= 0) {
            o += (size_t)snprintf(buf + o, len - o, "%%%02X", u[i]);
            i++;
        } else {
            for (utf8proc_ssize_t j = 0; j < k && o + 1 < len; j++)
                buf[o++] = (char)u[i++];
        }
    }
    buf[o] = '\0';
    if (line > 0)
        snprintf(buf + o, len - o, "#L%ld", line);
}

/* Two files can derive the same ids: feed.jsonl given from two folders, or
 * two folders both named news. The second file's articles then replaced
 * the first's, in silence. So when the first id a file derives belongs to
 * an article of another file that still exists, its base takes one more
 * folder of the file's path (tue/feed.jsonl), and so on until the id is
 * free or the file's own. A file that is gone (moved) is not in the way:
 * its articles follow the file, as they always did. */
static void choose_id_base(nx_ingest_t *g, long line)
{
    g->id_base_checked = 1;
    if (!g->key || g->key[0] != '/')
        return;
    int comps = 1;
    for (const char *c = g->id_base; *c; c++)
        comps += *c == '/';
    for (int whole = 0;;) {
        char id[PATH_MAX + 32];
        derived_id(id, sizeof id, g->id_base, line);
        nx_article_t *a = NULL;
        if (nx_store_get_article(g->ix, id, &a) != NX_OK || !a)
            return; /* free (or not readable now: as before) */
        const char *origin = nx_article_get(a, NX_FIELD_ORIGIN);
        int theirs = origin && *origin && strcmp(origin, g->key) != 0 && access(origin, F_OK) == 0;
        nx_article_destroy(a);
        if (!theirs || whole)
            return; /* whole: nothing longer to try */
        /* The last comps + 1 components of the file's path. */
        const char *p = g->key + strlen(g->key);
        int n = 0;
        while (p > g->key && !(*--p == '/' && ++n == comps + 1))
            ;
        whole = p == g->key;
        snprintf(g->id_alt, sizeof g->id_alt, "%s", p + 1);
        g->id_base = g->id_alt;
        comps++;
    }
}

static char *make_id(nx_ingest_t *g, const nx_record *r)
{
    char buf[PATH_MAX + 32];
    if (r->id && *r->id)
        return strdup(r->id);
    if (!g->id_base_checked)
        choose_id_base(g, r->line);
    derived_id(buf, sizeof buf, g->id_base, r->line);
    return strdup(buf);
}

static int on_stored_sig(void *ctx, int64_t key, int64_t cluster, const void *sig, size_t len)
{
    nx_mh_sig s;
    if (len != 2 * NX_MH_K)
        return 0; /* another signature version: left out of clustering */
    nx_mh_unpack(sig, &s);
    return nx_dupindex_add(ctx, &s, key, cluster) != 0;
}

static void on_expected_sigs(void *ctx, int64_t n)
{
    if (n > 0)
        nx_dupindex_reserve(ctx, (size_t)n); /* a hint: without it, the index grows as it goes */
}

static int fetch_text(void *ctx, int64_t key, char **text, size_t *len)
{
    nx_ingest_t *g = ctx;
    return nx_store_dup_text(g->w, key, text, len) != NX_OK || !*text;
}

/* Finds the near-duplicate cluster of an article about to be stored, whose
 * signature is sig (and words, when not NULL, its body's words kept by the
 * preparer): fills *df (df->sig points into packed). Returns 0, or
 * -1 on failure (g->fatal set). The first call reads every stored
 * signature. */
static int cluster_of(nx_ingest_t *g, const char *body, const nx_mh_sig *sig,
                      const nx_mh_words *words, unsigned char *packed, nx_dup_facts *df)
{
    *df = (nx_dup_facts){NULL, 0, -1, -1};
    if (!g->dups) {
        if (!(g->dups = nx_dupindex_new()) || nx_dupindex_set_window(g->dups, DUP_WINDOW) != 0) {
            g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
            return -1;
        }
        if ((g->fatal = nx_store_dup_signatures(g->w, on_expected_sigs, on_stored_sig, g->dups)) != NX_OK)
            return -1;
    }
    if ((words ? nx_dup_assign_words(g->dups, sig, words, fetch_text, g, &df->cluster)
               : nx_dup_assign(g->dups, sig, body, strlen(body), fetch_text, g, &df->cluster)) !=
        0) {
        g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
        return -1;
    }
    nx_mh_pack(sig, packed);
    df->sig = packed;
    df->sig_len = 2 * NX_MH_K;
    return 0;
}

/* Commits part of a file once it alone has filled the engine's interval (a
 * batch; see the top of this file). The record is marked incomplete first,
 * in the same transaction, so that a file being read again after a change
 * is not taken for unchanged if the run stops before its end. */
static nx_status_t commit_within_file(nx_ingest_t *g)
{
    size_t every = nx_store_file_commit_every(g->ix, g->opt.batch_articles);
    if (g->nrowids < every || g->pending < every)
        return NX_OK;
    if (!g->split && g->key) { /* (a stream has no record) */
        nx_file_row incomplete = {-1, 0, 0, ""};
        if ((g->fatal = nx_store_file_put(g->w, g->key, &incomplete)) != NX_OK)
            return g->fatal;
        g->split = 1;
    }
    g->pending = 0;
    return g->fatal = nx_store_commit(g->w);
}

/* Prepares a job on this thread: without a worker, or for an article that
 * was unchanged when queued and changed since (a record earlier in the file
 * with the same id). Returns 0, or -1 when out of memory (g->fatal set). */
static int prepare_here(nx_ingest_t *g, nx_prep_job *job)
{
    if (!g->an) /* the first time; without fingerprints langid stays NULL */
        g->langid = nx_langid_new();
    if (!g->an && !(g->an = nx_analyzer_new(g->ix->lang))) {
        g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
        return -1;
    }
    const nx_lang *def = nx_lang_find(g->ix->lang);
    job->skip = 0;
    nx_prep_run(g->an, g->langid, def ? def->code : "en", NULL, NULL, 0, job);
    return 0;
}

/* Stores a prepared article (and frees the job). Returns 0, or 1 when the
 * index failed (g->fatal set). */
static int write_job(nx_ingest_t *g, nx_prep_job *job)
{
    nx_article_t *a = &job->a;
    int rc = 0;
    if (job->skip) {
        /* Checked again in the file's order, which a record earlier in the
         * file with the same id may have changed. */
        int same;
        int64_t rowid;
        if ((g->fatal = nx_store_begin(g->w)) != NX_OK ||
            (g->fatal = nx_store_unchanged(g->w, a, &g->origin, 1, &same, &rowid)) != NX_OK) {
            nx_prep_job_free(job);
            return 1;
        }
        if (same) {
            nx_prep_job_free(job);
            if (remember_rowid(g, rowid)) {
                g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
                return 1;
            }
            g->pending++;
            g->n.articles_unchanged++;
            return commit_within_file(g) != NX_OK;
        }
        if (prepare_here(g, job) != 0) {
            nx_prep_job_free(job);
            return 1;
        }
    }
    if (job->failed) {
        g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
        rc = 1;
    }
    int outcome;
    int64_t rowid;
    unsigned char packed[2 * NX_MH_K];
    nx_dup_facts df;
    nx_prepared prep = {&job->body,        &job->title,      job->packed,
                        job->packed_len,   job->packed_dict, job->words_given,
                        job->words,        job->words_len,   job->stems_given,
                        job->stems,        job->stems_len};
    if (!rc && (g->fatal = nx_store_begin(g->w)) != NX_OK)
        rc = 1;
    if (!rc && job->fp == 0 &&
        cluster_of(g, a->f[NX_FIELD_BODY], &job->sig, job->mh_words, packed, &df) < 0)
        rc = 1;
    if (!rc && (g->fatal = nx_store_put_article(g->w, a, &g->origin, job->fp == 0 ? &df : NULL,
                                                &prep, &outcome, &rowid)) != NX_OK)
        rc = 1;
    /* A changed article is a new text: its old signature goes. */
    if (!rc && job->fp == 0 && outcome != NX_PUT_UNCHANGED &&
        nx_dupindex_add(g->dups, &job->sig, rowid, df.assigned) != 0) {
        g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
        rc = 1;
    }
    if (!rc && remember_rowid(g, rowid)) {
        g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
        rc = 1;
    }
    /* The index trained its dictionary (or found one): the worker packs
     * with it from now on. */
    if (!rc && g->prep) {
        size_t dlen;
        unsigned id;
        const void *dict = nx_store_pack_dict(g->w, &dlen, &id);
        if (id != g->dict_sent && nx_prep_set_dict(g->prep, dict, dlen) == 0)
            g->dict_sent = id;
    }
    if (!rc) {
        g->pending++;
        if (outcome == NX_PUT_ADDED)
            g->n.articles_added++;
        else if (outcome == NX_PUT_UPDATED)
            g->n.articles_updated++;
        else
            g->n.articles_unchanged++;
    }
    nx_prep_job_free(job);
    if (!rc && commit_within_file(g) != NX_OK)
        rc = 1;
    return rc;
}

/* Stores the prepared articles: all of them with wait (the end of a file),
 * else those ready, and the oldest one anyway when too many are queued. */
static int write_prepared(nx_ingest_t *g, int all)
{
    if (!g->prep)
        return 0;
    nx_prep_job *job;
    while ((job = nx_prep_next(g->prep, all || nx_prep_pending(g->prep) >= MAX_QUEUED)))
        if (write_job(g, job))
            return 1;
    return 0;
}

/* Whether this read of the file has written the article with key rowid
 * (a short list while reading a file back: its wanted articles only). */
static int wrote_here(const nx_ingest_t *g, int64_t rowid)
{
    for (size_t i = 0; i < g->nrowids; i++)
        if (g->rowids[i] == rowid)
            return 1;
    return 0;
}

/* Takes ownership of the record's strings. The article is queued for the
 * worker (prepare.h) and written once prepared, in order. */
static int on_record(void *ctx, nx_record *r)
{
    nx_ingest_t *g = ctx;
    if (g->want) {
        const char *id = r->id;
        /* An id derived from the path never passes to another file (see
         * choose_id_base), so only ids the records give are wanted. */
        if (!id || !*id || !bsearch(&id, g->want, g->nwant, sizeof *g->want, cmp_str)) {
            nx_record_clear(r);
            return 0;
        }
    }
    if (r->line > 0)
        r->line += g->line_base;
    if (r->date_line > 0)
        r->date_line += g->line_base;
    if (r->lang_line > 0)
        r->lang_line += g->line_base;
    nx_prep_job *job = calloc(1, sizeof *job);
    if (!job) {
        nx_record_clear(r);
        g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
        return 1;
    }
    nx_article_t *a = &job->a;
    const char *lang = record_language(g, r);
    a->f[NX_FIELD_LANG] = lang ? strdup(lang) : NULL;
    a->f[NX_FIELD_ID] = make_id(g, r);
    a->f[NX_FIELD_TITLE] = r->title ? r->title : strdup("");
    a->f[NX_FIELD_BODY] = r->body ? r->body : strdup("");
    a->f[NX_FIELD_SOURCE] = r->source;
    a->f[NX_FIELD_URL] = r->url;
    r->title = r->body = r->source = r->url = NULL;
    int date_oom = 0;
    if (r->date && *r->date) {
        char iso[NX_DATE_LEN + 1];
        if (nx_date_parse(r->date, iso) == 0) {
            date_oom = !(a->f[NX_FIELD_DATE] = strdup(iso));
        } else {
            problem(g, g->path, r->date_line ? r->date_line : r->line,
                    "unrecognised date '%.60s'; article kept without a date", r->date);
        }
    }
    int bad = !a->f[NX_FIELD_ID] || !a->f[NX_FIELD_TITLE] || !a->f[NX_FIELD_BODY] ||
              (lang && !a->f[NX_FIELD_LANG]) || date_oom;
    nx_record_clear(r);
    if (bad) {
        nx_prep_job_free(job);
        g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
        return 1;
    }
    if (!g->prep && !g->prep_failed &&
        !(g->prep = nx_prep_new(g->ix->lang,
                                (nx_store_keeps_spelling(g->ix) ? NX_PREP_SPELLING : 0) |
                                    (nx_store_lists_stems(g->ix) ? NX_PREP_STEMS : 0))))
        g->prep_failed = 1; /* no thread: prepare here, one at a time */
    /* An article stored with the same content needs no preparing (a file
     * read again after a change, or after a run stopped inside it). */
    int same = 0;
    int64_t rowid;
    if (g->want) {
        /* Stored since it was found wanted: another holder gave it back,
         * unless it is this file's own earlier record of the id, already
         * written (it is then replaced, as when the file is read). */
        if ((g->fatal = nx_store_unchanged(g->w, a, &g->origin, 0, &same, &rowid)) != NX_OK ||
            (rowid && !wrote_here(g, rowid))) {
            nx_prep_job_free(job);
            return g->fatal != NX_OK;
        }
    } else if (g->recheck || g->misses < MAX_MISSES) {
        if ((g->fatal = nx_store_unchanged(g->w, a, &g->origin, 0, &same, &rowid)) != NX_OK) {
            nx_prep_job_free(job);
            return 1;
        }
        g->misses = same ? 0 : g->misses + 1;
    }
    job->skip = same;
    /* Nothing queued before it: written now, without a trip through the
     * worker's queue (two thread wake-ups an article, where a file read
     * again is mostly unchanged articles). */
    if (!g->prep || (job->skip && nx_prep_pending(g->prep) == 0)) {
        if (!job->skip && prepare_here(g, job) != 0) {
            nx_prep_job_free(job);
            return 1;
        }
        return write_job(g, job);
    }
    nx_prep_push(g->prep, job);
    return write_prepared(g, 0);
}

static void on_reader_problem(void *ctx, long line, const char *msg)
{
    nx_ingest_t *g = ctx;
    if (line > 0)
        line += g->line_base;
    if (line > 0) {
        g->bad_records++;
        g->n.records_bad++;
    }
    if (g->bad_records > MAX_REPORTS) {
        g->quiet_problems++;
        return;
    }
    problem(g, g->path, line, "%s", msg);
}

/* A record kept without a field it could not use: said, not counted bad
 * (like a date that could not be read). */
static void on_reader_notice(void *ctx, long line, const char *msg)
{
    nx_ingest_t *g = ctx;
    problem(g, g->path, line + g->line_base, "%s", msg);
}

/* Resets the per-file report count, saying how many were not shown. */
static void end_file_reports(nx_ingest_t *g)
{
    if (g->quiet_problems)
        problem(g, g->path, 0, "%ld more bad records not shown", g->quiet_problems);
    g->quiet_problems = 0;
    g->bad_records = 0;
}

/* ------------------------------------------------------------ one file */

static file_format format_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char name[256];
    snprintf(name, sizeof name, "%s", base);
    size_t n = strlen(name);
    if (n > 3 && strcasecmp(name + n - 3, ".gz") == 0)
        name[n -= 3] = '\0';
    const char *dot = strrchr(name, '.');
    if (!dot)
        return FMT_NONE;
    static const struct {
        const char *ext;
        file_format fmt;
    } exts[] = {{".txt", FMT_TEXT},    {".text", FMT_TEXT},  {".md", FMT_TEXT},
                {".jsonl", FMT_JSONL}, {".ndjson", FMT_JSONL}, {".html", FMT_HTML},
                {".htm", FMT_HTML},    {".xhtml", FMT_HTML}};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot, exts[i].ext) == 0)
            return exts[i].fmt;
    return FMT_NONE;
}

static int cmp_rowid(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Runs the reader over data, which must already be text. */
static int run_reader(nx_ingest_t *g, const char *data, size_t len)
{
    nx_record_sink sink = {on_record, on_reader_problem, g, on_reader_notice};
    int rc;
    switch (g->fmt) {
    case FMT_TEXT: rc = nx_read_text(data, len, &sink); break;
    case FMT_JSONL: rc = nx_read_jsonl(data, len, &sink); break;
    case FMT_HTML: rc = nx_read_html(data, len, &sink); break;
    default: return -1;
    }
    /* The file's last articles are still being prepared. */
    if (!g->fatal)
        write_prepared(g, 1);
    return rc;
}

/* Does the input open with a JSON object, as JSON Lines does? */
static int starts_like_json(const char *d, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    return i < n && d[i] == '{';
}

static const char *as_text_utf8(nx_ingest_t *g, const char *data, size_t *len, char **owned);

/* Makes data safe to read: rejects empty and binary input, rescues text
 * that is not UTF-8, decodes UTF-16 with a byte order mark (what Windows
 * calls "Unicode" text). Returns the text to read (data itself or a new
 * buffer in *owned), or NULL when the file is unusable (already reported;
 * nothing left in *owned). */
static const char *as_text(nx_ingest_t *g, const char *data, size_t *len, char **owned)
{
    *owned = NULL;
    if (!nx_is_utf16(data, *len))
        return as_text_utf8(g, data, len, owned);
    char *u8 = nx_utf16_to_utf8(data, *len, len);
    if (!u8) {
        g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory decoding UTF-16");
        return NULL;
    }
    const char *text = as_text_utf8(g, u8, len, owned);
    if (*owned || !text) { /* read again into a buffer of its own, or unusable */
        free(u8);
        return text;
    }
    *owned = u8;
    return u8;
}

static const char *as_text_utf8(nx_ingest_t *g, const char *data, size_t *len, char **owned)
{
    *owned = NULL;
    if (*len == 0) {
        problem(g, g->path, 0, "empty file; skipped");
        return NULL;
    }
    long bad_line;
    int has_utf8;
    nx_text_kind kind = nx_text_classify(data, *len, &bad_line, &has_utf8);
    if (bad_line > 0)
        bad_line += g->line_base;
    if (kind == NX_TEXT_BINARY && g->fmt == FMT_JSONL && starts_like_json(data, *len)) {
        /* Stray NULs or control bytes in some lines of a JSON Lines dump:
         * the reader skips those lines one by one. */
        kind = has_utf8 ? NX_TEXT_UTF8 : NX_TEXT_NOT_UTF8;
        if (!bad_line)
            kind = NX_TEXT_UTF8;
    }
    if (kind == NX_TEXT_BINARY) {
        problem(g, g->path, 0, "binary data, not text; skipped");
        return NULL;
    }
    if (kind == NX_TEXT_NOT_UTF8 && g->fmt != FMT_HTML) {
        /* HTML declares its charset and libxml2 decodes it. */
        if (has_utf8) {
            problem(g, g->path, bad_line, "invalid UTF-8; bad bytes replaced with U+FFFD");
            return data; /* the readers repair each string */
        }
        problem(g, g->path, bad_line, "not UTF-8; read as Windows-1252 (Latin-1)");
        *owned = nx_cp1252_to_utf8(data, *len, len);
        if (!*owned) {
            g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
            return NULL;
        }
        return *owned;
    }
    return data;
}

/* A JSON Lines file, gzipped or not (zlib's gzread reads both), is read a
 * part of whole lines at a time, so that memory does not grow with the
 * file and no size limit applies: a 1 GB dump read whole took the indexer
 * to 1.2 GB. Each part goes through as_text and the reader as a whole file
 * would, lines numbered from the file's start. Returns the reader's result
 * (-1: nothing usable), or -2 when the file could not be read (what came
 * before a damaged or truncated stretch is kept, nothing is removed);
 * *hash is that of all the bytes read. */
#define STREAM_PART ((size_t)8 << 20)

typedef struct stream_buf {
    char *p;
    size_t cap, used;
    int eof, failed; /* failed: a read error (said) or no memory (g->fatal) */
} stream_buf;

/* Reads on until b holds `want` bytes or the file ends. */
static void stream_fill(nx_ingest_t *g, gzFile f, stream_buf *b, size_t want)
{
    while (!b->eof && !b->failed && b->used < want) {
        if (b->used == b->cap) {
            char *p = realloc(b->p, b->cap * 2 + 1);
            if (!p) {
                g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
                b->failed = 1;
                return;
            }
            b->p = p;
            b->cap *= 2;
        }
        size_t room = b->cap - b->used;
        int got = gzread(f, b->p + b->used, room > (1u << 30) ? 1u << 30 : (unsigned)room);
        int err = Z_OK;
        const char *why = got <= 0 ? gzerror(f, &err) : NULL;
        if (got > 0)
            b->used += (size_t)got;
        else
            b->eof = 1;
        if (got <= 0 && err != Z_OK && err != Z_STREAM_END) {
            if (err == Z_MEM_ERROR)
                g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
            else if (err == Z_BUF_ERROR)
                problem(g, g->path, 0, "gzip data is truncated; the rest of the file skipped");
            else if (err == Z_ERRNO)
                problem(g, g->path, 0, "read error: %s; the rest of the file skipped",
                        strerror(errno));
            else
                problem(g, g->path, 0, "gzip data is corrupt: %s; the rest of the file skipped",
                        why ? why : "?");
            b->failed = 1;
        }
    }
}

static int stream_jsonl(nx_ingest_t *g, FILE *file, char hash[17], int64_t *bytes)
{
    *bytes = 0;
    int fd = dup(fileno(file));
    if (fd < 0) {
        problem(g, g->path, 0, "cannot read: %s; skipped", strerror(errno));
        return -2;
    }
    gzFile f = gzdopen(fd, "rb");
    stream_buf b = {f ? malloc(STREAM_PART + 1) : NULL, STREAM_PART, 0, 0, 0};
    if (!b.p) {
        if (f)
            gzclose(f);
        else
            close(fd);
        g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
        return -2;
    }
    gzbuffer(f, 1 << 17);
    uint64_t h = 0;
    int result = -1;
    g->line_base = 0;
    nx_record_sink sink = {on_record, on_reader_problem, g, on_reader_notice};
    while (!g->fatal && !b.failed) {
        stream_fill(g, f, &b, STREAM_PART);
        /* Whole lines only: a line longer than a part is read whole. After
         * a read error, the whole lines read before it. */
        size_t cut = b.used;
        while (!b.eof || b.failed) {
            size_t nl = b.used;
            while (nl > 0 && b.p[nl - 1] != '\n')
                nl--;
            if (nl || b.failed) {
                cut = nl;
                break;
            }
            if (b.used >= NX_MAX_INPUT_BYTES) {
                problem(g, g->path, g->line_base + 1,
                        "a line longer than %zu MiB; the rest of the file skipped",
                        NX_MAX_INPUT_BYTES >> 20);
                b.failed = 1;
                cut = 0;
                break;
            }
            stream_fill(g, f, &b, b.used + STREAM_PART);
            cut = b.used;
        }
        if (g->fatal || cut == 0)
            break;
        h = nx_hash_more(h, b.p, cut);
        *bytes += (int64_t)cut;
        char keep = b.p[cut];
        b.p[cut] = '\0';
        size_t tlen = cut;
        char *owned;
        const char *text = as_text(g, b.p, &tlen, &owned);
        if (text && nx_read_jsonl(text, tlen, &sink) == 0)
            result = 0;
        free(owned);
        if (!g->fatal)
            write_prepared(g, 1);
        b.p[cut] = keep;
        for (size_t i = 0; i < cut; i++)
            g->line_base += b.p[i] == '\n';
        memmove(b.p, b.p + cut, b.used - cut);
        b.used -= cut;
        if (b.eof && b.used == 0)
            break;
    }
    free(b.p);
    gzclose(f);
    g->line_base = 0;
    nx_hash_hex(h, hash);
    if (b.failed) /* the file's other articles are not taken as gone */
        return -2;
    if (*bytes == 0 && !g->fatal) {
        if (g->recheck)
            return 0; /* emptied since the last run: its articles go, as records removed do */
        problem(g, g->path, 0, "empty file; skipped");
        return -2;
    }
    return result;
}

static nx_status_t maybe_commit(nx_ingest_t *g)
{
    if (g->pending < g->opt.batch_articles)
        return NX_OK;
    g->pending = 0;
    return nx_store_commit(g->w);
}

/* The end of reading a file back for the articles in g->want: only those
 * were taken, so the file's other articles stay as they are, and so does
 * its record (its count is of the records it yields, which has not
 * changed). */
static void restored(nx_ingest_t *g, const char *path)
{
    /* Two records with a wanted id: one article, the second one's text. */
    size_t n = 0;
    if (g->nrowids)
        qsort(g->rowids, g->nrowids, sizeof *g->rowids, cmp_rowid);
    for (size_t i = 0; i < g->nrowids; i++)
        n += i == 0 || g->rowids[i] != g->rowids[i - 1];
    g->fatal = nx_store_begin(g->w);
    if (!g->fatal)
        g->fatal = maybe_commit(g);
    if (!g->fatal && n)
        problem(g, path, 0,
                "restored %zu article%s from this file: the file that had replaced %s (same "
                "id%s) no longer has %s",
                n, n == 1 ? "" : "s", n == 1 ? "it" : "them", n == 1 ? "" : "s",
                n == 1 ? "it" : "them");
}

static void index_file(nx_ingest_t *g, const char *path, const char *id_base, int explicit_arg)
{
    file_format fmt = format_of(path);
    if (fmt == FMT_NONE) {
        if (explicit_arg) {
            problem(g, path, 0,
                    "unknown file type (expected .txt, .md, .jsonl, .ndjson, .html, .htm, "
                    "optionally .gz); skipped");
            g->n.files_bad++;
        }
        return;
    }
    if (!g->want)
        g->n.files_seen++;
    g->path = path;
    char key[PATH_MAX];
    if (!realpath(path, key))
        snprintf(key, sizeof key, "%s", path);
    if (g->opt.prune && remember(&g->seen, &g->nseen, &g->capseen, key)) {
        g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
        return;
    }
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f && g->want && errno == ENOENT)
        return; /* deleted: nothing to read back */
    if (!f || fstat(fileno(f), &st) != 0) {
        problem(g, path, 0, "cannot read: %s; skipped", strerror(errno));
        g->n.files_bad++;
        if (f)
            fclose(f);
        return;
    }
    nx_file_row row;
    int found;
    int64_t mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    if ((g->fatal = nx_store_file_get(g->w, key, &row, &found)) != NX_OK) {
        fclose(f);
        return;
    }
    if (found && !g->opt.force && !g->want && row.size == (int64_t)st.st_size &&
        row.mtime_ns == mtime_ns) {
        fclose(f);
        g->n.files_unchanged++;
        g->n.articles_unchanged += row.articles;
        return;
    }

    g->key = key;
    g->id_base = id_base;
    g->id_base_checked = 0;
    g->fmt = fmt; /* before as_text, which treats HTML and JSON Lines apart */
    g->origin = (nx_origin){key, (int64_t)st.st_size, mtime_ns};
    g->nrowids = 0;
    g->split = 0;
    g->recheck = found;
    g->bad_records = 0;
    char fhash[17];
    int rc;
    /* JSON Lines are streamed; pages and texts read whole, and so is JSON
     * Lines in UTF-16 (decoded whole: a part could split a character). */
    char head[2];
    int utf16 = pread(fileno(f), head, 2, 0) == 2 && nx_is_utf16(head, 2);
    if (fmt == FMT_JSONL && !utf16) {
        if ((g->fatal = nx_store_begin(g->w)) != NX_OK) {
            fclose(f);
            return;
        }
        int64_t bytes = 0;
        rc = stream_jsonl(g, f, fhash, &bytes);
        fclose(f);
        g->n.bytes_read += bytes;
        end_file_reports(g);
        if (g->fatal)
            return;
        if (rc == -2 || (rc == -1 && g->nrowids == 0)) {
            /* Unreadable, or nothing usable: keep what the index had. */
            g->n.files_bad++;
            return;
        }
    } else {
        char msg[256];
        char *data;
        size_t len;
        rc = nx_load_stream(f, &data, &len, msg, sizeof msg);
        fclose(f);
        if (rc) {
            problem(g, path, 0, "%s", msg);
            g->n.files_bad++;
            return;
        }
        g->n.bytes_read += (int64_t)len;
        char *owned = NULL;
        size_t tlen = len;
        /* Emptied since the last run: no article left, as records removed. */
        const char *text = len == 0 && g->recheck ? "" : as_text(g, data, &tlen, &owned);
        if (!text) {
            if (!g->fatal)
                g->n.files_bad++;
            free(data);
            return;
        }
        if ((g->fatal = nx_store_begin(g->w)) != NX_OK) {
            free(owned);
            free(data);
            return;
        }
        rc = tlen ? run_reader(g, text, tlen) : 0;
        free(owned);
        end_file_reports(g);
        nx_hash_bytes(data, len, fhash);
        free(data);
        if (g->fatal)
            return;
        if (rc == -1 && g->nrowids == 0) {
            /* The reader found nothing usable; keep what the index had. */
            g->n.files_bad++;
            return;
        }
    }
    if (g->want) {
        restored(g, path);
        return;
    }
    if (g->nrowids) /* qsort needs a real array, even for none */
        qsort(g->rowids, g->nrowids, sizeof *g->rowids, cmp_rowid);
    /* Records sharing an id replace one another: say so, and count the
     * articles the file really holds. */
    size_t unique = 0;
    for (size_t i = 0; i < g->nrowids; i++)
        if (i == 0 || g->rowids[i] != g->rowids[i - 1])
            g->rowids[unique++] = g->rowids[i];
    if (unique < g->nrowids)
        problem(g, path, 0,
                "%zu records reuse an id given earlier in the file; each replaced the earlier one",
                g->nrowids - unique);
    g->nrowids = unique;
    int64_t removed = 0;
    /* A file committed part-way may have no transaction open here. */
    g->fatal = nx_store_begin(g->w);
    if (!g->fatal)
        g->fatal = nx_store_remove_stale(g->w, key, g->rowids, g->nrowids, &removed);
    g->n.articles_removed += removed;
    row.size = (int64_t)st.st_size;
    row.mtime_ns = mtime_ns;
    row.articles = (int64_t)g->nrowids;
    memcpy(row.hash, fhash, sizeof fhash);
    if (!g->fatal)
        g->fatal = nx_store_file_put(g->w, key, &row);
    if (!g->fatal)
        g->fatal = maybe_commit(g);
    if (!g->fatal) {
        g->n.files_indexed++;
        if (g->opt.on_progress)
            g->opt.on_progress(g->opt.ctx, &g->n);
    }
}

/* ------------------------------------------------------------- folders */

typedef struct dir_chain {
    dev_t dev;
    ino_t ino;
    const struct dir_chain *up;
} dir_chain;

static int skip_entry(const struct dirent *e)
{
    return e->d_name[0] != '.'; /* hidden files, ".", ".." */
}

static void walk(nx_ingest_t *g, const char *dir, const char *id_base, const dir_chain *up,
                 int depth)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        problem(g, dir, 0, "cannot open folder: %s; skipped", strerror(errno));
        g->n.files_bad++;
        return;
    }
    for (const dir_chain *c = up; c; c = c->up)
        if (c->dev == st.st_dev && c->ino == st.st_ino) {
            problem(g, dir, 0, "symbolic link loop; not followed");
            return;
        }
    if (depth > MAX_DIR_DEPTH) {
        problem(g, dir, 0, "folders nested deeper than %d; not followed", MAX_DIR_DEPTH);
        return;
    }
    dir_chain here = {st.st_dev, st.st_ino, up};
    struct dirent **list;
    int n = scandir(dir, &list, skip_entry, alphasort);
    if (n < 0) {
        problem(g, dir, 0, "cannot list folder: %s; skipped", strerror(errno));
        g->n.files_bad++;
        unread(g, dir, NULL);
        return;
    }
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX], id[PATH_MAX];
        int long_path = snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name) >= (int)sizeof path ||
                        snprintf(id, sizeof id, "%s/%s", id_base, list[i]->d_name) >= (int)sizeof id;
        if (long_path) {
            problem(g, dir, 0, "path too long under this folder; entry skipped");
        } else if (!g->fatal) {
            struct stat es;
            if (stat(path, &es) != 0) {
                int e = errno;
                if (format_of(path) != FMT_NONE || e == ELOOP) {
                    problem(g, path, 0, "cannot read: %s; skipped", strerror(e));
                    g->n.files_bad++;
                }
                if (e != ENOENT)
                    unread(g, dir, list[i]->d_name);
            } else if (S_ISDIR(es.st_mode)) {
                walk(g, path, id, &here, depth + 1);
            } else if (S_ISREG(es.st_mode)) {
                index_file(g, path, id, 0);
            }
        }
        free(list[i]);
    }
    free(list);
}

/* The id prefix for a root argument: its last path component, so that
 * "corpus", "./corpus/" and "/home/me/corpus" give the same ids. */
static void root_name(const char *path, char *out, size_t len)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    size_t n = strlen(tmp);
    while (n > 1 && tmp[n - 1] == '/')
        tmp[--n] = '\0';
    if (strcmp(tmp, ".") == 0 || strcmp(tmp, "..") == 0 || strcmp(tmp, "/") == 0) {
        char real[PATH_MAX];
        if (realpath(tmp, real) && strcmp(real, "/") != 0)
            snprintf(tmp, sizeof tmp, "%s", real);
    }
    const char *base = strrchr(tmp, '/');
    snprintf(out, len, "%s", base && base[1] ? base + 1 : tmp);
}

nx_status_t nx_ingest_path(nx_ingest_t *g, const char *path)
{
    if (!g || !path)
        return NX_ERR_INVALID_ARG;
    if (g->fatal)
        return g->fatal;
    struct stat st;
    char id_base[PATH_MAX];
    root_name(path, id_base, sizeof id_base);
    if (stat(path, &st) != 0) {
        problem(g, path, 0, "cannot read: %s", strerror(errno));
        g->n.files_bad++;
    } else if (S_ISDIR(st.st_mode)) {
        char real[PATH_MAX];
        if (g->opt.prune && realpath(path, real)) {
            /* "/a/b/" so that /a/bc is not taken for part of /a/b. */
            strncat(real, "/", sizeof real - strlen(real) - 1);
            if (remember(&g->roots, &g->nroots, &g->caproots, real))
                return g->fatal = nx_fail(g->ix, NX_ERR_NOMEM, "out of memory");
        }
        walk(g, path, id_base, NULL, 0);
    } else {
        index_file(g, path, id_base, 1);
    }
    return g->fatal;
}

nx_status_t nx_ingest_stream(nx_ingest_t *g, FILE *stream, const char *name)
{
    if (!g || !stream || !name)
        return NX_ERR_INVALID_ARG;
    if (g->fatal)
        return g->fatal;
    char msg[256];
    char *data;
    size_t len;
    g->n.files_seen++;
    if (nx_load_stream(stream, &data, &len, msg, sizeof msg)) {
        problem(g, name, 0, "%s", msg);
        g->n.files_bad++;
        return NX_OK;
    }
    g->n.bytes_read += (int64_t)len;
    g->path = name;
    g->key = NULL;
    g->id_base = name[0] == '<' ? "stdin" : name;
    g->id_base_checked = 0;
    g->fmt = FMT_JSONL;
    g->origin = (nx_origin){NULL, 0, 0};
    g->nrowids = 0;
    g->split = 0;
    g->recheck = 0;
    char *owned;
    size_t tlen = len;
    g->bad_records = 0;
    const char *text = len ? as_text(g, data, &tlen, &owned) : (owned = NULL, data);
    if (text && (g->fatal = nx_store_begin(g->w)) == NX_OK)
        run_reader(g, text, tlen);
    else if (!text && !g->fatal)
        g->n.files_bad++;
    end_file_reports(g);
    free(owned);
    free(data);
    if (!g->fatal) {
        g->fatal = maybe_commit(g);
        if (!g->fatal && text)
            g->n.files_indexed++;
    }
    return g->fatal;
}
