/* langid.c - language identification with libexttextcat, narrowed by script.
 *
 * A detection runs in three steps:
 *   1. Clean a sample: the first SAMPLE_MAX bytes of text, with markup
 *      (tags, comments, script/style bodies, entities), URLs, control
 *      characters and invalid UTF-8 replaced by spaces. The sample is always
 *      valid, NUL-terminated UTF-8, which libexttextcat needs: its buffer
 *      scanner stops only at a NUL, whatever size it is told.
 *   2. Count the letters of each script. Too few letters, or no script
 *      holding two thirds of them, means no answer. Kana, Hangul, Han, Greek
 *      and Thai name their language directly.
 *   3. Otherwise libexttextcat classifies the sample. It reports every
 *      fingerprint scoring within 3% of the best (at most 5, else
 *      "UNKNOWN"); candidates written in another script than the text, or
 *      without an ISO 639-1 code (Scots, Low German...), or Cyrillic ones
 *      whose alphabet lacks letters the text uses (Russian has no і, Ukrainian
 *      no ы), are dropped, and the rest must all name one language. Arabic
 *      and Hebrew script fall back to "ar" and "he" when the fingerprints do
 *      not clearly say otherwise.
 *
 * The handle owns the libexttextcat classifier (which keeps its result
 * buffer inside) and the sample buffer; there is no other state. */
#include "langid.h"

#include "analyzer.h"

#include <libexttextcat/textcat.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define FPDB_DIR "/usr/share/libexttextcat/"
#define FPDB_CONF FPDB_DIR "fpdb.conf"

/* Bytes of cleaned text handed to the classifier: a few hundred bytes
 * suffice for n-gram statistics, more only costs time. */
#define SAMPLE_MAX 2000
/* Bytes of input looked at before giving up on finding text. */
#define SCAN_MAX (256 * 1024)
/* Letters needed before any answer is given. */
#define MIN_LETTERS 40
/* The longest tag skipped as markup; a '<' without '>' this close is text. */
#define TAG_MAX 1024

struct nx_langid {
    void *tc;                    /* libexttextcat classifier */
    char sample[SAMPLE_MAX + 4]; /* cleaned text of the last call */
};

/* Scripts: the first SC_GROUPS are the groups a text's letters are weighed
 * in; Han, kana and Hangul are counted apart inside the CJK group. */
enum {
    SC_LATIN,
    SC_CYRILLIC,
    SC_ARABIC,
    SC_GREEK,
    SC_HEBREW,
    SC_THAI,
    SC_OTHER,
    SC_CJK,
    SC_GROUPS,
    SC_HAN = SC_GROUPS,
    SC_KANA,
    SC_HANGUL,
    SC_COUNT
};

/* Every fingerprint of Debian's fpdb.conf (libexttextcat-data 3.4.5): the
 * name textcat reports, its ISO 639-1 code (NULL: the language has none),
 * and the script its fingerprint is written in. */
