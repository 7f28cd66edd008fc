/* fts5_read.c - reading whole articles and index-wide figures back out of
 * the SQLite index (searching is in fts5_search.c). */
#include "fts5.h"

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

nx_status_t nx_fts5_field_counts(nx_index_t *ix, const char *field, size_t limit, nx_count_fn fn,
                                 void *ctx)
{
    /* The column name is chosen from a fixed list, never taken from input. */
    const char *sql;
    if (strcmp(field, "source") == 0)
        sql = "SELECT coalesce(nullif(source, ''), '(none)') AS v, count(*) AS n FROM articles "
              "GROUP BY v ORDER BY n DESC, v LIMIT ?1";
    else if (strcmp(field, "lang") == 0)
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

nx_status_t nx_fts5_vocabulary(nx_index_t *ix, const char *prefix, nx_count_fn fn, void *ctx)
{
    /* fts5vocab reads the index's term list; a temp table is allowed even
     * on a read-only connection. */
    int rc = sqlite3_exec(DB(ix),
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
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? NX_OK : nx_fts5_fail(ix, rc, "reading the vocabulary");
}
