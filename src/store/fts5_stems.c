/* fts5_stems.c - the FTS5 engine's `stems` table (index-schema/fts5-v4.sql):
 * the full-text index holds written words only, and this table says which
 * written words share a stem term, so that a stemmed query asks for them.
 * Writers collect the pairs the tokenizer hands over instead of indexing
 * the stem terms; searches expand a stem term into its words.
 *
 * Each (language, word) pair is looked up in a set once per run, so that a
 * common word costs a hash lookup, not an INSERT, after its first time. */
#include "fts5.h"

#include "../analyze/fts5_tokenizer.h"
#include "wordset.h"

#include <stdlib.h>
#include <string.h>

struct nx_fts5_stems {
    nx_wordset *seen;      /* language code + word, for the pairs of this run */
    unsigned char *fresh;  /* this transaction's new pairs: length byte + stem, length byte + word */
    size_t used, cap;
    int lost;              /* out of memory: a pair could not be kept */
    char key[256];
};

nx_fts5_stems *nx_fts5_stems_new(void)
{
    nx_fts5_stems *s = calloc(1, sizeof *s);
    if (s && !(s->seen = nx_wordset_new())) {
        free(s);
        s = NULL;
    }
    return s;
}

void nx_fts5_stems_free(nx_fts5_stems *s)
{
    if (!s)
        return;
    nx_wordset_free(s->seen);
    free(s->fresh);
    free(s);
}

void nx_fts5_stems_note(void *ctx, const char *stem, size_t slen, const char *word, size_t wlen)
{
    nx_fts5_stems *s = ctx;
    /* "~" + a two-letter code + a stem; longer words than a length byte
     * holds are not worth a query's while (they still match as written). */
    if (slen < 4 || slen > 255 || wlen == 0 || wlen > 253 || s->lost)
        return;
    /* The stem term follows from the language and the word. */
    memcpy(s->key, stem + 1, 2);
    memcpy(s->key + 2, word, wlen);
    int added = nx_wordset_add(s->seen, s->key, wlen + 2);
    if (added == 0)
        return;
    size_t need = s->used + slen + wlen + 2;
    if (added > 0 && need > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 65536;
        while (cap < need)
            cap *= 2;
        unsigned char *p = realloc(s->fresh, cap);
        if (p) {
            s->fresh = p;
            s->cap = cap;
        }
    }
    if (added < 0 || need > s->cap) {
        s->lost = 1;
        return;
    }
    s->fresh[s->used++] = (unsigned char)slen;
    memcpy(s->fresh + s->used, stem, slen);
    s->used += slen;
    s->fresh[s->used++] = (unsigned char)wlen;
    memcpy(s->fresh + s->used, word, wlen);
    s->used += wlen;
}

int nx_fts5_stems_flush(nx_fts5_stems *s, sqlite3 *db)
{
    if (s->lost)
        return SQLITE_NOMEM;
    if (s->used == 0)
        return SQLITE_OK;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO stems(stem, word) VALUES (?1, ?2)", -1,
                                &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < s->used;) {
        size_t sl = s->fresh[i];
        const char *stem = (const char *)s->fresh + i + 1;
        size_t wl = s->fresh[i + 1 + sl];
        const char *word = stem + sl + 1;
        sqlite3_bind_text(st, 1, stem, (int)sl, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, word, (int)wl, SQLITE_STATIC);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? sqlite3_reset(st) : (sqlite3_reset(st), rc);
        i += sl + wl + 2;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK)
        s->used = 0;
    return rc;
}

void nx_fts5_stems_forget(nx_fts5_stems *s)
{
    /* The pairs of a transaction rolled back never reached the table, and
     * the set cannot tell them from the earlier ones: start over. */
    nx_wordset_clear(s->seen);
    s->used = 0;
    s->lost = 0;
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
