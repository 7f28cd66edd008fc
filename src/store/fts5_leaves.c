/* fts5_leaves.c - the written words of the FTS5 index and their article
 * counts, read straight from its segment leaves, and the sizes of its
 * segments (see fts5_leaves.h). Kept
 * apart from the rest of the reading code so that it can be fuzzed on its
 * own (tests/fuzz/fuzz_fts5_leaves.c): it parses pages of the index file. */
#include "fts5_leaves.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* fts5vocab would do, but it decodes every position of every word it
 * passes, through one iterator per segment: the words of one letter (a
 * did-you-mean scan) cost ~75M instructions on Reuters, ~20 ms. They are
 * therefore read straight from the FTS5 segment leaves, counting doclist
 * entries without decoding positions: ~10M. The format (SQLite's
 * ext/fts5/fts5_index.c) is stable, since files written by any version must
 * stay readable:
 *
 *   - articles_fts_data row 10, the structure: a 4-byte cookie, then
 *     varints: levels, segments, write counter; per level: segments being
 *     merged, segments, then per segment (oldest first) its id, first and
 *     last leaf page. A version-2 record (0xff 00 00 01 after the cookie,
 *     contentless_delete tables) is not read here.
 *   - Leaf page pgno of segment s is row (s << 37) + pgno. It starts with two
 *     big-endian 16-bit numbers: the offset of its first rowid when that
 *     comes before its first word (else 0), and the offset of the footer,
 *     which holds the offset of each word starting on the page, as varints,
 *     each a delta from the previous one.
 *   - A word is its length and bytes when first on its page, else the
 *     number of bytes it shares with the word before and the new bytes;
 *     words of the main index start with the byte '0'. Its doclist follows:
 *     per article the rowid (absolute when first in the doclist or on the
 *     page, else a delta), the size of its position list * 2 + a delete
 *     flag, then the positions, which may run on over the next pages (after
 *     their 4-byte header).
 *   - articles_fts_idx(segid, term, pgno) has, for each leaf page where a
 *     word starts, a prefix of that word no greater than it, and pgno * 2
 *     (+1 when the page has a doclist index).
 *
 * A rowid appears in several segments when its article was deleted or
 * replaced: the newest entry decides, and one without positions (a
 * deletion) means gone. The delete flag does not tell which entries stand
 * over older ones: when a deletion and the new text were written out apart
 * (FTS5 writes out its pending words at every statement savepoint) and
 * merged together later, the new text's unflagged entry survives and the
 * old text's stays in an older segment. So each segment's words are
 * counted on their own, with the range of rowids each word's doclist
 * spans; a word whose ranges overlap in two segments is then counted again
 * from its doclists, newest segment first, each rowid taken from the first
 * that holds it. Archives mostly grow at the end, so segments of different
 * runs rarely overlap and that second count is rare. Anything unexpected
 * sends the call to fts5vocab instead (nothing was reported by then), as
 * does an open transaction, in which FTS5 may hold words in memory only. */

#define VOCAB_FALLBACK (-1)     /* not for this reader (unexpected data): ask
                                 * fts5vocab */
#define VOCAB_KEY_MAX 1024      /* longest word read here */

typedef unsigned char u8;

typedef struct vseg {
    int id, first, last; /* segment id, first and last leaf page */
} vseg;

typedef struct vterm {
    size_t off, len; /* the word in the arena, NUL-terminated, '0' included */
    int64_t n;       /* articles holding it */
    size_t loc;      /* its first doclist in vread.locs, + 1 */
} vterm;

/* Where a word's doclist is in one segment, and the rowids it spans. */
typedef struct vloc {
    int seg;          /* the segment's place in vread.segs, 0 the newest */
    int pgno, off;    /* its page and offset there */
    int end;          /* where the next word starts on that page */
    int64_t lo, hi;   /* its first and last rowid */
    size_t next;      /* the word's next doclist in vread.locs, + 1; 0 none */
} vloc;

