/* fts5_search.c - running a compiled query against the SQLite index.
 *
 * Ranking is BM25 with per-column weights (nx_rank, fts5_rank.c). A headline is a few
 * words an editor chose to say what the story is about, so a query word in
 * it is strong evidence: the title counts TITLE_WEIGHT times a body
 * occurrence. (On the Reuters known-item check, 2-4 did about equally well;
 * much higher lets short headline-only matches outrank real stories.)
 * Ties go to the newer article, then the smaller id, so a query always
 * lists the same hits in the same order. */
#include "fts5.h"

#define DB(ix) nx_fts5_db(ix)

#include "../query/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_WEIGHT "3.0"
#define BODY_WEIGHT "1.0"

/* The cluster column is -1 for an article with no copy (one seek in the
 * small partial index), so that listing a hit's copies, a query of its
 * own, is not run for the many hits that have none. */
#define COLUMNS                                                                            \
    "a.id, a.title, nx_unpack(a.body), a.date, a.source, a.url, a.lang, "                  \
    "(SELECT path FROM files WHERE files.fileno = a.fileno), "                             \
    "CASE WHEN a.cluster IS NOT NULL THEN a.cluster WHEN EXISTS (SELECT 1 FROM articles "  \
    "AS c WHERE c.cluster = a.rowid) THEN a.rowid ELSE -1 END"

static void where_filters(nx_sb *b, const nx_filter *f, size_t nf, int *param)
{
    for (size_t i = 0; i < nf; i++) {
        const char *cond;
        char buf[160];
        switch (f[i].kind) {
        case NX_F_SOURCE:
        case NX_F_URL:
            /* Whole words in order, as the Xapian engine's phrase of terms. */
            snprintf(buf, sizeof buf,
                     "instr(' ' || nx_words(coalesce(a.%s, '')) || ' ', ' ' || nx_words(?%d) || "
                     "' ') > 0",
                     f[i].kind == NX_F_SOURCE ? "source" : "url", (*param)++);
            cond = buf;
            break;
        case NX_F_LANG:
            snprintf(buf, sizeof buf, "coalesce(a.lang, '') = ?%d", (*param)++);
            cond = buf;
            break;
        case NX_F_CLUSTER:
            /* Its first article has no cluster set: its rowid names it. */
            snprintf(buf, sizeof buf,
                     "a.rowid IN (SELECT rowid FROM articles WHERE cluster = CAST(?%d AS "
                     "INTEGER) UNION ALL SELECT CAST(?%d AS INTEGER))",
                     *param, *param);
            (*param)++;
            cond = buf;
            break;
        default: {
            int since = f[i].since[0] ? (*param)++ : 0;
            int until = f[i].until[0] ? (*param)++ : 0;
            if (since && until)
                snprintf(buf, sizeof buf, "(a.date >= ?%d AND a.date < ?%d)", since, until);
            else if (since)
                snprintf(buf, sizeof buf, "a.date >= ?%d", since);
            else
                snprintf(buf, sizeof buf, "a.date < ?%d", until);
            cond = buf;
        }
        }
        /* Undated or sourceless articles are not excluded by -filter. */
        nx_sb_printf(b, f[i].negated ? " AND NOT coalesce(%s, 0)" : " AND %s", cond);
    }
}

static void bind_filters(sqlite3_stmt *st, const nx_filter *f, size_t nf, int *param)
{
    for (size_t i = 0; i < nf; i++) {
        if (f[i].kind != NX_F_DATE) {
            sqlite3_bind_text(st, (*param)++, f[i].value, -1, SQLITE_STATIC);
            continue;
        }
        if (f[i].since[0])
            sqlite3_bind_text(st, (*param)++, f[i].since, -1, SQLITE_STATIC);
        if (f[i].until[0])
            sqlite3_bind_text(st, (*param)++, f[i].until, -1, SQLITE_STATIC);
    }
}

/* Prepares the statement for q: rows of id, title, body, date, source,
 * url, lang, origin, cluster, score; with count_only a single count. */
