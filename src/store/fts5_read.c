/* fts5_read.c - reading whole articles and index-wide figures back out of
 * the SQLite index (searching is in fts5_search.c). */
#include "fts5.h"
#include "fts5_leaves.h"

#define DB(ix) nx_fts5_db(ix)

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *col_dup(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? strdup(s) : NULL;
}

/* Columns in nx_field_t order, so rows map straight onto articles. */
#define ARTICLE_COLUMNS                                                                    \
    "id, title, nx_unpack(body), date, source, url, lang, "                                \
    "(SELECT path FROM files WHERE files.fileno = articles.fileno)"

nx_status_t nx_fts5_get_article(nx_index_t *ix, const char *id, nx_article_t **out)
{
    *out = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(DB(ix), "SELECT " ARTICLE_COLUMNS " FROM articles WHERE id = ?1",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(ix, rc, "reading an article");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    nx_status_t s = NX_OK;
    if (rc == SQLITE_ROW) {
        nx_article_t *a;
        s = nx_article_new(&a);
        for (int i = 0; s == NX_OK && i < NX_FIELD_COUNT_; i++)
            nx_article_take(a, (nx_field_t)i, col_dup(st, i));
        if (s == NX_OK)
            *out = a;
    } else if (rc == SQLITE_DONE) {
        s = nx_fail(ix, NX_ERR_NOT_FOUND, "no article with id '%s'", id);
    } else {
        s = nx_fts5_fail(ix, rc, "reading an article");
    }
    sqlite3_finalize(st);
    return s;
}

static int64_t file_size(const char *path, const char *suffix)
{
    char buf[4096];
    struct stat st;
    snprintf(buf, sizeof buf, "%s%s", path, suffix);
    return stat(buf, &st) == 0 ? (int64_t)st.st_size : 0;
}

nx_status_t nx_fts5_stats(nx_index_t *ix, nx_stats_t *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        DB(ix),
        "SELECT count(*), count(DISTINCT nullif(source, '')), count(DISTINCT lang), "
        "coalesce(sum(length(CAST(title AS BLOB)) + nx_unpacked_size(body)), 0), "
        "coalesce(min(date), ''), coalesce(max(date), ''), (SELECT count(*) FROM files) "
        "FROM articles",
        -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        out->articles = sqlite3_column_int64(st, 0);
        out->sources = sqlite3_column_int64(st, 1);
        out->languages = sqlite3_column_int64(st, 2);
        out->bytes_text = sqlite3_column_int64(st, 3);
        snprintf(out->first_date, sizeof out->first_date, "%s",
                 (const char *)sqlite3_column_text(st, 4));
        snprintf(out->last_date, sizeof out->last_date, "%s",
                 (const char *)sqlite3_column_text(st, 5));
        out->files = sqlite3_column_int64(st, 6);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(ix, rc, "computing statistics");
    out->bytes_on_disk =
        file_size(ix->path, "") + file_size(ix->path, "-wal") + file_size(ix->path, "-shm");
    return NX_OK;
}

/* The index's languages, each with 1 when it is a main language: one
 * index seek per language instead of counting every article, and each
 * counted only up to the share that makes it a main language (rowids
 * stand in for the count). */
#define LANG_VALUES_SQL                                                                        \
    "WITH RECURSIVE l(v) AS (SELECT min(lang) FROM articles UNION ALL SELECT (SELECT "         \
    "min(lang) FROM articles WHERE lang > l.v) FROM l WHERE l.v IS NOT NULL), t(n) AS (SELECT " \
    "max(1, coalesce(max(rowid), 0) * " NX_MAIN_LANG_PERCENT " / 100) FROM articles) "         \
    "SELECT v, (SELECT count(*) FROM (SELECT 1 FROM articles WHERE lang = l.v LIMIT (SELECT n " \
    "FROM t))) >= (SELECT n FROM t) FROM l WHERE v IS NOT NULL LIMIT ?1"

int nx_fts5_lang_summary(sqlite3 *db, char *out, size_t len)
{
    sqlite3_stmt *st = NULL;
    size_t o = 0;
    int fits = 1;
    int rc = sqlite3_prepare_v2(db, LANG_VALUES_SQL, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, -1);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(st, 0);
            int n = snprintf(out + o, len - o, "%s%s:%d", o ? " " : "", code ? code : "",
                             sqlite3_column_int(st, 1) != 0);
            if (n < 0 || (size_t)n >= len - o || (code && strpbrk(code, " :")))
                fits = 0;
            else
                o += (size_t)n;
        }
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && !fits)
        rc = SQLITE_TOOBIG;
    if (rc != SQLITE_OK && len)
        out[0] = '\0';
    return rc;
}

