/* ident.c - offline checks of business identifiers, e-mail addresses and
 * phone numbers (see include/cpsreg/ident.h and README, rules 9).
 *
 * The rules are hints for the customer at the form, so every refusal says
 * what is wrong in the customer's words.  Character classes are ASCII only
 * and written out by hand: <ctype.h> follows the locale, these rules don't. */
#include <string.h>

#include "cpsreg/err.h"
#include "cpsreg/i18n.h"
#include "cpsreg/text.h"
#include "cpsreg/ident.h"

/* Longest raw input looked at; anything longer is refused unparsed. */
#define RAW_MAX 256
/* Longest identifier kept after separators are dropped; the longest valid
 * one ("NO" + 9 digits + "MVA", "CHE" + 9 digits + "MWST") is shorter. */
#define BODY_MAX 32
/* RFC 5321: a path is at most 256 octets, the address at most 254. */
#define EMAIL_LEN 254
#define PHONE_DIGITS_MIN 6
#define PHONE_DIGITS_MAX 15 /* E.164 */

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_alpha(int c)
{
	return is_upper(c) || (c >= 'a' && c <= 'z');
}

static int to_upper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
}

static int to_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int is_ctrl(int c)
{
	return (c >= 0 && c < 0x20) || c == 0x7f;
}

/* The engine's one decoder on a NUL-terminated string (see text.h). */
static size_t utf8_decode(const unsigned char *p, unsigned long *cp)
{
	uint32_t u = 0;
	size_t n = cps_utf8_decode((const char *)p, CPS_UTF8_NUL_TERMINATED, &u);

	*cp = u;
	return n;
}

/* Spaces that word processors and web pages put into numbers. */
static int is_uspace(unsigned long cp)
{
	return cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f ||
	       cp == 0x205f || cp == 0x3000;
}

/* Dashes and the minus sign, which autocorrect puts in place of '-'. */
static int is_udash(unsigned long cp)
{
	return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

/* Invisible characters: C1 controls, zero-width and direction marks and
 * bidi controls, BOM. */
static int is_uinvisible(unsigned long cp)
{
	/* the engine's list of controls (bidi included), plus what only
	 * numbers and addresses need to refuse */
	return (cp <= 0x10ffff && cp >= 0x80 && cps_text_is_control((uint32_t)cp)) ||
	       (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
	       cp == 0xfeff;
}

/* Length of a separator at p, or 0: what people put between groups of
 * digits.  Brackets count too: "(0)403.019.261" is a Belgian spelling. */
static size_t sep_len(const unsigned char *p)
{
	unsigned long cp;
	size_t n;

	switch (p[0]) {
	case ' ': case '\t': case '.': case '-': case '/': case ',':
	case '(': case ')':
		return 1;
	}
	if (p[0] < 0x80)
		return 0;
	n = utf8_decode(p, &cp);
	if (n && (is_uspace(cp) || is_udash(cp)))
		return n;
	return 0;
}

/* Copies src into the caller's buffer, refusing (never truncating) when
 * it does not fit: a cut-off number would look valid and be wrong. */
static enum cps_err put(char *dst, size_t len, const char *src,
			struct cps_error *err)
{
	size_t n = strlen(src);

	if (!dst || len <= n) {
		if (dst && len)
			dst[0] = '\0';
		return cps_error_set(err, CPS_ERR_INVALID,
			_("Internal error: no room to store the checked value "
			  "(%zu bytes needed)."), n + 1);
	}
	memcpy(dst, src, n + 1);
	return CPS_OK;
}

/* out = a + b + c, all short; false if it would not fit in CPS_IDENT_MAX. */
static int join3(char out[CPS_IDENT_MAX], const char *a, const char *b,
		 const char *c)
{
	size_t na = strlen(a), nb = strlen(b), nc = strlen(c);

	if (na + nb + nc >= CPS_IDENT_MAX)
		return 0;
	memcpy(out, a, na);
	memcpy(out + na, b, nb);
	memcpy(out + na + nb, c, nc + 1);
	return 1;
}

/* --- business identifiers ---------------------------------------------- */

struct country;
typedef enum cps_err (*ident_fn)(const struct country *c, const char *what,
				 char *b, char out[CPS_IDENT_MAX],
				 struct cps_error *err);
typedef int (*verify_fn)(const char *b);

struct country {
	const char *iso;       /* ISO 3166 alpha-2 */
	const char *prefix;    /* VAT prefix, put in front of the normal form */
	const char *alt;       /* another prefix people type, or NULL */
	ident_fn check;
	/* for check_vies: the number after the prefix, as alternatives split
	 * by '|': d digit, a letter, x letter or digit, o letter or + or *,
	 * anything else stands for itself */
	const char *pattern;
	const char *format;    /* the pattern in words, N_() */
	const char *example;
	verify_fn verify;      /* check digits, or NULL for the format only */
};

static enum cps_err bad_check(struct cps_error *err)
{
	return cps_error_set(err, CPS_ERR_INVALID,
		_("The check digit does not match — please check the number "
		  "for typos."));
}

/* Refuses anything but digits, naming the first intruder. */
static enum cps_err need_digits(const char *what, const char *b,
				struct cps_error *err)
{
	for (; *b; b++) {
		if (is_digit(*b))
			continue;
		if (is_upper(*b))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("Only digits belong in the %s, but it contains "
				  "the letter %c."), what, *b);
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The %s cannot contain \"%c\"."), what, *b);
	}
	return CPS_OK;
}

