/* search.c - searches and their result iterators: parse the query, hand
 * the compiled form to the store, and build each hit's snippet on demand
 * (most callers show only a page of results, and some none at all). */
#include "internal.h"

#include "../analyze/analyzer.h"
#include "../query/query.h"
#include "../query/snippet.h"
#include "../store/store.h"
#include "search_internal.h"
#include "../query/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define SNIPPET_FRAGMENTS 3
#define SNIPPET_WORDS 30

struct nx_search {
    nx_index_t *ix;
    const nx_lang *langs[NX_MAX_LANGS]; /* languages the words are stemmed in */
    size_t nlangs;
    char lang_codes[NX_MAX_LANGS * 3];  /* the same as "en,fr,ru" */
    nx_query_parts parts;
    char *match;          /* FTS5 expression, NULL when the query has only filters */
    char *groups;         /* the query word of each of its phrases, for nx_rank */
    int positive;
    nx_hl_query hl;
    nx_analyzer *an;      /* for snippets; the index language */
    size_t limit, offset;
    nx_sort_t sort;
    char *explain;
    /* "more like this" */
    char *similar_id;     /* never listed */
    char **sim_words;     /* its words, to tell copies */
    size_t sim_n;
    int copies;           /* list copies too */
    int collapse;         /* one hit per near-duplicate cluster */
};

struct nx_results {
    nx_search_t *search;
    nx_cursor *cur_src;
    int valid;
    nx_status_t status;
    size_t rank;
    nx_article_t cur;     /* fields borrowed from the statement's row */
    double score;
    int64_t cluster;      /* the current hit's near-duplicate cluster label */
    nx_snippet snip;
    int have_snip;
    /* Paging done here rather than by the engine (collapsing, similar):
     * the engine is asked for `asked` hits from the first, and asked for
     * more when those run out before the page is full. */
    int paging;
    size_t asked, fetched, passed; /* passed: hits kept before the page */
    int64_t *seen;        /* clusters already listed or passed */
    size_t nseen, capseen;
    int has_total;        /* the engine counted the matches while ranking */
    int64_t total;
};

static void add_lang(nx_search_t *s, const nx_lang *l)
{
    if (!l || s->nlangs == NX_MAX_LANGS)
        return;
    for (size_t i = 0; i < s->nlangs; i++)
        if (s->langs[i] == l)
            return;
    s->langs[s->nlangs++] = l;
}

static void on_lang_count(void *ctx, const char *value, int64_t main_lang)
{
    if (main_lang)
        add_lang(ctx, nx_lang_find(value));
}

/* The languages to stem the query in: those asked for with lang:, else
 * the main languages of the index (store.h) and its default. */
static nx_status_t choose_languages(nx_search_t *s)
{
    for (size_t i = 0; i < s->parts.nfilters; i++)
        if (s->parts.filters[i].kind == NX_F_LANG && !s->parts.filters[i].negated)
            add_lang(s, nx_lang_find(s->parts.filters[i].value));
    if (s->nlangs == 0) {
        add_lang(s, nx_lang_find(s->ix->lang));
        /* Reading the index's languages costs a scan: once per handle. */
        nx_index_t *ix = s->ix;
        if (!ix->langs_known) {
            nx_status_t st = nx_store_field_counts(ix, "lang-values", 0, on_lang_count, s);
            if (st != NX_OK)
                return st;
            size_t o = 0;
            for (size_t i = 0; i < s->nlangs && o + 4 < sizeof ix->langs; i++)
                o += (size_t)snprintf(ix->langs + o, sizeof ix->langs - o, "%s%s", i ? "," : "",
                                      s->langs[i]->code);
            ix->langs_known = 1;
        } else {
            char buf[sizeof ix->langs];
            snprintf(buf, sizeof buf, "%s", ix->langs);
            for (char *save = NULL, *c = strtok_r(buf, ",", &save); c;
                 c = strtok_r(NULL, ",", &save))
                add_lang(s, nx_lang_find(c));
        }
    }
    size_t o = 0;
    for (size_t i = 0; i < s->nlangs; i++)
        o += (size_t)snprintf(s->lang_codes + o, sizeof s->lang_codes - o, "%s%s", i ? "," : "",
                              s->langs[i]->code);
    return NX_OK;
}

