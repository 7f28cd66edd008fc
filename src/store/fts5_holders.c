/* fts5_holders.c - the FTS5 engine's `holders` table (index-schema/fts5-v4.sql):
 * which other files hold an article whose id a later file took over. An
 * article lives in one file's keeping; when a second file with the same id
 * is read, it takes the article over (the file read last wins). Without a
 * record of the first file, the article was deleted when the second file
 * dropped it, although the first still held it, and came back only if the
 * first file happened to change. The table lets an indexing run read the
 * article back from the first file instead (src/lib/ingest.c).
 *
 * Rows are written only at a take-over from a file that still exists: an
 * archive whose files were moved would otherwise leave a row per article.
 * The table is created by the first writer that needs it, so indexes made
 * before it work unchanged. */
#include "fts5.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* As in index-schema/fts5-v4.sql, for indexes made before the table. */
#define HOLDERS_TABLE_SQL                                                                  \
    "CREATE TABLE IF NOT EXISTS holders (id TEXT NOT NULL, fileno INTEGER NOT NULL, "      \
    "since INTEGER NOT NULL, PRIMARY KEY (id, fileno)) WITHOUT ROWID"

struct nx_fts5_holders {
    sqlite3 *db;
    int ready;            /* the table exists and add, drop, forget are prepared */
    sqlite3_stmt *path, *add, *drop, *forget;
    int64_t checked;      /* the file number whose existence was last checked (0: none) */
    int exists;           /* ... and whether that file exists */
};

nx_fts5_holders *nx_fts5_holders_new(sqlite3 *db)
{
    nx_fts5_holders *h = calloc(1, sizeof *h);
    if (h)
        h->db = db;
    return h;
}

void nx_fts5_holders_reset(nx_fts5_holders *h)
{
    if (!h)
        return;
    /* A rolled-back transaction may have created the table: ask again. */
    sqlite3_finalize(h->add);
    sqlite3_finalize(h->drop);
    sqlite3_finalize(h->forget);
    h->add = h->drop = h->forget = NULL;
    h->ready = 0;
    h->checked = 0;
}

void nx_fts5_holders_free(nx_fts5_holders *h)
{
    if (!h)
        return;
    nx_fts5_holders_reset(h);
    sqlite3_finalize(h->path);
    free(h);
}

static int table_exists(sqlite3 *db, int *yes)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'holders'", -1, &st,
        NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        *yes = rc == SQLITE_ROW;
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    return rc;
}

static int ready(nx_fts5_holders *h)
{
    if (h->ready)
        return SQLITE_OK;
    int rc = sqlite3_exec(h->db, HOLDERS_TABLE_SQL, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h->db,
                                "INSERT OR REPLACE INTO holders(id, fileno, since) VALUES (?1, "
                                "?2, ?3)",
                                -1, &h->add, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h->db, "DELETE FROM holders WHERE id = ?1 AND fileno = ?2", -1,
                                &h->drop, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h->db,
                                "DELETE FROM holders WHERE id = ?2 AND fileno = (SELECT fileno "
                                "FROM files WHERE path = ?1)",
                                -1, &h->forget, NULL);
    h->ready = rc == SQLITE_OK;
    return rc;
}

/* Whether the file numbered fileno is still on disk. A take-over usually
 * comes with many more from the same file (a dump read twice, a copy), so
 * the answer is kept for the next one. */
static int file_exists(nx_fts5_holders *h, int64_t fileno, int *yes)
{
    if (fileno == h->checked) {
        *yes = h->exists;
        return SQLITE_OK;
    }
    int rc = SQLITE_OK;
    if (!h->path)
        rc = sqlite3_prepare_v2(h->db, "SELECT path FROM files WHERE fileno = ?1", -1, &h->path,
                                NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(h->path, 1, fileno);
    rc = sqlite3_step(h->path);
    *yes = rc == SQLITE_ROW && access((const char *)sqlite3_column_text(h->path, 0), F_OK) == 0;
    sqlite3_reset(h->path);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rc;
    h->checked = fileno;
    h->exists = *yes;
    return SQLITE_OK;
}

int nx_fts5_holders_pass(nx_fts5_holders *h, const char *id, int64_t from, int64_t to)
{
    if (!from || from == to)
        return SQLITE_OK;
    int exists;
    int rc = file_exists(h, from, &exists);
    if (rc != SQLITE_OK || !exists)
        return rc;
    if ((rc = ready(h)) != SQLITE_OK)
        return rc;
    /* The new holder is the keeper now, not one of the others. */
    sqlite3_bind_text(h->drop, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(h->drop, 2, to);
    rc = nx_fts5_step_done(h->drop);
    if (rc != SQLITE_OK)
        return rc;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    sqlite3_bind_text(h->add, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(h->add, 2, from);
    sqlite3_bind_int64(h->add, 3, (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000);
    return nx_fts5_step_done(h->add);
}

int nx_fts5_holders_due(nx_fts5_holders *h)
{
    return sqlite3_exec(h->db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('restore', '1')",
                        NULL, NULL, NULL);
}

int nx_fts5_holders_wanted(nx_fts5_holders *h, int due_only, nx_holder_fn fn, void *ctx)
{
    int yes, rc = SQLITE_OK, listed = 0;
    if (due_only) {
        sqlite3_stmt *m = NULL;
        rc = sqlite3_prepare_v2(h->db, "SELECT 1 FROM meta WHERE key = 'restore'", -1, &m, NULL);
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(m);
            yes = rc == SQLITE_ROW;
            rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
        sqlite3_finalize(m);
        if (rc != SQLITE_OK || !yes)
            return rc;
    }
    rc = table_exists(h->db, &yes);
    if (rc != SQLITE_OK)
        return rc;
    if (!yes)
        goto done;
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(h->db,
                            "SELECT f.path, h.id, h.since FROM holders h JOIN files f USING "
                            "(fileno) WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = "
                            "h.id) "
                            "ORDER BY f.path, h.id",
                            -1, &st, NULL);
    if (rc == SQLITE_OK)
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            listed++;
            if (fn(ctx, (const char *)sqlite3_column_text(st, 0),
                   (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2))) {
                rc = SQLITE_NOMEM;
                break;
            }
        }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rc;
done:
    if (listed)
        return SQLITE_OK;
    return sqlite3_exec(h->db, "DELETE FROM meta WHERE key = 'restore'", NULL, NULL, NULL);
}

int nx_fts5_holders_forget(nx_fts5_holders *h, const char *path, const char *id)
{
    /* Once for each article read back (a deleted copy of a dump: all of
     * them), so prepared once. */
    int yes = 1, rc = h->ready ? SQLITE_OK : table_exists(h->db, &yes);
    if (rc != SQLITE_OK || !yes || (rc = ready(h)) != SQLITE_OK)
        return rc;
    sqlite3_bind_text(h->forget, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(h->forget, 2, id, -1, SQLITE_STATIC);
    return nx_fts5_step_done(h->forget);
}

int nx_fts5_holders_drop_file(nx_fts5_holders *h, const char *path)
{
    /* Before the file's record goes: its number may be given to a new file. */
    h->checked = 0;
    int yes;
    int rc = table_exists(h->db, &yes);
    if (rc != SQLITE_OK || !yes)
        return rc;
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(
        h->db, "DELETE FROM holders WHERE fileno = (SELECT fileno FROM files WHERE path = ?1)", -1,
        &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
        rc = nx_fts5_step_done(st);
    }
    sqlite3_finalize(st);
    return rc;
}
