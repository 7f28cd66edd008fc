/* fts5_rank.c - nx_rank(), the FTS5 ranking function of searches: BM25 over
 * query words rather than FTS5 phrases.
 *
 * The query compiler writes a word as its terms ORed ("oil" OR "oils",
 * see compile_fts5.c), which FTS5 scores as unrelated phrases with bm25():
 * each with its own rarity, so an article saying "oils" would outrank one
 * saying "oil" because "oils" is rarer. nx_rank takes the map of
 * phrases to words the compiler made and scores each word once: its
 * occurrences are those of any of its terms, its rarity that of the
 * articles holding any of them, as FTS5 does for colocated synonyms.
 *
 *   nx_rank(articles_fts, groups, body_weight, title_weight)
 *
 * groups: the word number of each phrase, space-separated ("0 0 1"); NULL
 * or missing: each phrase is its own word. Higher is better (bm25() is the
 * opposite). Rarity is computed on first need, so the phrases of -x parts,
 * which never occur in a hit, cost nothing.
 *
 * News is written top down: the first sentences say what the story is
 * about, the rest fills in. An occurrence in the first NX_LEAD_WORDS words
 * of the body (the first column) counts NX_LEAD_WEIGHT times. The
 * constants, shared with the Xapian engine, are in ranking.h. */
#include "fts5.h"

#include "../analyze/fts5_tokenizer.h"
#include "ranking.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define K1 NX_BM25_K1
#define B NX_BM25_B
#define MAX_COLUMNS 8

typedef struct word {
    double idf;        /* < 0: not known yet */
    int nphrases;
} word;

typedef struct rank_state {
    int nphrases, nwords;
    int *group;        /* word of each phrase */
    word *words;
    double *freq;      /* per word, for the current row */
    int64_t *pos;      /* positions of a many-term word in the row */
    size_t npos, cappos;
    double avgdl;
    int64_t rows;
} rank_state;

static void state_free(void *p)
{
    rank_state *s = p;
    if (!s)
        return;
    free(s->group);
    free(s->words);
    free(s->freq);
    free(s->pos);
    free(s);
}

static rank_state *state_new(const Fts5ExtensionApi *api, Fts5Context *fts, const char *groups,
                             int *rc)
{
    rank_state *s = calloc(1, sizeof *s);
    int n = api->xPhraseCount(fts);
    if (!s || !(s->group = calloc((size_t)(n > 0 ? n : 1), sizeof *s->group))) {
        state_free(s);
        *rc = SQLITE_NOMEM;
        return NULL;
    }
    s->nphrases = n;
    const char *p = groups;
    int fits = p != NULL;
    for (int i = 0; i < n && fits; i++) {
        char *end = NULL;
        long g = strtol(p, &end, 10);
        fits = end != p && g >= 0 && g < n;
        s->group[i] = (int)g;
        p = end;
    }
    /* No map, or one that does not fit FTS5's phrases: each phrase alone. */
    if (!fits || (p && strspn(p, " ") != strlen(p)))
        for (int j = 0; j < n; j++)
            s->group[j] = j;
    for (int i = 0; i < n; i++)
        if (s->group[i] + 1 > s->nwords)
            s->nwords = s->group[i] + 1;
    s->words = calloc((size_t)(s->nwords ? s->nwords : 1), sizeof *s->words);
    s->freq = calloc((size_t)(s->nwords ? s->nwords : 1), sizeof *s->freq);
    if (!s->words || !s->freq) {
        state_free(s);
        *rc = SQLITE_NOMEM;
        return NULL;
    }
    for (int w = 0; w < s->nwords; w++)
        s->words[w].idf = -1;
    for (int i = 0; i < n; i++)
        s->words[s->group[i]].nphrases++;
    sqlite3_int64 rows = 0, tokens = 0;
    *rc = api->xRowCount(fts, &rows);
    if (*rc == SQLITE_OK)
        *rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (*rc != SQLITE_OK) {
        state_free(s);
        return NULL;
    }
    s->rows = rows;
    s->avgdl = rows > 0 ? (double)tokens / (double)rows : 1.0;
    if (s->avgdl <= 0)
        s->avgdl = 1.0;
    return s;
}

