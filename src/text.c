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

size_t cps_text_find_control(const char *s, size_t n, uint32_t *cp)
{
	for (size_t i = 0; i < n; ) {
		uint32_t c = 0;
		size_t k = cps_utf8_decode(s + i, n - i, &c);

		if (k == 0 || cps_text_is_control(c)) {
			if (cp)
				*cp = k == 0 ? 0xfffd : c;
			return i;
		}
		i += k;
	}
	return n;
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

/* --- composition ----------------------------------------------------------- */

/* The letters of U+00C0-U+017F that are an ASCII letter and one combining
 * mark (grave, acute, circumflex, tilde, macron, breve, dot above,
 * diaeresis, ring, double acute, caron, cedilla, ogonek): every accented
 * letter of the languages of the CPS countries, the Nordic å ä ö é
 * included, sorted by letter and mark.  (ø, æ, ð, þ and ß have no
 * decomposition, so they need nothing here.) */
static const struct compose {
	char base;
	uint16_t mark, letter;
} compose_table[] = {
	{ 'A', 0x0300, 0x00C0 }, { 'A', 0x0301, 0x00C1 }, { 'A', 0x0302, 0x00C2 },
	{ 'A', 0x0303, 0x00C3 }, { 'A', 0x0304, 0x0100 }, { 'A', 0x0306, 0x0102 },
	{ 'A', 0x0308, 0x00C4 }, { 'A', 0x030A, 0x00C5 }, { 'A', 0x0328, 0x0104 },
	{ 'C', 0x0301, 0x0106 }, { 'C', 0x0302, 0x0108 }, { 'C', 0x0307, 0x010A },
	{ 'C', 0x030C, 0x010C }, { 'C', 0x0327, 0x00C7 }, { 'D', 0x030C, 0x010E },
	{ 'E', 0x0300, 0x00C8 }, { 'E', 0x0301, 0x00C9 }, { 'E', 0x0302, 0x00CA },
	{ 'E', 0x0304, 0x0112 }, { 'E', 0x0306, 0x0114 }, { 'E', 0x0307, 0x0116 },
	{ 'E', 0x0308, 0x00CB }, { 'E', 0x030C, 0x011A }, { 'E', 0x0328, 0x0118 },
	{ 'G', 0x0302, 0x011C }, { 'G', 0x0306, 0x011E }, { 'G', 0x0307, 0x0120 },
	{ 'G', 0x0327, 0x0122 }, { 'H', 0x0302, 0x0124 }, { 'I', 0x0300, 0x00CC },
	{ 'I', 0x0301, 0x00CD }, { 'I', 0x0302, 0x00CE }, { 'I', 0x0303, 0x0128 },
	{ 'I', 0x0304, 0x012A }, { 'I', 0x0306, 0x012C }, { 'I', 0x0307, 0x0130 },
	{ 'I', 0x0308, 0x00CF }, { 'I', 0x0328, 0x012E }, { 'J', 0x0302, 0x0134 },
	{ 'K', 0x0327, 0x0136 }, { 'L', 0x0301, 0x0139 }, { 'L', 0x030C, 0x013D },
	{ 'L', 0x0327, 0x013B }, { 'N', 0x0301, 0x0143 }, { 'N', 0x0303, 0x00D1 },
	{ 'N', 0x030C, 0x0147 }, { 'N', 0x0327, 0x0145 }, { 'O', 0x0300, 0x00D2 },
	{ 'O', 0x0301, 0x00D3 }, { 'O', 0x0302, 0x00D4 }, { 'O', 0x0303, 0x00D5 },
	{ 'O', 0x0304, 0x014C }, { 'O', 0x0306, 0x014E }, { 'O', 0x0308, 0x00D6 },
	{ 'O', 0x030B, 0x0150 }, { 'R', 0x0301, 0x0154 }, { 'R', 0x030C, 0x0158 },
	{ 'R', 0x0327, 0x0156 }, { 'S', 0x0301, 0x015A }, { 'S', 0x0302, 0x015C },
	{ 'S', 0x030C, 0x0160 }, { 'S', 0x0327, 0x015E }, { 'T', 0x030C, 0x0164 },
	{ 'T', 0x0327, 0x0162 }, { 'U', 0x0300, 0x00D9 }, { 'U', 0x0301, 0x00DA },
	{ 'U', 0x0302, 0x00DB }, { 'U', 0x0303, 0x0168 }, { 'U', 0x0304, 0x016A },
	{ 'U', 0x0306, 0x016C }, { 'U', 0x0308, 0x00DC }, { 'U', 0x030A, 0x016E },
	{ 'U', 0x030B, 0x0170 }, { 'U', 0x0328, 0x0172 }, { 'W', 0x0302, 0x0174 },
	{ 'Y', 0x0301, 0x00DD }, { 'Y', 0x0302, 0x0176 }, { 'Y', 0x0308, 0x0178 },
	{ 'Z', 0x0301, 0x0179 }, { 'Z', 0x0307, 0x017B }, { 'Z', 0x030C, 0x017D },
	{ 'a', 0x0300, 0x00E0 }, { 'a', 0x0301, 0x00E1 }, { 'a', 0x0302, 0x00E2 },
	{ 'a', 0x0303, 0x00E3 }, { 'a', 0x0304, 0x0101 }, { 'a', 0x0306, 0x0103 },
	{ 'a', 0x0308, 0x00E4 }, { 'a', 0x030A, 0x00E5 }, { 'a', 0x0328, 0x0105 },
	{ 'c', 0x0301, 0x0107 }, { 'c', 0x0302, 0x0109 }, { 'c', 0x0307, 0x010B },
	{ 'c', 0x030C, 0x010D }, { 'c', 0x0327, 0x00E7 }, { 'd', 0x030C, 0x010F },
	{ 'e', 0x0300, 0x00E8 }, { 'e', 0x0301, 0x00E9 }, { 'e', 0x0302, 0x00EA },
	{ 'e', 0x0304, 0x0113 }, { 'e', 0x0306, 0x0115 }, { 'e', 0x0307, 0x0117 },
	{ 'e', 0x0308, 0x00EB }, { 'e', 0x030C, 0x011B }, { 'e', 0x0328, 0x0119 },
	{ 'g', 0x0302, 0x011D }, { 'g', 0x0306, 0x011F }, { 'g', 0x0307, 0x0121 },
	{ 'g', 0x0327, 0x0123 }, { 'h', 0x0302, 0x0125 }, { 'i', 0x0300, 0x00EC },
	{ 'i', 0x0301, 0x00ED }, { 'i', 0x0302, 0x00EE }, { 'i', 0x0303, 0x0129 },
	{ 'i', 0x0304, 0x012B }, { 'i', 0x0306, 0x012D }, { 'i', 0x0308, 0x00EF },
	{ 'i', 0x0328, 0x012F }, { 'j', 0x0302, 0x0135 }, { 'k', 0x0327, 0x0137 },
	{ 'l', 0x0301, 0x013A }, { 'l', 0x030C, 0x013E }, { 'l', 0x0327, 0x013C },
	{ 'n', 0x0301, 0x0144 }, { 'n', 0x0303, 0x00F1 }, { 'n', 0x030C, 0x0148 },
	{ 'n', 0x0327, 0x0146 }, { 'o', 0x0300, 0x00F2 }, { 'o', 0x0301, 0x00F3 },
	{ 'o', 0x0302, 0x00F4 }, { 'o', 0x0303, 0x00F5 }, { 'o', 0x0304, 0x014D },
	{ 'o', 0x0306, 0x014F }, { 'o', 0x0308, 0x00F6 }, { 'o', 0x030B, 0x0151 },
	{ 'r', 0x0301, 0x0155 }, { 'r', 0x030C, 0x0159 }, { 'r', 0x0327, 0x0157 },
	{ 's', 0x0301, 0x015B }, { 's', 0x0302, 0x015D }, { 's', 0x030C, 0x0161 },
	{ 's', 0x0327, 0x015F }, { 't', 0x030C, 0x0165 }, { 't', 0x0327, 0x0163 },
	{ 'u', 0x0300, 0x00F9 }, { 'u', 0x0301, 0x00FA }, { 'u', 0x0302, 0x00FB },
	{ 'u', 0x0303, 0x0169 }, { 'u', 0x0304, 0x016B }, { 'u', 0x0306, 0x016D },
	{ 'u', 0x0308, 0x00FC }, { 'u', 0x030A, 0x016F }, { 'u', 0x030B, 0x0171 },
	{ 'u', 0x0328, 0x0173 }, { 'w', 0x0302, 0x0175 }, { 'y', 0x0301, 0x00FD },
	{ 'y', 0x0302, 0x0177 }, { 'y', 0x0308, 0x00FF }, { 'z', 0x0301, 0x017A },
	{ 'z', 0x0307, 0x017C }, { 'z', 0x030C, 0x017E },
};

uint32_t cps_text_compose(uint32_t base, uint32_t mark)
{
	size_t lo = 0, hi = sizeof(compose_table) / sizeof(compose_table[0]);

	if (base >= 0x80)
		return 0;
	while (lo < hi) {   /* sorted by (base, mark) */
		size_t mid = (lo + hi) / 2;
		const struct compose *c = &compose_table[mid];
		if ((uint32_t)(unsigned char)c->base == base && c->mark == mark)
			return c->letter;
		if ((uint32_t)(unsigned char)c->base < base ||
		    ((uint32_t)(unsigned char)c->base == base && c->mark < mark))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

size_t cps_text_nfc(const char *in, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp, mark, letter;
		size_t k = cps_utf8_decode(in + i, n - i, &cp);
		if (k == 0) {   /* not UTF-8: copied as it is, for the caller to refuse */
			out[o++] = in[i++];
			continue;
		}
		size_t k2 = i + k < n ? cps_utf8_decode(in + i + k, n - i - k, &mark) : 0;
		if (k2 && (letter = cps_text_compose(cp, mark)) != 0) {
			/* U+00C0-U+017F: two bytes, never more than the pair */
			out[o++] = (char)(0xC0 | (letter >> 6));
			out[o++] = (char)(0x80 | (letter & 0x3F));
			i += k + k2;
			continue;
		}
		memcpy(out + o, in + i, k);
		o += k;
		i += k;
	}
	out[o] = '\0';
	return o;
}
