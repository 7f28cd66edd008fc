/* cmd_timeline.c - `newsidx timeline QUERY`: how many matching articles per
 * day, week, month or year, as a bar chart in the terminal, CSV, JSON, or
 * a small self-contained SVG file. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: newsidx timeline [-d DB] [--by day|week|month|year] [--since DATE] [--until DATE]\n"
    "                        [--source TEXT] [--lang LANG] [--format text|csv|json]\n"
    "                        [--svg FILE] QUERY...\n"
    "\n"
    "Counts the articles matching QUERY (the search syntax; filters only is fine) per\n"
    "period, empty periods included, from the first match to the last (or the dates\n"
    "given). --by is chosen from the span when not given. Weeks are labelled by their\n"
    "Monday. --svg also writes the chart as an SVG file a browser shows as is.\n"
    "Exit status: 0 some article counted, 1 none, 2 error.\n";

typedef struct series {
    char (*key)[16];
    int64_t *n;
    size_t len, cap;
    int oom;
} series;

static void collect(void *ctx, const char *key, int64_t n)
{
    series *s = ctx;
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char(*k)[16] = realloc(s->key, cap * sizeof *k);
        if (k)
            s->key = k;
        int64_t *c = k ? realloc(s->n, cap * sizeof *c) : NULL;
        if (!k || !c) {
            s->oom = 1;
            return;
        }
        s->n = c;
        s->cap = cap;
    }
    snprintf(s->key[s->len], 16, "%s", key);
    s->n[s->len++] = n;
}

static int terminal_width(void)
{
    struct winsize w;
    if (isatty(fileno(stdout)) && ioctl(fileno(stdout), TIOCGWINSZ, &w) == 0 && w.ws_col > 20)
        return w.ws_col;
    const char *cols = getenv("COLUMNS");
    int c = cols ? atoi(cols) : 0;
    return c > 20 ? c : 80;
}

/* Bars of Unicode blocks, eighths included, scaled to the widest. */
static void print_bars(const series *s)
{
    int64_t max = 0;
    for (size_t i = 0; i < s->len; i++)
        if (s->n[i] > max)
            max = s->n[i];
    int width = terminal_width() - 12 - 8;
    if (width < 10)
        width = 10;
    static const char *const eighths[] = {"", "\u258f", "\u258e", "\u258d", "\u258c",
                                          "\u258b", "\u258a", "\u2589"};
    for (size_t i = 0; i < s->len; i++) {
        printf("%-10s %6lld ", s->key[i], (long long)s->n[i]);
        long units = max ? (long)(s->n[i] * width * 8 / max) : 0;
        for (long k = 0; k < units / 8; k++)
            fputs("\u2588", stdout);
        fputs(eighths[units % 8], stdout);
        putchar('\n');
    }
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

/* A bar chart: axes, the maximum on the y axis, a few period labels. */
static int write_svg(const char *path, const series *s, const char *title)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    const int W = 800, H = 320, L = 60, R = 20, T = 40, B = 50;
    int64_t max = 1;
    for (size_t i = 0; i < s->len; i++)
        if (s->n[i] > max)
            max = s->n[i];
    double bw = s->len ? (double)(W - L - R) / (double)s->len : 0;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fputs("<title>", f);
    xml_text(f, title);
    fputs("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", f);
    fputs("<text x=\"60\" y=\"24\" font-size=\"15\">", f);
    xml_text(f, title);
    fputs("</text>\n", f);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", L, H - B,
            W - R, H - B);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", L, T, L,
            H - B);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%lld</text>\n", L - 6, T + 4,
            (long long)max);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", L - 6, H - B + 4);
    for (size_t i = 0; i < s->len; i++) {
        double h = (double)s->n[i] * (H - B - T) / (double)max;
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3569a8\">"
                "<title>%s: %lld</title></rect>\n",
                L + i * bw + bw * 0.1, (double)(H - B) - h, bw * 0.8 > 0.5 ? bw * 0.8 : 0.5, h,
                s->key[i], (long long)s->n[i]);
    }
    /* Labels: first, last, and about six between. */
    size_t step = s->len > 8 ? s->len / 6 : 1;
    for (size_t i = 0; i < s->len; i += step)
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                L + i * bw + bw / 2, H - B + 18, s->key[i]);
    if (s->len > 1 && (s->len - 1) % step)
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                L + (s->len - 1) * bw + bw / 2, H - B + 34, s->key[s->len - 1]);
    fputs("</svg>\n", f);
    return fclose(f) == 0 ? 0 : -1;
}

