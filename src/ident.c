/* ident.c - offline checks of business identifiers, e-mail addresses and
 * phone numbers (the README's "Business identifiers" lists the rules).
 *
 * The rules are hints for the customer at the form, so every refusal says
 * what is wrong in the customer's words and names the number by the word
 * its country uses.  Each check-digit rule is the one the national
 * authority publishes; the authority is named beside the code.  Character
 * classes are ASCII only and written out by hand: <ctype.h> follows the
 * locale, these rules don't. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cpsreg/err.h"
#include "cpsreg/i18n.h"
#include "cpsreg/ident.h"
#include "cpsreg/text.h"

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

/* White space at the ends of a value: a paste brings its line end along. */
static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Spaces that word processors and web pages put into numbers. */
static int is_uspace(uint32_t cp)
{
	return cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f ||
	       cp == 0x205f || cp == 0x3000;
}

/* Dashes and the minus sign, which autocorrect puts in place of '-'. */
static int is_udash(uint32_t cp)
{
	return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

/* Invisible characters: C1 controls, zero-width and direction marks and
 * bidi controls, BOM. */
static int is_uinvisible(uint32_t cp)
{
	/* the engine's list of controls (bidi included), plus what only
	 * numbers and addresses need to refuse */
	return (cp <= 0x10ffff && cp >= 0x80 && cps_text_is_control((uint32_t)cp)) ||
	       (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
	       cp == 0xfeff;
}

/* The ASCII letter or digit a full-width form stands for (what a Japanese
 * or Chinese input method types), or 0. */
static int fold_wide(uint32_t cp)
{
	if (cp >= 0xff10 && cp <= 0xff19)
		return (int)(cp - 0xff10) + '0';
	if (cp >= 0xff21 && cp <= 0xff3a)
		return (int)(cp - 0xff21) + 'A';
	if (cp >= 0xff41 && cp <= 0xff5a)
		return (int)(cp - 0xff41) + 'a';
	return 0;
}

/* Length of a separator at s (n bytes left), or 0: what people put between
 * groups of digits.  Brackets count too: "(0)403.019.261" is a Belgian
 * spelling.  '/' and ',' do not: "13/58" or "136,695" is more likely two
 * numbers, or a slip, than one number. */
static size_t sep_len(const char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	switch (s[0]) {
	case ' ': case '\t': case '.': case '-': case '(': case ')':
		return 1;
	}
	if ((unsigned char)s[0] < 0x80)
		return 0;
	k = cps_utf8_decode(s, n, &cp);
	if (k && (is_uspace(cp) || is_udash(cp)))
		return k;
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

/* --- arithmetic shared by the rules ------------------------------------- */

static int weighted(const char *b, const int *w, size_t n)
{
	int sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += (b[i] - '0') * w[i];
	return sum;
}

/* The first n digits of b as a number, modulo m. */
static int mod_digits(const char *b, size_t n, int m)
{
	int r = 0;
	size_t i;

	for (i = 0; i < n; i++)
		r = (r * 10 + (b[i] - '0')) % m;
	return r;
}

static int two(const char *b)
{
	return (b[0] - '0') * 10 + (b[1] - '0');
}

/* Luhn (ISO/IEC 7812-1) over the whole string: true if it holds. */
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

static int days_in_month(int year, int month)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				   30, 31 };

	if (month == 2 &&
	    ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return d[month - 1];
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

/* --- business identifiers ---------------------------------------------- */

struct country;
/* A country's own check: validates the number b (prefix already dropped,
 * upper case, no separators) and may shorten it in place to the part that
 * goes between the prefix and the suffix of the normal form. */
typedef enum cps_err (*ident_fn)(const struct country *c, const char *what,
				 char *b, struct cps_error *err);
/* The check digits of a number that already has its country's format. */
typedef enum cps_err (*verify_fn)(const char *what, const char *b,
				  struct cps_error *err);

struct country {
	const char *iso;       /* ISO 3166 alpha-2 */
	const char *prefix;    /* VAT prefix, put in front of the normal form */
	const char *alt;       /* another prefix people type, or NULL */
	int alt_kept;          /* alt stays in the normal form (GB's XI) */
	const char *suffix;    /* put after the number in the normal form */
	const char *name;      /* the country's word for the number, N_() */
	ident_fn check;
	/* for check_vies: the number after the prefix, as alternatives split
	 * by '|': d digit, a letter, x letter or digit, o letter or + or *,
	 * anything else stands for itself */
	const char *pattern;
	const char *format;    /* the form in words, N_() */
	const char *example;   /* a valid number, written as people do */
	verify_fn verify;      /* check digits, or NULL for the format only */
	const char *note;      /* more for the hint, N_(), or NULL */
};

/* Set by cps_ident_format only: a failed check digit counts as a pass, so
 * that a number staff accepted gets the very normal form a valid one has.
 * Per thread, so that a check elsewhere never sees it. */
static _Thread_local int ignore_check_digits;

static enum cps_err bad_check(struct cps_error *err)
{
	if (ignore_check_digits)
		return CPS_OK;
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

/* Denmark: CVR, 8 digits, first not 0; the Danish Business Authority
 * (Erhvervsstyrelsen) gives the modulus 11 rule with the weights 2, 7, 6,
 * 5, 4, 3, 2, 1 over all eight digits. */
static enum cps_err check_dk(const struct country *c, const char *what,
			     char *b, struct cps_error *err)
{
	static const int w[8] = { 2, 7, 6, 5, 4, 3, 2, 1 };
	size_t n = strlen(b);
	enum cps_err rc;

	(void)c;
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
	return CPS_OK;
}

/* Norway: organisasjonsnummer, 9 digits; the Brønnøysund Register Centre
 * gives the modulus 11 rule with the weights 3, 2, 7, 6, 5, 4, 3, 2 (a
 * remainder that would need the check digit 10 is never issued).  The VAT
 * form adds MVA. */
static enum cps_err check_no(const struct country *c, const char *what,
			     char *b, struct cps_error *err)
{
	static const int w[8] = { 3, 2, 7, 6, 5, 4, 3, 2 };
	enum cps_err rc;
	size_t n;
	int k;

	(void)c;
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
	return CPS_OK;
}

/* Sweden, one 10-digit number.  Skatteverket: every organisationsnummer
 * and personnummer ends in a Luhn check digit.  A legal entity's digits
 * 3-4 are 20 or more (Skatteverket, "Organisationsnummer"); a sole trader
 * (enskild näringsidkare) has no number of their own but uses the
 * personnummer, whose first six digits are the date of birth YYMMDD, or
 * the samordningsnummer, whose day has 60 added (Skatteverket,
 * "Personnummer" and "Samordningsnummer").  century is what stood in front
 * in the 12-digit form: 16 for a legal entity, 19 or 20 for a person, or 0
 * for none. */
static enum cps_err se_ten(const char *what, const char *b, int century,
			   struct cps_error *err)
{
	int mm = two(b + 2), dd = two(b + 4), year;

	if (!luhn(b))
		return bad_check(err);
	if (mm >= 20) {
		if (century == 0 || century == 16)
			return CPS_OK;
		return cps_error_set(err, CPS_ERR_INVALID,
			_("In the 12-digit form of a Swedish %s, 16 stands in "
			  "front of a company's number and 19 or 20 in front "
			  "of a personnummer."), what);
	}
	if (mm < 1 || mm > 12)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("In a Swedish %s the third and fourth digits are 20 "
			  "or more for a company, or a month (01 to 12) for a "
			  "sole trader, whose number is their personnummer: "
			  "%.2s is neither."), what, b + 2);
	if (century == 16)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("In the 12-digit form of a Swedish %s, 16 stands in "
			  "front of a company's number and 19 or 20 in front "
			  "of a personnummer."), what);
	/* Without the century, read the year as 20YY: of 1900 and 2000 only
	 * 2000 had a 29 February, and for other years the two agree. */
	year = (century ? century : 20) * 100 + two(b);
	if (dd > 60)
		dd -= 60;
	if (dd < 1 || dd > days_in_month(year, mm))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A sole trader's %s is their personnummer, which "
			  "starts with the date of birth (YYMMDD), but %.6s is "
			  "not a date."), what, b);
	return CPS_OK;
}