/* An entry of a doclist: its rowid, and whether it has positions. */
typedef struct ventry {
    int64_t rowid;
    int live;
} ventry;

typedef struct vread {
    sqlite3 *db;
    sqlite3_blob *blob;   /* on articles_fts_data, moved from page to page */
    sqlite3_stmt *seek;   /* the page holding the last word <= a key */
    sqlite3_stmt *next;   /* the first page holding a word > a word */
    int rc;               /* SQLITE_OK, an SQLite error or VOCAB_FALLBACK */
    /* the current page */
    u8 *p;
    size_t cap;
    int n, szleaf, rowid_off;
    int foot;             /* read position in the footer */
    int next_term;        /* offset of the next word on the page, szleaf if none */
    int first_term;       /* the next word is the first on its page */
    int pgno;
    /* the current word */
    u8 word[VOCAB_KEY_MAX];
    int wlen;
    /* what was found */
    char *arena;
    size_t alen, acap;
    vterm *terms;         /* the words of the segment being read, in order */
    size_t nterms, cterms;
    vseg *segs;           /* the segments, newest first */
    int nsegs, seg;       /* how many; the one being read */
    vloc *locs;           /* the doclists of the words found */
    size_t nlocs, clocs;
    ventry *ents;         /* entries collected, when recounting a word */
    size_t nents, cents;
    int collect;          /* collect entries into ents as well as count them */
    nx_word_want_fn want; /* words not wanted are passed over, doclists unread */
    void *want_ctx;
} vread;

static int vr_varint(const u8 *p, int end, int *off, uint64_t *v)
{
    /* SQLite's varint: 7 bits a byte while the high bit is set, then a
     * ninth byte of 8 bits. */
    uint64_t x = 0;
    for (int i = 0; i < 9; i++) {
        if (*off >= end)
            return VOCAB_FALLBACK;
        u8 c = p[(*off)++];
        if (i == 8) {
            *v = (x << 8) | c;
            return SQLITE_OK;
        }
        x = (x << 7) | (c & 0x7f);
        if (!(c & 0x80)) {
            *v = x;
            return SQLITE_OK;
        }
    }
    return VOCAB_FALLBACK;
}

/* A varint, the common one-byte case first. */
static inline int vr_get(const u8 *p, int end, int *off, uint64_t *v)
{
    if (*off < end && p[*off] < 0x80) {
        *v = p[(*off)++];
        return SQLITE_OK;
    }
    return vr_varint(p, end, off, v);
}

/* A varint that must fit an int; sets r->rc otherwise. */
static int vr_int(vread *r, int end, int *off)
{
    uint64_t v = 0;
    if (r->rc == SQLITE_OK && (r->rc = vr_get(r->p, end, off, &v)) == SQLITE_OK &&
        v > 0x7fffffff)
        r->rc = VOCAB_FALLBACK;
    return r->rc == SQLITE_OK ? (int)v : 0;
}

/* p with room for need items of size bytes (*cap of them); sets *rc and
 * returns p as it was when out of memory. */
static void *vr_grow(void *p, size_t *cap, size_t need, size_t size, int *rc)
{
    if (need <= *cap || *rc != SQLITE_OK)
        return p;
    size_t c = *cap ? *cap * 2 : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(p, c * size);
    if (!q) {
        *rc = SQLITE_NOMEM;
        return p;
    }
    *cap = c;
    return q;
}

