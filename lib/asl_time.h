/*
 * asl_time.h - instants: RFC 3339 timestamps as ASL accepts them, and the
 * ISO-8601 UTC text AWS writes in context objects and histories.
 *
 * ASL's profile of RFC 3339 (Wait's Timestamp, Choice's Timestamp*
 * comparators): YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm) with an
 * uppercase T and Z, any number of fraction digits; no lowercase, no
 * space separator, no missing zone, fields in range (no leap second:
 * java.time, which AWS runs on, rejects second 60); fraction digits past
 * the ninth are ignored; offsets take hours 00-23 as RFC 3339's grammar.
 */
#ifndef ASL_TIME_H
#define ASL_TIME_H

#include <stddef.h>
#include <stdint.h>

struct asl_time {
	int64_t	sec;	/* seconds since 1970-01-01T00:00:00Z */
	long	nsec;	/* 0..999999999 */
};

/* Parse s; 0 on success, -1 if it is not such a timestamp. */
int	asl_time_parse(const char *s, struct asl_time *t);

/* -1, 0 or 1 as a is before, at or after b. */
int	asl_time_cmp(struct asl_time a, struct asl_time b);

/* Seconds from a to b (b - a), as a double. */
double	asl_time_diff(struct asl_time a, struct asl_time b);

/* t plus seconds (which may be fractional or negative). */
struct asl_time asl_time_add(struct asl_time t, double seconds);

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), and back. */
int64_t	asl_time_days_from_civil(int64_t y, int m, int d);
void	asl_time_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/*
 * "2024-01-01T00:00:00.123Z": UTC with milliseconds, into buf (at least
 * ASL_TIME_BUFSIZE bytes).  Returns buf.
 */
#define ASL_TIME_BUFSIZE 40
char	*asl_time_format(struct asl_time t, char *buf, size_t len);

/*
 * The clock.  Normally the system's real time.  With ASL_CLOCK set in the
 * environment (to an RFC 3339 timestamp, or "test" for
 * 2024-01-01T00:00:00Z) the clock is logical: it starts there, advances
 * only through asl_time_advance (a Wait that "sleeps"), so timers fire at
 * once while histories keep consistent timestamps.
 */
struct asl_time asl_time_now(void);
int	asl_time_is_logical(void);
void	asl_time_advance(double seconds);

/* Seconds on the monotonic clock (real time, whatever the test clock). */
double	asl_time_monotonic(void);

#endif /* !ASL_TIME_H */