static const struct fpdb_lang {
    const char *tag;
    const char *iso;
    unsigned char script;
} fpdb[] = {
    {"ab--utf8", "ab", SC_CYRILLIC}, {"ace--utf8", NULL, SC_LATIN}, {"ada--utf8", NULL, SC_LATIN},
    {"af--utf8", "af", SC_LATIN}, {"ak--utf8", "ak", SC_LATIN}, {"alt--utf8", NULL, SC_CYRILLIC},
    {"am--utf8", "am", SC_OTHER}, {"ar--utf8", "ar", SC_ARABIC}, {"arn--utf8", NULL, SC_LATIN},
    {"ast--utf8", NULL, SC_LATIN}, {"ay--utf8", "ay", SC_LATIN}, {"az--utf8", "az", SC_LATIN},
    {"az-cyrillic-utf8", "az", SC_CYRILLIC}, {"ban--utf8", NULL, SC_LATIN},
    {"be--utf8", "be", SC_CYRILLIC}, {"bem--utf8", NULL, SC_LATIN},
    {"bg--utf8", "bg", SC_CYRILLIC}, {"bho--utf8", NULL, SC_OTHER}, {"bi--utf8", "bi", SC_LATIN},
    {"bik--utf8", NULL, SC_LATIN}, {"bm--utf8", "bm", SC_LATIN}, {"bn--utf8", "bn", SC_OTHER},
    {"bo--utf8", "bo", SC_OTHER}, {"br--utf8", "br", SC_LATIN}, {"bs--utf8", "bs", SC_LATIN},
    {"ca--utf8", "ca", SC_LATIN}, {"ckb--utf8", "ku", SC_LATIN}, {"cs--utf8", "cs", SC_LATIN},
    {"cy--utf8", "cy", SC_LATIN}, {"da--utf8", "da", SC_LATIN}, {"de--utf8", "de", SC_LATIN},
    {"dv--utf8", "dv", SC_OTHER}, {"ee--utf8", "ee", SC_LATIN}, {"el--utf8", "el", SC_GREEK},
    {"emk-Latn-utf8", NULL, SC_LATIN}, {"en--utf8", "en", SC_LATIN}, {"eo--utf8", "eo", SC_LATIN},
    {"es--utf8", "es", SC_LATIN}, {"et--utf8", "et", SC_LATIN}, {"eu--utf8", "eu", SC_LATIN},
    {"fa--utf8", "fa", SC_ARABIC}, {"fi--utf8", "fi", SC_LATIN}, {"fj--utf8", "fj", SC_LATIN},
    {"fo--utf8", "fo", SC_LATIN}, {"fr--utf8", "fr", SC_LATIN}, {"fur--utf8", NULL, SC_LATIN},
    {"fy--utf8", "fy", SC_LATIN}, {"ga--utf8", "ga", SC_LATIN}, {"gd--utf8", "gd", SC_LATIN},
    {"gl--utf8", "gl", SC_LATIN}, {"grc--utf8", NULL, SC_GREEK}, {"gu--utf8", "gu", SC_OTHER},
    {"gug--utf8", "gn", SC_LATIN}, {"gv--utf8", "gv", SC_LATIN}, {"ha-NG-utf8", "ha", SC_LATIN},
    {"haw-utf8", NULL, SC_LATIN}, {"he--utf8", "he", SC_HEBREW}, {"hi--utf8", "hi", SC_OTHER},
    {"hil--utf8", NULL, SC_LATIN}, {"hr--utf8", "hr", SC_LATIN}, {"hsb--utf8", NULL, SC_LATIN},
    {"ht--utf8", "ht", SC_LATIN}, {"hu--utf8", "hu", SC_LATIN}, {"hy--utf8", "hy", SC_OTHER},
    {"ia--utf8", "ia", SC_LATIN}, {"id--utf8", "id", SC_LATIN}, {"is--utf8", "is", SC_LATIN},
    {"it--utf8", "it", SC_LATIN}, {"ja--utf8", "ja", SC_CJK}, {"ka--utf8", "ka", SC_OTHER},
    {"kk--utf8", "kk", SC_CYRILLIC}, {"kl--utf8", "kl", SC_LATIN}, {"km--utf8", "km", SC_OTHER},
    {"kn--utf8", "kn", SC_OTHER}, {"kng--utf8", NULL, SC_LATIN}, {"ko--utf8", "ko", SC_CJK},
    {"ktu--utf8", NULL, SC_LATIN}, {"ky--utf8", "ky", SC_CYRILLIC}, {"la--utf8", "la", SC_LATIN},
    {"lb--utf8", "lb", SC_LATIN}, {"lg--utf8", "lg", SC_LATIN}, {"ln--utf8", "ln", SC_LATIN},
    {"lo--utf8", "lo", SC_OTHER}, {"lt--utf8", "lt", SC_LATIN}, {"lv--utf8", "lv", SC_LATIN},
    {"mai--utf8", NULL, SC_OTHER}, {"mi--utf8", "mi", SC_LATIN}, {"mk--utf8", "mk", SC_CYRILLIC},
    {"ml--utf8", "ml", SC_OTHER}, {"mn--utf8", "mn", SC_CYRILLIC}, {"mos--utf8", NULL, SC_LATIN},
    {"mr--utf8", "mr", SC_OTHER}, {"ms--utf8", "ms", SC_LATIN}, {"mt--utf8", "mt", SC_LATIN},
    {"my--utf8", "my", SC_OTHER}, {"nb--utf8", "no", SC_LATIN}, {"nds--utf8", NULL, SC_LATIN},
    {"ne--utf8", "ne", SC_OTHER}, {"nl--utf8", "nl", SC_LATIN}, {"nn--utf8", "no", SC_LATIN},
    {"nr--utf8", "nr", SC_LATIN}, {"nso--utf8", NULL, SC_LATIN}, {"ny--utf8", "ny", SC_LATIN},
    {"oc--utf8", "oc", SC_LATIN}, {"om--utf8", "om", SC_LATIN}, {"pa--utf8", "pa", SC_OTHER},
    {"pl--utf8", "pl", SC_LATIN}, {"plt--utf8", "mg", SC_LATIN}, {"pt--utf8", "pt", SC_LATIN},
    {"quz--utf8", "qu", SC_LATIN}, {"qxa--utf8", NULL, SC_LATIN}, {"rm--utf8", "rm", SC_LATIN},
    {"ro--utf8", "ro", SC_LATIN}, {"ru--utf8", "ru", SC_CYRILLIC},
    {"rue--utf8", NULL, SC_CYRILLIC}, {"rw--utf8", "rw", SC_LATIN}, {"sa--utf8", "sa", SC_OTHER},
    {"sc--utf8", "sc", SC_LATIN}, {"sco--utf8", NULL, SC_LATIN}, {"sd--utf8", "sd", SC_ARABIC},
    {"se--utf8", "se", SC_LATIN}, {"sg--utf8", "sg", SC_LATIN}, {"sh--utf8", "sr", SC_LATIN},
    {"shs--utf8", NULL, SC_LATIN}, {"si--utf8", "si", SC_OTHER}, {"sk--utf8", "sk", SC_LATIN},
    {"sl--utf8", "sl", SC_LATIN}, {"so--utf8", "so", SC_LATIN}, {"sq--utf8", "sq", SC_LATIN},
    {"sr--utf8", "sr", SC_CYRILLIC}, {"ss--utf8", "ss", SC_LATIN}, {"st--utf8", "st", SC_LATIN},
    {"sv--utf8", "sv", SC_LATIN}, {"sw--utf8", "sw", SC_LATIN}, {"ta--utf8", "ta", SC_OTHER},
    {"tet--utf8", NULL, SC_LATIN}, {"tg--utf8", "tg", SC_CYRILLIC}, {"th--utf8", "th", SC_THAI},
    {"ti--utf8", "ti", SC_OTHER}, {"tk--utf8", "tk", SC_LATIN}, {"tl--utf8", "tl", SC_LATIN},
    {"tn--utf8", "tn", SC_LATIN}, {"tpi--utf8", NULL, SC_LATIN}, {"tr--utf8", "tr", SC_LATIN},
    {"ts--utf8", "ts", SC_LATIN}, {"tt--utf8", "tt", SC_CYRILLIC}, {"ty--utf8", "ty", SC_LATIN},
    {"tzm-Latn-utf8", NULL, SC_LATIN}, {"ug--utf8", "ug", SC_ARABIC},
    {"uk--utf8", "uk", SC_CYRILLIC}, {"ur--utf8", "ur", SC_ARABIC}, {"uz--utf8", "uz", SC_LATIN},
    {"uz-Cyrl-utf8", "uz", SC_CYRILLIC}, {"ve--utf8", "ve", SC_LATIN},
    {"vep--utf8", NULL, SC_LATIN}, {"vi--utf8", "vi", SC_LATIN}, {"wa--utf8", "wa", SC_LATIN},
    {"xh--utf8", "xh", SC_LATIN}, {"yi--utf8", "yi", SC_HEBREW}, {"yo--utf8", "yo", SC_LATIN},
    {"zh-CN-utf8", "zh", SC_CJK}, {"zh-TW-utf8", "zh", SC_CJK}, {"zu--utf8", "zu", SC_LATIN},
};