static int all_digits(const char *b)
{
	for (; *b; b++)
		if (!is_digit(*b))
			return 0;
	return 1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && memcmp(s + n - k, suffix, k) == 0;
}

static int weighted(const char *b, const int *w, size_t n)
{
	int sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += (b[i] - '0') * w[i];
	return sum;
}

/* Denmark: CVR, 8 digits, first not 0, weighted sum divisible by 11. */
static enum cps_err check_dk(const struct country *c, const char *what,
			     char *b, char out[CPS_IDENT_MAX],
			     struct cps_error *err)
{
	static const int w[8] = { 2, 7, 6, 5, 4, 3, 2, 1 };
	size_t n = strlen(b);
	enum cps_err rc;

	if ((rc = need_digits(what, b, err)) != CPS_OK)
		return rc;
	if (n != 8)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Danish CVR number has 8 digits (digits entered: "
			  "%zu)."), n);
	if (b[0] == '0')
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Danish CVR number cannot start with 0."));
	if (weighted(b, w, 8) % 11 != 0)
		return bad_check(err);
	join3(out, c->prefix, b, "");
	return CPS_OK;
}

/* Norway: organisasjonsnummer, 9 digits, mod 11 check; VAT form adds MVA. */
static enum cps_err check_no(const struct country *c, const char *what,
			     char *b, char out[CPS_IDENT_MAX],
			     struct cps_error *err)
{
	static const int w[8] = { 3, 2, 7, 6, 5, 4, 3, 2 };
	enum cps_err rc;
	size_t n;
	int k;

	if (ends_with(b, "MVA"))
		b[strlen(b) - 3] = '\0';
	if ((rc = need_digits(what, b, err)) != CPS_OK)
		return rc;
	n = strlen(b);
	if (n != 9)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Norwegian organisation number has 9 digits (digits "
			  "entered: %zu)."), n);
	k = 11 - weighted(b, w, 8) % 11;
	if (k == 11)
		k = 0;
	if (k == 10 || k != b[8] - '0')
		return bad_check(err);
	join3(out, c->prefix, b, "MVA");
	return CPS_OK;
}

static int luhn(const char *b)
{
	size_t n = strlen(b);
	int sum = 0, dbl = 0;

	while (n--) {
		int d = b[n] - '0';

		if (dbl) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		dbl = !dbl;
	}
	return sum % 10 == 0;
}

