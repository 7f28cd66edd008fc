/* fuzz_read_text.c - the plain-text/Markdown reader (nx_read_text) on
 * arbitrary bytes.
 *
 * Input: the file's bytes. Checks, besides memory safety and undefined
 * behaviour, those of fuzz_reader.h, and that the reader either hands out
 * exactly one whole-file record and returns 0, or reports a problem and
 * returns -1. */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_exact(data, size);
    reader_state st = {.reader = "nx_read_text"};
    nx_record_sink sink = {on_record, on_problem, &st, on_notice};
    int rc = nx_read_text(in, size, &sink);
    FUZZ_CHECK((rc == 0 && st.records == 1 && st.problems == 0) ||
                   (rc == -1 && st.records == 0 && st.problems == 1),
               "nx_read_text returned %d after %zu records and %zu problems", rc, st.records,
               st.problems);
    free(in);
    return 0;
}
