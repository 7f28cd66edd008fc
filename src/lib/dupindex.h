/* dupindex.h - an in-memory LSH index of min-hash signatures
 * (src/analyze/minhash.h) and the decision which cluster of near-duplicates
 * ("wire copies") a new article belongs to. Engine-neutral: the index writer
 * loads the stored signatures into it, asks nx_dup_assign for each new
 * article, stores the answer and adds the article.
 *
 * Keys and clusters are the caller's 64-bit ids (an article's rowid, say).
 * The index owns no text: verification reads candidates' texts through a
 * callback. One nx_dupindex must not be used by two threads at once; there
 * is no global state, so separate indexes are independent. */
#ifndef NX_LIB_DUPINDEX_H
#define NX_LIB_DUPINDEX_H

#include "../analyze/minhash.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The thresholds, measured with `make dupes` (bench/dupes.py: 19,043 Reuters
 * stories, 1,000 of them copied 1-4 times with cuts of up to 40%, new
 * headlines, bylines and word edits; bodies fingerprinted; bench/dupeval.c
 * sweeps each threshold with the others fixed). At these values pairwise
 * precision is 0.954 and recall 0.891 with articles read in random order,
 * 0.956 and 0.949 with copies read after their originals. Most remaining
 * "wrong" pairs are Reuters sending one story twice in versions the ground
 * truth does not know, or daily reports on one template whose figures
 * barely differ. */

/* Candidates must agree on at least this many of the NX_MH_K values before
 * their texts are read (sharing a band already means 2). 2, 3 and 4 give
 * F1 within 0.003 of each other, but 4 reads 0.31 texts per article against
 * 0.41 at 2; from 5 on, recall falls (0.872 at 5, 0.834 at 6). */
#define NX_DUP_MIN_AGREE 4
/* Shingle containment (nx_mh_containment) from which a candidate is a copy.
 * 0.4 gains 2 points of recall in random order for 0.6 of precision and
 * loses F1 in date order; 0.6 loses 5 points of recall. */
#define NX_DUP_MIN_CONTAINMENT 0.5
/* Texts this short (fewer distinct shingles in the shorter of the two)
 * must reach NX_DUP_MIN_CONTAINMENT_SHORT instead: a two or three sentence
 * brief is mostly stock wording (dividend notices, bond issues, "joins
 * NASDAQ"), so half of it is shared by briefs about different companies.
 * Without this rule precision is 0.827 / 0.845, for 0.2 points of recall. */
#define NX_DUP_SHORT_SHINGLES 40
#define NX_DUP_MIN_CONTAINMENT_SHORT 0.7
/* A candidate whose figures contradict the new text's in more than this
 * share of the places where both texts have a figure in the same wording
 * (nx_mh_text_figures) is a report on the same template, not a copy. The
 * rule lifts precision from 0.860 to 0.954 for 0.4 points of recall;
 * stricter values lose Reuters' corrected re-sends. */
#define NX_DUP_MAX_CONTRADICTED 0.25
/* At most this many candidates, best agreement first, have their texts read
 * and compared, so a popular story costs a bounded amount per new copy. 1
 * loses half a point of recall or more; more than 2 gains nothing. */
#define NX_DUP_MAX_VERIFY 2
/* At most this many most recent articles are looked at per band key: keys
 * shared by thousands of articles (one story copied thousands of times)
 * would otherwise make each new article cost O(N). */
#define NX_DUP_MAX_BUCKET 64

typedef struct nx_dupindex nx_dupindex;

/* A new, empty index; NULL when out of memory. */
nx_dupindex *nx_dupindex_new(void);
/* Frees the index; NULL is harmless. */
void nx_dupindex_free(nx_dupindex *ix);

/* Adds the article key with signature sig (which must not be a
 * NX_MH_SHORT one) in cluster. An article already there under key is
 * replaced. Returns 0, or -1 when out of memory (the index is unchanged
 * except that an earlier entry of key may be gone). */
int nx_dupindex_add(nx_dupindex *ix, const nx_mh_sig *sig, int64_t key, int64_t cluster);

/* Removes the article key (deleted or about to be re-indexed). Returns 1
 * when it was there, 0 when not. Other articles keep their clusters. */