/* The summary the last writer left in meta ('languages'), for each search
 * of a fresh process: counting took 2-3 ms of one at 1 GB. *found 0 when
 * there is none (an index written before it existed). */
static int lang_values_from_meta(sqlite3 *db, size_t limit, nx_count_fn fn, void *ctx,
                                 int *found)
{
    *found = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'languages'", -1, &st,
                                NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
        *found = 1;
        size_t n = 0;
        for (char *save = NULL, *e = strtok_r(buf, " ", &save); e && (!limit || n < limit);
             e = strtok_r(NULL, " ", &save), n++) {
            char *colon = strrchr(e, ':');
            if (!colon)
                continue;
            *colon = '\0';
            fn(ctx, e, atoi(colon + 1));
        }
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

nx_status_t nx_fts5_field_counts(nx_index_t *ix, const char *field, size_t limit, nx_count_fn fn,
                                 void *ctx)
{
    /* The column name is chosen from a fixed list, never taken from input. */
    const char *sql;
    if (strcmp(field, "source") == 0)
        sql = "SELECT coalesce(nullif(source, ''), '(none)') AS v, count(*) AS n FROM articles "
              "GROUP BY v ORDER BY n DESC, v LIMIT ?1";
    else if (strcmp(field, "lang-values") == 0) {
        /* Every search asks. */
        int found;
        int rc = lang_values_from_meta(DB(ix), limit, fn, ctx, &found);
        if (rc != SQLITE_OK)
            return nx_fts5_fail(ix, rc, "reading the index's languages");
        if (found)
            return NX_OK;
        sql = LANG_VALUES_SQL;
    } else if (strcmp(field, "lang") == 0)
        /* Grouped by the column itself so that SQLite walks its index: this
         * runs for every search (the languages to stem in). */
        sql = "SELECT coalesce(nullif(lang, ''), '(none)') AS v, count(*) AS n FROM articles "
              "GROUP BY lang ORDER BY n DESC, v LIMIT ?1";
    else if (strcmp(field, "year") == 0)
        sql = "SELECT coalesce(substr(date, 1, 4), '(undated)') AS v, count(*) AS n FROM "
              "articles GROUP BY v ORDER BY v LIMIT ?1";
    else
        return nx_fail(ix, NX_ERR_INVALID_ARG, "unknown field '%s' (source, lang, year)", field);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(DB(ix), sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, limit ? (sqlite3_int64)limit : -1);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? NX_OK : nx_fts5_fail(ix, rc, "counting field values");
}

nx_status_t nx_fts5_vocabulary(nx_index_t *ix, const char *prefix, nx_word_want_fn want,
                               nx_count_fn fn, void *ctx)
{
    int done;
    int rc = nx_fts5_leaf_words(DB(ix), prefix, want, fn, ctx, &done);
    if (rc != SQLITE_OK || done)
        return rc == SQLITE_OK ? NX_OK : nx_fts5_fail(ix, rc, "reading the vocabulary");
    /* fts5vocab reads the index's term list; a temp table is allowed even
     * on a read-only connection. */
    rc = sqlite3_exec(DB(ix),
                      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.nx_vocab USING "
                      "fts5vocab(main, articles_fts, row)",
                      NULL, NULL, NULL);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(DB(ix),
                                "SELECT term, doc FROM temp.nx_vocab WHERE term >= ?1 AND "
                                "term < ?1 || char(1114111) AND substr(term, 1, 1) != '~'",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *w = (const char *)sqlite3_column_text(st, 0);
            if (w && (!want || want(ctx, w, (size_t)sqlite3_column_bytes(st, 0))))
                fn(ctx, w, sqlite3_column_int64(st, 1));
        }
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? NX_OK : nx_fts5_fail(ix, rc, "reading the vocabulary");
}

/* One candidate of the spelling list: counted when the caller wants it. */
typedef struct spell_one {
    const char *word;
    size_t len;
    nx_count_fn fn;
    void *ctx;
} spell_one;

static int want_exactly(void *ctx, const char *w, size_t n)
{
    const spell_one *o = ctx;
    return n == o->len && memcmp(w, o->word, n) == 0;
}

static void count_exactly(void *ctx, const char *w, int64_t n)
{
    const spell_one *o = ctx;
    o->fn(o->ctx, w, n);
}

nx_status_t nx_fts5_spelling(nx_index_t *ix, const char *first, size_t minlen, size_t maxlen,
                             nx_word_want_fn want, nx_count_fn fn, void *ctx, int *have)
{
    *have = 0;
    sqlite3 *db = DB(ix);
    sqlite3_stmt *st = NULL;
    /* No table (an index made before it) or no 'spelling' mark: not
     * complete; mark 1 (a list from before it took other alphabets'
     * words): complete for words starting a-z only. */
    int rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'spelling'", -1, &st, NULL);
    int mark = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    int complete = mark == 2 || (mark == 1 && (unsigned char)first[0] < 0x80);
    sqlite3_finalize(st);
    st = NULL;
    if (!complete ||
        sqlite3_prepare_v2(db,
                           "SELECT word FROM spelling WHERE len = ?1 AND word >= ?2 AND "
                           "word < ?3",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NX_OK;
    }
    /* The words from first to the next character: its last byte (ASCII,
     * or a UTF-8 continuation byte, at most 0xBF) plus one. */
    char lo[8], hi[8];
    size_t fl = strnlen(first, sizeof lo - 1);
    memcpy(lo, first, fl);
    lo[fl] = '\0';
    memcpy(hi, lo, fl + 1);
    if (fl)
        hi[fl - 1] = (char)(hi[fl - 1] + 1);
    /* The candidates first (the statement is done before counting reads
     * the full-text index in a snapshot of its own). */
    char *words = NULL;
    size_t used = 0, cap = 0;
    rc = SQLITE_OK;
    for (size_t len = minlen; rc == SQLITE_OK && len <= maxlen; len++) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)len);
        sqlite3_bind_text(st, 2, lo, (int)fl, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, hi, (int)fl, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *w = (const char *)sqlite3_column_text(st, 0);
            size_t n = (size_t)sqlite3_column_bytes(st, 0);
            if (!w || (want && !want(ctx, w, n)))
                continue;
            if (used + n + 1 > cap) {
                size_t c = cap ? cap * 2 : 1024;
                while (c < used + n + 1)
                    c *= 2;
                char *p = realloc(words, c);
                if (!p) {
                    rc = SQLITE_NOMEM;
                    break;
                }
                words = p;
                cap = c;
            }
            memcpy(words + used, w, n + 1);
            used += n + 1;
        }
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    nx_status_t s = rc == SQLITE_OK ? NX_OK : nx_fts5_fail(ix, rc, "reading the spelling list");
    for (size_t i = 0; s == NX_OK && i < used; i += strlen(words + i) + 1) {
        spell_one o = {words + i, strlen(words + i), fn, ctx};
        s = nx_fts5_vocabulary(ix, o.word, want_exactly, count_exactly, &o);
    }
    free(words);
    if (s == NX_OK)
        *have = 1;
    return s;
}
