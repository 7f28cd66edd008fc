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
    "                        [--source TEXT] [--lang LANG] [--unique] [--split source]\n"
    "                        [--format text|csv|json] [--svg FILE] QUERY...\n"
    "\n"
    "Counts the articles matching QUERY (the search syntax; filters only is fine) per\n"
    "period, empty periods included, from the first match to the last (or the dates\n"
    "given). --by is chosen from the span when not given. Weeks are labelled by their\n"
    "Monday. --svg also writes the chart as an SVG file a browser shows as is.\n"
    "\n"
    "  --unique        count stories, not articles: wire copies of one story (near-\n"
    "                  duplicates found at indexing) count once per period\n"
    "  --split source  one series per source (text: the 8 biggest; csv and json: all)\n"
    "\n"
    "Exit status: 0 some article counted, 1 none, 2 error.\n";

#define SHOWN_SERIES 8

typedef struct series {
    char *name; /* the source, or "" */
    char (*key)[16];
    int64_t *n;
    size_t len, cap;
    int64_t total;
} series;

typedef struct chart {
    series *s;
    size_t len, cap;
    int oom;
} chart;

static void collect(void *ctx, const char *name, const char *key, int64_t n)
{
    chart *ch = ctx;
    if (ch->oom)
        return;
    if (ch->len == 0 || strcmp(ch->s[ch->len - 1].name, name) != 0) {
        if (ch->len == ch->cap) {
            size_t cap = ch->cap ? ch->cap * 2 : 8;
            series *p = realloc(ch->s, cap * sizeof *p);
            if (!p) {
                ch->oom = 1;
                return;
            }
            ch->s = p;
            ch->cap = cap;
        }
        memset(&ch->s[ch->len], 0, sizeof ch->s[ch->len]);
        if (!(ch->s[ch->len].name = strdup(name))) {
            ch->oom = 1;
            return;
        }
        ch->len++;
    }
    series *s = &ch->s[ch->len - 1];
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char(*k)[16] = realloc(s->key, cap * sizeof *k);
        if (k)
            s->key = k;
        int64_t *c = k ? realloc(s->n, cap * sizeof *c) : NULL;
        if (!k || !c) {
            ch->oom = 1;
            return;
        }
        s->n = c;
        s->cap = cap;
    }
    snprintf(s->key[s->len], 16, "%s", key);
    s->n[s->len++] = n;
    s->total += n;
}

static void chart_free(chart *ch)
{
    for (size_t i = 0; i < ch->len; i++) {
        free(ch->s[i].name);
        free(ch->s[i].key);
        free(ch->s[i].n);
    }
    free(ch->s);
}

static int64_t chart_max(const chart *ch, size_t nseries)
{
    int64_t max = 0;
    for (size_t j = 0; j < nseries && j < ch->len; j++)
        for (size_t i = 0; i < ch->s[j].len; i++)
            if (ch->s[j].n[i] > max)
                max = ch->s[j].n[i];
    return max;
}

