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
#define CLUSTER                                                                            \
    "CASE WHEN a.cluster IS NOT NULL THEN a.cluster WHEN EXISTS (SELECT 1 FROM articles "  \
    "AS c WHERE c.cluster = a.rowid) THEN a.rowid ELSE -1 END"
#define LAZY_COLUMNS "a.rowid, a.id, a.date, " CLUSTER
/* Hits ranked past the page that f also holds, so that ties at its end
 * are usually all in f; when they are not, the search is run again with
 * every match in f (nx_fts5_search). */
#define POOL_EXTRA 50
/* The score a hit needs to be on the page or before it (?7: offset + limit
 * - 1): the rows ranked below it cannot be, and their date and id (a row
 * read each, for ties) are not needed. */
#define CUT_SCORE                                                                          \
    "coalesce((SELECT score FROM f ORDER BY score DESC LIMIT 1 OFFSET ?7), (SELECT "       \
    "min(score) FROM f))"
/* What cursor_fill reads for a hit shown (and cursor_copies for a copy),
 * in the order of fill_fields: all but the id and date. A damaged body
 * reads as NULL (nx_unpack_or_null): the hit is shown without it. */
#define FILL_SQL                                                                           \
    "SELECT a.title, nx_unpack_or_null(a.body), a.source, a.url, a.lang, (SELECT path "   \
    "FROM files WHERE files.fileno = a.fileno) FROM articles AS a WHERE a.rowid = ?1"
/* The ranked search (prepare, lazy): ?1 the MATCH expression, ?2 the pool
 * (how many hits by score f holds), ?3 limit, ?4 offset, ?5 nx_rank's
 * word groups, ?6 the matches list nx_rank fills, ?7 offset + limit - 1.
 * Column 5: whether the last hit in f has the cut score, when more hits
 * tying with it may have been left out of f (first_step). */
#define RANKED_SQL                                                                         \
    "WITH f AS MATERIALIZED (SELECT rowid, nx_rank(articles_fts, ?5, " BODY_WEIGHT ", "    \
    TITLE_WEIGHT ", ?6) AS score FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY "  \
    "score DESC LIMIT ?2) SELECT " LAZY_COLUMNS ", g.score, (SELECT min(score) FROM f) = " \
    CUT_SCORE " FROM (SELECT f.rowid AS rowid, f.score AS score, a.date AS date, a.id AS " \
    "id FROM f JOIN articles AS a ON a.rowid = f.rowid WHERE f.score >= " CUT_SCORE        \
    " ORDER BY f.score DESC, a.date DESC, a.id LIMIT ?3 OFFSET ?4) AS g JOIN articles AS " \
    "a ON a.rowid = g.rowid ORDER BY g.score DESC, g.date DESC, g.id"

/* Takes the statement kept in *slot, or prepares sql when a cursor still
 * holds it (copies listed while the hits are walked). */
static int take_stmt(sqlite3 *db, sqlite3_stmt **slot, const char *sql, sqlite3_stmt **out)
{
    *out = *slot;
    *slot = NULL;
    return *out ? SQLITE_OK : sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
}

/* Keeps st in *slot for the next search, or finalizes it when one is kept. */
static void give_stmt(sqlite3_stmt **slot, sqlite3_stmt *st)
{
    if (!st)
        return;
    if (*slot) {
        sqlite3_finalize(st);
        return;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    *slot = st;
}

static const int fill_fields[] = {NX_FIELD_TITLE, NX_FIELD_BODY,  NX_FIELD_SOURCE,
                                  NX_FIELD_URL,   NX_FIELD_LANG, NX_FIELD_ORIGIN};
#define COLUMNS                                                                            \
    "a.id, a.title, nx_unpack_or_null(a.body), a.date, a.source, a.url, a.lang, "          \
    "(SELECT path FROM files WHERE files.fileno = a.fileno), " CLUSTER

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
            else if (until)
                snprintf(buf, sizeof buf, "a.date < ?%d", until);
            else /* no bound (date:..9999): every dated article */
                snprintf(buf, sizeof buf, "a.date IS NOT NULL");
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
 * url, lang, origin, cluster, score (with *lazy set: rowid, id, date,
 * cluster, score, the rest left to cursor_fill); with count_only a single
 * count. */
static nx_status_t prepare(nx_index_t *ix, const nx_store_query *q, int count_only,
                           const char *group, sqlite3_stmt **out, int *lazy)
{
    *out = NULL;
    *lazy = 0;
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
         * id in the middle, which reads only those two, and only for the
         * hits that can reach the page (CUT_SCORE); the copies are
         * looked up for the page alone, not for every row sorted, and the
         * other columns (a body to unpack, a file name) only for the hits
         * shown (cursor_fill), not those skipped as copies. */
        sqlite3_stmt *st = NULL;
        int rc = take_stmt(DB(ix), &((nx_fts5_aux *)ix->aux)->ranked, RANKED_SQL, &st);
        if (rc != SQLITE_OK)
            return nx_fts5_fail(ix, rc, "preparing the search");
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)(q->offset + q->limit + POOL_EXTRA));
        sqlite3_bind_int64(st, 3, (sqlite3_int64)q->limit);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)q->offset);
        sqlite3_bind_text(st, 5, q->fts5_groups, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, (sqlite3_int64)(q->offset + q->limit - 1));
        *out = st;
        *lazy = 1;
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
    const char *msg = sqlite3_errmsg(DB(ix));
    if ((rc & 0xff) == SQLITE_ERROR && strstr(msg, "parser stack overflow"))
        return nx_fail(ix, NX_ERR_QUERY,
                       "query:1:1: the query nests its groups (parentheses, OR, NOT) too "
                       "deeply for the full-text index; write it with fewer levels");
    if ((rc & 0xff) == SQLITE_ERROR)
        return nx_fail(ix, NX_ERR_ENGINE,
                       "%s: internal error running the search (%s); please report this query",
                       ix->path, msg);
    return nx_fts5_fail(ix, rc, "searching");
}

