/*
 * asl_rng.h - a small deterministic pseudo-random generator for the
 * engine's own draws: Retry's FULL jitter today, anything else that must
 * be repeatable from a seed tomorrow.
 *
 * xoshiro256** (Blackman and Vigna), its state filled from one 64-bit seed
 * by splitmix64, so the same seed gives the same sequence on every machine.
 * It is not a cryptographic generator: task tokens and other secrets take
 * their bits from the OS directly.
 *
 * A struct asl_rng is plain memory with no allocation and nothing to
 * release; seed it with asl_rng_seed or asl_rng_seed_os before the first
 * draw.  It is not shared between threads.
 */
#ifndef ASL_RNG_H
#define ASL_RNG_H

#include <stdint.h>

struct asl_rng {
	uint64_t	s[4];
};

/* Seed from a number: the same seed always gives the same draws. */
void	asl_rng_seed(struct asl_rng *, uint64_t seed);

/*
 * Seed from the OS random source (getrandom(2), else /dev/urandom).
 * Returns 0, or -1 with errno set when neither can be read.
 */
int	asl_rng_seed_os(struct asl_rng *);

/* The next 64 random bits. */
uint64_t asl_rng_next(struct asl_rng *);

/* A uniform integer in [0, n), without modulo bias; 0 when n is 0. */
uint64_t asl_rng_below(struct asl_rng *, uint64_t n);

/* A uniform double in [0, 1), with 53 random bits. */
double	asl_rng_double(struct asl_rng *);

#endif /* !ASL_RNG_H */
