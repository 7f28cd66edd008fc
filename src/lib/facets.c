/* facets.c - counting what a search matches instead of listing it: facets
 * (how many matching articles per source, language or year) and timelines
 * (how many per day, week, month or year, empty periods included).
 *
 * Engines only count matching articles per stored value (the full date, the
 * source, the language); grouping dates into periods happens here, once for
 * both engines. */
#include "internal.h"

#include "search_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Periods a timeline may list (274 years by day): more is refused. */
#define MAX_PERIODS 100000

typedef struct bucket {
    char *key;
    int64_t n;
} bucket;

typedef struct buckets {
    bucket *b;
    size_t n, cap;
    int oom;
    int period;
} buckets;

/* Days since 1970-01-01 of a civil date (proleptic Gregorian), and back. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static int parse_day(const char *iso, long *y, unsigned *m, unsigned *d)
{
    return sscanf(iso, "%4ld-%2u-%2u", y, m, d) == 3 ? 0 : -1;
}

/* The label of the period holding an ISO date: "2022", "2022-12",
 * "2022-12-05", or for weeks the Monday starting it. */
static int period_key(const char *iso, nx_period_t by, char key[16])
{
    long y;
    unsigned m, d;
    if (parse_day(iso, &y, &m, &d) != 0)
        return -1;
    switch (by) {
    case NX_PERIOD_YEAR: snprintf(key, 16, "%04ld", y % 10000); break;
    case NX_PERIOD_MONTH: snprintf(key, 16, "%04ld-%02u", y % 10000, m % 100); break;
    case NX_PERIOD_WEEK: {
        long z = days_from_civil(y, m, d);
        long weekday = ((z % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday; Monday is 0 */
        civil_from_days(z - weekday, &y, &m, &d);
        snprintf(key, 16, "%04ld-%02u-%02u", y % 10000, m % 100, d % 100);
        break;
    }
    default: snprintf(key, 16, "%04ld-%02u-%02u", y % 10000, m % 100, d % 100); break;
    }
    return 0;
}

/* The period after key. */
static void next_key(const char *key, nx_period_t by, char out[16])
{
    long y = 0;
    unsigned m = 1, d = 1;
    sscanf(key, "%4ld-%2u-%2u", &y, &m, &d);
    switch (by) {
    case NX_PERIOD_YEAR: snprintf(out, 16, "%04ld", (y + 1) % 10000); return;
    case NX_PERIOD_MONTH:
        if (++m > 12) {
            m = 1;
            y++;
        }
        snprintf(out, 16, "%04ld-%02u", y % 10000, m % 100);
        return;
    default: {
        long z = days_from_civil(y, m, d) + (by == NX_PERIOD_WEEK ? 7 : 1);
        civil_from_days(z, &y, &m, &d);
        snprintf(out, 16, "%04ld-%02u-%02u", y % 10000, m % 100, d % 100);
    }
    }
}

/* Appends a count without looking for its key (sorted and merged later). */
static void push_count(buckets *bs, const char *key, int64_t n)
{
    if (bs->n == bs->cap) {
        size_t cap = bs->cap ? bs->cap * 2 : 256;
        bucket *p = realloc(bs->b, cap * sizeof *p);
        if (!p) {
            bs->oom = 1;
            return;
        }
        bs->b = p;
        bs->cap = cap;
    }
    if (!(bs->b[bs->n].key = strdup(key))) {
        bs->oom = 1;
        return;
    }
    bs->b[bs->n++].n = n;
}

static void add_count(buckets *bs, const char *key, int64_t n)
{
    for (size_t i = bs->n; i-- > 0;)
        if (strcmp(bs->b[i].key, key) == 0) {
            bs->b[i].n += n;
            return;
        }
    push_count(bs, key, n);
}

static void free_buckets(buckets *bs)
{
    for (size_t i = 0; i < bs->n; i++)
        free(bs->b[i].key);
    free(bs->b);
}

static void on_date(void *ctx, const char *iso, int64_t n)
{
    buckets *bs = ctx;
    char key[16];
    if (period_key(iso, (nx_period_t)bs->period, key) == 0)
        add_count(bs, key, n);
}

static void on_value(void *ctx, const char *v, int64_t n)
{
    add_count(ctx, v, n);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const bucket *)a)->key, ((const bucket *)b)->key);
}


