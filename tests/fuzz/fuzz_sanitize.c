/* fuzz_sanitize.c - the screen-text sanitiser (ui/sanitize.c), which every
 * text from the store or the remote passes before it reaches the terminal,
 * and the engine's NFC (cps_text_nfc), which every stored text passes.
 *
 * The first byte picks the buffer size (1 to 64; each buffer is allocated
 * to the byte so ASan sees an overrun); the rest is the text.  Properties:
 * the result is the buffer, NUL-terminated within it, valid UTF-8 (no
 * overlong form, surrogate or code point above U+10FFFF), and
 * holds no control character (C0, DEL, C1) except, for sanitize_text,
 * newline and tab.  NFC of the whole input (NULs and bad bytes included)
 * fits the size the header promises (allocated to the byte), is valid
 * UTF-8 when the input is, and NFC of it is itself. */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/text.h"
#include "sanitize.h"
#include "fuzz.h"

/* Decodes one UTF-8 character at p the strict way (RFC 3629): its
 * length, or 0 when it is not valid. */
static size_t strict_len(const unsigned char *p, unsigned long *cp)
{
	size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 :
		   (*p & 0xf8) == 0xf0 ? 4 : 0;
	static const unsigned long min[] = { 0, 0, 0x80, 0x800, 0x10000 };

	if (!n)
		return 0;
	*cp = n == 1 ? *p : *p & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	if (*cp < min[n] || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

static void safe(const unsigned char *p, int keep_newlines)
{
	while (*p) {
		unsigned long cp = 0;
		size_t n = strict_len(p, &cp);

		FZ_ASSERT(n != 0);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			FZ_ASSERT(keep_newlines && (cp == '\n' || cp == '\t'));
		p += n;
	}
}

static void one(const char *in, size_t len, int text)
{
	char *buf = malloc(len);
	const char *r;

	if (!buf)
		return;
	r = text ? sanitize_text(in, buf, len) : sanitize_line(in, buf, len);
	FZ_ASSERT(r == buf);
	FZ_ASSERT(memchr(buf, '\0', len) != NULL);
	safe((const unsigned char *)buf, text);
	free(buf);
}

static void nfc(const char *in, size_t n)
{
	char *out = malloc(CPS_TEXT_NFC_SIZE(n)), *again;
	size_t len, len2;

	if (!out)
		return;
	len = cps_text_nfc(in, n, out);
	FZ_ASSERT(len < CPS_TEXT_NFC_SIZE(n));
	FZ_ASSERT(out[len] == '\0');
	if (cps_utf8_valid(in, n))
		FZ_ASSERT(cps_utf8_valid(out, len));
	again = malloc(CPS_TEXT_NFC_SIZE(len));
	if (again) {
		len2 = cps_text_nfc(out, len, again);
		FZ_ASSERT(len2 == len && memcmp(again, out, len) == 0);
		free(again);
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	char *s;

	if (!size)
		return 0;
	len = 1 + data[0] % 64;
	s = fz_cstr(data + 1, size - 1);
	one(s, len, 0);
	one(s, len, 1);
	one(s, size + 1, 0);
	one(s, size + 1, 1);
	nfc((const char *)data, size);
	free(s);
	return 0;
}
