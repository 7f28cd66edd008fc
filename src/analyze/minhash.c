/* minhash.c - shingles, min-hash signatures and containment of article
 * texts (minhash.h says what they are for).
 *
 * Words come from nx_segment and are folded with nx_fold (strip = 1), as
 * exact terms are, so case, diacritics and typography never make two copies
 * differ. The lone last character a CJK run also yields (cjk_tail) is left
 * out: it is an extra word for search, not part of the word sequence, and
 * the overlapping bigrams already make CJK shingles.
 *
 * A signature streams: each shingle goes into a small hash set (to count
 * distinct ones) and, when new, through the NX_MH_K hash functions; nothing
 * is sorted. Verification (nx_mh_text) keeps sorted sets instead, since it
 * intersects them; it reads a text's words again, or takes the ones a
 * builder kept (nx_mh_words), which hold all it needs: each word's hash and
 * whether it is a figure joined to the one before.
 *
 * Each of the NX_MH_K min-hashes is the shingle hash xor-ed with its own
 * seed, multiplied by an odd constant and xor-shifted: a cheap permutation
 * of 64-bit values that behaves as a random one on hashes that are already
 * well mixed. The minimum is compared on all 64 bits; its low 16 bits are
 * kept (the high bits of a minimum are mostly zeros). */
#include "minhash.h"

#include "analyzer.h"

#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

/* splitmix64's finaliser: spreads every input bit over the whole word. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* Seeds of the NX_MH_K hash functions: the first values of splitmix64 from
 * 0, fixed forever for NX_MH_VERSION 1. */
static const uint64_t mh_seed[NX_MH_K] = {
    0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL, 0x06c45d188009454fULL, 0xf88bb8a8724c81ecULL,
    0x1b39896a51a8749bULL, 0x53cb9f0c747ea2eaULL, 0x2c829abe1f4532e1ULL, 0xc584133ac916ab3cULL,
    0x3ee5789041c98ac3ULL, 0xf3b8488c368cb0a6ULL, 0x657eecdd3cb13d09ULL, 0xc2d326e0055bdef6ULL,
    0x8621a03fe0bbdb7bULL, 0x8e1f7555983aa92fULL, 0xb54e0f1600cc4d19ULL, 0x84bb3f97971d80abULL,
};

/* ------------------------------------------------------------------- words */

/* The hash of n consecutive word hashes w[0..n); the seed keeps grams of
 * different lengths apart. Order matters: "a b c" is not "c b a". */
static uint64_t gram(const uint64_t *w, size_t n)
{
    uint64_t h = 0x5348494e474c4553ULL ^ n;
    for (size_t i = 0; i < n; i++) {
        h ^= w[i];
        h = (h ^ (h >> 32)) * 0x9e3779b97f4a7c15ULL;
    }
    return mix64(h);
}

typedef struct reader {
    char *fold; /* nx_fold's buffer, reused */
    size_t fold_cap;
} reader;

/* The hash of a folded word; *digit set when it holds an ASCII digit. */
static uint64_t folded_hash(const char *f, size_t n, int *digit)
{
    uint64_t h = FNV_OFFSET;
    int d = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)f[i];
        d |= ch >= '0' && ch <= '9';
        h ^= ch;
        h *= FNV_PRIME;
    }
    *digit = d;
    return h;
}

/* The hash of a word as folded; *digit set when it holds an ASCII digit
 * (NFKC has already made full-width digits ASCII). -1 when out of memory. */
static int word_hash(reader *r, const nx_word *w, uint64_t *out, int *digit)
{
    long fl = nx_fold(w->raw, w->raw_len, 1, &r->fold, &r->fold_cap);
    if (fl < 0)
        return -1;
    *out = folded_hash(r->fold, (size_t)fl, digit);
    return 0;
}

/* ------------------------------------------------------------ word lists */

enum { W_DIGIT = 1, W_JOINED = 2 }; /* word_list.flags */

/* A text's words in order, as verification reads them (nx_mh_words is
 * one kept by a builder). */
typedef struct word_list {
    reader rd;
    const char *text;
    uint64_t *h;          /* word hashes, in text order */
    unsigned char *flags; /* W_DIGIT, W_JOINED: a digit word right after
                             another, a single '-' or '/' between them */
    size_t n, cap;
    size_t prev_end;      /* where the previous word ended in the text */
} word_list;

struct nx_mh_words {
    word_list l;
};

