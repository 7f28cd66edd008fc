/* fts5_tokenizer.c - the analyzer registered with SQLite FTS5 as the
 * tokenizer "newsidx", so FTS5 indexes, queries and highlights with exactly
 * the terms the analyzer defines.
 *
 * Usage in a table definition: tokenize = 'newsidx english'. Offsets passed
 * to FTS5 are byte offsets into the original text, so highlight() and
 * snippet() mark the words as written. In query mode FTS5 treats colocated
 * tokens as alternatives, which is how a stemmed query word matches every
 * place its stem can be stored (see analyzer.h). Stem terms are not
 * indexed: each goes, with the word it stems, to the connection's stems
 * callback (the writer fills the stems table with them), and a query asks
 * for the written words the connection's expander lists for a stem term
 * (index-schema/terms.md). Debian 12 has SQLite 3.40,
 * hence the version-1 tokenizer API, which has no per-row language: so a
 * text may start with a language marker, NX_LANG_MARK + codes +
 * NX_LANG_MARK ("\x1f" "fr" "\x1f" + text). For a document it names the
 * article's language (the schema's view adds it); for a query string, the
 * languages to stem the words in ("en,fr,ru"), or NX_RAW_TERM: the
 * rest is one term, already analysed. */
#include "fts5_tokenizer.h"

#include "analyzer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tok_ctx {
    void *fts_ctx;
    int (*xToken)(void *, int, const char *, int, int, int);
    int document;
    nx_fts5_word_fn word_fn; /* document texts only */
    void *word_ctx;
    nx_fts5_stem_fn stem_fn; /* document texts only */
    void *stem_ctx;
    const char *exact;       /* the last exact term, which a stem term follows */
    size_t exact_len;
} tok_ctx;

/* The texts of the next document and their terms (nx_fts5_replay_set). */
typedef struct replay_doc {
    int set;
    char lang[16];
    const char *text[2];
    size_t len[2];
    const nx_pretok *terms[2];
} replay_doc;

struct nx_fts5_replay {
    replay_doc doc;          /* emptied by nx_fts5_replay_clear; the rest stays */
    nx_fts5_word_fn word_fn;
    void *word_ctx;
    nx_fts5_stem_fn stem_fn;
    void *stem_ctx;
    nx_expand_fn expand;
    void *expand_ctx;
};

typedef struct tokenizer {
    nx_analyzer *an;
    nx_fts5_replay *replay; /* the connection's */
} tokenizer;

static int tok_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
    *out = NULL;
    const char *lang = argc > 0 ? argv[0] : "english";
    tokenizer *t = calloc(1, sizeof *t);
    if (!t || !(t->an = nx_analyzer_new(lang))) {
        free(t);
        return SQLITE_ERROR;
    }
    t->replay = user;
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *tp)
{
    tokenizer *t = (tokenizer *)tp;
    nx_analyzer_free(t->an);
    free(t);
}

void nx_fts5_replay_set(nx_fts5_replay *r, const char *lang, const char *const texts[2],
                        const nx_pretok *const terms[2])
{
    replay_doc *d = &r->doc;
    snprintf(d->lang, sizeof d->lang, "%s", lang ? lang : "");
    for (int i = 0; i < 2; i++) {
        d->text[i] = texts[i];
        d->len[i] = texts[i] ? strlen(texts[i]) : 0;
        d->terms[i] = terms[i];
    }
    d->set = 1;
}

void nx_fts5_replay_clear(nx_fts5_replay *r)
{
    memset(&r->doc, 0, sizeof r->doc);
}

void nx_fts5_replay_stems(nx_fts5_replay *r, nx_fts5_stem_fn fn, void *ctx)
{
    r->stem_fn = fn;
    r->stem_ctx = ctx;
}

void nx_fts5_expander(nx_fts5_replay *r, nx_expand_fn fn, void *ctx)
{
    r->expand = fn;
    r->expand_ctx = ctx;
}

void nx_fts5_replay_words(nx_fts5_replay *r, nx_fts5_word_fn fn, void *ctx)
{
    r->word_fn = fn;
    r->word_ctx = ctx;
}

/* The terms recorded for text (marker of skip bytes, then the text), or
 * NULL: only a text equal byte for byte, in the same language, may skip
 * its analysis. */
static const nx_pretok *recorded(const nx_fts5_replay *r, const char *text, size_t len,
                                 size_t skip)
{
    const replay_doc *d = r ? &r->doc : NULL;
    if (!d || !d->set || skip < 2 || skip - 2 != strlen(d->lang) ||
        memcmp(text + 1, d->lang, skip - 2) != 0)
        return NULL;
    for (int i = 0; i < 2; i++)
        if (d->terms[i] && d->text[i] && len - skip == d->len[i] &&
            memcmp(text + skip, d->text[i], d->len[i]) == 0)
            return d->terms[i];
    return NULL;
}

static int on_term(void *ctx, int kind, const char *term, size_t len, size_t start, size_t end,
                   int colocated)
{
    tok_ctx *tc = ctx;
    if (tc->document && kind == NX_TERM_STEM) {
        /* Not indexed: the stem is looked up in the stems table, whose
         * written words a query then asks for (terms.md). */
        if (tc->stem_fn && tc->exact)
            tc->stem_fn(tc->stem_ctx, term, len, tc->exact, tc->exact_len);
        return 0;
    }
    if (kind == NX_TERM_EXACT && tc->document) {
        tc->exact = term;
        tc->exact_len = len;
        if (tc->word_fn)
            tc->word_fn(tc->word_ctx, term, len);
    }
    return tc->xToken(tc->fts_ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, term, (int)len, (int)start,
                      (int)end);
}