/* Sweden: the 10-digit number, the VAT form with 01 after it, or the
 * 12-digit form with the century in front (Skatteverket writes 16 in front
 * of an organisation's number).  The normal form is the VAT form. */
static enum cps_err check_se(const struct country *c, const char *what,
			     char *b, struct cps_error *err)
{
	enum cps_err rc;
	size_t n = strlen(b);
	int century;

	(void)c;
	if ((rc = need_digits(what, b, err)) != CPS_OK)
		return rc;
	if (n == 14 && ends_with(b, "01")) {
		b[12] = '\0';
		n = 12;
	}
	if (n == 12) {
		century = two(b);
		if (ends_with(b, "01")) {
			char ten[11];

			memcpy(ten, b, 10);
			ten[10] = '\0';
			if (se_ten(what, ten, 0, NULL) == CPS_OK) {
				b[10] = '\0';
				return CPS_OK;
			}
			if (century != 16 && century != 19 && century != 20)
				return se_ten(what, ten, 0, err);
		}
		if (century != 16 && century != 19 && century != 20)
			return cps_error_set(err, CPS_ERR_INVALID,
				_("A 12-digit Swedish %s is the 10-digit number "
				  "with the century (19 or 20) in front, or "
				  "followed by 01."), what);
		memmove(b, b + 2, 11);
		return se_ten(what, b, century, err);
	}
	if (n != 10)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Swedish organisation number has 10 digits (digits "
			  "entered: %zu)."), n);
	return se_ten(what, b, 0, err);
}

/* Finland: Y-tunnus NNNNNNN-C (the dash was dropped with the separators);
 * the Finnish Patent and Registration Office and the Tax Administration
 * give the modulus 11 rule with the weights 7, 9, 10, 5, 8, 4, 2, where a
 * remainder of 1 is never issued. */
