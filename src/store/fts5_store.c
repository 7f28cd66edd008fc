/* fts5_store.c - the SQLite FTS5 engine: opening and creating an index file,
 * and writing articles and file records into it.
 *
 * The schema lives in index-schema/fts5-v4.sql and is compiled in. An index
 * is recognised by its application_id and trusted only when its schema and
 * analyzer versions are the ones this build writes: terms from another
 * analyzer would silently stop matching, which is worse than an error. */
#include "fts5.h"
#include "fts5_leaves.h"

#include "../analyze/analyzer.h"
#include "../analyze/fts5_tokenizer.h"
#include "textpack.h"
#include "wordset.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NX_APPLICATION_ID 1853321336 /* 'nxid' */
#define BUSY_TIMEOUT_MS 30000
/* Write-ahead log size after which a writer's commit copies the log into
 * the index (SQLite's default is 1,000 pages: 4 MB with 4 KB pages). A long
 * file is committed every batch, and a checkpoint of 4 MB with its two
 * fsyncs after nearly every batch took 100 MB from 10.1 to 12.0 s; 64 MB
 * keeps them rare. In bytes: indexes made before 16 KB pages have 4 KB. */
#define WRITER_CHECKPOINT_BYTES (64 * 1024 * 1024)
#ifndef SQLITE_DEFAULT_WAL_AUTOCHECKPOINT
#define SQLITE_DEFAULT_WAL_AUTOCHECKPOINT 1000
#endif
#define DB(ix) nx_fts5_db(ix)

struct fts5_writer;
typedef struct fts5_writer {
    nx_index_t *ix;
    nx_textpack *pack;
    nx_fts5_replay *replay;
    int in_tx;
    sqlite3_int64 changes; /* sqlite3_total_changes64 when the transaction began */
    int64_t raw_bytes;   /* body bytes stored uncompressed in this transaction */
    int trained;         /* this transaction trained the text dictionary */
    char *fileno_path;   /* the file whose number is fileno (the one being read) */
    int64_t fileno;
    sqlite3_stmt *sel_article, *ins_article, *upd_article, *upd_origin;
    sqlite3_stmt *file_get, *file_put, *sel_origin, *del_article;
    sqlite3_stmt *file_add, *file_no, *sel_text, *sel_sigs, *ins_fts, *del_fts;
    sqlite3_stmt *sel_fts;
    sqlite3_stmt *sel_heir, *relabel, *crown;
    /* The spelling list (see the schema): words this run has put in it or
     * will at commit (seen), those of this transaction (fresh: each a
     * length byte, then the word). */
    nx_wordset *seen;
    unsigned char *fresh;
    size_t fresh_used, fresh_cap;
    int spell_lost;     /* a word could not be kept: the list is no longer complete */
    int spell_ready;    /* the table exists and ins_spell is prepared */
    sqlite3_int64 cache_was; /* the connection's cache_size before the writer */
    sqlite3_stmt *ins_spell;
    nx_stempairs *stems;  /* pairs for the stems table (fts5_stems.c) */
    nx_fts5_holders *holders; /* other files holding articles (fts5_holders.c) */
} fts5_writer;

#define NX_STR_(x) #x
#define NX_STR(x) NX_STR_(x)
/* As in index-schema/fts5-v4.sql, for indexes made before the table. */
#define SPELL_TABLE_SQL                                                                    \
    "CREATE TABLE IF NOT EXISTS spelling (len INTEGER NOT NULL, word TEXT NOT NULL, "      \
    "PRIMARY KEY (len, word)) WITHOUT ROWID"

sqlite3 *nx_fts5_db(const nx_index_t *ix)
{
    return ix->impl;
}

nx_status_t nx_fts5_fail(nx_index_t *ix, int rc, const char *doing)
{
    nx_status_t s;
    switch (rc & 0xff) {
    case SQLITE_NOMEM: s = NX_ERR_NOMEM; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: s = NX_ERR_BUSY; break;
    case SQLITE_READONLY: s = NX_ERR_READ_ONLY; break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: s = NX_ERR_CORRUPT; break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM: s = NX_ERR_IO; break;
    default: s = NX_ERR_ENGINE; break;
    }
    const char *detail = ix && ix->impl ? sqlite3_errmsg(DB(ix)) : sqlite3_errstr(rc);
    const char *hint = "";
    if (s == NX_ERR_BUSY)
        hint = " (another newsidx is writing to this index; try again when it is done)";
    else if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR)
        hint = " (disk full or file size limit reached? the index keeps what was committed "
               "before)";
    else if (s == NX_ERR_READ_ONLY)
        hint = " (no permission to write the index or its folder)";
    return nx_fail(ix, s, "%s: %s: %s%s", ix && ix->path ? ix->path : "index", doing, detail,
                   hint);
}

