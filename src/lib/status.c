/* status.c - the fixed texts of status codes and the library version. */
#include "newsidx.h"

const char *nx_version(void)
{
    return NEWSIDX_VERSION;
}

const char *nx_status_to_string(nx_status_t status)
{
    switch (status) {
    case NX_OK: return "success";
    case NX_ERR_NOMEM: return "out of memory";
    case NX_ERR_INVALID_ARG: return "invalid argument";
    case NX_ERR_IO: return "input/output error";
    case NX_ERR_NO_INDEX: return "no index at that path";
    case NX_ERR_NOT_AN_INDEX: return "not a newsidx index";
    case NX_ERR_VERSION: return "index made by an incompatible version";
    case NX_ERR_CORRUPT: return "index is damaged";
    case NX_ERR_BUSY: return "index is busy (locked by another process)";
    case NX_ERR_READ_ONLY: return "index is open read-only";
    case NX_ERR_LANGUAGE: return "unsupported language";
    case NX_ERR_QUERY: return "query syntax error";
    case NX_ERR_BAD_INPUT: return "some input was bad and skipped";
    case NX_ERR_NOT_FOUND: return "not found";
    case NX_ERR_ENGINE: return "storage engine error";
    }
    return "unknown status";
}
