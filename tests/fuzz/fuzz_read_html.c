/* fuzz_read_html.c - the saved-web-page reader (nx_read_html, libxml2
 * underneath) on arbitrary bytes.
 *
 * Input: the page's bytes. Checks, besides memory safety and undefined
 * behaviour, those of fuzz_reader.h, and that the reader either hands out
 * exactly one whole-file record and returns 0, or reports a problem and
 * returns -1; either way it may first warn once (a page nested too deep to
 * be read whole). */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_exact(data, size);
    reader_state st = {.reader = "nx_read_html"};
    nx_record_sink sink = {on_record, on_problem, &st, on_notice};
    int rc = nx_read_html(in, size, &sink);
    FUZZ_CHECK((rc == 0 && st.records == 1 && st.problems <= 1) ||
                   (rc == -1 && st.records == 0 && st.problems >= 1 && st.problems <= 2),
               "nx_read_html returned %d after %zu records and %zu problems", rc, st.records,
               st.problems);
    free(in);
    return 0;
}
