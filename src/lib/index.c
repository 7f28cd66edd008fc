/* index.c - the index handle: opening, closing, error messages, and the
 * calls that need no indexing run (stats, one article in or out). */
#include "internal.h"

#include "../store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

nx_status_t nx_fail(nx_index_t *ix, nx_status_t status, const char *fmt, ...)
{
    if (ix) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ix->err, sizeof ix->err, fmt, ap);
        va_end(ap);
    }
    return status;
}

nx_status_t nx_fail_sqlite(nx_index_t *ix, int rc, const char *doing)
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
    const char *detail = ix && ix->db ? sqlite3_errmsg(ix->db) : sqlite3_errstr(rc);
    const char *hint = "";
    if (s == NX_ERR_BUSY)
        hint = " (another newsidx is writing to this index; try again when it is done)";
    else if ((rc & 0xff) == SQLITE_FULL)
        hint = " (the disk is full; the index keeps what was committed before)";
    else if (s == NX_ERR_READ_ONLY)
        hint = " (no permission to write the index or its folder)";
    return nx_fail(ix, s, "%s: %s: %s%s", ix && ix->path ? ix->path : "index", doing, detail,
                   hint);
}

nx_status_t nx_index_open(const char *path, nx_open_mode_t mode, const char *language,
                          nx_index_t **out, char *errbuf, size_t errlen)
{
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!out)
        return NX_ERR_INVALID_ARG;
    *out = NULL;
    if (!path || !*path || (mode != NX_OPEN_READ_ONLY && mode != NX_OPEN_READ_WRITE &&
                            mode != NX_OPEN_CREATE)) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "no index path given");
        return NX_ERR_INVALID_ARG;
    }
    nx_index_t *ix = calloc(1, sizeof *ix);
    if (!ix || !(ix->path = strdup(path))) {
        free(ix);
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "out of memory");
        return NX_ERR_NOMEM;
    }
    nx_status_t s = nx_store_open(ix, path, mode, language);
    if (s != NX_OK) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s", ix->err);
        nx_index_close(ix);
        return s;
    }
    *out = ix;
    return NX_OK;
}

void nx_index_close(nx_index_t *ix)
{
    if (!ix)
        return;
    nx_store_close(ix);
    free(ix->path);
    free(ix);
}

const char *nx_index_last_error(const nx_index_t *ix)
{
    return ix ? ix->err : "";
}

const char *nx_index_language(const nx_index_t *ix)
{
    return ix ? ix->lang : NULL;
}

nx_status_t nx_index_stats(nx_index_t *ix, nx_stats_t *out)
{
    if (!ix || !out)
        return NX_ERR_INVALID_ARG;
    return nx_store_stats(ix, out);
}

nx_status_t nx_index_field_counts(nx_index_t *ix, const char *field, size_t limit, nx_count_fn fn,
                                  void *ctx)
{
    if (!ix || !field || !fn)
        return NX_ERR_INVALID_ARG;
    return nx_store_field_counts(ix, field, limit, fn, ctx);
}

nx_status_t nx_index_get_article(nx_index_t *ix, const char *id, nx_article_t **out)
{
    if (out)
        *out = NULL;
    if (!ix || !id || !out)
        return NX_ERR_INVALID_ARG;
    return nx_store_get_article(ix, id, out);
}

nx_status_t nx_index_add_article(nx_index_t *ix, const nx_article_t *a)
{
    if (!ix || !a)
        return NX_ERR_INVALID_ARG;
    if (!a->f[NX_FIELD_ID] || !a->f[NX_FIELD_ID][0])
        return nx_fail(ix, NX_ERR_INVALID_ARG, "an article needs an id");
    if (!a->f[NX_FIELD_TITLE] && !a->f[NX_FIELD_BODY])
        return nx_fail(ix, NX_ERR_INVALID_ARG, "article '%s' has neither title nor body",
                       a->f[NX_FIELD_ID]);
    nx_store_writer *w;
    nx_status_t s = nx_store_writer_new(ix, &w);
    if (s != NX_OK)
        return s;
    nx_origin o = {NULL, 0, 0};
    int outcome;
    int64_t rowid;
    s = nx_store_begin(w);
    if (s == NX_OK)
        s = nx_store_put_article(w, a, &o, &outcome, &rowid);
    if (s == NX_OK)
        s = nx_store_commit(w);
    nx_store_writer_free(w);
    return s;
}