static int64_t one_int(sqlite3 *db, const char *sql, int *rc)
{
    sqlite3_stmt *st = NULL;
    int64_t v = 0;
    *rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (*rc == SQLITE_OK) {
        *rc = sqlite3_step(st);
        if (*rc == SQLITE_ROW) {
            v = sqlite3_column_int64(st, 0);
            *rc = SQLITE_OK;
        } else if (*rc == SQLITE_DONE) {
            *rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return v;
}

/* Reads meta[key] into buf; "" when absent. */
static int meta_get(sqlite3 *db, const char *key, char *buf, size_t len)
{
    sqlite3_stmt *st = NULL;
    buf[0] = '\0';
    int rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const char *v = (const char *)sqlite3_column_text(st, 0);
            snprintf(buf, len, "%s", v ? v : "");
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int meta_put(sqlite3 *db, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", -1,
                                &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The schema with @LANGUAGE@ replaced; lang is a canonical Snowball name
 * (letters only), so the substitution cannot inject SQL. */
static char *schema_for(const char *lang)
{
    const char *mark = "@LANGUAGE@";
    const char *at = strstr(nx_schema_fts5, mark);
    size_t n = strlen(nx_schema_fts5) + strlen(lang);
    char *sql = malloc(n + 1);
    if (!sql || !at) {
        free(sql);
        return NULL;
    }
    size_t head = (size_t)(at - nx_schema_fts5);
    memcpy(sql, nx_schema_fts5, head);
    strcpy(sql + head, lang);
    strcat(sql, at + strlen(mark));
    return sql;
}

static nx_status_t create_schema(nx_index_t *ix, const char *lang)
{
    const char *canon = nx_stemmer_canonical(lang ? lang : "english");
    if (!canon)
        return nx_fail(ix, NX_ERR_LANGUAGE,
                       "no Snowball stemmer for language '%s' (try a name such as english, "
                       "french, russian, or a code such as en, fr, ru)",
                       lang);
    /* WAL cannot be switched on inside a transaction, and the page size
     * and auto-vacuum only before the file has its first page (no-ops when
     * another process made the index meanwhile). 16 KB pages instead of
     * 4 KB: a page of `articles` ends with the part of a row that did not
     * fit, on average half a row (~230 bytes) per page; at 100 MB of text
     * the index came out 2.9% smaller (127.5 -> 123.8 MB), with queries as
     * fast (8 KB: -2.0%; 32 KB: -3.1%; 64 KB: -0.4%). */
    int rc = sqlite3_exec(DB(ix),
                          "PRAGMA page_size = 16384; PRAGMA auto_vacuum = INCREMENTAL; "
                          "PRAGMA journal_mode=WAL",
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(DB(ix), "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(ix, rc, "creating the index");
    /* Another process may have created it while we waited for the lock. */
    int64_t tables = one_int(DB(ix), "SELECT count(*) FROM sqlite_master", &rc);
    if (rc == SQLITE_OK && tables > 0) {
        sqlite3_exec(DB(ix), "ROLLBACK", NULL, NULL, NULL);
        return NX_OK;
    }
    char *sql = schema_for(canon);
    if (!sql) {
        sqlite3_exec(DB(ix), "ROLLBACK", NULL, NULL, NULL);
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory creating the index");
    }
    rc = sqlite3_exec(DB(ix), sql, NULL, NULL, NULL);
    free(sql);
    char v[16], created[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    snprintf(v, sizeof v, "%d", NX_FTS5_SCHEMA_VERSION);
    if (rc == SQLITE_OK)
        rc = meta_put(DB(ix), "schema_version", v);
    snprintf(v, sizeof v, "%d", NX_ANALYZER_VERSION);
    if (rc == SQLITE_OK)
        rc = meta_put(DB(ix), "analyzer_version", v);
    if (rc == SQLITE_OK)
        rc = meta_put(DB(ix), "language", canon);
    if (rc == SQLITE_OK)
        rc = meta_put(DB(ix), "engine", "fts5");
    if (rc == SQLITE_OK)
        rc = meta_put(DB(ix), "created", created);
    if (rc == SQLITE_OK)
        rc = meta_put(DB(ix), "spelling", "2"); /* empty, so complete */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(DB(ix), "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        nx_status_t s = nx_fts5_fail(ix, rc, "creating the index schema");
        sqlite3_exec(DB(ix), "ROLLBACK", NULL, NULL, NULL);
        return s;
    }
    return NX_OK;
}

static nx_status_t check_versions(nx_index_t *ix)
{
    char schema[32], analyzer[32], lang[64];
    int rc = meta_get(DB(ix), "schema_version", schema, sizeof schema);
    if (rc == SQLITE_OK)
        rc = meta_get(DB(ix), "analyzer_version", analyzer, sizeof analyzer);
    if (rc == SQLITE_OK)
        rc = meta_get(DB(ix), "language", lang, sizeof lang);
    if (rc != SQLITE_OK)
        return nx_fail(ix, NX_ERR_NOT_AN_INDEX, "%s: not a newsidx index (no readable meta table)",
                       ix->path);
    if (atoi(schema) != NX_FTS5_SCHEMA_VERSION)
        return nx_fail(ix, NX_ERR_VERSION,
                       "%s: index schema version %s, but this newsidx reads version %d; "
                       "index the archive again into a new index",
                       ix->path, schema[0] ? schema : "(none)", NX_FTS5_SCHEMA_VERSION);
    if (atoi(analyzer) != NX_ANALYZER_VERSION)
        return nx_fail(ix, NX_ERR_VERSION,
                       "%s: index made with analyzer version %s, but this newsidx uses version "
                       "%d and would not match its terms; index the archive again into a new index",
                       ix->path, analyzer[0] ? analyzer : "(none)", NX_ANALYZER_VERSION);
    const char *canon = nx_stemmer_canonical(lang);
    if (!canon)
        return nx_fail(ix, NX_ERR_CORRUPT, "%s: index names an unknown language '%s'", ix->path,
                       lang);
    snprintf(ix->lang, sizeof ix->lang, "%s", canon);
    return NX_OK;
}

/* Opens the SQLite connection behind ix; immutable reads a file that no
 * one may change (no locks, no -shm), through a URI. */
static nx_status_t open_connection(nx_index_t *ix, const char *path, int flags, int immutable)
{
    sqlite3 *db = NULL;
    char uri[3 * PATH_MAX + 32];
    const char *name = path;
    if (immutable) {
        size_t o = (size_t)snprintf(uri, sizeof uri, "file:");
        for (const unsigned char *p = (const unsigned char *)path; *p && o + 4 < sizeof uri; p++) {
            if (isalnum(*p) || strchr("/-_.~", *p))
                uri[o++] = (char)*p;
            else
                o += (size_t)snprintf(uri + o, sizeof uri - o, "%%%02X", *p);
        }
        snprintf(uri + o, sizeof uri - o, "?immutable=1");
        name = uri;
        flags |= SQLITE_OPEN_URI;
    }
    int rc = sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    ix->impl = db;
    if (rc != SQLITE_OK)
        return nx_fail(ix, NX_ERR_IO, "cannot open index %s: %s", path,
                       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    nx_fts5_aux *aux = ix->aux;
    if (!aux && !(aux = ix->aux = calloc(1, sizeof *aux)))
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory opening %s", path);
    if (nx_fts5_register_tokenizer(db, &aux->replay) != SQLITE_OK)
        return nx_fail(ix, NX_ERR_ENGINE, "this SQLite has no FTS5 support");
    if (nx_fts5_register_rank(db) != SQLITE_OK)
        return nx_fail(ix, NX_ERR_ENGINE, "this SQLite has no FTS5 support");
    if (nx_fts5_register_pack(db, &aux->pack) != SQLITE_OK)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory opening %s", path);
    nx_fts5_expander(aux->replay, nx_fts5_expand, ix);
    return NX_OK;
}

static nx_status_t fts5_open(nx_index_t *ix, const char *const *paths, size_t npaths,
                             nx_open_mode_t mode, const nx_open_options_t *opts)
{
    const char *path = paths[0];
    const char *lang = opts ? opts->language : NULL;
    if (npaths != 1)
        return nx_fail(ix, NX_ERR_INVALID_ARG,
                       "%s: an SQLite FTS5 index is one file; several databases can only be "
                       "searched together with the Xapian engine",
                       path);
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (!exists && errno != ENOENT)
        return nx_fail(ix, NX_ERR_IO, "cannot open index %s: %s", path, strerror(errno));
    if (!exists && mode != NX_OPEN_CREATE)
        return nx_fail(ix, NX_ERR_NO_INDEX,
                       "no index at %s (make one with: newsidx index -d %s FILES...)", path, path);
    if (exists && S_ISDIR(st.st_mode))
        return nx_fail(ix, NX_ERR_NOT_AN_INDEX, "%s is a directory, not a newsidx index file",
                       path);

    int flags = mode == NX_OPEN_READ_ONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (mode == NX_OPEN_CREATE)
        flags |= SQLITE_OPEN_CREATE;
    /* A reader that may not write the file itself opens it immutable when
     * no -wal is pending, so that it leaves no -shm behind with modes that
     * would later lock out the index's owner. */
    char wal[PATH_MAX];
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct stat ws;
    int no_wal = stat(wal, &ws) != 0 || ws.st_size == 0;
    int immutable = mode == NX_OPEN_READ_ONLY && exists && access(path, W_OK) != 0 && no_wal;
    nx_status_t os = open_connection(ix, path, flags, immutable);
    if (os != NX_OK)
        return os;
    ix->read_only = mode == NX_OPEN_READ_ONLY;
    if (!ix->read_only && exists && sqlite3_db_readonly(DB(ix), "main") == 1)
        return nx_fail(ix, NX_ERR_READ_ONLY,
                       "%s: no permission to write the index (check the file, its folder, and "
                       "its -wal and -shm files)",
                       path);

    int rc;
    int64_t app = one_int(DB(ix), "PRAGMA application_id", &rc);
    if (ix->read_only && ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN)) {
        /* A WAL index in a folder we may not write: SQLite cannot make the
         * -shm file it wants even to read. When no writer has left a -wal
         * behind, the file alone is the whole index: read it as immutable. */
        if (no_wal) {
            sqlite3_close_v2(DB(ix));
            ix->impl = NULL;
            os = open_connection(ix, path, SQLITE_OPEN_READONLY, 1);
            if (os != NX_OK)
                return os;
            app = one_int(DB(ix), "PRAGMA application_id", &rc);
        }
    }
    if ((rc & 0xff) == SQLITE_NOTADB)
        return nx_fail(ix, NX_ERR_NOT_AN_INDEX, "%s is not a newsidx index (not an SQLite file)",
                       path);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(ix, rc, "opening the index");
    if (app == 0) {
        int64_t tables = one_int(DB(ix), "SELECT count(*) FROM sqlite_master", &rc);
        if (rc != SQLITE_OK)
            return nx_fts5_fail(ix, rc, "opening the index");
        if (tables > 0) {
            /* Another process may have created the index between the two
             * reads: look again before calling it foreign. */
            app = one_int(DB(ix), "PRAGMA application_id", &rc);
            if (rc != SQLITE_OK)
                return nx_fts5_fail(ix, rc, "opening the index");
            if (app != NX_APPLICATION_ID)
                return nx_fail(ix, NX_ERR_NOT_AN_INDEX,
                               "%s is an SQLite database but not a newsidx index", path);
        }
        /* Read-write means "the index must exist": an empty file is not
         * one, and optimize or a program must not make one of it. */
        if (app == 0 && mode != NX_OPEN_CREATE)
            return nx_fail(ix, NX_ERR_NO_INDEX, "%s is an empty file, not an index yet", path);
        if (app == 0) {
            nx_status_t s = create_schema(ix, lang);
            if (s != NX_OK)
                return s;
        }
    } else if (app != NX_APPLICATION_ID) {
        return nx_fail(ix, NX_ERR_NOT_AN_INDEX,
                       "%s is an SQLite database of another application, not a newsidx index", path);
    }
    nx_status_t s = check_versions(ix);
    if (s != NX_OK)
        return s;
    if (!ix->read_only) {
        rc = sqlite3_exec(DB(ix), "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", NULL, NULL,
                          NULL);
        if (rc != SQLITE_OK)
            return nx_fts5_fail(ix, rc, "opening the index for writing");
    }
    return NX_OK;
}

static void fts5_close(nx_index_t *ix)
{
    nx_fts5_aux *aux = ix->aux;
    if (aux) {
        sqlite3_finalize(aux->ranked);
        sqlite3_finalize(aux->fill);
        sqlite3_finalize(aux->stems);
    }
    if (ix->impl) {
        sqlite3_close_v2(DB(ix)); /* frees the packer and the replay slot too */
        ix->impl = NULL;
    }
    free(ix->aux);
    ix->aux = NULL;
}

/* ------------------------------------------------------------- writing */

static int prep(sqlite3 *db, sqlite3_stmt **st, const char *sql, int rc)
{
    return rc == SQLITE_OK ? sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL)
                           : rc;
}

static void fts5_writer_free(void *wp);

/* A word of a text being indexed (or unindexed): kept for the spelling
 * list when this run has not met it yet. */
static void on_spell_word(void *ctx, const char *t, size_t n)
{
    fts5_writer *w = ctx;
    if (!NX_SPELL_WORD(t, n) || w->spell_lost)
        return;
    int added = nx_wordset_add(w->seen, t, n);
    if (added == 0)
        return;
    if (added > 0 && w->fresh_used + n + 1 > w->fresh_cap) {
        size_t cap = w->fresh_cap ? w->fresh_cap * 2 : 65536;
        unsigned char *f = realloc(w->fresh, cap);
        if (f) {
            w->fresh = f;
            w->fresh_cap = cap;
        }
    }
    if (added < 0 || w->fresh_used + n + 1 > w->fresh_cap) {
        w->spell_lost = 1; /* out of memory: the list will say it is incomplete */
        return;
    }
    w->fresh[w->fresh_used++] = (unsigned char)n;
    memcpy(w->fresh + w->fresh_used, t, n);
    w->fresh_used += n;
}

/* In the write transaction: the spelling list exists (an index made before
 * it gets an empty one, complete only if the index is empty too). */
static int spell_prepare(fts5_writer *w)
{
    if (w->spell_ready)
        return SQLITE_OK;
    sqlite3 *db = DB(w->ix);
    int rc = sqlite3_exec(db, SPELL_TABLE_SQL, NULL, NULL, NULL);
    char v[8];
    if (rc == SQLITE_OK)
        rc = meta_get(db, "spelling", v, sizeof v);
    if (rc == SQLITE_OK && !v[0]) {
        int64_t any = one_int(db, "SELECT EXISTS (SELECT 1 FROM articles)", &rc);
        if (rc == SQLITE_OK && !any)
            rc = meta_put(db, "spelling", "2");
    }
    rc = prep(db, &w->ins_spell, "INSERT OR IGNORE INTO spelling(len, word) VALUES (?1, ?2)", rc);
    if (rc == SQLITE_OK)
        w->spell_ready = 1;
    return rc;
}


/* Before commit: this transaction's new words go to the list. */
static int spell_flush(fts5_writer *w)
{
    int rc = SQLITE_OK;
    if (w->spell_lost)
        rc = sqlite3_exec(DB(w->ix), "DELETE FROM meta WHERE key = 'spelling'", NULL, NULL, NULL);
    for (size_t i = 0; rc == SQLITE_OK && !w->spell_lost && i < w->fresh_used;) {
        size_t n = w->fresh[i];
        sqlite3_bind_int(w->ins_spell, 1, (int)n);
        sqlite3_bind_text(w->ins_spell, 2, (const char *)w->fresh + i + 1, (int)n, SQLITE_STATIC);
        rc = nx_fts5_step_done(w->ins_spell);
        i += n + 1;
    }
    w->fresh_used = 0;
    return rc;
}

static nx_status_t fts5_writer_new(nx_index_t *ix, void **out)
{
    *out = NULL;
    fts5_writer *w = calloc(1, sizeof *w);
    if (!w)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    w->ix = ix;
    w->pack = ((nx_fts5_aux *)ix->aux)->pack;
    w->replay = ((nx_fts5_aux *)ix->aux)->replay;
    if (!(w->seen = nx_wordset_new()) || !(w->stems = nx_stempairs_new()) ||
        !(w->holders = nx_fts5_holders_new(DB(ix)))) {
        nx_wordset_free(w->seen);
        nx_stempairs_free(w->stems);
        free(w);
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    }
    sqlite3 *db = DB(ix);
    int rc = SQLITE_OK;
    /* A file is one transaction, so a big file's pages go to the WAL as
     * the cache overflows, and every later visit of one (the random leaves
     * of the date index, segments FTS5 merges) looks it up in a WAL index
     * that grows with the file. A 64 MB cache instead of 2 MB took a 400 MB
     * archive from 68.6-72.3 s to 63.0 s (system time 12 -> 5 s); 128 MB
     * leaves room for the larger archives. Given back when the writer goes. */
    w->cache_was = 0;
    sqlite3_stmt *cs = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &cs, NULL) == SQLITE_OK &&
        sqlite3_step(cs) == SQLITE_ROW)
        w->cache_was = sqlite3_column_int64(cs, 0);
    sqlite3_finalize(cs);
    if (w->cache_was)
        sqlite3_exec(db, "PRAGMA cache_size = -131072", NULL, NULL, NULL);
    int64_t page = one_int(db, "PRAGMA page_size", &rc);
    rc = SQLITE_OK; /* without it, SQLite's default interval stays */
    if (page > 0)
        sqlite3_wal_autocheckpoint(db, (int)(WRITER_CHECKPOINT_BYTES / page));
    rc = prep(db, &w->sel_article,
              "SELECT rowid, hash, lang, fileno FROM articles WHERE id = ?1", rc);
    rc = prep(db, &w->ins_article,
              "INSERT INTO articles(id, title, body, date, source, url, lang, fileno, hash, "
              "cluster, minhash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
              rc);
    rc = prep(db, &w->upd_article,
              "UPDATE articles SET id = ?1, title = ?2, body = ?3, date = ?4, source = ?5, "
              "url = ?6, lang = ?7, fileno = ?8, hash = ?9, cluster = ?10, minhash = ?11 "
              "WHERE rowid = ?12",
              rc);
    rc = prep(db, &w->upd_origin, "UPDATE articles SET fileno = ?2 WHERE rowid = ?1", rc);
    rc = prep(db, &w->file_get,
              "SELECT size, mtime_ns, hash, articles FROM files WHERE path = ?1", rc);
    /* An upsert, not INSERT OR REPLACE: the file keeps its number, which
     * its articles refer to. */
    rc = prep(db, &w->file_put,
              "INSERT INTO files(path, size, mtime_ns, hash, articles) VALUES (?1, ?2, ?3, ?4, "
              "?5) ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = "
              "excluded.mtime_ns, hash = excluded.hash, articles = excluded.articles",
              rc);
    /* A file's first article numbers it; size 0 and no hash until the file
     * is read to the end, so that an interrupted run reads it again. */
    rc = prep(db, &w->file_add,
              "INSERT INTO files(path, size, mtime_ns, hash, articles) VALUES (?1, -1, 0, '', 0) "
              "ON CONFLICT(path) DO NOTHING",
              rc);
    rc = prep(db, &w->file_no, "SELECT fileno FROM files WHERE path = ?1", rc);
    rc = prep(db, &w->sel_origin,
              "SELECT rowid FROM articles WHERE fileno = (SELECT fileno FROM files WHERE path = "
              "?1)",
              rc);
    rc = prep(db, &w->del_article, "DELETE FROM articles WHERE rowid = ?1", rc);
    rc = prep(db, &w->sel_text, "SELECT nx_unpack(body) FROM articles WHERE rowid = ?1", rc);
    /* The full-text rows, written here rather than by triggers (see the
     * end of index-schema/fts5-v4.sql); values as the view gives them. */
    rc = prep(db, &w->ins_fts,
              "INSERT INTO articles_fts(rowid, body, title) VALUES (?1, char(31) || ?2 || "
              "char(31) || ?3, char(31) || ?2 || char(31) || ?4)",
              rc);
    /* A cluster is named after its first article; when that one changes
     * or goes, the next oldest names it. */
    rc = prep(db, &w->sel_heir,
              "SELECT min(rowid) FROM articles WHERE cluster = ?1 AND rowid != ?1", rc);
    rc = prep(db, &w->relabel, "UPDATE articles SET cluster = ?2 WHERE cluster = ?1", rc);
    rc = prep(db, &w->crown, "UPDATE articles SET cluster = NULL WHERE rowid = ?1", rc);
    /* An article's full-text row goes in two statements, its values read
     * and then handed to the 'delete' command: as one INSERT ... SELECT,
     * the statement ran in a savepoint, at which FTS5 writes out its
     * pending words: 100 replaced articles left 20 small segments, their
     * deletions apart from their new text (see fts5_leaves.c). */
    rc = prep(db, &w->sel_fts, "SELECT body, title FROM articles_fts_src WHERE rowid = ?1", rc);
    rc = prep(db, &w->del_fts,
              "INSERT INTO articles_fts(articles_fts, rowid, body, title) VALUES ('delete', ?1, "
              "?2, ?3)",
              rc);
    rc = prep(db, &w->sel_sigs,
              "SELECT rowid, coalesce(cluster, rowid), minhash FROM articles WHERE minhash IS "
              "NOT NULL ORDER BY rowid",
              rc);
    if (rc != SQLITE_OK) {
        fts5_writer_free(w);
        return nx_fts5_fail(ix, rc, "preparing to write");
    }
    nx_fts5_replay_words(w->replay, on_spell_word, w);
    nx_fts5_replay_stems(w->replay, nx_stempairs_note, w->stems);
    *out = w;
    return NX_OK;
}

static void fts5_rollback(void *wp);
static nx_status_t train_if_due(struct fts5_writer *w, int at_commit);

static void fts5_writer_free(void *wp)
{
    fts5_writer *w = wp;
    if (!w)
        return;
    fts5_rollback(w);
    nx_fts5_replay_words(w->replay, NULL, NULL);
    nx_fts5_replay_stems(w->replay, NULL, NULL);
    nx_wordset_free(w->seen);
    nx_stempairs_free(w->stems);
    nx_fts5_holders_free(w->holders);
    free(w->fresh);
    sqlite3_finalize(w->ins_spell);
    /* Pages FTS5 freed while merging go back to the file system; an error
     * here loses nothing (the pages stay free inside the file). */
    sqlite3_exec(DB(w->ix), "PRAGMA incremental_vacuum", NULL, NULL, NULL);
    sqlite3_wal_autocheckpoint(DB(w->ix), SQLITE_DEFAULT_WAL_AUTOCHECKPOINT);
    if (w->cache_was) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)w->cache_was);
        sqlite3_exec(DB(w->ix), sql, NULL, NULL, NULL);
    }
    sqlite3_finalize(w->sel_article);
    sqlite3_finalize(w->ins_article);
    sqlite3_finalize(w->upd_article);
    sqlite3_finalize(w->upd_origin);
    sqlite3_finalize(w->file_get);
    sqlite3_finalize(w->file_put);
    sqlite3_finalize(w->sel_origin);
    sqlite3_finalize(w->del_article);
    sqlite3_finalize(w->file_add);
    sqlite3_finalize(w->file_no);
    sqlite3_finalize(w->sel_text);
    sqlite3_finalize(w->sel_sigs);
    sqlite3_finalize(w->ins_fts);
    sqlite3_finalize(w->del_fts);
    sqlite3_finalize(w->sel_fts);
    sqlite3_finalize(w->sel_heir);
    sqlite3_finalize(w->relabel);
    sqlite3_finalize(w->crown);
    free(w->fileno_path);
    free(w);
}

/* FTS5 writes its pending terms out as a new segment whenever they pass
 * "hashsize" (1 MB by default), and merges segments as they pile up. With
 * 16 MB, a batch of articles becomes one or two segments instead of a dozen:
 * at 100 MB of text indexing took 10% less CPU, the index came out 0.5%
 * smaller and queries read fewer segments (p50 0.78 -> 0.30-0.47 ms with
 * snippets). The setting lives in the index (articles_fts_config); set
 * once, in the first write transaction that finds it missing. */
#define FTS5_HASHSIZE 16777216

static int tune_flushes(sqlite3 *db)
{
    int rc = SQLITE_OK;
    int64_t now = one_int(db,
                          "SELECT coalesce((SELECT v FROM articles_fts_config WHERE k = "
                          "'hashsize'), 0)",
                          &rc);
    if (rc != SQLITE_OK || now == FTS5_HASHSIZE)
        return rc;
    sqlite3_stmt *st = NULL;
    rc = prep(db, &st, "INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', ?1)", rc);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int(st, 1, FTS5_HASHSIZE);
        rc = nx_fts5_step_done(st);
    }
    sqlite3_finalize(st);
    return rc;
}