static enum cps_err check_fi(const struct country *c, const char *what,
			     char *b, struct cps_error *err)
{
	static const int w[7] = { 7, 9, 10, 5, 8, 4, 2 };
	enum cps_err rc;
	size_t n = strlen(b);
	int r;

	(void)c;
	if ((rc = need_digits(what, b, err)) != CPS_OK)
		return rc;
	if (n != 8)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Finnish Business ID (Y-tunnus) is 7 digits, a dash "
			  "and a check digit, like 2077474-0 (digits entered: "
			  "%zu)."), n);
	r = weighted(b, w, 7) % 11;
	if (r == 1 || (r == 0 ? 0 : 11 - r) != b[7] - '0')
		return bad_check(err);
	return CPS_OK;
}

/* United Kingdom (HM Revenue & Customs): 9 digits (12 with a branch, whose
 * last 3 are not checked), weights 8, 7, 6, 5, 4, 3, 2, 10, 1; the sum is
 * divisible by 97, or -- for numbers from 100 0000 00 up only, the newer
 * series -- the sum plus 55 is.  A government department (GD) or health
 * authority (HA) has 3 digits.  Northern Ireland's traders quote the same
 * number with XI in front. */
static enum cps_err check_gb(const struct country *c, const char *what,
			     char *b, struct cps_error *err)
{
	static const int w[9] = { 8, 7, 6, 5, 4, 3, 2, 10, 1 };
	enum cps_err rc;
	size_t n = strlen(b);
	int s;

	(void)c;
	if (!strncmp(b, "GD", 2) || !strncmp(b, "HA", 2)) {
		int gd = b[0] == 'G';

		if (n != 5 || !all_digits(b + 2) || (gd ? b[2] > '4' : b[2] < '5'))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("A UK government VAT number is GD and 3 digits "
				  "from 000 to 499, or HA and 3 digits from 500 "
				  "to 999."));
		return CPS_OK;
	}
	if ((rc = need_digits(what, b, err)) != CPS_OK)
		return rc;
	if (n != 9 && n != 12)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A UK VAT number has 9 digits, or 12 for a branch "
			  "(digits entered: %zu)."), n);
	s = weighted(b, w, 9);
	if (s % 97 == 0 || (b[0] != '0' && (s + 55) % 97 == 0))
		return CPS_OK;
	return bad_check(err);
}

/* Austria (Federal Ministry of Finance, the UID check digit): over the 7
 * digits after the U, the odd places count as they are, the even places
 * doubled with their digit sum; the check digit is 10 minus the last digit
 * of that sum plus 4. */
static enum cps_err verify_at(const char *what, const char *b,
			      struct cps_error *err)
{
	const char *d = b + 1; /* after the U */
	int s = 0, i;

	(void)what;
	for (i = 0; i < 7; i++) {
		int v = d[i] - '0';

		if (i % 2) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		s += v;
	}
	if ((10 - (s + 4) % 10) % 10 != d[7] - '0')
		return bad_check(err);
	return CPS_OK;
}

/* Belgium (FPS Finance, the enterprise number of the Crossroads Bank for
 * Enterprises): the last two digits are 97 minus the first 8 modulo 97. */
static enum cps_err verify_be(const char *what, const char *b,
			      struct cps_error *err)
{
	(void)what;
	if (97 - mod_digits(b, 8, 97) != two(b + 8))
		return bad_check(err);
	return CPS_OK;
}

/* Switzerland (Federal Statistical Office, the UID of the UID register,
 * standard eCH-0097): weights 5, 4, 3, 2, 7, 6, 5, 4 over the first 8
 * digits, the check digit is 11 minus the sum modulo 11 (11 gives 0); a
 * result of 10 is never issued. */
static enum cps_err verify_ch(const char *what, const char *b,
			      struct cps_error *err)
{
	static const int w[8] = { 5, 4, 3, 2, 7, 6, 5, 4 };
	int k = 11 - weighted(b, w, 8) % 11;

	(void)what;
	if (k == 11)
		k = 0;
	if (k == 10 || k != b[8] - '0')
		return bad_check(err);
	return CPS_OK;
}

/* Czech Republic (Financial Administration): the DIČ is CZ and the
 * company's IČO (8 digits), a special 9-digit number starting with 6, or a
 * person's birth number (rodné číslo, 9 or 10 digits). */
static enum cps_err verify_cz(const char *what, const char *b,
			      struct cps_error *err)
{
	static const int w[7] = { 8, 7, 6, 5, 4, 3, 2 };
	size_t n = strlen(b);
	int yy, mm, dd, year;