/* Sweden: organisationsnummer, 10 digits, Luhn; VAT form adds 01.  Digits
 * 3-4 of a legal entity are 20 or more, which tells it from a personal
 * identity number (whose digits 3-4 are a month). */
static enum cps_err check_se(const struct country *c, const char *what,
			     char *b, char out[CPS_IDENT_MAX],
			     struct cps_error *err)
{
	enum cps_err rc;
	size_t n = strlen(b);

	if ((rc = need_digits(what, b, err)) != CPS_OK)
		return rc;
	if (n == 12) {
		if (strcmp(b + 10, "01") != 0)
			return cps_error_set(err, CPS_ERR_INVALID,
				_("A Swedish VAT number is the 10-digit "
				  "organisation number followed by 01."));
		b[10] = '\0';
		n = 10;
	}
	if (n != 10)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Swedish organisation number has 10 digits (digits "
			  "entered: %zu)."), n);
	if (!luhn(b))
		return bad_check(err);
	if ((b[2] - '0') * 10 + (b[3] - '0') < 20)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("This looks like a personal identity number, not an "
			  "organisation number: in a Swedish organisation number "
			  "the third and fourth digits are 20 or more."));
	join3(out, c->prefix, b, "01");
	return CPS_OK;
}

/* Finland: Y-tunnus NNNNNNN-C; the dash was dropped with the separators. */
static enum cps_err check_fi(const struct country *c, const char *what,
			     char *b, char out[CPS_IDENT_MAX],
			     struct cps_error *err)
{
	static const int w[7] = { 7, 9, 10, 5, 8, 4, 2 };
	enum cps_err rc;
	size_t n = strlen(b);
	int r;

	if ((rc = need_digits(what, b, err)) != CPS_OK)
		return rc;
	if (n != 8)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Finnish Business ID (Y-tunnus) is 7 digits, a dash "
			  "and a check digit, like 1234567-8 (digits entered: "
			  "%zu)."), n);
	r = weighted(b, w, 7) % 11;
	if (r == 1 || (r == 0 ? 0 : 11 - r) != b[7] - '0')
		return bad_check(err);
	join3(out, c->prefix, b, "");
	return CPS_OK;
}

/* United Kingdom: 9 digits (12 with a branch) with the mod 97 rule that has
 * two variants; or a government department (GD) or health authority (HA). */
static enum cps_err check_gb(const struct country *c, const char *what,
			     char *b, char out[CPS_IDENT_MAX],
			     struct cps_error *err)
{
	static const int w[9] = { 8, 7, 6, 5, 4, 3, 2, 10, 1 };
	enum cps_err rc;
	size_t n = strlen(b);
	int s;

	if (!strncmp(b, "GD", 2) || !strncmp(b, "HA", 2)) {
		int gd = b[0] == 'G';

		if (n != 5 || !all_digits(b + 2) || (gd ? b[2] > '4' : b[2] < '5'))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("A UK government VAT number is GD and 3 digits "
				  "from 000 to 499, or HA and 3 digits from 500 "
				  "to 999."));
		join3(out, c->prefix, b, "");
		return CPS_OK;
	}
	if ((rc = need_digits(what, b, err)) != CPS_OK)
		return rc;
	if (n != 9 && n != 12)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A UK VAT number has 9 digits, or 12 for a branch "
			  "(digits entered: %zu)."), n);
	s = weighted(b, w, 9);
	if (s % 97 != 0 && (s + 55) % 97 != 0)
		return bad_check(err);
	join3(out, c->prefix, b, "");
	return CPS_OK;
}

/* Belgium: 97 minus the first 8 digits mod 97 gives the last two. */
static int verify_be(const char *b)
{
	long v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v * 10 + (b[i] - '0');
	return 97 - v % 97 == (b[8] - '0') * 10 + (b[9] - '0');
}

/* Germany: ISO 7064 MOD 11,10 over the 9 digits. */
static int verify_de(const char *b)
{
	int p = 10, i, k;

	for (i = 0; i < 8; i++) {
		int s = (b[i] - '0' + p) % 10;

		if (s == 0)
			s = 10;
		p = (2 * s) % 11;
	}
	k = 11 - p;
	if (k == 10)
		k = 0;
	return k == b[8] - '0';
}

