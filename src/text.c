/* text.c - the engine's one UTF-8 decoder, its one sanitiser for text
 * that is quoted in a message, and its one way to write a local time
 * (see include/cpsreg/text.h). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/lang.h"
#include "cpsreg/text.h"

size_t cps_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c, min;
	size_t len;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		c = p[0];
		len = 1;
		min = 0;
	} else if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		c = p[0] & 0x1f;
		len = 2;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		c = p[0] & 0x0f;
		len = 3;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		c = p[0] & 0x07;
		len = 4;
		min = 0x10000;
	} else {
		return 0; /* a continuation byte, C0, C1 or F5-FF */
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	if (cp)
		*cp = c;
	return len;
}

size_t cps_utf8_invalid_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf; /* the second byte's range */
	size_t len, i;

	if (n == 0)
		return 0;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 1; /* ASCII never comes here; a byte that cannot lead */
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
	if (n < 2 || p[1] < lo || p[1] > hi)
		return 1;
	for (i = 2; i < len && i < n && (p[i] & 0xc0) == 0x80; i++)
		;
	return i < len ? i : len - 1;
}

int cps_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n = cps_utf8_decode(s + i, len - i, NULL);

		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

int cps_text_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	       cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

const char *cps_text_quote(const char *in, char *buf, size_t len, int how)
{
	const char *p = in ? in : "";
	size_t left = strlen(p);
	size_t o = 0, mark = (size_t)-1;

	if (!buf || len == 0)
		return buf;
	if (len < 4) {
		buf[0] = '\0';
		return buf;
	}
	while (left > 0) {
		uint32_t cp = 0;
		size_t n = cps_utf8_decode(p, left, &cp);
		const char *out = p;
		size_t outn = n;

		if (n == 0 || (cps_text_is_control(cp) &&
			       !(how & CPS_TEXT_KEEP_NL && (cp == '\n' || cp == '\t')))) {
			out = "?";
			outn = 1;
			if (n == 0)
				n = cps_utf8_invalid_len(p, left);
		}
		/* keep room for "..." and the NUL while more may follow */
		if (o + outn + 4 > len && mark == (size_t)-1)
			mark = o;
		if (o + outn + 1 > len) {
			memcpy(buf + mark, "...", 4);
			return buf;
		}
		memcpy(buf + o, out, outn);
		o += outn;
		p += n;
		left -= n;
	}
	buf[o] = '\0';
	return buf;
}

int cps_local_time_text(time_t t, int how, char *out, size_t len)
{
	struct tm tm;
	size_t n;

	if (!out || len == 0)
		return 0;
	if (localtime_r(&t, &tm)) {
		/* literal formats, so that the compiler checks them */
		int nordic = cps_lang_current() != CPS_LANG_EN;
		if (how == CPS_TIME_DATE)
			n = nordic ? strftime(out, len, "%d.%m.%Y", &tm)
				   : strftime(out, len, "%Y-%m-%d", &tm);
		else
			n = nordic ? strftime(out, len, "%d.%m.%Y %H:%M", &tm)
				   : strftime(out, len, "%Y-%m-%d %H:%M", &tm);
		if (n != 0)
			return 1;
	}
	snprintf(out, len, "%lld", (long long)t);
	return 0;
}