static nx_store_query store_query(const nx_search_t *s);

static int add_words(void *ctx, const char *const *words, const size_t *lens, const int *modes,
                     size_t n)
{
    nx_search_t *s = ctx;
    return nx_hl_add(&s->hl, s->an, words, lens, modes, n);
}

/* Compiles the text part for FTS5 (which also checks its shape for both
 * engines) and prepares the words to highlight, in the languages chosen
 * from the index and the filters. Called again when filters change. */
static nx_status_t compile(nx_search_t *s)
{
    nx_index_t *ix = s->ix;
    s->nlangs = 0;
    nx_status_t st = choose_languages(s);
    free(s->match);
    s->match = NULL;
    free(s->groups);
    s->groups = NULL;
    nx_hl_free(&s->hl);
    nx_hl_languages(&s->hl, s->langs, s->nlangs);
    if (st == NX_OK && s->parts.text) {
        nx_analyzer_use(s->an, s->langs, s->nlangs);
        s->match = nx_query_to_fts5_grouped(s->parts.text, s->lang_codes, s->an, &s->positive,
                                            &s->groups, ix->err, sizeof ix->err);
        if (!s->match)
            st = NX_ERR_QUERY;
        else if (nx_query_positive_words(s->parts.text, add_words, s) != 0)
            st = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    }
    return st;
}

nx_status_t nx_search_new(nx_index_t *ix, const char *query, nx_search_t **out)
{
    return nx_search_new_ex(ix, query, 0, out);
}

nx_status_t nx_search_new_ex(nx_index_t *ix, const char *query, unsigned flags, nx_search_t **out)
{
    if (out)
        *out = NULL;
    if (!ix || !query || !out || (flags & ~(unsigned)NX_SEARCH_ANY))
        return NX_ERR_INVALID_ARG;
    nx_search_t *s = calloc(1, sizeof *s);
    if (!s)
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    s->ix = ix;
    s->limit = 10;
    s->collapse = 1;
    s->an = nx_analyzer_new(ix->lang);
    if (!s->an) {
        free(s);
        return nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    }
    nx_store_query_analyzer(ix, s->an);
    nx_qnode *tree;
    nx_status_t st = NX_OK;
    const char *q = query + strspn(query, " \t\r\n");
    if (*q && nx_query_parse(q, &tree, ix->err, sizeof ix->err) != 0)
        st = NX_ERR_QUERY;
    else if (*q && (flags & NX_SEARCH_ANY) && nx_query_any(tree) != 0)
        st = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    if (*q && st == NX_OK && nx_query_split(tree, &s->parts, ix->err, sizeof ix->err) != 0)
        st = NX_ERR_QUERY;
    else if (*q && st != NX_OK && st != NX_ERR_QUERY)
        nx_qnode_free(tree);
    for (size_t i = 0; st == NX_OK && i < s->parts.nfilters; i++) {
        nx_filter *f = &s->parts.filters[i];
        if (f->kind != NX_F_LANG)
            continue;
        const nx_lang *l = nx_lang_find(f->value);
        if (!l) {
            st = nx_fail(ix, NX_ERR_QUERY,
                         "query:1:%d: lang: unknown language '%s' (use a code such as en, fr, "
                         "ru, or a name such as french)",
                         f->col, f->value);
            break;
        }
        free(f->value);
        if (!(f->value = strdup(l->code)))
            st = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    }
    if (st == NX_OK)
        st = compile(s);
    if (st != NX_OK) {
        nx_search_destroy(s);
        return st;
    }
    *out = s;
    return NX_OK;
}

void nx_search_destroy(nx_search_t *s)
{
    if (!s)
        return;
    nx_query_parts_free(&s->parts);
    free(s->match);
    free(s->groups);
    nx_hl_free(&s->hl);
    nx_analyzer_free(s->an);
    free(s->explain);
    free(s->similar_id);
    for (size_t i = 0; i < s->sim_n; i++)
        free(s->sim_words[i]);
    free(s->sim_words);
    free(s);
}