/* The Netherlands: the older numbers carry a mod 11 check digit in the
 * ninth place; the newer ones (sole traders, since 2020) are ISO 7064
 * MOD 97-10 over "NL" and the whole number, letters counting as 10..35. */
static int verify_nl(const char *b)
{
	static const int w[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };
	const char *s;
	int r = 0;

	if (weighted(b, w, 8) % 11 == b[8] - '0')
		return 1;
	r = ((('N' - 'A' + 10) * 100) + ('L' - 'A' + 10)) % 97;
	for (s = b; *s; s++) {
		if (is_digit(*s))
			r = (r * 10 + (*s - '0')) % 97;
		else
			r = (r * 100 + (*s - 'A' + 10)) % 97;
	}
	return r == 1;
}

/* One alternative of a pattern (plen characters) against the whole of s. */
static int match_one(const char *p, size_t plen, const char *s)
{
	size_t i;

	for (i = 0; i < plen; i++) {
		int c = (unsigned char)s[i], ok;

		if (!c)
			return 0;
		switch (p[i]) {
		case 'd': ok = is_digit(c); break;
		case 'a': ok = is_upper(c); break;
		case 'x': ok = is_digit(c) || is_upper(c); break;
		case 'o': ok = is_upper(c) || c == '+' || c == '*'; break;
		default:  ok = c == p[i]; break;
		}
		if (!ok)
			return 0;
	}
	return s[plen] == '\0';
}

static int match(const char *pat, const char *s)
{
	for (;;) {
		const char *bar = strchr(pat, '|');
		size_t plen = bar ? (size_t)(bar - pat) : strlen(pat);

		if (match_one(pat, plen, s))
			return 1;
		if (!bar)
			return 0;
		pat = bar + 1;
	}
}

/* A pattern of digits only (literal digits included). */
static int digits_pattern(const char *pat)
{
	for (; *pat; pat++)
		if (*pat != 'd' && *pat != '|' && !is_digit(*pat))
			return 0;
	return 1;
}

/* Every other country: the VIES format, and check digits where known. */
static enum cps_err check_vies(const struct country *c, const char *what,
			       char *b, char out[CPS_IDENT_MAX],
			       struct cps_error *err)
{
	static const char *const ch_suffix[] = { "MWST", "TVA", "IVA" };
	size_t n = strlen(b), i;

	if (!strcmp(c->iso, "CH")) {
		for (i = 0; i < sizeof(ch_suffix) / sizeof(ch_suffix[0]); i++) {
			if (ends_with(b, ch_suffix[i])) {
				n -= strlen(ch_suffix[i]);
				b[n] = '\0';
				break;
			}
		}
	}
	/* Belgian numbers from before 2005 had 9 digits; a 0 goes first. */
	if (!strcmp(c->iso, "BE") && n == 9 && all_digits(b)) {
		memmove(b + 1, b, n + 1);
		b[0] = '0';
		n++;
	}
	if (!match(c->pattern, b)) {
		if (digits_pattern(c->pattern) && !all_digits(b))
			return need_digits(what, b, err);
		if (all_digits(b))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The %s should be %s, like %s (digits entered: "
				  "%zu)."), what, _(c->format), c->example, n);
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The %s should be %s, like %s."), what, _(c->format),
			c->example);
	}
	if (c->verify && !c->verify(b))
		return bad_check(err);
	if (!join3(out, c->prefix, b, ""))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The %s you entered is too long."), what);
	return CPS_OK;
}

#define DIG2_10 "dd|ddd|dddd|ddddd|dddddd|ddddddd|dddddddd|ddddddddd|dddddddddd"

/* Sorted by ISO code.  Countries with their own function ignore the
 * pattern fields. */