/* Makes leaf page pgno of seg the current page. */
static void vr_load(vread *r, const vseg *seg, int pgno)
{
    if (r->rc != SQLITE_OK)
        return;
    sqlite3_int64 row = ((sqlite3_int64)seg->id << 37) + pgno;
    int rc = pgno > seg->last ? VOCAB_FALLBACK
             : r->blob         ? sqlite3_blob_reopen(r->blob, row)
                               : sqlite3_blob_open(r->db, "main", "articles_fts_data", "block",
                                                   row, 0, &r->blob);
    int n = rc == SQLITE_OK ? sqlite3_blob_bytes(r->blob) : 0;
    if (rc == SQLITE_OK && n < 4)
        rc = VOCAB_FALLBACK;
    r->p = vr_grow(r->p, &r->cap, (size_t)n, 1, &rc);
    if (rc == SQLITE_OK)
        rc = sqlite3_blob_read(r->blob, r->p, n, 0);
    if (rc == SQLITE_ERROR)
        rc = VOCAB_FALLBACK; /* no such page */
    r->rc = rc;
    if (rc != SQLITE_OK)
        return;
    r->n = n;
    r->pgno = pgno;
    r->rowid_off = (r->p[0] << 8) | r->p[1];
    r->szleaf = (r->p[2] << 8) | r->p[3];
    if (r->szleaf < 4 || r->szleaf > n ||
        (r->rowid_off && (r->rowid_off < 4 || r->rowid_off >= r->szleaf))) {
        r->rc = VOCAB_FALLBACK;
        return;
    }
    r->foot = r->szleaf;
    r->first_term = 1;
    r->next_term = r->szleaf;
    if (r->foot < n) {
        r->next_term = vr_int(r, n, &r->foot);
        if (r->rc == SQLITE_OK && (r->next_term < 4 || r->next_term >= r->szleaf))
            r->rc = VOCAB_FALLBACK;
    }
}

/* Reads the word at r->next_term into r->word; returns the offset of its
 * doclist. */
static int vr_word(vread *r)
{
    int off = r->next_term;
    int keep = r->first_term ? 0 : vr_int(r, r->szleaf, &off);
    int len = vr_int(r, r->szleaf, &off);
    if (r->rc == SQLITE_OK &&
        (keep > r->wlen || len > VOCAB_KEY_MAX - keep || len > r->szleaf - off))
        r->rc = VOCAB_FALLBACK;
    if (r->rc != SQLITE_OK)
        return 0;
    memcpy(r->word + keep, r->p + off, (size_t)len);
    r->wlen = keep + len;
    r->first_term = 0;
    if (r->foot < r->n) {
        int d = vr_int(r, r->n, &r->foot);
        if (r->rc == SQLITE_OK && (d <= 0 || d >= r->szleaf - r->next_term))
            r->rc = VOCAB_FALLBACK;
        r->next_term += d;
    } else {
        r->next_term = r->szleaf;
    }
    return off + len;
}

/* Moves to the first leaf page of seg after the current one where a word
 * greater than the current word starts; 0 when there is none. */
static int vr_next_page(vread *r, const vseg *seg)
{
    if (!r->next &&
        (r->rc = sqlite3_prepare_v2(r->db,
                                    "SELECT pgno FROM main.articles_fts_idx WHERE segid = ?1 "
                                    "AND term > ?2 ORDER BY term LIMIT 1",
                                    -1, &r->next, NULL)) != SQLITE_OK)
        return 0;
    sqlite3_reset(r->next);
    sqlite3_bind_int(r->next, 1, seg->id);
    sqlite3_bind_blob(r->next, 2, r->word, r->wlen, SQLITE_STATIC);
    int rc = sqlite3_step(r->next);
    if (rc != SQLITE_ROW) {
        if (rc != SQLITE_DONE)
            r->rc = rc;
        return 0;
    }
    int pg = (int)(sqlite3_column_int64(r->next, 0) >> 1);
    if (pg <= r->pgno)
        pg = r->pgno + 1;
    if (pg > seg->last)
        return 0;
    vr_load(r, seg, pg);
    if (r->rc == SQLITE_OK && r->next_term == r->szleaf)
        r->rc = VOCAB_FALLBACK; /* the index says a word starts there */
    return r->rc == SQLITE_OK;
}

/* Moves past the doclist of the current word, unread, to the next word
 * of seg; 0 when there is none. The next page usually has one (doclists
 * of a page or more are few), which is cheaper than asking the index. */
