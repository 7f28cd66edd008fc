/* read_html.c - turn one saved news web page into one nx_record.
 *
 * libxml2's forgiving HTML parser builds the tree; we read the metadata news
 * sites put in <meta> tags (Open Graph, Dublin Core, schema.org), pick the
 * article out of the page chrome and flatten it to paragraphs. */
#include "input.h"
#include "record.h"

#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libxml.h"
#include <utf8proc.h>

/* libxml2's functions: loaded before any page is parsed (nx_read_html). */
#define LX nx_libxml_load(NULL)

#define MSG_NO_TEXT "no article text found in HTML"
#define MSG_OOM "out of memory"

/* Without HTML_PARSE_HUGE libxml2 stops at 256 levels of nesting and 10 MB
 * text nodes, which is what keeps hostile pages cheap. Our own decoding
 * decides the encoding, so the page's <meta charset> must not switch it. */
#define PARSE_OPTIONS                                                          \
    (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |         \
     HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC)

/* ---- small string helpers ------------------------------------------------ */

static int is_ascii_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int ieq_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* Attribute values arrive with stray spaces and any letter case. */
static int trimmed_ieq(const char *s, const char *lit)
{
    size_t n = strlen(lit);
    while (is_ascii_space((unsigned char)*s))
        s++;
    if (strlen(s) < n || !ieq_n(s, lit, n))
        return 0;
    for (s += n; *s; s++)
        if (!is_ascii_space((unsigned char)*s))
            return 0;
    return 1;
}

static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static int ieq_any(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (trimmed_ieq(s, *list))
            return 1;
    return 0;
}

/* rel="canonical" may share the attribute with other link types. */
static int has_token(const char *list, const char *tok)
{
    size_t n = strlen(tok);
    const char *p = list;
    while (*p) {
        while (is_ascii_space((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p && !is_ascii_space((unsigned char)*p))
            p++;
        if ((size_t)(p - start) == n && ieq_n(start, tok, n))
            return 1;
    }
    return 0;
}

static size_t utf8_encode(unsigned cp, char out[3])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* ---- text buffer that collapses white space ------------------------------ */

enum { SEP_NONE, SEP_SPACE, SEP_PARA };

struct textbuf {
    char *s;
    size_t len, cap;
    int pending;     /* separator owed before the next visible character */
    int single_line; /* titles: paragraph breaks become spaces */
    int oom;
};

static void tb_put(struct textbuf *tb, const char *p, size_t n)
{
    if (tb->oom)
        return;
    if (tb->cap - tb->len < n + 1) {
        size_t cap = tb->cap ? tb->cap : 256;
        while (cap - tb->len < n + 1) {
            if (cap > SIZE_MAX / 2) {
                tb->oom = 1;
                return;
            }
            cap *= 2;
        }
        char *s = realloc(tb->s, cap);
        if (!s) {
            tb->oom = 1;
            return;
        }
        tb->s = s;
        tb->cap = cap;
    }
    memcpy(tb->s + tb->len, p, n);
    tb->len += n;
    tb->s[tb->len] = '\0';
}

static void tb_sep(struct textbuf *tb, int sep)
{
    if (tb->single_line && sep == SEP_PARA)
        sep = SEP_SPACE;
    if (sep > tb->pending)
        tb->pending = sep;
}

/* Separators are paid only when visible text follows and never at the
 * start, so the result has no leading or trailing white space. */
static void tb_visible(struct textbuf *tb, const char *p, size_t n)
{
    if (tb->len > 0 && tb->pending == SEP_PARA)
        tb_put(tb, "\n\n", 2);
    else if (tb->len > 0 && tb->pending == SEP_SPACE)
        tb_put(tb, " ", 1);
    tb->pending = SEP_NONE;
    tb_put(tb, p, n);
}

static void tb_reset(struct textbuf *tb)
{
    tb->len = 0;
    tb->pending = SEP_NONE;
    if (tb->s)
        tb->s[0] = '\0';
}

/* Byte length of the white-space character at p (*p != 0), else 0. Control
 * characters count as space; no-break and typographic spaces too, because
 * for searching they separate words like any other. */
static size_t space_len(const unsigned char *p)
{
    if (p[0] <= 0x20 || p[0] == 0x7F)
        return 1;
    if (p[0] == 0xC2 && p[1] == 0xA0)
        return 2;
    if (p[0] == 0xE2 && p[1] == 0x80 &&
        ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF))
        return 3;
    if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F)
        return 3;
    if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
        return 3;
    return 0;
}