	if (n == 8) {
		/* The IČO (Czech Statistical Office): weights 8 to 2, the
		 * check digit is 11 minus the sum modulo 11, with 10 written
		 * 0 and 11 written 1.  Companies' numbers do not start with
		 * 9. */
		if (b[0] == '9')
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The 8-digit %s of a company cannot start "
				  "with 9."), what);
		if ((11 - weighted(b, w, 7) % 11) % 10 != b[7] - '0')
			return bad_check(err);
		return CPS_OK;
	}
	if (n == 9 && b[0] == '6') {
		/* The special numbers (the Financial Administration's rule
		 * as given to the European Commission for VIES): weights 8
		 * to 2 over digits 2-8; the difference D to the next higher
		 * multiple of 11 gives the check digit 9 - D (modulo 10), i.e.
		 * the remainder plus 8 (modulo 10). */
		if ((weighted(b + 1, w, 7) % 11 + 8) % 10 != b[8] - '0')
			return bad_check(err);
		return CPS_OK;
	}
	/* The birth number (Act No. 133/2000 Coll., Ministry of the
	 * Interior): YYMMDD, women's months plus 50, and since 2004 plus 20
	 * when a day's serials run out; 9 digits without a check digit for
	 * people born before 1954, 10 digits after, divisible by 11 (a
	 * remainder of 10 before 1985 was written 0). */
	yy = two(b);
	mm = two(b + 2);
	dd = two(b + 4);
	year = n == 9 ? 1900 + yy : yy >= 54 ? 1900 + yy : 2000 + yy;
	if (mm > 50)
		mm -= 50;
	if (mm > 20 && year >= 2004)
		mm -= 20;
	if ((n == 9 && year >= 1954) || mm < 1 || mm > 12 || dd < 1 ||
	    dd > days_in_month(year, mm))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A %s of 9 or 10 digits is a person's birth number, "
			  "which starts with the date of birth (YYMMDD, women's "
			  "months plus 50), but %.6s is not one."), what, b);
	if (n == 10 && mod_digits(b, 9, 11) % 10 != b[9] - '0')
		return bad_check(err);
	return CPS_OK;
}

/* Germany (Federal Central Tax Office): ISO 7064 MOD 11,10 over the 9
 * digits of the USt-IdNr. */
static enum cps_err verify_de(const char *what, const char *b,
			      struct cps_error *err)
{
	int p = 10, i, k;

	(void)what;
	for (i = 0; i < 8; i++) {
		int s = (b[i] - '0' + p) % 10;

		if (s == 0)
			s = 10;
		p = (2 * s) % 11;
	}
	k = 11 - p;
	if (k == 10)
		k = 0;
	if (k != b[8] - '0')
		return bad_check(err);
	return CPS_OK;
}

/* Spain: the DNI letter table of the Ministry of the Interior (the number
 * modulo 23). */
static const char dni_letters[] = "TRWAGMYFPDXBNJZSQVHLCKE";

/* Spain (Tax Agency, the NIF of Royal Decree 1065/2007 and Order
 * EHA/451/2008): a person's DNI (8 digits and the letter of the number
 * modulo 23), a foreigner's NIE (X, Y or Z standing for 0, 1, 2, then the
 * same), K, L or M and 7 digits (the same letter over the 7), or an
 * entity's letter, 7 digits and a control: the Luhn check digit of the 7,
 * written as that digit, or as the letter JABCDEFGHI at that place.  A, B,
 * E and H (companies and communities) take the digit; N, P, Q, S and W
 * (foreign and public bodies, branches) the letter; the rest either. */
static enum cps_err verify_es(const char *what, const char *b,
			      struct cps_error *err)
{
	char last = b[8], d[9];
	int r, k;

	if (is_digit(b[0]) || strchr("XYZKLM", b[0])) {
		if (!is_upper(last))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("A Spanish %s that starts with %c ends in a "
				  "letter, not a digit."), what, b[0]);
		memcpy(d, b, 8);
		d[8] = '\0';
		if (strchr("XYZ", b[0]))
			d[0] = (char)('0' + (b[0] - 'X'));
		if (strchr("KLM", b[0]))
			d[0] = '0';
		r = mod_digits(d, 8, 23);
		if (dni_letters[r] != last)
			return bad_check(err);
		return CPS_OK;
	}
	if (!strchr("ABCDEFGHJNPQRSUVW", b[0]))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Spanish %s cannot start with the letter %c."),
			what, b[0]);
	for (r = 0, k = 0; k < 7; k++) {
		int v = b[1 + k] - '0';

		if (k % 2 == 0) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		r += v;
	}
	k = (10 - r % 10) % 10;
	if (is_digit(last)) {
		if (strchr("NPQSW", b[0]))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("A Spanish %s that starts with %c ends in a "
				  "letter, not a digit."), what, b[0]);
		if (last - '0' != k)
			return bad_check(err);
		return CPS_OK;
	}
	if (strchr("ABEH", b[0]))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Spanish %s that starts with %c ends in a digit, "
			  "not a letter."), what, b[0]);
	if ("JABCDEFGHI"[k] != last)
		return bad_check(err);
	return CPS_OK;
}

/* France: the two characters of the key may be letters but never I or O,
 * which would be read as 1 and 0; this is the order of the 34 others. */
static int fr_index(int c)
{
	if (is_digit(c))
		return c - '0';
	return 10 + (c - 'A') - (c > 'I') - (c > 'O');
}

/* France (Directorate General of Public Finances): FR, a key of two
 * characters and the SIREN.  The SIREN (INSEE) ends in a Luhn check digit,
 * except the numbers starting 000 given to businesses in Monaco.  A key of
 * two digits is (12 + 3 x (SIREN modulo 97)) modulo 97.  The newer keys
 * with letters (the rule as given to the European Commission for VIES):
 * with the places above, S = 24 x first + second - 10 when the first is a
 * digit, else 34 x first + second - 100; then (SIREN + 1 + S / 11) modulo
 * 11 must equal S modulo 11. */
