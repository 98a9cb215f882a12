/* jsonw.h - a small writer of compact JSON text into a growing buffer
 * (src/ only), for outbox payloads too large to build as jansson trees
 * first: a migration of thousands of products.
 *
 * It writes exactly what jansson's json_dumps(JSON_COMPACT |
 * JSON_SORT_KEYS) writes for the same values, so the remote reads the
 * same bytes whichever built them: no spaces, strings escaped as jansson
 * escapes them (\" \\ \b \f \n \r \t, other control characters as \u00XX
 * in upper-case hex, everything else as it is, '/' and DEL included),
 * integers in decimal.  The caller writes the keys, in sorted order, and
 * the punctuation with cps_jw_lit().
 *
 * A failure (no memory, or a string that is not valid UTF-8, which
 * jansson's json_string() refuses too) is remembered: later calls do
 * nothing and cps_jw_ok() says 0. */
#ifndef CPSREG_JSONW_H
#define CPSREG_JSONW_H

#include <stddef.h>
#include <string.h>

struct cps_jw {
	char *buf;        /* NUL-terminated while ok */
	size_t len, cap;
	int failed;
};

void cps_jw_init(struct cps_jw *w);
void cps_jw_free(struct cps_jw *w);
int cps_jw_ok(const struct cps_jw *w);
/* Empties the text and keeps the buffer, for the next one. */
void cps_jw_reset(struct cps_jw *w);

/* Appends n bytes as they are (punctuation and keys).  Inline while
 * there is room: a payload is thousands of short pieces. */
void cps_jw_raw_grow(struct cps_jw *w, const char *s, size_t n);
static inline void cps_jw_raw(struct cps_jw *w, const char *s, size_t n)
{
	if (n < w->cap - w->len && !w->failed) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
		w->buf[w->len] = '\0';
	} else {
		cps_jw_raw_grow(w, s, n);
	}
}
#define cps_jw_lit(w, lit) cps_jw_raw((w), "" lit, sizeof(lit) - 1)

/* A JSON string of s (NUL-terminated). */
void cps_jw_str(struct cps_jw *w, const char *s);
/* The same, or null when s is NULL or empty. */
void cps_jw_opt_str(struct cps_jw *w, const char *s);
void cps_jw_int(struct cps_jw *w, long long v);
void cps_jw_bool(struct cps_jw *w, int v);

#endif
