/* dupeval.c - precision, recall and speed of near-duplicate clustering
 * (src/analyze/minhash.c, src/lib/dupindex.c) on the set bench/dupes.py
 * builds.
 *
 *   dupeval [-o file|date] [-t] [-s] [-f N] [-b] DIR    DIR/dupes.jsonl + truth.tsv
 *   dupeval -m N                                        memory and speed at N articles
 *
 * Each article, in file order (-o date: by date, copies after originals),
 * goes through what the index writer (src/lib/ingest.c) does:
 * nx_mh_signature on the body (-t: headline, blank line, body),
 * nx_dup_assign with a fetch callback over the texts held in memory (it
 * returns a malloc'ed copy, as a store would), then nx_dupindex_add with the
 * cluster found or the article's own number. Articles too short to
 * fingerprint stay alone.
 *
 * Quality is pairwise: of the pairs of articles put in one cluster, the
 * share that truth.tsv puts in one group (precision), and of the pairs it
 * groups, the share put in one cluster (recall); recall is also given
 * separately for groups holding made copies and for Reuters' own
 * duplicates. Time is the CPU time of the thread (steady when other work
 * shares the machine) per article and per MB of text, signature and
 * assignment included. -s sweeps the thresholds, -f N lists N wrongly
 * merged and N missed pairs to look at, -b prints one table row (for
 * comparing builds with another NX_MH_SHINGLE: shingle length, order,
 * precision, recall, F1, recall of made copies and of Reuters duplicates,
 * µs/article, s/MB). -m N adds N random signatures (every band key
 * distinct: the most memory an index can take) and reports
 * nx_dupindex_bytes and the time of add, assign and remove.
 *
 * Prints Markdown. Exit status 0, 2 on bad usage or unreadable input. */
#include "../src/lib/dupindex.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

typedef struct doc {
    char *id, *title, *date;
    char *text; /* title, blank line, body */
    size_t len;
    int group;
    int copy;   /* a made copy (id "...-cN") */
} doc;

typedef struct corpus {
    doc *d;
    size_t n, cap;
    size_t bytes;
    int ngroups;
} corpus;

typedef struct result {
    double precision, recall, f1;
    double recall_copies, recall_reuters;
    long pred_pairs, true_pairs, tp;
    double us_per_article, s_per_mb, us_sig;
    double fetches;  /* texts read per article */
    size_t short_texts;
    size_t index_bytes;
} result;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p) {
        fprintf(stderr, "dupeval: out of memory\n");
        exit(2);
    }
    return p;
}

static const char *jstr(json_object *o, const char *k)
{
    json_object *v;
    return json_object_object_get_ex(o, k, &v) ? json_object_get_string(v) : "";
}

static int load(const char *dir, int with_title, corpus *c)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/dupes.jsonl", dir);
    FILE *fa = fopen(path, "r");
    snprintf(path, sizeof path, "%s/truth.tsv", dir);
    FILE *ft = fopen(path, "r");
    if (!fa || !ft) {
        fprintf(stderr, "dupeval: cannot read %s/dupes.jsonl and truth.tsv (run bench/dupes.py)\n",
                dir);
        if (fa)
            fclose(fa);
        if (ft)
            fclose(ft);
        return -1;
    }
    char *line = NULL, *tline = NULL;
    size_t lcap = 0, tcap = 0;
    int rc = 0;
    while (getline(&line, &lcap, fa) > 0) {
        if (getline(&tline, &tcap, ft) <= 0) {
            fprintf(stderr, "dupeval: truth.tsv is shorter than dupes.jsonl\n");
            rc = -1;
            break;
        }
        json_object *o = json_tokener_parse(line);
        if (!o) {
            fprintf(stderr, "dupeval: bad JSON line %zu\n", c->n + 1);
            rc = -1;
            break;
        }
        if (c->n == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 1024;
            c->d = realloc(c->d, c->cap * sizeof *c->d);
            if (!c->d) {
                fprintf(stderr, "dupeval: out of memory\n");
                exit(2);
            }
        }
        doc *d = &c->d[c->n];
        d->id = xstrdup(jstr(o, "id"));
        d->title = xstrdup(jstr(o, "title"));
        d->date = xstrdup(jstr(o, "date"));
        const char *body = jstr(o, "body");
        d->len = (with_title ? strlen(d->title) + 2 : 0) + strlen(body);
        d->text = malloc(d->len + 1);
        if (!d->text) {
            fprintf(stderr, "dupeval: out of memory\n");
            exit(2);
        }
        snprintf(d->text, d->len + 1, "%s%s%s", with_title ? d->title : "",
                 with_title ? "\n\n" : "", body);
        json_object_put(o);
        char *tab = strchr(tline, '\t');
        size_t idlen = strlen(d->id);
        if (!tab || (size_t)(tab - tline) != idlen || strncmp(tline, d->id, idlen)) {
            fprintf(stderr, "dupeval: truth.tsv line %zu is not about %s\n", c->n + 1, d->id);
            rc = -1;
            break;
        }
        d->group = atoi(tab + 1);
        if (d->group + 1 > c->ngroups)
            c->ngroups = d->group + 1;
        d->copy = strstr(d->id, "-c") != NULL;
        c->bytes += d->len;
        c->n++;
    }
    free(line);
    free(tline);
    fclose(fa);
    fclose(ft);
    return rc;
}

