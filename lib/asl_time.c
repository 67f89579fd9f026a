/*
 * asl_time.c - RFC 3339 timestamps and the (real or logical) clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Howard Hinnant's algorithms, both ways. */
int64_t
asl_time_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
asl_time_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int
asl_time_parse(const char *s, struct asl_time *t)
{
	int y, mo, d, h, mi, sec, oh, om, sign;
	long nsec = 0, scale = 100000000;
	const char *p;

	if (strlen(s) < 20)
		return -1;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || s[10] != 'T' ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 59)
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++) {
			nsec += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p == 'Z') {
		oh = om = 0;
		sign = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		p += 6;
	} else
		return -1;
	if (*p != '\0')
		return -1;
	t->sec = asl_time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60);
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

double
asl_time_diff(struct asl_time a, struct asl_time b)
{
	return (double)(b.sec - a.sec) + (double)(b.nsec - a.nsec) / 1e9;
}

struct asl_time
asl_time_add(struct asl_time t, double seconds)
{
	double whole = (double)(int64_t)seconds;
	long ns = (long)((seconds - whole) * 1e9);

	t.sec += (int64_t)whole;
	t.nsec += ns;
	while (t.nsec >= 1000000000L) {
		t.nsec -= 1000000000L;
		t.sec++;
	}
	while (t.nsec < 0) {
		t.nsec += 1000000000L;
		t.sec--;
	}
	return t;
}

/* Two digits of v at p. */
static void
two(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/*
 * Written out, not with gmtime_r and snprintf: a history has a timestamp
 * on every event, and a Standard execution spent an eighth of its time
 * here.
 */
char *
asl_time_format(struct asl_time t, char *buf, size_t len)
{
	/* the last one written: a history has many events a millisecond */
	static int64_t last_sec = -1;
	static long last_ms = -1;
	static char last[25];
	int64_t days, secs, y;
	time_t tt = (time_t)t.sec;
	struct tm tm;
	long ms = t.nsec / 1000000;
	int m, d;

	if (len >= 25 && t.sec == last_sec && ms == last_ms) {
		memcpy(buf, last, 25);
		return buf;
	}

	days = t.sec >= 0 ? t.sec / 86400 : -((-t.sec + 86399) / 86400);
	secs = t.sec - days * 86400;
	asl_time_civil_from_days(days, &y, &m, &d);
	if (len < 25 || y < 0 || y > 9999 || ms < 0 || ms > 999) {
		gmtime_r(&tt, &tm);
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ms);
		return buf;
	}
	two(buf, (int)(y / 100));
	two(buf + 2, (int)(y % 100));
	buf[4] = '-';
	two(buf + 5, m);
	buf[7] = '-';
	two(buf + 8, d);
	buf[10] = 'T';
	two(buf + 11, (int)(secs / 3600));
	buf[13] = ':';
	two(buf + 14, (int)(secs / 60 % 60));
	buf[16] = ':';
	two(buf + 17, (int)(secs % 60));
	buf[19] = '.';
	buf[20] = (char)('0' + ms / 100);
	two(buf + 21, (int)(ms % 100));
	memcpy(buf + 23, "Z", 2);
	memcpy(last, buf, 25);
	last_sec = t.sec;
	last_ms = ms;
	return buf;
}

/* The clock. */

static int clock_init, clock_logical;
static struct asl_time logical_now;

static void
init_clock(void)
{
	const char *env = getenv("ASL_CLOCK");

	clock_init = 1;
	if (env == NULL || *env == '\0')
		return;
	clock_logical = 1;
	if (strcmp(env, "test") == 0 || asl_time_parse(env, &logical_now) == -1)
		asl_time_parse("2024-01-01T00:00:00Z", &logical_now);
}

struct asl_time
asl_time_now(void)
{
	struct timespec ts;
	struct asl_time t;

	if (!clock_init)
		init_clock();
	if (clock_logical)
		return logical_now;
	clock_gettime(CLOCK_REALTIME, &ts);
	t.sec = ts.tv_sec;
	t.nsec = ts.tv_nsec;
	return t;
}

int
asl_time_is_logical(void)
{
	if (!clock_init)
		init_clock();
	return clock_logical;
}

void
asl_time_advance(double seconds)
{
	if (!clock_init)
		init_clock();
	if (clock_logical && seconds > 0)
		logical_now = asl_time_add(logical_now, seconds);
}

double
asl_time_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