/* Appends the word text[start..end) with hash h; -1 when out of memory. */
static int list_add(word_list *l, uint64_t h, int digit, size_t start, size_t end)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        uint64_t *hs = realloc(l->h, cap * sizeof *hs);
        if (!hs)
            return -1;
        l->h = hs;
        unsigned char *f = realloc(l->flags, cap);
        if (!f)
            return -1;
        l->flags = f;
        l->cap = cap;
    }
    unsigned char f = digit ? W_DIGIT : 0;
    if (digit && l->n > 0 && (l->flags[l->n - 1] & W_DIGIT) && start == l->prev_end + 1 &&
        (l->text[l->prev_end] == '-' || l->text[l->prev_end] == '/'))
        f |= W_JOINED;
    l->h[l->n] = h;
    l->flags[l->n++] = f;
    l->prev_end = end;
    return 0;
}

void nx_mh_words_free(nx_mh_words *w)
{
    if (!w)
        return;
    free(w->l.h);
    free(w->l.flags);
    free(w);
}

/* ------------------------------------------------------------- signatures */

typedef struct sig_state {
    reader rd;
    uint64_t ring[NX_MH_SHINGLE]; /* the last words' hashes */
    size_t words;
    uint64_t *seen;               /* open-addressing set of shingles, 0 empty */
    size_t seen_mask, distinct;
    uint64_t min[NX_MH_K];
} sig_state;

static int seen_insert(sig_state *s, uint64_t h)
{
    if (h == 0)
        h = 1; /* 0 marks an empty cell; merging two of 2^64 values is harmless */
    if ((s->distinct + 1) * 2 > s->seen_mask + 1) {
        size_t cap = (s->seen_mask + 1) * 2;
        uint64_t *n = calloc(cap, sizeof *n);
        if (!n)
            return -1;
        for (size_t i = 0; i <= s->seen_mask; i++) {
            if (!s->seen[i])
                continue;
            size_t j = (size_t)s->seen[i] & (cap - 1);
            while (n[j])
                j = (j + 1) & (cap - 1);
            n[j] = s->seen[i];
        }
        free(s->seen);
        s->seen = n;
        s->seen_mask = cap - 1;
    }
    /* The hashes are mixed already: their low bits index the table. */
    size_t i = (size_t)h & s->seen_mask;
    for (; s->seen[i]; i = (i + 1) & s->seen_mask)
        if (s->seen[i] == h)
            return 0;
    s->seen[i] = h;
    s->distinct++;
    return 1;
}

/* The next word of the text, by its hash. */
static int sig_add(sig_state *s, uint64_t h)
{
    s->ring[s->words % NX_MH_SHINGLE] = h;
    s->words++;
    if (s->words < NX_MH_SHINGLE)
        return 0;
    uint64_t g[NX_MH_SHINGLE];
    for (size_t i = 0; i < NX_MH_SHINGLE; i++)
        g[i] = s->ring[(s->words + i) % NX_MH_SHINGLE];
    uint64_t sh = gram(g, NX_MH_SHINGLE);
    int fresh = seen_insert(s, sh);
    if (fresh < 0)
        return -1;
    if (fresh) {
        /* One multiply per function: the shingle hash is already mixed. */
        for (int k = 0; k < NX_MH_K; k++) {
            uint64_t p = (sh ^ mh_seed[k]) * 0x9e3779b97f4a7c15ULL;
            p ^= p >> 29;
            if (p < s->min[k])
                s->min[k] = p;
        }
    }
    return 0;
}

static int sig_word(void *ctx, const nx_word *w)
{
    sig_state *s = ctx;
    if (w->cjk_tail)
        return 0;
    uint64_t h;
    int digit;
    if (word_hash(&s->rd, w, &h, &digit))
        return -1;
    return sig_add(s, h);
}

static int sig_begin(sig_state *s)
{
    memset(s, 0, sizeof *s);
    s->seen_mask = 255;
    s->seen = calloc(s->seen_mask + 1, sizeof *s->seen);
    for (int k = 0; k < NX_MH_K; k++)
        s->min[k] = UINT64_MAX;
    return s->seen ? 0 : -1;
}