typedef struct fts5_cursor {
    nx_cursor base;
    nx_index_t *ix;
    sqlite3_stmt *st;
    sqlite3_stmt *fill;         /* lazy cursors: FILL_SQL */
    nx_fts5_matches matches;    /* lazy cursors: every match, from nx_rank */
    int first_rc;               /* lazy cursors: the first step's, until cursor_next reads it */
    sqlite3_stmt *members, *row; /* cursor_copies */
} fts5_cursor;

/* The copies of a hit from the matches nx_rank saw: the cluster's few
 * articles are listed and each looked up in the set, where running the
 * query again narrowed to the cluster made FTS5 seek every term in every
 * segment for each of them (a quarter of a fresh search at 1 GB). */
static nx_status_t cursor_copies(nx_cursor *c, int64_t cluster, const char *self, nx_copy_fn fn,
                                 void *ctx, int64_t *count)
{
    fts5_cursor *fc = (fts5_cursor *)c;
    *count = 0;
    int rc = SQLITE_OK;
    if (!fc->members)
        rc = sqlite3_prepare_v3(DB(fc->ix),
                                "SELECT a.rowid, a.id, a.date FROM articles AS a WHERE a.rowid IN (SELECT "
                                "rowid FROM articles WHERE cluster = ?1 UNION ALL SELECT ?1) "
                                "ORDER BY a.date IS NULL, a.date ASC, a.id",
                                -1, 0, &fc->members, NULL);
    if (rc == SQLITE_OK && !fc->row && fn)
        rc = sqlite3_prepare_v3(DB(fc->ix), FILL_SQL, -1, 0, &fc->row, NULL);
    if (rc != SQLITE_OK)
        return nx_fts5_fail(fc->ix, rc, "listing copies");
    sqlite3_bind_int64(fc->members, 1, cluster);
    while ((rc = sqlite3_step(fc->members)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(fc->members, 0);
        const char *name = (const char *)sqlite3_column_text(fc->members, 1);
        if ((name && strcmp(name, self) == 0) || !nx_fts5_matches_has(&fc->matches, id))
            continue;
        ++*count;
        if (!fn)
            continue;
        sqlite3_bind_int64(fc->row, 1, id);
        if ((rc = sqlite3_step(fc->row)) != SQLITE_ROW)
            break;
        nx_article_t a;
        a.f[NX_FIELD_ID] = (char *)name;
        a.f[NX_FIELD_DATE] = (char *)sqlite3_column_text(fc->members, 2);
        for (size_t i = 0; i < sizeof fill_fields / sizeof *fill_fields; i++)
            a.f[fill_fields[i]] = (char *)sqlite3_column_text(fc->row, (int)i);
        fn(ctx, &a);
        sqlite3_reset(fc->row);
        rc = SQLITE_ROW;
    }
    if (fc->row)
        sqlite3_reset(fc->row);
    sqlite3_reset(fc->members);
    return rc == SQLITE_DONE ? NX_OK : step_error(fc->ix, rc == SQLITE_ROW ? SQLITE_CORRUPT : rc);
}

static int cursor_next(nx_cursor *c, nx_article_t *cur, double *score, int64_t *cluster,
                       nx_status_t *status)
{
    fts5_cursor *fc = (fts5_cursor *)c;
    if (fc->fill)
        sqlite3_reset(fc->fill);
    int rc = fc->first_rc ? fc->first_rc : sqlite3_step(fc->st);
    fc->first_rc = 0;
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        *status = step_error(fc->ix, rc);
        return -1;
    }
    if (fc->fill) {
        memset(cur->f, 0, sizeof cur->f);
        cur->f[NX_FIELD_ID] = (char *)sqlite3_column_text(fc->st, 1);
        cur->f[NX_FIELD_DATE] = (char *)sqlite3_column_text(fc->st, 2);
        *cluster = sqlite3_column_int64(fc->st, 3);
        *score = sqlite3_column_double(fc->st, 4);
        return 1;
    }
    for (int i = 0; i < NX_FIELD_COUNT_; i++)
        cur->f[i] = (char *)sqlite3_column_text(fc->st, i);
    *cluster = sqlite3_column_int64(fc->st, NX_FIELD_COUNT_);
    *score = sqlite3_column_double(fc->st, NX_FIELD_COUNT_ + 1);
    return 1;
}

