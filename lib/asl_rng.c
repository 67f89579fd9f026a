/*
 * asl_rng.c - xoshiro256** seeded through splitmix64.
 *
 * Both algorithms are public domain (https://prng.di.unimi.it/); they are
 * written out here from their published definitions.
 */

#include "asl.h"
#include "asl_rng.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z;

	z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
asl_rng_seed(struct asl_rng *r, uint64_t seed)
{
	int i;

	/* splitmix64 never yields four zero words, the one bad xoshiro state */
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

int
asl_rng_seed_os(struct asl_rng *r)
{
	uint64_t seed;

	if (asl_random_bytes(&seed, sizeof(seed)) == -1)
		return -1;
	asl_rng_seed(r, seed);
	return 0;
}

uint64_t
asl_rng_next(struct asl_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result, t;

	result = rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t
asl_rng_below(struct asl_rng *r, uint64_t n)
{
	uint64_t x, threshold;

	if (n == 0)
		return 0;
	/*
	 * Reject the draws below 2^64 mod n, so that every residue is hit by
	 * the same number of 64-bit values.
	 */
	threshold = (0 - n) % n;
	do
		x = asl_rng_next(r);
	while (x < threshold);
	return x % n;
}

double
asl_rng_double(struct asl_rng *r)
{
	return (double)(asl_rng_next(r) >> 11) * 0x1.0p-53;
}
