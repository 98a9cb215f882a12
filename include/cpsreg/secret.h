/* secret.h - random bytes, password hashes and policy, tokens, resume codes
 * and SHA-256 digests.
 *
 * Passwords are stored only as slow salted yescrypt hashes (libcrypt).
 * Tokens and resume codes are random (getrandom) and stored only as their
 * SHA-256 digest: they carry enough entropy that a fast hash is right for
 * them, and a stolen database then holds nothing that can be typed in. */
#ifndef CPSREG_SECRET_H
#define CPSREG_SECRET_H

#include <stdio.h>
#include <stddef.h>

#include "cpsreg/err.h"

/* Password rules (see cps_password_policy). */
#define CPS_PASSWORD_MIN_CHARS 10   /* characters (code points), not bytes */
#define CPS_PASSWORD_MAX_BYTES 128

/* Room for a yescrypt hash string with its NUL ("$y$j9T$salt$hash" is
 * about 73 bytes; the rest is headroom for a costlier setting). */
#define CPS_PASSWORD_HASH_SIZE 128

/* A token: 160 random bits as 32 characters of lower-case base32
 * (a-z, 2-7), safe in a URL and in an e-mail. */
#define CPS_TOKEN_LEN 32
#define CPS_TOKEN_SIZE (CPS_TOKEN_LEN + 1)

/* A resume code: 12 characters of Crockford's base32 (digits and A-Z
 * without I, L, O, U: 60 random bits), shown as XXXX-XXXX-XXXX. */
#define CPS_RESUME_CODE_CHARS 12
#define CPS_RESUME_CODE_LEN 14
#define CPS_RESUME_CODE_SIZE (CPS_RESUME_CODE_LEN + 1)

/* A SHA-256 digest as 64 lower-case hex digits and a NUL. */
#define CPS_SHA256_HEX_SIZE 65

/* Fills buf with len bytes from the kernel's random source (getrandom). */
enum cps_err cps_secret_random(void *buf, size_t len, struct cps_error *err);

/* Hashes password with yescrypt and a fresh salt into out (at least
 * CPS_PASSWORD_HASH_SIZE bytes).  Does not apply the policy: call
 * cps_password_policy first when the customer chooses a password. */
enum cps_err cps_password_hash(const char *password, char *out, size_t outlen,
			       struct cps_error *err);

/* 1 if password matches hash (from cps_password_hash), 0 otherwise,
 * including for a malformed hash or a NULL argument. */
int cps_password_verify(const char *password, const char *hash);

/* CPS_OK if password is acceptable for the account with this e-mail
 * (which may be NULL); CPS_ERR_INVALID with a message that says what to do
 * otherwise.  The rules: valid UTF-8 without control characters; at least
 * CPS_PASSWORD_MIN_CHARS characters and at most CPS_PASSWORD_MAX_BYTES
 * bytes; not one character repeated; not the e-mail's local part, nor
 * containing it (when it has 3 or more characters); not one of the most
 * common passwords, alone or followed by digits or punctuation ("qwerty123!"),
 * compared without regard to case. */
enum cps_err cps_password_policy(const char *password, const char *email,
				 struct cps_error *err);

/* The rules above as one translated paragraph for the password screen. */
const char *cps_password_policy_text(void);

/* A new random token (see CPS_TOKEN_LEN) into out (>= CPS_TOKEN_SIZE). */
enum cps_err cps_token_new(char *out, size_t outlen, struct cps_error *err);

/* A new random resume code "XXXX-XXXX-XXXX" into out
 * (>= CPS_RESUME_CODE_SIZE). */
enum cps_err cps_resume_code_new(char *out, size_t outlen,
				 struct cps_error *err);

/* Turns a resume code as a person typed it into the form
 * cps_resume_code_new writes: ignores case, spaces and dashes anywhere,
 * reads O as 0 and I or L as 1.  out needs CPS_RESUME_CODE_SIZE bytes.
 * CPS_ERR_INVALID says what is wrong (a foreign character, too short, too
 * long). */
enum cps_err cps_resume_code_normalise(const char *in, char *out, size_t len,
				       struct cps_error *err);

/* SHA-256 of the string secret (without its NUL) as hex, for storing a
 * token or a normalised resume code.  On failure hex is "". */
enum cps_err cps_secret_digest(const char *secret,
			       char hex[CPS_SHA256_HEX_SIZE]);

/* SHA-256 of len bytes at buf as hex (a proof document in memory). */
enum cps_err cps_sha256_buf(const void *buf, size_t len,
			    char hex[CPS_SHA256_HEX_SIZE],
			    struct cps_error *err);

/* SHA-256 of f from its current position to the end, as hex.  With
 * max_bytes > 0, a longer file is refused with CPS_ERR_INVALID. */
enum cps_err cps_sha256_file(FILE *f, size_t max_bytes,
			     char hex[CPS_SHA256_HEX_SIZE],
			     struct cps_error *err);

#endif
