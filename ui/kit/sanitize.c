/* sanitize.c - text from the store or the remote made safe to show (see
 * sanitize.h): the engine's one UTF-8 decoder and its one list of what
 * must never reach a terminal raw (include/cpsreg/text.h). */
#include <stdint.h>
#include <string.h>

#include "cpsreg/text.h"
#include "sanitize.h"

size_t sanitize_utf8_len(const char *s, size_t *bad)
{
	size_t left = strnlen(s, 4);
	size_t n = cps_utf8_decode(s, left, NULL);

	*bad = n ? 1 : cps_utf8_invalid_len(s, left);
	return n;
}

static const char *sanitize(const char *in, char *buf, size_t len, int keep_newlines)
{
	const char *p = in ? in : "";
	size_t left = strlen(p), o = 0;

	if (!len)
		return buf;
	while (left && o + 1 < len) {
		unsigned char c = (unsigned char)*p;

		/* printable ASCII, most of any text, is copied as it is */
		if (c >= 0x20 && c < 0x7f) {
			buf[o++] = (char)c;
			p++;
			left--;
			continue;
		}
		uint32_t cp = 0;
		size_t n = cps_utf8_decode(p, left, &cp);

		if (n == 0 || (cps_text_is_control(cp) &&
			       !(keep_newlines && (cp == '\n' || cp == '\t')))) {
			size_t skip = n ? n : cps_utf8_invalid_len(p, left);

			buf[o++] = '?';
			p += skip;
			left -= skip;
			continue;
		}
		if (o + n >= len)
			break;
		memcpy(buf + o, p, n);
		o += n;
		p += n;
		left -= n;
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
