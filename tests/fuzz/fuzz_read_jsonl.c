/* fuzz_read_jsonl.c - the JSON Lines reader (nx_read_jsonl) on arbitrary
 * bytes.
 *
 * Input: the file's bytes. Checks, besides memory safety and undefined
 * behaviour, those of fuzz_reader.h (records and problems in line order,
 * 1-based), that the reader reads to the end (returns 0) and that it never
 * reports more records and problems than the input has lines. */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_exact(data, size);
    reader_state st = {.reader = "nx_read_jsonl", .per_line = 1};
    nx_record_sink sink = {on_record, on_problem, &st, on_notice};
    int rc = nx_read_jsonl(in, size, &sink);
    FUZZ_CHECK(rc == 0, "nx_read_jsonl returned %d", rc);
    size_t lines = size > 0;
    for (size_t i = 0; i + 1 < size; i++)
        lines += data[i] == '\n';
    FUZZ_CHECK(st.records + st.problems <= lines, "%zu records and %zu problems from %zu lines",
               st.records, st.problems, lines);
    free(in);
    return 0;
}
