/* fold.c - case and diacritic folding, so that Élysée, ELYSEE and elysee are
 * one term.
 *
 * utf8proc gives NFKC and case folding. Marks are then dropped only where
 * they are diacritics (on Latin, Greek, Cyrillic, Arabic and Hebrew letters):
 * in Indic and other scripts a combining mark is a vowel, and dropping it
 * would merge different words. The Cyrillic breve stays so that й is not и
 * (the Russian stemmer needs it); ё loses its diaeresis, as Russian writers
 * often do. Plain ASCII, most of a news archive, skips utf8proc entirely. */
#include "analyzer.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int grow(char **buf, size_t *cap, size_t need)
{
    if (*cap >= need)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    char *p = realloc(*buf, n);
    if (!p)
        return -1;
    *buf = p;
    *cap = n;
    return 0;
}

static int diacritic_base(utf8proc_int32_t base)
{
    return base < 0x0530 ||                      /* Latin, Greek, Cyrillic */
           (base >= 0x0590 && base <= 0x08FF) ||  /* Hebrew, Arabic */
           (base >= 0x1E00 && base <= 0x1FFF) ||  /* Latin and Greek extended */
           (base >= 0xFB1D && base <= 0xFEFF);    /* presentation forms */
}

static int is_mark(utf8proc_int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
           cat == UTF8PROC_CATEGORY_ME;
}

/* Transliterations of Ukrainian and Russian names end in "yy" or "y" as
 * the writer chose (Zelenskyy, Zelensky): a final "yy" is folded to "y" so
 * both spellings are one word. */
static long translit_y(char *w, long n)
{
    if (n >= 4 && w[n - 1] == 'y' && w[n - 2] == 'y' && w[n - 3] != 'y') {
        w[n - 1] = '\0';
        return n - 1;
    }
    return n;
}

long nx_fold(const char *s, size_t len, int strip, char **buf, size_t *cap)
{
    size_t i;
    for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++)
        ;
    if (i == len) {
        if (grow(buf, cap, len + 1))
            return -1;
        for (i = 0; i < len; i++) {
            char ch = s[i];
            (*buf)[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
        }
        (*buf)[len] = '\0';
        return translit_y(*buf, (long)len);
    }

    /* Decompose into code points, growing until it fits. */
    /* DECOMPOSE is what exposes the marks of precomposed letters (é is e +
     * U+0301) to the filter below; COMPAT adds the NFKC mappings. */
    utf8proc_option_t opt =
        UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE;
    size_t ncp = len + 8;
    utf8proc_int32_t *cps = NULL;
    utf8proc_ssize_t got;
    for (;;) {
        utf8proc_int32_t *p = realloc(cps, ncp * sizeof *cps);
        if (!p) {
            free(cps);
            return -1;
        }
        cps = p;
        got = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, cps,
                                 (utf8proc_ssize_t)ncp, opt);
        if (got < 0) {
            free(cps);
            return -1;
        }
        if ((size_t)got <= ncp)
            break;
        ncp = (size_t)got;
    }

    if (strip) {
        utf8proc_ssize_t o = 0;
        utf8proc_int32_t base = 0;
        for (utf8proc_ssize_t k = 0; k < got; k++) {
            utf8proc_int32_t cp = cps[k];
            if (cp == 0x0640)                                 /* Arabic tatweel */
                continue;
            if (is_mark(cp)) {
                int keep_breve = cp == 0x0306 && (base == 0x0438 || base == 0x0418);
                if (diacritic_base(base) && !keep_breve)
                    continue;
            } else {
                base = cp;
            }
            cps[o++] = cp;
        }
        got = o;
    }

    /* reencode composes in place and writes UTF-8 into the same buffer. */
    utf8proc_ssize_t blen = utf8proc_reencode(cps, got, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (blen < 0 || grow(buf, cap, (size_t)blen + 1)) {
        free(cps);
        return -1;
    }
    memcpy(*buf, cps, (size_t)blen);
    (*buf)[blen] = '\0';
    free(cps);
    return translit_y(*buf, (long)blen);
}
