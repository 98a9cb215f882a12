/* secret.c - random bytes, yescrypt password hashes, the password policy,
 * tokens, resume codes and SHA-256 digests (see include/cpsreg/secret.h). */
#define _DEFAULT_SOURCE /* explicit_bzero */

#include <crypt.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

#include "cpsreg/err.h"
#include "cpsreg/i18n.h"
#include "cpsreg/text.h"
#include "cpsreg/secret.h"
#include "sha256.h"

/* Crockford's base32: no I, L, O or U, so nothing looks like something else
 * and no accidental words. */
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/* RFC 4648 base32 in lower case: URL-safe and case-insensitive to read. */
static const char base32_lower[] = "abcdefghijklmnopqrstuvwxyz234567";

#define TOKEN_BYTES 20 /* 160 bits = exactly CPS_TOKEN_LEN base32 digits */

/* --- random bytes ------------------------------------------------------ */

enum cps_err cps_secret_random(void *buf, size_t len, struct cps_error *err)
{
	unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return cps_error_set(err, CPS_ERR_IO,
					     _("Could not read random numbers from the system: %s"),
					     strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return CPS_OK;
}

/* --- password hashes --------------------------------------------------- */

enum cps_err cps_password_hash(const char *password, char *out, size_t outlen,
			       struct cps_error *err)
{
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd;
	const char *h;
	enum cps_err rc = CPS_OK;
	int e;

	if (out && outlen > 0)
		out[0] = '\0';
	if (!password || !out)
		return cps_error_set(err, CPS_ERR_INVALID, _("No password was given."));

	/* NULL entropy: libcrypt draws the salt from the kernel itself. */
	errno = 0;
	if (!crypt_gensalt_rn("$y$", 0, NULL, 0, setting, (int)sizeof(setting))) {
		e = errno;
		return cps_error_set(err, CPS_ERR_IO,
				     _("Could not make a salt for the password hash: %s"),
				     strerror(e));
	}

