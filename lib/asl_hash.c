/*
 * asl_hash.c - MD5 (RFC 1321), SHA-1, SHA-256, SHA-384 and SHA-512
 * (FIPS 180-4), one-shot over a buffer.
 *
 * All five pad the same way (a 1 bit, zeros, the length in bits at the end
 * of the last block), so one driver feeds whole blocks to a compression
 * function per algorithm and builds the last one or two blocks itself.
 */
#include <stdint.h>
#include <string.h>

#include "asl_hash.h"

#define ROL32(x, n)	(((x) << (n)) | ((x) >> (32 - (n))))
#define ROR32(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))
#define ROR64(x, n)	(((x) >> (n)) | ((x) << (64 - (n))))

union state {
	uint32_t	w32[8];
	uint64_t	w64[8];
};

static uint32_t
get32be(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
get32le(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static uint64_t
get64be(const unsigned char *p)
{
	return (uint64_t)get32be(p) << 32 | get32be(p + 4);
}

/* MD5 */

static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
	0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
	0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
	0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
	0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391
};

static const unsigned char md5_r[64] = {
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
	6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21
};

static void
md5_block(union state *st, const unsigned char *blk)
{
	uint32_t m[16], a, b, c, d, f, t;
	int i, g;

	for (i = 0; i < 16; i++)
		m[i] = get32le(blk + 4 * i);
	a = st->w32[0];
	b = st->w32[1];
	c = st->w32[2];
	d = st->w32[3];
	for (i = 0; i < 64; i++) {
		if (i < 16) {
			f = (b & c) | (~b & d);
			g = i;
		} else if (i < 32) {
			f = (d & b) | (~d & c);
			g = (5 * i + 1) % 16;
		} else if (i < 48) {
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
		} else {
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
		}
		t = d;
		d = c;
		c = b;
		b = b + ROL32(a + f + md5_k[i] + m[g], md5_r[i]);
		a = t;
	}
	st->w32[0] += a;
	st->w32[1] += b;
	st->w32[2] += c;
	st->w32[3] += d;
}

/* SHA-1 */

static void
sha1_block(union state *st, const unsigned char *blk)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = get32be(blk + 4 * i);
	for (; i < 80; i++)
		w[i] = ROL32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = st->w32[0];
	b = st->w32[1];
	c = st->w32[2];
	d = st->w32[3];
	e = st->w32[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = ROL32(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = ROL32(b, 30);
		b = a;
		a = t;
	}
	st->w32[0] += a;
	st->w32[1] += b;
	st->w32[2] += c;
	st->w32[3] += d;
	st->w32[4] += e;
}

/* SHA-256 */

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static void
sha256_block(union state *st, const unsigned char *blk)
{
	uint32_t w[64], v[8], s0, s1, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = get32be(blk + 4 * i);
	for (; i < 64; i++) {
		s0 = ROR32(w[i - 15], 7) ^ ROR32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		s1 = ROR32(w[i - 2], 17) ^ ROR32(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, st->w32, sizeof v);
	for (i = 0; i < 64; i++) {
		s1 = ROR32(v[4], 6) ^ ROR32(v[4], 11) ^ ROR32(v[4], 25);
		t1 = v[7] + s1 + ((v[4] & v[5]) ^ (~v[4] & v[6])) +
		    sha256_k[i] + w[i];
		s0 = ROR32(v[0], 2) ^ ROR32(v[0], 13) ^ ROR32(v[0], 22);
		t2 = s0 + ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof v[0]);
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		st->w32[i] += v[i];
}

/* SHA-512 and SHA-384 */

static const uint64_t sha512_k[80] = {
	0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f,
	0xe9b5dba58189dbbc, 0x3956c25bf348b538, 0x59f111f1b605d019,
	0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242,
	0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
	0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
	0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3,
	0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65, 0x2de92c6f592b0275,
	0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
	0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f,
	0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
	0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc,
	0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
	0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6,
	0x92722c851482353b, 0xa2bfe8a14cf10364, 0xa81a664bbc423001,
	0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
	0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
	0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99,
	0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb,
	0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc,
	0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
	0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915,
	0xc67178f2e372532b, 0xca273eceea26619c, 0xd186b8c721c0c207,
	0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba,
	0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
	0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
	0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a,
	0x5fcb6fab3ad6faec, 0x6c44198c4a475817
};

static void
sha512_block(union state *st, const unsigned char *blk)
{
	uint64_t w[80], v[8], s0, s1, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = get64be(blk + 8 * i);
	for (; i < 80; i++) {
		s0 = ROR64(w[i - 15], 1) ^ ROR64(w[i - 15], 8) ^ (w[i - 15] >> 7);
		s1 = ROR64(w[i - 2], 19) ^ ROR64(w[i - 2], 61) ^ (w[i - 2] >> 6);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, st->w64, sizeof v);
	for (i = 0; i < 80; i++) {
		s1 = ROR64(v[4], 14) ^ ROR64(v[4], 18) ^ ROR64(v[4], 41);
		t1 = v[7] + s1 + ((v[4] & v[5]) ^ (~v[4] & v[6])) +
		    sha512_k[i] + w[i];
		s0 = ROR64(v[0], 28) ^ ROR64(v[0], 34) ^ ROR64(v[0], 39);
		t2 = s0 + ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof v[0]);
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		st->w64[i] += v[i];
}

/* The algorithms: name, sizes, initial state, compression function. */

static const struct alg {
	const char	*name;
	size_t		 block;		/* block size in bytes */
	size_t		 digest;	/* digest size in bytes */
	int		 wide;		/* 64-bit words (SHA-512 and SHA-384) */
	int		 little;	/* little-endian words and length (MD5) */
	void		(*compress)(union state *, const unsigned char *);
	uint64_t	 init[8];
} algs[] = {
	[ASL_HASH_MD5] = { "MD5", 64, 16, 0, 1, md5_block,
	    { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 } },
	[ASL_HASH_SHA1] = { "SHA-1", 64, 20, 0, 0, sha1_block,
	    { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 } },
	[ASL_HASH_SHA256] = { "SHA-256", 64, 32, 0, 0, sha256_block,
	    { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f,
	    0x9b05688c, 0x1f83d9ab, 0x5be0cd19 } },
	[ASL_HASH_SHA384] = { "SHA-384", 128, 48, 1, 0, sha512_block,
	    { 0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17,
	    0x152fecd8f70e5939, 0x67332667ffc00b31, 0x8eb44a8768581511,
	    0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4 } },
	[ASL_HASH_SHA512] = { "SHA-512", 128, 64, 1, 0, sha512_block,
	    { 0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
	    0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
	    0x1f83d9abfb41bd6b, 0x5be0cd19137e2179 } }
};

#define NALGS	(sizeof algs / sizeof algs[0])

int
asl_hash_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NALGS; i++)
		if (strcmp(name, algs[i].name) == 0)
			return (int)i;
	return -1;
}

