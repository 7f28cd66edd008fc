/* record.c - ownership helpers shared by all input readers. */
#include "record.h"

#include <stdlib.h>

void nx_record_clear(nx_record *rec)
{
    if (!rec)
        return;
    free(rec->id);
    free(rec->title);
    free(rec->body);
    free(rec->date);
    free(rec->source);
    free(rec->url);
    free(rec->lang);
    rec->id = rec->title = rec->body = rec->date = NULL;
    rec->source = rec->url = rec->lang = NULL;
}
