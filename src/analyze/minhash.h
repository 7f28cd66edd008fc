/* minhash.h - near-duplicate fingerprints of article texts ("wire copy"
 * detection), independent of the storage engine.
 *
 * A text is cut into words by the analyzer's segmenter (nx_segment), each
 * word folded like an exact term (nx_fold: case and diacritics), and every
 * run of NX_MH_SHINGLE consecutive words (a shingle) hashed to 64 bits.
 * The signature keeps, for each of NX_MH_K hash functions, 16 bits of the
 * shingle with the smallest hash: two texts agree on one value with a
 * probability close to the Jaccard resemblance of their shingle sets. It is
 * 32 bytes, stored with every article. Band keys (NX_MH_BANDS of them, two
 * values each) are what an index looks candidates up by; a candidate is then
 * verified on the texts themselves (nx_mh_containment).
 *
 * All functions are reentrant and use no global mutable state. */
#ifndef NX_ANALYZE_MINHASH_H
#define NX_ANALYZE_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bump when anything changes which signature a text gets (words, k, hash
 * functions, value bits, band layout): stored signatures of an older version
 * must be computed again, they cannot be compared with new ones. */
#define NX_MH_VERSION 1

/* Words per shingle. Measured with `make dupes` (bench/dupes.py: Reuters
 * with edited copies; bodies fingerprinted, as the index writer does;
 * thresholds of dupindex.h; articles read in file / date order):
 *   k = 3  precision 0.947 / 0.944  recall 0.912 / 0.967
 *   k = 4  precision 0.954 / 0.956  recall 0.891 / 0.949
 *   k = 5  precision 0.959 / 0.962  recall 0.867 / 0.940
 *   k = 6  precision 0.963 / 0.967  recall 0.840 / 0.931
 * Each word edit breaks k shingles, so recall falls as k grows; short
 * shingles are stock phrases ("the company said it") that make unrelated
 * stories candidates and template reports look alike. k = 3 has the best F1
 * here, by 0.008 / 0.003, but a point less precision and 19% more candidate
 * texts to read, with only 19,000 distractors: 4 is the safer side of that
 * trade in a big archive. Overridable only so that the benchmark can
 * measure other values. */
#ifndef NX_MH_SHINGLE
#define NX_MH_SHINGLE 4
#endif

#define NX_MH_K 16           /* min-hash values per signature */
#define NX_MH_MIN_SHINGLES 8 /* fewer distinct shingles: not fingerprinted */

/* LSH bands, two values each: the 8 disjoint pairs (0,1), (2,3) .. (14,15),
 * and with 16 also the pairs (1,2), (3,4) .. (15,0) between them. Two texts
 * become candidates when they agree on both values of some band: at a
 * resemblance of 0.3, 71% of pairs do with 16 bands, 53% with 8. Measured
 * (`make dupes`, file / date order): 16 bands recall 0.891 / 0.949, 8 bands
 * 0.848 / 0.914, precision 0.954 against 0.958; the index takes 265 bytes an
 * article against 162. Overridable (8 or 16) only so that the benchmark can
 * measure the other layout. */
#ifndef NX_MH_BANDS
#define NX_MH_BANDS 16
#endif

/* nx_mh_signature's return value for a text too short to fingerprint. */
#define NX_MH_SHORT 1

typedef struct nx_mh_sig {
    uint16_t v[NX_MH_K];
} nx_mh_sig;

/* Fingerprints text[0..len) (UTF-8, need not be NUL-terminated). Fills *out
 * and, when nshingles is not NULL, the number of distinct shingles.
 * Returns 0; NX_MH_SHORT when the text has fewer than NX_MH_MIN_SHINGLES
 * distinct shingles (*out is then all 0xffff and must not be indexed: such
 * texts are never clustered); -1 when out of memory. */
int nx_mh_signature(const char *text, size_t len, nx_mh_sig *out, size_t *nshingles);

/* A text's words as verification reads them (nx_mh_text_of), kept by a
 * builder so that the text need not be segmented and folded again. */
typedef struct nx_mh_words nx_mh_words;

