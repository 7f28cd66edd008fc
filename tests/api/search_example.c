/* search_example.c - a whole program against the public header only: opens
 * an index, indexes a folder into it, searches it and prints each hit with its
 * snippet. The API test builds it like a user would and checks what it prints. */
#include <newsidx.h>

#include <stdio.h>

static void on_problem(void *ctx, const char *path, long line, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "%s:%ld: %s\n", path, line, msg);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: search_example INDEX FOLDER QUERY\n");
        return 2;
    }
    nx_index_t *ix;
    char err[512];
    if (nx_index_open(argv[1], NX_OPEN_CREATE, "english", &ix, err, sizeof err) != NX_OK) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    nx_ingest_options_t opts = {0};
    opts.on_problem = on_problem;
    nx_ingest_t *g;
    nx_ingest_counts_t n;
    nx_status_t st = nx_ingest_begin(ix, &opts, &g);
    if (st == NX_OK)
        st = nx_ingest_path(g, argv[2]);
    if (st == NX_OK)
        st = nx_ingest_finish(g, &n);
    nx_ingest_destroy(g);
    if (st != NX_OK) {
        fprintf(stderr, "%s: %s\n", nx_status_to_string(st), nx_index_last_error(ix));
        nx_index_close(ix);
        return 2;
    }
    printf("indexed %lld articles\n", (long long)n.articles_added);

    nx_search_t *s = NULL;
    nx_results_t *r = NULL;
    int found = 0;
    st = nx_search_new(ix, argv[3], &s);
    if (st == NX_OK)
        st = nx_search_run(s, &r);
    /* The total from the run (the FTS5 engine counts while ranking) must
     * be what a count gives. */
    int64_t total = -1, counted = -1;
    if (st == NX_OK)
        st = nx_results_total(r, &total);
    if (st == NX_OK)
        st = nx_search_count(s, &counted);
    if (st == NX_OK)
        printf("total %lld, counted %lld\n", (long long)total, (long long)counted);
    /* A page of no hits still has the total. */
    nx_search_t *none = NULL;
    nx_results_t *rn = NULL;
    int64_t total0 = -1;
    if (st == NX_OK)
        st = nx_search_new(ix, argv[3], &none);
    if (st == NX_OK)
        st = nx_search_set_limit(none, 0);
    if (st == NX_OK)
        st = nx_search_set_collapse(none, 0);
    if (st == NX_OK)
        st = nx_search_run(none, &rn);
    if (st == NX_OK)
        st = nx_results_total(rn, &total0);
    if (st == NX_OK)
        printf("limit 0: valid %d, total %lld\n", nx_results_valid(rn), (long long)total0);
    nx_results_destroy(rn);
    nx_search_destroy(none);
    /* Runs of one search, one while another's results are open and one
     * after (the engine may keep its statements between runs), list the
     * same first hit. */
    for (int i = 0; st == NX_OK && i < 2; i++) {
        nx_results_t *again = NULL;
        st = nx_search_run(s, &again);
        if (st == NX_OK && nx_results_valid(r) && nx_results_valid(again))
            printf("run %d: first hit %s\n", i + 2,
                   nx_article_get(nx_results_get(again), NX_FIELD_ID));
        nx_results_destroy(again);
    }
    for (; st == NX_OK && nx_results_valid(r); nx_results_move_to_next(r)) {
        const nx_article_t *a = nx_results_get(r);
        const char *text;
        const nx_span_t *spans;
        size_t nspans;
        printf("%zu %s\n", nx_results_rank(r), nx_article_get(a, NX_FIELD_ID));
        if (nx_results_snippet(r, &text, &spans, &nspans) == NX_OK && nspans)
            printf("  first highlight: %.*s\n", (int)(spans[0].end - spans[0].start),
                   text + spans[0].start);
        found++;
    }
    if (st == NX_OK)
        st = nx_results_status(r);
    if (st != NX_OK)
        fprintf(stderr, "%s\n", nx_index_last_error(ix));
    nx_results_destroy(r);
    nx_search_destroy(s);
    nx_index_close(ix);
    return st != NX_OK ? 2 : found ? 0 : 1;
}