static nx_status_t fts5_begin(void *wp)
{
    fts5_writer *w = wp;
    if (w->in_tx)
        return NX_OK;
    /* IMMEDIATE takes the write lock now, so a second indexer waits here
     * (busy timeout) instead of failing half-way through a batch. */
    int rc = sqlite3_exec(DB(w->ix), "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(w->ix, rc, "starting a write transaction");
    w->in_tx = 1;
    w->raw_bytes = 0;
    w->trained = 0;
    rc = tune_flushes(DB(w->ix));
    if (rc != SQLITE_OK) {
        nx_status_t s = nx_fts5_fail(w->ix, rc, "setting up the full-text index for writing");
        fts5_rollback(w);
        return s;
    }
    w->changes = sqlite3_total_changes64(DB(w->ix));
    rc = spell_prepare(w);
    if (rc != SQLITE_OK) {
        nx_status_t s = nx_fts5_fail(w->ix, rc, "preparing the spelling list");
        fts5_rollback(w);
        return s;
    }
    /* Another writer may have trained the dictionary since we opened. */
    rc = nx_fts5_pack_maintain(DB(w->ix), w->pack, 0);
    if (rc != SQLITE_OK) {
        nx_status_t s = nx_fts5_fail(w->ix, rc, "reading the text dictionary");
        fts5_rollback(w);
        return s;
    }
    return NX_OK;
}

/* In the write transaction, when it changed anything: the languages'
 * summary in meta, which every search reads (index-schema/fts5-v4.sql).
 * Without room for it, the row goes and searches count again. */
static int langs_note(fts5_writer *w)
{
    if (sqlite3_total_changes64(DB(w->ix)) == w->changes)
        return SQLITE_OK;
    char buf[1024];
    int rc = nx_fts5_lang_summary(DB(w->ix), buf, sizeof buf);
    if (rc == SQLITE_TOOBIG)
        return sqlite3_exec(DB(w->ix), "DELETE FROM meta WHERE key = 'languages'", NULL, NULL,
                            NULL);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(DB(w->ix),
                                "INSERT OR REPLACE INTO meta(key, value) VALUES('languages', ?1)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, buf, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(DB(w->ix));
    }
    sqlite3_finalize(st);
    return rc;
}

static nx_status_t fts5_commit(void *wp)
{
    fts5_writer *w = wp;
    if (!w->in_tx)
        return NX_OK;
    nx_status_t s = train_if_due(w, 1);
    if (s != NX_OK) {
        fts5_rollback(w);
        return s;
    }
    int rc = spell_flush(w);
    if (rc != SQLITE_OK) {
        s = nx_fts5_fail(w->ix, rc, "adding words to the spelling list");
        fts5_rollback(w);
        return s;
    }
    if ((rc = nx_fts5_stems_flush(w->stems, DB(w->ix))) != SQLITE_OK) {
        s = nx_fts5_fail(w->ix, rc, "adding words to the stems table");
        fts5_rollback(w);
        return s;
    }
    if ((rc = langs_note(w)) != SQLITE_OK) {
        s = nx_fts5_fail(w->ix, rc, "noting the index's languages");
        fts5_rollback(w);
        return s;
    }
    rc = sqlite3_exec(DB(w->ix), "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        s = nx_fts5_fail(w->ix, rc, "committing");
        fts5_rollback(w);
        return s;
    }
    w->in_tx = 0;
    w->trained = 0;
    return NX_OK;
}

static void fts5_rollback(void *wp)
{
    fts5_writer *w = wp;
    if (w->in_tx)
        sqlite3_exec(DB(w->ix), "ROLLBACK", NULL, NULL, NULL);
    /* The dictionary's row is gone with the transaction: so must it be. */
    if (w->trained)
        nx_textpack_forget(w->pack);
    w->in_tx = 0;
    w->trained = 0;
    /* The words of the transaction are gone with it, and the table too if
     * it made it: start the list over. */
    if (w->seen)
        nx_wordset_clear(w->seen);
    if (w->stems)
        nx_stempairs_forget(w->stems);
    nx_fts5_holders_reset(w->holders);
    w->fresh_used = 0;
    sqlite3_finalize(w->ins_spell);
    w->ins_spell = NULL;
    w->spell_ready = 0;
}

/* Trains the text dictionary once this transaction has stored a
 * megabyte as is (or, at commit, any text), so that a big first file is
 * compressed as it goes instead of rewritten at the end: rewriting rows
 * smaller leaves their pages half empty. */
static nx_status_t train_if_due(fts5_writer *w, int at_commit)
{
    if (w->raw_bytes == 0 || nx_textpack_dict_id(w->pack))
        return NX_OK;
    if (!at_commit && w->raw_bytes < NX_PACK_TRAIN_MIN)
        return NX_OK;
    int rc = nx_fts5_pack_maintain(DB(w->ix), w->pack, 1);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(w->ix, rc, "compressing the stored text");
    if (nx_textpack_dict_id(w->pack))
        w->trained = 1;
    w->raw_bytes = 0;
    return NX_OK;
}


static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

int nx_fts5_step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Takes article rowid's words out of the full-text index (see sel_fts). */
static int delete_fts(fts5_writer *w, int64_t rowid)
{
    sqlite3_bind_int64(w->sel_fts, 1, rowid);
    int rc = sqlite3_step(w->sel_fts);
    if (rc == SQLITE_ROW) {
        sqlite3_bind_int64(w->del_fts, 1, rowid);
        sqlite3_bind_value(w->del_fts, 2, sqlite3_column_value(w->sel_fts, 0));
        sqlite3_bind_value(w->del_fts, 3, sqlite3_column_value(w->sel_fts, 1));
        rc = nx_fts5_step_done(w->del_fts);
        sqlite3_clear_bindings(w->del_fts);
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK; /* no such article: nothing to take out */
    }
    sqlite3_reset(w->sel_fts);
    return rc;
}

/* Article key is about to change or go: the other articles of the cluster
 * it names move to the next oldest of them, whose key *heir gets (-1 when
 * there is none), so no label is left to a text that is not there. */
static int hand_over(fts5_writer *w, int64_t key, int64_t *heir)
{
    *heir = -1;
    sqlite3_bind_int64(w->sel_heir, 1, key);
    int rc = sqlite3_step(w->sel_heir);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_type(w->sel_heir, 0) != SQLITE_NULL)
            *heir = sqlite3_column_int64(w->sel_heir, 0);
        rc = SQLITE_OK;
    }
    sqlite3_reset(w->sel_heir);
    if (rc != SQLITE_OK || *heir < 0)
        return rc;
    sqlite3_bind_int64(w->relabel, 1, key);
    sqlite3_bind_int64(w->relabel, 2, *heir);
    rc = nx_fts5_step_done(w->relabel);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(w->crown, 1, *heir);
        rc = nx_fts5_step_done(w->crown);
    }
    return rc;
}

