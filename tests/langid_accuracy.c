/* langid_accuracy.c - runs nx_langid_detect over JSON Lines articles.
 *
 * Reads JSON Lines on standard input and prints, for each line, the language
 * detected in its "body" string: an ISO 639-1 code, "unknown" when
 * nx_langid_detect gives no answer, or "invalid" when the line is not a JSON
 * object with a string "body". Optional argument: another field to read
 * instead of "body". Built and run by tests/langid_accuracy.sh. */
#include "analyze/langid.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *field = argc > 1 ? argv[1] : "body";
    nx_langid *id = nx_langid_new();
    if (!id) {
        fprintf(stderr, "langid_accuracy: cannot load the libexttextcat fingerprints\n");
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        json_object *obj = json_tokener_parse(line);
        json_object *body = NULL;
        if (!obj || !json_object_is_type(obj, json_type_object) ||
            !json_object_object_get_ex(obj, field, &body) ||
            !json_object_is_type(body, json_type_string)) {
            puts("invalid");
        } else {
            const char *code = nx_langid_detect(id, json_object_get_string(body),
                                                (size_t)json_object_get_string_len(body));
            puts(code ? code : "unknown");
        }
        json_object_put(obj);
    }
    free(line);
    nx_langid_free(id);
    return 0;
}