/* rc: 0, or -1 when a word could not be taken. */
static int sig_end(sig_state *s, int rc, nx_mh_sig *out, size_t *nshingles)
{
    free(s->seen);
    free(s->rd.fold);
    if (nshingles)
        *nshingles = rc ? 0 : s->distinct;
    if (rc || s->distinct < NX_MH_MIN_SHINGLES) {
        memset(out, 0xff, sizeof *out);
        return rc ? -1 : NX_MH_SHORT;
    }
    for (int k = 0; k < NX_MH_K; k++)
        out->v[k] = (uint16_t)s->min[k];
    return 0;
}

int nx_mh_signature(const char *text, size_t len, nx_mh_sig *out, size_t *nshingles)
{
    sig_state s;
    int rc = sig_begin(&s);
    if (rc == 0)
        rc = nx_segment(text, len, sig_word, &s);
    return sig_end(&s, rc ? -1 : 0, out, nshingles);
}

struct nx_mh_builder {
    sig_state s;
    int failed;
    nx_mh_words *keep; /* NULL: words not kept (or lost to a failed allocation) */
};

nx_mh_builder *nx_mh_begin(const char *text)
{
    nx_mh_builder *b = malloc(sizeof *b);
    if (!b || sig_begin(&b->s) != 0) { /* sig_begin fails holding nothing */
        free(b);
        return NULL;
    }
    b->failed = 0;
    b->keep = NULL;
    if (text && !(b->keep = calloc(1, sizeof *b->keep))) {
        free(b->s.seen);
        free(b);
        return NULL;
    }
    if (b->keep)
        b->keep->l.text = text;
    return b;
}

int nx_mh_word(nx_mh_builder *b, const char *folded, size_t len, int cjk_tail, size_t start,
               size_t end)
{
    if (b->failed)
        return -1;
    if (cjk_tail)
        return 0;
    int digit;
    uint64_t h = folded_hash(folded, len, &digit);
    if (sig_add(&b->s, h) != 0)
        b->failed = 1;
    /* Without memory for the list, verification reads the text itself. */
    if (b->keep && list_add(&b->keep->l, h, digit, start, end) != 0) {
        nx_mh_words_free(b->keep);
        b->keep = NULL;
    }
    return b->failed ? -1 : 0;
}

int nx_mh_end(nx_mh_builder *b, nx_mh_sig *out, size_t *nshingles, nx_mh_words **words)
{
    int rc = sig_end(&b->s, b->failed ? -1 : 0, out, nshingles);
    if (b->keep)
        b->keep->l.text = NULL; /* only the hashes and flags are read later */
    if (words)
        *words = b->keep;
    else
        nx_mh_words_free(b->keep);
    free(b);
    return rc;
}

int nx_mh_agree(const nx_mh_sig *a, const nx_mh_sig *b)
{
    int n = 0;
    for (int k = 0; k < NX_MH_K; k++)
        n += a->v[k] == b->v[k];
    return n;
}

#if NX_MH_BANDS != 8 && NX_MH_BANDS != 16
#error "NX_MH_BANDS must be 8 or 16"
#endif

uint64_t nx_mh_band_key(const nx_mh_sig *sig, int band)
{
    int i = band < NX_MH_K / 2 ? 2 * band : 2 * (band - NX_MH_K / 2) + 1;
    int j = (i + 1) % NX_MH_K;
    return (uint64_t)(unsigned)band << 32 | (uint64_t)sig->v[i] << 16 | sig->v[j];
}

void nx_mh_pack(const nx_mh_sig *sig, unsigned char out[2 * NX_MH_K])
{
    for (int k = 0; k < NX_MH_K; k++) {
        out[2 * k] = (unsigned char)(sig->v[k] & 0xff);
        out[2 * k + 1] = (unsigned char)(sig->v[k] >> 8);
    }
}

void nx_mh_unpack(const unsigned char in[2 * NX_MH_K], nx_mh_sig *sig)
{
    for (int k = 0; k < NX_MH_K; k++)
        sig->v[k] = (uint16_t)(in[2 * k] | in[2 * k + 1] << 8);
}

/* ------------------------------------------------------------ verification */

static void swap64(uint64_t *a, uint64_t *b)
{
    uint64_t t = *a;
    *a = *b;
    *b = t;
}

/* Sorts v[0..n) ascending: quicksort with a median of three, insertion sort
 * for short runs, recursion only on the smaller side. Written out rather than
 * qsort so that comparing two words is not a call through a pointer. */
