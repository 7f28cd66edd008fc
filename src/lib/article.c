/* article.c - the article value: a set of named text fields. */
#include "internal.h"

#include "../ingest/date.h"
#include "../ingest/record.h"

#include <stdlib.h>
#include <string.h>

nx_status_t nx_article_new(nx_article_t **out)
{
    if (!out)
        return NX_ERR_INVALID_ARG;
    *out = calloc(1, sizeof **out);
    return *out ? NX_OK : NX_ERR_NOMEM;
}

void nx_article_destroy(nx_article_t *a)
{
    if (!a)
        return;
    for (int i = 0; i < NX_FIELD_COUNT_; i++)
        free(a->f[i]);
    free(a);
}

void nx_article_take(nx_article_t *a, nx_field_t field, char *value)
{
    free(a->f[field]);
    a->f[field] = value;
}

nx_status_t nx_article_set(nx_article_t *a, nx_field_t field, const char *value)
{
    if (!a || (int)field < 0 || field >= NX_FIELD_COUNT_ || field == NX_FIELD_ORIGIN)
        return NX_ERR_INVALID_ARG;
    if (!value) {
        nx_article_take(a, field, NULL);
        return NX_OK;
    }
    char *copy;
    if (field == NX_FIELD_DATE) {
        char iso[NX_DATE_LEN + 1];
        if (nx_date_parse(value, iso) != 0)
            return NX_ERR_INVALID_ARG;
        copy = strdup(iso);
    } else {
        copy = nx_utf8_repair(value, strlen(value));
    }
    if (!copy)
        return NX_ERR_NOMEM;
    nx_article_take(a, field, copy);
    return NX_OK;
}

const char *nx_article_get(const nx_article_t *a, nx_field_t field)
{
    if (!a || (int)field < 0 || field >= NX_FIELD_COUNT_)
        return NULL;
    return a->f[field];
}
