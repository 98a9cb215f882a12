/* fuzz_resume.c - the resume-code normaliser (cps_resume_code_normalise),
 * which reads what a customer types on the resume page.
 *
 * Properties: OK or INVALID; an accepted code is XXXX-XXXX-XXXX in
 * Crockford's base32 (no I, L, O, U), normalising it again gives itself,
 * and its digest is 64 hex digits; a short buffer of the input's choosing
 * is never overrun. */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/secret.h"
#include "fuzz.h"

static void shape(const char *c)
{
	FZ_ASSERT(strlen(c) == CPS_RESUME_CODE_LEN);
	for (int i = 0; i < CPS_RESUME_CODE_LEN; i++) {
		if (i == 4 || i == 9)
			FZ_ASSERT(c[i] == '-');
		else
			FZ_ASSERT(((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'A' && c[i] <= 'Z')) &&
				  !strchr("ILOU", c[i]));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[CPS_RESUME_CODE_SIZE], again[CPS_RESUME_CODE_SIZE];
	char hex[CPS_SHA256_HEX_SIZE];
	struct cps_error err = { 0 };
	enum cps_err rc;
	char *s, *small;
	size_t len;

	if (size > 4096)
		return 0;
	s = fz_cstr(data, size);
	rc = cps_resume_code_normalise(s, out, sizeof(out), &err);
	FZ_ASSERT(rc == CPS_OK || rc == CPS_ERR_INVALID);
	if (rc == CPS_OK) {
		shape(out);
		FZ_ASSERT(cps_resume_code_normalise(out, again, sizeof(again), &err) == CPS_OK);
		FZ_ASSERT(strcmp(out, again) == 0);
		FZ_ASSERT(cps_secret_digest(out, hex) == CPS_OK);
		FZ_ASSERT(strlen(hex) == 64 && strspn(hex, "0123456789abcdef") == 64);
	}
	/* the same into a buffer of every size up to the right one */
	len = size ? (size_t)data[0] % (CPS_RESUME_CODE_SIZE + 1) : 0;
	small = malloc(len ? len : 1);
	if (small) {
		rc = cps_resume_code_normalise(s, small, len, &err);
		FZ_ASSERT(rc == CPS_OK || rc == CPS_ERR_INVALID);
		if (rc == CPS_OK)
			FZ_ASSERT(len >= CPS_RESUME_CODE_SIZE && strcmp(small, out) == 0);
		free(small);
	}
	free(s);
	return 0;
}