	/* struct crypt_data is about 32 KiB: too big for a stack that may
	 * belong to a thread. */
	cd = calloc(1, sizeof(*cd));
	if (!cd)
		return cps_error_set(err, CPS_ERR_NOMEM, _("Out of memory."));
	errno = 0;
	h = crypt_rn(password, setting, cd, (int)sizeof(*cd));
	e = errno;
	if (!h || h[0] == '*') {
		if (e == ENOMEM)
			rc = cps_error_set(err, CPS_ERR_NOMEM, _("Out of memory."));
		else if (e == ERANGE)
			rc = cps_error_set(err, CPS_ERR_INVALID,
					   _("The password is too long to be stored."));
		else
			rc = cps_error_set(err, CPS_ERR_INVALID,
					   _("The password could not be hashed: %s"),
					   strerror(e ? e : EINVAL));
	} else if (strlen(h) >= outlen) {
		rc = cps_error_set(err, CPS_ERR_INVALID,
				   _("The password hash does not fit in %d bytes."),
				   (int)outlen);
	} else {
		memcpy(out, h, strlen(h) + 1);
	}
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rc;
}

/* 1 when the n bytes are the same, in a time that does not depend on
 * where they differ: every byte is looked at, the differences only
 * gathered (volatile: the compiler may not stop at the first). */
static int same_bytes(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	volatile unsigned char diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(x[i] ^ y[i]);
	return diff == 0;
}

int cps_password_verify(const char *password, const char *hash)
{
	struct crypt_data *cd;
	const char *h;
	size_t len;
	int ok = 0;

	/* Only a real crypt string: never "" or a failure token like "*0". */
	if (!password || !hash || hash[0] != '$')
		return 0;
	cd = calloc(1, sizeof(*cd));
	if (!cd)
		return 0;
	h = crypt_rn(password, hash, cd, (int)sizeof(*cd));
	if (h && h[0] != '*') {
		len = strlen(hash);
		/* The lengths are public; the contents are compared in
		 * constant time so timing says nothing about a near miss. */
		if (strlen(h) == len && same_bytes(h, hash, len))
			ok = 1;
	}
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

/* --- password policy --------------------------------------------------- */

/* Among the most used passwords in public breach lists, plus the words a
 * customer of a camera shop in these countries reaches for first.  Lower
 * case; matched without regard to case, alone or followed by digits or
 * punctuation, so "password" also covers "Password1234!". */
static const char *const common_passwords[] = {
	"123456", "1234567890", "12345678", "123456789", "0987654321",
	"987654321", "111111", "000000", "123123", "123321", "654321",
	"666666", "696969", "112233", "121212", "147258369", "1q2w3e4r",
	"1q2w3e4r5t", "1qaz2wsx", "zaq12wsx", "qwerty", "qwertyuiop",
	"qwertz", "qwertzuiop", "azerty", "azertyuiop", "asdfgh",
	"asdfghjkl", "zxcvbnm", "qazwsx", "qweasdzxc", "abc123", "abcdef",
	"abcdefghij", "abcd1234", "aa123456", "password", "passw0rd",
	"p@ssw0rd", "p@ssword", "passord", "passwort", "adgangskode",
	"kodeord", "salasana", "losenord", "wachtwoord", "motdepasse",
	"contrasena", "haslo", "letmein", "welcome", "iloveyou", "admin",
	"administrator", "root", "login", "master", "monkey", "dragon",
	"shadow", "sunshine", "princess", "football", "baseball", "soccer",
	"superman", "batman", "starwars", "trustno1", "whatever", "freedom",
	"hello", "helloworld", "charlie", "michael", "jennifer", "jordan",
	"hunter", "ranger", "buster", "thomas", "tigger", "robert", "harley",
	"mustang", "access", "secret", "computer", "internet", "changeme",
	"default", "test", "guest", "summer", "winter", "canon", "canoneos",
	"photo", "photography", "photographer", "camera", "nikon",
	"liverpool", "chelsea", "arsenal", "london", "europe",
};

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Equal over n bytes, ignoring the case of ASCII letters. */
static int ascii_caseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_lower((unsigned char)a[i]) !=
		    ascii_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static int ascii_casecontains(const char *hay, size_t hn, const char *needle,
			      size_t nn)
{
	for (size_t i = 0; nn <= hn && i <= hn - nn; i++)
		if (ascii_caseeq(hay + i, needle, nn))
			return 1;
	return 0;
}

/* Digits and ASCII punctuation only: what people tack onto a common word
 * to get past a rule. */
static int only_padding(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

		/* digits and punctuation are the printable ASCII non-letters */
		if (c <= ' ' || c >= 0x7F || letter)
			return 0;
	}
	return 1;
}

static int is_common(const char *pw, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(common_passwords) / sizeof(common_passwords[0]); i++) {
		const char *w = common_passwords[i];
		size_t wl = strlen(w);

		if (wl <= n && ascii_caseeq(pw, w, wl) && only_padding(pw + wl))
			return 1;
	}
	return 0;
}

enum cps_err cps_password_policy(const char *password, const char *email,
				 struct cps_error *err)
{
	size_t n, i, len, chars = 0;
	uint32_t cp, first = 0;
	int all_same = 1;

	if (!password || !*password)
		return cps_error_set(err, CPS_ERR_INVALID, _("Enter a password."));
	n = strlen(password);
	if (n > CPS_PASSWORD_MAX_BYTES)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("The password is too long: use at most %d bytes (a letter outside A-Z takes two or more)."),
				     CPS_PASSWORD_MAX_BYTES);
	for (i = 0; i < n; i += len) {
		len = cps_utf8_decode(password + i, n - i, &cp);
		if (!len)
			return cps_error_set(err, CPS_ERR_INVALID,
					     _("The password is not valid text (UTF-8); type it again."));
		/* A tab or an escape cannot be typed the same way at every
		 * terminal, so the customer could lock themselves out. */
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			return cps_error_set(err, CPS_ERR_INVALID,
					     _("The password contains a control character; use letters, digits, spaces and punctuation only."));
		if (chars == 0)
			first = cp;
		else if (cp != first)
			all_same = 0;
		chars++;
	}
	if (chars < CPS_PASSWORD_MIN_CHARS)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("The password is too short: use at least %d characters. A few unrelated words make a good password."),
				     CPS_PASSWORD_MIN_CHARS);
	if (all_same)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("The password is one character repeated; use a few unrelated words instead."));

	if (email) {
		const char *at = strchr(email, '@');
		size_t ll = at ? (size_t)(at - email) : strlen(email);

		/* A very short local part ("jo") would rule out half the
		 * dictionary; only its whole is refused then. */
		if (ll > 0 && ((ll == n && ascii_caseeq(password, email, n)) ||
			       (ll >= 3 && ascii_casecontains(password, n, email, ll))))
			return cps_error_set(err, CPS_ERR_INVALID,
					     _("The password must not contain your e-mail name (the part before the @); choose something unrelated."));
	}
	if (is_common(password, n))
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("This is one of the most common passwords and is guessed first; use a few unrelated words instead."));
	return CPS_OK;
}

