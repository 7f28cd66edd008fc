/* engine.c - choose the engine of an index and forward the library's calls
 * to it. An FTS5 index is one SQLite file; a Xapian index is a folder (or a
 * set of them, or remote databases). New indexes are FTS5 unless asked. */
#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const nx_engine *engine_by_name(const char *name)
{
    if (!name || strcmp(name, "fts5") == 0)
        return &nx_engine_fts5;
    if (strcmp(name, "xapian") == 0)
        return &nx_engine_xapian;
    return NULL;
}

nx_status_t nx_store_open(nx_index_t *ix, const char *const *paths, size_t n, nx_open_mode_t mode,
                          const nx_open_options_t *opts)
{
    const nx_engine *e = NULL;
    struct stat st;
    if (n > 1 || strncmp(paths[0], "tcp://", 6) == 0)
        e = &nx_engine_xapian;
    else if (stat(paths[0], &st) == 0)
        e = S_ISDIR(st.st_mode) ? &nx_engine_xapian : &nx_engine_fts5;
    else if (errno != ENOENT)
        return nx_fail(ix, NX_ERR_IO, "cannot open index %s: %s", paths[0], strerror(errno));
    else if (mode != NX_OPEN_CREATE)
        return nx_fail(ix, NX_ERR_NO_INDEX,
                       "no index at %s (make one with: newsidx index -d %s FILES...)", paths[0],
                       paths[0]);
    else if (!(e = engine_by_name(opts ? opts->engine : NULL)))
        return nx_fail(ix, NX_ERR_INVALID_ARG, "unknown engine '%s' (fts5 or xapian)",
                       opts->engine);
    if (opts && opts->engine && mode == NX_OPEN_CREATE && e != engine_by_name(opts->engine) &&
        engine_by_name(opts->engine))
        return nx_fail(ix, NX_ERR_INVALID_ARG,
                       "%s is an existing %s index; --engine %s applies to new indexes only",
                       paths[0], e->name, opts->engine);
    ix->engine = e;
    return e->open(ix, paths, n, mode, opts);
}

void nx_store_close(nx_index_t *ix)
{
    if (ix->engine)
        ix->engine->close(ix);
}

nx_status_t nx_store_writer_new(nx_index_t *ix, nx_store_writer **out)
{
    *out = NULL;
    if (ix->read_only)
        return nx_fail(ix, NX_ERR_READ_ONLY, "%s is open read-only", ix->path);
    nx_store_writer *w = calloc(1, sizeof *w);
    if (!w)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    w->ix = ix;
    nx_status_t s = ix->engine->writer_new(ix, &w->impl);
    if (s != NX_OK) {
        free(w);
        return s;
    }
    *out = w;
    return NX_OK;
}

void nx_store_writer_free(nx_store_writer *w)
{
    if (!w)
        return;
    w->ix->engine->writer_free(w->impl);
    free(w);
}

nx_status_t nx_store_begin(nx_store_writer *w)
{
    return w->ix->engine->begin(w->impl);
}

nx_status_t nx_store_commit(nx_store_writer *w)
{
    return w->ix->engine->commit(w->impl);
}

nx_status_t nx_store_put_article(nx_store_writer *w, const nx_article_t *a, const nx_origin *o,
                                 nx_dup_facts *dup, const nx_prepared *prep, int *outcome,
                                 int64_t *rowid)
{
    return w->ix->engine->put_article(w->impl, a, o, dup, prep, outcome, rowid);
}

size_t nx_store_file_commit_every(const nx_index_t *ix, size_t batch)
{
    unsigned k = ix->engine->file_commit_batches;
    return batch * (k ? k : 1);
}

nx_status_t nx_store_unchanged(nx_store_writer *w, const nx_article_t *a, const nx_origin *o,
                               int touch, int *same, int64_t *rowid)
{
    *same = 0;
    *rowid = 0;
    if (!w->ix->engine->unchanged)
        return NX_OK;
    return w->ix->engine->unchanged(w->impl, a, o, touch, same, rowid);
}

nx_status_t nx_store_file_get(nx_store_writer *w, const char *path, nx_file_row *row, int *found)
{
    return w->ix->engine->file_get(w->impl, path, row, found);
}

nx_status_t nx_store_file_put(nx_store_writer *w, const char *path, const nx_file_row *row)
{
    return w->ix->engine->file_put(w->impl, path, row);
}