static int vr_skip(vread *r, const vseg *seg)
{
    if (r->next_term < r->szleaf)
        return 1;
    if (r->pgno >= seg->last)
        return 0;
    int pgno = r->pgno;
    vr_load(r, seg, pgno + 1);
    if (r->rc != SQLITE_OK)
        return 0;
    if (r->next_term < r->szleaf)
        return 1;
    r->pgno = pgno + 1;
    return vr_next_page(r, seg);
}

/* Counts the entries of a doclist from off (at a rowid delta, *rowid the
 * rowid before) while they lie wholly before end and have no delete flag,
 * as fast as it can: this is most of the work. Returns where it stopped;
 * the caller reads the entry there more slowly. */
static int vr_count_run(const u8 *p, int off, int end, int64_t *n, int64_t *rowid)
{
    int64_t k = 0;
    uint64_t id = (uint64_t)*rowid;
    while (off < end) {
        int o;
        uint64_t delta, size;
        if (p[off] < 0x80 && off + 1 < end && p[off + 1] < 0x80) {
            /* most entries: a one-byte rowid delta and a one-byte size */
            delta = p[off];
            size = p[off + 1];
            o = off + 2;
        } else {
            o = off;
            if (vr_get(p, end, &o, &delta) != SQLITE_OK || vr_get(p, end, &o, &size) != SQLITE_OK)
                break;
        }
        /* A size past the page (damaged, or positions running on) is read
         * by the caller; added first, a huge one would wrap around. */
        if ((size & 1) || (size >> 1) > (uint64_t)(end - o))
            break;
        o += (int)(size >> 1);
        k += size > 1;
        id += delta;
        off = o;
    }
    *n += k;
    *rowid = (int64_t)id;
    return off;
}

/* Makes the next page of seg current, for a doclist that runs on. */
static void vr_turn(vread *r, const vseg *seg)
{
    if (r->rc == SQLITE_OK && r->pgno == seg->last)
        r->rc = VOCAB_FALLBACK;
    vr_load(r, seg, r->pgno + 1);
}

/* Reads the doclist at off on the current page (the current word's, which
 * ends there at r->next_term): adds to *n its entries that have positions,
 * sets *lo and *hi to its first and last rowid and, with r->collect,
 * appends its entries to r->ents. Leaves the current page where the next
 * word starts, or at the segment's end. */
static void vr_doclist(vread *r, const vseg *seg, int off, int64_t *n_out, int64_t *lo,
                       int64_t *hi)
{
    int64_t rowid = 0, n = 0;
    uint64_t v, size;
    /* 1: the next rowid is absolute (first in the doclist); 2: it is also
     * the first on its page, where the page header says */
    int first = 1, start = 1;
    *lo = *hi = 0;
    while (r->rc == SQLITE_OK) {
        const u8 *p = r->p;
        int end = r->next_term; /* the next word, or the end of the page */
        while (off < end) {
            if (!r->collect && !first &&
                (off = vr_count_run(p, off, end, &n, &rowid)) >= end)
                break;
            if (first == 2 && off != r->rowid_off)
                goto corrupt;
            if (vr_get(p, end, &off, &v) != SQLITE_OK)
                goto corrupt;
            rowid = first ? (int64_t)v : (int64_t)((uint64_t)rowid + v);
            if (start)
                *lo = rowid, start = 0;
            first = 0;
            if (off >= end) { /* the size starts the next page */
                if (off != end || end != r->szleaf)
                    goto corrupt;
                vr_turn(r, seg);
                if (r->rc != SQLITE_OK)
                    break;
                p = r->p, end = r->next_term, off = 4, first = 2;
            }
            if (vr_get(p, end, &off, &size) != SQLITE_OK)
                goto corrupt;
            n += size > 1;
            if (r->collect) {
                r->ents = vr_grow(r->ents, &r->cents, r->nents + 1, sizeof *r->ents, &r->rc);
                if (r->rc != SQLITE_OK)
                    break;
                r->ents[r->nents++] = (ventry){rowid, size > 1};
            }
            uint64_t skip = size >> 1;
            while (r->rc == SQLITE_OK && skip > (uint64_t)(end - off)) {
                /* the positions run on over the next page */
                if (end != r->szleaf)
                    goto corrupt;
                skip -= (uint64_t)(end - off);
                vr_turn(r, seg);
                p = r->p, end = r->next_term, off = 4, first = 2;
            }
            if (r->rc != SQLITE_OK)
                break;
            off += (int)skip;
        }
        if (r->rc != SQLITE_OK)
            break;
        if (off != end)
            goto corrupt;
        if (end < r->szleaf || r->pgno == seg->last)
            break; /* the next word, or the end of the segment */
        /* The doclist may go on at the top of the next page. */
        vr_load(r, seg, r->pgno + 1);
        if (r->rc != SQLITE_OK)
            break;
        if (r->rowid_off == 0) {
            if (r->next_term != 4)
                goto corrupt;
            break; /* the page starts with a word */
        }
        off = 4;
        first = 2;
    }
    *hi = rowid;
    *n_out += n;
    return;
corrupt:
    if (r->rc == SQLITE_OK)
        r->rc = VOCAB_FALLBACK;
}

