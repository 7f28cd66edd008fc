/* dupindex.c - the LSH index of min-hash signatures behind near-duplicate
 * clustering (dupindex.h says how it is used).
 *
 * Layout, chosen so that a million articles take about 300 MB at most
 * (and a window, when set, bounds the articles held):
 *   - arts[slot]: key, cluster and signature of each article (48 bytes);
 *     slots of removed articles are reused.
 *   - one posting per article and band, numbered e = slot * NX_MH_BANDS +
 *     band, so a posting stores neither its article nor its band.
 *   - band buckets: head[h] is the newest posting whose band key hashes to
 *     h, and next[e] / prev[e] chain the postings of one bucket, newest
 *     first. A bucket may hold several keys: a lookup compares the band's
 *     values in the article's signature. There are between one and two
 *     postings per bucket, so a bucket costs 2-4 bytes per posting where a
 *     table of distinct keys would cost 16 or more, and doubly linked chains
 *     make removing an article O(bands) however popular its keys are.
 *   - key table: open addressing with linear probing, the slot of each key
 *     (4 bytes a cell); deletion shifts back, so replacing articles leaves
 *     no tombstones. */
#include "dupindex.h"

#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX
/* Postings are numbered in 32 bits. */
#define MAX_SLOTS (UINT32_MAX / NX_MH_BANDS - 1)
/* The key table grows past this load (percent). */
#define MAX_LOAD 70
/* Upper bound of nx_dup_params.max_verify. */
#define VERIFY_CAP 32
/* Postings looked at per bucket, matching or not: a rare bucket shared with
 * a very popular key must not cost thousands of steps. */
#define MAX_WALK (4 * NX_DUP_MAX_BUCKET)

typedef struct art {
    int64_t key;
    int64_t cluster;
    nx_mh_sig sig;
} art;

