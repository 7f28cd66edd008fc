/* langid.h - language identification of article text, so that articles
 * without a declared language can be stemmed in the right one.
 *
 * Writing systems that name their language (kana, Hangul, Han, Greek, Thai)
 * decide at once; in Latin and Arabic script, the commonest function words of
 * the big languages ("the", "und", "de") usually do; otherwise libexttextcat's
 * n-gram fingerprints choose among the languages written in the text's script.
 * An answer is given only when it is clear: short, mixed or ambiguous text,
 * and tables of figures, get NULL, never a guess. */
#ifndef NX_ANALYZE_LANGID_H
#define NX_ANALYZE_LANGID_H

#include <stddef.h>

typedef struct nx_langid nx_langid;

/* Loads the language fingerprints of libexttextcat (Debian libexttextcat-data,
 * /usr/share/libexttextcat/fpdb.conf) and builds the table of function words.
 * Returns NULL when the fingerprints cannot be loaded or memory runs out. The caller owns the handle and frees it with
 * nx_langid_free. */
nx_langid *nx_langid_new(void);

/* Frees the handle and everything it holds; NULL is a no-op. */
void nx_langid_free(nx_langid *id);

/* The ISO 639-1 code ("en", "fr", "ru", "ar", "de", "es", "zh", "ja", "ko", ...) of the language
 * text[0..len) is written in, or NULL when the text is too short (fewer than ~40 letters
 * after skipping markup/digits/punctuation, or, in Latin script, fewer than ~20 words that no
 * language's function words claim), mostly figures (a table of results), mixed, or the guess
 * is not clearly better than the runner-up. The returned string is static. Not thread-safe
 * per handle; use one handle per thread. Any bytes are accepted (invalid UTF-8, NULs); text
 * may be NULL when len is 0. Only the first few KiB of text are looked at. */
const char *nx_langid_detect(nx_langid *id, const char *text, size_t len);

#endif