static nx_status_t prepare(nx_index_t *ix, const nx_store_query *q, int count_only,
                           const char *group, sqlite3_stmt **out)
{
    *out = NULL;
    nx_sb b = {0};
    int param = 1;
    const char *match = q->text ? q->fts5 : NULL;
    int ranked = match && q->positive;
    /* A cluster holds a few articles: they drive the search, each checked
     * against the query by rowid, instead of every match being read to
     * find them (the copies of each hit a collapsed list shows). */
    int by_cluster = 0;
    for (size_t i = 0; i < q->nfilters; i++)
        by_cluster |= q->filters[i].kind == NX_F_CLUSTER && !q->filters[i].negated;
    if (by_cluster && ranked && !group && !count_only)
        ranked = 0;
    if (count_only && !group && ranked && q->nfilters == 0) {
        /* Counting needs no article row: FTS5 alone answers. */
        nx_sb_puts(&b, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1");
        goto prepared;
    }
    if (!count_only && !group && ranked && q->nfilters == 0 && q->sort == NX_SORT_RELEVANCE &&
        q->limit < 100000) {
        /* The best hits by rank first, then their rows: sorting full rows,
         * bodies and all, is what makes a big result slow. The inner list
         * is longer than the page, so ties are still broken by date and
         * id in the middle, which reads only those two; the columns
         * (a body to unpack, a file name, the copies) are computed for the
         * page alone, not for every row sorted. */
        nx_sb_puts(&b, "SELECT " COLUMNS ", g.score FROM (SELECT f.rowid AS rowid, f.score AS "
                       "score, a.date AS date, a.id AS id FROM (SELECT rowid, "
                       "nx_rank(articles_fts, ?5, " BODY_WEIGHT ", " TITLE_WEIGHT ") AS score "
                       "FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY score DESC LIMIT "
                       "?2) AS f JOIN articles AS a ON a.rowid = f.rowid ORDER BY f.score DESC, "
                       "a.date DESC, a.id LIMIT ?3 OFFSET ?4) AS g JOIN articles AS a ON a.rowid "
                       "= g.rowid ORDER BY g.score DESC, g.date DESC, g.id");
        char *sql = nx_sb_take(&b);
        if (!sql)
            return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(DB(ix), sql, -1, &st, NULL);
        free(sql);
        if (rc != SQLITE_OK)
            return nx_fts5_fail(ix, rc, "preparing the search");
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)(q->offset + q->limit + 50));
        sqlite3_bind_int64(st, 3, (sqlite3_int64)q->limit);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)q->offset);
        sqlite3_bind_text(st, 5, q->fts5_groups, -1, SQLITE_STATIC);
        *out = st;
        return NX_OK;
    }
    if (group)
        nx_sb_printf(&b, "SELECT %s, count(*) ", group);
    else if (count_only)
        nx_sb_puts(&b, "SELECT count(*) ");
    else if (ranked)
        nx_sb_puts(&b, "SELECT " COLUMNS ", nx_rank(articles_fts, ?2, " BODY_WEIGHT ", "
                       TITLE_WEIGHT ") AS score ");
    else
        nx_sb_puts(&b, "SELECT " COLUMNS ", 0.0 AS score ");
    if (ranked) {
        nx_sb_puts(&b, "FROM articles_fts JOIN articles AS a ON a.rowid = articles_fts.rowid "
                       "WHERE articles_fts MATCH ?1");
        param += group || count_only ? 1 : 2;
    } else if (match && by_cluster) {
        nx_sb_printf(&b, "FROM articles AS a WHERE %sEXISTS (SELECT 1 FROM articles_fts WHERE "
                         "articles_fts MATCH ?1 AND articles_fts.rowid = a.rowid)",
                     q->positive ? "" : "NOT ");
        param++;
    } else if (match) {
        nx_sb_puts(&b, "FROM articles AS a WHERE a.rowid NOT IN "
                       "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1)");
        param++;
    } else {
        nx_sb_puts(&b, "FROM articles AS a WHERE 1");
    }
    where_filters(&b, q->filters, q->nfilters, &param);
    if (group)
        nx_sb_puts(&b, " GROUP BY 1"); /* NULL groups are dropped by the caller */
    if (!count_only && !group) {
        if (q->sort == NX_SORT_OLDEST)
            nx_sb_puts(&b, " ORDER BY a.date IS NULL, a.date ASC, a.id");
        else if (q->sort == NX_SORT_NEWEST || !ranked)
            nx_sb_puts(&b, " ORDER BY a.date DESC, a.id");
        else
            nx_sb_puts(&b, " ORDER BY score DESC, a.date DESC, a.id");
        nx_sb_printf(&b, " LIMIT ?%d OFFSET ?%d", param, param + 1);
    }
prepared:;
    char *sql = nx_sb_take(&b);
    if (!sql)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(DB(ix), sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(ix, rc, "preparing the search");
    param = 1;
    if (match)
        sqlite3_bind_text(st, param++, match, -1, SQLITE_STATIC);
    if (ranked && !group && !count_only)
        sqlite3_bind_text(st, param++, q->fts5_groups, -1, SQLITE_STATIC);
    bind_filters(st, q->filters, q->nfilters, &param);
    if (!count_only && !group) {
        sqlite3_bind_int64(st, param, q->limit > (size_t)INT64_MAX ? -1 : (sqlite3_int64)q->limit);
        sqlite3_bind_int64(st, param + 1, (sqlite3_int64)q->offset);
    }
    *out = st;
    return NX_OK;
}

