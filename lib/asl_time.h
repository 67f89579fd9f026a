/*
 * asl_time.h - instants as ASL writes them: RFC 3339 timestamps in, epoch
 * seconds and nanoseconds inside, ISO 8601 UTC with milliseconds out.
 *
 * The profile is the one AWS accepts for Wait "Timestamp" and the Choice
 * Timestamp comparators: "YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)"
 * with an uppercase 'T' and 'Z'.  A fraction of any length is allowed (AWS
 * took "Z", ".00Z" and ".000000Z"); digits past the ninth are ignored.
 * No zone, a space or lowercase separator, month 13, hour 24 or second 60
 * are rejected, as AWS rejects them.
 *
 * Plain values, no allocation: nothing here takes or returns a jv.
 */
#ifndef ASL_TIME_H
#define ASL_TIME_H

#include <stdint.h>

struct asl_time {
	int64_t	sec;		/* seconds since 1970-01-01T00:00:00Z */
	int32_t	nsec;		/* 0 .. 999999999 */
};

/* Room for "YYYY-MM-DDThh:mm:ss.mmmZ" and a NUL, with a wide year. */
#define ASL_TIME_BUFSIZE 40

/* Parse an RFC 3339 timestamp; 0 on success, -1 if text is not one. */
int	asl_time_parse(const char *text, struct asl_time *t);

/* -1, 0 or 1 as a is before, at or after b. */
int	asl_time_cmp(struct asl_time a, struct asl_time b);

/*
 * Format t as AWS prints instants: "2024-01-01T00:00:00.000Z" (UTC,
 * milliseconds, truncated).  Returns buf.
 */
char	*asl_time_format(struct asl_time t, char buf[ASL_TIME_BUFSIZE]);

/* The current time from the system's real-time clock; 0 or -1. */
int	asl_time_now(struct asl_time *t);

#endif /* !ASL_TIME_H */