/* Compares the current word with the n bytes at w. */
static int vr_cmp(const vread *r, const void *w, size_t n)
{
    size_t m = (size_t)r->wlen < n ? (size_t)r->wlen : n;
    int c = memcmp(r->word, w, m);
    return c ? c : ((size_t)r->wlen > n) - ((size_t)r->wlen < n);
}

/* Reads the words of seg that start with key into r->terms, in order, with
 * the articles they count in this segment. */
static void vr_segment(vread *r, const vseg *seg, const u8 *key, int nkey)
{
    int pg = seg->first;
    if (seg->last > seg->first) { /* find the page to start from */
        sqlite3_reset(r->seek);
        sqlite3_bind_int(r->seek, 1, seg->id);
        sqlite3_bind_blob(r->seek, 2, key, nkey, SQLITE_STATIC);
        int rc = sqlite3_step(r->seek);
        if (rc == SQLITE_ROW && (int)(sqlite3_column_int64(r->seek, 0) >> 1) > pg)
            pg = (int)(sqlite3_column_int64(r->seek, 0) >> 1);
        else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            r->rc = rc;
    }
    if (pg > seg->last)
        return;
    r->wlen = 0;
    vr_load(r, seg, pg);
    if (r->rc == SQLITE_OK && r->next_term == r->szleaf && !vr_next_page(r, seg))
        return;
    while (r->rc == SQLITE_OK) {
        int off = vr_word(r);
        if (r->rc != SQLITE_OK)
            return;
        int c = vr_cmp(r, key, (size_t)nkey);
        if (c > 0 && (r->wlen < nkey || memcmp(r->word, key, (size_t)nkey) != 0))
            return; /* past the words starting with key */
        if (c < 0) {
            if (r->next_term == r->szleaf && !vr_next_page(r, seg))
                return; /* no word follows in this segment */
            continue;
        }
        if (r->want && (r->wlen < 2 || r->word[1] == '~' ||
                        !r->want(r->want_ctx, (const char *)r->word + 1, (size_t)r->wlen - 1))) {
            if (!vr_skip(r, seg))
                return;
            continue;
        }
        /* Keep the word, '0' included, in the arena, and where its
         * doclist is. */
        r->arena = vr_grow(r->arena, &r->acap, r->alen + (size_t)r->wlen + 1, 1, &r->rc);
        r->terms = vr_grow(r->terms, &r->cterms, r->nterms + 1, sizeof *r->terms, &r->rc);
        r->locs = vr_grow(r->locs, &r->clocs, r->nlocs + 1, sizeof *r->locs, &r->rc);
        if (r->rc != SQLITE_OK)
            return;
        vterm *t = &r->terms[r->nterms++];
        vloc *l = &r->locs[r->nlocs++];
        *t = (vterm){r->alen, (size_t)r->wlen, 0, r->nlocs};
        *l = (vloc){r->seg, r->pgno, off, r->next_term, 0, 0, 0};
        memcpy(r->arena + r->alen, r->word, (size_t)r->wlen);
        r->arena[r->alen + (size_t)r->wlen] = '\0';
        r->alen += (size_t)r->wlen + 1;
        vr_doclist(r, seg, off, &t->n, &l->lo, &l->hi);
        if (r->next_term == r->szleaf)
            return; /* the end of the segment */
    }
}

