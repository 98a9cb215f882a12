/* test_secret.c - unit tests for src/secret.c: random bytes, yescrypt
 * hashes, the password policy, tokens, resume codes and SHA-256 (the
 * engine's own, src/sha256.c, checked against OpenSSL's). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "cpsreg/err.h"
#include "cpsreg/secret.h"
#include "sha256.h"

#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

#define DRAWS 1000

/* The policy's verdict on pw must be CPS_ERR_INVALID with a message that
 * contains want. */
static void assert_refused(const char *pw, const char *email, const char *want)
{
	struct cps_error err;

	cps_error_clear(&err);
	assert_int_equal(cps_password_policy(pw, email, &err), CPS_ERR_INVALID);
	assert_int_equal(err.code, CPS_ERR_INVALID);
	if (!strstr(err.msg, want))
		fail_msg("policy message for \"%s\" is \"%s\", expected \"%s\" in it",
			 pw ? pw : "(null)", err.msg, want);
}

static void assert_accepted(const char *pw, const char *email)
{
	struct cps_error err;

	cps_error_clear(&err);
	if (cps_password_policy(pw, email, &err) != CPS_OK)
		fail_msg("policy refused \"%s\": %s", pw, err.msg);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* --- random ------------------------------------------------------------ */

static void test_random_fills(void **state)
{
	unsigned char a[64], b[64], zero[64] = { 0 };

	(void)state;
	assert_int_equal(cps_secret_random(a, sizeof(a), NULL), CPS_OK);
	assert_int_equal(cps_secret_random(b, sizeof(b), NULL), CPS_OK);
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(cps_secret_random(a, 0, NULL), CPS_OK);
}

static void test_random_large(void **state)
{
	/* more than one getrandom call may return */
	size_t n = 1 << 20;
	unsigned char *buf = calloc(1, n);
	size_t zeros = 0;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(cps_secret_random(buf, n, NULL), CPS_OK);
	for (size_t i = 0; i < n; i++)
		zeros += buf[i] == 0;
	/* about n / 256 = 4096; a short read would leave a run of zeros */
	assert_in_range(zeros, 3000, 5200);
	free(buf);
}

/* --- password hashes --------------------------------------------------- */

static void test_hash_round_trip(void **state)
{
	char h1[CPS_PASSWORD_HASH_SIZE], h2[CPS_PASSWORD_HASH_SIZE];
	struct cps_error err;
	const char *pw = "correct horse battery staple";

	(void)state;
	cps_error_clear(&err);
	assert_int_equal(cps_password_hash(pw, h1, sizeof(h1), &err), CPS_OK);
	assert_memory_equal(h1, "$y$", 3);
	assert_true(cps_password_verify(pw, h1));
	assert_false(cps_password_verify("correct horse battery stapler", h1));
	assert_false(cps_password_verify("Correct horse battery staple", h1));
	assert_false(cps_password_verify("", h1));

	/* a fresh salt every time */
	assert_int_equal(cps_password_hash(pw, h2, sizeof(h2), &err), CPS_OK);
	assert_memory_equal(h2, "$y$", 3);
	assert_string_not_equal(h1, h2);
	assert_true(cps_password_verify(pw, h2));
}

static void test_hash_utf8(void **state)
{
	char h[CPS_PASSWORD_HASH_SIZE];
	/* "blåbærgrød med fløde" */
	const char *pw = "bl\xC3\xA5" "b\xC3\xA6" "rgr\xC3\xB8" "d med fl\xC3\xB8" "de";

	(void)state;
	assert_int_equal(cps_password_hash(pw, h, sizeof(h), NULL), CPS_OK);
	assert_true(cps_password_verify(pw, h));
	assert_false(cps_password_verify("blabaergrod med flode", h));
}

static void test_hash_errors(void **state)
{
	char small[16] = "x";
	struct cps_error err;

	(void)state;
	cps_error_clear(&err);
	assert_int_equal(cps_password_hash("long enough password", small,
					   sizeof(small), &err),
			 CPS_ERR_INVALID);
	assert_string_equal(small, "");
	assert_non_null(strstr(err.msg, "does not fit"));
	assert_int_equal(cps_password_hash(NULL, small, sizeof(small), &err),
			 CPS_ERR_INVALID);
}

static void test_verify_malformed(void **state)
{
	(void)state;
	assert_false(cps_password_verify("anything", ""));
	assert_false(cps_password_verify("anything", "*0"));
	assert_false(cps_password_verify("anything", "*"));
	assert_false(cps_password_verify("anything", "$y$"));
	assert_false(cps_password_verify("anything", "$y$j9T$nonsense"));
	assert_false(cps_password_verify("anything", "plain text"));
	assert_false(cps_password_verify(NULL, "$y$j9T$abc$def"));
	assert_false(cps_password_verify("anything", NULL));
}

/* --- password policy --------------------------------------------------- */

static void test_policy_accepts(void **state)
{
	(void)state;
	assert_accepted("correct horse battery staple", "jens.hansen@example.dk");
	assert_accepted("Kamera i regnvejr 2024", NULL);
	assert_accepted("password is a bad idea", "a@b.dk");
	/* a short local part is only refused whole */
	assert_accepted("jolly good fellow", "jo@example.dk");
	assert_accepted("tenletters", "");
}

static void test_policy_length(void **state)
{
	char pw[CPS_PASSWORD_MAX_BYTES + 2];

	(void)state;
	assert_refused("", NULL, "Enter a password");
	assert_refused(NULL, NULL, "Enter a password");
	assert_refused("short", NULL, "at least 10 characters");
	assert_refused("ninechars", NULL, "at least 10 characters");

	/* exactly the maximum passes, one byte more does not */
	for (size_t i = 0; i < CPS_PASSWORD_MAX_BYTES; i++)
		pw[i] = (char)('a' + i % 26);
	pw[CPS_PASSWORD_MAX_BYTES] = '\0';
	assert_accepted(pw, NULL);
	pw[CPS_PASSWORD_MAX_BYTES] = 'x';
	pw[CPS_PASSWORD_MAX_BYTES + 1] = '\0';
	assert_refused(pw, NULL, "at most 128 bytes");
}

static void test_policy_counts_code_points(void **state)
{
	/* a and o with ring/slash, ae: two bytes each in UTF-8 */
	const char *ten = "\xC3\xA6\xC3\xB8\xC3\xA5\xC3\xA6\xC3\xB8\xC3\xA5"
			  "\xC3\xA6\xC3\xB8\xC3\xA5\xC3\xA6";
	const char *nine = "\xC3\xA6\xC3\xB8\xC3\xA5\xC3\xA6\xC3\xB8\xC3\xA5"
			   "\xC3\xA6\xC3\xB8\xC3\xA5";

	(void)state;
	assert_int_equal(strlen(ten), 20);
	assert_accepted(ten, NULL);
	assert_refused(nine, NULL, "at least 10 characters");
	/* three-byte characters: 10 euro signs and letters */
	assert_accepted("\xE2\x82\xAC" "abc" "\xE2\x82\xAC" "def" "\xE2\x82\xAC" "g",
			NULL);
}

static void test_policy_repeated(void **state)
{
	(void)state;
	assert_refused("aaaaaaaaaaaa", NULL, "one character repeated");
	assert_refused("            ", NULL, "one character repeated");
	assert_refused("\xC3\xB8\xC3\xB8\xC3\xB8\xC3\xB8\xC3\xB8\xC3\xB8"
		       "\xC3\xB8\xC3\xB8\xC3\xB8\xC3\xB8\xC3\xB8",
		       NULL, "one character repeated");
	assert_accepted("aaaaaaaaaab", NULL);
}

static void test_policy_email(void **state)
{
	const char *email = "jens.hansen@example.dk";
	const char *msg = "part before the @";

	(void)state;
	assert_refused("jens.hansen", email, msg);
	assert_refused("JENS.HANSEN", email, msg);
	assert_refused("my jens.hansen pass", email, msg);
	assert_refused("xJens.Hansen2024", email, msg);
	assert_refused("fotograf", "fotograf@shop.no", "at least 10");
	assert_refused("fotografen er best", "fotograf@shop.no", msg);
	assert_refused("jensjensjensjens", "jens@example.dk", msg);
	/* without an e-mail nothing is compared */
	assert_accepted("my jens.hansen pass", NULL);
}

static void test_policy_common(void **state)
{
	const char *msg = "most common passwords";

	(void)state;
	assert_refused("password1234", NULL, msg);
	assert_refused("Password1234!", NULL, msg);
	assert_refused("qwertyuiop", NULL, msg);
	assert_refused("QWERTYUIOP", NULL, msg);
	assert_refused("1234567890", NULL, msg);
	assert_refused("12345678901", NULL, msg);
	assert_refused("iloveyou12", NULL, msg);
	assert_refused("ILoveYou2024", NULL, msg);
	assert_refused("letmein!!!!", NULL, msg);
	assert_refused("canon12345", NULL, msg);
	assert_refused("administrator", NULL, msg);
	/* a common word followed by more words is not on the list */
	assert_accepted("iloveyou very much, Canon", NULL);
	assert_accepted("qwertyuiop plus asdf", NULL);
}

static void test_policy_bad_text(void **state)
{
	(void)state;
	assert_refused("abc\tdefghijk", NULL, "control character");
	assert_refused("abcdefghijk\x1b[0m", NULL, "control character");
	assert_refused("abcdefghij\xC2\x85", NULL, "control character");
	assert_refused("abcdefghij\xFF", NULL, "not valid text");
	assert_refused("abcdefghij\xC3", NULL, "not valid text");
	assert_refused("abcdefghij\xC0\xAF", NULL, "not valid text"); /* overlong */
	assert_refused("abcdefghij\xED\xA0\x80", NULL, "not valid text"); /* surrogate */
}

static void test_policy_text(void **state)
{
	const char *t = cps_password_policy_text();

	(void)state;
	assert_non_null(t);
	assert_non_null(strstr(t, "10 characters"));
	assert_non_null(strstr(t, "128"));
}

/* --- tokens ------------------------------------------------------------ */

static void test_token(void **state)
{
	char (*tok)[CPS_TOKEN_SIZE] = calloc(DRAWS, sizeof(*tok));
	struct cps_error err;

	(void)state;
	assert_non_null(tok);
	for (int i = 0; i < DRAWS; i++) {
		assert_int_equal(cps_token_new(tok[i], sizeof(tok[i]), &err), CPS_OK);
		assert_int_equal(strlen(tok[i]), CPS_TOKEN_LEN);
		assert_int_equal(strspn(tok[i], "abcdefghijklmnopqrstuvwxyz234567"),
				 CPS_TOKEN_LEN);
	}
	assert_true(CPS_TOKEN_LEN * 5 >= 128);
	qsort(tok, DRAWS, sizeof(*tok), cmp_str);
	for (int i = 1; i < DRAWS; i++)
		assert_string_not_equal(tok[i - 1], tok[i]);
	free(tok);
}

static void test_token_small_buffer(void **state)
{
	char small[CPS_TOKEN_SIZE - 1];
	struct cps_error err;

	(void)state;
	cps_error_clear(&err);
	assert_int_equal(cps_token_new(small, sizeof(small), &err), CPS_ERR_INVALID);
	assert_int_equal(err.code, CPS_ERR_INVALID);
	assert_string_equal(small, "");
}

/* --- resume codes ------------------------------------------------------ */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void test_resume_code_format(void **state)
{
	char (*code)[CPS_RESUME_CODE_SIZE] = calloc(DRAWS, sizeof(*code));
	char norm[CPS_RESUME_CODE_SIZE];

	(void)state;
	assert_non_null(code);
	for (int i = 0; i < DRAWS; i++) {
		char *c = code[i];

		assert_int_equal(cps_resume_code_new(c, CPS_RESUME_CODE_SIZE, NULL),
				 CPS_OK);
		assert_int_equal(strlen(c), 14);
		assert_int_equal(c[4], '-');
		assert_int_equal(c[9], '-');
		for (int j = 0; j < 14; j++)
			if (j != 4 && j != 9)
				assert_non_null(memchr(crockford, c[j], 32));
		/* what was issued reads back unchanged */
		assert_int_equal(cps_resume_code_normalise(c, norm, sizeof(norm), NULL),
				 CPS_OK);
		assert_string_equal(norm, c);
	}
	qsort(code, DRAWS, sizeof(*code), cmp_str);
	for (int i = 1; i < DRAWS; i++)
		assert_string_not_equal(code[i - 1], code[i]);
	free(code);
}

static void assert_normalises(const char *in, const char *want)
{
	char out[CPS_RESUME_CODE_SIZE];
	struct cps_error err;

	cps_error_clear(&err);
	if (cps_resume_code_normalise(in, out, sizeof(out), &err) != CPS_OK)
		fail_msg("\"%s\" refused: %s", in, err.msg);
	assert_string_equal(out, want);
}

static void assert_code_refused(const char *in, const char *want)
{
	char out[CPS_RESUME_CODE_SIZE] = "x";
	struct cps_error err;

	cps_error_clear(&err);
	assert_int_equal(cps_resume_code_normalise(in, out, sizeof(out), &err),
			 CPS_ERR_INVALID);
	assert_string_equal(out, "");
	if (!strstr(err.msg, want))
		fail_msg("message for \"%s\" is \"%s\", expected \"%s\" in it",
			 in ? in : "(null)", err.msg, want);
}

static void test_resume_code_normalise(void **state)
{
	(void)state;
	assert_normalises("ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN");
	assert_normalises("abcd-efgh-jkmn", "ABCD-EFGH-JKMN");
	assert_normalises("abcdefghjkmn", "ABCD-EFGH-JKMN");
	assert_normalises("  ab cd--ef gh - jk mn\n", "ABCD-EFGH-JKMN");
	assert_normalises("ABC-DEF-GHJ-KMN", "ABCD-EFGH-JKMN");
	assert_normalises("oOiI-lL01-2345", "0011-1101-2345");
	/* en dash and no-break space, as a mail program may show them */
	assert_normalises("ABCD\xE2\x80\x93" "EFGH\xC2\xA0JKMN", "ABCD-EFGH-JKMN");
}

static void test_resume_code_errors(void **state)
{
	char small[CPS_RESUME_CODE_SIZE - 1];

	(void)state;
	assert_code_refused("", "Enter the resume code");
	assert_code_refused(" - - ", "Enter the resume code");
	assert_code_refused(NULL, "Enter the resume code");
	assert_code_refused("ABCD-EFGH-JKM", "too short: it has 11");
	assert_code_refused("ABCD-EFGH-JKMNP", "too long: it has 13");
	assert_code_refused("ABCD-EFGH-JKMU", "no letter U");
	assert_code_refused("ABCD.EFGH.JKMN", "cannot contain \".\"");
	assert_code_refused("ABCD-EFGH-JK\xC3\x86N", "not a letter or a digit");
	assert_int_equal(cps_resume_code_normalise("ABCD-EFGH-JKMN", small,
						   sizeof(small), NULL),
			 CPS_ERR_INVALID);
}

/* --- SHA-256 ----------------------------------------------------------- */

static void test_digest(void **state)
{
	char hex[CPS_SHA256_HEX_SIZE];

	(void)state;
	assert_int_equal(cps_secret_digest("abc", hex), CPS_OK);
	assert_string_equal(hex, SHA256_ABC);
	assert_int_equal(cps_secret_digest("", hex), CPS_OK);
	assert_string_equal(hex, SHA256_EMPTY);
	assert_int_equal(cps_secret_digest(NULL, hex), CPS_ERR_INVALID);
	assert_string_equal(hex, "");

	assert_int_equal(cps_sha256_buf("abc", 3, hex, NULL), CPS_OK);
	assert_string_equal(hex, SHA256_ABC);
	assert_int_equal(cps_sha256_buf(NULL, 0, hex, NULL), CPS_OK);
	assert_string_equal(hex, SHA256_EMPTY);
}

/* OpenSSL's SHA-256 of buf, in hex: the reference */
static void openssl_hex(const unsigned char *buf, size_t n, char hex[CPS_SHA256_HEX_SIZE])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	assert_true(EVP_Digest(buf, n, md, &len, EVP_sha256(), NULL));
	assert_int_equal(len, 32);
	for (unsigned int i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* Every length around the padding's edges (55, 56, 63, 64 bytes in a
 * block) and over several blocks, in one piece and fed in pieces of
 * every size that splits a block differently, as OpenSSL computes it. */
static void test_sha256_matches_openssl(void **state)
{
	enum { MAX = 300 };
	unsigned char buf[MAX], md[CPS_SHA256_LEN];
	char hex[CPS_SHA256_HEX_SIZE], want[CPS_SHA256_HEX_SIZE], got[CPS_SHA256_HEX_SIZE];
	uint32_t x = 2463534242u;

	(void)state;
	for (size_t i = 0; i < MAX; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;   /* xorshift: any bytes */
		buf[i] = (unsigned char)x;
	}
	for (size_t n = 0; n <= MAX; n++) {
		openssl_hex(buf, n, want);
		assert_int_equal(cps_sha256_buf(buf, n, hex, NULL), CPS_OK);
		assert_string_equal(hex, want);
		for (size_t piece = 1; piece <= 65; piece += 8) {
			struct cps_sha256 s;

			cps_sha256_init(&s);
			for (size_t at = 0; at < n; at += piece)
				cps_sha256_update(&s, buf + at, n - at < piece ? n - at : piece);
			cps_sha256_final(&s, md);
			for (int i = 0; i < CPS_SHA256_LEN; i++)
				snprintf(got + 2 * i, 3, "%02x", md[i]);
			assert_string_equal(got, want);
		}
	}
}

/* FIPS 180-4's long examples: two blocks, and a million "a" */
static void test_sha256_long_vectors(void **state)
{
	char hex[CPS_SHA256_HEX_SIZE];
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	size_t n = 1000000;
	char *a = malloc(n);

	(void)state;
	assert_int_equal(cps_sha256_buf(two, strlen(two), hex, NULL), CPS_OK);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_non_null(a);
	memset(a, 'a', n);
	assert_int_equal(cps_sha256_buf(a, n, hex, NULL), CPS_OK);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

static void test_sha256_file(void **state)
{
	char hex[CPS_SHA256_HEX_SIZE], want[CPS_SHA256_HEX_SIZE];
	size_t n = 100000; /* several read chunks */
	unsigned char *buf = malloc(n);
	struct cps_error err;
	FILE *f;

	(void)state;
	assert_non_null(buf);
	f = tmpfile();
	assert_non_null(f);
	assert_int_equal(cps_sha256_file(f, 0, hex, NULL), CPS_OK);
	assert_string_equal(hex, SHA256_EMPTY);
	assert_int_equal(fwrite("abc", 1, 3, f), 3);
	rewind(f);
	assert_int_equal(cps_sha256_file(f, 0, hex, NULL), CPS_OK);
	assert_string_equal(hex, SHA256_ABC);
	fclose(f);

	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 7 + i / 251);
	assert_int_equal(cps_sha256_buf(buf, n, want, NULL), CPS_OK);
	f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	rewind(f);
	assert_int_equal(cps_sha256_file(f, n, hex, NULL), CPS_OK);
	assert_string_equal(hex, want);
	rewind(f);
	cps_error_clear(&err);
	assert_int_equal(cps_sha256_file(f, n - 1, hex, &err), CPS_ERR_INVALID);
	assert_string_equal(hex, "");
	assert_non_null(strstr(err.msg, "too large"));
	fclose(f);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_fills),
		cmocka_unit_test(test_random_large),
		cmocka_unit_test(test_hash_round_trip),
		cmocka_unit_test(test_hash_utf8),
		cmocka_unit_test(test_hash_errors),
		cmocka_unit_test(test_verify_malformed),
		cmocka_unit_test(test_policy_accepts),
		cmocka_unit_test(test_policy_length),
		cmocka_unit_test(test_policy_counts_code_points),
		cmocka_unit_test(test_policy_repeated),
		cmocka_unit_test(test_policy_email),
		cmocka_unit_test(test_policy_common),
		cmocka_unit_test(test_policy_bad_text),
		cmocka_unit_test(test_policy_text),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_token_small_buffer),
		cmocka_unit_test(test_resume_code_format),
		cmocka_unit_test(test_resume_code_normalise),
		cmocka_unit_test(test_resume_code_errors),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_sha256_file),
		cmocka_unit_test(test_sha256_matches_openssl),
		cmocka_unit_test(test_sha256_long_vectors),
	};

	return cmocka_run_group_tests_name("secret", tests, NULL, NULL);
}
