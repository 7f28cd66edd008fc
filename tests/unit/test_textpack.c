/* test_textpack.c - unit tests for the stored form of article text
 * (src/store/textpack.c: raw until a dictionary exists, zstd with it, sizes
 * read without unpacking, damaged data refused) and for terms analyzed
 * ahead and replayed later (src/analyze/pretok.c: the replay must hand the
 * index exactly what analyzing the text would). */
#include "analyze/analyzer.h"
#include "analyze/pretok.h"
#include "store/textpack.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sentences[] = {
    "The central bank raised its deposit rate by a quarter point on Thursday. ",
    "Officials in Kyiv said talks could resume only on their terms. ",
    "Grain shipments through the Black Sea corridor fell for a third month. ",
    "Analysts expect inflation to slow as energy prices ease over the winter. ",
    "The minister told reporters the negotiations were at an early stage. ",
};

/* A made-up archive of n articles; *sizes gets each one's length. */
static char *archive(unsigned n, size_t *sizes, size_t *total)
{
    size_t cap = (size_t)n * 600, used = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    for (unsigned i = 0; i < n; i++) {
        size_t start = used;
        used += (size_t)snprintf(buf + used, cap - used, "Article %u. ", i);
        for (unsigned k = 0; k < 6; k++)
            used += (size_t)snprintf(buf + used, cap - used, "%s",
                                     sentences[(i * 7 + k * 3) % 5]);
        sizes[i] = used - start;
    }
    *total = used;
    return buf;
}

/* p unpacks packed into text[0..len), NUL-terminated. */
static void unpacks_to(nx_textpack *p, const unsigned char *packed, size_t plen, const char *text,
                       size_t len)
{
    char *back;
    size_t blen;
    unsigned need;
    ck_assert_int_eq(nx_textpack_unpack(p, packed, plen, &back, &blen, &need), 0);
    ck_assert_uint_eq(blen, len);
    ck_assert(memcmp(back, text, len) == 0);
    ck_assert_int_eq(back[len], '\0');
    free(back);
}

static void round_trip(nx_textpack *p, const char *text, size_t len, int want_format)
{
    unsigned char *packed;
    size_t plen;
    ck_assert_int_eq(nx_textpack_pack(p, text, len, &packed, &plen), 0);
    ck_assert_int_eq(packed[0], want_format);
    ck_assert_int_eq(nx_textpack_size(packed, plen), (long long)len);
    unpacks_to(p, packed, plen, text, len);
    free(packed);
}

START_TEST(raw_without_dictionary)
{
    nx_textpack *p = nx_textpack_new();
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(nx_textpack_dict_id(p), 0);
    const char *t = "Baklanov sets out conditions for talks.";
    round_trip(p, t, strlen(t), NX_PACK_RAW);
    round_trip(p, "", 0, NX_PACK_RAW);
    nx_textpack_free(p);
}
END_TEST

/* A 400-article archive (sizes[400]) and a dictionary trained on it. */
static char *trained_archive(size_t *sizes, void **dict, size_t *dlen)
{
    size_t total;
    char *buf = archive(400, sizes, &total);
    ck_assert_int_eq(nx_textpack_train(buf, sizes, 400, dict, dlen), 0);
    return buf;
}

START_TEST(dictionary_compresses_and_is_needed)
{
    size_t sizes[400], dlen;
    void *dict;
    char *buf = trained_archive(sizes, &dict, &dlen);
    nx_textpack *p = nx_textpack_new(), *q = nx_textpack_new();
    ck_assert_int_eq(nx_textpack_set_dict(p, dict, dlen), 0);
    ck_assert_uint_ne(nx_textpack_dict_id(p), 0);
    /* An article is smaller packed, and comes back whole. */
    unsigned char *packed;
    size_t plen;
    ck_assert_int_eq(nx_textpack_pack(p, buf, sizes[0], &packed, &plen), 0);
    ck_assert_int_eq(packed[0], NX_PACK_ZSTD);
    ck_assert_uint_lt(plen, sizes[0] / 2);
    round_trip(p, buf + sizes[0], sizes[1], NX_PACK_ZSTD);
    /* A packer without the dictionary says which one it needs. */
    char *back;
    size_t blen;
    unsigned need;
    ck_assert_int_eq(nx_textpack_unpack(q, packed, plen, &back, &blen, &need), 1);
    ck_assert_uint_eq(need, nx_textpack_dict_id(p));
    ck_assert_ptr_null(back);
    ck_assert_int_eq(nx_textpack_set_dict(q, dict, dlen), 0);
    unpacks_to(q, packed, plen, buf, sizes[0]);
    /* Forgetting it (a rolled-back training) stores text as is again. */
    nx_textpack_forget(p);
    ck_assert_uint_eq(nx_textpack_dict_id(p), 0);
    round_trip(p, buf, sizes[0], NX_PACK_RAW);
    free(packed);
    free(dict);
    free(buf);
    nx_textpack_free(p);
    nx_textpack_free(q);
}
END_TEST