/* Letters that set the Cyrillic alphabets apart. The fingerprints of
 * Russian, Ukrainian and Rusyn score within 3% of each other on plain
 * Ukrainian news, so textcat alone cannot choose; the alphabet can. */
static const utf8proc_int32_t cyr_letters[] = {
    0x044B, /* ы */ 0x044D, /* э */ 0x044A, /* ъ */ 0x0451, /* ё */ 0x0456, /* і */
    0x0457, /* ї */ 0x0454, /* є */ 0x0491, /* ґ */ 0x045E, /* ў */ 0x0458, /* ј */
    0x0459, /* љ */ 0x045A, /* њ */ 0x045B, /* ћ */ 0x0452, /* ђ */ 0x045F, /* џ */
    0x0453, /* ѓ */ 0x045C, /* ќ */ 0x0455, /* ѕ */
};
#define CYR_N (sizeof cyr_letters / sizeof cyr_letters[0])
#define CYR(i) (1u << (i))
enum { Y_YERY, Y_E, Y_HARD, Y_YO, Y_I, Y_YI, Y_YE, Y_GHE, Y_SHORT_U, Y_JE, Y_LJE, Y_NJE,
       Y_TSHE, Y_DJE, Y_DZHE, Y_GJE, Y_KJE, Y_DZE };
