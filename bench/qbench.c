/* qbench.c - in-process query latency of newsidx through its C library.
 *
 *   qbench -d INDEX [-n 10] [-s] [-c] [-w N] QUERYFILE
 *
 * Opens the index once (read-only), then for each line of QUERYFILE (one
 * query per line, in newsidx syntax) times what a program using the library
 * does to show a result page: nx_search_new, set the limit, nx_search_run,
 * walk the hits reading id and title, and with -s build each hit's snippet
 * (nx_results_snippet). -c also counts all matches (nx_results_total after
 * the run), as `newsidx search` does for its "total". The first N queries (-w, default
 * 0) are run once untimed to warm the caches.
 *
 * Prints one line per query, tab-separated: wall-clock microseconds, CPU
 * microseconds of the process (what the query cost, whatever else the
 * machine was doing), the number of hits returned (at most -n) and the
 * status ("ok" or the error). Exit status 0, or 2 when the index cannot be
 * opened or the query file read. */
#include <newsidx.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_us(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void usage(FILE *f)
{
    fputs("usage: qbench -d INDEX [-n LIMIT] [-s] [-c] [-w WARMUP] QUERYFILE\n"
          "  -s  build snippets for each hit   -c  also count all matches\n",
          f);
}

/* Runs one query; returns the number of hits walked, or -1 with *err set. */
static long run_query(nx_index_t *ix, const char *q, size_t limit, int snippets, int count,
                      const char **err)
{
    nx_search_t *s = NULL;
    nx_results_t *r = NULL;
    long hits = 0;
    size_t sink = 0;
    nx_status_t st = nx_search_new(ix, q, &s);
    if (st == NX_OK)
        st = nx_search_set_limit(s, limit);
    if (st == NX_OK)
        st = nx_search_run(s, &r);
    if (st == NX_OK && count) {
        int64_t total = 0;
        st = nx_results_total(r, &total);
    }
    for (; st == NX_OK && nx_results_valid(r); nx_results_move_to_next(r)) {
        const nx_article_t *a = nx_results_get(r);
        const char *id = nx_article_get(a, NX_FIELD_ID);
        const char *title = nx_article_get(a, NX_FIELD_TITLE);
        sink += (id ? strlen(id) : 0) + (title ? strlen(title) : 0);
        if (snippets) {
            const char *text;
            const nx_span_t *spans;
            size_t n;
            st = nx_results_snippet(r, &text, &spans, &n);
            if (st == NX_OK)
                sink += strlen(text) + n;
        }
        hits++;
    }
    if (st == NX_OK && r)
        st = nx_results_status(r);
    if (st != NX_OK) {
        *err = nx_index_last_error(ix)[0] ? nx_index_last_error(ix) : nx_status_to_string(st);
        hits = -1;
    }
    nx_results_destroy(r);
    nx_search_destroy(s);
    (void)sink;
    return hits;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *qfile = NULL;
    size_t limit = 10, warmup = 0;
    int snippets = 0, count = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-d") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(a, "-n") == 0 && i + 1 < argc)
            limit = strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "-w") == 0 && i + 1 < argc)
            warmup = strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "-s") == 0)
            snippets = 1;
        else if (strcmp(a, "-c") == 0)
            count = 1;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (a[0] != '-' && !qfile)
            qfile = a;
        else {
            usage(stderr);
            return 2;
        }
    }
    if (!db || !qfile) {
        usage(stderr);
        return 2;
    }
    FILE *f = fopen(qfile, "r");
    if (!f) {
        fprintf(stderr, "qbench: %s: %s\n", qfile, strerror(errno));
        return 2;
    }
    char **queries = NULL;
    size_t nq = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (nq == cap) {
            cap = cap ? cap * 2 : 1024;
            char **nqs = realloc(queries, cap * sizeof *queries);
            if (!nqs) {
                fputs("qbench: out of memory\n", stderr);
                return 2;
            }
            queries = nqs;
        }
        queries[nq] = strdup(line);
        if (!queries[nq]) {
            fputs("qbench: out of memory\n", stderr);
            return 2;
        }
        nq++;
    }
    free(line);
    fclose(f);

    nx_index_t *ix;
    char err[512];
    if (nx_index_open(db, NX_OPEN_READ_ONLY, NULL, &ix, err, sizeof err) != NX_OK) {
        fprintf(stderr, "qbench: %s\n", err);
        return 2;
    }
    const char *e = NULL;
    for (size_t i = 0; i < warmup && i < nq; i++)
        (void)run_query(ix, queries[i], limit, snippets, count, &e);
    for (size_t i = 0; i < nq; i++) {
        e = NULL;
        double t0 = clock_us(CLOCK_MONOTONIC), c0 = clock_us(CLOCK_PROCESS_CPUTIME_ID);
        long hits = run_query(ix, queries[i], limit, snippets, count, &e);
        double c1 = clock_us(CLOCK_PROCESS_CPUTIME_ID), t1 = clock_us(CLOCK_MONOTONIC);
        printf("%.1f\t%.1f\t%ld\t%s\n", t1 - t0, c1 - c0, hits < 0 ? 0 : hits,
               hits < 0 ? e : "ok");
    }
    nx_index_close(ix);
    for (size_t i = 0; i < nq; i++)
        free(queries[i]);
    free(queries);
    return 0;
}
