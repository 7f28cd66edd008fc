/* cmd_stats.c - `newsidx stats`: what is in an index, for people and
 * scripts (--format json). */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char usage_text[] =
    "usage: newsidx stats [-d DB] [--format text|json]\n"
    "\n"
    "Prints the number of articles, files, sources and languages, the date range,\n"
    "the size of the text and of the index on disk, and counts per language and source.\n";

typedef struct counts_ctx {
    int json;
    int first;
} counts_ctx;

static void print_count(void *ctx, const char *value, int64_t count)
{
    counts_ctx *c = ctx;
    if (c->json) {
        printf("%s{\"value\":", c->first ? "" : ",");
        json_string(stdout, value);
        printf(",\"articles\":%lld}", (long long)count);
    } else {
        printf("  %-28s %lld\n", value, (long long)count);
    }
    c->first = 0;
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = 1;
            else if (strcmp(optarg, "text") != 0) {
                cli_error("--format must be text or json, not '%s'", optarg);
                return EXIT_ERROR;
            }
            break;
        case 'h': fputs(usage_text, stdout); return EXIT_FOUND;
        default: fputs(usage_text, stderr); return EXIT_ERROR;
        }
    }
    if (optind < argc) {
        cli_error("stats takes no arguments");
        return EXIT_ERROR;
    }
    nx_index_t *ix = cli_open(cli_db_path(db), NX_OPEN_READ_ONLY, NULL);
    if (!ix)
        return EXIT_ERROR;
    nx_stats_t st;
    nx_status_t s = nx_index_stats(ix, &st);
    if (s != NX_OK) {
        cli_error("%s", nx_index_last_error(ix));
        nx_index_close(ix);
        return EXIT_ERROR;
    }
    counts_ctx cc = {json, 1};
    if (json) {
        printf("{\"version\":1,\"articles\":%lld,\"files\":%lld,\"sources\":%lld,"
               "\"languages\":%lld,\"first_date\":",
               (long long)st.articles, (long long)st.files, (long long)st.sources,
               (long long)st.languages);
        if (st.first_date[0])
            json_string(stdout, st.first_date);
        else
            fputs("null", stdout);
        fputs(",\"last_date\":", stdout);
        if (st.last_date[0])
            json_string(stdout, st.last_date);
        else
            fputs("null", stdout);
        printf(",\"text_bytes\":%lld,\"index_bytes\":%lld,\"index_language\":",
               (long long)st.bytes_text, (long long)st.bytes_on_disk);
        json_string(stdout, nx_index_language(ix));
        fputs(",\"by_language\":[", stdout);
        s = nx_index_field_counts(ix, "lang", 0, print_count, &cc);
        fputs("],\"by_source\":[", stdout);
        cc.first = 1;
        if (s == NX_OK)
            s = nx_index_field_counts(ix, "source", 0, print_count, &cc);
        fputs("]}\n", stdout);
    } else {
        printf("index:      %s (%s stemming)\n", cli_db_path(db), nx_index_language(ix));
        printf("articles:   %lld\n", (long long)st.articles);
        printf("files:      %lld\n", (long long)st.files);
        printf("sources:    %lld\n", (long long)st.sources);
        printf("languages:  %lld\n", (long long)st.languages);
        if (st.first_date[0])
            printf("dates:      %.10s .. %.10s\n", st.first_date, st.last_date);
        else
            printf("dates:      (none)\n");
        printf("text:       %.2f MB\n", (double)st.bytes_text / 1e6);
        printf("on disk:    %.2f MB", (double)st.bytes_on_disk / 1e6);
        if (st.bytes_text > 0)
            printf(" (%.2f x the text)", (double)st.bytes_on_disk / (double)st.bytes_text);
        printf("\nby language:\n");
        s = nx_index_field_counts(ix, "lang", 0, print_count, &cc);
        printf("top sources:\n");
        if (s == NX_OK)
            s = nx_index_field_counts(ix, "source", 10, print_count, &cc);
    }
    int code = EXIT_FOUND;
    if (s != NX_OK) {
        cli_error("%s", nx_index_last_error(ix));
        code = EXIT_ERROR;
    }
    nx_index_close(ix);
    return code;
}