const char *
asl_hash_names(void)
{
	return "MD5, SHA-1, SHA-256, SHA-384, SHA-512";
}

size_t
asl_hash(enum asl_hash_alg which, const void *data, size_t len,
    unsigned char *out)
{
	const struct alg *a = &algs[which];
	const unsigned char *p = data;
	unsigned char last[256];
	union state st;
	uint64_t bits;
	size_t i, rest, tail;

	for (i = 0; i < 8; i++) {
		if (a->wide)
			st.w64[i] = a->init[i];
		else
			st.w32[i] = (uint32_t)a->init[i];
	}
	for (i = 0; i + a->block <= len; i += a->block)
		a->compress(&st, p + i);

	/* The rest, a 1 bit, zeros, and the length in bits: 1 or 2 blocks. */
	rest = len - i;
	memset(last, 0, sizeof last);
	memcpy(last, p + i, rest);
	last[rest] = 0x80;
	tail = rest + 1 + (a->wide ? 16 : 8) <= a->block ? a->block :
	    2 * a->block;
	bits = (uint64_t)len << 3;
	for (i = 0; i < 8; i++) {
		if (a->little)
			last[tail - 8 + i] = (unsigned char)(bits >> (8 * i));
		else
			last[tail - 1 - i] = (unsigned char)(bits >> (8 * i));
	}
	if (a->wide)	/* the high half of SHA-512's 128-bit length */
		last[tail - 9] = (unsigned char)((uint64_t)len >> 61);
	for (i = 0; i < tail; i += a->block)
		a->compress(&st, last + i);

	for (i = 0; i < a->digest; i++) {
		if (a->wide)
			out[i] = (unsigned char)(st.w64[i / 8] >>
			    (56 - 8 * (i % 8)));
		else if (a->little)
			out[i] = (unsigned char)(st.w32[i / 4] >> (8 * (i % 4)));
		else
			out[i] = (unsigned char)(st.w32[i / 4] >>
			    (24 - 8 * (i % 4)));
	}
	return a->digest;
}

size_t
asl_hash_hex(enum asl_hash_alg which, const void *data, size_t len,
    char *hex)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[ASL_HASH_MAX];
	size_t i, n;

	n = asl_hash(which, data, len, md);
	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0xf];
	}
	hex[2 * n] = '\0';
	return 2 * n;
}
