/* test_minhash.c - unit tests for near-duplicate detection: min-hash
 * signatures, band keys, packing, containment and figures
 * (src/analyze/minhash.c), and the LSH index with its cluster decision
 * (src/lib/dupindex.c). */
#include "analyze/minhash.h"
#include "lib/dupindex.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* For checks in hot loops: Check's ck_assert_* talk to the runner on every
 * call, which makes thousands of them slow under sanitizers. */
#define REQUIRE(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

/* ---- texts --------------------------------------------------------------- */

#define HEADLINE "BALTIC GRAIN TERMINAL TO DOUBLE CAPACITY BY 1989\n\n"
#define PARA1                                                                                      \
    "The Riga grain terminal will double its handling capacity to 4.2 million tonnes a year "  \
    "by the end of 1989, the port authority said on Tuesday, after a two-year delay caused by " \
    "a dispute over who would pay for new silos and a rail link to the quay.\n\n"
#define PARA2                                                                                      \
    "Port director Andris Kalnins told reporters that the first of six new silos would open in " \
    "March and that the terminal had signed contracts with three exporters for wheat and "       \
    "barley shipments to North Africa and the Middle East.\n\n"
#define PARA3                                                                                      \
    "Traders said the expansion would ease congestion at Baltic ports, where ships have "        \
    "waited up to ten days to load this season, but warned that rail capacity inland remained " \
    "the main bottleneck for grain moving from the Volga region.\n\n"
#define PARA4                                                                                      \
    "The authority put the cost of the project at 85 million dollars, of which the World Bank " \
    "is lending 40 million. Construction of the rail link is due to start in the autumn, it "   \
    "said, with completion planned for the summer of 1989."

static const char original[] = HEADLINE PARA1 PARA2 PARA3 PARA4;

/* The same story as another outlet runs it: new headline, a byline, the
 * third paragraph cut. */
static const char copy[] = "Riga port plans to double grain handling\n\n"
                           "By Jane Roe, Staff Writer\n\n" PARA1 PARA2 PARA4;

static const char unrelated[] =
    "CENTRAL BANK HOLDS RATES\n\n"
    "The central bank left its main refinancing rate unchanged at 3.5 percent on Thursday, "
    "saying inflation was slowing faster than expected but that wage growth remained strong. "
    "Governor Maria Santos told a news conference that the board had discussed a cut but "
    "preferred to wait for the spring labour market figures before acting.\n\n"
    "Economists polled before the meeting had expected no change, and the currency barely "
    "moved after the announcement.";

/* Two different companies' earnings reports, written on one template. */
static const char earnings_a[] = "ACME CORP <ACM> 4TH QTR NET\n\n"
                                 "Shr 12 cts vs 15 cts\n    Net 1.2 mln vs 1.5 mln\n"
                                 "    Revs 25.3 mln vs 22.1 mln\n    Year\n"
                                 "    Shr 48 cts vs 52 cts\n    Net 4.8 mln vs 5.1 mln\n"
                                 "    Revs 98.7 mln vs 90.2 mln";
static const char earnings_b[] = "BETA INDUSTRIES INC <BTI> 4TH QTR NET\n\n"
                                 "Shr 31 cts vs 27 cts\n    Net 3.4 mln vs 2.9 mln\n"
                                 "    Revs 41.0 mln vs 38.6 mln\n    Year\n"
                                 "    Shr 1.02 dlrs vs 88 cts\n    Net 11.3 mln vs 9.7 mln\n"
                                 "    Revs 160.4 mln vs 151.9 mln";

/* The Fed's daily market operation: the same words every day, other figures. */
#define FED(amount, rate)                                                                          \
    "FED ADDS RESERVES VIA CUSTOMER REPURCHASES\n\n"                                             \
    "The Federal Reserve entered the U.S. Government securities market to arrange " amount     \
    " of customer repurchase agreements, a Fed spokesman said. Dealers said Federal funds "   \
    "were trading at " rate " pct when the Fed began its temporary and indirect supply of "   \
    "reserves to the banking system."