struct nx_dupindex {
    art *arts;
    uint32_t *next, *prev;   /* per posting, NX_MH_BANDS per slot */
    size_t nslots, slot_cap; /* slots ever used, allocated */
    uint32_t *free_slots;    /* slots of removed articles */
    size_t nfree, free_cap;
    uint32_t *head;          /* band buckets: newest posting, NIL when empty */
    size_t head_mask;
    size_t postings;         /* postings in the buckets */
    uint32_t *keys;          /* key table: slots, NIL when empty */
    size_t key_mask, key_used;
    int64_t *ring;           /* with a window: keys in the order added, oldest at ring_head */
    size_t window, ring_head, ring_len;
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint32_t band_vals(const nx_mh_sig *sig, unsigned band)
{
    return (uint32_t)nx_mh_band_key(sig, (int)band);
}

static size_t bucket_of(size_t mask, unsigned band, uint32_t vals)
{
    return (size_t)mix64((uint64_t)band << 32 | vals) & mask;
}

/* The bucket of posting e. */
static size_t posting_bucket(const nx_dupindex *ix, size_t mask, uint32_t e)
{
    unsigned band = e % NX_MH_BANDS;
    return bucket_of(mask, band, band_vals(&ix->arts[e / NX_MH_BANDS].sig, band));
}

static size_t key_home(const nx_dupindex *ix, int64_t key)
{
    return (size_t)mix64((uint64_t)key) & ix->key_mask;
}

static uint32_t *nil_array(size_t n)
{
    uint32_t *a = malloc(n * sizeof *a);
    if (a)
        memset(a, 0xff, n * sizeof *a);
    return a;
}

/* ----------------------------------------------------------------- buckets */

static void bucket_push(nx_dupindex *ix, uint32_t *heads, size_t b, uint32_t e)
{
    ix->prev[e] = NIL;
    ix->next[e] = heads[b];
    if (heads[b] != NIL)
        ix->prev[heads[b]] = e;
    heads[b] = e;
}

/* Makes room for `more` postings: doubles the buckets past one posting per
 * bucket. Each old chain is moved from its oldest posting on, so postings of
 * one key keep their newest-first order. */
static int buckets_reserve(nx_dupindex *ix, size_t more)
{
    size_t n = ix->head_mask + 1;
    if (ix->postings + more <= n)
        return 0;
    size_t nn = n * 2;
    while (ix->postings + more > nn)
        nn *= 2;
    uint32_t *nh = nil_array(nn);
    if (!nh)
        return -1;
    for (size_t b = 0; b < n; b++) {
        uint32_t e = ix->head[b];
        if (e == NIL)
            continue;
        while (ix->next[e] != NIL)
            e = ix->next[e];
        while (e != NIL) {
            uint32_t older_to_newer = ix->prev[e];
            bucket_push(ix, nh, posting_bucket(ix, nn - 1, e), e);
            e = older_to_newer;
        }
    }
    free(ix->head);
    ix->head = nh;
    ix->head_mask = nn - 1;
    return 0;
}

static void posting_link(nx_dupindex *ix, uint32_t e)
{
    bucket_push(ix, ix->head, posting_bucket(ix, ix->head_mask, e), e);
    ix->postings++;
}

static void posting_unlink(nx_dupindex *ix, uint32_t e)
{
    uint32_t n = ix->next[e], p = ix->prev[e];
    if (n != NIL)
        ix->prev[n] = p;
    if (p != NIL)
        ix->next[p] = n;
    else
        ix->head[posting_bucket(ix, ix->head_mask, e)] = n;
    ix->postings--;
}

/* --------------------------------------------------------------- key table */

static int key_reserve(nx_dupindex *ix, size_t more)
{
    size_t cap = ix->key_mask + 1;
    if ((ix->key_used + more) * 100 <= cap * MAX_LOAD)
        return 0;
    size_t ncap = cap * 2;
    while ((ix->key_used + more) * 100 > ncap * MAX_LOAD)
        ncap *= 2;
    uint32_t *nk = nil_array(ncap);
    if (!nk)
        return -1;
    uint32_t *old = ix->keys;
    ix->keys = nk;
    ix->key_mask = ncap - 1;
    for (size_t i = 0; i < cap; i++) {
        if (old[i] == NIL)
            continue;
        size_t h = key_home(ix, ix->arts[old[i]].key);
        while (nk[h] != NIL)
            h = (h + 1) & ix->key_mask;
        nk[h] = old[i];
    }
    free(old);
    return 0;
}

/* The key table's cell holding key, or SIZE_MAX. */
static size_t key_find(const nx_dupindex *ix, int64_t key)
{
    size_t h = key_home(ix, key);
    for (; ix->keys[h] != NIL; h = (h + 1) & ix->key_mask)
        if (ix->arts[ix->keys[h]].key == key)
            return h;
    return SIZE_MAX;
}

/* Empties cell i, moving back the cells after it that probed past it. */
static void key_delete_cell(nx_dupindex *ix, size_t i)
{
    size_t j = i;
    for (;;) {
        j = (j + 1) & ix->key_mask;
        if (ix->keys[j] == NIL)
            break;
        size_t k = key_home(ix, ix->arts[ix->keys[j]].key);
        /* The entry at j may fill the hole at i unless its home lies
         * cyclically in (i, j]. */
        int stays = i <= j ? (k > i && k <= j) : (k > i || k <= j);
        if (!stays) {
            ix->keys[i] = ix->keys[j];
            i = j;
        }
    }
    ix->keys[i] = NIL;
    ix->key_used--;
}

/* ------------------------------------------------------------------- index */

nx_dupindex *nx_dupindex_new(void)
{
    nx_dupindex *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->head_mask = 1023;
    ix->key_mask = 63;
    ix->head = nil_array(ix->head_mask + 1);
    ix->keys = nil_array(ix->key_mask + 1);
    if (!ix->head || !ix->keys) {
        nx_dupindex_free(ix);
        return NULL;
    }
    return ix;
}

void nx_dupindex_free(nx_dupindex *ix)
{
    if (!ix)
        return;
    free(ix->arts);
    free(ix->next);
    free(ix->prev);
    free(ix->free_slots);
    free(ix->head);
    free(ix->keys);
    free(ix->ring);
    free(ix);
}

int nx_dupindex_set_window(nx_dupindex *ix, size_t n)
{
    int64_t *r = n ? malloc(n * sizeof *r) : NULL;
    if (n && !r)
        return -1;
    free(ix->ring);
    ix->ring = r;
    ix->window = n;
    ix->ring_head = ix->ring_len = 0;
    return 0;
}

/* With a window: notes key as the newest article, forgetting the oldest
 * when the window is full. An article added twice is forgotten at its
 * first entry: early, never late, so the window bounds the count. */
static void window_push(nx_dupindex *ix, int64_t key)
{
    if (!ix->window)
        return;
    if (ix->ring_len == ix->window) {
        nx_dupindex_remove(ix, ix->ring[ix->ring_head]);
        ix->ring[ix->ring_head] = key;
        ix->ring_head = (ix->ring_head + 1) % ix->window;
    } else {
        ix->ring[(ix->ring_head + ix->ring_len++) % ix->window] = key;
    }
}

/* Grows arts, next and prev to hold `more` more slots, by half again (or
 * to the size asked, when that is more): the arrays are most of the index,
 * and doubling would leave up to half of them unused. */
static int slots_reserve(nx_dupindex *ix, size_t more)
{
    if (ix->nfree + (ix->slot_cap - ix->nslots) >= more)
        return 0;
    size_t need = ix->nslots + (more - ix->nfree);
    if (need > MAX_SLOTS)
        return -1;
    size_t cap = ix->slot_cap ? ix->slot_cap + ix->slot_cap / 2 : 64;
    if (cap < need)
        cap = need;
    if (cap > MAX_SLOTS)
        cap = MAX_SLOTS;
    /* Each array is replaced as soon as it has grown, so a failure part-way
     * leaves some larger than slot_cap says, never smaller. */
    art *a = realloc(ix->arts, cap * sizeof *a);
    if (!a)
        return -1;
    ix->arts = a;
    uint32_t *n = realloc(ix->next, cap * NX_MH_BANDS * sizeof *n);
    if (!n)
        return -1;
    ix->next = n;
    uint32_t *p = realloc(ix->prev, cap * NX_MH_BANDS * sizeof *p);
    if (!p)
        return -1;
    ix->prev = p;
    ix->slot_cap = cap;
    return 0;
}

int nx_dupindex_remove(nx_dupindex *ix, int64_t key)
{
    size_t c = key_find(ix, key);
    if (c == SIZE_MAX)
        return 0;
    uint32_t slot = ix->keys[c];
    if (ix->nfree == ix->free_cap) {
        size_t cap = ix->free_cap ? ix->free_cap * 2 : 64;
        uint32_t *f = realloc(ix->free_slots, cap * sizeof *f);
        if (f) {
            ix->free_slots = f;
            ix->free_cap = cap;
        }
    }
    for (unsigned b = 0; b < NX_MH_BANDS; b++)
        posting_unlink(ix, slot * NX_MH_BANDS + b);
    key_delete_cell(ix, c);
    /* Without memory for the free list the slot is only not reused. */
    if (ix->nfree < ix->free_cap)
        ix->free_slots[ix->nfree++] = slot;
    return 1;
}

int nx_dupindex_reserve(nx_dupindex *ix, size_t n)
{
    if (ix->window && n > ix->window)
        n = ix->window;
    if (n > MAX_SLOTS)
        n = MAX_SLOTS;
    return slots_reserve(ix, n) || buckets_reserve(ix, n * NX_MH_BANDS) || key_reserve(ix, n) ? -1
                                                                                                : 0;
}

int nx_dupindex_add(nx_dupindex *ix, const nx_mh_sig *sig, int64_t key, int64_t cluster)
{
    nx_dupindex_remove(ix, key);
    window_push(ix, key);
    /* Everything that can fail comes first, so a failure changes nothing. */
    if (slots_reserve(ix, 1) || buckets_reserve(ix, NX_MH_BANDS) || key_reserve(ix, 1))
        return -1;
    uint32_t slot = ix->nfree > 0 ? ix->free_slots[--ix->nfree] : (uint32_t)ix->nslots++;
    ix->arts[slot].key = key;
    ix->arts[slot].cluster = cluster;
    ix->arts[slot].sig = *sig;
    for (unsigned b = 0; b < NX_MH_BANDS; b++)
        posting_link(ix, slot * NX_MH_BANDS + b);
    size_t h = key_home(ix, key);
    while (ix->keys[h] != NIL)
        h = (h + 1) & ix->key_mask;
    ix->keys[h] = slot;
    ix->key_used++;
    return 0;
}

size_t nx_dupindex_count(const nx_dupindex *ix)
{
    return ix->key_used;
}

size_t nx_dupindex_bytes(const nx_dupindex *ix)
{
    return sizeof *ix + ix->slot_cap * (sizeof(art) + 2 * NX_MH_BANDS * sizeof(uint32_t)) +
           ix->free_cap * sizeof(uint32_t) + (ix->head_mask + 1) * sizeof(uint32_t) +
           (ix->key_mask + 1) * sizeof(uint32_t) + ix->window * sizeof(int64_t);
}

/* ------------------------------------------------------------------ assign */

typedef struct candidate {
    uint32_t slot;
    int agree;
} candidate;

/* Keeps the best `cap` candidates by agreement in top[0..*n), best first;
 * an article met again through another band is not added twice. */
static void keep(candidate *top, int *n, int cap, uint32_t slot, int agree)
{
    for (int i = 0; i < *n; i++)
        if (top[i].slot == slot)
            return;
    if (*n == cap && top[cap - 1].agree >= agree)
        return;
    int i = *n < cap ? (*n)++ : cap - 1;
    for (; i > 0 && top[i - 1].agree < agree; i--)
        top[i] = top[i - 1];
    top[i].slot = slot;
    top[i].agree = agree;
}

/* words, when not NULL, stand for text. */
static int assign(nx_dupindex *ix, const nx_mh_sig *sig, const nx_mh_words *words,
                  const char *text, size_t len, nx_dup_text_fn fetch, void *ctx,
                  const nx_dup_params *params, int64_t *cluster_out)
{
    static const nx_dup_params defaults = {
        NX_DUP_MIN_AGREE,        NX_DUP_MIN_CONTAINMENT, NX_DUP_MAX_VERIFY,
        NX_DUP_MAX_CONTRADICTED, NX_DUP_SHORT_SHINGLES,  NX_DUP_MIN_CONTAINMENT_SHORT};
    if (!params)
        params = &defaults;
    int cap = params->max_verify < 1 ? 1 : params->max_verify > VERIFY_CAP ? VERIFY_CAP
                                                                           : params->max_verify;
    *cluster_out = -1;

    candidate top[VERIFY_CAP];
    int ntop = 0;
    for (unsigned b = 0; b < NX_MH_BANDS; b++) {
        uint32_t vals = band_vals(sig, b);
        int matched = 0, walked = 0;
        for (uint32_t e = ix->head[bucket_of(ix->head_mask, b, vals)];
             e != NIL && matched < NX_DUP_MAX_BUCKET && walked < MAX_WALK;
             e = ix->next[e], walked++) {
            uint32_t slot = e / NX_MH_BANDS;
            if (e % NX_MH_BANDS != b || band_vals(&ix->arts[slot].sig, b) != vals)
                continue; /* another key in the same bucket */
            matched++;
            int agree = nx_mh_agree(sig, &ix->arts[slot].sig);
            if (agree >= params->min_agree)
                keep(top, &ntop, cap, slot, agree);
        }
    }
    if (ntop == 0)
        return 0;

    /* Only now is the new text read again: most articles have no candidate. */
    nx_mh_text *mine = words ? nx_mh_text_of(words) : nx_mh_text_new(text, len);
    if (!mine)
        return -1;
    int rc = 0;
    double best = -1.0;     /* best containment that passed its threshold */
    uint32_t best_slot = NIL;
    for (int i = 0; i < ntop && nx_mh_text_shingles(mine) >= NX_MH_MIN_SHINGLES; i++) {
        /* Only the cluster is the answer: one confirmed candidate settles
         * its cluster's others (9% of the checks on the 100 MB bench). */
        if (best_slot != NIL && ix->arts[top[i].slot].cluster == ix->arts[best_slot].cluster)
            continue;
        char *t = NULL;
        size_t tl = 0;
        if (fetch(ctx, ix->arts[top[i].slot].key, &t, &tl) != 0)
            continue; /* unavailable: nothing was allocated */
        nx_mh_text *theirs = nx_mh_text_new(t ? t : "", t ? tl : 0);
        free(t);
        if (!theirs) {
            rc = -1;
            break;
        }
        double c = nx_mh_text_containment(mine, theirs);
        size_t shorter = nx_mh_text_shingles(theirs);
        if (nx_mh_text_shingles(mine) < shorter)
            shorter = nx_mh_text_shingles(mine);
        int confirmed, contradicted;
        nx_mh_text_figures(mine, theirs, &confirmed, &contradicted);
        nx_mh_text_free(theirs);
        double need = params->min_containment;
        if (shorter < params->short_shingles && need < params->min_containment_short)
            need = params->min_containment_short;
        if (c < need)
            continue;
        if (contradicted > params->max_contradicted * (confirmed + contradicted))
            continue;
        /* Candidates come best agreement first: a tie keeps the earlier. */
        if (c > best) {
            best = c;
            best_slot = top[i].slot;
        }
    }
    nx_mh_text_free(mine);
    if (rc)
        return -1;
    if (best_slot != NIL)
        *cluster_out = ix->arts[best_slot].cluster;
    return 0;
}

int nx_dup_assign_with(nx_dupindex *ix, const nx_mh_sig *sig, const char *text, size_t len,
                       nx_dup_text_fn fetch, void *ctx, const nx_dup_params *params,
                       int64_t *cluster_out)
{
    return assign(ix, sig, NULL, text, len, fetch, ctx, params, cluster_out);
}

int nx_dup_assign(nx_dupindex *ix, const nx_mh_sig *sig, const char *text, size_t len,
                  nx_dup_text_fn fetch, void *ctx, int64_t *cluster_out)
{
    return assign(ix, sig, NULL, text, len, fetch, ctx, NULL, cluster_out);
}

int nx_dup_assign_words(nx_dupindex *ix, const nx_mh_sig *sig, const nx_mh_words *words,
                        nx_dup_text_fn fetch, void *ctx, int64_t *cluster_out)
{
    return assign(ix, sig, words, NULL, 0, fetch, ctx, NULL, cluster_out);
}