static int is_c1(const unsigned char *p)
{
    return p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
}

static void tb_text(struct textbuf *tb, const xmlChar *text)
{
    const unsigned char *p = text;
    while (*p) {
        size_t n = space_len(p);
        if (n) {
            tb_sep(tb, SEP_SPACE);
            p += n;
        } else if (is_c1(p)) {
            /* Old pages write &#146; for a quote, meaning windows-1252. */
            /* The five undefined bytes keep their C1 code, as browsers do. */
            unsigned cp = nx_cp1252_char(p[1]) ? nx_cp1252_char(p[1]) : p[1];
            char u[3];
            if (cp >= 0xA0)
                tb_visible(tb, u, utf8_encode(cp, u));
            p += 2;
        } else {
            const unsigned char *run = p;
            do
                p++;
            while (*p && !space_len(p) && !is_c1(p));
            tb_visible(tb, (const char *)run, (size_t)(p - run));
        }
    }
}

/* ---- input decoding ------------------------------------------------------ */

/* libxml2 reads an undeclared page as Latin-1 and switches to Latin-1 at the
 * first invalid UTF-8 byte, leaving raw bytes in the tree. So we decide the
 * encoding ourselves, hand libxml2 clean UTF-8 and tell it to ignore the
 * page's own declaration. */

enum charset { CS_UTF8, CS_CP1252, CS_ICONV };

struct source {
    const char *p; /* input without its byte order mark */
    size_t len;
    enum charset cs;
    const char *iconv_name;
    char label[48];
};

static const char *const utf8_labels[] = {
    /* A page that could declare UTF-16 in ASCII is not UTF-16 (WHATWG). */
    "utf-8", "utf8", "unicode-1-1-utf-8", "utf-16", "utf-16le", "utf-16be",
    "unicode", "ucs-2", NULL,
};

static const char *const cp1252_labels[] = {
    "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591", "iso_8859-1:1987",
    "latin1", "l1", "cp1252", "windows-1252", "x-cp1252", "us-ascii",
    "ascii", "ansi_x3.4-1968", "cp819", "ibm819", "iso-ir-100", "csisolatin1",
    NULL,
};

/* Labels that browsers read as a superset glibc knows by another name. */
static const char *const iconv_aliases[][2] = {
    {"gb2312", "GBK"},          {"x-gbk", "GBK"},   {"shift_jis", "CP932"},
    {"shift-jis", "CP932"},     {"sjis", "CP932"},  {"x-sjis", "CP932"},
    {"windows-31j", "CP932"},   {"euc-kr", "CP949"}, {"ks_c_5601-1987", "CP949"},
    {NULL, NULL},
};

static int is_label_char(int c)
{
    c = ascii_lower(c);
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == ':';
}

static size_t find_ci(const char *p, size_t from, size_t end, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t i = from; i + n <= end; i++)
        if (ieq_n(p + i, lit, n))
            return i;
    return SIZE_MAX;
}

/* The label of <meta charset=...> or of charset= in an http-equiv
 * Content-Type. Only the start of the page is looked at, as browsers do:
 * the head comes first, and scanning 50 MB for it would be wasted. */
static int sniff_charset(const char *p, size_t len, char *label, size_t cap)
{
    size_t end = len < 65536 ? len : 65536;
    for (size_t i = 0; i + 6 < end; i++) {
        if (p[i] != '<' || !ieq_n(p + i + 1, "meta", 4))
            continue;
        if (!is_ascii_space((unsigned char)p[i + 5]) && p[i + 5] != '/')
            continue;
        size_t close = i + 5;
        while (close < end && p[close] != '>')
            close++;
        size_t k = find_ci(p, i + 5, close, "charset");
        if (k != SIZE_MAX) {
            k += 7;
            while (k < close && is_ascii_space((unsigned char)p[k]))
                k++;
            if (k < close && p[k] == '=') {
                k++;
                while (k < close && (is_ascii_space((unsigned char)p[k]) || p[k] == '"' || p[k] == '\''))
                    k++;
                size_t n = 0;
                while (k < close && n + 1 < cap && is_label_char((unsigned char)p[k]))
                    label[n++] = p[k++];
                label[n] = '\0';
                if (n > 0)
                    return 1;
            }
        }
        i = close;
    }
    return 0;
}

