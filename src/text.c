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

/* --- NFC ------------------------------------------------------------------ */

/* Unicode normalisation form C (README, rules 2.1): canonical
 * decomposition, canonical ordering by combining class, canonical
 * composition.  The tables are generated (src/gen_unicode.py); Hangul is
 * computed.  Everything is done in place in out, one segment (a starter
 * and the marks after it) at a time, so that no memory is allocated and a
 * segment of any length is right. */
#include "unicode_nfc.h"

enum {
	HANGUL_S = 0xAC00, HANGUL_L = 0x1100, HANGUL_V = 0x1161, HANGUL_T = 0x11A7,
	HANGUL_LN = 19, HANGUL_VN = 21, HANGUL_TN = 28,
	HANGUL_SN = HANGUL_LN * HANGUL_VN * HANGUL_TN
};

const char *cps_text_unicode_version(void)
{
	return NFC_UNICODE_VERSION;
}

static int ccc_of(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(nfc_ccc) / sizeof(nfc_ccc[0]);

	if (cp < NFC_FIRST_CCC)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < nfc_ccc[mid].first)
			hi = mid;
		else if (cp > nfc_ccc[mid].last)
			lo = mid + 1;
		else
			return nfc_ccc[mid].ccc;
	}
	return 0;
}

/* The full canonical decomposition of cp (*len code points), or NULL. */
static const uint32_t *decomposition(uint32_t cp, size_t *len)
{
	size_t lo = 0, hi = sizeof(nfc_decomp_cp) / sizeof(nfc_decomp_cp[0]);

	if (cp < NFC_FIRST_DECOMP)
		return NULL;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < nfc_decomp_cp[mid]) {
			hi = mid;
		} else if (cp > nfc_decomp_cp[mid]) {
			lo = mid + 1;
		} else {
			*len = nfc_decomp_len(mid);
			return nfc_decomp_pool + nfc_decomp_at(mid);
		}
	}
	return NULL;
}