static int cursor_fill(nx_cursor *c, nx_article_t *cur, nx_status_t *status)
{
    fts5_cursor *fc = (fts5_cursor *)c;
    sqlite3_reset(fc->fill);
    sqlite3_bind_int64(fc->fill, 1, sqlite3_column_int64(fc->st, 0));
    int rc = sqlite3_step(fc->fill);
    if (rc != SQLITE_ROW) {
        /* The row was read in this statement's snapshot: it is there. */
        *status = step_error(fc->ix, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc);
        return -1;
    }
    for (size_t i = 0; i < sizeof fill_fields / sizeof *fill_fields; i++)
        cur->f[fill_fields[i]] = (char *)sqlite3_column_text(fc->fill, (int)i);
    return 0;
}

static void cursor_free(nx_cursor *c)
{
    fts5_cursor *fc = (fts5_cursor *)c;
    nx_fts5_aux *aux = fc->ix->aux;
    if (fc->fill) { /* lazy: the statements are kept for the next search */
        give_stmt(&aux->fill, fc->fill);
        give_stmt(&aux->ranked, fc->st);
    } else {
        sqlite3_finalize(fc->st);
    }
    sqlite3_finalize(fc->members);
    sqlite3_finalize(fc->row);
    free(fc->matches.ids);
    free(fc);
}

/* Runs a lazy search to its first row (every match is ranked by then).
 * When the hits tying with the page's last place run to the end of the
 * ranked pool, some may have been left out of it, and one of those may be
 * newer than a tie listed: wire copies of one story score alike, more than
 * POOL_EXTRA of them is no rarity in a news archive. The search then runs
 * again with every match in the pool. Returns SQLITE_OK, the step's result
 * kept for cursor_next, or the error. */
static int first_step(fts5_cursor *c, const nx_store_query *q)
{
    int rc = sqlite3_step(c->st);
    size_t pool = q->offset + q->limit + POOL_EXTRA;
    if (rc == SQLITE_ROW && sqlite3_column_int(c->st, 5) && c->matches.n > pool) {
        sqlite3_reset(c->st);
        sqlite3_bind_int64(c->st, 2, (sqlite3_int64)c->matches.n);
        c->matches.n = 0;
        c->matches.sorted = 0;
        rc = sqlite3_step(c->st);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rc;
    c->first_rc = rc;
    /* nx_rank saw every match: a count would read them all again. (A page
     * of no hits may be answered without ranking any.) */
    c->base.has_total = q->limit > 0;
    c->base.total = (int64_t)c->matches.n;
    return SQLITE_OK;
}

nx_status_t nx_fts5_search(nx_index_t *ix, const nx_store_query *q, nx_cursor **out)
{
    *out = NULL;
    fts5_cursor *c = calloc(1, sizeof *c);
    if (!c)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    int lazy;
    nx_status_t s = prepare(ix, q, 0, NULL, &c->st, &lazy);
    if (s == NX_OK && lazy) {
        sqlite3_bind_pointer(c->st, 6, &c->matches, NX_FTS5_MATCHES, NULL);
        int rc = take_stmt(DB(ix), &((nx_fts5_aux *)ix->aux)->fill, FILL_SQL, &c->fill);
        if (rc != SQLITE_OK)
            s = nx_fts5_fail(ix, rc, "preparing the search");
        else if ((rc = first_step(c, q)) != SQLITE_OK)
            s = step_error(ix, rc);
        if (s != NX_OK) {
            sqlite3_finalize(c->st);
            sqlite3_finalize(c->fill);
            free(c->matches.ids);
        }
    }
    if (s != NX_OK) {
        free(c);
        return s;
    }
    c->base.next = cursor_next;
    c->base.fill = c->fill ? cursor_fill : NULL;
    c->base.copies = c->fill ? cursor_copies : NULL;
    c->base.free = cursor_free;
    c->ix = ix;
    *out = &c->base;
    return NX_OK;
}

nx_status_t nx_fts5_count(nx_index_t *ix, const nx_store_query *q, int64_t *out)
{
    sqlite3_stmt *st;
    int lazy;
    nx_status_t s = prepare(ix, q, 1, NULL, &st, &lazy);
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
    int lazy;
    nx_status_t s = prepare(ix, q, 1, expr, &st, &lazy);
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