/* An undeclared page: UTF-8 when its high bytes mostly form UTF-8 sequences
 * (a few stray bytes get repaired), else a legacy page, which on the web is
 * almost always windows-1252. */
static int mostly_utf8(const unsigned char *p, size_t len)
{
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < len;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n > 0) {
            good++;
            i += (size_t)n;
        } else {
            bad++;
            i++;
        }
    }
    return bad <= good;
}

static int has_utf16_bom(const unsigned char *u, size_t len)
{
    return len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
}

static void choose_charset(const char *data, size_t len, struct source *src)
{
    const unsigned char *u = (const unsigned char *)data;
    src->p = data;
    src->len = len;
    src->cs = CS_UTF8;
    src->iconv_name = NULL;
    src->label[0] = '\0';
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        src->p += 3;
        src->len -= 3;
        return;
    }
    if (has_utf16_bom(u, len)) {
        src->cs = CS_ICONV;
        src->iconv_name = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        src->p += 2;
        src->len -= 2;
        return;
    }
    if (!sniff_charset(data, len, src->label, sizeof src->label)) {
        src->cs = mostly_utf8(u, len) ? CS_UTF8 : CS_CP1252;
        return;
    }
    if (ieq_any(src->label, utf8_labels))
        return;
    if (ieq_any(src->label, cp1252_labels)) {
        src->cs = CS_CP1252;
        return;
    }
    src->cs = CS_ICONV;
    src->iconv_name = src->label;
    for (size_t i = 0; iconv_aliases[i][0]; i++)
        if (trimmed_ieq(src->label, iconv_aliases[i][0]))
            src->iconv_name = iconv_aliases[i][1];
}

static int grow(char **buf, size_t *cap, size_t need)
{
    if (*cap >= need)
        return 0;
    size_t cap2 = *cap;
    while (cap2 < need) {
        if (cap2 > SIZE_MAX / 2)
            return -1;
        cap2 *= 2;
    }
    char *b = realloc(*buf, cap2);
    if (!b)
        return -1;
    *buf = b;
    *cap = cap2;
    return 0;
}

/* Undecodable bytes become U+FFFD one at a time, so one bad byte does not
 * cost the rest of the page. */
static char *decode_iconv(iconv_t cd, const char *in, size_t len, size_t *outlen)
{
    size_t cap = len + 64, o = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    char *ip = (char *)in; /* iconv's prototype predates const; it only reads */
    size_t il = len;
    int flushing = 0;
    for (;;) {
        char *op = out + o;
        size_t ol = cap - o - 1;
        size_t r = flushing ? iconv(cd, NULL, NULL, &op, &ol) : iconv(cd, &ip, &il, &op, &ol);
        o = (size_t)(op - out);
        if (r != (size_t)-1) {
            if (flushing)
                break;
            flushing = 1;
        } else if (errno == E2BIG) {
            if (grow(&out, &cap, cap + 1) != 0)
                goto oom;
        } else if (flushing) {
            break;
        } else {
            if (grow(&out, &cap, o + 4) != 0)
                goto oom;
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            ip++;
            il--;
        }
    }
    /* A NUL would end libxml2's strings early; UTF-16 text can encode one. */
    size_t w = 0;
    for (size_t i = 0; i < o; i++)
        if (out[i] != '\0')
            out[w++] = out[i];
    out[w] = '\0';
    *outlen = w;
    return out;
oom:
    free(out);
    return NULL;
}

