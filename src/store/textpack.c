/* textpack.c - packing article text with zstd for the FTS5 index.
 *
 * News articles are short (a few kB): compressed one by one, zstd finds
 * little to reuse inside each; a dictionary trained on the archive's own
 * articles carries the vocabulary and phrasing they share, and more than
 * doubles the ratio. Rows are compressed one by one so that reading a hit
 * never inflates its neighbours. */
#include "textpack.h"

#include <stdlib.h>
#include <string.h>
/* For ZDICT_trainFromBuffer_fastCover with fixed parameters: in
 * libzstd's "experimental" section, exported by Debian's libzstd1 and
 * stable since zstd 1.3.6. */
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
/* For ZSTD_createDDict_byReference: the same "experimental" section,
 * exported by libzstd1 and stable since zstd 1.0. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

/* On the generated 100 MB archive, against zstd's default level 3: level 4
 * makes the bodies 1.7% smaller (34.5 -> 33.9 MB) in the same time; level
 * 5, 4.3% smaller (33.0 MB), but cost the indexing worker 9% more
 * instructions, and that thread is as busy as the writer. Unpacking a hit
 * costs the same at any of them (about 5 us). */
#define LEVEL 4
/* The level the dictionary's statistics are gathered at: each sample is
 * compressed once with a context cleared for it, which at level 5 was
 * 1.4 G instructions of clearing on the indexing thread. */
#define TRAIN_LEVEL 3
/* A 256 KB dictionary, trained on the same first megabyte, holds more of
 * the archive's shared phrasing than 64 KB: bodies 4.9% smaller on a
 * generated 100 MB archive (36.3 -> 34.5 MB), 3.7% on Reuters-21578, with
 * no measurable cost in indexing time. */
#define DICT_SIZE (256 * 1024)

struct nx_textpack {
    ZSTD_CCtx *cctx;
    ZSTD_DCtx *dctx;
    ZSTD_CDict *cdict;
    ZSTD_DDict *ddict;
    unsigned dict_id;
    void *dict; /* its bytes, for a packer on another thread */
    size_t dict_len;
};

nx_textpack *nx_textpack_new(void)
{
    nx_textpack *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->cctx = ZSTD_createCCtx();
    p->dctx = ZSTD_createDCtx();
    if (!p->cctx || !p->dctx) {
        nx_textpack_free(p);
        return NULL;
    }
    return p;
}

void nx_textpack_free(nx_textpack *p)
{
    if (!p)
        return;
    ZSTD_freeCCtx(p->cctx);
    ZSTD_freeDCtx(p->dctx);
    ZSTD_freeCDict(p->cdict);
    ZSTD_freeDDict(p->ddict);
    free(p->dict);
    free(p);
}

int nx_textpack_adopt_dict(nx_textpack *p, void *dict, size_t len)
{
    unsigned id = ZDICT_getDictID(dict, len);
    if (id == 0)
        return -1;
    /* The compression side is made when first needed (pack_with_dict): a
     * search only unpacks, and making it took 1.5 ms of every fresh search
     * process that showed a snippet. The decompression side refers to the
     * bytes kept here rather than copying them: each 256 KB copy is 64
     * pages a fresh process must fault in. */
    ZSTD_DDict *d = ZSTD_createDDict_byReference(dict, len);
    if (!d)
        return -1;
    nx_textpack_forget(p);
    p->ddict = d;
    p->dict_id = id;
    p->dict = dict;
    p->dict_len = len;
    return 0;
}

int nx_textpack_set_dict(nx_textpack *p, const void *dict, size_t len)
{
    void *copy = malloc(len ? len : 1);
    if (!copy)
        return -1;
    memcpy(copy, dict, len);
    if (nx_textpack_adopt_dict(p, copy, len) != 0) {
        free(copy);
        return -1;
    }
    return 0;
}

void nx_textpack_forget(nx_textpack *p)
{
    ZSTD_freeCDict(p->cdict);
    ZSTD_freeDDict(p->ddict);
    free(p->dict);
    p->cdict = NULL;
    p->ddict = NULL;
    p->dict_id = 0;
    p->dict = NULL;
    p->dict_len = 0;
}

unsigned nx_textpack_dict_id(const nx_textpack *p)
{
    return p->dict_id;
}

const void *nx_textpack_dict(const nx_textpack *p, size_t *len)
{
    *len = p->dict_len;
    return p->dict;
}

