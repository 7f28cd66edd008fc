/* internal.h - what the library's own files share and the public header
 * hides: the layout of the opaque handles and the store interface.
 *
 * Sections: interface to code in status.c, article.c, index.c, ingest.c,
 * search.c; the store (src/store/) has its own header. */
#ifndef NX_LIB_INTERNAL_H
#define NX_LIB_INTERNAL_H

#include "newsidx.h"

#include <sqlite3.h>
#include <stdarg.h>

struct nx_article {
    char *f[NX_FIELD_COUNT_]; /* owned values, NULL when unset */
};

struct nx_index {
    sqlite3 *db;
    char *path;
    int read_only;
    char lang[32];      /* canonical Snowball name, the tokenizer argument */
    char err[1024];     /* last error message */
};

/* ---- interface to code in index.c ---- */

/* Formats the index's last error; returns status so callers can write
 * `return nx_fail(ix, NX_ERR_IO, "cannot read %s", path);`. */
nx_status_t nx_fail(nx_index_t *ix, nx_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Turns an SQLite failure into a status with context: what was being done,
 * and SQLite's own message after it. */
nx_status_t nx_fail_sqlite(nx_index_t *ix, int rc, const char *doing);

/* ---- interface to code in article.c ---- */

/* Sets a field taking ownership of value (no copy, no checks). */
void nx_article_take(nx_article_t *a, nx_field_t field, char *value);

#endif