/* Returns valid UTF-8 without NULs, or NULL when out of memory. */
static char *decode_input(const char *data, size_t len, size_t *outlen)
{
    struct source src;
    choose_charset(data, len, &src);
    if (src.cs == CS_ICONV) {
        iconv_t cd = iconv_open("UTF-8", src.iconv_name);
        if (cd != (iconv_t)-1) {
            char *out = decode_iconv(cd, src.p, src.len, outlen);
            iconv_close(cd);
            return out;
        }
        /* A label nobody knows: judge the bytes as if undeclared. */
        src.cs = mostly_utf8((const unsigned char *)src.p, src.len) ? CS_UTF8 : CS_CP1252;
    }
    if (src.cs == CS_CP1252)
        return nx_cp1252_to_utf8(src.p, src.len, outlen);
    char *out = nx_utf8_repair(src.p, src.len);
    if (out)
        *outlen = strlen(out);
    return out;
}

/* Saved pages are text. A start full of control bytes means an image, an
 * archive or a damaged file, which libxml2 would happily "recover" into a
 * body of mojibake. ESC, SO and SI are allowed for ISO-2022 encodings. */
static int looks_binary(const unsigned char *p, size_t len)
{
    size_t n = len < 4096 ? len : 4096, ctl = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if ((c < 0x20 && !is_ascii_space(c) && c != 0x1B && c != 0x0E && c != 0x0F) || c == 0x7F)
            ctl++;
    }
    return ctl * 16 > n;
}

/* ---- tree walking -------------------------------------------------------- */

enum { WALK_SKIP, WALK_DESCEND, WALK_STOP };

typedef int (*enter_fn)(xmlNode *n, void *ctx);
typedef void (*leave_fn)(xmlNode *n, void *ctx);

/* Depth-first over root's subtree by parent pointers: no recursion, so a
 * deep tree costs no stack. leave() runs for every node enter() descended
 * into. */
static void walk(xmlNode *root, enter_fn enter, leave_fn leave, void *ctx)
{
    xmlNode *n = root;
    while (n) {
        int r = enter(n, ctx);
        if (r == WALK_STOP)
            return;
        if (r == WALK_DESCEND && n->children) {
            n = n->children;
            continue;
        }
        if (r == WALK_DESCEND && leave)
            leave(n, ctx);
        while (n != root && !n->next) {
            n = n->parent;
            if (leave)
                leave(n, ctx);
        }
        n = n == root ? NULL : n->next;
    }
}

static int is_elem(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlChar *attr(const xmlNode *n, const char *name)
{
    return LX->GetProp(n, (const xmlChar *)name);
}

static int attr_is(const xmlNode *n, const char *name, const char *value)
{
    if (!LX->HasProp(n, (const xmlChar *)name))
        return 0;
    xmlChar *v = attr(n, name);
    int r = v && trimmed_ieq((const char *)v, value);
    (*LX->Free)(v);
    return r;
}

/* Page chrome and things that are not prose. head and title are here so a
 * fallback to <html> never picks up the <title>. */
static const char *const skipped_tags[] = {
    "script", "style", "noscript", "template", "nav", "footer", "aside",
    "form", "iframe", "svg", "button", "select", "textarea", "video",
    "audio", "canvas", "head", "title", NULL,
};

static int is_skipped(const xmlNode *n, int keep_header)
{
    const char *name = (const char *)n->name;
    if (in_list(name, skipped_tags))
        return 1;
    if (!keep_header && strcmp(name, "header") == 0)
        return 1;
    if (LX->HasProp(n, (const xmlChar *)"hidden"))
        return 1;
    return attr_is(n, "aria-hidden", "true");
}

static const char *const block_tags[] = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl",
    "dt", "dd", "blockquote", "pre", "section", "article", "figure",
    "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "br",
    "hr", "main", "header", "address", "details", "summary", "center",
    "hgroup", "fieldset", "legend", "body", "html", NULL,
};

static int break_kind(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (in_list(name, block_tags))
        return SEP_PARA;
    if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
        return SEP_SPACE;
    return SEP_NONE;
}

/* ---- metadata ------------------------------------------------------------ */

enum { DATE_OG, DATE_NAME, DATE_ITEMPROP, DATE_TIME, DATE_SLOTS };

struct page {
    char *og_title, *site_name, *publisher, *canonical, *og_url;
    char *html_lang, *content_lang;
    char *date[DATE_SLOTS];
    xmlNode *title_el, *first_h1;
    int oom;
};