static int pack_raw(const char *text, size_t len, unsigned char **out, size_t *out_len)
{
    unsigned char *b = malloc(len + 1);
    if (!b)
        return -1;
    b[0] = NX_PACK_RAW;
    if (len)
        memcpy(b + 1, text, len);
    *out = b;
    *out_len = len + 1;
    return 0;
}

int nx_textpack_pack(nx_textpack *p, const char *text, size_t len, unsigned char **out,
                     size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (!p->dict)
        return pack_raw(text, len, out, out_len);
    if (!p->cdict && !(p->cdict = ZSTD_createCDict(p->dict, p->dict_len, LEVEL)))
        return -1;
    size_t cap = ZSTD_compressBound(len) + 1;
    unsigned char *b = malloc(cap);
    if (!b)
        return -1;
    b[0] = NX_PACK_ZSTD;
    size_t n = ZSTD_compress_usingCDict(p->cctx, b + 1, cap - 1, text, len, p->cdict);
    if (ZSTD_isError(n) || n + 1 >= len + 1) { /* incompressible: keep it as is */
        free(b);
        return pack_raw(text, len, out, out_len);
    }
    *out = b;
    *out_len = n + 1;
    return 0;
}

long long nx_textpack_size(const unsigned char *in, size_t len)
{
    if (len == 0)
        return 0;
    if (in[0] == NX_PACK_RAW)
        return (long long)len - 1;
    if (in[0] != NX_PACK_ZSTD)
        return -1;
    unsigned long long n = ZSTD_getFrameContentSize(in + 1, len - 1);
    /* No frame makes more than 128 KiB from each block of 4 bytes (one
     * repeated byte): a damaged header claiming more is not believed, or
     * unpacking would try to allocate gigabytes for a few bytes. */
    unsigned long long most = ((unsigned long long)len / 4 + 1) * (128 * 1024);
    if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR || n > most)
        return -1;
    return (long long)n;
}

int nx_textpack_unpack(nx_textpack *p, const unsigned char *in, size_t len, char **out,
                       size_t *out_len, unsigned *need_dict)
{
    *out = NULL;
    *out_len = 0;
    *need_dict = 0;
    long long size = nx_textpack_size(in, len);
    if (size < 0)
        return -1;
    char *t = malloc((size_t)size + 1);
    if (!t)
        return -1;
    if (len == 0 || in[0] == NX_PACK_RAW) {
        if (size)
            memcpy(t, in + 1, (size_t)size);
    } else {
        unsigned id = ZSTD_getDictID_fromFrame(in + 1, len - 1);
        size_t n;
        if (id && id != p->dict_id) {
            free(t);
            *need_dict = id;
            return 1;
        }
        if (id)
            n = ZSTD_decompress_usingDDict(p->dctx, t, (size_t)size, in + 1, len - 1, p->ddict);
        else
            n = ZSTD_decompressDCtx(p->dctx, t, (size_t)size, in + 1, len - 1);
        if (ZSTD_isError(n) || n != (size_t)size) {
            free(t);
            return -1;
        }
    }
    t[size] = '\0';
    *out = t;
    *out_len = (size_t)size;
    return 0;
}

int nx_textpack_train(const void *buf, const size_t *sizes, unsigned n, void **dict,
                      size_t *dict_len)
{
    *dict = NULL;
    *dict_len = 0;
    void *d = malloc(DICT_SIZE);
    if (!d)
        return -1;
    /* ZDICT_trainFromBuffer searches for its segment size k and took 0.19 s
     * on the first megabyte of Reuters-21578, on the indexing thread; k = 50
     * fixed takes 0.024 s and compresses as well or better (Reuters: 6.10
     * vs 6.11 MB of 15.8; a generated archive: 10.23 vs 10.28 MB of 25.1).
     * d and f are the searching trainer's own. */
    ZDICT_fastCover_params_t params;
    memset(&params, 0, sizeof params);
    params.k = 50;
    params.d = 8;
    params.f = 20;
    params.accel = 1;
    params.zParams.compressionLevel = TRAIN_LEVEL;
    size_t r = ZDICT_trainFromBuffer_fastCover(d, DICT_SIZE, buf, sizes, n, params);
    if (ZDICT_isError(r)) {
        free(d);
        return -1;
    }
    *dict = d;
    *dict_len = r;
    return 0;
}