/* The articles holding any phrase of a word: a bitmap by rowid, since
 * the same article may hold several of its terms. */
typedef struct holders {
    unsigned char *bits;
    size_t nbytes;
    int64_t count;
    int oom;
} holders;

static int on_holder(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
    holders *h = ctx;
    sqlite3_int64 rowid = api->xRowid(fts);
    if (rowid < 0) {
        h->count++; /* not in the bitmap's range; rowids are positive here */
        return SQLITE_OK;
    }
    size_t byte = (size_t)(rowid >> 3);
    if (byte >= h->nbytes) {
        size_t n = h->nbytes ? h->nbytes : 4096;
        while (n <= byte)
            n *= 2;
        unsigned char *p = realloc(h->bits, n);
        if (!p) {
            h->oom = 1;
            return SQLITE_NOMEM;
        }
        memset(p + h->nbytes, 0, n - h->nbytes);
        h->bits = p;
        h->nbytes = n;
    }
    unsigned char bit = (unsigned char)(1u << (rowid & 7));
    if (!(h->bits[byte] & bit)) {
        h->bits[byte] |= bit;
        h->count++;
    }
    return SQLITE_OK;
}

static int on_count(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
    (void)api, (void)fts;
    (*(int64_t *)ctx)++;
    return SQLITE_OK;
}

static int word_idf(const Fts5ExtensionApi *api, Fts5Context *fts, rank_state *s, int w)
{
    int64_t n = 0;
    int rc = SQLITE_OK;
    if (s->words[w].nphrases == 1) {
        for (int i = 0; i < s->nphrases && rc == SQLITE_OK; i++)
            if (s->group[i] == w)
                rc = api->xQueryPhrase(fts, i, &n, on_count);
    } else {
        holders h = {0};
        for (int i = 0; i < s->nphrases && rc == SQLITE_OK; i++)
            if (s->group[i] == w)
                rc = api->xQueryPhrase(fts, i, &h, on_holder);
        free(h.bits);
        n = h.count;
        if (h.oom)
            rc = SQLITE_NOMEM;
    }
    if (rc != SQLITE_OK)
        return rc;
    /* As FTS5's bm25(): a word in more than half the articles would get a
     * negative weight; it gets a tiny positive one instead. */
    double idf = log(((double)s->rows - (double)n + 0.5) / ((double)n + 0.5));
    s->words[w].idf = idf <= 0 ? 1e-6 : idf;
    return SQLITE_OK;
}