/* The segments of the structure record, newest first. */
static int vr_structure(sqlite3 *db, vseg **out, int *nout)
{
    *out = NULL;
    *nout = 0;
    vread r;
    memset(&r, 0, sizeof r);
    sqlite3_stmt *st = NULL;
    /* Only the default detail=full has the layout read here. */
    r.rc = sqlite3_prepare_v2(db,
                              "SELECT block FROM main.articles_fts_data WHERE id = 10 AND NOT "
                              "(SELECT sql LIKE '%detail%' OR sql LIKE '%locale%' OR sql LIKE "
                              "'%contentless_delete%' FROM main.sqlite_master WHERE name = "
                              "'articles_fts')",
                              -1, &st, NULL);
    if (r.rc == SQLITE_OK)
        r.rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : VOCAB_FALLBACK;
    r.p = r.rc == SQLITE_OK ? (u8 *)sqlite3_column_blob(st, 0) : NULL;
    int n = r.rc == SQLITE_OK ? sqlite3_column_bytes(st, 0) : 0, off = 4;
    if (r.rc == SQLITE_OK && (!r.p || n < 5 || r.p[4] == 0xff))
        r.rc = VOCAB_FALLBACK; /* a version-2 record goes on with 0xff */
    int nlevel = vr_int(&r, n, &off), nsegs = vr_int(&r, n, &off), got = 0;
    uint64_t counter;
    if (r.rc == SQLITE_OK)
        r.rc = vr_varint(r.p, n, &off, &counter);
    if (r.rc == SQLITE_OK && (nlevel > 64 || nsegs > 65536))
        r.rc = VOCAB_FALLBACK;
    vseg *segs = NULL;
    if (r.rc == SQLITE_OK && nsegs > 0 && !(segs = malloc((size_t)nsegs * sizeof *segs)))
        r.rc = SQLITE_NOMEM;
    for (int l = 0; r.rc == SQLITE_OK && l < nlevel; l++) {
        vr_int(&r, n, &off); /* segments being merged */
        int k = vr_int(&r, n, &off);
        if (r.rc == SQLITE_OK && k > nsegs - got)
            r.rc = VOCAB_FALLBACK;
        for (int i = k - 1; r.rc == SQLITE_OK && i >= 0; i--) { /* oldest first there */
            vseg *s = &segs[got + i];
            s->id = vr_int(&r, n, &off);
            s->first = vr_int(&r, n, &off);
            s->last = vr_int(&r, n, &off);
            if (r.rc == SQLITE_OK && (s->id <= 0 || s->id > 0xffff || s->first < 1))
                r.rc = VOCAB_FALLBACK;
        }
        got += k;
    }
    if (r.rc == SQLITE_OK && got != nsegs)
        r.rc = VOCAB_FALLBACK;
    sqlite3_finalize(st);
    if (r.rc != SQLITE_OK) {
        free(segs);
        return r.rc;
    }
    *out = segs;
    *nout = nsegs;
    return SQLITE_OK;
}

