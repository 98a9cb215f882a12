/* sanitize.c - text from the store or the remote made safe to show. */
#include <string.h>

#include "sanitize.h"

/* Length of a valid UTF-8 sequence at p (1-4), or 0.  Valid means what
 * RFC 3629 allows: no lead byte above 0xF4, no overlong form, no
 * surrogate, nothing above U+10FFFF; a terminal may read anything else as
 * something other than what we checked. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf; /* where the second byte may be */
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0; /* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90; /* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0;
	}
	/* a NUL is below lo, so nothing past the end is read */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* C1 controls (U+0080-U+009F) act like escapes on some terminals */
	if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return 0;
	return n;
}

static const char *sanitize(const char *in, char *buf, size_t len, int keep_newlines)
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t o = 0;

	if (!len)
		return buf;
	while (*p && o + 1 < len) {
		size_t n = utf8_len(p);
		if (n == 1 && (*p < 0x20 || *p == 0x7f) &&
		    !(keep_newlines && (*p == '\n' || *p == '\t')))
			n = 0;
		if (n == 0) {
			buf[o++] = '?';
			p++;
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
