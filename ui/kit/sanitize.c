/* sanitize.c - text from the store or the remote made safe to show. */
#include <string.h>

#include "sanitize.h"

/* Length of a valid UTF-8 sequence at p (1-4), or 0. */
static size_t utf8_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	size_t n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
	for (size_t i = 1; i < n; i++)
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
