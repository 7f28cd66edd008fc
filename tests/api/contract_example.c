/* contract_example.c - the header's promises about arguments out of range
 * and out-parameters on failure, each of which a review found broken:
 * periods and flags outside their enums, a shard count that filled the disk
 * with folders, and a snippet that left the caller's old pointers in place.
 *
 * usage: contract_example INDEX SCRATCH_DIR [LOCKED_XAPIAN]
 * (INDEX holds articles; LOCKED_XAPIAN, when given, is a Xapian index whose
 * files this process may read but not write: it must be refused for
 * writing as NX_ERR_READ_ONLY, which once came back as NX_ERR_BUSY) */
#include <newsidx.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int failures;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    failures += !ok;
}

static void on_count(void *ctx, const char *period, int64_t n)
{
    (void)ctx, (void)period, (void)n;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: contract_example INDEX SCRATCH_DIR [LOCKED_XAPIAN]\n");
        return 2;
    }
    nx_index_t *ix;
    char err[256];
    if (nx_index_open(argv[1], NX_OPEN_READ_ONLY, NULL, &ix, err, sizeof err) != NX_OK) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    nx_search_t *s = NULL;
    check(nx_search_new_ex(ix, "ukraine", 0xffu, &s) == NX_ERR_INVALID_ARG && !s,
          "nx_search_new_ex: unknown flags are refused");
    if (nx_search_new(ix, "ukraine", &s) != NX_OK)
        return 2;
    nx_period_t chosen = NX_PERIOD_DAY;
    check(nx_search_timeline(s, (nx_period_t)99, on_count, NULL, &chosen) == NX_ERR_INVALID_ARG,
          "nx_search_timeline: a period outside nx_period_t is refused");
    check(nx_search_timeline(s, (nx_period_t)-1, on_count, NULL, &chosen) == NX_ERR_INVALID_ARG,
          "nx_search_timeline: a negative period is refused");
    check(nx_search_timeline(s, NX_PERIOD_YEAR, on_count, NULL, &chosen) == NX_OK &&
              chosen == NX_PERIOD_YEAR,
          "nx_search_timeline: a period in range works");

    /* A snippet asked of results that are used up: failure clears. */
    nx_results_t *r = NULL;
    if (nx_search_run(s, &r) != NX_OK)
        return 2;
    while (nx_results_valid(r))
        nx_results_move_to_next(r);
    const char *text = (const char *)1;
    const nx_span_t *spans = (const nx_span_t *)1;
    size_t nspans = 77;
    check(nx_results_snippet(r, &text, &spans, &nspans) != NX_OK && !text && !spans &&
              nspans == 0,
          "nx_results_snippet: out-parameters cleared on failure");
    nx_results_destroy(r);
    nx_search_destroy(s);
    nx_index_close(ix);

    /* Too many shards: refused before anything is made on disk. */
    char path[4096];
    snprintf(path, sizeof path, "%s/too-many-shards", argv[2]);
    nx_open_options_t o;
    memset(&o, 0, sizeof o);
    o.engine = "xapian";
    o.shards = NX_MAX_SHARDS + 1;
    const char *one[] = {path};
    nx_index_t *big = NULL;
    struct stat st;
    check(nx_index_open_ex(one, 1, NX_OPEN_CREATE, &o, &big, err, sizeof err) ==
                  NX_ERR_INVALID_ARG &&
              !big && strstr(err, "shards") && stat(path, &st) != 0,
          "nx_index_open_ex: more than NX_MAX_SHARDS shards refused, nothing created");
    check(nx_index_open_ex(one, 1, (nx_open_mode_t)7, NULL, &big, err, sizeof err) ==
                  NX_ERR_INVALID_ARG &&
              strstr(err, "mode"),
          "nx_index_open_ex: an unknown mode is named as such");
    /* An empty file is not an index: read-write ("the index must exist")
     * refuses it as read-only does, and leaves it empty; it once became
     * an index. */
    snprintf(path, sizeof path, "%s/empty.db", argv[2]);
    FILE *f = fopen(path, "w");
    if (f) {
        fclose(f);
        nx_index_t *rw = (nx_index_t *)1;
        check(nx_index_open(path, NX_OPEN_READ_WRITE, NULL, &rw, err, sizeof err) ==
                      NX_ERR_NO_INDEX &&
                  !rw && strstr(err, "empty file") && stat(path, &st) == 0 && st.st_size == 0,
              "nx_index_open: read-write refuses an empty file and leaves it empty");
        check(nx_index_open(path, NX_OPEN_CREATE, NULL, &rw, err, sizeof err) == NX_OK,
              "nx_index_open: create makes an index of an empty file");
        nx_index_close(rw);
    } else { /* run as a user who may not write SCRATCH_DIR */
        printf("# cannot create %s: empty-file checks skipped\n", path);
    }
    if (argc == 4) {
        nx_index_t *ro = NULL;
        nx_status_t st = nx_index_open(argv[3], NX_OPEN_READ_WRITE, NULL, &ro, err, sizeof err);
        check(st == NX_ERR_READ_ONLY && !ro && strstr(err, "Permission denied"),
              "nx_index_open: a Xapian index this process may not write is NX_ERR_READ_ONLY");
        nx_index_close(ro);
    }
    printf("%s\n", failures ? "some contract checks failed" : "all contract checks passed");
    return failures ? 1 : 0;
}