static enum cps_err verify_fr(const char *what, const char *b,
			      struct cps_error *err)
{
	const char *siren = b + 2;
	int s;

	if (b[0] == 'I' || b[0] == 'O' || b[1] == 'I' || b[1] == 'O')
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The two characters before the last 9 digits of a "
			  "French %s are never the letters I or O: did you mean "
			  "1 or 0?"), what);
	if (strncmp(siren, "000", 3) != 0 && !luhn(siren))
		return bad_check(err);
	if (is_digit(b[0]) && is_digit(b[1])) {
		if ((12 + 3 * mod_digits(siren, 9, 97)) % 97 != two(b))
			return bad_check(err);
		return CPS_OK;
	}
	if (is_digit(b[0]))
		s = fr_index(b[0]) * 24 + fr_index(b[1]) - 10;
	else
		s = fr_index(b[0]) * 34 + fr_index(b[1]) - 100;
	if ((mod_digits(siren, 9, 11) + 1 + s / 11) % 11 != s % 11)
		return bad_check(err);
	return CPS_OK;
}

/* Hungary (National Tax and Customs Administration): the eighth digit of
 * the adószám's first part makes the sum with the weights 9, 7, 3, 1, 9,
 * 7, 3, 1 divisible by 10. */
static enum cps_err verify_hu(const char *what, const char *b,
			      struct cps_error *err)
{
	static const int w[8] = { 9, 7, 3, 1, 9, 7, 3, 1 };

	(void)what;
	if (weighted(b, w, 8) % 10 != 0)
		return bad_check(err);
	return CPS_OK;
}

/* Ireland (Revenue Commissioners): 7 digits, a check letter and, in the
 * numbers issued since 2013, a ninth character A to I (W in the older
 * numbers of married women).  Weights 8 to 2 over the digits, plus 9 times
 * the ninth (W 0, A 1 ... I 9); the remainder modulo 23 gives the check
 * letter W (0), A (1) ... V (22).  In the oldest form the second character
 * is a letter, + or *: its digits are read as 0, the digits 3 to 7, then
 * the first digit. */
static enum cps_err verify_ie(const char *what, const char *b,
			      struct cps_error *err)
{
	static const int w[7] = { 8, 7, 6, 5, 4, 3, 2 };
	char d[8];
	int s;

	if (is_digit(b[1])) {
		memcpy(d, b, 7);
	} else {
		d[0] = '0';
		memcpy(d + 1, b + 2, 5);
		d[6] = b[0];
	}
	s = weighted(d, w, 7);
	if (b[8]) {
		if (b[8] != 'W' && (b[8] < 'A' || b[8] > 'I'))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The ninth character of an Irish %s is W or a "
				  "letter from A to I, not %c."), what, b[8]);
		s += 9 * (b[8] == 'W' ? 0 : b[8] - 'A' + 1);
	}
	s %= 23;
	if ((s == 0 ? 'W' : 'A' + s - 1) != b[7])
		return bad_check(err);
	return CPS_OK;
}

/* Italy (Revenue Agency, the partita IVA of Presidential Decree 633/1972,
 * laid out by the Ministry of Finance decree of 23 December 1976): a
 * 7-digit serial (not all 0), the 3-digit office of the province (001 to
 * 100, or 120, 121, 888 and 999 for special cases) and a Luhn check digit
 * over all 11. */
static enum cps_err verify_it(const char *what, const char *b,
			      struct cps_error *err)
{
	int office = two(b + 7) * 10 + (b[9] - '0');

	if (strncmp(b, "0000000", 7) == 0)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The first seven digits of an Italian %s cannot all "
			  "be 0."), what);
	if (!((office >= 1 && office <= 100) || office == 120 ||
	      office == 121 || office == 888 || office == 999))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("Digits 8 to 10 of an Italian %s are the tax office "
			  "(001 to 100, 120, 121, 888 or 999), not %.3s."),
			what, b + 7);
	if (!luhn(b))
		return bad_check(err);
	return CPS_OK;
}

/* Luxembourg (Registration Duties, Estates and VAT Authority): the last
 * two digits are the first six modulo 89. */
static enum cps_err verify_lu(const char *what, const char *b,
			      struct cps_error *err)
{
	(void)what;
	if (mod_digits(b, 6, 89) != two(b + 6))
		return bad_check(err);
	return CPS_OK;
}

/* The Netherlands (Tax and Customs Administration): the suffix after B is
 * 01 to 99.  The older numbers carry a modulus 11 check digit in the ninth
 * place (weights 9 to 2); the btw-id of sole traders since 2020 is ISO
 * 7064 MOD 97-10 over "NL" and the whole number, letters counting as 10 to
 * 35. */
static enum cps_err verify_nl(const char *what, const char *b,
			      struct cps_error *err)
{
	static const int w[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };
	const char *s;
	int r;