/* The same signature from words handed over one by one, for a caller that
 * segments and folds the text anyway (the indexer's analysis pass, through
 * nx_analyzer_observe): each word of the text in order, folded with
 * nx_fold (strip = 1), with its cjk_tail flag and its byte offsets in the
 * text. With text not NULL (the text the offsets are in), the builder also
 * keeps the words for nx_mh_end to give. nx_mh_begin returns NULL when out
 * of memory; nx_mh_word returns 0 or -1 (out of memory: the builder is then
 * only good for nx_mh_end); nx_mh_end frees the builder and returns what
 * nx_mh_signature would, and with words not NULL sets *words to the kept
 * words (the caller frees them with nx_mh_words_free) or to NULL when none
 * were kept or they ran out of memory. */
typedef struct nx_mh_builder nx_mh_builder;
nx_mh_builder *nx_mh_begin(const char *text);
int nx_mh_word(nx_mh_builder *b, const char *folded, size_t len, int cjk_tail, size_t start,
               size_t end);
int nx_mh_end(nx_mh_builder *b, nx_mh_sig *out, size_t *nshingles, nx_mh_words **words);
void nx_mh_words_free(nx_mh_words *w);

/* The number of values on which a and b agree, 0..NX_MH_K: about
 * NX_MH_K times the Jaccard resemblance of the two shingle sets. */
int nx_mh_agree(const nx_mh_sig *a, const nx_mh_sig *b);

/* The key of band 0..NX_MH_BANDS-1: the band number in bits 32..39, the
 * band's first value in bits 16..31 and its second below. Keys are exact
 * (two signatures share a key exactly when they agree on both values of
 * that band) and keys of different bands never meet. Fits in 40 bits. */
uint64_t nx_mh_band_key(const nx_mh_sig *sig, int band);

/* Portable form of a signature: the values in order, little-endian. */
void nx_mh_pack(const nx_mh_sig *sig, unsigned char out[2 * NX_MH_K]);
void nx_mh_unpack(const unsigned char in[2 * NX_MH_K], nx_mh_sig *sig);

/* Exact verification: |A ∩ B| / min(|A|, |B|) over the shingle sets of the
 * two texts (distinct shingle hashes), in *out (0 when either has no
 * shingle). A copy cut down to part of its original still scores near 1.
 * Returns 0, or -1 when out of memory. */
int nx_mh_containment(const char *a, size_t la, const char *b, size_t lb, double *out);

/* ---- verification: one text compared with several ---- */

/* What verification compares of a text: its shingles, and its figures (the
 * words with a digit in them) with the words around them. */
typedef struct nx_mh_text nx_mh_text;

/* Reads text[0..len); NULL when out of memory. Free with nx_mh_text_free
 * (NULL is harmless). */
nx_mh_text *nx_mh_text_new(const char *text, size_t len);
/* The same from the words a builder kept of the text; NULL when out of
 * memory. w stays the caller's. */
nx_mh_text *nx_mh_text_of(const nx_mh_words *w);
void nx_mh_text_free(nx_mh_text *t);

/* Distinct shingles of the text. */
size_t nx_mh_text_shingles(const nx_mh_text *t);

/* |A ∩ B| / min(|A|, |B|) over the two shingle sets, as nx_mh_containment. */
double nx_mh_text_containment(const nx_mh_text *a, const nx_mh_text *b);

/* Compares the figures (words with a digit) of two texts where their
 * wording meets: a figure of the shorter text (fewer shingles; a on a tie)
 * is *confirmed* when the longer one has the same figure after the same
 * three words (or before the same three words), and *contradicted* when it
 * has another figure there ("trading at 6-3/8 pct" against "trading at
 * 6-3/16 pct"). Figures in wording the other text lacks (cut, rewritten)
 * count for neither. This is what tells a copy,
 * which keeps its figures, from a report written on the same template
 * (dividends, money-market operations, earnings), which changes them. */
void nx_mh_text_figures(const nx_mh_text *a, const nx_mh_text *b, int *confirmed,
                        int *contradicted);

#ifdef __cplusplus
}
#endif

#endif