nx_status_t nx_store_remove_stale(nx_store_writer *w, const char *path, const int64_t *keep,
                                  size_t nkeep, int64_t *removed)
{
    return w->ix->engine->remove_stale(w->impl, path, keep, nkeep, removed);
}

nx_status_t nx_store_get_article(nx_index_t *ix, const char *id, nx_article_t **out)
{
    return ix->engine->get_article(ix, id, out);
}

nx_status_t nx_store_stats(nx_index_t *ix, nx_stats_t *out)
{
    return ix->engine->stats(ix, out);
}

nx_status_t nx_store_field_counts(nx_index_t *ix, const char *field, size_t limit, nx_count_fn fn,
                                  void *ctx)
{
    return ix->engine->field_counts(ix, field, limit, fn, ctx);
}

nx_status_t nx_store_search(nx_index_t *ix, const nx_store_query *q, nx_cursor **out)
{
    return ix->engine->search(ix, q, out);
}

nx_status_t nx_store_count(nx_index_t *ix, const nx_store_query *q, int64_t *out)
{
    return ix->engine->count(ix, q, out);
}

char *nx_store_describe(nx_index_t *ix, const nx_store_query *q)
{
    return ix->engine->describe(ix, q);
}

nx_status_t nx_store_value_counts(nx_index_t *ix, const nx_store_query *q, const char *field,
                                  nx_count_fn fn, void *ctx)
{
    return ix->engine->value_counts(ix, q, field, fn, ctx);
}

nx_status_t nx_store_vocabulary(nx_index_t *ix, const char *prefix, nx_word_want_fn want,
                                nx_count_fn fn, void *ctx)
{
    return ix->engine->vocabulary(ix, prefix, want, fn, ctx);
}

nx_status_t nx_store_spelling(nx_index_t *ix, const char *first, size_t minlen, size_t maxlen,
                              nx_word_want_fn want, nx_count_fn fn, void *ctx, int *have)
{
    *have = 0;
    if (!ix->engine->spelling)
        return NX_OK;
    return ix->engine->spelling(ix, first, minlen, maxlen, want, fn, ctx, have);
}

nx_status_t nx_store_check(nx_index_t *ix)
{
    return ix->engine->check(ix);
}

nx_status_t nx_store_optimize(nx_index_t *ix)
{
    return ix->engine->optimize(ix);
}

nx_status_t nx_store_settle(nx_index_t *ix)
{
    return ix->engine->settle ? ix->engine->settle(ix) : NX_OK;
}

nx_status_t nx_store_files(nx_store_writer *w, const char *prefix, nx_count_fn fn, void *ctx)
{
    return w->ix->engine->files(w->impl, prefix, fn, ctx);
}

nx_status_t nx_store_file_remove(nx_store_writer *w, const char *path, int64_t *removed)
{
    return w->ix->engine->file_remove(w->impl, path, removed);
}

nx_status_t nx_store_wanted(nx_store_writer *w, int due_only, nx_holder_fn fn, void *ctx)
{
    return w->ix->engine->wanted ? w->ix->engine->wanted(w->impl, due_only, fn, ctx) : NX_OK;
}

nx_status_t nx_store_holder_forget(nx_store_writer *w, const char *path, const char *id)
{
    return w->ix->engine->holder_forget ? w->ix->engine->holder_forget(w->impl, path, id) : NX_OK;
}

nx_status_t nx_store_dup_signatures(nx_store_writer *w, nx_sig_expect_fn expect, nx_sig_fn fn,
                                    void *ctx)
{
    return w->ix->engine->dup_signatures(w->impl, expect, fn, ctx);
}

nx_status_t nx_store_dup_text(nx_store_writer *w, int64_t key, char **text, size_t *len)
{
    return w->ix->engine->dup_text(w->impl, key, text, len);
}

const void *nx_store_pack_dict(nx_store_writer *w, size_t *len, unsigned *id)
{
    *len = 0;
    *id = 0;
    return w->ix->engine->pack_dict ? w->ix->engine->pack_dict(w->impl, len, id) : NULL;
}

void nx_store_query_analyzer(nx_index_t *ix, nx_analyzer *an)
{
    if (ix->engine->query_analyzer)
        ix->engine->query_analyzer(ix, an);
}

int nx_store_keeps_spelling(const nx_index_t *ix)
{
    return ix->engine->spelling != NULL;
}

int nx_store_lists_stems(const nx_index_t *ix)
{
    return ix->engine->query_analyzer != NULL;
}
