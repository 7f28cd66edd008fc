/* cmd_similar.c - `newsidx similar ID`: the articles most like one, which
 * is a search (`search --like ID`) with the search command's output. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: newsidx similar [-d DB] [-n N] [--copies] [--format FORMAT] ID\n"
    "\n"
    "Lists the articles most like article ID, ranked, from its most significant words\n"
    "(frequent in it, rare in the archive). The article itself is never listed, nor its\n"
    "copies (articles sharing 70% or more of its words) unless --copies is given.\n"
    "Other options as for search (--format, --limit, --since, --lang...).\n"
    "Exit status: 0 articles found, 1 none (or no such article), 2 error.\n";

int cmd_similar(int argc, char **argv)
{
    const char *id = NULL;
    char **args = calloc((size_t)argc + 3, sizeof *args);
    if (!args) {
        cli_error("out of memory");
        return EXIT_ERROR;
    }
    int n = 0;
    args[n++] = argv[0];
    static const char *const valued[] = {"-d", "--db", "-n", "--limit", "--offset", "-f",
                                         "--format", "--since", "--until", "--source", "--lang",
                                         "--sort", "--color", "--mark", NULL};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_text, stdout);
            free(args);
            return EXIT_FOUND;
        }
        int takes = 0;
        for (const char *const *v = valued; *v; v++)
            takes |= strcmp(argv[i], *v) == 0;
        if (argv[i][0] == '-') {
            args[n++] = argv[i];
            if (takes && i + 1 < argc)
                args[n++] = argv[++i];
        } else if (!id) {
            id = argv[i];
        } else {
            cli_error("similar takes one article id");
            free(args);
            return EXIT_ERROR;
        }
    }
    if (!id) {
        cli_error("similar: give an article id (see newsidx search ... --format ids)");
        fputs(usage_text, stderr);
        free(args);
        return EXIT_ERROR;
    }
    args[n++] = "--like";
    args[n++] = (char *)id;
    int code = cmd_search(n, args);
    free(args);
    return code;
}
