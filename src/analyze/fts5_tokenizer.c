/* fts5_tokenizer.c - the analyzer registered with SQLite FTS5 as the
 * tokenizer "newsidx", so FTS5 indexes, queries and highlights with exactly
 * the terms the analyzer defines.
 *
 * Usage in a table definition: tokenize = 'newsidx english'. Offsets passed
 * to FTS5 are byte offsets into the original text, so highlight() and
 * snippet() mark the words as written. In query mode FTS5 treats colocated
 * tokens as alternatives, which is how a stemmed query word matches both
 * places a stem can be stored (see analyzer.h). Debian 12 has SQLite 3.40,
 * hence the version-1 tokenizer API. */
#include "fts5_tokenizer.h"

#include "analyzer.h"

#include <stdlib.h>

typedef struct tok_ctx {
    void *fts_ctx;
    int (*xToken)(void *, int, const char *, int, int, int);
} tok_ctx;

static int tok_create(void *unused, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)unused;
    *out = NULL;
    const char *lang = argc > 0 ? argv[0] : "english";
    nx_analyzer *an = nx_analyzer_new(lang);
    if (!an)
        return SQLITE_ERROR;
    *out = (Fts5Tokenizer *)an;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t)
{
    nx_analyzer_free((nx_analyzer *)t);
}

static int on_term(void *ctx, int kind, const char *term, size_t len, size_t start, size_t end,
                   int colocated)
{
    (void)kind;
    tok_ctx *tc = ctx;
    return tc->xToken(tc->fts_ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, term, (int)len, (int)start,
                      (int)end);
}

static int tok_tokenize(Fts5Tokenizer *t, void *fts_ctx, int flags, const char *text, int n,
                        int (*xToken)(void *, int, const char *, int, int, int))
{
    nx_analyze_mode mode = NX_ANALYZE_DOCUMENT;
    if (flags & FTS5_TOKENIZE_QUERY)
        mode = (flags & FTS5_TOKENIZE_PREFIX) ? NX_ANALYZE_PREFIX : NX_ANALYZE_QUERY;
    tok_ctx tc = {fts_ctx, xToken};
    int rc = nx_analyze((nx_analyzer *)t, text, n > 0 ? (size_t)n : 0, mode, on_term, &tc);
    if (rc == -1)
        return SQLITE_NOMEM;
    return rc;
}

static fts5_api *get_fts5_api(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

int nx_fts5_register_tokenizer(sqlite3 *db)
{
    fts5_api *api = get_fts5_api(db);
    if (!api)
        return SQLITE_ERROR;
    fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    return api->xCreateTokenizer(api, "newsidx", NULL, &tok, NULL);
}