static void page_free(struct page *pg)
{
    free(pg->og_title);
    free(pg->site_name);
    free(pg->publisher);
    free(pg->canonical);
    free(pg->og_url);
    free(pg->html_lang);
    free(pg->content_lang);
    for (int i = 0; i < DATE_SLOTS; i++)
        free(pg->date[i]);
}

/* First value wins: sites repeat tags, and the first is the page's own. */
static void set_slot(struct page *pg, char **slot, const xmlChar *value)
{
    if (*slot || !value)
        return;
    const char *s = (const char *)value;
    size_t n = strlen(s);
    while (n && is_ascii_space((unsigned char)s[n - 1]))
        n--;
    while (n && is_ascii_space((unsigned char)*s)) {
        s++;
        n--;
    }
    if (!n)
        return;
    *slot = nx_utf8_repair(s, n);
    if (!*slot)
        pg->oom = 1;
}

static const char *const date_names[] = {
    "date", "pubdate", "publishdate", "dc.date.issued", "dcterms.created", NULL,
};

/* Sites mix up property= and name= for Open Graph tags, so both are read. */
static void read_meta_key(struct page *pg, const char *key, const xmlChar *content)
{
    if (trimmed_ieq(key, "og:title"))
        set_slot(pg, &pg->og_title, content);
    else if (trimmed_ieq(key, "og:site_name"))
        set_slot(pg, &pg->site_name, content);
    else if (trimmed_ieq(key, "og:url"))
        set_slot(pg, &pg->og_url, content);
    else if (trimmed_ieq(key, "article:published_time"))
        set_slot(pg, &pg->date[DATE_OG], content);
    else if (ieq_any(key, date_names))
        set_slot(pg, &pg->date[DATE_NAME], content);
    else if (trimmed_ieq(key, "publisher"))
        set_slot(pg, &pg->publisher, content);
}

static void read_meta(struct page *pg, const xmlNode *n)
{
    xmlChar *content = attr(n, "content");
    if (!content)
        return;
    const char *keys[] = {"property", "name"};
    for (size_t i = 0; i < 2; i++) {
        xmlChar *key = attr(n, keys[i]);
        if (key)
            read_meta_key(pg, (const char *)key, content);
        (*LX->Free)(key);
    }
    if (attr_is(n, "itemprop", "datePublished"))
        set_slot(pg, &pg->date[DATE_ITEMPROP], content);
    if (attr_is(n, "http-equiv", "content-language"))
        set_slot(pg, &pg->content_lang, content);
    (*LX->Free)(content);
}

/* schema.org microdata also sits on visible elements: <time itemprop=...>. */
static void read_itemprop(struct page *pg, const xmlNode *n)
{
    if (!attr_is(n, "itemprop", "datePublished"))
        return;
    xmlChar *v = attr(n, "datetime");
    if (!v)
        v = attr(n, "content");
    set_slot(pg, &pg->date[DATE_ITEMPROP], v);
    (*LX->Free)(v);
}

static void read_link(struct page *pg, const xmlNode *n)
{
    xmlChar *rel = attr(n, "rel");
    if (rel && has_token((const char *)rel, "canonical")) {
        xmlChar *href = attr(n, "href");
        set_slot(pg, &pg->canonical, href);
        (*LX->Free)(href);
    }
    (*LX->Free)(rel);
}

static const char *const opaque_tags[] = {"script", "style", "template", "svg", NULL};

static int meta_enter(xmlNode *n, void *ctx)
{
    struct page *pg = ctx;
    if (n->type != XML_ELEMENT_NODE)
        return WALK_SKIP;
    const char *name = (const char *)n->name;
    if (in_list(name, opaque_tags))
        return WALK_SKIP;
    if (strcmp(name, "meta") == 0)
        read_meta(pg, n);
    else if (strcmp(name, "link") == 0)
        read_link(pg, n);
    else if (strcmp(name, "title") == 0 && !pg->title_el)
        pg->title_el = n;
    else if (strcmp(name, "h1") == 0 && !pg->first_h1)
        pg->first_h1 = n;
    if (strcmp(name, "meta") != 0 && LX->HasProp(n, (const xmlChar *)"itemprop"))
        read_itemprop(pg, n);
    return pg->oom ? WALK_STOP : WALK_DESCEND;
}

