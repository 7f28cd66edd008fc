/* readers_example.c - readers as the header promises them: several threads,
 * each with its own read-only handle on one index, searching at once; and
 * a read-only handle that stays usable while a writer commits again and
 * again. Both once failed on the Xapian engine (a shared match-all query
 * crashed threads; a reader two commits behind failed for good).
 *
 * usage: readers_example INDEX NEW.jsonl...  (INDEX exists; each NEW file
 * is indexed in a run of its own while the reader stays open) */
#include <newsidx.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4
#define ROUNDS 150

typedef struct job {
    const char *path;
    int64_t all, rest; /* what every search must count */
    int bad;
} job;

static int64_t count(nx_index_t *ix, const char *query)
{
    nx_search_t *s = NULL;
    int64_t n = -1;
    if (nx_search_new(ix, query, &s) != NX_OK || nx_search_count(s, &n) != NX_OK)
        n = -1;
    nx_search_destroy(s);
    return n;
}

static void *reader(void *arg)
{
    job *j = arg;
    nx_index_t *ix;
    char err[256];
    if (nx_index_open(j->path, NX_OPEN_READ_ONLY, NULL, &ix, err, sizeof err) != NX_OK) {
        j->bad = 1;
        return NULL;
    }
    /* "" and an exclusion alone both start from every article. */
    for (int i = 0; i < ROUNDS && !j->bad; i++)
        j->bad = count(ix, "") != j->all || count(ix, "-zzzznotaword") != j->rest;
    nx_index_close(ix);
    return NULL;
}

static int add(const char *path, const char *file)
{
    nx_index_t *ix;
    char err[256];
    if (nx_index_open(path, NX_OPEN_READ_WRITE, NULL, &ix, err, sizeof err) != NX_OK) {
        fprintf(stderr, "writer: %s\n", err);
        return -1;
    }
    nx_ingest_options_t opts = {0};
    nx_ingest_t *g = NULL;
    nx_ingest_counts_t n;
    nx_status_t st = nx_ingest_begin(ix, &opts, &g);
    if (st == NX_OK)
        st = nx_ingest_path(g, file);
    if (st == NX_OK)
        st = nx_ingest_finish(g, &n);
    nx_ingest_destroy(g);
    if (st != NX_OK)
        fprintf(stderr, "writer: %s\n", nx_index_last_error(ix));
    nx_index_close(ix);
    return st == NX_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: readers_example INDEX NEW.jsonl...\n");
        return 2;
    }
    nx_index_t *ix;
    char err[256];
    if (nx_index_open(argv[1], NX_OPEN_READ_ONLY, NULL, &ix, err, sizeof err) != NX_OK) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    int64_t all = count(ix, "");
    job jobs[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){argv[1], all, all, 0};
        if (pthread_create(&t[i], NULL, reader, &jobs[i]) != 0)
            return 2;
    }
    int bad = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        bad += jobs[i].bad;
    }
    printf("threads: %d of %d counted %lld every time\n", THREADS - bad, THREADS,
           (long long)all);

    /* The same handle across the writer's runs: each run commits. */
    for (int i = 2; i < argc; i++)
        if (add(argv[1], argv[i]) != 0)
            return 2;
    int64_t after = count(ix, "");
    printf("reader after %d runs: %lld articles (%s)\n", argc - 2, (long long)after,
           after < 0 ? nx_index_last_error(ix) : "ok");
    nx_index_close(ix);
    return 0;
}