nx_status_t nx_search_filter(nx_search_t *s, const char *field, const char *value)
{
    if (!s || !field || !value)
        return NX_ERR_INVALID_ARG;
    nx_filter f;
    memset(&f, 0, sizeof f);
    if (strcmp(field, "source") == 0 || strcmp(field, "url") == 0) {
        f.kind = field[0] == 's' ? NX_F_SOURCE : NX_F_URL;
        f.value = strdup(value);
    } else if (strcmp(field, "lang") == 0) {
        const nx_lang *l = nx_lang_find(value);
        if (!l)
            return nx_fail(s->ix, NX_ERR_QUERY, "--lang: unknown language '%s'", value);
        f.kind = NX_F_LANG;
        f.value = strdup(l->code);
    } else if (strcmp(field, "since") == 0 || strcmp(field, "until") == 0) {
        char since[24], until[24];
        if (nx_date_range(value, since, until) != 0)
            return nx_fail(s->ix, NX_ERR_QUERY,
                           "--%s: '%s' is not a date (try 2022, 2022-12 or 2022-12-04)", field,
                           value);
        f.kind = NX_F_DATE;
        if (field[0] == 's')
            memcpy(f.since, since, sizeof f.since);
        else
            memcpy(f.until, until, sizeof f.until);
    } else {
        return nx_fail(s->ix, NX_ERR_INVALID_ARG, "unknown filter field '%s'", field);
    }
    if (f.kind != NX_F_DATE && !f.value)
        return nx_fail(s->ix, NX_ERR_NOMEM, "out of memory");
    nx_filter *fs = realloc(s->parts.filters, (s->parts.nfilters + 1) * sizeof *fs);
    if (!fs) {
        free(f.value);
        return nx_fail(s->ix, NX_ERR_NOMEM, "out of memory");
    }
    s->parts.filters = fs;
    fs[s->parts.nfilters++] = f;
    /* A language filter changes the languages the words are stemmed in. */
    return f.kind == NX_F_LANG ? compile(s) : NX_OK;
}

nx_index_t *nx_search_index(const nx_search_t *s)
{
    return s->ix;
}

nx_store_query nx_search_store_query(const nx_search_t *s)
{
    return store_query(s);
}

/* Hits a similar search may skip (the article, its copies). */
#define SIMILAR_SLACK 20

static nx_store_query store_query(const nx_search_t *s)
{
    size_t limit = s->limit;
    if (s->similar_id && limit < (size_t)-1 - SIMILAR_SLACK)
        limit += SIMILAR_SLACK;
    nx_store_query q = {s->parts.text,  s->match, s->groups, s->positive, s->parts.filters,
                        s->parts.nfilters, s->sort, limit, s->offset, s->langs, s->nlangs};
    return q;
}

nx_status_t nx_search_set_similar(nx_search_t *s, const char *id, const char *const *words,
                                  size_t n)
{
    s->similar_id = strdup(id);
    s->sim_words = calloc(n ? n : 1, sizeof *s->sim_words);
    if (!s->similar_id || !s->sim_words)
        return nx_fail(s->ix, NX_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!(s->sim_words[i] = strdup(words[i])))
            return nx_fail(s->ix, NX_ERR_NOMEM, "out of memory");
        s->sim_n = i + 1;
    }
    return NX_OK;
}

nx_status_t nx_search_set_collapse(nx_search_t *s, int collapse)
{
    if (!s)
        return NX_ERR_INVALID_ARG;
    s->collapse = collapse != 0;
    return NX_OK;
}

nx_status_t nx_search_set_copies(nx_search_t *s, int include)
{
    if (!s)
        return NX_ERR_INVALID_ARG;
    s->copies = include;
    if (include) /* asking for the copies is asking for them one by one */
        s->collapse = 0;
    return NX_OK;
}

