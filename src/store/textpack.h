/* textpack.h - the stored form of article text in the FTS5 index: a format
 * byte, then the text as is or as a zstd frame, compressed with a
 * dictionary trained on the index's own articles (index-schema/fts5-v4.sql,
 * "Stored text"). A packer belongs to one SQLite connection. */
#ifndef NX_STORE_TEXTPACK_H
#define NX_STORE_TEXTPACK_H

#include <stddef.h>

enum { NX_PACK_RAW = 0, NX_PACK_ZSTD = 1 };

/* Enough stored text to train a dictionary from, and how much of it the
 * training reads: past a megabyte a dictionary pays for itself many times,
 * and training on more costs time (0.2 s for 1 MB) for little gain. */
#define NX_PACK_TRAIN_MIN (1024 * 1024)
#define NX_PACK_TRAIN_MAX (1024 * 1024)

typedef struct nx_textpack nx_textpack;

nx_textpack *nx_textpack_new(void);
void nx_textpack_free(nx_textpack *p);

/* Loads a dictionary (a copy is kept). Returns 0, or -1 when it is not a
 * zstd dictionary or memory ran out (the packer is then unchanged). */
int nx_textpack_set_dict(nx_textpack *p, const void *dict, size_t len);
/* The same, taking ownership of dict (malloc'd) when it returns 0; on -1
 * the caller still owns it. */
int nx_textpack_adopt_dict(nx_textpack *p, void *dict, size_t len);
/* Drops the loaded dictionary (its transaction was rolled back). */
void nx_textpack_forget(nx_textpack *p);
/* Id of the loaded dictionary, 0 when none. */
unsigned nx_textpack_dict_id(const nx_textpack *p);
/* The loaded dictionary's bytes (borrowed until it changes), NULL when none:
 * what a packer on another thread loads to pack the same way. */
const void *nx_textpack_dict(const nx_textpack *p, size_t *len);

/* The packed form of text into *out (malloc'd, caller frees). Without a
 * dictionary the text is kept as is. Returns 0 or -1 (no memory). */
int nx_textpack_pack(nx_textpack *p, const char *text, size_t len, unsigned char **out,
                     size_t *out_len);

/* The text of a packed value into *out (malloc'd, NUL-terminated, caller
 * frees). Returns 0; -1 on damaged data or no memory; when the frame needs
 * a dictionary that is not loaded, returns 1 with its id in *need_dict. */
int nx_textpack_unpack(nx_textpack *p, const unsigned char *in, size_t len, char **out,
                       size_t *out_len, unsigned *need_dict);

/* Length of the text a packed value holds, without unpacking it; -1 when
 * damaged. */
long long nx_textpack_size(const unsigned char *in, size_t len);

/* Trains a dictionary on samples (concatenated in buf, sizes[i] each).
 * Returns 0 with *dict malloc'd (caller frees), or -1 when the samples do
 * not make one (too few, too alike) or memory ran out. */
int nx_textpack_train(const void *buf, const size_t *sizes, unsigned n, void **dict,
                      size_t *dict_len);

#endif
