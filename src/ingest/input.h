/* input.h - interface to code in load.c and encoding.c: getting an input's
 * bytes into memory as text the readers can take. */
#ifndef NX_INGEST_INPUT_H
#define NX_INGEST_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Refuse to inflate past this: a gzip bomb must not take the machine. */
#define NX_MAX_INPUT_BYTES ((size_t)2 << 30)

/* ---- load.c ---- */

/* Reads all of stream into *out (malloc'd, NUL-terminated, *len bytes),
 * gunzipping it when it starts with the gzip magic. On failure returns -1
 * and writes a message (no file name) to msg. */
int nx_load_stream(FILE *stream, char **out, size_t *len, char *msg, size_t msglen);

/* Decompresses gzip (or zlib) data; same contract as nx_load_stream.
 * A truncated stream is an error, not a silently short article. */
int nx_gunzip(const char *in, size_t n, char **out, size_t *len, char *msg, size_t msglen);

/* ---- encoding.c ---- */

typedef enum { NX_TEXT_UTF8, NX_TEXT_BINARY, NX_TEXT_NOT_UTF8 } nx_text_kind;

/* Classifies data: binary when NUL or control bytes are frequent in its
 * first 8 KiB; NOT_UTF8 when it has invalid sequences, with the 1-based line
 * of the first one in *bad_line and whether any valid multi-byte sequence
 * was seen in *has_utf8. */
nx_text_kind nx_text_classify(const char *d, size_t n, long *bad_line, int *has_utf8);

/* The code point of a Windows-1252 byte; 0 for the five bytes it leaves
 * undefined (0x81 0x8D 0x8F 0x90 0x9D). */
unsigned nx_cp1252_char(unsigned char c);

/* Decodes Windows-1252 (a superset of Latin-1 in practice) to UTF-8;
 * returns a malloc'd NUL-terminated string with *len bytes, or NULL. */
char *nx_cp1252_to_utf8(const char *d, size_t n, size_t *len);

/* Is d[0..n) UTF-16 opening with its byte order mark (FF FE or FE FF)? */
int nx_is_utf16(const char *d, size_t n);

/* d[0..n), UTF-16 with its byte order mark, as UTF-8 without it (iconv);
 * a unit that is not UTF-16 (a lone surrogate, an odd last byte) becomes
 * U+FFFD. Returns a malloc'd NUL-terminated string, its length in *len, or
 * NULL when out of memory or iconv has no UTF-16. */
char *nx_utf16_to_utf8(const char *d, size_t n, size_t *len);

#endif