/* Reads a leading language marker: sets the analyzer's languages and
 * returns the marker's length (0 when there is none). Unknown codes are
 * skipped; none known means the default language. */
static size_t read_marker(nx_analyzer *an, const char *text, size_t n)
{
    if (n < 2 || text[0] != NX_LANG_MARK)
        return 0;
    const char *end = memchr(text + 1, NX_LANG_MARK, n - 1);
    if (!end)
        return 0;
    const nx_lang *langs[NX_MAX_LANGS];
    size_t nl = 0;
    const char *p = text + 1;
    while (p < end && nl < NX_MAX_LANGS) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        char code[16];
        size_t k = (size_t)(stop - p);
        if (k > 0 && k < sizeof code) {
            memcpy(code, p, k);
            code[k] = '\0';
            const nx_lang *l = nx_lang_find(code);
            if (l)
                langs[nl++] = l;
        }
        p = stop + 1;
    }
    nx_analyzer_use(an, langs, nl);
    return (size_t)(end - text) + 1;
}

typedef struct shifted {
    tok_ctx *tc;
    size_t shift;
} shifted;

static int on_shifted(void *ctx, int kind, const char *term, size_t len, size_t start, size_t end,
                      int colocated)
{
    shifted *sh = ctx;
    return on_term(sh->tc, kind, term, len, start + sh->shift, end + sh->shift, colocated);
}

static int tok_tokenize(Fts5Tokenizer *tp, void *fts_ctx, int flags, const char *text, int n,
                        int (*xToken)(void *, int, const char *, int, int, int))
{
    tokenizer *tk = (tokenizer *)tp;
    nx_analyzer *an = tk->an;
    nx_analyze_mode mode = NX_ANALYZE_DOCUMENT;
    if (flags & FTS5_TOKENIZE_QUERY)
        mode = (flags & FTS5_TOKENIZE_PREFIX) ? NX_ANALYZE_PREFIX : NX_ANALYZE_QUERY;
    size_t len = n > 0 ? (size_t)n : 0;
    size_t raw = sizeof NX_RAW_TERM - 1;
    if (mode != NX_ANALYZE_DOCUMENT && len > raw && memcmp(text, NX_RAW_TERM, raw) == 0)
        return xToken(fts_ctx, 0, text + raw, (int)(len - raw), 0, (int)(len - raw));
    size_t skip = read_marker(an, text, len);
    if (skip == 0)
        nx_analyzer_use(an, NULL, 0);
    tok_ctx tc = {.fts_ctx = fts_ctx, .xToken = xToken, .document = mode == NX_ANALYZE_DOCUMENT};
    if (tc.document && tk->replay) {
        tc.word_fn = tk->replay->word_fn;
        tc.word_ctx = tk->replay->word_ctx;
        tc.stem_fn = tk->replay->stem_fn;
        tc.stem_ctx = tk->replay->stem_ctx;
    }
    nx_analyzer_expand(an, tk->replay ? tk->replay->expand : NULL,
                       tk->replay ? tk->replay->expand_ctx : NULL);
    shifted sh = {&tc, skip};
    const nx_pretok *pre = mode == NX_ANALYZE_DOCUMENT ? recorded(tk->replay, text, len, skip)
                                                        : NULL;
    int rc = pre ? nx_pretok_replay(pre, skip, on_term, &tc)
                 : nx_analyze(an, text + skip, len - skip, mode, on_shifted, &sh);
    if (rc == -1)
        return SQLITE_NOMEM;
    if (rc == NX_EXPAND_UNREADABLE)
        return SQLITE_CORRUPT; /* the stems table: the caller says so with context */
    return rc;
}

typedef struct words_ctx {
    char *out, *fold;
    size_t n, cap, fold_cap;
    int oom;
} words_ctx;

static int on_word_join(void *ctx, const nx_word *w)
{
    words_ctx *c = ctx;
    long k = nx_fold(w->raw, w->raw_len, 1, &c->fold, &c->fold_cap);
    if (k < 0 || c->n + (size_t)k + 2 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        while (k >= 0 && cap < c->n + (size_t)k + 2)
            cap *= 2;
        char *p = k < 0 ? NULL : realloc(c->out, cap);
        if (!p) {
            c->oom = 1;
            return 1;
        }
        c->out = p;
        c->cap = cap;
    }
    if (c->n)
        c->out[c->n++] = ' ';
    memcpy(c->out + c->n, c->fold, (size_t)k);
    c->n += (size_t)k;
    return 0;
}

/* nx_words(text): the folded words of text joined by single spaces, so
 * that SQL can match metadata (source:, url:) word by word exactly as the
 * Xapian engine does with its terms. */
static void words_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    if (!text) {
        sqlite3_result_null(ctx);
        return;
    }
    words_ctx c = {0};
    nx_segment(text, (size_t)sqlite3_value_bytes(argv[0]), on_word_join, &c);
    free(c.fold);
    if (c.oom) {
        free(c.out);
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (c.out)
        sqlite3_result_text(ctx, c.out, (int)c.n, free);
    else
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
}

fts5_api *nx_fts5_api(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

int nx_fts5_register_tokenizer(sqlite3 *db, nx_fts5_replay **replay)
{
    if (replay)
        *replay = NULL;
    fts5_api *api = nx_fts5_api(db);
    if (!api)
        return SQLITE_ERROR;
    nx_fts5_replay *r = calloc(1, sizeof *r);
    if (!r)
        return SQLITE_NOMEM;
    fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    /* The slot lives as long as the tokenizer's registration (free). */
    int rc = api->xCreateTokenizer(api, "newsidx", r, &tok, free);
    if (rc == SQLITE_OK && replay)
        *replay = r;
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "nx_words", 1,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                     words_fn, NULL, NULL);
    return rc;
}
