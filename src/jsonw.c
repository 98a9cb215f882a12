/* jsonw.c - compact JSON text written directly, byte for byte as jansson
 * dumps it (see src/jsonw.h). */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/text.h"
#include "jsonw.h"

void cps_jw_init(struct cps_jw *w)
{
	memset(w, 0, sizeof(*w));
}

void cps_jw_free(struct cps_jw *w)
{
	free(w->buf);
	cps_jw_init(w);
}

int cps_jw_ok(const struct cps_jw *w)
{
	return !w->failed && w->buf;
}

void cps_jw_reset(struct cps_jw *w)
{
	w->len = 0;
	if (w->buf)
		w->buf[0] = '\0';
}

static void fail(struct cps_jw *w)
{
	w->failed = 1;
}

/* Room for n more bytes and the NUL; 0 (and failed) when there is none. */
static int room(struct cps_jw *w, size_t n)
{
	if (w->failed)
		return 0;
	if (n >= (size_t)-1 / 2 - w->len) {
		fail(w);
		return 0;
	}
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		char *b;

		while (cap < w->len + n + 1)
			cap *= 2;
		b = realloc(w->buf, cap);
		if (!b) {
			fail(w);
			return 0;
		}
		w->buf = b;
		w->cap = cap;
	}
	return 1;
}

void cps_jw_raw_grow(struct cps_jw *w, const char *s, size_t n)
{
	if (!room(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

/* The length of the ASCII text at the start of s that stands in a JSON
 * string as it is. */
static size_t plain_ascii(const unsigned char *s)
{
	const unsigned char *p = s;

	while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
		p++;
	return (size_t)(p - s);
}

void cps_jw_str(struct cps_jw *w, const char *str)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	size_t n0 = plain_ascii(s);

	/* most texts (serial numbers, dates, dealers' names) are plain
	 * ASCII: the quotes and the text in one go */
	if (!s[n0] && n0 + 2 < w->cap - w->len && !w->failed) {
		char *o = w->buf + w->len;

		o[0] = '"';
		memcpy(o + 1, s, n0);
		o[n0 + 1] = '"';
		o[n0 + 2] = '\0';
		w->len += n0 + 2;
		return;
	}
	cps_jw_lit(w, "\"");
	for (;;) {
		const unsigned char *run = s;

		/* the bytes that stand as they are, copied at once */
		for (;;) {
			if (*s >= 0x80) {
				/* what jansson's json_string() takes: the engine's
				 * decoder refuses the same (overlong forms,
				 * surrogates, above U+10FFFF) */
				size_t n = cps_utf8_decode((const char *)s,
							   CPS_UTF8_NUL_TERMINATED, NULL);
				if (!n)
					break;
				s += n;
			} else if (*s >= 0x20 && *s != '"' && *s != '\\') {
				s++;
			} else {
				break;
			}
		}
		if (s != run)
			cps_jw_raw(w, (const char *)run, (size_t)(s - run));
		if (!*s)
			break;
		if (*s >= 0x80) {
			fail(w);
			return;
		}
		char esc[6] = { '\\', 0 };
		size_t n = 2;
		switch (*s) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[*s >> 4];
			esc[5] = hex[*s & 0xF];
			n = 6;
			break;
		}
		cps_jw_raw(w, esc, n);
		s++;
	}
	cps_jw_lit(w, "\"");
}

void cps_jw_opt_str(struct cps_jw *w, const char *s)
{
	if (s && *s)
		cps_jw_str(w, s);
	else
		cps_jw_lit(w, "null");
}

void cps_jw_int(struct cps_jw *w, long long v)
{
	char d[24];
	size_t i = sizeof(d);
	/* in unsigned arithmetic, so that LLONG_MIN has its digits too */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		d[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[--i] = '-';
	cps_jw_raw(w, d + i, sizeof(d) - i);
}

void cps_jw_bool(struct cps_jw *w, int v)
{
	if (v)
		cps_jw_lit(w, "true");
	else
		cps_jw_lit(w, "false");
}
