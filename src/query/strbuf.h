/* strbuf.h - a growable string for building query expressions and
 * explanations; once an allocation fails every later call is a no-op and
 * nx_sb_take returns NULL, so callers check once at the end. */
#ifndef NX_QUERY_STRBUF_H
#define NX_QUERY_STRBUF_H

#include <stddef.h>

typedef struct nx_sb {
    char *s;
    size_t n, cap;
    int oom;
} nx_sb;

void nx_sb_put(nx_sb *b, const char *s, size_t n);
void nx_sb_puts(nx_sb *b, const char *s);
void nx_sb_printf(nx_sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the string (caller frees) or NULL if anything failed. */
char *nx_sb_take(nx_sb *b);

#endif