	if (!strcmp(b + 10, "00"))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Dutch %s ends in B01 to B99: B00 is never "
			  "issued."), what);
	if (weighted(b, w, 8) % 11 == b[8] - '0')
		return CPS_OK;
	r = ((('N' - 'A' + 10) * 100) + ('L' - 'A' + 10)) % 97;
	for (s = b; *s; s++) {
		if (is_digit(*s))
			r = (r * 10 + (*s - '0')) % 97;
		else
			r = (r * 100 + (*s - 'A' + 10)) % 97;
	}
	if (r != 1)
		return bad_check(err);
	return CPS_OK;
}

/* Poland (Ministry of Finance, the NIP): weights 6, 5, 7, 2, 3, 4, 5, 6, 7
 * over the first 9 digits; the sum modulo 11 is the last digit, and a
 * remainder of 10 is never issued. */
static enum cps_err verify_pl(const char *what, const char *b,
			      struct cps_error *err)
{
	static const int w[9] = { 6, 5, 7, 2, 3, 4, 5, 6, 7 };

	(void)what;
	/* a remainder of 10 matches no digit */
	if (weighted(b, w, 9) % 11 != b[9] - '0')
		return bad_check(err);
	return CPS_OK;
}

/* Portugal (Tax and Customs Authority, the NIF): the first digits say who
 * holds it -- 1, 2 or 3 a person, 45 a non-resident person, 5 a company, 6
 * a public body, 70-72, 74, 75, 77-79 estates, funds and special cases, 8
 * a sole trader (older numbers), 90, 91, 98, 99 condominiums, irregular
 * companies and non-residents; the last digit is 11 minus the sum with the
 * weights 9 to 2 modulo 11, 10 and 11 written 0. */
static enum cps_err verify_pt(const char *what, const char *b,
			      struct cps_error *err)
{
	static const int w[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };
	static const char *const two_digit = "45 70 71 72 74 75 77 78 79 90 91 "
					     "98 99";
	char lead[3] = { b[0], b[1], '\0' };
	int k;

	if (!strchr("123568", b[0]) && !strstr(two_digit, lead))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Portuguese %s cannot start with %.*s: it starts "
			  "with 1, 2, 3, 5, 6 or 8, or with 45, 70 to 72, 74, "
			  "75, 77 to 79, 90, 91, 98 or 99."), what,
			strchr("479", b[0]) ? 2 : 1, b);
	k = 11 - weighted(b, w, 8) % 11;
	if (k >= 10)
		k = 0;
	if (k != b[8] - '0')
		return bad_check(err);
	return CPS_OK;
}

/* Slovakia (Financial Administration, the IČ DPH): 10 digits, the first
 * not 0, the third 2, 3, 4, 7, 8 or 9, and the whole number divisible by
 * 11. */
static enum cps_err verify_sk(const char *what, const char *b,
			      struct cps_error *err)
{
	if (b[0] == '0')
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A Slovak %s cannot start with 0."), what);
	if (!strchr("234789", b[2]))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The third digit of a Slovak %s is 2, 3, 4, 7, 8 or "
			  "9, not %c."), what, b[2]);
	if (mod_digits(b, 10, 11) != 0)
		return bad_check(err);
	return CPS_OK;
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

/* Every other country: the VIES format, then the check digits where the
 * table has a rule. */
static enum cps_err check_vies(const struct country *c, const char *what,
			       char *b, struct cps_error *err)
{
	/* The Swiss VAT number is the UID and MWST, TVA, IVA or TPV: the
	 * abbreviation in German, French, Italian or Romansh. */
	static const char *const ch_suffix[] = { "MWST", "TVA", "IVA", "TPV" };
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
	if (c->verify)
		return c->verify(what, b, err);
	return CPS_OK;
}

#define DIG2_10 "dd|ddd|dddd|ddddd|dddddd|ddddddd|dddddddd|ddddddddd|dddddddddd"

/* Sorted by ISO code.  Every CPS country has check digits; the other EU
 * countries are checked by the VIES format only.  Countries with their own
 * function ignore the pattern. */