static void sort64(uint64_t *v, size_t n)
{
    while (n > 16) {
        size_t m = n / 2;
        if (v[m] < v[0])
            swap64(&v[m], &v[0]);
        if (v[n - 1] < v[0])
            swap64(&v[n - 1], &v[0]);
        if (v[n - 1] < v[m])
            swap64(&v[n - 1], &v[m]);
        uint64_t pivot = v[m];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap64(&v[i], &v[j]);
            i++;
            j--;
        }
        /* Hoare's partition: v[0..j] <= pivot <= v[j+1..n), both non-empty. */
        size_t left = j + 1;
        if (left < n - left) {
            sort64(v, left);
            v += left;
            n -= left;
        } else {
            sort64(v + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Sorts and removes repeats; returns the new length. */
static size_t sort_unique(uint64_t *v, size_t n)
{
    sort64(v, n);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || v[i] != v[u - 1])
            v[u++] = v[i];
    return u;
}

static int has(const uint64_t *v, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x;
}

/* Words of context around a figure (nx_mh_text_figures). */
#define CONTEXT 3

/* A figure is a word with a digit, or a run of them joined by single '-'
 * or '/' ("6-3/16", which the segmenter splits into 6, 3 and 16): a money
 * market rate that moved from 6-3/16 to 6-3/8 is another figure, not two
 * equal ones and a third that differs. */
typedef struct figure {
    uint64_t left, left_with;   /* the CONTEXT words before; they with the figure */
    uint64_t right, right_with; /* the CONTEXT words after, likewise; 0 at the ends */
} figure;

struct nx_mh_text {
    uint64_t *sh; /* distinct NX_MH_SHINGLE-word shingles, sorted */
    size_t nsh;
    figure *fig;  /* in text order */
    size_t nfig;
    /* Distinct and sorted: the figures' contexts, and context + figure. */
    uint64_t *left, *right, *left_with, *right_with;
    size_t nleft, nright, nleft_with, nright_with;
};

static int list_word(void *ctx, const nx_word *w)
{
    word_list *l = ctx;
    if (w->cjk_tail)
        return 0;
    uint64_t h;
    int digit;
    if (word_hash(&l->rd, w, &h, &digit))
        return -1;
    return list_add(l, h, digit, w->start, w->end);
}

/* The sorted distinct grams of n words in w[0..nw), malloc'ed (NULL, 0
 * when there are none); -1 when out of memory. */
static int grams(const uint64_t *w, size_t nw, size_t n, uint64_t **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (nw < n)
        return 0;
    uint64_t *v = malloc((nw - n + 1) * sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i + n <= nw; i++)
        v[i] = gram(w + i, n);
    *out = v;
    *nout = sort_unique(v, nw - n + 1);
    return 0;
}

static int read_words(const char *text, size_t len, word_list *l)
{
    memset(l, 0, sizeof *l);
    l->text = text;
    int rc = nx_segment(text, len, list_word, l);
    free(l->rd.fold);
    if (rc) {
        free(l->h);
        free(l->flags);
        memset(l, 0, sizeof *l);
        return -1;
    }
    return 0;
}

void nx_mh_text_free(nx_mh_text *t)
{
    if (!t)
        return;
    free(t->sh);
    free(t->fig);
    free(t->left);
    free(t->right);
    free(t->left_with);
    free(t->right_with);
    free(t);
}

/* A context and a figure as one value; `side` keeps left and right apart. */
static uint64_t with_figure(uint64_t context, uint64_t value, uint64_t side)
{
    return context ? mix64(context ^ mix64(value + side)) : 0;
}

/* Fills t's figures from the words in l; -1 when out of memory. */
static int read_figures(nx_mh_text *t, const word_list *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += (l->flags[i] & (W_DIGIT | W_JOINED)) == W_DIGIT;
    if (n == 0)
        return 0;
    t->fig = malloc(n * sizeof *t->fig);
    t->left = malloc(n * sizeof *t->left);
    t->right = malloc(n * sizeof *t->right);
    t->left_with = malloc(n * sizeof *t->left_with);
    t->right_with = malloc(n * sizeof *t->right_with);
    if (!t->fig || !t->left || !t->right || !t->left_with || !t->right_with)
        return -1;
    for (size_t i = 0; i < l->n; i++) {
        if ((l->flags[i] & (W_DIGIT | W_JOINED)) != W_DIGIT)
            continue;
        size_t end = i + 1; /* the figure is words [i, end) */
        while (end < l->n && (l->flags[end] & W_JOINED))
            end++;
        uint64_t value = gram(l->h + i, end - i);
        figure *f = &t->fig[t->nfig++];
        f->left = i >= CONTEXT ? gram(l->h + i - CONTEXT, CONTEXT) : 0;
        f->right = end + CONTEXT <= l->n ? gram(l->h + end, CONTEXT) : 0;
        f->left_with = with_figure(f->left, value, 1);
        f->right_with = with_figure(f->right, value, 2);
        if (f->left) {
            t->left[t->nleft++] = f->left;
            t->left_with[t->nleft_with++] = f->left_with;
        }
        if (f->right) {
            t->right[t->nright++] = f->right;
            t->right_with[t->nright_with++] = f->right_with;
        }
    }
    t->nleft = sort_unique(t->left, t->nleft);
    t->nright = sort_unique(t->right, t->nright);
    t->nleft_with = sort_unique(t->left_with, t->nleft_with);
    t->nright_with = sort_unique(t->right_with, t->nright_with);
    return 0;
}

static nx_mh_text *text_of(const word_list *l)
{
    nx_mh_text *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    int rc = grams(l->h, l->n, NX_MH_SHINGLE, &t->sh, &t->nsh);
    if (rc == 0)
        rc = read_figures(t, l);
    if (rc) {
        nx_mh_text_free(t);
        return NULL;
    }
    return t;
}

nx_mh_text *nx_mh_text_new(const char *text, size_t len)
{
    word_list l;
    if (read_words(text, len, &l))
        return NULL;
    nx_mh_text *t = text_of(&l);
    free(l.h);
    free(l.flags);
    return t;
}

nx_mh_text *nx_mh_text_of(const nx_mh_words *w)
{
    return text_of(&w->l);
}

size_t nx_mh_text_shingles(const nx_mh_text *t)
{
    return t->nsh;
}

static double set_containment(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    if (na == 0 || nb == 0)
        return 0.0;
    size_t i = 0, j = 0, common = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j]) {
            i++;
        } else if (a[i] > b[j]) {
            j++;
        } else {
            common++;
            i++;
            j++;
        }
    }
    return (double)common / (double)(na < nb ? na : nb);
}