/* The number of the file at path, adding its record if it has none yet. */
static int fileno_of(fts5_writer *w, const char *path, int64_t *out)
{
    if (w->fileno_path && strcmp(w->fileno_path, path) == 0) {
        *out = w->fileno;
        return SQLITE_OK;
    }
    sqlite3_bind_text(w->file_add, 1, path, -1, SQLITE_STATIC);
    int rc = nx_fts5_step_done(w->file_add);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(w->file_no, 1, path, -1, SQLITE_STATIC);
    rc = sqlite3_step(w->file_no);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(w->file_no, 0);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_CORRUPT;
    }
    sqlite3_reset(w->file_no);
    if (rc != SQLITE_OK)
        return rc;
    char *p = strdup(path);
    if (!p)
        return SQLITE_NOMEM;
    free(w->fileno_path);
    w->fileno_path = p;
    w->fileno = *out;
    return SQLITE_OK;
}

/* The stored article with a's id: *existing its rowid (0: none), *holder
 * the number of the file it is kept for (0: none), *same whether its
 * content hash is a's: hash when not NULL, else a's fields', with the
 * stored language when a has none yet (detected later, from the same
 * text). */
static int stored_state(fts5_writer *w, const nx_article_t *a, const int64_t *hash,
                        int64_t *existing, int64_t *holder, int *same)
{
    sqlite3_stmt *st = w->sel_article;
    sqlite3_bind_text(st, 1, a->f[NX_FIELD_ID], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *existing = 0;
    *holder = 0;
    *same = 0;
    if (rc == SQLITE_ROW) {
        *existing = sqlite3_column_int64(st, 0);
        *holder = sqlite3_column_int64(st, 3);
        int64_t h;
        if (hash) {
            h = *hash;
        } else {
            nx_article_t copy = *a;
            if (!copy.f[NX_FIELD_LANG])
                copy.f[NX_FIELD_LANG] = (char *)sqlite3_column_text(st, 2);
            char hex[17];
            nx_article_hash(&copy, hex);
            h = (int64_t)strtoull(hex, NULL, 16);
        }
        *same = sqlite3_column_int64(st, 1) == h;
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_reset(st);
    return rc;
}

/* An unchanged article (a) found in the file at o: its record says so;
 * held by another file until now, that file may hold it still. */
static int keep_article(fts5_writer *w, const nx_article_t *a, int64_t existing, int64_t holder,
                        const nx_origin *o)
{
    int64_t fileno = 0;
    int rc = SQLITE_OK;
    if (o->path && (rc = fileno_of(w, o->path, &fileno)) != SQLITE_OK)
        return rc;
    if (o->path &&
        (rc = nx_fts5_holders_pass(w->holders, a->f[NX_FIELD_ID], holder, fileno)) != SQLITE_OK)
        return rc;
    sqlite3_stmt *st = w->upd_origin;
    sqlite3_bind_int64(st, 1, existing);
    if (o->path)
        sqlite3_bind_int64(st, 2, fileno);
    else
        sqlite3_bind_null(st, 2);
    return nx_fts5_step_done(st);
}

static nx_status_t fts5_unchanged(void *wp, const nx_article_t *a, const nx_origin *o, int touch,
                                  int *same, int64_t *rowid)
{
    fts5_writer *w = wp;
    int64_t existing, holder;
    int rc = stored_state(w, a, NULL, &existing, &holder, same);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(w->ix, rc, "looking up an article");
    *same = *same && existing;
    *rowid = existing;
    if (*same && touch && (rc = keep_article(w, a, existing, holder, o)) != SQLITE_OK)
        return nx_fts5_fail(w->ix, rc, "recording a file");
    return NX_OK;
}

static nx_status_t put_article(fts5_writer *w, const nx_article_t *a, const nx_origin *o,
                               nx_dup_facts *dup, const nx_prepared *prep, int *outcome,
                               int64_t *rowid)
{
    char hex[17];
    nx_article_hash(a, hex);
    int64_t hash = (int64_t)strtoull(hex, NULL, 16);

    int64_t existing, holder;
    int same;
    int rc = stored_state(w, a, &hash, &existing, &holder, &same);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(w->ix, rc, "looking up an article");

    int64_t fileno = 0;
    if (o->path && (rc = fileno_of(w, o->path, &fileno)) != SQLITE_OK)
        return nx_fts5_fail(w->ix, rc, "recording a file");

    sqlite3_stmt *st = w->upd_origin;
    if (existing && same) {
        rc = keep_article(w, a, existing, holder, o);
        *outcome = NX_PUT_UNCHANGED;
        *rowid = existing;
    } else {
        const char *body = a->f[NX_FIELD_BODY] ? a->f[NX_FIELD_BODY] : "";
        /* Packed ahead by the worker thread, unless with another dictionary
         * than ours (trained, or rolled back, since). */
        unsigned char *packed = NULL;
        size_t packed_len;
        void (*release)(void *) = free;
        if (prep && prep->packed && prep->packed_dict == nx_textpack_dict_id(w->pack)) {
            packed = (unsigned char *)prep->packed;
            packed_len = prep->packed_len;
            release = SQLITE_STATIC;
        } else if (nx_textpack_pack(w->pack, body, strlen(body), &packed, &packed_len) != 0) {
            return nx_fail(w->ix, NX_ERR_NOMEM, "out of memory compressing an article");
        }
        /* Counted as training counts them (text bytes, not stored bytes):
         * counting the marker byte, and empty bodies, made the first
         * training find less than a megabyte, fail, and wait for another. */
        if (packed[0] == NX_PACK_RAW)
            w->raw_bytes += (int64_t)strlen(body);

        if (existing && o->path)
            rc = nx_fts5_holders_pass(w->holders, a->f[NX_FIELD_ID], holder, fileno);
        if (existing && rc == SQLITE_OK) {
            /* A changed text may no longer be a copy of the others. */
            int64_t heir;
            rc = hand_over(w, existing, &heir);
            if (rc == SQLITE_OK && dup && dup->cluster == existing)
                dup->cluster = heir; /* still their copy: under their new name */
            if (rc == SQLITE_OK) {
                rc = delete_fts(w, existing);
            }
            if (rc != SQLITE_OK) {
                if (release == free)
                    free(packed);
                return nx_fts5_fail(w->ix, rc, "replacing an article");
            }
        }
        st = existing ? w->upd_article : w->ins_article;
        sqlite3_bind_text(st, 1, a->f[NX_FIELD_ID], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, a->f[NX_FIELD_TITLE] ? a->f[NX_FIELD_TITLE] : "", -1,
                          SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, packed, (int)packed_len, release);
        bind_opt_text(st, 4, a->f[NX_FIELD_DATE]);
        bind_opt_text(st, 5, a->f[NX_FIELD_SOURCE]);
        bind_opt_text(st, 6, a->f[NX_FIELD_URL]);
        bind_opt_text(st, 7, a->f[NX_FIELD_LANG]);
        if (o->path)
            sqlite3_bind_int64(st, 8, fileno);
        else
            sqlite3_bind_null(st, 8);
        sqlite3_bind_int64(st, 9, hash);
        /* A cluster is named by its first article; that one stores NULL. */
        if (dup && dup->cluster >= 0 && dup->cluster != existing)
            sqlite3_bind_int64(st, 10, dup->cluster);
        else
            sqlite3_bind_null(st, 10);
        if (dup && dup->sig)
            sqlite3_bind_blob(st, 11, dup->sig, (int)dup->sig_len, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 11);
        if (existing)
            sqlite3_bind_int64(st, 12, existing);
        rc = nx_fts5_step_done(st);
        *outcome = existing ? NX_PUT_UPDATED : NX_PUT_ADDED;
        *rowid = existing ? existing : sqlite3_last_insert_rowid(DB(w->ix));
        if (rc == SQLITE_OK) {
            const char *lang = a->f[NX_FIELD_LANG] ? a->f[NX_FIELD_LANG] : "";
            const char *title = a->f[NX_FIELD_TITLE] ? a->f[NX_FIELD_TITLE] : "";
            if (prep) {
                const char *texts[2] = {body, title};
                const nx_pretok *terms[2] = {prep->body, prep->title};
                nx_fts5_replay_set(w->replay, lang, texts, terms);
            }
            sqlite3_stmt *f = w->ins_fts;
            sqlite3_bind_int64(f, 1, *rowid);
            sqlite3_bind_text(f, 2, lang, -1, SQLITE_STATIC);
            sqlite3_bind_text(f, 3, body, -1, SQLITE_STATIC);
            sqlite3_bind_text(f, 4, title, -1, SQLITE_STATIC);
            rc = nx_fts5_step_done(f);
            sqlite3_clear_bindings(f);
            nx_fts5_replay_clear(w->replay);
        }
        if (dup)
            dup->assigned = dup->cluster >= 0 ? dup->cluster : *rowid;
    }
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(w->ix, rc, "storing an article");
    return train_if_due(w, 0);
}

static nx_status_t fts5_put_article(void *wp, const nx_article_t *a, const nx_origin *o,
                                    nx_dup_facts *dup, const nx_prepared *prep, int *outcome,
                                    int64_t *rowid)
{
    fts5_writer *w = wp;
    /* Listed ahead of time (even for an unchanged article: the preparer
     * will not list them again), so not collected from the terms as FTS5
     * reads them: a hash lookup per term saved on this thread. */
    int words = prep && prep->words_given, stems = prep && prep->stems_given;
    if (words) {
        for (size_t i = 0; i < prep->words_len; i += 1 + (size_t)prep->words[i])
            on_spell_word(w, (const char *)prep->words + i + 1, prep->words[i]);
        nx_fts5_replay_words(w->replay, NULL, NULL);
    }
    if (stems) {
        for (size_t i = 0; i < prep->stems_len;) {
            const unsigned char *stem = prep->stems + i, *word = stem + 1 + stem[0];
            nx_stempairs_note(w->stems, (const char *)stem + 1, stem[0], (const char *)word + 1,
                               word[0]);
            i += 2 + (size_t)stem[0] + word[0];
        }
        nx_fts5_replay_stems(w->replay, NULL, NULL);
    }
    nx_status_t s = put_article(w, a, o, dup, prep, outcome, rowid);
    if (words)
        nx_fts5_replay_words(w->replay, on_spell_word, w);
    if (stems)
        nx_fts5_replay_stems(w->replay, nx_stempairs_note, w->stems);
    return s;
}

static nx_status_t fts5_dup_signatures(void *wp, nx_sig_expect_fn expect, nx_sig_fn fn,
                                       void *ctx)
{
    fts5_writer *w = wp;
    sqlite3_stmt *st = w->sel_sigs;
    int rc = SQLITE_OK;
    /* The largest rowid: one B-tree descent, and at least the count. */
    int64_t most = one_int(DB(w->ix), "SELECT coalesce(max(rowid), 0) FROM articles", &rc);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(w->ix, rc, "reading near-duplicate signatures");
    expect(ctx, most);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
               sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2))) {
            rc = SQLITE_NOMEM;
            break;
        }
    sqlite3_reset(st);
    if (rc == SQLITE_NOMEM)
        return nx_fail(w->ix, NX_ERR_NOMEM, "out of memory reading near-duplicate signatures");
    return rc == SQLITE_DONE ? NX_OK
                             : nx_fts5_fail(w->ix, rc, "reading near-duplicate signatures");
}