static const struct country countries[] = {
	{ "AT", "AT", NULL, 0, "", N_("VAT number (UID)"), check_vies,
	  "Udddddddd", N_("the letter U and 8 digits"), "ATU12345675",
	  verify_at, NULL },
	{ "BE", "BE", NULL, 0, "", N_("VAT number (BTW/TVA)"), check_vies,
	  "0ddddddddd|1ddddddddd", N_("10 digits starting with 0 or 1"),
	  "BE0123456749", verify_be, NULL },
	{ "BG", "BG", NULL, 0, "", NULL, check_vies, "ddddddddd|dddddddddd",
	  N_("9 or 10 digits"), "BG123456789", NULL, NULL },
	{ "CH", "CHE", "CH", 0, "", N_("UID number"), check_vies, "ddddddddd",
	  N_("CHE and 9 digits"), "CHE-123.456.788", verify_ch,
	  N_("MWST, TVA, IVA or TPV may follow.") },
	{ "CY", "CY", NULL, 0, "", NULL, check_vies, "dddddddda",
	  N_("8 digits and a letter"), "CY12345678X", NULL, NULL },
	{ "CZ", "CZ", NULL, 0, "", N_("VAT number (DIČ)"), check_vies,
	  "dddddddd|ddddddddd|dddddddddd", N_("8 to 10 digits"),
	  "CZ12345679", verify_cz,
	  N_("A person's number is their birth number.") },
	{ "DE", "DE", NULL, 0, "", N_("VAT number (USt-IdNr.)"), check_vies,
	  "ddddddddd", N_("9 digits"), "DE136695976", verify_de, NULL },
	{ "DK", "DK", NULL, 0, "", N_("CVR number"), check_dk, NULL,
	  N_("8 digits"), "13 58 56 28", NULL, NULL },
	{ "EE", "EE", NULL, 0, "", NULL, check_vies, "ddddddddd",
	  N_("9 digits"), "EE123456789", NULL, NULL },
	{ "EL", "EL", "GR", 0, "", NULL, check_vies, "ddddddddd",
	  N_("9 digits"), "EL123456789", NULL, NULL },
	{ "ES", "ES", NULL, 0, "", N_("VAT number (NIF)"), check_vies,
	  "xdddddddx",
	  N_("a letter or digit, 7 digits, and a letter or digit"),
	  "ESB12345674", verify_es, NULL },
	{ "FI", "FI", NULL, 0, "", N_("Business ID (Y-tunnus)"), check_fi,
	  NULL, N_("7 digits, a dash and a check digit"), "2077474-0", NULL,
	  NULL },
	{ "FR", "FR", NULL, 0, "", N_("VAT number (TVA)"), check_vies,
	  "xxddddddddd", N_("2 letters or digits and 9 digits"),
	  "FR11123456782", verify_fr, NULL },
	{ "GB", "GB", "XI", 1, "", NULL, check_gb, NULL,
	  N_("9 digits (12 for a branch)"), "980 7806 84", NULL,
	  N_("Northern Ireland: XI in front.") },
	{ "HR", "HR", NULL, 0, "", NULL, check_vies, "ddddddddddd",
	  N_("11 digits"), "HR12345678901", NULL, NULL },
	{ "HU", "HU", NULL, 0, "", N_("VAT number (adószám)"), check_vies,
	  "dddddddd", N_("8 digits"), "HU12345676", verify_hu, NULL },
	{ "IE", "IE", NULL, 0, "", NULL, check_vies,
	  "ddddddda|dddddddaa|doddddda",
	  N_("7 digits and one or two letters"), "IE1234567T", verify_ie,
	  NULL },
	{ "IT", "IT", NULL, 0, "", N_("VAT number (partita IVA)"), check_vies,
	  "ddddddddddd", N_("11 digits"), "IT12345670017", verify_it, NULL },
	{ "LT", "LT", NULL, 0, "", NULL, check_vies, "ddddddddd|dddddddddddd",
	  N_("9 or 12 digits"), "LT123456789", NULL, NULL },
	{ "LU", "LU", NULL, 0, "", N_("VAT number (TVA)"), check_vies,
	  "dddddddd", N_("8 digits"), "LU12345613", verify_lu, NULL },
	{ "LV", "LV", NULL, 0, "", NULL, check_vies, "ddddddddddd",
	  N_("11 digits"), "LV12345678901", NULL, NULL },
	{ "MT", "MT", NULL, 0, "", NULL, check_vies, "dddddddd",
	  N_("8 digits"), "MT12345678", NULL, NULL },
	{ "NL", "NL", NULL, 0, "", N_("VAT number (btw-id)"), check_vies,
	  "dddddddddBdd", N_("9 digits, the letter B and 2 digits"),
	  "NL123456782B01", verify_nl, NULL },
	{ "NO", "NO", NULL, 0, "MVA", N_("organisation number"), check_no,
	  NULL, N_("9 digits"), "988 077 917", NULL,
	  N_("MVA may follow.") },
	{ "PL", "PL", NULL, 0, "", N_("VAT number (NIP)"), check_vies,
	  "dddddddddd", N_("10 digits"), "PL1234563218", verify_pl, NULL },
	{ "PT", "PT", NULL, 0, "", N_("VAT number (NIF)"), check_vies,
	  "ddddddddd", N_("9 digits"), "PT123456789", verify_pt, NULL },
	{ "RO", "RO", NULL, 0, "", NULL, check_vies, DIG2_10,
	  N_("2 to 10 digits"), "RO1234567", NULL, NULL },
	{ "SE", "SE", NULL, 0, "01", N_("organisation number"), check_se,
	  NULL, N_("10 digits"), "556036-0793", NULL,
	  N_("A sole trader uses their personnummer.") },
	{ "SI", "SI", NULL, 0, "", NULL, check_vies, "dddddddd",
	  N_("8 digits"), "SI12345678", NULL, NULL },
	{ "SK", "SK", NULL, 0, "", N_("VAT number (IČ DPH)"), check_vies,
	  "dddddddddd", N_("10 digits"), "SK1234567895", verify_sk, NULL },
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
	for (i = 0; i < NCOUNTRIES; i++)
		if (!strncmp(b, countries[i].prefix, 2) ||
		    (countries[i].alt && !strncmp(b, countries[i].alt, 2)))
			return 1;
	return 0;
}

/* Drops the country prefix if the number starts with it, and says which
 * prefix the normal form gets.  France is the one country whose number
 * itself may start with letters, so "FR" is only a prefix when the 11
 * characters of a French number follow it. */