int nx_fts5_segment_pages(sqlite3 *db, int64_t *total, int64_t *largest)
{
    *total = *largest = 0;
    vseg *segs;
    int n;
    int rc = vr_structure(db, &segs, &n);
    if (rc == VOCAB_FALLBACK)
        return SQLITE_OK;
    for (int i = 0; rc == SQLITE_OK && i < n; i++) {
        int64_t pages = segs[i].last >= segs[i].first ? segs[i].last - segs[i].first + 1 : 0;
        *total += pages;
        if (pages > *largest)
            *largest = pages;
    }
    free(segs);
    return rc;
}

/* Orders doclists by their first rowid. */
static int vr_by_lo(const void *a, const void *b)
{
    const vloc *x = a, *y = b;
    return (x->lo > y->lo) - (x->lo < y->lo);
}

/* Orders doclists newest segment first. */
static int vr_by_seg(const void *a, const void *b)
{
    const vloc *x = a, *y = b;
    return (x->seg > y->seg) - (x->seg < y->seg);
}

/* Counts again, from its doclists, the articles holding the word at t,
 * when the rowids of its doclists in two segments overlap (see the top of
 * this file). */
static void vr_recount(vread *r, vterm *t, vloc **tmp, size_t *ctmp, int64_t **seen,
                       size_t *cseen)
{
    size_t k = 0;
    for (size_t i = t->loc; i; i = r->locs[i - 1].next) {
        *tmp = vr_grow(*tmp, ctmp, k + 1, sizeof **tmp, &r->rc);
        if (r->rc != SQLITE_OK)
            return;
        (*tmp)[k++] = r->locs[i - 1];
    }
    if (k < 2)
        return;
    vloc *l = *tmp;
    qsort(l, k, sizeof *l, vr_by_lo);
    int overlap = 0;
    for (size_t i = 1; i < k && !overlap; i++)
        overlap = l[i].lo <= l[i - 1].hi;
    if (!overlap)
        return; /* each rowid in one segment at most: counted right */
    qsort(l, k, sizeof *l, vr_by_seg);
    /* seen: the rowids of newer segments, in order; each segment's
     * entries not among them are the newest of their rowid. */
    int64_t n = 0;
    size_t nseen = 0;
    for (size_t i = 0; i < k && r->rc == SQLITE_OK; i++) {
        const vseg *seg = &r->segs[l[i].seg];
        int64_t unused = 0, lo, hi;
        r->nents = 0;
        r->collect = 1;
        vr_load(r, seg, l[i].pgno);
        /* (a doclist may start on the next page: end == off) */
        if (r->rc == SQLITE_OK && (l[i].end < l[i].off || l[i].end > r->szleaf))
            r->rc = VOCAB_FALLBACK;
        if (r->rc == SQLITE_OK) {
            r->next_term = l[i].end;
            vr_doclist(r, seg, l[i].off, &unused, &lo, &hi);
        }
        r->collect = 0;
        *seen = vr_grow(*seen, cseen, 2 * (nseen + r->nents), sizeof **seen, &r->rc);
        if (r->rc != SQLITE_OK)
            return;
        /* Merge this segment's rowids into seen, in the upper half. */
        int64_t *old = *seen, *out = *seen + nseen + r->nents;
        size_t a = 0, b = 0, m = 0;
        while (a < nseen || b < r->nents) {
            if (b == r->nents || (a < nseen && old[a] < r->ents[b].rowid)) {
                out[m++] = old[a++];
            } else if (a < nseen && old[a] == r->ents[b].rowid) {
                out[m++] = old[a++]; /* a newer entry decides */
                b++;
            } else {
                n += r->ents[b].live;
                out[m++] = r->ents[b++].rowid;
            }
        }
        memmove(old, out, m * sizeof *old);
        nseen = m;
    }
    t->n = n;
}

/* The words of the index starting with prefix, merged over its segments,
 * with their article counts, into *out (its text in r->arena). */