static const void *fts5_pack_dict(void *wp, size_t *len, unsigned *id)
{
    fts5_writer *w = wp;
    *id = nx_textpack_dict_id(w->pack);
    return nx_textpack_dict(w->pack, len);
}

static nx_status_t fts5_dup_text(void *wp, int64_t key, char **text, size_t *len)
{
    fts5_writer *w = wp;
    *text = NULL;
    *len = 0;
    sqlite3_stmt *st = w->sel_text;
    sqlite3_bind_int64(st, 1, key);
    int rc = sqlite3_step(st);
    nx_status_t s = NX_OK;
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        if (t && (*text = malloc(n + 1))) {
            memcpy(*text, t, n + 1);
            *len = n;
        } else if (t) {
            s = nx_fail(w->ix, NX_ERR_NOMEM, "out of memory");
        }
    } else if (rc != SQLITE_DONE) {
        s = nx_fts5_fail(w->ix, rc, "reading an article");
    }
    sqlite3_reset(st);
    return s;
}

static nx_status_t fts5_file_get(void *wp, const char *path, nx_file_row *row, int *found)
{
    fts5_writer *w = wp;
    sqlite3_stmt *st = w->file_get;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *found = 0;
    if (rc == SQLITE_ROW) {
        *found = 1;
        row->size = sqlite3_column_int64(st, 0);
        row->mtime_ns = sqlite3_column_int64(st, 1);
        const char *h = (const char *)sqlite3_column_text(st, 2);
        snprintf(row->hash, sizeof row->hash, "%s", h ? h : "");
        if (row->size < 0) /* numbered by an article, never read to the end */
            *found = 0;
        row->articles = sqlite3_column_int64(st, 3);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_reset(st);
    return rc == SQLITE_OK ? NX_OK : nx_fts5_fail(w->ix, rc, "looking up a file");
}

static nx_status_t fts5_file_put(void *wp, const char *path, const nx_file_row *row)
{
    fts5_writer *w = wp;
    sqlite3_stmt *st = w->file_put;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->size);
    sqlite3_bind_int64(st, 3, row->mtime_ns);
    sqlite3_bind_text(st, 4, row->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, row->articles);
    int rc = nx_fts5_step_done(st);
    return rc == SQLITE_OK ? NX_OK : nx_fts5_fail(w->ix, rc, "recording a file");
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static nx_status_t fts5_remove_stale(void *wp, const char *path, const int64_t *keep,
                                     size_t nkeep, int64_t *removed)
{
    fts5_writer *w = wp;
    *removed = 0;
    int64_t *gone = NULL;
    size_t ngone = 0, cap = 0;
    sqlite3_stmt *st = w->sel_origin;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t r = sqlite3_column_int64(st, 0);
        if (nkeep && bsearch(&r, keep, nkeep, sizeof r, cmp_i64))
            continue;
        if (ngone == cap) {
            cap = cap ? cap * 2 : 16;
            int64_t *p = realloc(gone, cap * sizeof *p);
            if (!p) {
                sqlite3_reset(st);
                free(gone);
                return nx_fail(w->ix, NX_ERR_NOMEM, "out of memory");
            }
            gone = p;
        }
        gone[ngone++] = r;
    }
    sqlite3_reset(st);
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    for (size_t i = 0; rc == SQLITE_OK && i < ngone; i++) {
        int64_t heir;
        rc = hand_over(w, gone[i], &heir);
        if (rc != SQLITE_OK)
            break;
        rc = delete_fts(w, gone[i]);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(w->del_article, 1, gone[i]);
            rc = nx_fts5_step_done(w->del_article);
        }
    }
    free(gone);
    /* Another file may hold one of them: to be read back (wanted). */
    if (rc == SQLITE_OK && ngone)
        rc = nx_fts5_holders_due(w->holders);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(w->ix, rc, "removing articles gone from a file");
    *removed = (int64_t)ngone;
    return NX_OK;
}