static char *strip_prefix(const struct country *c, char *b, int *stripped,
			  const char **pfx)
{
	const char *pre[2] = { c->prefix, c->alt };
	size_t i, k;

	*stripped = 0;
	*pfx = c->prefix;
	if (!strcmp(c->iso, "FR") && strlen(b) != 13)
		return b;
	for (i = 0; i < 2; i++) {
		if (!pre[i])
			continue;
		k = strlen(pre[i]);
		if (!strncmp(b, pre[i], k)) {
			*stripped = 1;
			if (i == 1 && c->alt_kept)
				*pfx = c->alt;
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
	size_t len = strnlen(input, RAW_MAX + 1), n = 0, k;
	const char *s = input, *e = input + len;

	if (len > RAW_MAX)
		goto too_long;
	/* a line end pasted with the number is white space, not a control */
	while (s < e && is_blank(*s))
		s++;
	while (e > s && is_blank(e[-1]))
		e--;
	while (s < e) {
		int c = (unsigned char)*s, wide = 0;
		uint32_t cp = 0;

		if ((k = sep_len(s, (size_t)(e - s))) != 0) {
			s += k;
			continue;
		}
		if (c >= 0x80) {
			k = cps_utf8_decode(s, (size_t)(e - s), &cp);
			wide = k ? fold_wide(cp) : 0;
		}
		if (is_digit(c) || is_alpha(c) || c == '+' || c == '*' || wide) {
			if (n == BODY_MAX)
				goto too_long;
			body[n++] = (char)to_upper(wide ? wide : c);
			s += wide ? k : 1;
			continue;
		}
		if (is_ctrl(c))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The %s contains a control character; please "
				  "type it again."), what);
		if (c >= 0x80) {
			if (k && is_uinvisible(cp))
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
			_("The %s cannot contain \"%c\"."), what, c);
	}
	body[n] = '\0';
	return CPS_OK;
too_long:
	return cps_error_set(err, CPS_ERR_INVALID,
		_("The %s you entered is too long."), what);
}

const char *cps_ident_name(const char *country)
{
	const struct country *c = find_country(country);

	return c && c->name ? _(c->name) : _("VAT number");
}

const char *cps_ident_hint(const char *country, char *buf, size_t len)
{
	const struct country *c = find_country(country);
	int k;

	if (!buf || len == 0)
		return "";
	buf[0] = '\0';
	if (!c)
		return buf;
	k = snprintf(buf, len, _("%s, like %s."), _(c->format), c->example);
	if (c->note && k >= 0 && (size_t)k < len)
		snprintf(buf + k, len - (size_t)k, " %s", _(c->note));
	/* the formats are written to follow "should be" in a sentence */
	buf[0] = (char)to_upper((unsigned char)buf[0]);
	return buf;
}

enum cps_err cps_ident_check(const char *country, const char *input,
			     char *norm, size_t normlen,
			     struct cps_error *err)
{
	const struct country *c;
	const char *what, *pfx;
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
	b = strip_prefix(c, body, &stripped, &pfx);
	if (*b == '\0')
		return cps_error_set(err, CPS_ERR_INVALID,
			_("Please enter the %s after the country prefix %s."),
			what, body);
	rc = c->check(c, what, b, err);
	if (rc != CPS_OK) {
		if (!stripped && foreign_prefix(c, b))
			return cps_error_set(err, rc,
				_("The number starts with %.2s, the prefix of "
				  "another country: choose that country, or "
				  "enter the %s without the prefix."), b, what);
		return rc;
	}
	if (!join3(out, pfx, b, c->suffix))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The %s you entered is too long."), what);
	return put(norm, normlen, out, err);
}

enum cps_err cps_ident_format(const char *country, const char *input,
			      char *norm, size_t normlen,
			      struct cps_error *err)
{
	enum cps_err rc;

	ignore_check_digits = 1;
	rc = cps_ident_check(country, input, norm, normlen, err);
	ignore_check_digits = 0;
	return rc;
}

/* --- e-mail ------------------------------------------------------------- */

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
	char buf[CPS_EMAIL_MAX], nfc[CPS_TEXT_NFC_SIZE(EMAIL_LEN)];
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
	/* stored in NFC, as every text (README, rules 2.1; RFC 6532 asks
	 * the same of an address): typed with its accents apart or together,
	 * one address */
	if (n <= EMAIL_LEN) {
		n = cps_text_nfc((const char *)s, n, nfc);
		s = (const unsigned char *)nfc;
		e = s + n;
	}
	if (n > EMAIL_LEN)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The e-mail address is too long: at most %d "
			  "characters are allowed."), EMAIL_LEN);
	for (p = s; p < e; p += k) {
		uint32_t cp = 0;

		k = cps_utf8_decode((const char *)p, (size_t)(e - p), &cp);
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
	const unsigned char *p, *end;
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
	end = (const unsigned char *)input + strlen(input);
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
		} else if ((k = *p == '/' ? 1 : sep_len((const char *)p,
				(size_t)(end - p))) != 0) {
			/* unlike in a business ID, '/' parts the area code
			 * in a phone number: "030/1234567" */
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