/* A CSV field, quoted when it must be (RFC 4180). */
static void csv_field(FILE *f, const char *v)
{
    if (!strpbrk(v, ",\"\r\n")) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
    for (; *v; v++) {
        if (*v == '"')
            fputc('"', f);
        fputc(*v, f);
    }
    fputc('"', f);
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

/* Bars of Unicode blocks, eighths included, scaled to max. */
static void print_bars(const series *s, int64_t max)
{
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

/* Colours of the series lines, told apart in print too. */
static const char *const palette[SHOWN_SERIES] = {"#3569a8", "#d1495b", "#2e8b57", "#edae49",
                                                  "#6a4c93", "#00798c", "#8d6a3b", "#555555"};

/* A chart: axes, the maximum on the y axis, a few period labels; one
 * series as bars, several as lines with a legend. */
static int write_svg(const char *path, const chart *ch, const char *title)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    size_t nser = ch->len < SHOWN_SERIES ? ch->len : SHOWN_SERIES;
    const series *s0 = nser ? &ch->s[0] : NULL;
    size_t len = s0 ? s0->len : 0;
    int lines = nser > 1 || (s0 && s0->name[0]);
    const int W = 800, H = lines ? 320 + 18 * (int)nser : 320, L = 60, R = 20, T = 40;
    const int B = lines ? 50 + 18 * (int)nser : 50;
    int64_t max = chart_max(ch, nser);
    if (max < 1)
        max = 1;
    double bw = len ? (double)(W - L - R) / (double)len : 0;
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
    for (size_t j = 0; j < nser; j++) {
        const series *s = &ch->s[j];
        if (!lines) {
            for (size_t i = 0; i < s->len; i++) {
                double h = (double)s->n[i] * (H - B - T) / (double)max;
                fprintf(f,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        "fill=\"%s\"><title>%s: %lld</title></rect>\n",
                        L + i * bw + bw * 0.1, (double)(H - B) - h,
                        bw * 0.8 > 0.5 ? bw * 0.8 : 0.5, h, palette[0], s->key[i],
                        (long long)s->n[i]);
            }
            continue;
        }
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                palette[j]);
        for (size_t i = 0; i < s->len; i++)
            fprintf(f, "%s%.1f,%.1f", i ? " " : "", L + i * bw + bw / 2,
                    (double)(H - B) - (double)s->n[i] * (H - B - T) / (double)max);
        fputs("\"/>\n", f);
        int y = H - B + 48 + 18 * (int)j;
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>", L,
                y - 5, palette[j]);
        fprintf(f, "<text x=\"%d\" y=\"%d\">", L + 20, y);
        xml_text(f, s->name[0] ? s->name : "(no source)");
        fprintf(f, " (%lld)</text>\n", (long long)s->total);
    }
    /* Labels: first, last, and about six between. */
    size_t step = len > 8 ? len / 6 : 1;
    for (size_t i = 0; i < len; i += step)
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                L + i * bw + bw / 2, H - B + 18, s0->key[i]);
    if (len > 1 && (len - 1) % step)
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                L + (len - 1) * bw + bw / 2, H - B + 34, s0->key[len - 1]);
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
        {"unique", no_argument, NULL, 'Q'},      {"split", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    unsigned flags = 0;
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
        case 'Q': flags |= NX_TIMELINE_UNIQUE; break;
        case 'P':
            if (strcmp(optarg, "source") == 0) {
                flags |= NX_TIMELINE_SPLIT_SOURCE;
            } else {
                cli_error("--split takes 'source', not '%s'", optarg);
                bad = EXIT_ERROR;
            }
            break;
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
    chart ch = {0};
    nx_period_t chosen = by;
    nx_status_t st = nx_search_new(ix, query, &s);
    for (size_t i = 0; st == NX_OK && i < nfilters; i++)
        st = nx_search_filter(s, filters[i][0], filters[i][1]);
    if (st == NX_OK)
        st = nx_search_timeline_ex(s, by, flags, collect, &ch, &chosen);
    int code = EXIT_ERROR;
    if (st != NX_OK || ch.oom) {
        cli_error("%s", ch.oom ? "out of memory" : nx_index_last_error(ix));
        goto out;
    }
    static const char *const names[] = {"auto", "day", "week", "month", "year"};
    const char *unit = flags & NX_TIMELINE_UNIQUE ? "stories" : "articles";
    int split = (flags & NX_TIMELINE_SPLIT_SOURCE) != 0;
    int64_t total = 0;
    for (size_t j = 0; j < ch.len; j++)
        total += ch.s[j].total;
    if (strcmp(format, "csv") == 0) {
        printf(split ? "period,source,%s\n" : "period,%s\n", unit);
        for (size_t j = 0; j < ch.len; j++)
            for (size_t i = 0; i < ch.s[j].len; i++) {
                printf("%s,", ch.s[j].key[i]);
                if (split)
                    csv_field(stdout, ch.s[j].name), putchar(',');
                printf("%lld\n", (long long)ch.s[j].n[i]);
            }
    } else if (strcmp(format, "json") == 0) {
        printf("{\"version\":1,\"query\":");
        json_string(stdout, query);
        printf(",\"by\":\"%s\",\"unit\":\"%s\",\"total\":%lld,", names[chosen], unit,
               (long long)total);
        if (split)
            fputs("\"series\":[", stdout);
        for (size_t j = 0; j < ch.len; j++) {
            if (split) {
                printf("%s{\"source\":", j ? "," : "");
                json_string(stdout, ch.s[j].name);
                printf(",\"total\":%lld,", (long long)ch.s[j].total);
            }
            fputs("\"periods\":[", stdout);
            for (size_t i = 0; i < ch.s[j].len; i++)
                printf("%s{\"period\":\"%s\",\"%s\":%lld}", i ? "," : "", ch.s[j].key[i], unit,
                       (long long)ch.s[j].n[i]);
            fputs(split ? "]}" : "]", stdout);
        }
        if (!split && ch.len == 0)
            fputs("\"periods\":[]", stdout);
        puts(split ? "]}" : "}");
    } else {
        printf("%s by %s: %lld %s%s\n", *query ? query : "all articles", names[chosen],
               (long long)total, unit, split ? ", per source" : "");
        int64_t max = chart_max(&ch, split ? SHOWN_SERIES : 1);
        for (size_t j = 0; j < ch.len && j < (split ? SHOWN_SERIES : 1); j++) {
            if (split)
                printf("%s== %s (%lld)\n", j ? "\n" : "",
                       ch.s[j].name[0] ? ch.s[j].name : "(no source)",
                       (long long)ch.s[j].total);
            print_bars(&ch.s[j], max);
        }
        if (split && ch.len > SHOWN_SERIES)
            printf("\n(%zu more sources: --format csv or json lists them all)\n",
                   ch.len - SHOWN_SERIES);
    }
    if (svg) {
        char title[512];
        snprintf(title, sizeof title, "%s: %s per %s%s", *query ? query : "all articles", unit,
                 names[chosen], split ? ", per source" : "");
        if (write_svg(svg, &ch, title) != 0) {
            cli_error("cannot write %s", svg);
            goto out;
        }
    }
    code = total > 0 ? EXIT_FOUND : EXIT_NONE;
out:
    chart_free(&ch);
    nx_search_destroy(s);
    nx_index_close(ix);
    free(query);
    return code;
}