/* ---------------------------------------------------------------- running */

typedef struct fetch_ctx {
    const corpus *c;
    long fetches;
} fetch_ctx;

static int fetch_text(void *ctx, int64_t key, char **text, size_t *len)
{
    fetch_ctx *f = ctx;
    if (key < 0 || (size_t)key >= f->c->n)
        return 1;
    const doc *d = &f->c->d[key];
    *text = malloc(d->len + 1);
    if (!*text)
        return 1;
    memcpy(*text, d->text, d->len + 1);
    *len = d->len;
    f->fetches++;
    return 0;
}

static const corpus *sort_corpus; /* for the qsort comparators below */

static int by_date(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int r = strcmp(sort_corpus->d[i].date, sort_corpus->d[j].date);
    return r ? r : (i > j) - (i < j);
}

/* Clusters the corpus in order[]; cluster[i] for doc i. */
static void run(const corpus *c, const size_t *order, const nx_dup_params *p, int64_t *cluster,
                result *r)
{
    nx_dupindex *ix = nx_dupindex_new();
    fetch_ctx f = {c, 0};
    double t_sig = 0, t0 = now_us();
    r->short_texts = 0;
    for (size_t k = 0; k < c->n; k++) {
        size_t i = order[k];
        const doc *d = &c->d[i];
        nx_mh_sig sig;
        double ts = now_us();
        int rc = nx_mh_signature(d->text, d->len, &sig, NULL);
        t_sig += now_us() - ts;
        cluster[i] = (int64_t)i;
        if (rc == NX_MH_SHORT) {
            r->short_texts++;
            continue;
        }
        int64_t cl;
        if (rc != 0 || !ix ||
            nx_dup_assign_with(ix, &sig, d->text, d->len, fetch_text, &f, p, &cl) ||
            nx_dupindex_add(ix, &sig, (int64_t)i, cl >= 0 ? cl : (int64_t)i)) {
            fprintf(stderr, "dupeval: out of memory\n");
            exit(2);
        }
        if (cl >= 0)
            cluster[i] = cl;
    }
    double total = now_us() - t0;
    r->us_per_article = total / (double)c->n;
    r->us_sig = t_sig / (double)c->n;
    r->s_per_mb = total / 1e6 / ((double)c->bytes / 1e6);
    r->fetches = (double)f.fetches / (double)c->n;
    r->index_bytes = nx_dupindex_bytes(ix);
    nx_dupindex_free(ix);
}

/* ------------------------------------------------------------- evaluation */

typedef struct gc {
    int64_t a, b;
} gc;

static int gc_cmp(const void *x, const void *y)
{
    const gc *p = x, *q = y;
    if (p->a != q->a)
        return (p->a > q->a) - (p->a < q->a);
    return (p->b > q->b) - (p->b < q->b);
}

/* Pairs within runs of equal a (b ignored when by_b is 0) of a sorted array;
 * with gtype, only runs whose first element's a has gtype[a] == want. */