#define SERBO_MACEDONIAN                                                                  \
    (CYR(Y_JE) | CYR(Y_LJE) | CYR(Y_NJE) | CYR(Y_TSHE) | CYR(Y_DJE) | CYR(Y_DZHE) |       \
     CYR(Y_GJE) | CYR(Y_KJE) | CYR(Y_DZE))
#define UKRAINIAN (CYR(Y_I) | CYR(Y_YI) | CYR(Y_YE) | CYR(Y_GHE))

/* The distinguishing letters each language's alphabet lacks. */
static const struct {
    const char *iso;
    unsigned lacks;
} cyr_alphabets[] = {
    {"ru", UKRAINIAN | CYR(Y_SHORT_U) | SERBO_MACEDONIAN},
    {"uk", CYR(Y_YERY) | CYR(Y_E) | CYR(Y_HARD) | CYR(Y_YO) | CYR(Y_SHORT_U) | SERBO_MACEDONIAN},
    {"be", CYR(Y_HARD) | CYR(Y_YI) | CYR(Y_YE) | CYR(Y_GHE) | SERBO_MACEDONIAN},
    {"bg", CYR(Y_YERY) | CYR(Y_E) | CYR(Y_YO) | UKRAINIAN | CYR(Y_SHORT_U) | SERBO_MACEDONIAN},
    {"sr", CYR(Y_YERY) | CYR(Y_E) | CYR(Y_HARD) | CYR(Y_YO) | UKRAINIAN | CYR(Y_SHORT_U) |
               CYR(Y_GJE) | CYR(Y_KJE) | CYR(Y_DZE)},
    {"mk", CYR(Y_YERY) | CYR(Y_E) | CYR(Y_HARD) | CYR(Y_YO) | UKRAINIAN | CYR(Y_SHORT_U) |
               CYR(Y_TSHE) | CYR(Y_DJE)},
};

/* What the sample is made of. */
struct counts {
    size_t script[SC_COUNT]; /* letters per script */
    size_t cyr[CYR_N];       /* the letters of cyr_letters, any case */
};

/* Is the text written in an alphabet other than the one of Cyrillic
 * language iso? Yes when a few of its letters (3, and 1 in 200 Cyrillic
 * letters, so that a quoted name does not count) are missing from it. */
static int cyr_foreign(const char *iso, const struct counts *c)
{
    for (size_t i = 0; i < sizeof cyr_alphabets / sizeof cyr_alphabets[0]; i++) {
        if (strcmp(cyr_alphabets[i].iso, iso) != 0)
            continue;
        size_t foreign = 0;
        for (size_t k = 0; k < CYR_N; k++)
            if (cyr_alphabets[i].lacks & CYR(k))
                foreign += c->cyr[k];
        return foreign >= 3 && foreign * 200 >= c->script[SC_CYRILLIC];
    }
    return 0;
}

static const struct fpdb_lang *fpdb_find(const char *tag, size_t len)
{
    for (size_t i = 0; i < sizeof fpdb / sizeof fpdb[0]; i++)
        if (strncmp(fpdb[i].tag, tag, len) == 0 && fpdb[i].tag[len] == '\0')
            return &fpdb[i];
    return NULL;
}