double nx_mh_text_containment(const nx_mh_text *a, const nx_mh_text *b)
{
    return set_containment(a->sh, a->nsh, b->sh, b->nsh);
}

/* The figures of a checked against the wording of b. */
static void figures_in(const nx_mh_text *a, const nx_mh_text *b, int *confirmed,
                       int *contradicted)
{
    for (size_t i = 0; i < a->nfig; i++) {
        const figure *f = &a->fig[i];
        if ((f->left && has(b->left_with, b->nleft_with, f->left_with)) ||
            (f->right && has(b->right_with, b->nright_with, f->right_with)))
            (*confirmed)++;
        else if ((f->left && has(b->left, b->nleft, f->left)) ||
                 (f->right && has(b->right, b->nright, f->right)))
            (*contradicted)++;
    }
}

void nx_mh_text_figures(const nx_mh_text *a, const nx_mh_text *b, int *confirmed,
                        int *contradicted)
{
    *confirmed = *contradicted = 0;
    /* Only the shorter text's figures are checked: a longer text may say
     * "784,350 shares were reserved" and "6,800,000 shares were reserved",
     * and a copy that cut the first sentence would seem to contradict it. */
    if (b->nsh < a->nsh)
        figures_in(b, a, confirmed, contradicted);
    else
        figures_in(a, b, confirmed, contradicted);
}

int nx_mh_containment(const char *a, size_t la, const char *b, size_t lb, double *out)
{
    word_list wa, wb;
    uint64_t *sa = NULL, *sb = NULL;
    size_t na = 0, nb = 0;
    int rc = read_words(a, la, &wa);
    if (rc == 0) {
        rc = grams(wa.h, wa.n, NX_MH_SHINGLE, &sa, &na);
        free(wa.h);
        free(wa.flags);
    }
    if (rc == 0)
        rc = read_words(b, lb, &wb);
    if (rc == 0) {
        rc = grams(wb.h, wb.n, NX_MH_SHINGLE, &sb, &nb);
        free(wb.h);
        free(wb.flags);
    }
    if (rc == 0)
        *out = set_containment(sa, na, sb, nb);
    free(sa);
    free(sb);
    return rc;
}