/* Every stored text decompresses. SQLite's check reads the pages, not what
 * rows hold: a damaged text went unnoticed until a search that hit it failed.
 * zstd finds most damage to a frame (not all: a changed byte among its raw
 * literals reads as a changed letter). Lists the first few ids. */
static nx_status_t check_texts(nx_index_t *ix)
{
    sqlite3_stmt *st = NULL, *which = NULL;
    int rc = sqlite3_prepare_v2(DB(ix),
                                "SELECT rowid, length(nx_unpack(body)) FROM articles "
                                "WHERE rowid > ?1 ORDER BY rowid",
                                -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(DB(ix),
                                "SELECT rowid, id FROM articles WHERE rowid > ?1 ORDER BY rowid "
                                "LIMIT 1",
                                -1, &which, NULL);
    int64_t after = 0, bad = 0;
    char ids[400] = "";
    while (rc == SQLITE_OK) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, after);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            after = sqlite3_column_int64(st, 0);
        if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
            break;
        }
        if ((rc & 0xff) != SQLITE_CORRUPT)
            break;
        /* The row after the last good one is the damaged one. */
        sqlite3_reset(st);
        sqlite3_reset(which);
        sqlite3_bind_int64(which, 1, after);
        if ((rc = sqlite3_step(which)) != SQLITE_ROW)
            break;
        after = sqlite3_column_int64(which, 0);
        size_t n = strlen(ids);
        if (bad++ < 5)
            snprintf(ids + n, sizeof ids - n, "%s%s", n ? ", " : "",
                     (const char *)sqlite3_column_text(which, 1));
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    sqlite3_finalize(which);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(ix, rc, "reading the stored texts");
    if (bad)
        return nx_fail(ix, NX_ERR_CORRUPT,
                       "%s: %lld stored article text%s damaged (cannot be decompressed): %s%s",
                       ix->path, (long long)bad, bad == 1 ? " is" : "s are", ids,
                       bad > 5 ? ", ..." : "");
    return NX_OK;
}