static const struct country countries[] = {
	{ "AT", "AT", NULL, check_vies, "Udddddddd",
	  N_("the letter U and 8 digits"), "ATU12345678", NULL },
	{ "BE", "BE", NULL, check_vies, "0ddddddddd|1ddddddddd",
	  N_("10 digits starting with 0 or 1"), "BE0123456749", verify_be },
	{ "BG", "BG", NULL, check_vies, "ddddddddd|dddddddddd",
	  N_("9 or 10 digits"), "BG123456789", NULL },
	{ "CH", "CHE", "CH", check_vies, "ddddddddd",
	  N_("CHE and 9 digits"), "CHE-123.456.789", NULL },
	{ "CY", "CY", NULL, check_vies, "dddddddda",
	  N_("8 digits and a letter"), "CY12345678X", NULL },
	{ "CZ", "CZ", NULL, check_vies, "dddddddd|ddddddddd|dddddddddd",
	  N_("8 to 10 digits"), "CZ12345678", NULL },
	{ "DE", "DE", NULL, check_vies, "ddddddddd",
	  N_("9 digits"), "DE123456788", verify_de },
	{ "DK", "DK", NULL, check_dk, NULL, NULL, NULL, NULL },
	{ "EE", "EE", NULL, check_vies, "ddddddddd",
	  N_("9 digits"), "EE123456789", NULL },
	{ "EL", "EL", "GR", check_vies, "ddddddddd",
	  N_("9 digits"), "EL123456789", NULL },
	{ "ES", "ES", NULL, check_vies, "xdddddddx",
	  N_("a letter or digit, 7 digits, and a letter or digit"),
	  "ESX1234567X", NULL },
	{ "FI", "FI", NULL, check_fi, NULL, NULL, NULL, NULL },
	{ "FR", "FR", NULL, check_vies, "xxddddddddd",
	  N_("2 letters or digits and 9 digits"), "FR12345678901", NULL },
	{ "GB", "GB", NULL, check_gb, NULL, NULL, NULL, NULL },
	{ "HR", "HR", NULL, check_vies, "ddddddddddd",
	  N_("11 digits"), "HR12345678901", NULL },
	{ "HU", "HU", NULL, check_vies, "dddddddd",
	  N_("8 digits"), "HU12345678", NULL },
	{ "IE", "IE", NULL, check_vies, "ddddddda|dddddddaa|doddddda",
	  N_("7 digits and one or two letters"), "IE1234567WA", NULL },
	{ "IT", "IT", NULL, check_vies, "ddddddddddd",
	  N_("11 digits"), "IT12345678901", NULL },
	{ "LT", "LT", NULL, check_vies, "ddddddddd|dddddddddddd",
	  N_("9 or 12 digits"), "LT123456789", NULL },
	{ "LU", "LU", NULL, check_vies, "dddddddd",
	  N_("8 digits"), "LU12345678", NULL },
	{ "LV", "LV", NULL, check_vies, "ddddddddddd",
	  N_("11 digits"), "LV12345678901", NULL },
	{ "MT", "MT", NULL, check_vies, "dddddddd",
	  N_("8 digits"), "MT12345678", NULL },
	{ "NL", "NL", NULL, check_vies, "dddddddddBdd",
	  N_("9 digits, the letter B and 2 digits"), "NL123456782B01",
	  verify_nl },
	{ "NO", "NO", NULL, check_no, NULL, NULL, NULL, NULL },
	{ "PL", "PL", NULL, check_vies, "dddddddddd",
	  N_("10 digits"), "PL1234567890", NULL },
	{ "PT", "PT", NULL, check_vies, "ddddddddd",
	  N_("9 digits"), "PT123456789", NULL },
	{ "RO", "RO", NULL, check_vies, DIG2_10,
	  N_("2 to 10 digits"), "RO1234567", NULL },
	{ "SE", "SE", NULL, check_se, NULL, NULL, NULL, NULL },
	{ "SI", "SI", NULL, check_vies, "dddddddd",
	  N_("8 digits"), "SI12345678", NULL },
	{ "SK", "SK", NULL, check_vies, "dddddddddd",
	  N_("10 digits"), "SK1234567890", NULL },
};

