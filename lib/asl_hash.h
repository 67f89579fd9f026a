/*
 * asl_hash.h - the message digests States.Hash offers: MD5, SHA-1,
 * SHA-256, SHA-384 and SHA-512 (RFC 1321, FIPS 180-4).
 *
 * Written out here so that asl needs no crypto library for one intrinsic.
 * They are what AWS offers for checksums and keys, not for security: MD5
 * and SHA-1 are broken for that, and nothing here is constant-time.
 * Plain bytes in, bytes out; no jv values, no allocation.
 */
#ifndef ASL_HASH_H
#define ASL_HASH_H

#include <stddef.h>

enum asl_hash_alg {
	ASL_HASH_MD5,
	ASL_HASH_SHA1,
	ASL_HASH_SHA256,
	ASL_HASH_SHA384,
	ASL_HASH_SHA512
};

/* The longest digest, in bytes (SHA-512). */
#define ASL_HASH_MAX 64

/*
 * The algorithm called name, spelled as AWS spells it ("MD5", "SHA-1",
 * "SHA-256", "SHA-384", "SHA-512"; exact case), or -1 for any other name.
 */
int	asl_hash_lookup(const char *name);

/* The names asl_hash_lookup knows, for messages: "MD5, SHA-1, ...". */
const char *asl_hash_names(void);

/*
 * The digest of the len bytes at data, into out (room for ASL_HASH_MAX
 * bytes).  Returns the digest's length in bytes.
 */
size_t	asl_hash(enum asl_hash_alg alg, const void *data, size_t len,
	    unsigned char *out);

/*
 * The digest as lowercase hexadecimal, NUL-terminated, into hex (room for
 * 2 * ASL_HASH_MAX + 1 bytes).  Returns the number of hex digits.
 */
size_t	asl_hash_hex(enum asl_hash_alg alg, const void *data, size_t len,
	    char *hex);

#endif /* !ASL_HASH_H */