static const char fed_monday[] = FED("1.5 billion dlrs", "6-3/16");
/* Same amount, a rate that differs only after the slash: "6-3/8" is one
 * figure, not three of which two agree. */
static const char fed_tuesday[] = FED("1.5 billion dlrs", "6-3/8");

/* Fetch callback over a table of texts indexed by key. */
struct library {
    const char *text[16];
    int fetches;
};

static int fetch(void *ctx, int64_t key, char **text, size_t *len)
{
    struct library *lib = ctx;
    if (key < 0 || key >= 16 || !lib->text[key])
        return 1;
    *len = strlen(lib->text[key]);
    *text = malloc(*len + 1);
    if (!*text)
        return 1;
    memcpy(*text, lib->text[key], *len + 1);
    lib->fetches++;
    return 0;
}

static nx_mh_sig sig_of(const char *text)
{
    nx_mh_sig s;
    size_t n = 0;
    ck_assert_int_eq(nx_mh_signature(text, strlen(text), &s, &n), 0);
    ck_assert_uint_ge(n, NX_MH_MIN_SHINGLES);
    return s;
}

/* Adds text under key (its own cluster, key * 100) to ix and lib. */
static void add(nx_dupindex *ix, struct library *lib, int64_t key, const char *text)
{
    nx_mh_sig s = sig_of(text);
    lib->text[key] = text;
    ck_assert_int_eq(nx_dupindex_add(ix, &s, key, key * 100), 0);
}

static int64_t assign(nx_dupindex *ix, struct library *lib, const char *text)
{
    nx_mh_sig s = sig_of(text);
    int64_t cluster = 12345;
    ck_assert_int_eq(nx_dup_assign(ix, &s, text, strlen(text), fetch, lib, &cluster), 0);
    return cluster;
}

static double containment_s(const char *a, const char *b)
{
    double c = -1;
    ck_assert_int_eq(nx_mh_containment(a, strlen(a), b, strlen(b), &c), 0);
    return c;
}

/* ---- signatures ---------------------------------------------------------- */

START_TEST(identical_texts_agree_fully)
{
    nx_mh_sig a = sig_of(original), b = sig_of(original);
    ck_assert_int_eq(nx_mh_agree(&a, &b), NX_MH_K);
    ck_assert_mem_eq(&a, &b, sizeof a);
    /* Case, diacritics, line breaks and punctuation are not the story. */
    char shouted[sizeof original];
    for (size_t i = 0; i < sizeof original; i++)
        shouted[i] = (original[i] >= 'a' && original[i] <= 'z') ? (char)(original[i] - 32)
                     : original[i] == '\n'                      ? ' '
                                                                : original[i];
    nx_mh_sig c = sig_of(shouted);
    ck_assert_int_eq(nx_mh_agree(&a, &c), NX_MH_K);
    nx_mh_sig d = sig_of("Élysée Palace said the président would meet the prime minister on "
                         "Monday to discuss the budget");
    nx_mh_sig e = sig_of("ELYSEE PALACE SAID THE PRESIDENT WOULD MEET THE PRIME MINISTER ON "
                         "MONDAY TO DISCUSS THE BUDGET");
    ck_assert_int_eq(nx_mh_agree(&d, &e), NX_MH_K);
}
END_TEST

START_TEST(copy_agrees_more_than_unrelated)
{
    nx_mh_sig o = sig_of(original), c = sig_of(copy), u = sig_of(unrelated);
    ck_assert_int_ge(nx_mh_agree(&o, &c), NX_DUP_MIN_AGREE);
    ck_assert_int_lt(nx_mh_agree(&o, &u), NX_DUP_MIN_AGREE);
}
END_TEST

/* Agreement estimates the Jaccard resemblance: texts sharing half their
 * shingles agree on about half the values, over many text pairs. */