#define NCOUNTRIES (sizeof(countries) / sizeof(countries[0]))

/* The code in upper case if it is two ASCII letters; false otherwise. */
static int country_code(const char *country, char cc[3])
{
	if (!country || !is_alpha(country[0]) || !is_alpha(country[1]) ||
	    country[2] != '\0')
		return 0;
	cc[0] = (char)to_upper(country[0]);
	cc[1] = (char)to_upper(country[1]);
	cc[2] = '\0';
	return 1;
}

static const struct country *find_country(const char *country)
{
	char cc[3];
	size_t i;

	if (!country_code(country, cc))
		return NULL;
	if (!strcmp(cc, "GR"))
		strcpy(cc, "EL");
	for (i = 0; i < NCOUNTRIES; i++)
		if (!strcmp(countries[i].iso, cc))
			return &countries[i];
	return NULL;
}

/* Whether b starts with the VAT prefix of a country other than c, to
 * explain a refusal better than "a letter where digits belong". */
static int foreign_prefix(const struct country *c, const char *b)
{
	size_t i;

	if (!is_upper(b[0]) || !is_upper(b[1]))
		return 0;
	if (!strncmp(b, c->prefix, 2) || (c->alt && !strncmp(b, c->alt, 2)))
		return 0;
	if (!strncmp(b, "XI", 2) || !strncmp(b, "GR", 2))
		return 1;
	for (i = 0; i < NCOUNTRIES; i++)
		if (!strncmp(b, countries[i].prefix, 2))
			return 1;
	return 0;
}

/* Drops the country prefix if the number starts with it.  France is the
 * one country whose number itself may start with letters, so "FR" is only
 * a prefix when the 11 characters of a French number follow it. */
static char *strip_prefix(const struct country *c, char *b, int *stripped)
{
	const char *pre[2] = { c->prefix, c->alt };
	size_t i, k;

	*stripped = 0;
	if (!strcmp(c->iso, "FR") && strlen(b) != 13)
		return b;
	for (i = 0; i < 2; i++) {
		if (!pre[i])
			continue;
		k = strlen(pre[i]);
		if (!strncmp(b, pre[i], k)) {
			*stripped = 1;
			return b + k;
		}
	}
	return b;
}

/* Drops the separators and upper-cases the rest into body; refuses what
 * can never be part of an identifier. */
static enum cps_err compact(const char *input, const char *what,
			    char body[BODY_MAX + 1], struct cps_error *err)
{
	const unsigned char *p = (const unsigned char *)input;
	size_t n = 0, k;

	if (strnlen(input, RAW_MAX + 1) > RAW_MAX)
		goto too_long;
	while (*p) {
		unsigned long cp;

		if ((k = sep_len(p)) != 0) {
			p += k;
			continue;
		}
		if (is_digit(*p) || is_alpha(*p) || *p == '+' || *p == '*') {
			if (n == BODY_MAX)
				goto too_long;
			body[n++] = (char)to_upper(*p++);
			continue;
		}
		if (is_ctrl(*p))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The %s contains a control character; please "
				  "type it again."), what);
		if (*p >= 0x80) {
			if (utf8_decode(p, &cp) && is_uinvisible(cp))
				return cps_error_set(err, CPS_ERR_INVALID,
					_("The %s contains an invisible "
					  "character; please type it again."),
					what);
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The %s contains a character that does not "
				  "belong in it: use only the letters A-Z and "
				  "the digits 0-9."), what);
		}
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The %s cannot contain \"%c\"."), what, *p);
	}
	body[n] = '\0';
	return CPS_OK;
too_long:
	return cps_error_set(err, CPS_ERR_INVALID,
		_("The %s you entered is too long."), what);
}