/* Is the current hit one a similar search must not list? */
static int skip_hit(const nx_search_t *s, const nx_article_t *a)
{
    if (!s->similar_id)
        return 0;
    if (a->f[NX_FIELD_ID] && strcmp(a->f[NX_FIELD_ID], s->similar_id) == 0)
        return 1;
    return !s->copies &&
           nx_word_overlap((const char *const *)s->sim_words, s->sim_n, a->f[NX_FIELD_TITLE],
                           a->f[NX_FIELD_BODY]) >= 0.7;
}

const char *nx_search_explain(nx_search_t *s)
{
    if (!s)
        return NULL;
    free(s->explain);
    char *tree = nx_query_explain(&s->parts);
    nx_sb b = {0};
    nx_sb_printf(&b, "query: %s\n", tree ? tree : "");
    free(tree);
    if (s->parts.text) {
        nx_store_query q = store_query(s);
        char *engine = nx_store_describe(s->ix, &q);
        nx_sb_puts(&b, engine ? engine : "");
        nx_sb_puts(&b, "\n");
        free(engine);
    }
    s->explain = nx_sb_take(&b);
    return s->explain ? s->explain : "";
}

nx_status_t nx_search_set_limit(nx_search_t *s, size_t limit)
{
    if (!s)
        return NX_ERR_INVALID_ARG;
    s->limit = limit;
    return NX_OK;
}

nx_status_t nx_search_set_offset(nx_search_t *s, size_t offset)
{
    if (!s)
        return NX_ERR_INVALID_ARG;
    s->offset = offset;
    return NX_OK;
}

nx_status_t nx_search_set_sort(nx_search_t *s, nx_sort_t sort)
{
    if (!s || (sort != NX_SORT_RELEVANCE && sort != NX_SORT_NEWEST && sort != NX_SORT_OLDEST))
        return NX_ERR_INVALID_ARG;
    s->sort = sort;
    return NX_OK;
}

nx_status_t nx_search_count(nx_search_t *s, int64_t *out)
{
    if (!s || !out)
        return NX_ERR_INVALID_ARG;
    *out = 0;
    nx_store_query q = store_query(s);
    return nx_store_count(s->ix, &q, out);
}

nx_status_t nx_results_total(nx_results_t *r, int64_t *out)
{
    if (!r || !out)
        return NX_ERR_INVALID_ARG;
    *out = r->total;
    return r->has_total ? NX_OK : nx_search_count(r->search, out);
}

/* Has the cluster been listed already? Remembers it if not. */
static int seen_before(nx_results_t *r, int64_t cluster, int *oom)
{
    for (size_t i = 0; i < r->nseen; i++)
        if (r->seen[i] == cluster)
            return 1;
    if (r->nseen == r->capseen) {
        size_t cap = r->capseen ? r->capseen * 2 : 32;
        int64_t *p = realloc(r->seen, cap * sizeof *p);
        if (!p) {
            *oom = 1;
            return 0;
        }
        r->seen = p;
        r->capseen = cap;
    }
    r->seen[r->nseen++] = cluster;
    return 0;
}

/* The engine's cursor for the hits [0, asked) (paging here) or the page. */
static nx_status_t open_cursor(nx_results_t *r)
{
    nx_search_t *s = r->search;
    nx_store_query q = store_query(s);
    if (r->paging) {
        q.offset = 0;
        q.limit = r->asked;
    }
    return nx_store_search(s->ix, &q, &r->cur_src);
}