static void read_metadata(xmlNode *root, struct page *pg)
{
    if (is_elem(root, "html")) {
        xmlChar *lang = attr(root, "lang");
        set_slot(pg, &pg->html_lang, lang);
        (*LX->Free)(lang);
    }
    walk(root, meta_enter, NULL, pg);
}

/* ---- choosing the content root ------------------------------------------- */

struct candidates {
    xmlNode *article, *main, *role_main, *body;
    size_t article_size;
    xmlNode *open_article; /* outermost article being measured */
    size_t open_start, text_count;
};

static size_t visible_bytes(const xmlChar *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += !is_ascii_space(*s);
    return n;
}

/* Only outermost articles are measured: an inner one can never be larger,
 * and measuring nested ones separately would be quadratic. */
static int cand_enter(xmlNode *n, void *ctx)
{
    struct candidates *c = ctx;
    if (n->type == XML_TEXT_NODE) {
        if (c->open_article)
            c->text_count += visible_bytes(n->content);
        return WALK_SKIP;
    }
    if (n->type != XML_ELEMENT_NODE || is_skipped(n, c->open_article != NULL))
        return WALK_SKIP;
    const char *name = (const char *)n->name;
    if (strcmp(name, "article") == 0 && !c->open_article) {
        c->open_article = n;
        c->open_start = c->text_count;
    } else if (strcmp(name, "main") == 0 && !c->main) {
        c->main = n;
    } else if (strcmp(name, "body") == 0 && !c->body) {
        c->body = n;
    }
    if (!c->role_main && attr_is(n, "role", "main"))
        c->role_main = n;
    return WALK_DESCEND;
}

static void cand_leave(xmlNode *n, void *ctx)
{
    struct candidates *c = ctx;
    if (n != c->open_article)
        return;
    size_t size = c->text_count - c->open_start;
    if (size > c->article_size) {
        c->article = n;
        c->article_size = size;
    }
    c->open_article = NULL;
}

struct finder {
    const char *tag, *attr;
    int keep_header;
    xmlNode *found;
};

static int find_enter(xmlNode *n, void *ctx)
{
    struct finder *f = ctx;
    if (n->type != XML_ELEMENT_NODE || is_skipped(n, f->keep_header))
        return WALK_SKIP;
    if (strcmp((const char *)n->name, f->tag) == 0 &&
        (!f->attr || LX->HasProp(n, (const xmlChar *)f->attr))) {
        f->found = n;
        return WALK_STOP;
    }
    return WALK_DESCEND;
}

static xmlNode *find_first(xmlNode *root, const char *tag, const char *attr_name)
{
    struct finder f = {tag, attr_name, is_elem(root, "article"), NULL};
    walk(root, find_enter, NULL, &f);
    return f.found;
}

/* ---- text extraction ----------------------------------------------------- */

struct extract {
    xmlNode *root;
    struct textbuf tb;
    int keep_header;
    const char *title; /* drop the first h1 when it repeats this */
    int h1_seen;
};

static int text_of(xmlNode *root, int single_line, const char *title, struct textbuf *out);

static int repeats_title(xmlNode *h1, const char *title, int *oom)
{
    struct textbuf tb = {0};
    text_of(h1, 1, NULL, &tb);
    int same = tb.s && strcmp(tb.s, title) == 0;
    *oom = tb.oom;
    free(tb.s);
    return same;
}

static int extract_enter(xmlNode *n, void *ctx)
{
    struct extract *x = ctx;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content)
            tb_text(&x->tb, n->content);
        return x->tb.oom ? WALK_STOP : WALK_SKIP;
    }
    if (n->type != XML_ELEMENT_NODE)
        return WALK_SKIP;
    /* The root is taken as asked for, even a <title>. */
    if (n != x->root && is_skipped(n, x->keep_header))
        return WALK_SKIP;
    if (x->title && !x->h1_seen && is_elem(n, "h1")) {
        x->h1_seen = 1;
        if (repeats_title(n, x->title, &x->tb.oom))
            return WALK_SKIP;
    }
    tb_sep(&x->tb, break_kind(n));
    return x->tb.oom ? WALK_STOP : WALK_DESCEND;
}

static void extract_leave(xmlNode *n, void *ctx)
{
    struct extract *x = ctx;
    if (n->type == XML_ELEMENT_NODE)
        tb_sep(&x->tb, break_kind(n));
}