static int add_pos(rank_state *s, int64_t p)
{
    if (s->npos == s->cappos) {
        size_t cap = s->cappos ? s->cappos * 2 : 64;
        int64_t *q = realloc(s->pos, cap * sizeof *q);
        if (!q)
            return SQLITE_NOMEM;
        s->pos = q;
        s->cappos = cap;
    }
    s->pos[s->npos++] = p;
    return SQLITE_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* What one occurrence at offset off of column col counts for. */
static double occurrence(int col, int off, const double *weight, int ncol)
{
    double w = col < ncol ? weight[col] : 1.0;
    return col == 0 && off < NX_LEAD_WORDS ? w * NX_LEAD_WEIGHT : w;
}

/* The weighted occurrences of word w in the current row. A position held
 * by two of its terms (a name's written form and its stem) counts once. */
static int word_freq(const Fts5ExtensionApi *api, Fts5Context *fts, rank_state *s, int w,
                     const double *weight, int ncol, double *out)
{
    *out = 0;
    s->npos = 0;
    for (int i = 0; i < s->nphrases; i++) {
        if (s->group[i] != w)
            continue;
        Fts5PhraseIter it;
        int col = 0, off = 0;
        int rc = api->xPhraseFirst(fts, i, &it, &col, &off);
        if (rc != SQLITE_OK)
            return rc;
        for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off)) {
            if (s->words[w].nphrases == 1) {
                *out += occurrence(col, off, weight, ncol);
            } else if ((rc = add_pos(s, ((int64_t)col << 32) | (uint32_t)off)) != SQLITE_OK) {
                return rc;
            }
        }
    }
    if (s->npos) {
        qsort(s->pos, s->npos, sizeof *s->pos, cmp_i64);
        for (size_t k = 0; k < s->npos; k++) {
            if (k && s->pos[k] == s->pos[k - 1])
                continue;
            *out += occurrence((int)(s->pos[k] >> 32), (int)(uint32_t)s->pos[k], weight, ncol);
        }
    }
    return SQLITE_OK;
}

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                    int argc, sqlite3_value **argv)
{
    int rc = SQLITE_OK;
    rank_state *s = api->xGetAuxdata(fts, 0);
    if (!s) {
        const char *groups = argc > 0 ? (const char *)sqlite3_value_text(argv[0]) : NULL;
        s = state_new(api, fts, groups, &rc);
        if (!s) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        if ((rc = api->xSetAuxdata(fts, s, state_free)) != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
    }
    double weight[MAX_COLUMNS];
    int ncol = api->xColumnCount(fts);
    if (ncol > MAX_COLUMNS)
        ncol = MAX_COLUMNS;
    for (int c = 0; c < ncol; c++)
        weight[c] = argc > c + 1 ? sqlite3_value_double(argv[c + 1]) : 1.0;
    /* A search that lists copies passes a collector after the weights:
     * every row ranked is a match, and the copies of a hit are then told
     * from its cluster without running the query again. */
    nx_fts5_matches *m = argc > ncol + 1 ? sqlite3_value_pointer(argv[ncol + 1], NX_FTS5_MATCHES)
                                         : NULL;
    if (m && nx_fts5_matches_add(m, api->xRowid(fts)) != 0) {
        sqlite3_result_error_code(ctx, SQLITE_NOMEM);
        return;
    }
    int dl = 0;
    if ((rc = api->xColumnSize(fts, -1, &dl)) != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double norm = K1 * (1 - B + B * (double)dl / s->avgdl);
    double score = 0;
    for (int w = 0; w < s->nwords; w++) {
        double f;
        if ((rc = word_freq(api, fts, s, w, weight, ncol, &f)) != SQLITE_OK)
            break;
        if (f <= 0)
            continue;
        if (s->words[w].idf < 0 && (rc = word_idf(api, fts, s, w)) != SQLITE_OK)
            break;
        score += s->words[w].idf * f * (K1 + 1) / (f + norm);
    }
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(ctx, rc);
    else
        sqlite3_result_double(ctx, score);
}

int nx_fts5_matches_add(nx_fts5_matches *m, int64_t rowid)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        int64_t *p = realloc(m->ids, cap * sizeof *p);
        if (!p)
            return -1;
        m->ids = p;
        m->cap = cap;
    }
    m->ids[m->n++] = rowid;
    m->sorted = 0;
    return 0;
}

int nx_fts5_matches_has(nx_fts5_matches *m, int64_t rowid)
{
    if (!m->sorted) {
        size_t i = 1;
        while (i < m->n && m->ids[i - 1] < m->ids[i])
            i++;
        if (i < m->n)
            qsort(m->ids, m->n, sizeof *m->ids, cmp_i64);
        m->sorted = 1;
    }
    return bsearch(&rowid, m->ids, m->n, sizeof *m->ids, cmp_i64) != NULL;
}

int nx_fts5_register_rank(sqlite3 *db)
{
    fts5_api *api = nx_fts5_api(db);
    if (!api)
        return SQLITE_ERROR;
    return api->xCreateFunction(api, "nx_rank", NULL, rank_fn, NULL);
}