const char *cps_ident_name(const char *country)
{
	char cc[3];

	if (country_code(country, cc)) {
		if (!strcmp(cc, "DK"))
			return _("CVR number");
		if (!strcmp(cc, "NO") || !strcmp(cc, "SE"))
			return _("organisation number");
		if (!strcmp(cc, "FI"))
			return _("Business ID (Y-tunnus)");
	}
	return _("VAT number");
}

enum cps_err cps_ident_check(const char *country, const char *input,
			     char *norm, size_t normlen,
			     struct cps_error *err)
{
	const struct country *c;
	const char *what;
	char body[BODY_MAX + 1], out[CPS_IDENT_MAX], *b;
	enum cps_err rc;
	int stripped;

	if (norm && normlen)
		norm[0] = '\0';
	c = find_country(country);
	if (!c) {
		char cc[3];

		if (country_code(country, cc))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("Unknown country %s: VAT numbers can be "
				  "checked for the EU countries, Norway, "
				  "Switzerland and the United Kingdom."), cc);
		return cps_error_set(err, CPS_ERR_INVALID,
			_("Unknown country: please choose the country from "
			  "the list."));
	}
	what = cps_ident_name(c->iso);
	rc = compact(input ? input : "", what, body, err);
	if (rc != CPS_OK)
		return rc;
	if (body[0] == '\0')
		return cps_error_set(err, CPS_ERR_INVALID,
			_("Please enter the %s."), what);
	b = strip_prefix(c, body, &stripped);
	if (*b == '\0')
		return cps_error_set(err, CPS_ERR_INVALID,
			_("Please enter the %s after the country prefix %s."),
			what, body);
	rc = c->check(c, what, b, out, err);
	if (rc != CPS_OK) {
		if (!stripped && foreign_prefix(c, b))
			return cps_error_set(err, rc,
				_("The number starts with %.2s, the prefix of "
				  "another country: choose that country, or "
				  "enter the %s without the prefix."), b, what);
		return rc;
	}
	return put(norm, normlen, out, err);
}

/* --- e-mail ------------------------------------------------------------- */

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Length of white space at p that trimming removes (ASCII or no-break). */
static size_t trim_len(const unsigned char *p)
{
	if (is_blank(p[0]))
		return 1;
	if (p[0] == 0xc2 && p[1] == 0xa0)
		return 2;
	return 0;
}

enum cps_err cps_ident_email(const char *input, char *norm, size_t len,
			     struct cps_error *err)
{
	const unsigned char *s, *e, *p, *at = NULL;
	char buf[CPS_EMAIL_MAX];
	size_t n, k, i, nat = 0;

	if (norm && len)
		norm[0] = '\0';
	s = (const unsigned char *)(input ? input : "");
	while ((k = trim_len(s)) != 0)
		s += k;
	n = strnlen((const char *)s, RAW_MAX * 4);
	e = s + n;
	for (;;) {
		if (e > s && is_blank(e[-1]))
			e--;
		else if (e - s >= 2 && e[-2] == 0xc2 && e[-1] == 0xa0)
			e -= 2;
		else
			break;
	}
	n = (size_t)(e - s);
	if (n == 0)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("Please enter an e-mail address."));
	if (n > EMAIL_LEN)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The e-mail address is too long: at most %d "
			  "characters are allowed."), EMAIL_LEN);
	for (p = s; p < e; p += k) {
		unsigned long cp;

		k = utf8_decode(p, &cp);
		if (k == 0)
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The e-mail address contains characters that "
				  "are not valid text; please type it again."));
		if (cp == ' ' || cp == '\t' || is_uspace(cp))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("An e-mail address cannot contain spaces."));
		if (is_ctrl((int)cp) || is_uinvisible(cp))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The e-mail address contains a control or "
				  "invisible character; please type it again."));
		if (cp == '@') {
			at = p;
			nat++;
		}
	}
	if (nat == 0)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("An e-mail address needs an @, like "
			  "name@example.com."));
	if (nat > 1)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("An e-mail address has only one @."));
	if (at == s)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The name before the @ is missing, like the \"name\" "
			  "in name@example.com."));
	if (at + 1 == e)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The domain after the @ is missing, like the "
			  "\"example.com\" in name@example.com."));
	/* The domain: host name characters, or any non-ASCII (IDN). */
	for (p = at + 1; p < e; p++) {
		if (*p >= 0x80 || is_digit(*p) || is_alpha(*p) || *p == '-' ||
		    *p == '.')
			continue;
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The domain after the @ cannot contain \"%c\"."), *p);
	}
	if (!memchr(at + 1, '.', (size_t)(e - at - 1)))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The domain after the @ needs a dot, like "
			  "example.com."));
	for (p = at + 1; p < e; p++) {
		if (*p == '.' && (p == at + 1 || p + 1 == e || p[1] == '.'))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The domain after the @ has a dot in the wrong "
				  "place: it cannot start or end with a dot or "
				  "have two dots in a row."));
	}
	for (i = 0; i < n; i++) {
		int c = s[i];

		buf[i] = (char)(s + i > at ? to_lower(c) : c);
	}
	buf[n] = '\0';
	return put(norm, len, buf, err);
}

