/* load.c - bring a whole input into memory, gunzipped.
 *
 * Texts and web pages are small and their readers want random access, so
 * they are read whole; the cap on inflated size keeps a gzip bomb from
 * taking the machine. (JSON Lines files, which can be any size, are read in
 * parts instead: stream_jsonl in src/lib/ingest.c.) zlib detects gzip
 * versus zlib headers itself. */
#include "input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int nx_gunzip(const char *in, size_t n, char **out, size_t *len, char *msg, size_t msglen)
{
    *out = NULL;
    *len = 0;
    msg[0] = '\0';
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) {
        snprintf(msg, msglen, "cannot start gzip decompression");
        return -1;
    }
    size_t cap = n * 4 + 4096, used = 0;
    char *buf = malloc(cap + 1);
    int rc = buf ? Z_OK : Z_MEM_ERROR;
    z.next_in = (Bytef *)in;
    size_t in_left = n;
    while (rc == Z_OK) {
        if (z.avail_in == 0 && in_left) {
            z.avail_in = in_left > 0x40000000 ? 0x40000000 : (uInt)in_left;
            in_left -= z.avail_in;
        }
        if (used == cap) {
            if (cap >= NX_MAX_INPUT_BYTES) {
                rc = Z_BUF_ERROR;
                snprintf(msg, msglen, "decompresses to more than %zu MiB; skipped",
                         NX_MAX_INPUT_BYTES >> 20);
                break;
            }
            cap *= 2;
            char *p = realloc(buf, cap + 1);
            if (!p) {
                rc = Z_MEM_ERROR;
                break;
            }
            buf = p;
        }
        size_t room = cap - used;
        z.next_out = (Bytef *)buf + used;
        z.avail_out = room > 0x40000000 ? 0x40000000 : (uInt)room;
        uInt before = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        used += before - z.avail_out;
        if (rc == Z_STREAM_END && (z.avail_in || in_left)) {
            /* Concatenated gzip members (as `cat a.gz b.gz` makes). */
            rc = inflateReset(&z);
        } else if (rc == Z_BUF_ERROR && z.avail_in == 0 && !in_left) {
            rc = Z_DATA_ERROR;
            snprintf(msg, msglen, "gzip data is truncated");
            break;
        }
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        if (rc == Z_MEM_ERROR)
            snprintf(msg, msglen, "out of memory while decompressing");
        else if (!msg[0])
            snprintf(msg, msglen, "gzip data is corrupt%s%s", z.msg ? ": " : "",
                     z.msg ? z.msg : "");
        free(buf);
        return -1;
    }
    buf[used] = '\0';
    *out = buf;
    *len = used;
    return 0;
}

int nx_load_stream(FILE *f, char **out, size_t *len, char *msg, size_t msglen)
{
    *out = NULL;
    *len = 0;
    msg[0] = '\0';
    size_t cap = 1 << 16, used = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    for (;;) {
        if (used == cap) {
            if (cap >= NX_MAX_INPUT_BYTES) {
                snprintf(msg, msglen, "larger than %zu MiB; skipped", NX_MAX_INPUT_BYTES >> 20);
                free(buf);
                return -1;
            }
            cap *= 2;
            char *p = realloc(buf, cap + 1);
            if (!p) {
                snprintf(msg, msglen, "out of memory");
                free(buf);
                return -1;
            }
            buf = p;
        }
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (got == 0) {
            if (ferror(f)) {
                snprintf(msg, msglen, "read error: %s", strerror(errno));
                free(buf);
                return -1;
            }
            break;
        }
    }
    buf[used] = '\0';
    if (used >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b) {
        char *plain;
        size_t plen;
        int rc = nx_gunzip(buf, used, &plain, &plen, msg, msglen);
        free(buf);
        if (rc)
            return -1;
        buf = plain;
        used = plen;
    }
    *out = buf;
    *len = used;
    return 0;
}
