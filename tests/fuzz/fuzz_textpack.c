/* fuzz_textpack.c - stored article text (src/store/textpack.c) on arbitrary
 * bytes: what an index file damaged on disk, or made by someone else, holds
 * in articles.body.
 *
 * Input: the stored value itself. Checks, besides memory safety and
 * undefined behaviour:
 *   - nx_textpack_unpack returns 0, -1 or 1 (a dictionary is needed, with
 *     its non-zero id), never anything else; on 0 the text is NUL-terminated
 *     at the reported length, and that length is what nx_textpack_size says;
 *   - a raw value (format byte 0) unpacks to exactly its bytes;
 *   - the input taken as text packs and unpacks to itself (no dictionary
 *     loaded: stored as is). */
#include "store/textpack.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nx_textpack *p = nx_textpack_new();
    FUZZ_CHECK(p != NULL, "out of memory");

    char *out = NULL;
    size_t out_len = 0;
    unsigned need = 0;
    int rc = nx_textpack_unpack(p, data, size, &out, &out_len, &need);
    FUZZ_CHECK(rc == 0 || rc == -1 || rc == 1, "nx_textpack_unpack returned %d", rc);
    if (rc == 1)
        FUZZ_CHECK(need != 0, "a dictionary is needed but its id is 0");
    if (rc == 0) {
        FUZZ_CHECK(out != NULL && out[out_len] == '\0', "text not NUL-terminated at %zu", out_len);
        long long n = nx_textpack_size(data, size);
        FUZZ_CHECK(n == (long long)out_len, "unpacked %zu bytes, nx_textpack_size says %lld",
                   out_len, n);
        if (size > 0 && data[0] == NX_PACK_RAW)
            FUZZ_CHECK(out_len == size - 1 && memcmp(out, data + 1, out_len) == 0,
                       "a raw value did not unpack to its bytes");
    }
    free(out);

    unsigned char *packed = NULL;
    size_t packed_len = 0;
    FUZZ_CHECK(nx_textpack_pack(p, (const char *)data, size, &packed, &packed_len) == 0,
               "packing %zu bytes failed", size);
    char *back = NULL;
    size_t back_len = 0;
    rc = nx_textpack_unpack(p, packed, packed_len, &back, &back_len, &need);
    FUZZ_CHECK(rc == 0 && back_len == size && memcmp(back, data, size) == 0,
               "%zu bytes packed did not unpack to themselves (rc %d, %zu bytes)", size, rc,
               back_len);
    free(back);
    free(packed);
    nx_textpack_free(p);
    return 0;
}