/* --- phone -------------------------------------------------------------- */

enum cps_err cps_ident_phone(const char *input, char *norm, size_t len,
			     struct cps_error *err)
{
	const unsigned char *p;
	char digits[PHONE_DIGITS_MAX + 1], out[CPS_PHONE_MAX];
	size_t nd = 0, open_at = 0, k;
	int plus = 0, seen = 0, open = 0;

	if (norm && len)
		norm[0] = '\0';
	if (!input)
		input = "";
	if (strnlen(input, RAW_MAX + 1) > RAW_MAX)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The phone number is too long."));
	for (p = (const unsigned char *)input; *p; ) {
		if (is_digit(*p)) {
			if (nd < sizeof(digits))
				digits[nd] = (char)*p;
			nd++;
			seen = 1;
			p++;
		} else if (*p == '+') {
			if (seen)
				return cps_error_set(err, CPS_ERR_INVALID,
					_("A + can only stand at the start of "
					  "the phone number."));
			plus = seen = 1;
			p++;
		} else if (*p == '(') {
			if (open)
				return cps_error_set(err, CPS_ERR_INVALID,
					_("The phone number has a bracket inside "
					  "a bracket."));
			open = 1;
			open_at = nd;
			p++;
		} else if (*p == ')') {
			if (!open)
				return cps_error_set(err, CPS_ERR_INVALID,
					_("The phone number has a closing bracket "
					  "without an opening one."));
			open = 0;
			/* "+44 (0)20 ...": the 0 is dialled only at home */
			if (plus && nd == open_at + 1 && nd <= sizeof(digits) &&
			    digits[nd - 1] == '0')
				nd--;
			seen = 1;
			p++;
		} else if (*p != ',' && (k = sep_len(p)) != 0) {
			if (*p != ' ' && *p != '\t' && k == 1)
				seen = 1;
			p += k;
		} else if (*p < 0x80 && !is_ctrl(*p)) {
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The phone number cannot contain \"%c\": use "
				  "digits, spaces, dashes, dots, brackets and "
				  "a + at the start."), *p);
		} else {
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The phone number contains a character that "
				  "does not belong in it: use digits, spaces, "
				  "dashes, dots, brackets and a + at the "
				  "start."));
		}
	}
	if (open)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A bracket in the phone number is not closed."));
	if (!seen && nd == 0)
		return put(norm, len, "", err); /* blank: the field is optional */
	if (nd < PHONE_DIGITS_MIN)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A phone number has at least %d digits (digits "
			  "entered: %zu)."), PHONE_DIGITS_MIN, nd);
	if (nd > PHONE_DIGITS_MAX)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A phone number has at most %d digits (digits "
			  "entered: %zu)."), PHONE_DIGITS_MAX, nd);
	k = 0;
	if (plus)
		out[k++] = '+';
	memcpy(out + k, digits, nd);
	out[k + nd] = '\0';
	return put(norm, len, out, err);
}