/* What a search loading the index's dictionary does: the packer takes the
 * buffer read from the index and unpacks with it in place; a buffer that is
 * not a dictionary stays the caller's (ASan reports a leak or double free). */
START_TEST(adopted_dictionary_unpacks)
{
    size_t sizes[400], dlen;
    void *dict;
    char *buf = trained_archive(sizes, &dict, &dlen);
    nx_textpack *w = nx_textpack_new(), *r = nx_textpack_new();
    ck_assert_int_eq(nx_textpack_set_dict(w, dict, dlen), 0);
    unsigned char *packed;
    size_t plen;
    ck_assert_int_eq(nx_textpack_pack(w, buf + sizes[0], sizes[1], &packed, &plen), 0);
    char *not_dict = strdup("not a dictionary");
    ck_assert_int_eq(nx_textpack_adopt_dict(r, not_dict, strlen(not_dict)), -1);
    free(not_dict);
    ck_assert_int_eq(nx_textpack_adopt_dict(r, dict, dlen), 0); /* r owns dict now */
    ck_assert_uint_eq(nx_textpack_dict_id(r), nx_textpack_dict_id(w));
    unpacks_to(r, packed, plen, buf + sizes[0], sizes[1]);
    free(packed);
    free(buf);
    nx_textpack_free(w);
    nx_textpack_free(r);
}
END_TEST

/* What the indexing worker does: a packer on another thread loads the
 * writer's dictionary from its bytes and packs exactly as the writer would. */
START_TEST(dictionary_bytes_make_a_twin_packer)
{
    size_t sizes[400], dlen, got_len = 1;
    void *dict;
    char *buf = trained_archive(sizes, &dict, &dlen);
    nx_textpack *p = nx_textpack_new(), *twin = nx_textpack_new();
    ck_assert_ptr_null(nx_textpack_dict(p, &got_len));
    ck_assert_uint_eq(got_len, 0);
    ck_assert_int_eq(nx_textpack_set_dict(p, dict, dlen), 0);
    free(dict); /* the packer keeps its own copy */
    const void *got = nx_textpack_dict(p, &got_len);
    ck_assert_ptr_nonnull(got);
    ck_assert_int_eq(nx_textpack_set_dict(twin, got, got_len), 0);
    ck_assert_uint_eq(nx_textpack_dict_id(twin), nx_textpack_dict_id(p));
    unsigned char *a, *b;
    size_t alen, blen;
    ck_assert_int_eq(nx_textpack_pack(p, buf, sizes[0], &a, &alen), 0);
    ck_assert_int_eq(nx_textpack_pack(twin, buf, sizes[0], &b, &blen), 0);
    ck_assert(alen == blen && memcmp(a, b, alen) == 0);
    /* A dictionary that fails to load leaves the one in place. */
    ck_assert_int_eq(nx_textpack_set_dict(twin, "not a dictionary", 16), -1);
    ck_assert_uint_eq(nx_textpack_dict_id(twin), nx_textpack_dict_id(p));
    nx_textpack_forget(p);
    ck_assert_ptr_null(nx_textpack_dict(p, &got_len));
    free(a);
    free(b);
    free(buf);
    nx_textpack_free(p);
    nx_textpack_free(twin);
}
END_TEST

