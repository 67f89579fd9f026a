/*
 * asl_time.c - RFC 3339 timestamps to instants and back.
 *
 * Civil dates are converted with Howard Hinnant's days-from-civil
 * algorithm, so any year 0000-9999 works without timegm(3) or the TZ
 * environment.
 */
#include <stdio.h>
#include <time.h>

#include "asl_time.h"

static int
digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
asl_time_parse(const char *s, struct asl_time *t)
{
	int y, mo, d, h, mi, sec, oh, om, n;
	int32_t nsec = 0;
	int64_t off = 0;

	/* YYYY-MM-DDThh:mm:ss */
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || s[10] != 'T' ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 ||
	    mi > 59 || sec > 59)
		return -1;
	s += 19;
	if (*s == '.') {
		s++;
		for (n = 0; *s >= '0' && *s <= '9'; s++, n++)
			if (n < 9)
				nsec = nsec * 10 + (*s - '0');
		if (n == 0)
			return -1;
		for (; n < 9; n++)
			nsec *= 10;
	}
	if (*s == 'Z')
		s++;
	else if (*s == '+' || *s == '-') {
		if (digits(s + 1, 2, &oh) || s[3] != ':' || digits(s + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		off = (int64_t)(oh * 3600 + om * 60) * (*s == '-' ? -1 : 1);
		s += 6;
	} else
		return -1;
	if (*s != '\0')
		return -1;
	t->sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    off;
	t->nsec = nsec;
	return 0;
}

int
asl_time_cmp(struct asl_time a, struct asl_time b)
{
	if (a.sec != b.sec)
		return a.sec < b.sec ? -1 : 1;
	if (a.nsec != b.nsec)
		return a.nsec < b.nsec ? -1 : 1;
	return 0;
}

char *
asl_time_format(struct asl_time t, char buf[ASL_TIME_BUFSIZE])
{
	int64_t days = t.sec / 86400, rem = t.sec % 86400;
	int y, m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, ASL_TIME_BUFSIZE, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    y, m, d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
	    (int)(t.nsec / 1000000));
	return buf;
}

int
asl_time_now(struct asl_time *t)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return -1;
	t->sec = (int64_t)ts.tv_sec;
	t->nsec = (int32_t)ts.tv_nsec;
	return 0;
}