static nx_status_t step_error(nx_index_t *ix, int rc)
{
    /* Queries are built from quoted terms, so an FTS5 syntax error here is
     * a newsidx bug; say so rather than blame the user's query. */
    if ((rc & 0xff) == SQLITE_ERROR)
        return nx_fail(ix, NX_ERR_ENGINE,
                       "%s: internal error running the search (%s); please report this query",
                       ix->path, sqlite3_errmsg(DB(ix)));
    return nx_fts5_fail(ix, rc, "searching");
}

typedef struct fts5_cursor {
    nx_cursor base;
    nx_index_t *ix;
    sqlite3_stmt *st;
} fts5_cursor;

static int cursor_next(nx_cursor *c, nx_article_t *cur, double *score, int64_t *cluster,
                       nx_status_t *status)
{
    fts5_cursor *fc = (fts5_cursor *)c;
    int rc = sqlite3_step(fc->st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        *status = step_error(fc->ix, rc);
        return -1;
    }
    for (int i = 0; i < NX_FIELD_COUNT_; i++)
        cur->f[i] = (char *)sqlite3_column_text(fc->st, i);
    *cluster = sqlite3_column_int64(fc->st, NX_FIELD_COUNT_);
    *score = sqlite3_column_double(fc->st, NX_FIELD_COUNT_ + 1);
    return 1;
}

static void cursor_free(nx_cursor *c)
{
    fts5_cursor *fc = (fts5_cursor *)c;
    sqlite3_finalize(fc->st);
    free(fc);
}

nx_status_t nx_fts5_search(nx_index_t *ix, const nx_store_query *q, nx_cursor **out)
{
    *out = NULL;
    fts5_cursor *c = calloc(1, sizeof *c);
    if (!c)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    nx_status_t s = prepare(ix, q, 0, NULL, &c->st);
    if (s != NX_OK) {
        free(c);
        return s;
    }
    c->base.next = cursor_next;
    c->base.free = cursor_free;
    c->ix = ix;
    *out = &c->base;
    return NX_OK;
}

nx_status_t nx_fts5_count(nx_index_t *ix, const nx_store_query *q, int64_t *out)
{
    sqlite3_stmt *st;
    nx_status_t s = prepare(ix, q, 1, NULL, &st);
    if (s != NX_OK)
        return s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        s = step_error(ix, rc);
    sqlite3_finalize(st);
    return s;
}

char *nx_fts5_describe(nx_index_t *ix, const nx_store_query *q)
{
    (void)ix;
    nx_sb b = {0};
    nx_sb_printf(&b, "fts5%s: ", q->positive ? "" : " (excluded)");
    /* The language markers are control characters: show them as |. */
    for (const char *p = q->fts5 ? q->fts5 : ""; *p; p++)
        nx_sb_put(&b, *p == '\x1f' ? "|" : p, 1);
    return nx_sb_take(&b);
}

nx_status_t nx_fts5_value_counts(nx_index_t *ix, const nx_store_query *q, const char *field,
                                 nx_count_fn fn, void *ctx)
{
    /* The SQL comes from this fixed list, never from input. Lists of
     * fields are for timelines (dated articles only). */
    const char *expr = strcmp(field, "date") == 0     ? "a.date"
                       : strcmp(field, "source") == 0 ? "a.source"
                       : strcmp(field, "lang") == 0   ? "a.lang"
                       : strcmp(field, "date,source") == 0
                           ? "a.date || char(9) || coalesce(a.source, '')"
                       : strcmp(field, "date,cluster") == 0
                           ? "a.date || char(9) || coalesce(a.cluster, a.rowid)"
                       : strcmp(field, "date,source,cluster") == 0
                           ? "a.date || char(9) || coalesce(a.source, '') || char(9) || "
                             "coalesce(a.cluster, a.rowid)"
                           : NULL;
    if (!expr)
        return nx_fail(ix, NX_ERR_INVALID_ARG, "unknown field '%s'", field);
    sqlite3_stmt *st;
    nx_status_t s = prepare(ix, q, 1, expr, &st);
    if (s != NX_OK)
        return s;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_type(st, 0) != SQLITE_NULL)
            fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
    if (rc != SQLITE_DONE)
        s = step_error(ix, rc);
    sqlite3_finalize(st);
    return s;
}