static int by_count(const void *a, const void *b)
{
    const bucket *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->key, y->key);
}

static nx_period_t period_of(const char *field)
{
    if (strcmp(field, "year") == 0)
        return NX_PERIOD_YEAR;
    if (strcmp(field, "month") == 0)
        return NX_PERIOD_MONTH;
    if (strcmp(field, "week") == 0)
        return NX_PERIOD_WEEK;
    if (strcmp(field, "day") == 0)
        return NX_PERIOD_DAY;
    return NX_PERIOD_AUTO;
}

nx_status_t nx_search_facet(nx_search_t *s, const char *field, size_t limit, nx_count_fn fn,
                            void *ctx)
{
    if (!s || !field || !fn)
        return NX_ERR_INVALID_ARG;
    nx_index_t *ix = nx_search_index(s);
    nx_period_t p = period_of(field);
    int is_date = p != NX_PERIOD_AUTO;
    if (!is_date && strcmp(field, "source") != 0 && strcmp(field, "lang") != 0)
        return nx_fail(ix, NX_ERR_INVALID_ARG,
                       "unknown facet '%s' (source, lang, year, month, week, day)", field);
    buckets bs = {NULL, 0, 0, 0, (int)p};
    nx_store_query q = nx_search_store_query(s);
    nx_status_t st = nx_store_value_counts(ix, &q, is_date ? "date" : field,
                                           is_date ? on_date : on_value, &bs);
    if (st == NX_OK && bs.oom)
        st = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    if (st == NX_OK && !is_date) {
        /* Articles without the field count as "(none)", so that the
         * counts of a facet add up to the number of hits. */
        int64_t total = 0, sum = 0;
        st = nx_search_count(s, &total);
        for (size_t i = 0; i < bs.n; i++)
            sum += bs.b[i].n;
        if (st == NX_OK && total > sum)
            add_count(&bs, "(none)", total - sum);
        if (bs.oom)
            st = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    }
    if (st == NX_OK) {
        /* Dates in time order; other values most frequent first. */
        if (bs.n)
            qsort(bs.b, bs.n, sizeof *bs.b, is_date ? by_key : by_count);
        for (size_t i = 0; i < bs.n && (!limit || i < limit); i++)
            fn(ctx, bs.b[i].key, bs.b[i].n);
    }
    free_buckets(&bs);
    return st;
}

/* Moves key to the next period; 0 when there is none (past year 9999). */
static int advance(char key[16], nx_period_t by)
{
    char nk[16];
    next_key(key, by, nk);
    if (strcmp(nk, key) <= 0)
        return 0;
    memcpy(key, nk, 16);
    return 1;
}

static const char *period_name(nx_period_t by)
{
    return by == NX_PERIOD_DAY ? "day" : by == NX_PERIOD_WEEK ? "week"
                                     : by == NX_PERIOD_MONTH ? "month" : "year";
}

/* A period that keeps a timeline readable: about 10 to 60 bars. */
static nx_period_t auto_period(const char *first, const char *last)
{
    long y1, y2;
    unsigned m1, d1, m2, d2;
    if (parse_day(first, &y1, &m1, &d1) || parse_day(last, &y2, &m2, &d2))
        return NX_PERIOD_MONTH;
    long span = days_from_civil(y2, m2, d2) - days_from_civil(y1, m1, d1);
    if (span <= 60)
        return NX_PERIOD_DAY;
    if (span <= 366)
        return NX_PERIOD_WEEK;
    if (span <= 6 * 366)
        return NX_PERIOD_MONTH;
    return NX_PERIOD_YEAR;
}

typedef struct day_range {
    char first[24], last[24];
} day_range;

static void on_day_range(void *ctx, const char *iso, int64_t n)
{
    (void)n;
    day_range *r = ctx;
    if (!r->first[0] || strcmp(iso, r->first) < 0)
        snprintf(r->first, sizeof r->first, "%s", iso);
    if (!r->last[0] || strcmp(iso, r->last) > 0)
        snprintf(r->last, sizeof r->last, "%s", iso);
}