nx_langid *nx_langid_new(void)
{
    nx_langid *id = calloc(1, sizeof *id);
    if (!id)
        return NULL;
    id->tc = special_textcat_Init(FPDB_CONF, FPDB_DIR);
    if (!id->tc) {
        free(id);
        return NULL;
    }
    return id;
}

void nx_langid_free(nx_langid *id)
{
    if (!id)
        return;
    textcat_Done(id->tc);
    free(id);
}

/* The script of a letter. */
static int letter_script(utf8proc_int32_t c)
{
    if (c < 0x0300)
        return SC_LATIN; /* Basic Latin to spacing modifiers */
    if ((c >= 0x0370 && c <= 0x03FF) || (c >= 0x1F00 && c <= 0x1FFF))
        return SC_GREEK;
    if ((c >= 0x0400 && c <= 0x052F) || (c >= 0x1C80 && c <= 0x1C8F) ||
        (c >= 0x2DE0 && c <= 0x2DFF) || (c >= 0xA640 && c <= 0xA69F))
        return SC_CYRILLIC;
    if ((c >= 0x0590 && c <= 0x05FF) || (c >= 0xFB1D && c <= 0xFB4F))
        return SC_HEBREW;
    if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
        (c >= 0x0870 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
        (c >= 0xFE70 && c <= 0xFEFF))
        return SC_ARABIC;
    if (c >= 0x0E00 && c <= 0x0E7F)
        return SC_THAI;
    if ((c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) ||
        (c >= 0xA960 && c <= 0xA97F) || (c >= 0xAC00 && c <= 0xD7FF) ||
        (c >= 0xFFA0 && c <= 0xFFDC))
        return SC_HANGUL;
    if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
        (c >= 0xFF66 && c <= 0xFF9F) || (c >= 0x1B000 && c <= 0x1B16F))
        return SC_KANA;
    if ((c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3005 && c <= 0x3007) ||
        (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
        (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF))
        return SC_HAN;
    if ((c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) ||
        (c >= 0xA720 && c <= 0xA7FF) || (c >= 0xAB30 && c <= 0xAB6F) ||
        (c >= 0xFB00 && c <= 0xFB06) || (c >= 0xFF21 && c <= 0xFF5A))
        return SC_LATIN;
    return SC_OTHER;
}

