/* xapian_module.h - the Xapian engine's C++ half is a module loaded on first
 * use (see NXX_API_VERSION in src/xapian/nxx.h for why). It is looked for
 * at $NEWSIDX_XAPIAN_MODULE when set, else beside the library or program
 * holding this code, in newsidx/ or ../lib/newsidx/ from there, one folder
 * up, and at the path it is installed to. */
#ifndef NX_STORE_XAPIAN_MODULE_H
#define NX_STORE_XAPIAN_MODULE_H

#include "../xapian/nxx.h"

/* The module's functions, loading it on the first call; NULL when it
 * cannot be loaded, with *why (static) saying why and what to install. */
const nxx_api *nx_xapian_load(const char **why);

/* The table once nx_xapian_load has succeeded (NULL before). */
const nxx_api *nx_xapian_api(void);

/* A call into the module: NXX(open)(...) calls nxx_open. Only valid after a
 * successful nx_xapian_load, which opening a Xapian index does first. */
#define NXX(f) (nx_xapian_api()->nxx_##f)

#endif