uint32_t cps_text_compose(uint32_t first, uint32_t second)
{
	size_t lo = 0, hi = sizeof(nfc_pairs) / sizeof(nfc_pairs[0]);

	if (second < NFC_FIRST_SECOND)
		return 0;
	if (first >= HANGUL_L && first < HANGUL_L + HANGUL_LN &&
	    second >= HANGUL_V && second < HANGUL_V + HANGUL_VN)
		return HANGUL_S + ((first - HANGUL_L) * HANGUL_VN + (second - HANGUL_V)) * HANGUL_TN;
	if (first >= HANGUL_S && first < HANGUL_S + HANGUL_SN &&
	    (first - HANGUL_S) % HANGUL_TN == 0 &&
	    second > HANGUL_T && second < HANGUL_T + HANGUL_TN)
		return first + (second - HANGUL_T);
	while (lo < hi) {   /* sorted by (first, second) */
		size_t mid = (lo + hi) / 2;
		const struct nfc_pair *p = &nfc_pairs[mid];
		if (p->first == first && p->second == second)
			return p->composite;
		if (p->first < first || (p->first == first && p->second < second))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static size_t utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static size_t utf8_size(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* The start of the character that ends at end (out holds valid UTF-8
 * there: only what this file wrote). */
static size_t utf8_back(const char *out, size_t end)
{
	size_t at = end - 1;

	while (((unsigned char)out[at] & 0xC0) == 0x80)
		at--;
	return at;
}

/* The work in out: out[0..o) is done up to the current segment, which
 * starts at seg.  With a starter (has_starter) the segment is the starter
 * (at seg, code point starter) and its marks from marks on, in canonical
 * order; without one (at the start of the text, or after a byte that is
 * not UTF-8) it is marks alone, which compose with nothing.  The marks
 * are kept as groups of one class each, in order of class, with where each
 * group ends, so that a mark finds its place without reading the marks
 * before it: a run of thousands of marks in reverse order (a hostile
 * import) costs moves of memory, not a search per mark. */
struct nfc {
	char *out;
	size_t o, seg, marks;
	uint32_t starter;
	int has_starter;
	int ngroups;
	struct nfc_group {
		uint8_t ccc;
		size_t end;
	} group[NFC_CLASSES];
};

/* Bytes a mark composed into the starter leave behind: 0xFF is never part
 * of the UTF-8 this file writes. */
#define NFC_GONE 0xFF

/* Composes the current segment: each mark, in order, that is not blocked
 * from the starter (no kept mark of the same or a higher class between
 * them) and makes a composite with it becomes part of the starter. */
static void close_segment(struct nfc *s)
{
	char *out = s->out;
	uint32_t f = s->starter;
	int last = -1, any = 0;
	size_t r, w;

	if (!s->has_starter || s->o == s->marks)
		return;
	for (r = s->marks; r < s->o; ) {
		uint32_t c = 0, p;
		size_t k = cps_utf8_decode(out + r, s->o - r, &c);
		int cc = ccc_of(c);

		if (last < cc && (p = cps_text_compose(f, c)) != 0) {
			f = p;
			memset(out + r, NFC_GONE, k);
			any = 1;
		} else {
			last = cc;
		}
		r += k;
	}
	if (!any)
		return;
	/* the kept marks are moved together at the end, then put after the
	 * composed starter; a composite is never longer in UTF-8 than its
	 * parts (checked by the generator), so it fits before them */
	for (r = w = s->o; r > s->marks; ) {
		if ((unsigned char)out[r - 1] == NFC_GONE) {
			r--;
			continue;
		}
		size_t at = utf8_back(out, r);
		w -= r - at;
		memmove(out + w, out + at, r - at);
		r = at;
	}
	s->starter = f;
	s->marks = s->seg + utf8_put(out + s->seg, f);
	memmove(out + s->marks, out + w, s->o - w);
	s->o = s->marks + (s->o - w);
}

/* Adds one code point of the decomposed text. */
static void push(struct nfc *s, uint32_t cp)
{
	char *out = s->out;
	int cc = ccc_of(cp);

	if (cc == 0) {
		uint32_t p;

		close_segment(s);
		/* a starter right after a starter may compose with it (Hangul
		 * L+V and LV+T, some Indic vowel signs) */
		s->ngroups = 0;
		if (s->has_starter && s->o == s->marks &&
		    (p = cps_text_compose(s->starter, cp)) != 0) {
			s->starter = p;
			s->o = s->marks = s->seg + utf8_put(out + s->seg, p);
			return;
		}
		s->seg = s->o;
		s->starter = cp;
		s->has_starter = 1;
		s->o = s->marks = s->seg + utf8_put(out + s->seg, cp);
		return;
	}
	/* canonical order: after every mark of a lower or the same class (a
	 * stable insertion, so equal classes keep the order typed) */
	size_t lo = s->has_starter ? s->marks : s->seg, at, k = utf8_size(cp);
	int g = 0;

	while (g < s->ngroups && s->group[g].ccc <= cc)
		g++;
	at = g > 0 ? s->group[g - 1].end : lo;
	memmove(out + at + k, out + at, s->o - at);
	utf8_put(out + at, cp);
	s->o += k;
	for (int i = g; i < s->ngroups; i++)
		s->group[i].end += k;
	if (g > 0 && s->group[g - 1].ccc == cc) {
		s->group[g - 1].end += k;
	} else {   /* a class new to the segment: at most NFC_CLASSES */
		memmove(&s->group[g + 1], &s->group[g], (size_t)(s->ngroups - g) * sizeof(s->group[0]));
		s->group[g].ccc = (uint8_t)cc;
		s->group[g].end = at + k;
		s->ngroups++;
	}
}

size_t cps_text_nfc(const char *in, size_t n, char *out)
{
	size_t ascii = 0;

	/* ASCII alone is its own NFC (most of an import: e-mails, serial
	 * numbers, dates): copied without decoding, and before the
	 * normaliser's state (hundreds of bytes) is set up */
	while (ascii < n && (unsigned char)in[ascii] < 0x80)
		ascii++;
	if (ascii == n) {
		memmove(out, in, n);
		out[n] = '\0';
		return n;
	}

	struct nfc s = { .out = out };

	for (size_t i = 0; i < n;) {
		uint32_t cp = 0;
		size_t k = cps_utf8_decode(in + i, n - i, &cp), len = 0;
		const uint32_t *d;

		if (k == 0) {
			/* not UTF-8: copied as it is, for the caller to refuse;
			 * nothing composes or moves across it */
			close_segment(&s);
			out[s.o++] = in[i++];
			s.seg = s.marks = s.o;
			s.has_starter = 0;
			s.ngroups = 0;
			continue;
		}
		i += k;
		if ((d = decomposition(cp, &len)) != NULL) {
			for (size_t j = 0; j < len; j++)
				push(&s, d[j]);
		} else {
			push(&s, cp);
		}
	}
	close_segment(&s);
	out[s.o] = '\0';
	return s.o;
}