static void vr_read(vread *r, const char *prefix, vterm **out, size_t *nout)
{
    u8 key[VOCAB_KEY_MAX];
    size_t plen = strlen(prefix);
    vterm *all = NULL;
    size_t nall = 0;
    if (plen + 1 > VOCAB_KEY_MAX)
        r->rc = VOCAB_FALLBACK;
    else
        r->rc = vr_structure(r->db, &r->segs, &r->nsegs);
    key[0] = '0'; /* the main index, not a prefix index */
    memcpy(key + 1, prefix, plen < VOCAB_KEY_MAX ? plen : 0);
    int nkey = (int)plen + 1;
    if (r->rc == SQLITE_OK)
        r->rc = sqlite3_prepare_v2(r->db,
                                   "SELECT pgno FROM main.articles_fts_idx WHERE segid = ?1 AND "
                                   "term <= ?2 ORDER BY term DESC LIMIT 1",
                                   -1, &r->seek, NULL);
    /* Each segment's words, newest segment first, merged into all. */
    for (int i = 0; r->rc == SQLITE_OK && i < r->nsegs; i++) {
        r->nterms = 0;
        r->seg = i;
        vr_segment(r, &r->segs[i], key, nkey);
        if (r->rc != SQLITE_OK || r->nterms == 0)
            continue;
        vterm *m = malloc((nall + r->nterms) * sizeof *m);
        if (!m) {
            r->rc = SQLITE_NOMEM;
            break;
        }
        size_t a = 0, b = 0, k = 0;
        while (a < nall || b < r->nterms) {
            int c = a == nall ? 1 : b == r->nterms ? -1 : 0;
            if (c == 0) {
                size_t la = all[a].len, lb = r->terms[b].len;
                c = memcmp(r->arena + all[a].off, r->arena + r->terms[b].off, la < lb ? la : lb);
                c = c ? c : (la > lb) - (la < lb);
            }
            if (c < 0) {
                m[k++] = all[a++];
            } else if (c > 0) {
                m[k++] = r->terms[b++];
            } else { /* the word's doclists, chained */
                r->locs[r->terms[b].loc - 1].next = all[a].loc;
                m[k] = all[a++];
                m[k].loc = r->terms[b].loc;
                m[k++].n += r->terms[b++].n;
            }
        }
        free(all);
        all = m;
        nall = k;
    }
    vloc *tmp = NULL;
    int64_t *seen = NULL;
    size_t ctmp = 0, cseen = 0;
    for (size_t i = 0; r->rc == SQLITE_OK && i < nall; i++)
        vr_recount(r, &all[i], &tmp, &ctmp, &seen, &cseen);
    free(tmp);
    free(seen);
    *out = all;
    *nout = nall;
}

int nx_fts5_leaf_words(sqlite3 *db, const char *prefix, nx_word_want_fn want,
                             nx_count_fn fn, void *ctx, int *done)
{
    *done = 0;
    /* One snapshot for all the reads; none inside a transaction. */
    if (!sqlite3_get_autocommit(db) || sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return SQLITE_OK;
    vread r;
    memset(&r, 0, sizeof r);
    r.db = db;
    r.want = want;
    r.want_ctx = ctx;
    vterm *all = NULL;
    size_t nall = 0;
    vr_read(&r, prefix, &all, &nall);
    sqlite3_blob_close(r.blob);
    sqlite3_finalize(r.seek);
    sqlite3_finalize(r.next);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    int rc = r.rc;
    if (rc == SQLITE_OK) {
        *done = 1;
        for (size_t i = 0; i < nall; i++) {
            const char *w = r.arena + all[i].off + 1; /* after the '0' */
            if (all[i].n > 0 && w[0] != '~')
                fn(ctx, w, all[i].n);
        }
    } else if (rc == VOCAB_FALLBACK) {
        rc = SQLITE_OK; /* fts5vocab will tell */
    }
    free(all);
    free(r.p);
    free(r.arena);
    free(r.terms);
    free(r.segs);
    free(r.locs);
    free(r.ents);
    return rc;
}
