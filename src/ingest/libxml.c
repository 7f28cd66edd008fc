/* libxml.c - loading libxml2 on first use (see libxml.h). The table is
 * filled once under pthread_once and only read afterwards. */
#include "libxml.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

/* Debian's libxml2 package: the library's ABI name since 2.0. */
#define LIBXML_SONAME "libxml2.so.2"

static nx_libxml table;
static const nx_libxml *loaded;
static char failure[320] = "cannot read HTML: libxml2 (" LIBXML_SONAME ") could not be loaded";
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *sym(void *h, const char *name, int *missing)
{
    void *p = dlsym(h, name);
    if (!p)
        *missing = 1;
    return p;
}

static void load(void)
{
    /* Never closed: the library stays for the process's life, as a
     * linked one would (xmlCleanupParser is unsafe with other threads). */
    void *h = dlopen(LIBXML_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(failure, sizeof failure,
                 "cannot read HTML: libxml2 could not be loaded (%.200s); install Debian's "
                 "libxml2 package",
                 e ? e : LIBXML_SONAME);
        return;
    }
    int missing = 0;
    void (*init)(void) = (void (*)(void))sym(h, "xmlInitParser", &missing);
    /* POSIX allows converting dlsym's void * to a function pointer; C11
     * does not say, hence the casts through the exact types. */
    table.NewParserCtxt = (htmlParserCtxtPtr(*)(void))sym(h, "htmlNewParserCtxt", &missing);
    table.FreeParserCtxt = (void (*)(htmlParserCtxtPtr))sym(h, "htmlFreeParserCtxt", &missing);
    table.CtxtReadMemory = (xmlDocPtr(*)(htmlParserCtxtPtr, const char *, int, const char *,
                                         const char *, int))sym(h, "htmlCtxtReadMemory", &missing);
    table.CtxtGetLastError = (xmlErrorPtr(*)(void *))sym(h, "xmlCtxtGetLastError", &missing);
    table.FreeDoc = (void (*)(xmlDocPtr))sym(h, "xmlFreeDoc", &missing);
    table.DocGetRootElement = (xmlNodePtr(*)(const xmlDoc *))sym(h, "xmlDocGetRootElement",
                                                                 &missing);
    table.GetProp = (xmlChar * (*)(const xmlNode *, const xmlChar *)) sym(h, "xmlGetProp",
                                                                         &missing);
    table.HasProp = (xmlAttrPtr(*)(const xmlNode *, const xmlChar *))sym(h, "xmlHasProp",
                                                                       &missing);
    table.Free = (xmlFreeFunc *)sym(h, "xmlFree", &missing);
    if (missing) {
        snprintf(failure, sizeof failure,
                 "cannot read HTML: the libxml2 found (" LIBXML_SONAME ") lacks functions "
                 "newsidx needs");
        return;
    }
    /* libxml2 2.9's first xmlInitParser is not safe to race: it runs here,
     * once. */
    init();
    loaded = &table;
}

const nx_libxml *nx_libxml_load(const char **why)
{
    pthread_once(&once, load);
    if (!loaded && why)
        *why = failure;
    return loaded;
}