int nx_dupindex_remove(nx_dupindex *ix, int64_t key);

/* Keeps at most the n articles added last (0: all, the default), so that
 * memory stays bounded whatever the archive's size: adding one more
 * forgets the one added longest ago (a copy of it is then no longer
 * recognised; wire copies come within days of their original). Resets the
 * count of articles added; best set before the first add. Returns 0, or -1
 * when out of memory (the index keeps its window). */
int nx_dupindex_set_window(nx_dupindex *ix, size_t n);

/* Makes room for n more articles (at most the window's worth), so that
 * adding them does not grow the index step by step: loading a million
 * stored signatures spent 8.7% of an update run rehashing. A hint: the
 * index works the same without it. Returns 0, or -1 when out of memory
 * (what was reserved stays). */
int nx_dupindex_reserve(nx_dupindex *ix, size_t n);

/* Articles in the index, and the bytes it holds (for capacity planning). */
size_t nx_dupindex_count(const nx_dupindex *ix);
size_t nx_dupindex_bytes(const nx_dupindex *ix);

/* Gives the text of article key: a malloc'ed copy in *text (the caller
 * frees it) and its length in *len. Returns 0, or nonzero when the text is
 * unavailable (the candidate is then skipped). */
typedef int (*nx_dup_text_fn)(void *ctx, int64_t key, char **text, size_t *len);

/* Thresholds of nx_dup_assign_with; nx_dup_assign uses the NX_DUP_*
 * constants above. */
typedef struct nx_dup_params {
    int min_agree;          /* NX_DUP_MIN_AGREE */
    double min_containment; /* NX_DUP_MIN_CONTAINMENT */
    int max_verify;         /* NX_DUP_MAX_VERIFY */
    double max_contradicted; /* NX_DUP_MAX_CONTRADICTED; 1 turns the test off */
    size_t short_shingles;  /* NX_DUP_SHORT_SHINGLES */
    double min_containment_short; /* NX_DUP_MIN_CONTAINMENT_SHORT */
} nx_dup_params;

/* Decides the cluster of a new article with signature sig and text
 * text[0..len): finds the indexed articles sharing a band key with sig and
 * agreeing on at least NX_DUP_MIN_AGREE values, reads the texts of the
 * NX_DUP_MAX_VERIFY that agree best through fetch(ctx, ...) (not those of
 * a cluster already confirmed: the answer would be the same), and sets
 * *cluster_out to the cluster of the one whose shingles contain best (at
 * least NX_DUP_MIN_CONTAINMENT, or NX_DUP_MIN_CONTAINMENT_SHORT when the
 * shorter text has fewer than NX_DUP_SHORT_SHINGLES; ties to better
 * agreement) among those whose figures do not contradict
 * (NX_DUP_MAX_CONTRADICTED), or to -1 when none
 * qualifies: the article starts a cluster of its own (the caller picks
 * its id, usually the article's key). A text too short to fingerprint gets
 * -1. The article itself should not be in the index (remove it first when
 * re-indexing). The index is not changed: call nx_dupindex_add next.
 * Returns 0, or -1 when out of memory (*cluster_out is then -1). */
int nx_dup_assign(nx_dupindex *ix, const nx_mh_sig *sig, const char *text, size_t len,
                  nx_dup_text_fn fetch, void *ctx, int64_t *cluster_out);

/* nx_dup_assign with the words of text a builder kept (words, not NULL;
 * minhash.h), which are then verified instead of text being read again. */
int nx_dup_assign_words(nx_dupindex *ix, const nx_mh_sig *sig, const nx_mh_words *words,
                        nx_dup_text_fn fetch, void *ctx, int64_t *cluster_out);

/* nx_dup_assign with other thresholds (params NULL: the defaults); for
 * measuring them (bench/dupeval.c). */
int nx_dup_assign_with(nx_dupindex *ix, const nx_mh_sig *sig, const char *text, size_t len,
                       nx_dup_text_fn fetch, void *ctx, const nx_dup_params *params,
                       int64_t *cluster_out);

#ifdef __cplusplus
}
#endif

#endif