/* Appends root's text to out; returns -1 when out of memory. */
static int text_of(xmlNode *root, int single_line, const char *title, struct textbuf *out)
{
    struct extract x = {root, *out, is_elem(root, "article"), title, 0};
    x.tb.single_line = single_line;
    walk(root, extract_enter, extract_leave, &x);
    *out = x.tb;
    return out->oom ? -1 : 0;
}

/* ---- assembling the record ----------------------------------------------- */

/* "Headline | Site" -> "Headline", but only when the tail really is the
 * site's name: a headline may itself contain " - ". */
static void trim_site_suffix(struct textbuf *title, const char *site)
{
    static const char *const seps[] = {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " \xC2\xB7 ", NULL};
    if (!site || title->len == 0)
        return;
    size_t cut = 0, tail = 0;
    for (size_t s = 0; seps[s]; s++) {
        size_t n = strlen(seps[s]);
        for (size_t i = 1; i + n <= title->len; i++)
            if (memcmp(title->s + i, seps[s], n) == 0 && i > cut) {
                cut = i;
                tail = i + n;
            }
    }
    if (cut > 0 && trimmed_ieq(site, title->s + tail)) {
        title->len = cut;
        title->s[cut] = '\0';
    }
}

static int make_title(struct page *pg, xmlNode *content_root, struct textbuf *tb)
{
    tb->single_line = 1;
    if (pg->og_title)
        tb_text(tb, (const xmlChar *)pg->og_title);
    if (tb->len == 0 && pg->title_el && text_of(pg->title_el, 1, NULL, tb) != 0)
        return -1;
    trim_site_suffix(tb, pg->site_name ? pg->site_name : pg->publisher);
    if (tb->len == 0) {
        xmlNode *h1 = content_root ? find_first(content_root, "h1", NULL) : NULL;
        if (!h1)
            h1 = pg->first_h1;
        if (h1 && text_of(h1, 1, NULL, tb) != 0)
            return -1;
    }
    return tb->oom ? -1 : 0;
}

/* The largest article, else <main>, else [role=main], else <body>; a choice
 * that yields no text falls through to the next. */
static int make_body(xmlNode *const cands[], size_t ncands, const char *title,
                     struct textbuf *tb, xmlNode **chosen)
{
    *chosen = NULL;
    for (size_t i = 0; i < ncands; i++) {
        if (!cands[i])
            continue;
        tb_reset(tb);
        if (text_of(cands[i], 0, title, tb) != 0)
            return -1;
        if (tb->len > 0) {
            *chosen = cands[i];
            return 0;
        }
    }
    return 0;
}