typedef struct tuples {
    buckets bs;     /* "series TAB period[ TAB cluster]" */
    nx_period_t by;
    unsigned flags;
} tuples;

/* A value "date[ TAB source][ TAB cluster]" from the engine. */
static void on_tuple(void *ctx, const char *v, int64_t n)
{
    tuples *t = ctx;
    const char *tab = strchr(v, '\t');
    char key[16];
    if (period_key(v, t->by, key) != 0)
        return;
    const char *source = "", *cluster = "";
    size_t slen = 0;
    if (tab && (t->flags & NX_TIMELINE_SPLIT_SOURCE)) {
        source = tab + 1;
        const char *t2 = strchr(source, '\t');
        slen = t2 ? (size_t)(t2 - source) : strlen(source);
        tab = t2;
    }
    if (tab && (t->flags & NX_TIMELINE_UNIQUE))
        cluster = tab + 1;
    size_t need = slen + strlen(key) + strlen(cluster) + 4;
    char *k = malloc(need);
    if (!k) {
        t->bs.oom = 1;
        return;
    }
    snprintf(k, need, "%.*s\t%s%s%s", (int)slen, source, key,
             t->flags & NX_TIMELINE_UNIQUE ? "\t" : "", cluster);
    push_count(&t->bs, k, t->flags & NX_TIMELINE_UNIQUE ? 1 : n);
    free(k);
}

/* Sorts counts by key and adds up equal keys; with unique, a key counts
 * once and loses its last field (the cluster), then equal keys add up. */
static void merge_counts(buckets *bs, int unique)
{
    if (bs->n == 0)
        return;
    qsort(bs->b, bs->n, sizeof *bs->b, by_key);
    size_t o = 0;
    for (size_t i = 0; i < bs->n; i++) {
        if (o > 0 && strcmp(bs->b[o - 1].key, bs->b[i].key) == 0) {
            if (!unique)
                bs->b[o - 1].n += bs->b[i].n;
            free(bs->b[i].key);
            continue;
        }
        bs->b[o] = bs->b[i];
        if (unique)
            bs->b[o].n = 1;
        o++;
    }
    bs->n = o;
    if (!unique)
        return;
    for (size_t i = 0; i < bs->n; i++) {
        char *last = strrchr(bs->b[i].key, '\t');
        if (last)
            *last = '\0';
    }
    merge_counts(bs, 0);
}

typedef struct series_total {
    const char *name; /* borrowed from a bucket key, up to its tab */
    size_t len;
    int64_t n;
} series_total;

static int by_total(const void *a, const void *b)
{
    const series_total *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    size_t k = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->name, y->name, k);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