static int is_letter(utf8proc_category_t cat)
{
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
           cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
           cat == UTF8PROC_CATEGORY_LO;
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int ascii_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ascii_space(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Does s[0..n) start with the ASCII word w, in any case? */
static int starts_with(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (ascii_lower((unsigned char)s[i]) != w[i])
            return 0;
    return 1;
}

/* Offset just past the first occurrence of the ASCII word w (any case) in
 * s[0..n), or n when there is none. */
static size_t skip_past(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (starts_with(s + i, n - i, w))
            return i + k;
    return n;
}

/* The length of the markup starting at s[0] == '<' (a tag, a comment, or a
 * script or style element with its body), or 0 when s is text. */
static size_t markup_len(const char *s, size_t n)
{
    if (n < 2)
        return 0;
    if (starts_with(s, n, "<!--"))
        return 4 + skip_past(s + 4, n - 4, "-->");
    int c = (unsigned char)s[1];
    if (!(c == '/' || c == '!' || c == '?' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        return 0;
    size_t end = 1;
    size_t lim = n < TAG_MAX ? n : TAG_MAX;
    while (end < lim && s[end] != '>' && s[end] != '<')
        end++;
    if (end >= lim || s[end] != '>')
        return 0;
    end++;
    /* The bodies of script and style are code, not text. */
    static const char *const raw[] = {"script", "style"};
    for (size_t i = 0; i < 2; i++) {
        size_t k = strlen(raw[i]);
        if (starts_with(s + 1, end - 1, raw[i]) && end > k + 1 && !ascii_alnum((unsigned char)s[1 + k])) {
            char close[16] = "</";
            strcat(close, raw[i]);
            size_t at = end + skip_past(s + end, n - end, close);
            while (at < n && s[at] != '>')
                at++;
            return at < n ? at + 1 : n;
        }
    }
    return end;
}

/* The length of the character reference ("&amp;", "&#233;") at s[0] == '&',
 * or 0. */
static size_t entity_len(const char *s, size_t n)
{
    size_t i = 1;
    if (i < n && s[i] == '#')
        i++;
    size_t start = i;
    while (i < n && i - start < 12 && ascii_alnum((unsigned char)s[i]))
        i++;
    return i > start && i < n && s[i] == ';' ? i + 1 : 0;
}

/* The length of the URL starting at s, or 0. */
static size_t url_len(const char *s, size_t n)
{
    if (!starts_with(s, n, "http://") && !starts_with(s, n, "https://") && !starts_with(s, n, "www."))
        return 0;
    size_t i = 0;
    while (i < n && !ascii_space((unsigned char)s[i]) && s[i] != '<' && s[i] != '"' && s[i] != '\'')
        i++;
    return i;
}

/* Fills id->sample from text and counts its letters into count.
 * Returns the sample's length. */
static size_t make_sample(nx_langid *id, const char *text, size_t len, struct counts *count)
{
    char *out = id->sample;
    size_t o = 0;
    size_t n = len < SCAN_MAX ? len : SCAN_MAX;
    size_t i = 0;
#define SPACE()                                  \
    do {                                         \
        if (o > 0 && out[o - 1] != ' ')          \
            out[o++] = ' ';                      \
    } while (0)

    while (i < n && o < SAMPLE_MAX) {
        unsigned char c = (unsigned char)text[i];
        size_t skip = 0;
        if (c == '<')
            skip = markup_len(text + i, n - i);
        else if (c == '&')
            skip = entity_len(text + i, n - i);
        else if ((c == 'h' || c == 'H' || c == 'w' || c == 'W') && (o == 0 || out[o - 1] == ' '))
            skip = url_len(text + i, n - i);
        if (skip) {
            SPACE();
            i += skip;
            continue;
        }
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                count->script[SC_LATIN]++;
            if (c <= ' ' || c == 0x7F)
                SPACE();
            else
                out[o++] = (char)c;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k < 1) { /* invalid or truncated: a separator */
            SPACE();
            i++;
            continue;
        }
        if (o + (size_t)k > SAMPLE_MAX)
            break;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (is_letter(cat)) {
            int script = letter_script(cp);
            count->script[script]++;
            if (script == SC_CYRILLIC) {
                utf8proc_int32_t lower = utf8proc_tolower(cp);
                for (size_t y = 0; y < CYR_N; y++)
                    if (cyr_letters[y] == lower)
                        count->cyr[y]++;
            }
        }
        if (cp == 0xAD || cp == 0xFEFF) {
            /* soft hyphen, byte order mark: inside words, dropped */
        } else if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
                   cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_CC ||
                   cat == UTF8PROC_CATEGORY_CO || cat == UTF8PROC_CATEGORY_CN) {
            SPACE();
        } else {
            memcpy(out + o, text + i, (size_t)k);
            o += (size_t)k;
        }
        i += (size_t)k;
    }
#undef SPACE
    out[o] = '\0';
    return o;
}

/* What libexttextcat says about the sample, among languages written in
 * script (and, for Cyrillic, in the alphabet of the sample): their one ISO
 * code, fallback when none of them is among the candidates or when the
 * candidates disagree and fallback is one of them, else NULL. */
/* Letters of the text's script needed to settle a close call by rank. */
#define CLOSE_CALL_LETTERS 150

static const char *classify(nx_langid *id, size_t sample_len, const struct counts *c, int script,
                            const char *fallback)
{
    const char *res = textcat_Classify(id->tc, id->sample, sample_len);
    const char *found = NULL, *major = NULL;
    int agree = 1, has_fallback = 0, majors_agree = 1;
    for (const char *p = res; p && *p == '['; ) {
        const char *end = strchr(p, ']');
        if (!end)
            break;
        const struct fpdb_lang *l = fpdb_find(p + 1, (size_t)(end - p - 1));
        p = end + 1;
        if (!l || !l->iso || l->script != script)
            continue;
        if (script == SC_CYRILLIC && cyr_foreign(l->iso, c))
            continue;
        if (fallback && strcmp(l->iso, fallback) == 0)
            has_fallback = 1;
        if (!found)
            found = l->iso;
        else if (strcmp(found, l->iso) != 0)
            agree = 0;
        /* Languages with a stemmer are the big ones; a close call between
         * Spanish and Galician or Asturian is better settled for Spanish. */
        const nx_lang *known = nx_lang_find(l->iso);
        if (known && known->snowball) {
            if (!major)
                major = l->iso;
            else if (strcmp(major, l->iso) != 0)
                majors_agree = 0;
        }
    }
    if (!found)
        return fallback;
    if (agree)
        return found;
    if (has_fallback)
        return fallback;
    /* textcat lists the best first: with enough text, a close call among
     * major languages goes to the best of them. */
    if (major && (majors_agree || c->script[script] >= CLOSE_CALL_LETTERS))
        return major;
    return NULL;
}

/* Most archives are mostly English: when the commonest English function
 * words make up a large share of the first words, the text is English,
 * and the costly n-gram comparison is skipped. (It also keeps short
 * English wire items from being taken for Scots or Catalan.) */
static int clearly_english(const char *text, size_t len)
{
    static const char *const fw[] = {"the", "of", "and", "to", "in", "a", "is", "that", "for",
                                     "on", "said", "was", "with", "it", "by", "at", "as", "from",
                                     "be", "has", "have", "will", "its", "are", NULL};
    size_t words = 0, hits = 0, i = 0, high = 0;
    char w[16];
    while (i < len && words < 200) {
        while (i < len && !((text[i] | 0x20) >= 'a' && (text[i] | 0x20) <= 'z')) {
            high += (unsigned char)text[i] >= 0x80; /* curly quotes, dashes, or another script */
            i++;
        }
        size_t n = 0;
        while (i < len && ((text[i] | 0x20) >= 'a' && (text[i] | 0x20) <= 'z')) {
            if (n < sizeof w - 1)
                w[n++] = (char)(text[i] | 0x20);
            i++;
        }
        if (!n)
            break;
        w[n] = '\0';
        words++;
        for (const char *const *f = fw; *f; f++)
            if (strcmp(w, *f) == 0) {
                hits++;
                break;
            }
    }
    return words >= 30 && high * 20 < i && hits * 100 >= words * 25;
}

const char *nx_langid_detect(nx_langid *id, const char *text, size_t len)
{
    if (!id || !text || len == 0)
        return NULL;
    if (clearly_english(text, len < 4096 ? len : 4096))
        return "en";
    struct counts c = {{0}, {0}};
    size_t sample_len = make_sample(id, text, len, &c);
    size_t *count = c.script;

    count[SC_CJK] = count[SC_HAN] + count[SC_KANA] + count[SC_HANGUL];
    size_t letters = 0;
    for (int s = 0; s < SC_GROUPS; s++)
        letters += count[s];
    if (letters < MIN_LETTERS)
        return NULL;

    /* One script must hold two thirds of the letters; a CJK character
     * carries about as much as two alphabetic letters. */
    size_t total = letters + count[SC_CJK];
    int top = 0;
    for (int s = 1; s < SC_GROUPS; s++) {
        size_t w = s == SC_CJK ? 2 * count[s] : count[s];
        size_t best = top == SC_CJK ? 2 * count[top] : count[top];
        if (w > best)
            top = s;
    }
    size_t top_w = top == SC_CJK ? 2 * count[top] : count[top];
    if (top_w * 3 < total * 2)
        return NULL;

    switch (top) {
    case SC_CJK: {
        size_t cjk = count[SC_CJK];
        if (count[SC_HANGUL] * 2 >= cjk)
            return "ko";
        if (count[SC_KANA] * 20 >= cjk) /* 5% kana: Japanese */
            return "ja";
        if ((count[SC_KANA] + count[SC_HANGUL]) * 50 <= cjk) /* at most 2% */
            return "zh";
        return NULL;
    }
    case SC_GREEK:
        return "el";
    case SC_THAI:
        return "th";
    case SC_ARABIC:
        return classify(id, sample_len, &c, SC_ARABIC, "ar");
    case SC_HEBREW:
        return classify(id, sample_len, &c, SC_HEBREW, "he");
    default: /* Latin, Cyrillic and the other scripts */
        return classify(id, sample_len, &c, top, NULL);
    }
}