START_TEST(agreement_estimates_resemblance)
{
    char a[4096], b[4096];
    long total = 0;
    const int trials = 200;
    for (int t = 0; t < trials; t++) {
        /* 60 + k - 1 words each, the first 40 shingles shared: J = 40/80. */
        size_t la = 0, lb = 0;
        for (int w = 0; w < 60 + NX_MH_SHINGLE - 1; w++) {
            la += (size_t)snprintf(a + la, sizeof a - la, "w%dt%d ", w, t);
            if (w < 40 + NX_MH_SHINGLE - 1)
                lb += (size_t)snprintf(b + lb, sizeof b - lb, "w%dt%d ", w, t);
            else
                lb += (size_t)snprintf(b + lb, sizeof b - lb, "x%dt%d ", w, t);
        }
        nx_mh_sig sa, sb;
        REQUIRE(nx_mh_signature(a, la, &sa, NULL) == 0, "signature");
        REQUIRE(nx_mh_signature(b, lb, &sb, NULL) == 0, "signature");
        total += nx_mh_agree(&sa, &sb);
    }
    /* Expected trials * 16 * 40/80 = 1600; binomial sd about 28. */
    double mean = (double)total / trials;
    ck_assert_double_gt(mean, NX_MH_K * 0.5 - 0.5);
    ck_assert_double_lt(mean, NX_MH_K * 0.5 + 0.5);
}
END_TEST

