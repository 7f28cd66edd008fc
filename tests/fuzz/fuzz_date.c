/* fuzz_date.c - the date normaliser (nx_date_parse) on arbitrary strings.
 *
 * Input: the date as written (a NUL ends it, as for a C string).
 * Checks, besides memory safety and undefined behaviour, whenever it parses:
 *   - the output has the form YYYY-MM-DDTHH:MM:SSZ, with year 0001..9999, a
 *     real calendar day, 00..23 hours, 00..59 minutes and 00..60 seconds
 *     (60 only at 23:59, where leap seconds are inserted);
 *   - parsing the output again gives the same output (a fixed point);
 *   - surrounding white space changes nothing (either way). */
#include "ingest/date.h"

#include "fuzz_common.h"

static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(s[i] >= '0' && s[i] <= '9', "non-digit in '%s'", s);
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static void check_form(const char *out, const char *in)
{
    FUZZ_CHECK(strlen(out) == NX_DATE_LEN, "output '%s' for '%s' is not %d characters", out, in,
               NX_DATE_LEN);
    FUZZ_CHECK(out[4] == '-' && out[7] == '-' && out[10] == 'T' && out[13] == ':' &&
                   out[16] == ':' && out[19] == 'Z',
               "output '%s' for '%s' is not YYYY-MM-DDTHH:MM:SSZ", out, in);
    int y = digits(out, 4), mo = digits(out + 5, 2), d = digits(out + 8, 2);
    int h = digits(out + 11, 2), mi = digits(out + 14, 2), s = digits(out + 17, 2);
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    FUZZ_CHECK(y >= 1 && mo >= 1 && mo <= 12, "output '%s' for '%s' out of range", out, in);
    FUZZ_CHECK(d >= 1 && d <= dim[mo - 1] + (mo == 2 && leap), "output '%s' for '%s': no such day",
               out, in);
    FUZZ_CHECK(h <= 23 && mi <= 59 && s <= 60, "output '%s' for '%s': no such time", out, in);
    FUZZ_CHECK(s < 60 || (h == 23 && mi == 59), "output '%s' for '%s': leap second not at 23:59",
               out, in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    char out[NX_DATE_LEN + 1];
    int rc = nx_date_parse(s, out);
    FUZZ_CHECK(rc == 0 || rc == -1, "nx_date_parse returned %d", rc);
    if (rc == 0) {
        check_form(out, s);
        char again[NX_DATE_LEN + 1];
        FUZZ_CHECK(nx_date_parse(out, again) == 0, "output '%s' of '%s' does not parse", out, s);
        FUZZ_CHECK(strcmp(again, out) == 0, "'%s' -> '%s' -> '%s'", s, out, again);
    }

    /* " \t" + s + "\n " parses the same (only when s has no NUL: else the
     * padding after it would be cut off anyway). */
    size_t n = strlen(s);
    char *padded = malloc(n + 5);
    FUZZ_CHECK(padded != NULL, "out of memory");
    memcpy(padded, " \t", 2);
    memcpy(padded + 2, s, n);
    memcpy(padded + 2 + n, "\n ", 3);
    char pout[NX_DATE_LEN + 1];
    int prc = nx_date_parse(padded, pout);
    FUZZ_CHECK(prc == rc, "'%s' gives %d but padded with white space %d", s, rc, prc);
    if (rc == 0)
        FUZZ_CHECK(strcmp(pout, out) == 0, "'%s' -> '%s' but padded -> '%s'", s, out, pout);
    free(padded);
    free(s);
    return 0;
}
