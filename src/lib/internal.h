/* internal.h - what the library's own files share and the public header
 * hides: the layout of the opaque handles and the store interface.
 *
 * Sections: interface to code in status.c, article.c, index.c, ingest.c,
 * search.c; the store (src/store/) has its own header. */
#ifndef NX_LIB_INTERNAL_H
#define NX_LIB_INTERNAL_H

#include "newsidx.h"

#include <stdarg.h>

struct nx_article {
    char *f[NX_FIELD_COUNT_]; /* owned values, NULL when unset */
};

struct nx_engine;

struct nx_index {
    const struct nx_engine *engine; /* which engine holds it (src/store/store.h) */
    void *impl;         /* the engine's own handle */
    void *aux;          /* the engine's helper (FTS5: the text packer, owned by the connection) */
    char *path;         /* as given (the first, when several) */
    int read_only;
    char lang[32];      /* canonical Snowball name, the tokenizer argument */
    char err[1024];     /* last error message */
    char notice[1024];  /* non-fatal notes (databases skipped) */
    char langs[256];    /* languages the index holds, "en,fr", once looked up */
    int langs_known;
};

/* ---- interface to code in index.c ---- */

/* Formats the index's last error; returns status so callers can write
 * `return nx_fail(ix, NX_ERR_IO, "cannot read %s", path);`. */
nx_status_t nx_fail(nx_index_t *ix, nx_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));


/* ---- interface to code in article.c ---- */

/* Sets a field taking ownership of value (no copy, no checks). */
void nx_article_take(nx_article_t *a, nx_field_t field, char *value);

#endif