const char *cps_password_policy_text(void)
{
	/* Keep the numbers in step with CPS_PASSWORD_MIN_CHARS and
	 * CPS_PASSWORD_MAX_BYTES. */
	return _("Choose a password of at least 10 characters. A few unrelated "
		 "words with spaces between them are easy to remember and hard "
		 "to guess. Letters of any language, digits, spaces and "
		 "punctuation are allowed, up to 128 bytes. Do not use your "
		 "e-mail address, one character repeated, or a common password "
		 "such as \"password1234\" or \"qwertyuiop\".");
}

/* --- tokens and resume codes ------------------------------------------- */

enum cps_err cps_token_new(char *out, size_t outlen, struct cps_error *err)
{
	unsigned char raw[TOKEN_BYTES];
	uint32_t acc = 0;
	size_t i, o = 0;
	int bits = 0;
	enum cps_err rc;

	if (out && outlen > 0)
		out[0] = '\0';
	if (!out || outlen < CPS_TOKEN_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("No room for a token: %d bytes are needed."),
				     CPS_TOKEN_SIZE);
	rc = cps_secret_random(raw, sizeof(raw), err);
	if (rc != CPS_OK)
		return rc;
	for (i = 0; i < sizeof(raw); i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = base32_lower[(acc >> bits) & 31];
		}
		acc &= (1u << bits) - 1;
	}
	out[o] = '\0';
	explicit_bzero(raw, sizeof(raw));
	return CPS_OK;
}

enum cps_err cps_resume_code_new(char *out, size_t outlen,
				 struct cps_error *err)
{
	unsigned char raw[CPS_RESUME_CODE_CHARS];
	size_t i, o = 0;
	enum cps_err rc;

	if (out && outlen > 0)
		out[0] = '\0';
	if (!out || outlen < CPS_RESUME_CODE_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("No room for a resume code: %d bytes are needed."),
				     CPS_RESUME_CODE_SIZE);
	rc = cps_secret_random(raw, sizeof(raw), err);
	if (rc != CPS_OK)
		return rc;
	for (i = 0; i < sizeof(raw); i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		/* 256 is a multiple of 32: the low five bits are uniform. */
		out[o++] = crockford[raw[i] & 31];
	}
	out[o] = '\0';
	explicit_bzero(raw, sizeof(raw));
	return CPS_OK;
}

/* The value of c in Crockford's base32, reading O as 0 and I, L as 1;
 * -1 if c is not one of its symbols. */
static int crockford_value(unsigned char c)
{
	const char *pos;

	if (c >= 'a' && c <= 'z')
		c = (unsigned char)(c - 'a' + 'A');
	if (c == 'O')
		return 0;
	if (c == 'I' || c == 'L')
		return 1;
	if (c == '\0')
		return -1;
	pos = strchr(crockford, c);
	return pos ? (int)(pos - crockford) : -1;
}

enum cps_err cps_resume_code_normalise(const char *in, char *out, size_t len,
				       struct cps_error *err)
{
	char code[CPS_RESUME_CODE_CHARS];
	const unsigned char *p;
	size_t n = 0, i, o = 0;
	int v;