START_TEST(short_texts_not_fingerprinted)
{
    nx_mh_sig s;
    size_t n = 99;
    ck_assert_int_eq(nx_mh_signature("", 0, &s, &n), NX_MH_SHORT);
    ck_assert_uint_eq(n, 0);
    for (int k = 0; k < NX_MH_K; k++)
        ck_assert_uint_eq(s.v[k], 0xffff);
    const char *brief = "Qtly div 12 cts vs 12 cts prior";
    ck_assert_int_eq(nx_mh_signature(brief, strlen(brief), &s, &n), NX_MH_SHORT);
    ck_assert_uint_eq(n, 8 - NX_MH_SHINGLE + 1);
    /* Repeats do not count: one distinct shingle, however long the text. */
    const char *same = "no no no no no no no no no no no no no no no no no no no no";
    ck_assert_int_eq(nx_mh_signature(same, strlen(same), &s, &n), NX_MH_SHORT);
    ck_assert_uint_eq(n, 1);
    /* Exactly the minimum is enough, one shingle fewer is not. */
    char text[512] = "";
    size_t len = 0;
    for (int w = 0; w < NX_MH_MIN_SHINGLES + NX_MH_SHINGLE - 1; w++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%sword%d", w ? " " : "", w);
    ck_assert_int_eq(nx_mh_signature(text, len, &s, &n), 0);
    ck_assert_uint_eq(n, NX_MH_MIN_SHINGLES);
    *strrchr(text, ' ') = '\0';
    ck_assert_int_eq(nx_mh_signature(text, strlen(text), &s, &n), NX_MH_SHORT);
    ck_assert_uint_eq(n, NX_MH_MIN_SHINGLES - 1);
}
END_TEST

START_TEST(cjk_text_fingerprinted)
{
    /* No spaces: the segmenter's bigrams are the words. */
    const char *zh = "中国和葡萄牙两国总理签署协议，结束葡萄牙对澳门四个多世纪的统治，"
                     "澳门将于一九九九年回归中国，成为特别行政区。";
    const char *zh_copy = "新华社电 中国和葡萄牙两国总理签署协议，结束葡萄牙对澳门四个多世纪的统治，"
                          "澳门将于一九九九年回归中国，成为特别行政区。";
    nx_mh_sig a, b;
    ck_assert_int_eq(nx_mh_signature(zh, strlen(zh), &a, NULL), 0);
    ck_assert_int_eq(nx_mh_signature(zh_copy, strlen(zh_copy), &b, NULL), 0);
    ck_assert_int_ge(nx_mh_agree(&a, &b), NX_DUP_MIN_AGREE);
    ck_assert_double_gt(containment_s(zh, zh_copy), 0.9);
}
END_TEST

START_TEST(band_keys)
{
    nx_mh_sig a = sig_of(original), b = a;
    for (int band = 0; band < NX_MH_BANDS; band++) {
        uint64_t k = nx_mh_band_key(&a, band);
        ck_assert_uint_eq(k >> 32, (uint64_t)band);
        ck_assert_uint_eq(k, nx_mh_band_key(&b, band));
    }
    /* Band 0 holds values 0 and 1, in that order. */
    ck_assert_uint_eq(nx_mh_band_key(&a, 0) & 0xffffffffu, (uint64_t)a.v[0] << 16 | a.v[1]);
    /* Changing one value changes exactly the bands that hold it. */
    b.v[5] ^= 1;
    int differ = 0;
    for (int band = 0; band < NX_MH_BANDS; band++)
        differ += nx_mh_band_key(&a, band) != nx_mh_band_key(&b, band);
    ck_assert_int_eq(differ, NX_MH_BANDS / (NX_MH_K / 2));
    ck_assert_int_eq(nx_mh_agree(&a, &b), NX_MH_K - 1);
}
END_TEST

START_TEST(pack_round_trip)
{
    nx_mh_sig a = sig_of(original), b;
    unsigned char bytes[2 * NX_MH_K];
    nx_mh_pack(&a, bytes);
    for (int k = 0; k < NX_MH_K; k++) /* little-endian whatever the machine */
        ck_assert_uint_eq(bytes[2 * k] | bytes[2 * k + 1] << 8, a.v[k]);
    nx_mh_unpack(bytes, &b);
    ck_assert_mem_eq(&a, &b, sizeof a);
    nx_mh_sig fixed = {{0x0102, 0xfffe}};
    nx_mh_pack(&fixed, bytes);
    ck_assert_uint_eq(bytes[0], 0x02);
    ck_assert_uint_eq(bytes[1], 0x01);
    ck_assert_uint_eq(bytes[2], 0xfe);
    ck_assert_uint_eq(bytes[3], 0xff);
    ck_assert_uint_eq(bytes[4], 0);
}
END_TEST

/* Whatever the bytes (invalid UTF-8, NULs, no words), nothing breaks and a
 * text compared with itself is fully contained. */
START_TEST(random_bytes)
{
    static const char alphabet[] = "ab 7-/\xc3\xa9\xe4\xb8\xad\x80\xff\n.,";
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    char buf[1500];
    for (int round = 0; round < 300; round++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        size_t len = seed % sizeof buf;
        for (size_t i = 0; i < len; i++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            buf[i] = round % 2 ? (char)(seed >> 24) : alphabet[seed % (sizeof alphabet - 1)];
        }
        nx_mh_sig s;
        size_t n = 0;
        int rc = nx_mh_signature(buf, len, &s, &n);
        REQUIRE(rc == 0 || rc == NX_MH_SHORT, "signature: %d", rc);
        REQUIRE((rc == 0) == (n >= NX_MH_MIN_SHINGLES), "%zu shingles, rc %d", n, rc);
        nx_mh_text *t = nx_mh_text_new(buf, len);
        REQUIRE(t != NULL, "text");
        REQUIRE(nx_mh_text_shingles(t) == n, "%zu shingles, signature says %zu",
                nx_mh_text_shingles(t), n);
        if (n > 0)
            REQUIRE(nx_mh_text_containment(t, t) == 1.0, "self containment");
        int conf, contra;
        nx_mh_text_figures(t, t, &conf, &contra);
        REQUIRE(contra == 0, "a text contradicts itself");
        nx_mh_text_free(t);
    }
}
END_TEST

/* ---- containment and figures --------------------------------------------- */

START_TEST(containment_worked_example)
{
    /* Ten words give 10 - k + 1 shingles (7 for k = 4). */
    const char *a = "alpha bravo charlie delta echo foxtrot golf hotel india juliet";
    const size_t na = 10 - NX_MH_SHINGLE + 1;
    /* The last word changed: only the last shingle differs (6/7). */
    const char *b = "alpha bravo charlie delta echo foxtrot golf hotel india kilo";
    ck_assert_double_eq_tol(containment_s(a, b), (double)(na - 1) / (double)na, 1e-9);
    /* The fifth word changed: every shingle holding it differs, k of them
     * (4 for k = 4: 3/7 left). */
    const char *c = "alpha bravo charlie delta XRAY foxtrot golf hotel india juliet";
    ck_assert_double_eq_tol(containment_s(a, c), (double)(na - NX_MH_SHINGLE) / (double)na, 1e-9);
    /* A cut copy is contained whole: min(|A|, |B|) is the shorter one. */
    const char *d = "charlie delta echo foxtrot golf hotel";
    ck_assert_double_eq_tol(containment_s(a, d), 1.0, 1e-9);
    ck_assert_double_eq_tol(containment_s(d, a), 1.0, 1e-9);
    /* Case and punctuation are folded away; word order is not. */
    ck_assert_double_eq_tol(containment_s(a, "ALPHA, Bravo; charlie. delta echo foxtrot GOLF "
                                             "hotel india juliet"),
                            1.0, 1e-9);
    ck_assert_double_eq_tol(containment_s(a, "juliet india hotel golf foxtrot echo delta "
                                             "charlie bravo alpha"),
                            0.0, 1e-9);
    /* Nothing to compare. */
    ck_assert_double_eq_tol(containment_s(a, ""), 0.0, 1e-9);
    ck_assert_double_eq_tol(containment_s(original, copy), containment_s(copy, original), 1e-12);
    ck_assert_double_gt(containment_s(original, copy), NX_DUP_MIN_CONTAINMENT);
}
END_TEST

START_TEST(figures_tell_templates_from_copies)
{
    nx_mh_text *mon = nx_mh_text_new(fed_monday, strlen(fed_monday));
    nx_mh_text *tue = nx_mh_text_new(fed_tuesday, strlen(fed_tuesday));
    nx_mh_text *o = nx_mh_text_new(original, strlen(original));
    nx_mh_text *c = nx_mh_text_new(copy, strlen(copy));
    ck_assert_ptr_nonnull(mon);
    ck_assert_ptr_nonnull(tue);
    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_nonnull(c);
    /* Nearly the same words... */
    ck_assert_double_gt(nx_mh_text_containment(mon, tue), NX_DUP_MIN_CONTAINMENT);
    /* ...but another figure where the wording meets: "arrange 1.5 billion"
     * agrees, "trading at 6-3/16 pct" against "trading at 6-3/8 pct" not. */
    int confirmed, contradicted;
    nx_mh_text_figures(mon, tue, &confirmed, &contradicted);
    ck_assert_int_eq(confirmed, 1);
    ck_assert_int_eq(contradicted, 1);
    ck_assert_int_gt(contradicted, NX_DUP_MAX_CONTRADICTED * (confirmed + contradicted));
    /* A copy keeps its figures; the cut paragraph's are simply absent. */
    nx_mh_text_figures(o, c, &confirmed, &contradicted);
    ck_assert_int_eq(contradicted, 0);
    ck_assert_int_ge(confirmed, 5);
    nx_mh_text_figures(c, o, &confirmed, &contradicted);
    ck_assert_int_eq(contradicted, 0);
    nx_mh_text_free(mon);
    nx_mh_text_free(tue);
    nx_mh_text_free(o);
    nx_mh_text_free(c);
    nx_mh_text_free(NULL);
}
END_TEST

/* ---- the index and the decision ------------------------------------------ */

START_TEST(copy_joins_original_cluster)
{
    nx_dupindex *ix = nx_dupindex_new();
    struct library lib = {{0}, 0};
    ck_assert_ptr_nonnull(ix);
    add(ix, &lib, 1, original);
    add(ix, &lib, 2, unrelated);
    ck_assert_uint_eq(nx_dupindex_count(ix), 2);
    ck_assert_int_eq(assign(ix, &lib, copy), 100);
    ck_assert_int_ge(lib.fetches, 1);
    ck_assert_int_eq(assign(ix, &lib, original), 100);
    nx_dupindex_free(ix);
}
END_TEST

/* Two candidates: a confirmed one settles the other when it is of the same
 * cluster (only the cluster is the answer), not when it is of another. */
START_TEST(one_check_per_cluster)
{
    nx_dupindex *ix = nx_dupindex_new();
    struct library lib = {{0}, 0};
    add(ix, &lib, 1, original);
    nx_mh_sig s = sig_of(copy);
    lib.text[2] = copy;
    ck_assert_int_eq(nx_dupindex_add(ix, &s, 2, 100), 0); /* in 1's cluster */
    ck_assert_int_eq(assign(ix, &lib, copy), 100);
    ck_assert_int_eq(lib.fetches, 1);
    nx_dupindex_free(ix);

    ix = nx_dupindex_new();
    lib.fetches = 0;
    add(ix, &lib, 1, original);
    add(ix, &lib, 2, copy); /* a cluster of its own, 200 */
    ck_assert_int_eq(assign(ix, &lib, copy), 200);
    ck_assert_int_eq(lib.fetches, 2);
    nx_dupindex_free(ix);
}
END_TEST

START_TEST(unrelated_starts_own_cluster)
{
    nx_dupindex *ix = nx_dupindex_new();
    struct library lib = {{0}, 0};
    add(ix, &lib, 1, original);
    ck_assert_int_eq(assign(ix, &lib, unrelated), -1);
    /* Most articles share no band: their texts are not read at all. */
    ck_assert_int_eq(lib.fetches, 0);
    nx_dupindex_free(ix);
}
END_TEST

START_TEST(templates_not_merged)
{
    nx_dupindex *ix = nx_dupindex_new();
    struct library lib = {{0}, 0};
    add(ix, &lib, 1, earnings_a);
    add(ix, &lib, 2, fed_monday);
    ck_assert_int_eq(assign(ix, &lib, earnings_b), -1);
    ck_assert_int_eq(assign(ix, &lib, fed_tuesday), -1);
    /* The same report sent again is a duplicate. */
    ck_assert_int_eq(assign(ix, &lib, fed_monday), 200);
    nx_dupindex_free(ix);
}
END_TEST

START_TEST(remove_works)
{
    nx_dupindex *ix = nx_dupindex_new();
    struct library lib = {{0}, 0};
    add(ix, &lib, 1, original);
    add(ix, &lib, 2, unrelated);
    ck_assert_int_eq(nx_dupindex_remove(ix, 1), 1);
    ck_assert_int_eq(nx_dupindex_remove(ix, 1), 0);
    ck_assert_int_eq(nx_dupindex_remove(ix, 77), 0);
    ck_assert_uint_eq(nx_dupindex_count(ix), 1);
    ck_assert_int_eq(assign(ix, &lib, copy), -1);
    /* Re-indexed under another cluster: add replaces. */
    add(ix, &lib, 3, original);
    nx_mh_sig s = sig_of(original);
    ck_assert_int_eq(nx_dupindex_add(ix, &s, 3, 4242), 0);
    ck_assert_uint_eq(nx_dupindex_count(ix), 2);
    ck_assert_int_eq(assign(ix, &lib, copy), 4242);
    nx_dupindex_free(ix);
    nx_dupindex_free(NULL);
}
END_TEST

/* With a window, the index holds the articles added last: a copy of one
 * forgotten is no longer recognised, a copy of one kept still is. */
START_TEST(window_forgets_the_oldest)
{
    nx_dupindex *ix = nx_dupindex_new();
    struct library lib = {{0}, 0};
    ck_assert_int_eq(nx_dupindex_set_window(ix, 2), 0);
    add(ix, &lib, 1, original);
    ck_assert_int_eq(assign(ix, &lib, copy), 100);
    add(ix, &lib, 2, unrelated);
    add(ix, &lib, 3, earnings_a);
    ck_assert_uint_eq(nx_dupindex_count(ix), 2);
    ck_assert_int_eq(assign(ix, &lib, copy), -1);
    ck_assert_int_eq(assign(ix, &lib, unrelated), 200);
    /* 1 comes back as the newest and 2, then the oldest, is forgotten. */
    add(ix, &lib, 1, original);
    ck_assert_uint_eq(nx_dupindex_count(ix), 2);
    ck_assert_int_eq(assign(ix, &lib, copy), 100);
    ck_assert_int_eq(assign(ix, &lib, earnings_a), 300);
    ck_assert_int_eq(assign(ix, &lib, unrelated), -1);
    /* Removed articles leave their slots to the next ones: memory stays. */
    size_t bytes = nx_dupindex_bytes(ix);
    for (int64_t k = 10; k < 200; k++) {
        nx_mh_sig s = sig_of(k % 2 ? fed_monday : earnings_b);
        ck_assert_int_eq(nx_dupindex_add(ix, &s, k, k), 0);
    }
    ck_assert_uint_eq(nx_dupindex_count(ix), 2);
    ck_assert_uint_eq(nx_dupindex_bytes(ix), bytes);
    nx_dupindex_free(ix);
}
END_TEST

static int fetch_nothing(void *ctx, int64_t key, char **text, size_t *len)
{
    (void)ctx, (void)key, (void)text, (void)len;
    return 1;
}

START_TEST(unavailable_text_skipped)
{
    nx_dupindex *ix = nx_dupindex_new();
    struct library lib = {{0}, 0};
    add(ix, &lib, 1, original);
    nx_mh_sig s = sig_of(copy);
    int64_t cluster = 5;
    ck_assert_int_eq(nx_dup_assign(ix, &s, copy, strlen(copy), fetch_nothing, NULL, &cluster), 0);
    ck_assert_int_eq(cluster, -1);
    /* A text too short to fingerprint is never clustered. */
    ck_assert_int_eq(nx_dup_assign(ix, &s, "short", 5, fetch, &lib, &cluster), 0);
    ck_assert_int_eq(cluster, -1);
    nx_dupindex_free(ix);
}
END_TEST

/* Many adds, removes and replacements against a model: every live article
 * is found as its own best match, removed ones are gone. Exercises bucket
 * growth, chains and the key table's deletions. */
static int fetch_same(void *ctx, int64_t key, char **text, size_t *len)
{
    (void)key;
    *len = strlen(ctx);
    *text = malloc(*len + 1);
    if (!*text)
        return 1;
    memcpy(*text, ctx, *len + 1);
    return 0;
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Reserved room is used: adding that many articles allocates nothing more;
 * a window bounds what is reserved. */
START_TEST(reserve_makes_room)
{
    enum { N = 500 };
    uint64_t seed = 2463534242ULL;
    nx_dupindex *ix = nx_dupindex_new();
    ck_assert_ptr_nonnull(ix);
    ck_assert_int_eq(nx_dupindex_reserve(ix, N), 0);
    size_t bytes = nx_dupindex_bytes(ix);
    ck_assert_uint_gt(bytes, N * sizeof(nx_mh_sig));
    for (int i = 0; i < N; i++) {
        nx_mh_sig s;
        for (int k = 0; k < NX_MH_K; k++)
            s.v[k] = (uint16_t)xorshift(&seed);
        ck_assert_int_eq(nx_dupindex_add(ix, &s, i, i), 0);
    }
    ck_assert_uint_eq(nx_dupindex_count(ix), N);
    ck_assert_uint_eq(nx_dupindex_bytes(ix), bytes);
    nx_dupindex_free(ix);

    nx_dupindex *a = nx_dupindex_new(), *b = nx_dupindex_new();
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(nx_dupindex_set_window(a, 100), 0);
    ck_assert_int_eq(nx_dupindex_set_window(b, 100), 0);
    ck_assert_int_eq(nx_dupindex_reserve(a, 100), 0);
    ck_assert_int_eq(nx_dupindex_reserve(b, 100000000), 0);
    ck_assert_uint_eq(nx_dupindex_bytes(b), nx_dupindex_bytes(a));
    nx_dupindex_free(a);
    nx_dupindex_free(b);
}
END_TEST

/* _i: 0 the index grows as it goes; 1 room reserved for all first; 2 for
 * a few first, then for more part-way (nx_dupindex_reserve: a hint that
 * must not change a decision). */
START_TEST(index_against_model)
{
    enum { N = 3000 };
    static nx_mh_sig sig[N];
    static int64_t cluster[N]; /* -1: not in the index */
    uint64_t seed = 88172645463325252ULL;
    nx_dupindex *ix = nx_dupindex_new();
    ck_assert_ptr_nonnull(ix);
    if (_i == 1)
        ck_assert_int_eq(nx_dupindex_reserve(ix, N), 0);
    if (_i == 2)
        ck_assert_int_eq(nx_dupindex_reserve(ix, 7), 0);
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < NX_MH_K; k++)
            sig[i].v[k] = (uint16_t)xorshift(&seed);
        cluster[i] = -1;
    }
    size_t live = 0;
    for (int round = 0; round < 4 * N; round++) {
        if (_i == 2 && round == N)
            ck_assert_int_eq(nx_dupindex_reserve(ix, N), 0);
        int i = (int)(xorshift(&seed) % N);
        if (xorshift(&seed) % 3 == 0) {
            REQUIRE(nx_dupindex_remove(ix, 1000 + i) == (cluster[i] >= 0), "remove %d", i);
            live -= cluster[i] >= 0;
            cluster[i] = -1;
        } else {
            live += cluster[i] < 0;
            cluster[i] = round;
            REQUIRE(nx_dupindex_add(ix, &sig[i], 1000 + i, round) == 0, "add %d", i);
        }
    }
    ck_assert_uint_eq(nx_dupindex_count(ix), live);
    ck_assert_uint_gt(nx_dupindex_bytes(ix), live * sizeof(nx_mh_sig));
    for (int i = 0; i < N; i++) {
        int64_t got = 7;
        REQUIRE(nx_dup_assign(ix, &sig[i], original, strlen(original), fetch_same,
                              (void *)original, &got) == 0,
                "assign");
        REQUIRE(got == cluster[i], "article %d: cluster %lld, want %lld", i, (long long)got,
                (long long)cluster[i]);
    }
    nx_dupindex_free(ix);
}
END_TEST