int cmd_timeline(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},    {"by", required_argument, NULL, 'b'},
        {"since", required_argument, NULL, 'S'}, {"until", required_argument, NULL, 'U'},
        {"source", required_argument, NULL, 'R'}, {"lang", required_argument, NULL, 'L'},
        {"format", required_argument, NULL, 'f'}, {"svg", required_argument, NULL, 'g'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *svg = NULL, *format = "text";
    const char *filters[4][2];
    size_t nfilters = 0;
    nx_period_t by = NX_PERIOD_AUTO;
    cli_args args;
    if (cli_args_new(&args, argc, argv, opts, "df", "h") != 0)
        return EXIT_ERROR;
    int c, bad = -1;
    optind = 1;
    while (bad < 0 && (c = getopt_long(args.oargc, args.oargv, "d:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'g': svg = optarg; break;
        case 'f': format = optarg; break;
        case 'S': filters[nfilters][0] = "since", filters[nfilters++][1] = optarg; break;
        case 'U': filters[nfilters][0] = "until", filters[nfilters++][1] = optarg; break;
        case 'R': filters[nfilters][0] = "source", filters[nfilters++][1] = optarg; break;
        case 'L': filters[nfilters][0] = "lang", filters[nfilters++][1] = optarg; break;
        case 'b':
            if (strcmp(optarg, "day") == 0)
                by = NX_PERIOD_DAY;
            else if (strcmp(optarg, "week") == 0)
                by = NX_PERIOD_WEEK;
            else if (strcmp(optarg, "month") == 0)
                by = NX_PERIOD_MONTH;
            else if (strcmp(optarg, "year") == 0)
                by = NX_PERIOD_YEAR;
            else {
                cli_error("--by must be day, week, month or year, not '%s'", optarg);
                bad = EXIT_ERROR;
            }
            break;
        case 'h': fputs(usage_text, stdout); bad = EXIT_FOUND; break;
        default: fputs(usage_text, stderr); bad = EXIT_ERROR; break;
        }
        if (nfilters == 4 && bad < 0) {
            cli_error("at most one each of --since, --until, --source, --lang");
            bad = EXIT_ERROR;
        }
    }
    if (bad >= 0) {
        cli_args_free(&args);
        return bad;
    }
    char *query = cli_args_query(&args);
    if (!query)
        return EXIT_ERROR;
    if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json")) {
        cli_error("--format must be text, csv or json, not '%s'", format);
        free(query);
        return EXIT_ERROR;
    }
    nx_index_t *ix = cli_open(cli_db_path(db), NX_OPEN_READ_ONLY, NULL);
    if (!ix) {
        free(query);
        return EXIT_ERROR;
    }
    nx_search_t *s = NULL;
    series ser = {0};
    nx_period_t chosen = by;
    nx_status_t st = nx_search_new(ix, query, &s);
    for (size_t i = 0; st == NX_OK && i < nfilters; i++)
        st = nx_search_filter(s, filters[i][0], filters[i][1]);
    if (st == NX_OK)
        st = nx_search_timeline(s, by, collect, &ser, &chosen);
    int code = EXIT_ERROR;
    if (st != NX_OK || ser.oom) {
        cli_error("%s", ser.oom ? "out of memory" : nx_index_last_error(ix));
        goto out;
    }
    static const char *const names[] = {"auto", "day", "week", "month", "year"};
    int64_t total = 0;
    for (size_t i = 0; i < ser.len; i++)
        total += ser.n[i];
    if (strcmp(format, "csv") == 0) {
        printf("period,articles\n");
        for (size_t i = 0; i < ser.len; i++)
            printf("%s,%lld\n", ser.key[i], (long long)ser.n[i]);
    } else if (strcmp(format, "json") == 0) {
        printf("{\"version\":1,\"query\":");
        json_string(stdout, query);
        printf(",\"by\":\"%s\",\"total\":%lld,\"periods\":[", names[chosen], (long long)total);
        for (size_t i = 0; i < ser.len; i++)
            printf("%s{\"period\":\"%s\",\"articles\":%lld}", i ? "," : "", ser.key[i],
                   (long long)ser.n[i]);
        puts("]}");
    } else {
        printf("%s by %s: %lld articles\n", *query ? query : "all articles", names[chosen],
               (long long)total);
        print_bars(&ser);
    }
    if (svg) {
        char title[512];
        snprintf(title, sizeof title, "%s: articles per %s", *query ? query : "all articles",
                 names[chosen]);
        if (write_svg(svg, &ser, title) != 0) {
            cli_error("cannot write %s", svg);
            goto out;
        }
    }
    code = total > 0 ? EXIT_FOUND : EXIT_NONE;
out:
    free(ser.key);
    free(ser.n);
    nx_search_destroy(s);
    nx_index_close(ix);
    free(query);
    return code;
}