/* Loads the next hit into r->cur, or ends the iteration. */
static void load_row(nx_results_t *r)
{
    nx_search_t *s = r->search;
    nx_snippet_free(&r->snip);
    r->have_snip = 0;
    if (r->rank - s->offset >= s->limit) {
        r->valid = 0;
        return;
    }
    for (;;) {
        int rc = r->cur_src->next(r->cur_src, &r->cur, &r->score, &r->cluster, &r->status);
        if (rc == 0 && r->paging && r->fetched == r->asked && r->asked < (size_t)-1 / 4) {
            /* More hits exist than were asked for: ask again for more,
             * past those already read (the order is deterministic). */
            r->cur_src->free(r->cur_src);
            r->cur_src = NULL;
            r->asked *= 4;
            if ((r->status = open_cursor(r)) != NX_OK) {
                r->valid = 0;
                return;
            }
            size_t done = r->fetched;
            r->fetched = 0;
            while (r->fetched < done &&
                   (rc = r->cur_src->next(r->cur_src, &r->cur, &r->score, &r->cluster,
                                          &r->status)) > 0)
                r->fetched++;
            if (rc < 0)
                break;
            continue;
        }
        if (rc <= 0) {
            r->valid = 0;
            return;
        }
        r->fetched++;
        /* A lazy cursor gave the id and date; the rest (the body to
         * unpack) is read for the hits kept, or first when "similar" must
         * compare texts. */
        int filled = !r->cur_src->fill;
        if (s->similar_id && !filled) {
            if (r->cur_src->fill(r->cur_src, &r->cur, &r->status) != 0)
                break;
            filled = 1;
        }
        if (skip_hit(s, &r->cur))
            continue;
        int oom = 0;
        if (s->collapse && r->cluster >= 0 && seen_before(r, r->cluster, &oom))
            continue;
        if (oom) {
            r->status = nx_fail(s->ix, NX_ERR_NOMEM, "out of memory");
            r->valid = 0;
            return;
        }
        if (r->paging && r->passed < s->offset) {
            r->passed++;
            continue;
        }
        if (!filled && r->cur_src->fill(r->cur_src, &r->cur, &r->status) != 0)
            break;
        r->rank++;
        return;
    }
    r->valid = 0;
}

nx_status_t nx_search_run(nx_search_t *s, nx_results_t **out)
{
    if (out)
        *out = NULL;
    if (!s || !out)
        return NX_ERR_INVALID_ARG;
    nx_results_t *r = calloc(1, sizeof *r);
    if (!r)
        return nx_fail(s->ix, NX_ERR_NOMEM, "out of memory");
    r->search = s;
    r->paging = s->collapse || s->similar_id;
    if (r->paging) {
        /* Copies and skipped hits take places: ask for some more. */
        size_t want = s->offset + s->limit;
        r->asked = want < s->limit || want > (size_t)-1 / 2 - 64 ? (size_t)-1
                                                                  : want + want / 2 + 20;
    }
    nx_status_t st = open_cursor(r);
    if (st != NX_OK) {
        free(r);
        return st;
    }
    r->has_total = r->cur_src->has_total;
    r->total = r->cur_src->total;
    r->valid = 1;
    r->rank = s->offset;
    load_row(r);
    /* A failure on the first hit is the search failing, not a partial list. */
    if (r->status != NX_OK) {
        st = r->status;
        nx_results_destroy(r);
        return st;
    }
    *out = r;
    return NX_OK;
}

nx_status_t nx_results_copies(nx_results_t *r, nx_copy_fn fn, void *ctx, int64_t *count)
{
    if (count)
        *count = 0;
    if (!r || !r->valid || !count)
        return NX_ERR_INVALID_ARG;
    nx_search_t *s = r->search;
    if (r->cluster < 0)
        return NX_OK;
    if (r->cur_src && r->cur_src->copies)
        return r->cur_src->copies(r->cur_src, r->cluster,
                                  r->cur.f[NX_FIELD_ID] ? r->cur.f[NX_FIELD_ID] : "", fn, ctx,
                                  count);
    /* The query again, narrowed to the hit's cluster. */
    nx_store_query q = store_query(s);
    nx_filter *f = calloc(q.nfilters + 1, sizeof *f);
    char label[24];
    if (!f)
        return nx_fail(s->ix, NX_ERR_NOMEM, "out of memory");
    if (q.nfilters)
        memcpy(f, q.filters, q.nfilters * sizeof *f);
    snprintf(label, sizeof label, "%lld", (long long)r->cluster);
    f[q.nfilters].kind = NX_F_CLUSTER;
    f[q.nfilters].value = label;
    q.filters = f;
    q.nfilters++;
    q.sort = NX_SORT_OLDEST;
    q.offset = 0;
    q.limit = (size_t)-1;
    char *self = strdup(r->cur.f[NX_FIELD_ID] ? r->cur.f[NX_FIELD_ID] : "");
    nx_cursor *c = NULL;
    nx_status_t st = self ? nx_store_search(s->ix, &q, &c)
                          : nx_fail(s->ix, NX_ERR_NOMEM, "out of memory");
    nx_article_t a;
    double score;
    int64_t cl;
    int rc;
    while (st == NX_OK && (rc = c->next(c, &a, &score, &cl, &st)) > 0) {
        if (a.f[NX_FIELD_ID] && strcmp(a.f[NX_FIELD_ID], self) == 0)
            continue;
        if (c->fill && c->fill(c, &a, &st) != 0)
            break;
        ++*count;
        if (fn)
            fn(ctx, &a);
    }
    if (c)
        c->free(c);
    free(self);
    free(f);
    return st;
}