	if (out && len > 0)
		out[0] = '\0';
	if (!out || len < CPS_RESUME_CODE_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("No room for a resume code: %d bytes are needed."),
				     CPS_RESUME_CODE_SIZE);
	if (!in)
		in = "";
	for (p = (const unsigned char *)in; *p; ) {
		if (*p == ' ' || *p == '\t' || *p == '-' || *p == '\r' ||
		    *p == '\n') {
			p++;
			continue;
		}
		/* What a mail program or a word processor makes of a space
		 * or a dash: no-break space U+00A0, dashes U+2010..U+2015. */
		if (p[0] == 0xC2 && p[1] == 0xA0) {
			p += 2;
			continue;
		}
		if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95) {
			p += 3;
			continue;
		}
		v = crockford_value(*p);
		if (v < 0) {
			if (*p == 'U' || *p == 'u')
				return cps_error_set(err, CPS_ERR_INVALID,
						     _("A resume code has no letter U; check the code (is it a V?)."));
			if (*p < 0x21 || *p > 0x7E)
				return cps_error_set(err, CPS_ERR_INVALID,
						     _("The resume code contains a character that is not a letter or a digit; type only the letters and digits of the code."));
			return cps_error_set(err, CPS_ERR_INVALID,
					     _("A resume code cannot contain \"%c\"; type only the letters and digits of the code."),
					     *p);
		}
		if (n < CPS_RESUME_CODE_CHARS)
			code[n] = crockford[v];
		n++;
		p++;
	}
	if (n == 0)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("Enter the resume code: 12 letters and digits, shown as XXXX-XXXX-XXXX when the application was saved."));
	if (n < CPS_RESUME_CODE_CHARS)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("The resume code is too short: it has %d letters and digits, not 12."),
				     (int)n);
	if (n > CPS_RESUME_CODE_CHARS)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("The resume code is too long: it has %d letters and digits, not 12."),
				     (int)n);
	for (i = 0; i < CPS_RESUME_CODE_CHARS; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = code[i];
	}
	out[o] = '\0';
	return CPS_OK;
}

/* --- SHA-256 ----------------------------------------------------------- */

static void to_hex(const unsigned char *md, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * n] = '\0';
}

enum cps_err cps_sha256_buf(const void *buf, size_t len,
			    char hex[CPS_SHA256_HEX_SIZE],
			    struct cps_error *err)
{
	unsigned char md[CPS_SHA256_LEN];
	struct cps_sha256 s;

	if (!hex)
		return cps_error_set(err, CPS_ERR_INVALID, _("No room for a digest."));
	hex[0] = '\0';
	if (!buf && len > 0)
		return cps_error_set(err, CPS_ERR_INVALID, _("No data to digest."));
	cps_sha256_init(&s);
	cps_sha256_update(&s, buf ? buf : "", len);
	cps_sha256_final(&s, md);
	to_hex(md, sizeof(md), hex);
	return CPS_OK;
}

enum cps_err cps_secret_digest(const char *secret,
			       char hex[CPS_SHA256_HEX_SIZE])
{
	if (!secret) {
		if (hex)
			hex[0] = '\0';
		return CPS_ERR_INVALID;
	}
	return cps_sha256_buf(secret, strlen(secret), hex, NULL);
}

enum cps_err cps_sha256_file(FILE *f, size_t max_bytes,
			     char hex[CPS_SHA256_HEX_SIZE],
			     struct cps_error *err)
{
	unsigned char chunk[16384], md[CPS_SHA256_LEN];
	size_t n, total = 0;
	struct cps_sha256 s;

	if (!hex)
		return cps_error_set(err, CPS_ERR_INVALID, _("No room for a digest."));
	hex[0] = '\0';
	if (!f)
		return cps_error_set(err, CPS_ERR_INVALID, _("No file to digest."));
	cps_sha256_init(&s);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		total += n;
		if (max_bytes > 0 && total > max_bytes) {
			explicit_bzero(&s, sizeof(s));
			return cps_error_set(err, CPS_ERR_INVALID,
					     _("The file is too large: at most %lu bytes are accepted."),
					     (unsigned long)max_bytes);
		}
		cps_sha256_update(&s, chunk, n);
	}
	if (ferror(f)) {
		explicit_bzero(&s, sizeof(s));
		return cps_error_set(err, CPS_ERR_IO, _("Could not read the file: %s"),
				     strerror(errno));
	}
	cps_sha256_final(&s, md);
	to_hex(md, sizeof(md), hex);
	return CPS_OK;
}
