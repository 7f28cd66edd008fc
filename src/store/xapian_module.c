/* xapian_module.c - loading the Xapian engine's C++ half, newsidx-xapian.so
 * (src/xapian/), when a Xapian index is first opened (see
 * xapian_module.h). The table is filled once under pthread_once and only
 * read afterwards; the module is never closed, as a linked library would
 * stay. */
#define _GNU_SOURCE /* dladdr */
#include "xapian_module.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MODULE "newsidx-xapian.so"

#ifndef NX_XAPIAN_MODULE_PATH
#define NX_XAPIAN_MODULE_PATH "/usr/local/lib/newsidx/" MODULE
#endif

static const nxx_api *loaded;
static char failure[768];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Tries one candidate path: 1 when loaded (or when it exists but is
 * unusable, failure then says why), 0 when there is no file there. */
static int try_path(const char *path)
{
    if (access(path, F_OK) != 0)
        return 0;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(failure, sizeof failure,
                 "the Xapian engine (%s) could not be loaded: %.300s; install Debian's "
                 "libxapian30 package",
                 path, e ? e : "unknown reason");
        return 1;
    }
    const nxx_api *(*get)(void) = (const nxx_api *(*)(void))dlsym(h, "nxx_api_get");
    const nxx_api *api = get ? get() : NULL;
    if (!api || api->version != NXX_API_VERSION) {
        snprintf(failure, sizeof failure,
                 "the Xapian engine %s is from another build of newsidx (interface %d, this "
                 "one needs %d); install the module built with this newsidx",
                 path, api ? api->version : 0, NXX_API_VERSION);
        return 1;
    }
    loaded = api;
    return 1;
}

/* Tries MODULE beside the file in dir, then in ../lib/newsidx/ from it
 * (an installed bin/ or lib/), then one folder up (the build tree's
 * tests/ and bench/). */
static int try_near(const char *file)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];
    if (!file || !strchr(file, '/') || !realpath(file, dir))
        return 0;
    *strrchr(dir, '/') = '\0';
    static const char *const where[] = {"/", "/newsidx/", "/../lib/newsidx/", "/../"};
    for (size_t i = 0; i < sizeof where / sizeof *where; i++) {
        snprintf(path, sizeof path, "%s%s" MODULE, dir, where[i]);
        if (try_path(path))
            return 1;
    }
    return 0;
}

static void load(void)
{
    snprintf(failure, sizeof failure,
             "the Xapian engine (" MODULE ") was not found beside newsidx nor in "
             NX_XAPIAN_MODULE_PATH "; reinstall newsidx, or set NEWSIDX_XAPIAN_MODULE to "
             "its path");
    const char *env = getenv("NEWSIDX_XAPIAN_MODULE");
    if (env && *env) {
        if (!try_path(env))
            snprintf(failure, sizeof failure,
                     "NEWSIDX_XAPIAN_MODULE names %.400s, which does not exist", env);
        return;
    }
    /* Where this code lives: libnewsidx.so, or the program it is linked
     * into (then dladdr may give a bare argv[0], hence /proc/self/exe). */
    Dl_info info;
    if (dladdr((void *)load, &info) && try_near(info.dli_fname))
        return;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        if (try_near(exe))
            return;
    }
    try_path(NX_XAPIAN_MODULE_PATH);
}

const nxx_api *nx_xapian_load(const char **why)
{
    pthread_once(&once, load);
    if (!loaded && why)
        *why = failure;
    return loaded;
}

const nxx_api *nx_xapian_api(void)
{
    return loaded;
}