nx_status_t nx_search_timeline_ex(nx_search_t *s, nx_period_t by, unsigned flags,
                                  nx_series_fn fn, void *ctx, nx_period_t *chosen)
{
    if (!s || !fn || (flags & ~(unsigned)(NX_TIMELINE_UNIQUE | NX_TIMELINE_SPLIT_SOURCE)) ||
        by < NX_PERIOD_AUTO || by > NX_PERIOD_YEAR)
        return NX_ERR_INVALID_ARG;
    nx_index_t *ix = nx_search_index(s);
    nx_store_query q = nx_search_store_query(s);
    /* The span: the filters' date bounds where given, else the hits'. */
    day_range r;
    memset(&r, 0, sizeof r);
    nx_status_t st = nx_store_value_counts(ix, &q, "date", on_day_range, &r);
    if (st != NX_OK)
        return st;
    for (size_t i = 0; i < q.nfilters; i++) {
        const nx_filter *f = &q.filters[i];
        if (f->kind != NX_F_DATE || f->negated)
            continue;
        if (f->since[0])
            snprintf(r.first, sizeof r.first, "%s", f->since);
        if (f->until[0]) {
            /* until is exclusive: the last day shown is the one before. */
            long y;
            unsigned m, d;
            if (parse_day(f->until, &y, &m, &d) == 0) {
                civil_from_days(days_from_civil(y, m, d) - 1, &y, &m, &d);
                snprintf(r.last, sizeof r.last, "%04ld-%02u-%02u", y % 10000, m % 100, d % 100);
            }
        }
    }
    if (!r.first[0] || !r.last[0]) {
        if (chosen)
            *chosen = by == NX_PERIOD_AUTO ? NX_PERIOD_MONTH : by;
        return NX_OK; /* nothing dated matches: an empty timeline */
    }
    if (by == NX_PERIOD_AUTO)
        by = auto_period(r.first, r.last);
    if (chosen)
        *chosen = by;
    /* Every period is listed, so a span of centuries by day would be
     * millions of lines: refused before any counting. */
    char key[16], last[16];
    period_key(r.first, by, key);
    period_key(r.last, by, last);
    size_t periods = 0;
    for (int more = 1; more && strcmp(key, last) <= 0 && periods <= MAX_PERIODS; periods++)
        more = advance(key, by);
    if (periods > MAX_PERIODS)
        return nx_fail(ix, NX_ERR_QUERY,
                       "a timeline from %.10s to %.10s by %s would have more than %d periods; "
                       "choose a longer period or narrower dates",
                       r.first, r.last, period_name(by), MAX_PERIODS);
    tuples t = {{NULL, 0, 0, 0, (int)by}, by, flags};
    const char *field = (flags & NX_TIMELINE_SPLIT_SOURCE) && (flags & NX_TIMELINE_UNIQUE)
                            ? "date,source,cluster"
                        : flags & NX_TIMELINE_SPLIT_SOURCE ? "date,source"
                        : flags & NX_TIMELINE_UNIQUE       ? "date,cluster"
                                                           : "date";
    st = nx_store_value_counts(ix, &q, field, on_tuple, &t);
    buckets *bs = &t.bs;
    if (st == NX_OK && !bs->oom)
        merge_counts(bs, (flags & NX_TIMELINE_UNIQUE) != 0);
    if (st == NX_OK && bs->oom)
        st = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    /* The series, biggest first; keys are "series TAB period", sorted. */
    series_total *ser = NULL;
    size_t nser = 0;
    if (st == NX_OK && bs->n && !(ser = calloc(bs->n, sizeof *ser)))
        st = nx_fail(ix, NX_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == NX_OK && i < bs->n; i++) {
        const char *k = bs->b[i].key;
        size_t len = (size_t)(strchr(k, '\t') - k);
        if (nser == 0 || ser[nser - 1].len != len || memcmp(ser[nser - 1].name, k, len) != 0)
            ser[nser++] = (series_total){k, len, 0};
        ser[nser - 1].n += bs->b[i].n;
    }
    if (nser > 1)
        qsort(ser, nser, sizeof *ser, by_total);
    for (size_t si = 0; st == NX_OK && si < nser; si++) {
        char name[512];
        snprintf(name, sizeof name, "%.*s", (int)ser[si].len, ser[si].name);
        period_key(r.first, by, key);
        /* Every period from the first to the last, empty ones as zero. */
        for (int more = 1; more && strcmp(key, last) <= 0; more = advance(key, by)) {
            char want[600];
            snprintf(want, sizeof want, "%s\t%s", name, key);
            bucket probe = {want, 0};
            bucket *hit = bs->n ? bsearch(&probe, bs->b, bs->n, sizeof *bs->b, by_key) : NULL;
            fn(ctx, name, key, hit ? hit->n : 0);
        }
    }
    free(ser);
    free_buckets(bs);
    return st;
}

typedef struct one_series {
    nx_count_fn fn;
    void *ctx;
} one_series;

static void on_one_series(void *ctx, const char *series, const char *period, int64_t n)
{
    (void)series;
    one_series *o = ctx;
    o->fn(o->ctx, period, n);
}

nx_status_t nx_search_timeline(nx_search_t *s, nx_period_t by, nx_count_fn fn, void *ctx,
                               nx_period_t *chosen)
{
    if (!s || !fn)
        return NX_ERR_INVALID_ARG;
    one_series o = {fn, ctx};
    return nx_search_timeline_ex(s, by, 0, on_one_series, &o, chosen);
}