START_TEST(damaged_data_refused)
{
    size_t sizes[400], dlen;
    void *dict;
    char *buf = trained_archive(sizes, &dict, &dlen);
    nx_textpack *p = nx_textpack_new();
    ck_assert_int_eq(nx_textpack_set_dict(p, dict, dlen), 0);
    unsigned char *packed;
    size_t plen;
    ck_assert_int_eq(nx_textpack_pack(p, buf, sizes[0], &packed, &plen), 0);
    char *back;
    size_t blen;
    unsigned need;
    /* Unknown format byte, truncated frame, flipped bytes. */
    unsigned char bad = 7;
    ck_assert_int_eq(nx_textpack_size(&bad, 1), -1);
    ck_assert_int_eq(nx_textpack_unpack(p, &bad, 1, &back, &blen, &need), -1);
    ck_assert_int_eq(nx_textpack_unpack(p, packed, plen - 3, &back, &blen, &need), -1);
    for (size_t i = plen / 2; i < plen; i++)
        packed[i] ^= 0x5a;
    ck_assert_int_eq(nx_textpack_unpack(p, packed, plen, &back, &blen, &need), -1);
    ck_assert_ptr_null(back);
    /* A frame header claiming 3.5 GB in 10 bytes (found by fuzz_textpack):
     * refused, not allocated. */
    static const unsigned char huge[] = {0x01, 0x28, 0xb5, 0x2f, 0xfd, 0xb5,
                                         0x2f, 0xfd, 0x64, 0x37, 0xd4};
    ck_assert_int_eq(nx_textpack_size(huge, sizeof huge), -1);
    ck_assert_int_eq(nx_textpack_unpack(p, huge, sizeof huge, &back, &blen, &need), -1);
    /* Not a dictionary at all. */
    ck_assert_int_eq(nx_textpack_set_dict(p, "not a dictionary", 16), -1);
    free(packed);
    free(dict);
    free(buf);
    nx_textpack_free(p);
}
END_TEST

typedef struct seen {
    char out[8192];
    size_t len;
} seen;

static int note_term(void *ctx, int kind, const char *term, size_t len, size_t start, size_t end,
                     int colocated)
{
    seen *s = ctx;
    s->len += (size_t)snprintf(s->out + s->len, sizeof s->out - s->len, "%d:%.*s@%zu-%zu%s|",
                               kind, (int)len, term, start, end, colocated ? "+" : "");
    return 0;
}

START_TEST(replay_matches_analysis)
{
    const char *texts[] = {"Negotiations resumed; Baklanov’s conditions were negotiated.",
                           "Les négociations reprennent à Genève.", "北京的和平特使", ""};
    const char *langs[] = {"en", "fr", "zh", "en"};
    nx_analyzer *an = nx_analyzer_new("english");
    nx_pretok p = {0};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const nx_lang *l = nx_lang_find(langs[i]);
        nx_analyzer_use(an, &l, 1);
        seen direct = {"", 0}, replayed = {"", 0}, shifted = {"", 0};
        ck_assert_int_eq(nx_analyze(an, texts[i], strlen(texts[i]), NX_ANALYZE_DOCUMENT,
                                    note_term, &direct),
                         0);
        ck_assert_int_eq(nx_pretok_record(an, texts[i], strlen(texts[i]), &p), 0);
        ck_assert_int_eq(nx_pretok_replay(&p, 0, note_term, &replayed), 0);
        ck_assert_str_eq(replayed.out, direct.out);
        /* Offsets move with the language marker in front of the text. */
        ck_assert_int_eq(nx_pretok_replay(&p, 4, note_term, &shifted), 0);
        ck_assert(p.n == 0 || strcmp(shifted.out, direct.out) != 0);
    }
    ck_assert_uint_gt(p.cap, 0);
    nx_pretok_free(&p);
    nx_analyzer_free(an);
}
END_TEST

static Suite *textpack_suite(void)
{
    Suite *s = suite_create("textpack");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, raw_without_dictionary);
    tcase_add_test(tc, dictionary_compresses_and_is_needed);
    tcase_add_test(tc, dictionary_bytes_make_a_twin_packer);
    tcase_add_test(tc, adopted_dictionary_unpacks);
    tcase_add_test(tc, damaged_data_refused);
    tcase_add_test(tc, replay_matches_analysis);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(textpack_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