static long count_pairs(const gc *v, size_t n, int by_b, const int *gtype, int want)
{
    long pairs = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && v[j].a == v[i].a && (!by_b || v[j].b == v[i].b))
            j++;
        long m = (long)(j - i);
        if (!gtype || gtype[v[i].a] == want)
            pairs += m * (m - 1) / 2;
        i = j;
    }
    return pairs;
}

static void evaluate(const corpus *c, const int64_t *cluster, result *r)
{
    gc *v = malloc(c->n * sizeof *v);
    int *gtype = calloc((size_t)c->ngroups, sizeof *gtype);
    if (!v || !gtype) {
        fprintf(stderr, "dupeval: out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < c->n; i++)
        if (c->d[i].copy)
            gtype[c->d[i].group] = 1;

    for (size_t i = 0; i < c->n; i++)
        v[i] = (gc){cluster[i], 0};
    qsort(v, c->n, sizeof *v, gc_cmp);
    r->pred_pairs = count_pairs(v, c->n, 0, NULL, 0);

    for (size_t i = 0; i < c->n; i++)
        v[i] = (gc){c->d[i].group, cluster[i]};
    qsort(v, c->n, sizeof *v, gc_cmp);
    r->true_pairs = count_pairs(v, c->n, 0, NULL, 0);
    r->tp = count_pairs(v, c->n, 1, NULL, 0);
    long true_copies = count_pairs(v, c->n, 0, gtype, 1);
    long tp_copies = count_pairs(v, c->n, 1, gtype, 1);
    long true_reuters = count_pairs(v, c->n, 0, gtype, 0);
    long tp_reuters = count_pairs(v, c->n, 1, gtype, 0);

    r->precision = r->pred_pairs ? (double)r->tp / (double)r->pred_pairs : 1.0;
    r->recall = r->true_pairs ? (double)r->tp / (double)r->true_pairs : 1.0;
    r->f1 = r->precision + r->recall > 0
                ? 2 * r->precision * r->recall / (r->precision + r->recall)
                : 0;
    r->recall_copies = true_copies ? (double)tp_copies / (double)true_copies : 1.0;
    r->recall_reuters = true_reuters ? (double)tp_reuters / (double)true_reuters : 1.0;
    free(v);
    free(gtype);
}

static void row(const char *label, const nx_dup_params *p, const result *r)
{
    printf("| %s | %d | %.2f | %zu: %.2f | %.2f | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %ld | "
           "%.2f | %.1f | %.2f |\n",
           label, p->min_agree, p->min_containment, p->short_shingles, p->min_containment_short,
           p->max_contradicted, p->max_verify,
           r->precision, r->recall, r->f1,
           r->recall_copies, r->recall_reuters, r->pred_pairs - r->tp, r->fetches,
           r->us_per_article, r->s_per_mb);
}

static void header(void)
{
    printf("| run | min agree | min containment | short: min containment | max contradicted | "
           "max verify | precision | "
           "recall | F1 | "
           "recall (made copies) | recall (Reuters dups) | wrong pairs | texts read/article | "
           "µs/article | s/MB |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
}

/* ---------------------------------------------------------- inspection */

/* Containment, figures confirmed/contradicted and agreement of a pair. */
static void pair_row(const doc *a, const doc *b)
{
    nx_mh_text *ta = nx_mh_text_new(a->text, a->len), *tb = nx_mh_text_new(b->text, b->len);
    nx_mh_sig sa, sb;
    nx_mh_signature(a->text, a->len, &sa, NULL);
    nx_mh_signature(b->text, b->len, &sb, NULL);
    int conf = 0, contra = 0;
    if (ta && tb)
        nx_mh_text_figures(ta, tb, &conf, &contra);
    printf("| %s | %s | %.2f | %d/%d | %d | %.50s | %.50s |\n", a->id, b->id,
           ta && tb ? nx_mh_text_containment(ta, tb) : -1.0, conf, contra, nx_mh_agree(&sa, &sb),
           a->title, b->title);
    nx_mh_text_free(ta);
    nx_mh_text_free(tb);
}

static void show_pairs(const corpus *c, const int64_t *cluster, int n)
{
    printf("\n### Wrongly merged (same cluster, different groups)\n\n");
    printf("| a | b | containment | figures confirmed/contradicted | agree | title a | title b |\n"
           "|---|---|---|---|---|---|---|\n");
    int shown = 0;
    for (size_t i = 0; i < c->n && shown < n; i++) {
        if (cluster[i] == (int64_t)i)
            continue;
        const doc *a = &c->d[i], *b = &c->d[cluster[i]];
        if (a->group == b->group)
            continue;
        pair_row(a, b);
        shown++;
    }
    printf("\n### Missed (same group, different clusters)\n\n");
    printf("| a | b | containment | figures confirmed/contradicted | agree | title a | title b |\n"
           "|---|---|---|---|---|---|---|\n");
    shown = 0;
    for (size_t i = 0; i < c->n && shown < n; i++) {
        for (size_t j = i + 1; j < c->n && shown < n; j++) {
            const doc *a = &c->d[i], *b = &c->d[j];
            if (a->group != b->group || cluster[i] == cluster[j])
                continue;
            pair_row(a, b);
            shown++;
        }
    }
}

/* ------------------------------------------------------------------ scale */

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int no_text(void *ctx, int64_t key, char **text, size_t *len)
{
    (void)ctx, (void)key, (void)text, (void)len;
    return 1;
}

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int scale(long n)
{
    long rss0 = max_rss_kb();
    nx_dupindex *ix = nx_dupindex_new();
    uint64_t seed = 0x2545f4914f6cdd1dULL;
    nx_mh_sig sig;
    double t0 = now_us();
    for (long i = 0; i < n; i++) {
        for (int k = 0; k < NX_MH_K; k++)
            sig.v[k] = (uint16_t)xorshift(&seed);
        if (!ix || nx_dupindex_add(ix, &sig, i, i)) {
            fprintf(stderr, "dupeval: out of memory at %ld articles\n", i);
            return 2;
        }
    }
    double t_add = now_us() - t0;
    size_t bytes = nx_dupindex_bytes(ix);
    long rss = max_rss_kb() - rss0;

    long q = n < 100000 ? n : 100000;
    int64_t cl;
    t0 = now_us();
    for (long i = 0; i < q; i++) {
        for (int k = 0; k < NX_MH_K; k++)
            sig.v[k] = (uint16_t)xorshift(&seed);
        nx_dup_assign(ix, &sig, "", 0, no_text, NULL, &cl);
    }
    double t_assign = now_us() - t0;
    t0 = now_us();
    for (long i = 0; i < n; i += 2)
        nx_dupindex_remove(ix, i);
    double t_remove = now_us() - t0;

    printf("| articles | index bytes | bytes/article | max RSS growth | add µs | "
           "assign µs (no candidate) | remove µs |\n|---|---|---|---|---|---|---|\n");
    printf("| %ld | %.1f MB | %.0f | %.1f MB | %.2f | %.2f | %.2f |\n", n, (double)bytes / 1e6,
           (double)bytes / (double)n, (double)rss / 1024.0, t_add / (double)n,
           t_assign / (double)q, t_remove / (double)((n + 1) / 2));
    nx_dupindex_free(ix);
    return 0;
}

/* ------------------------------------------------------------------- main */

static void usage(void)
{
    fprintf(stderr, "usage: dupeval [-o file|date] [-t] [-s] [-f N] [-b] DIR\n"
                    "       dupeval -m N\n");
}

int main(int argc, char **argv)
{
    const char *order_by = "file";
    int sweep = 0, brief = 0, show = 0, with_title = 0;
    long scale_n = 0;
    int opt;
    while ((opt = getopt(argc, argv, "o:tsf:bm:")) != -1) {
        switch (opt) {
        case 'o': order_by = optarg; break;
        case 't': with_title = 1; break;
        case 's': sweep = 1; break;
        case 'f': show = atoi(optarg); break;
        case 'b': brief = 1; break;
        case 'm': scale_n = atol(optarg); break;
        default: usage(); return 2;
        }
    }
    if (scale_n > 0)
        return scale(scale_n);
    if (optind != argc - 1 || (strcmp(order_by, "file") && strcmp(order_by, "date"))) {
        usage();
        return 2;
    }
    corpus c = {0};
    if (load(argv[optind], with_title, &c))
        return 2;
    size_t *order = malloc(c.n * sizeof *order);
    int64_t *cluster = malloc(c.n * sizeof *cluster);
    if (!order || !cluster)
        return 2;
    for (size_t i = 0; i < c.n; i++)
        order[i] = i;
    if (!strcmp(order_by, "date")) {
        sort_corpus = &c;
        qsort(order, c.n, sizeof *order, by_date);
    }

    nx_dup_params def = {NX_DUP_MIN_AGREE,        NX_DUP_MIN_CONTAINMENT, NX_DUP_MAX_VERIFY,
                         NX_DUP_MAX_CONTRADICTED, NX_DUP_SHORT_SHINGLES,
                         NX_DUP_MIN_CONTAINMENT_SHORT};
    result r;
    run(&c, order, &def, cluster, &r);
    evaluate(&c, cluster, &r);
    if (brief) {
        printf("| %d | %s%s | %.4f | %.4f | %.4f | %.4f | %.4f | %.1f | %.2f |\n",
               NX_MH_SHINGLE, order_by, with_title ? ", headline" : "", r.precision, r.recall,
               r.f1, r.recall_copies, r.recall_reuters, r.us_per_article, r.s_per_mb);
        return 0;
    }
    printf("## Near-duplicate clustering: %zu articles, %.1f MB, %ld true pairs, order: %s, "
           "text: %s\n\n",
           c.n, (double)c.bytes / 1e6, r.true_pairs, order_by,
           with_title ? "headline + body" : "body");
    printf("shingle k = %d, %d values, %d bands; %zu texts too short to fingerprint; "
           "signature %.1f µs/article; index %.1f MB\n\n",
           NX_MH_SHINGLE, NX_MH_K, NX_MH_BANDS, r.short_texts, r.us_sig,
           (double)r.index_bytes / 1e6);
    header();
    row("chosen", &def, &r);
    if (sweep) {
        static const int agrees[] = {2, 3, 4, 5, 6, 8};
        static const double conts[] = {0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
        static const int verifies[] = {1, 2, 3, 4, 8};
        result best = r;
        nx_dup_params bestp = def;
        for (size_t a = 0; a < sizeof agrees / sizeof *agrees; a++) {
            for (size_t k = 0; k < sizeof conts / sizeof *conts; k++) {
                nx_dup_params p = def;
                p.min_agree = agrees[a];
                p.min_containment = conts[k];
                result s;
                run(&c, order, &p, cluster, &s);
                evaluate(&c, cluster, &s);
                row("sweep", &p, &s);
                if (s.f1 > best.f1) {
                    best = s;
                    bestp = p;
                }
            }
        }
        static const double contras[] = {0.0, 0.1, 0.25, 0.34, 0.5, 1.0};
        for (size_t k = 0; k < sizeof contras / sizeof *contras; k++) {
            nx_dup_params p = def;
            p.max_contradicted = contras[k];
            result s;
            run(&c, order, &p, cluster, &s);
            evaluate(&c, cluster, &s);
            row("figures", &p, &s);
        }
        static const size_t shorts[] = {0, 40, 60};
        static const double short_conts[] = {0.6, 0.7, 0.8};
        for (size_t a = 0; a < sizeof shorts / sizeof *shorts; a++) {
            for (size_t k = 0; k < sizeof short_conts / sizeof *short_conts; k++) {
                if (shorts[a] == 0 && k > 0)
                    continue;
                nx_dup_params p = def;
                p.short_shingles = shorts[a];
                p.min_containment_short = short_conts[k];
                result s;
                run(&c, order, &p, cluster, &s);
                evaluate(&c, cluster, &s);
                row("short", &p, &s);
            }
        }
        for (size_t v = 0; v < sizeof verifies / sizeof *verifies; v++) {
            nx_dup_params p = def;
            p.max_verify = verifies[v];
            result s;
            run(&c, order, &p, cluster, &s);
            evaluate(&c, cluster, &s);
            row("verify", &p, &s);
        }
        row("best F1", &bestp, &best);
        run(&c, order, &def, cluster, &r); /* the chosen clustering for -f */
    }
    if (show > 0)
        show_pairs(&c, cluster, show);
    for (size_t i = 0; i < c.n; i++) {
        free(c.d[i].id);
        free(c.d[i].title);
        free(c.d[i].date);
        free(c.d[i].text);
    }
    free(c.d);
    free(order);
    free(cluster);
    return 0;
}
