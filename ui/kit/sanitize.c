/* sanitize.c - text from the store or the remote made safe to show (see
 * sanitize.h). */
#include <string.h>

#include "sanitize.h"

static int cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t sanitize_utf8_len(const char *s, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;   /* the second byte's range */
	size_t n;

	*bad = 1;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;   /* a continuation byte, C0, C1 or F5-FF: never a lead */
	/* the second byte's range rules out overlong forms, surrogates and
	 * code points above U+10FFFF */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++) {
		if (!cont(p[i])) {
			*bad = i;
			return 0;
		}
	}
	/* C1 controls (U+0080-U+009F) act like escapes on some terminals */
	if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
		*bad = 2;
		return 0;
	}
	return n;
}

static const char *sanitize(const char *in, char *buf, size_t len, int keep_newlines)
{
	const char *p = in ? in : "";
	size_t o = 0;

	if (!len)
		return buf;
	while (*p && o + 1 < len) {
		size_t bad, n = sanitize_utf8_len(p, &bad);
		unsigned char c = (unsigned char)*p;
		if (n == 1 && (c < 0x20 || c == 0x7f) &&
		    !(keep_newlines && (c == '\n' || c == '\t')))
			n = 0;
		if (n == 0) {
			buf[o++] = '?';
			p += bad;
			continue;
		}
		if (o + n >= len)
			break;
		memcpy(buf + o, p, n);
		o += n;
		p += n;
	}
	buf[o] = '\0';
	return buf;
}

const char *sanitize_line(const char *in, char *buf, size_t len)
{
	return sanitize(in, buf, len, 0);
}

const char *sanitize_text(const char *in, char *buf, size_t len)
{
	return sanitize(in, buf, len, 1);
}
