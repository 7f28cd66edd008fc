/* textcat.h - libexttextcat, loaded when a language is first detected:
 * linked, every newsidx process loaded it, searches included, which never
 * detect a language. */
#ifndef NX_ANALYZE_TEXTCAT_H
#define NX_ANALYZE_TEXTCAT_H

#include <stddef.h>

/* The libexttextcat functions langid.c calls. */
typedef struct nx_textcat {
    void *(*Init)(const char *conffile, const char *prefix); /* special_textcat_Init */
    void (*Done)(void *handle);
    char *(*Classify)(void *handle, const char *buffer, size_t size);
} nx_textcat;

/* libexttextcat loaded (once per process, thread-safe), or NULL when it
 * cannot be. */
const nx_textcat *nx_textcat_load(void);

#endif