int nx_results_valid(const nx_results_t *r)
{
    return r && r->valid;
}

const nx_article_t *nx_results_get(const nx_results_t *r)
{
    return r && r->valid ? &r->cur : NULL;
}

double nx_results_score(const nx_results_t *r)
{
    return r && r->valid ? r->score : 0.0;
}

size_t nx_results_rank(const nx_results_t *r)
{
    return r && r->valid ? r->rank : 0;
}

nx_status_t nx_results_snippet(nx_results_t *r, const char **text, const nx_span_t **spans,
                               size_t *nspans)
{
    if (text)
        *text = NULL;
    if (spans)
        *spans = NULL;
    if (nspans)
        *nspans = 0;
    if (!r || !r->valid || !text || !spans || !nspans)
        return NX_ERR_INVALID_ARG;
    /* Every stored article has a body, "" at least: none means the FTS5
     * engine found its stored text damaged (nx_unpack_or_null). */
    if (!r->cur.f[NX_FIELD_BODY])
        return nx_fail(r->search->ix, NX_ERR_CORRUPT,
                       "the stored text of article %s is damaged (newsidx check lists such "
                       "articles; index its file again to replace it)",
                       r->cur.f[NX_FIELD_ID] ? r->cur.f[NX_FIELD_ID] : "?");
    if (!r->have_snip) {
        const char *body = r->cur.f[NX_FIELD_BODY];
        const nx_lang *lang = nx_lang_find(r->cur.f[NX_FIELD_LANG]);
        if (nx_snippet_make(r->search->an, &r->search->hl, lang, body, strlen(body),
                            SNIPPET_FRAGMENTS, SNIPPET_WORDS, &r->snip) != 0)
            return nx_fail(r->search->ix, NX_ERR_NOMEM, "out of memory making a snippet");
        r->have_snip = 1;
    }
    *text = r->snip.text;
    *spans = r->snip.spans;
    *nspans = r->snip.nspans;
    return NX_OK;
}

nx_status_t nx_search_highlight(nx_search_t *s, const char *text, const char *lang,
                                nx_span_t **spans, size_t *nspans)
{
    if (spans)
        *spans = NULL;
    if (nspans)
        *nspans = 0;
    if (!s || !text || !spans || !nspans)
        return NX_ERR_INVALID_ARG;
    if (nx_highlight_all(s->an, &s->hl, lang ? nx_lang_find(lang) : NULL, text, strlen(text),
                         spans, nspans) != 0)
        return nx_fail(s->ix, NX_ERR_NOMEM, "out of memory highlighting");
    return NX_OK;
}

void nx_results_move_to_next(nx_results_t *r)
{
    if (r && r->valid)
        load_row(r);
}

nx_status_t nx_results_status(const nx_results_t *r)
{
    return r ? r->status : NX_ERR_INVALID_ARG;
}

void nx_results_destroy(nx_results_t *r)
{
    if (!r)
        return;
    nx_snippet_free(&r->snip);
    if (r->cur_src)
        r->cur_src->free(r->cur_src);
    free(r->seen);
    free(r);
}
