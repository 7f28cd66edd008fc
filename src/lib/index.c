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

nx_status_t nx_index_open_ex(const char *const *paths, size_t npaths, nx_open_mode_t mode,
                             const nx_open_options_t *opts, nx_index_t **out, char *errbuf,
                             size_t errlen)
{
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!out)
        return NX_ERR_INVALID_ARG;
    *out = NULL;
    char why[96] = "";
    if (!paths || npaths == 0)
        snprintf(why, sizeof why, "no index path given");
    for (size_t i = 0; !why[0] && i < npaths; i++)
        if (!paths[i] || !*paths[i])
            snprintf(why, sizeof why, "no index path given");
    if (!why[0] && mode != NX_OPEN_READ_ONLY && mode != NX_OPEN_READ_WRITE &&
        mode != NX_OPEN_CREATE)
        snprintf(why, sizeof why, "unknown open mode");
    else if (!why[0] && npaths > 1 && mode != NX_OPEN_READ_ONLY)
        snprintf(why, sizeof why, "several databases can only be opened read-only, for searching");
    else if (!why[0] && opts && opts->shards > NX_MAX_SHARDS)
        snprintf(why, sizeof why, "too many shards (at most %d)", NX_MAX_SHARDS);
    if (why[0]) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s", why);
        return NX_ERR_INVALID_ARG;
    }
    nx_index_t *ix = calloc(1, sizeof *ix);
    if (!ix || !(ix->path = strdup(paths[0]))) {
        free(ix);
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "out of memory");
        return NX_ERR_NOMEM;
    }
    ix->read_only = mode == NX_OPEN_READ_ONLY;
    nx_status_t s = nx_store_open(ix, paths, npaths, mode, opts);
    if (s != NX_OK) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s", ix->err);
        nx_index_close(ix);
        return s;
    }
    *out = ix;
    return NX_OK;
}

nx_status_t nx_index_open(const char *path, nx_open_mode_t mode, const char *language,
                          nx_index_t **out, char *errbuf, size_t errlen)
{
    nx_open_options_t opts = {language, NULL, 0, 0};
    return nx_index_open_ex(&path, 1, mode, &opts, out, errbuf, errlen);
}

const char *nx_index_notice(const nx_index_t *ix)
{
    return ix ? ix->notice : "";
}

const char *nx_index_engine(const nx_index_t *ix)
{
    return ix && ix->engine ? ix->engine->name : "";
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

nx_status_t nx_index_check(nx_index_t *ix)
{
    return ix ? nx_store_check(ix) : NX_ERR_INVALID_ARG;
}

nx_status_t nx_index_optimize(nx_index_t *ix)
{
    if (!ix)
        return NX_ERR_INVALID_ARG;
    if (ix->read_only)
        return nx_fail(ix, NX_ERR_READ_ONLY, "%s is open read-only", ix->path);
    return nx_store_optimize(ix);
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
        s = nx_store_put_article(w, a, &o, NULL, NULL, &outcome, &rowid);
    if (s == NX_OK)
        s = nx_store_commit(w);
    nx_store_writer_free(w);
    return s;
}
