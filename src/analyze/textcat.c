/* textcat.c - loading libexttextcat on first use (see textcat.h). The
 * table is filled once under pthread_once and only read afterwards. */
#include "textcat.h"

#include <dlfcn.h>
#include <pthread.h>

/* Debian's libexttextcat-2.0-0 package. */
#define TEXTCAT_SONAME "libexttextcat-2.0.so.0"

static nx_textcat table;
static const nx_textcat *loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    /* Never closed: the library stays for the process's life. */
    void *h = dlopen(TEXTCAT_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
    /* POSIX allows converting dlsym's void * to a function pointer. */
    table.Init = (void *(*)(const char *, const char *))dlsym(h, "special_textcat_Init");
    table.Done = (void (*)(void *))dlsym(h, "textcat_Done");
    table.Classify = (char *(*)(void *, const char *, size_t))dlsym(h, "textcat_Classify");
    if (table.Init && table.Done && table.Classify)
        loaded = &table;
}

const nx_textcat *nx_textcat_load(void)
{
    pthread_once(&once, load);
    return loaded;
}
