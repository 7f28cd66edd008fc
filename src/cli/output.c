/* output.c - small printing helpers shared by the subcommands: JSON string
 * escaping and highlight markers. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p >= 0x80) {
            /* JSON is UTF-8: a byte that is not (a file name's, say) is
             * written as U+FFFD rather than breaking the whole document. */
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
            if (k <= 0) {
                fputs("\xef\xbf\xbd", f);
                continue;
            }
            fwrite(p, 1, (size_t)k, f);
            p += k - 1;
            continue;
        }
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

const char *cli_score(double score, char buf[32])
{
    snprintf(buf, 32, score != 0 && score < 0.0001 && score > -0.0001 ? "%.3g" : "%.4f", score);
    return buf;
}

int highlighter_init(highlighter *h, const char *color, const char *mark, FILE *out)
{
    int use_color;
    if (!color || strcmp(color, "auto") == 0) {
        const char *nc = getenv("NO_COLOR");
        use_color = isatty(fileno(out)) && !(nc && *nc) && !mark;
    } else if (strcmp(color, "always") == 0) {
        use_color = 1;
    } else if (strcmp(color, "never") == 0) {
        use_color = 0;
    } else {
        cli_error("--color must be auto, always or never, not '%s'", color);
        return -1;
    }
    if (use_color) {
        h->open = "\033[1;31m";
        h->close = "\033[0m";
        return 0;
    }
    h->open = "[[";
    h->close = "]]";
    if (mark) {
        /* --mark OPEN,CLOSE; a lone value is used on both sides. */
        char (*buf)[64] = h->buf;
        const char *comma = strchr(mark, ',');
        if (comma) {
            snprintf(buf[0], sizeof buf[0], "%.*s", (int)(comma - mark), mark);
            snprintf(buf[1], sizeof buf[1], "%s", comma + 1);
        } else {
            snprintf(buf[0], sizeof buf[0], "%s", mark);
            snprintf(buf[1], sizeof buf[1], "%s", mark);
        }
        h->open = buf[0];
        h->close = buf[1];
    }
    return 0;
}

void print_highlighted(FILE *f, const char *text, const nx_span_t *spans, size_t n,
                       const highlighter *h)
{
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        fwrite(text + pos, 1, spans[i].start - pos, f);
        fputs(h->open, f);
        fwrite(text + spans[i].start, 1, spans[i].end - spans[i].start, f);
        fputs(h->close, f);
        pos = spans[i].end;
    }
    fputs(text + pos, f);
}

size_t utf8_index(const char *text, size_t byte)
{
    size_t n = 0;
    for (size_t i = 0; i < byte && text[i]; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            n++;
    return n;
}
