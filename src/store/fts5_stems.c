/* fts5_stems.c - the FTS5 engine's `stems` table (index-schema/fts5-v4.sql):
 * the full-text index holds written words only, and this table says which
 * written words share a stem term, so that a stemmed query asks for them.
 * Writers collect the pairs the tokenizer hands over (stempairs.h) instead
 * of indexing the stem terms; searches expand a stem term into its words. */
#include "fts5.h"

#include "../analyze/fts5_tokenizer.h"

#include <stdlib.h>
#include <string.h>

static int insert_pair(void *ctx, const char *stem, size_t sl, const char *word, size_t wl)
{
    sqlite3_stmt *st = ctx;
    sqlite3_bind_text(st, 1, stem, (int)sl, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, word, (int)wl, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    return rc == SQLITE_DONE ? sqlite3_reset(st) : (sqlite3_reset(st), rc);
}

int nx_fts5_stems_flush(nx_stempairs *s, sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO stems(stem, word) VALUES (?1, ?2)", -1,
                                &st, NULL);
    if (rc == SQLITE_OK)
        rc = nx_stempairs_each(s, insert_pair, st);
    sqlite3_finalize(st);
    if (rc == -1)
        return SQLITE_NOMEM;
    if (rc == SQLITE_OK)
        nx_stempairs_written(s);
    return rc;
}

int nx_fts5_expand(void *ctx, const char *stem, size_t len, nx_emit_fn emit, void *ectx)
{
    nx_index_t *ix = ctx;
    nx_fts5_aux *aux = ix->aux;
    if (!aux->stems &&
        sqlite3_prepare_v3(nx_fts5_db(ix), "SELECT word FROM stems WHERE stem = ?1", -1,
                           SQLITE_PREPARE_PERSISTENT, &aux->stems, NULL) != SQLITE_OK)
        return NX_EXPAND_UNREADABLE;
    sqlite3_stmt *st = aux->stems;
    sqlite3_bind_text(st, 1, stem, (int)len, SQLITE_STATIC);
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = emit(ectx, (const char *)sqlite3_column_text(st, 0),
                  (size_t)sqlite3_column_bytes(st, 0));
    if (rc == 0 && step != SQLITE_DONE)
        rc = step == SQLITE_NOMEM ? -1 : NX_EXPAND_UNREADABLE;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}
