/* sha256.h - SHA-256 (FIPS 180-4) for the engine's digests: documents,
 * resume codes, the keys of the rate limits (src/secret.c).  Its own,
 * so that the program does not load OpenSSL's libcrypto (3 MB, with
 * thousands of relocations) at every start for one hash function
 * (README, "Performance"). */
#ifndef CPSREG_SHA256_H
#define CPSREG_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define CPS_SHA256_LEN 32

struct cps_sha256 {
	uint32_t h[8];
	uint64_t bytes;           /* hashed so far */
	unsigned char block[64];  /* a block not yet complete */
	size_t used;              /* bytes of it */
};

void cps_sha256_init(struct cps_sha256 *s);
void cps_sha256_update(struct cps_sha256 *s, const void *data, size_t len);
/* Writes the digest and wipes the state. */
void cps_sha256_final(struct cps_sha256 *s, unsigned char md[CPS_SHA256_LEN]);

#endif