/* One story indexed many times: the most recent copies are found, removal
 * stays cheap and correct. */
START_TEST(popular_key)
{
    nx_dupindex *ix = nx_dupindex_new();
    nx_mh_sig s = sig_of(original);
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(nx_dupindex_add(ix, &s, i, 5000 + i), 0);
    int64_t got;
    ck_assert_int_eq(
        nx_dup_assign(ix, &s, original, strlen(original), fetch_same, (void *)original, &got), 0);
    ck_assert_int_eq(got, 5999); /* the newest, on a tie */
    for (int i = 999; i >= 10; i--)
        REQUIRE(nx_dupindex_remove(ix, i) == 1, "remove %d", i);
    ck_assert_int_eq(
        nx_dup_assign(ix, &s, original, strlen(original), fetch_same, (void *)original, &got), 0);
    ck_assert_int_eq(got, 5009);
    ck_assert_uint_eq(nx_dupindex_count(ix), 10);
    nx_dupindex_free(ix);
}
END_TEST

static Suite *minhash_suite(void)
{
    Suite *s = suite_create("minhash");

    TCase *sig = tcase_create("signature");
    tcase_add_test(sig, identical_texts_agree_fully);
    tcase_add_test(sig, copy_agrees_more_than_unrelated);
    tcase_add_test(sig, agreement_estimates_resemblance);
    tcase_add_test(sig, short_texts_not_fingerprinted);
    tcase_add_test(sig, cjk_text_fingerprinted);
    tcase_add_test(sig, band_keys);
    tcase_add_test(sig, pack_round_trip);
    tcase_add_test(sig, random_bytes);
    suite_add_tcase(s, sig);

    TCase *verify = tcase_create("verify");
    tcase_add_test(verify, containment_worked_example);
    tcase_add_test(verify, figures_tell_templates_from_copies);
    suite_add_tcase(s, verify);

    TCase *dup = tcase_create("dupindex");
    tcase_set_timeout(dup, 60);
    tcase_add_test(dup, copy_joins_original_cluster);
    tcase_add_test(dup, one_check_per_cluster);
    tcase_add_test(dup, unrelated_starts_own_cluster);
    tcase_add_test(dup, templates_not_merged);
    tcase_add_test(dup, remove_works);
    tcase_add_test(dup, window_forgets_the_oldest);
    tcase_add_test(dup, unavailable_text_skipped);
    tcase_add_loop_test(dup, index_against_model, 0, 3);
    tcase_add_test(dup, reserve_makes_room);
    tcase_add_test(dup, popular_key);
    suite_add_tcase(s, dup);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(minhash_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