static nx_status_t fts5_check(nx_index_t *ix)
{
    sqlite3_stmt *st = NULL;
    char found[512] = "";
    int rc = sqlite3_prepare_v2(DB(ix), "PRAGMA integrity_check", -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (r && strcmp(r, "ok") != 0 && !found[0])
            snprintf(found, sizeof found, "%s", r);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_OK)
        return nx_fts5_fail(ix, rc, "checking the database");
    if (found[0])
        return nx_fail(ix, NX_ERR_CORRUPT, "%s: SQLite integrity check: %s", ix->path, found);
    /* Stemmed queries read the stems table (fts5_stems.c); a program that
     * changed the file by hand may have lost it. */
    rc = sqlite3_exec(DB(ix), "SELECT stem, word FROM stems LIMIT 1", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return nx_fail(ix, NX_ERR_CORRUPT, "%s: the stems table cannot be read (%s)", ix->path,
                       sqlite3_errmsg(DB(ix)));
    nx_status_t texts = check_texts(ix);
    if (texts != NX_OK)
        return texts;
    /* FTS5 compares its index with the articles it was built from; the
     * command is a write, so a read-only handle checks SQLite's part only. */
    if (ix->read_only)
        return nx_fail(ix, NX_ERR_READ_ONLY,
                       "%s: SQLite's structures are sound; the full-text index can only be "
                       "checked with write access to the index",
                       ix->path);
    rc = sqlite3_exec(DB(ix), "INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')",
                      NULL, NULL, NULL);
    if ((rc & 0xff) == SQLITE_CORRUPT)
        return nx_fail(ix, NX_ERR_CORRUPT,
                       "%s: the full-text index does not match the articles (%s)", ix->path,
                       sqlite3_errmsg(DB(ix)));
    if (rc != SQLITE_OK)
        return nx_fts5_fail(ix, rc, "checking the full-text index");
    return NX_OK;
}

/* Merges the full-text index's segments into one (optimize, settle). */
#define FTS5_MERGE_SQL "INSERT INTO articles_fts(articles_fts) VALUES('optimize')"

static nx_status_t fts5_optimize(nx_index_t *ix)
{
    /* One transaction for both: a crash leaves the index as it was. */
    int rc = sqlite3_exec(DB(ix), "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = nx_fts5_pack_all(DB(ix), ((nx_fts5_aux *)ix->aux)->pack);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(DB(ix), FTS5_MERGE_SQL, NULL, NULL, NULL);
    /* The spelling list made anew from the index's words: complete, and
     * without the words of articles deleted since. The stems table loses
     * the words no article holds any more, which a stemmed query would
     * otherwise still look up. */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(
            DB(ix),
            SPELL_TABLE_SQL "; "
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.nx_vocab USING "
            "fts5vocab(main, articles_fts, row); "
            "DELETE FROM spelling; "
            /* One statement per range: fts5vocab given the two ranges
             * OR'ed returned the first one only. */
            "INSERT OR IGNORE INTO spelling(len, word) SELECT length(CAST(term AS BLOB)), term "
            "FROM temp.nx_vocab WHERE term >= 'a' AND term < '{' AND "
            "length(CAST(term AS BLOB)) BETWEEN 2 AND " NX_STR(NX_SPELL_MAX) "; "
            "INSERT OR IGNORE INTO spelling(len, word) SELECT length(CAST(term AS BLOB)), term "
            "FROM temp.nx_vocab WHERE term >= char(128) AND term < char(2048) AND "
            "length(CAST(term AS BLOB)) BETWEEN 2 AND " NX_STR(NX_SPELL_MAX) "; "
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('spelling', '2'); "
            "DELETE FROM stems WHERE word NOT IN (SELECT term FROM temp.nx_vocab)",
            NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(DB(ix), "COMMIT", NULL, NULL, NULL);
    else
        sqlite3_exec(DB(ix), "ROLLBACK", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(DB(ix), "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE)",
                          NULL, NULL, NULL);
    return rc == SQLITE_OK ? NX_OK : nx_fts5_fail(ix, rc, "optimizing");
}

/* After an indexing run that changed the index: a search looks each of its
 * terms up in every segment of the full-text index, so when more than a
 * quarter of the index lies outside its largest segment, the segments are
 * merged into one, as optimize does. After indexing 100 MB of text (five
 * segments) that took 2 s more on top of 11 and made the median query three
 * times faster: p50 in process with snippets 0.40 -> 0.13 ms, p99 9.5 ->
 * 7.6 ms; a 1% update had left seven segments and p50 at 0.49 ms. A quarter
 * keeps small updates of a big index from rewriting it each time. */
static nx_status_t fts5_settle(nx_index_t *ix)
{
    int64_t total, largest;
    int rc = nx_fts5_segment_pages(DB(ix), &total, &largest);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(ix, rc, "reading the full-text index's layout");
    if (total - largest <= total / 4)
        return NX_OK;
    rc = sqlite3_exec(DB(ix), FTS5_MERGE_SQL, NULL, NULL, NULL);
    return rc == SQLITE_OK ? NX_OK : nx_fts5_fail(ix, rc, "merging the full-text index");
}

static nx_status_t fts5_files(void *wp, const char *prefix, nx_count_fn fn, void *ctx)
{
    fts5_writer *w = wp;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(DB(w->ix),
                                "SELECT path, articles FROM files WHERE substr(path, 1, "
                                "length(?1)) = ?1 ORDER BY path",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? NX_OK : nx_fts5_fail(w->ix, rc, "listing indexed files");
}

static nx_status_t fts5_file_remove(void *wp, const char *path, int64_t *removed)
{
    fts5_writer *w = wp;
    nx_status_t s = fts5_remove_stale(w, path, NULL, 0, removed);
    if (s != NX_OK)
        return s;
    sqlite3_stmt *st = NULL;
    int rc = nx_fts5_holders_drop_file(w->holders, path);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(DB(w->ix), "DELETE FROM files WHERE path = ?1", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(DB(w->ix));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? NX_OK : nx_fts5_fail(w->ix, rc, "forgetting a file");
}

static nx_status_t fts5_wanted(void *wp, int due_only, nx_holder_fn fn, void *ctx)
{
    fts5_writer *w = wp;
    int rc = nx_fts5_holders_wanted(w->holders, due_only, fn, ctx);
    if (rc == SQLITE_NOMEM)
        return nx_fail(w->ix, NX_ERR_NOMEM, "out of memory");
    if (rc != SQLITE_OK)
        return nx_fts5_fail(w->ix, rc, "looking for removed articles that other files hold");
    return NX_OK;
}

static nx_status_t fts5_holder_forget(void *wp, const char *path, const char *id)
{
    fts5_writer *w = wp;
    int rc = nx_fts5_holders_forget(w->holders, path, id);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(w->ix, rc, "forgetting that a file holds an article");
    return NX_OK;
}

static void fts5_query_analyzer(nx_index_t *ix, nx_analyzer *an)
{
    nx_analyzer_expand(an, nx_fts5_expand, ix);
}

const nx_engine nx_engine_fts5 = {
    "fts5",
    fts5_open,
    fts5_close,
    fts5_writer_new,
    fts5_writer_free,
    fts5_begin,
    fts5_commit,
    fts5_rollback,
    fts5_put_article,
    fts5_file_get,
    fts5_file_put,
    fts5_remove_stale,
    nx_fts5_get_article,
    nx_fts5_stats,
    nx_fts5_field_counts,
    nx_fts5_search,
    nx_fts5_count,
    nx_fts5_value_counts,
    nx_fts5_vocabulary,
    nx_fts5_spelling,
    fts5_check,
    fts5_optimize,
    fts5_files,
    fts5_file_remove,
    fts5_wanted,
    fts5_holder_forget,
    nx_fts5_describe,
    fts5_dup_signatures,
    fts5_dup_text,
    fts5_pack_dict,
    fts5_unchanged,
    1,
    fts5_settle, /* freed pages go back when the writer closes */
    fts5_query_analyzer,
};
