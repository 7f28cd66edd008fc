/* libxml.h - libxml2, loaded when the first HTML page is read. Linking it
 * made every newsidx process load it and ICU (about 4 ms of a fresh
 * search's 20, for a library only HTML input needs). */
#ifndef NX_INGEST_LIBXML_H
#define NX_INGEST_LIBXML_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* The libxml2 functions read_html.c calls. */
typedef struct nx_libxml {
    htmlParserCtxtPtr (*NewParserCtxt)(void);
    void (*FreeParserCtxt)(htmlParserCtxtPtr ctxt);
    xmlDocPtr (*CtxtReadMemory)(htmlParserCtxtPtr ctxt, const char *buffer, int size,
                                const char *url, const char *encoding, int options);
    xmlErrorPtr (*CtxtGetLastError)(void *ctx);
    void (*FreeDoc)(xmlDocPtr doc);
    xmlNodePtr (*DocGetRootElement)(const xmlDoc *doc);
    xmlChar *(*GetProp)(const xmlNode *node, const xmlChar *name);
    xmlAttrPtr (*HasProp)(const xmlNode *node, const xmlChar *name);
    xmlFreeFunc *Free; /* libxml2's own variable: frees what it returns */
} nx_libxml;

/* libxml2 loaded and initialised (once per process, thread-safe); NULL
 * when it cannot be loaded, with *why (static text) saying why. */
const nx_libxml *nx_libxml_load(const char **why);

#endif