/* Punctuation or U+FFFD alone is not an article. */
static int has_alnum(const char *s)
{
    if (!s)
        return 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t cp;
    utf8proc_ssize_t n;
    while (*p && (n = utf8proc_iterate(p, -1, &cp)) > 0) {
        utf8proc_category_t c = utf8proc_category(cp);
        if ((c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
            (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO))
            return 1;
        p += n;
    }
    return 0;
}

static char *take(char **a, char **b)
{
    char **from = *a ? a : b;
    char *s = *from;
    *from = NULL;
    return s;
}

static char *finish_text(struct textbuf *tb, int *oom)
{
    if (tb->len == 0)
        return NULL;
    char *s = nx_utf8_repair(tb->s, tb->len);
    if (!s)
        *oom = 1;
    return s;
}

/* Fills rec from the tree. Returns 0, 1 when the page has no usable text,
 * or -1 when out of memory. */
static int build_record(xmlDoc *doc, nx_record *rec)
{
    xmlNode *root = LX->DocGetRootElement(doc);
    if (!root)
        return 1;
    struct page pg = {0};
    read_metadata(root, &pg);

    struct candidates c = {0};
    walk(root, cand_enter, cand_leave, &c);
    xmlNode *const cands[] = {c.article, c.main, c.role_main, c.body};
    size_t ncands = sizeof cands / sizeof cands[0];
    xmlNode *first = NULL;
    for (size_t i = 0; i < ncands && !first; i++)
        first = cands[i];

    struct textbuf title = {0}, body = {0};
    xmlNode *chosen = NULL;
    int oom = pg.oom;
    if (!oom)
        oom = make_title(&pg, first, &title) != 0;
    if (!oom)
        oom = make_body(cands, ncands, title.len ? title.s : NULL, &body, &chosen) != 0;
    if (!oom && !pg.date[DATE_OG] && !pg.date[DATE_NAME] && !pg.date[DATE_ITEMPROP]) {
        xmlNode *t = find_first(chosen ? chosen : first ? first : root, "time", "datetime");
        xmlChar *v = t ? attr(t, "datetime") : NULL;
        set_slot(&pg, &pg.date[DATE_TIME], v);
        (*LX->Free)(v);
        oom = pg.oom;
    }
    if (!oom) {
        rec->title = finish_text(&title, &oom);
        rec->body = finish_text(&body, &oom);
    }
    free(title.s);
    free(body.s);

    rec->id = NULL;
    rec->line = 0;
    rec->date = take(&pg.date[DATE_OG], &pg.date[DATE_NAME]);
    if (!rec->date)
        rec->date = take(&pg.date[DATE_ITEMPROP], &pg.date[DATE_TIME]);
    rec->source = take(&pg.site_name, &pg.publisher);
    rec->url = take(&pg.canonical, &pg.og_url);
    rec->lang = take(&pg.html_lang, &pg.content_lang);
    page_free(&pg);

    if (oom || (!has_alnum(rec->title) && !has_alnum(rec->body))) {
        nx_record_clear(rec);
        return oom ? -1 : 1;
    }
    return 0;
}

static int fail(const nx_record_sink *sink, const char *msg)
{
    if (sink->on_problem)
        sink->on_problem(sink->ctx, 0, msg);
    return -1;
}

int nx_read_html(const char *data, size_t len, const nx_record_sink *sink)
{
    if (!sink)
        return -1;
    const char *why = NULL;
    if (!nx_libxml_load(&why))
        return fail(sink, why);
    const unsigned char *u = (const unsigned char *)data;
    if (!data || len == 0 || (!has_utf16_bom(u, len) && looks_binary(u, len)))
        return fail(sink, MSG_NO_TEXT);

    size_t ulen = 0;
    char *utf8 = decode_input(data, len, &ulen);
    if (!utf8)
        return fail(sink, MSG_OOM);
    if (ulen == 0 || ulen > INT_MAX) {
        free(utf8);
        return fail(sink, ulen ? "HTML page too large to parse" : MSG_NO_TEXT);
    }

    htmlParserCtxtPtr ctxt = LX->NewParserCtxt();
    if (!ctxt) {
        free(utf8);
        return fail(sink, MSG_OOM);
    }
    xmlDoc *doc = LX->CtxtReadMemory(ctxt, utf8, (int)ulen, NULL, "UTF-8", PARSE_OPTIONS);
    /* libxml2 also reports a text node over 10 MB as XML_ERR_NO_MEMORY, but
     * then keeps the document read so far: only a missing one is a failure. */
    int parse_oom = !doc && ctxt->errNo == XML_ERR_NO_MEMORY;
    /* Past 256 levels of nesting libxml2 stops reading, quietly under
     * HTML_PARSE_NOERROR: say so, since the rest of the page is lost. */
    const xmlError *last = LX->CtxtGetLastError(ctxt);
    long cut_line = 0;
    if (doc && last && last->message && strstr(last->message, "Excessive depth"))
        cut_line = last->line > 0 ? last->line : 1;
    LX->FreeParserCtxt(ctxt);
    if (cut_line && sink->on_problem)
        sink->on_problem(sink->ctx, cut_line,
                         "HTML nested more than 256 levels deep; text from here on not indexed");
    free(utf8);
    if (!doc)
        return fail(sink, parse_oom ? MSG_OOM : MSG_NO_TEXT);

    nx_record rec = {0};
    int rc = build_record(doc, &rec);
    LX->FreeDoc(doc);
    if (rc != 0)
        return fail(sink, rc < 0 ? MSG_OOM : MSG_NO_TEXT);
    if (!sink->on_record) {
        nx_record_clear(&rec);
        return 0;
    }
    return sink->on_record(sink->ctx, &rec);
}
