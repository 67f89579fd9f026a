/*
 * asl_jsonata_time.c - $fromMillis, $toMillis and $now: ISO 8601 in
 * and out, and the XPath picture strings of JSONata for the usual
 * components ([Y] [M] [D] [d] [F] [H] [h] [P] [m] [s] [f] [Z] [z] with
 * digit, name and ordinal presentations).  Parsing with a picture
 * understands numeric components only.  Times are UTC unless a timezone
 * "+HHMM" is given, as on AWS, whose hosts run in UTC.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asl_jsonata_int.h"

static const char *months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};
static const char *days[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"
};

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long
days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, long *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y += *m <= 2;
}

struct tm_parts {
	long	 year;
	int	 mon, mday, yday, wday, hour, min, sec, ms;
	int	 off;		/* minutes east of UTC */
};

static void
split_time(double ms, int off, struct tm_parts *t)
{
	double local = ms + off * 60000.0;
	long days = (long)floor(local / 86400000.0);
	long rem = (long)(local - (double)days * 86400000.0);

	civil_from_days(days, &t->year, &t->mon, &t->mday);
	t->yday = (int)(days - days_from_civil(t->year, 1, 1)) + 1;
	t->wday = (int)(((days % 7) + 7 + 3) % 7);	/* 0: Monday */
	t->hour = (int)(rem / 3600000);
	t->min = (int)(rem / 60000 % 60);
	t->sec = (int)(rem / 1000 % 60);
	t->ms = (int)(rem % 1000);
	t->off = off;
}

/* "+HHMM" / "-HHMM" to minutes; -1 on a bad zone. */
static int
parse_tz(const char *s, int *off)
{
	int sign, h, m;

	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 5)
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if (!isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	*off = sign * (h * 60 + m);
	return 0;
}

static jv
ordinal(jv out, long v)
{
	const char *suf = "th";

	if (v % 100 < 11 || v % 100 > 13) {
		switch (v % 10) {
		case 1: suf = "st"; break;
		case 2: suf = "nd"; break;
		case 3: suf = "rd"; break;
		}
	}
	return jv_string_append_str(jv_string_concat(out,
	    jv_string_fmt("%ld", v)), suf);
}

static jv
roman(jv out, long v, int lower)
{
	static const struct {
		int	 v;
		const char *s;
	} r[] = {
		{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
		{90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"},
		{5, "v"}, {4, "iv"}, {1, "i"}
	};
	char buf[64];
	int i, k = 0, j;

	for (i = 0; i < 13 && k < 60; i++)
		while (v >= r[i].v && k < 60) {
			for (j = 0; r[i].s[j] != '\0'; j++)
				buf[k++] = lower ? r[i].s[j] :
				    (char)toupper((unsigned char)r[i].s[j]);
			v -= r[i].v;
		}
	buf[k] = '\0';
	return jv_string_append_str(out, buf);
}

static jv
name_case(jv out, const char *name, const char *pres, int maxw)
{
	char buf[32];
	int i, k = (int)strlen(name);

	if (maxw > 0 && maxw < k)
		k = maxw;
	for (i = 0; i < k && i < 31; i++) {
		if (strcmp(pres, "N") == 0)
			buf[i] = (char)toupper((unsigned char)name[i]);
		else if (strcmp(pres, "n") == 0)
			buf[i] = (char)tolower((unsigned char)name[i]);
		else
			buf[i] = name[i];
	}
	buf[i] = '\0';
	return jv_string_append_str(out, buf);
}

/* One [component] marker, text between the brackets in m. */
static V
component(jv *out, char *m, struct tm_parts *t)
{
	char c, pres[64] = "", *w, *p;
	int minw = 0, maxw = 0, digits, ord = 0, i;
	long v = 0;
	const char *dflt = "1";

	/* whitespace inside markers is insignificant */
	for (p = w = m; *p != '\0'; p++)
		if (!isspace((unsigned char)*p))
			*w++ = *p;
	*w = '\0';
	c = m[0];
	if ((w = strchr(m + 1, ',')) != NULL) {
		*w++ = '\0';
		minw = atoi(w[0] == '*' ? "0" : w);
		if ((p = strchr(w, '-')) != NULL)
			maxw = p[1] == '*' ? 0 : atoi(p + 1);
		else
			maxw = minw;
	}
	snprintf(pres, sizeof(pres), "%s", m + 1);
	if (pres[0] != '\0' && pres[strlen(pres) - 1] == 'o' &&
	    strlen(pres) > 0 && pres[0] != 'o') {
		ord = 1;
		pres[strlen(pres) - 1] = '\0';
	}
	if (pres[0] != '\0' && pres[strlen(pres) - 1] == 't')
		pres[strlen(pres) - 1] = '\0';
	switch (c) {
	case 'Y': v = t->year; break;
	case 'M': v = t->mon; break;
	case 'D': v = t->mday; break;
	case 'd': v = t->yday; break;
	case 'F': v = t->wday + 1; dflt = "n"; break;
	case 'H': v = t->hour; break;
	case 'h': v = t->hour % 12 == 0 ? 12 : t->hour % 12; break;
	case 'P': dflt = "n"; break;
	case 'm': v = t->min; dflt = "01"; break;
	case 's': v = t->sec; dflt = "01"; break;
	case 'f': v = t->ms; dflt = "001"; break;
	case 'Z': case 'z': dflt = "01:01"; break;
	case 'X': case 'x': case 'W': case 'w': case 'C': case 'E': break;
	default:
		return jn_err("D3132", JV_OBJECT(jv_string("value"),
		    jv_string_fmt("%c", c)));
	}
	if (pres[0] == '\0')
		snprintf(pres, sizeof(pres), "%s", dflt);
	if (c == 'P') {
		const char *ap = t->hour < 12 ? "am" : "pm";

		*out = name_case(*out, ap, pres, 0);
		return VU();
	}
	if (c == 'Z' || c == 'z') {
		int off = t->off, a = abs(off);
		char buf[32];

		if (strchr(m + 1, 't') != NULL && off == 0) {
			*out = jv_string_append_str(*out, "Z");
			return VU();
		}
		if (c == 'z')
			*out = jv_string_append_str(*out, "GMT");
		if (strchr(pres, ':') != NULL || c == 'z')
			snprintf(buf, sizeof(buf), "%c%02d:%02d",
			    off < 0 ? '-' : '+', a / 60, a % 60);
		else if (strlen(pres) <= 2)
			snprintf(buf, sizeof(buf), "%c%0*d", off < 0 ? '-' : '+',
			    (int)strlen(pres), a / 60);
		else
			snprintf(buf, sizeof(buf), "%c%02d%02d",
			    off < 0 ? '-' : '+', a / 60, a % 60);
		*out = jv_string_append_str(*out, buf);
		return VU();
	}
	if (pres[0] == 'N' || pres[0] == 'n') {
		if (c == 'M')
			*out = name_case(*out, months[v - 1], pres, maxw);
		else if (c == 'F')
			*out = name_case(*out, days[v - 1], pres, maxw);
		else
			return jn_err("D3133", JV_OBJECT(jv_string("value"),
			    jv_string_fmt("%c", c)));
		return VU();
	}
	if (pres[0] == 'I' || pres[0] == 'i') {
		*out = roman(*out, v, pres[0] == 'i');
		return VU();
	}
	if (ord) {
		*out = ordinal(*out, v);
		return VU();
	}
	for (digits = 0, i = 0; pres[i] != '\0'; i++)
		if (isdigit((unsigned char)pres[i]) || pres[i] == '#')
			digits++;
	if (digits == 0)
		digits = 1;
	if (minw > digits)
		digits = minw;
	if (c == 'f') {
		/* fractional seconds: leading digits of the milliseconds */
		char fb[16];

		snprintf(fb, sizeof(fb), "%03d", t->ms);
		if (digits < 3) {
			fb[digits] = '\0';
			*out = jv_string_append_str(*out, fb);
		} else {
			*out = jv_string_append_str(*out, fb);
			for (i = 3; i < digits; i++)
				*out = jv_string_append_str(*out, "0");
		}
		return VU();
	}
	if (c == 'Y' && (maxw == 2 || (digits == 2 && strcmp(pres, "01") !=
	    0 && strlen(pres) == 2)))
		v %= 100;
	*out = jv_string_concat(*out, jv_string_fmt("%0*ld", digits, v));
	return VU();
}

V
jn_from_millis(double ms, jv picture, jv tz)
{
	struct tm_parts t;
	int off = 0;
	const char *p;
	char m[64];
	size_t k;
	jv out;
	V r;

	if (jv_get_kind(tz) == JV_KIND_STRING &&
	    parse_tz(jv_string_value(tz), &off) != 0)
		off = 0;
	split_time(ms, off, &t);
	if (jv_get_kind(picture) != JV_KIND_STRING) {
		char buf[64];

		if (off == 0)
			snprintf(buf, sizeof(buf),
			    "%04ld-%02d-%02dT%02d:%02d:%02d.%03dZ", t.year,
			    t.mon, t.mday, t.hour, t.min, t.sec, t.ms);
		else
			snprintf(buf, sizeof(buf),
			    "%04ld-%02d-%02dT%02d:%02d:%02d.%03d%c%02d:%02d",
			    t.year, t.mon, t.mday, t.hour, t.min, t.sec, t.ms,
			    off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
		return VJ(jv_string(buf));
	}
	out = jv_string("");
	for (p = jv_string_value(picture); *p != '\0';) {
		if (p[0] == '[' && p[1] == '[') {
			out = jv_string_append_str(out, "[");
			p += 2;
		} else if (p[0] == ']' && p[1] == ']') {
			out = jv_string_append_str(out, "]");
			p += 2;
		} else if (p[0] == '[') {
			const char *e = strchr(p, ']');

			if (e == NULL) {
				jv_free(out);
				return jn_err("D3135", jv_object());
			}
			k = (size_t)(e - p - 1);
			if (k >= sizeof(m))
				k = sizeof(m) - 1;
			memcpy(m, p + 1, k);
			m[k] = '\0';
			r = component(&out, m, &t);
			if (v_err(r)) {
				jv_free(out);
				return r;
			}
			p = e + 1;
		} else
			out = jv_string_append_buf(out, p++, 1);
	}
	return VJ(out);
}

static int
digits_at(const char **s, int min, int max, long *v)
{
	int k = 0;

	*v = 0;
	while (k < max && isdigit((unsigned char)(*s)[k])) {
		*v = *v * 10 + ((*s)[k] - '0');
		k++;
	}
	if (k < min)
		return -1;
	*s += k;
	return 0;
}

/* ISO 8601 as jsonata-js's toMillis accepts it; NAN if not. */
static double
iso_parse(const char *s)
{
	long y, mo = 1, d = 1, h = 0, mi = 0, se = 0, v;
	double frac = 0, scale = 0.1;
	int off = 0, sign;

	if (digits_at(&s, 4, 4, &y) != 0)
		return NAN;
	if (*s == '-') {
		s++;
		if (digits_at(&s, 2, 2, &mo) != 0)
			return NAN;
		if (*s == '-') {
			s++;
			if (digits_at(&s, 2, 2, &d) != 0)
				return NAN;
		}
	}
	if (*s == 'T') {
		s++;
		if (digits_at(&s, 2, 2, &h) != 0 || *s++ != ':' ||
		    digits_at(&s, 2, 2, &mi) != 0)
			return NAN;
		if (*s == ':') {
			s++;
			if (digits_at(&s, 2, 2, &se) != 0)
				return NAN;
		}
		if (*s == '.') {
			s++;
			if (!isdigit((unsigned char)*s))
				return NAN;
			while (isdigit((unsigned char)*s)) {
				frac += (*s++ - '0') * scale;
				scale /= 10;
			}
		}
	}
	if (*s == 'Z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (digits_at(&s, 2, 2, &v) != 0)
			return NAN;
		off = (int)v * 60;
		if (*s == ':')
			s++;
		if (digits_at(&s, 2, 2, &v) != 0)
			return NAN;
		off = sign * (off + (int)v);
	}
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 ||
	    mi > 59 || se > 60)
		return NAN;
	return ((double)days_from_civil(y, (int)mo, (int)d) * 86400.0 +
	    h * 3600.0 + mi * 60.0 + se - off * 60.0) * 1000.0 +
	    floor(frac * 1000.0 + 0.5);
}

/* Parse with a picture of numeric components and literal text. */
static V
picture_parse(const char *s, const char *pic)
{
	long y = 1970, mo = 1, d = 1, h = 0, mi = 0, se = 0, ms = 0, v;
	int off = 0, have = 0, k, pm = -1, sign;
	const char *e;
	char c;

	while (*pic != '\0') {
		if (pic[0] == '[' && pic[1] != '[') {
			e = strchr(pic, ']');
			if (e == NULL)
				return jn_err("D3135", jv_object());
			c = pic[1];
			k = 2;
			{
				int w = 0;
				const char *q;

				for (q = pic + 2; q < e; q++)
					if (isdigit((unsigned char)*q))
						w++;
				if (w > 1)
					k = w;
			}
			switch (c) {
			case 'Y':
				if (digits_at(&s, 1, 4, &y) != 0)
					goto bad;
				have |= 1;
				break;
			case 'M':
				if (digits_at(&s, 1, 2, &mo) != 0)
					goto bad;
				have |= 2;
				break;
			case 'D':
				if (digits_at(&s, 1, 2, &d) != 0)
					goto bad;
				have |= 4;
				break;
			case 'H':
			case 'h':
				if (digits_at(&s, 1, 2, &h) != 0)
					goto bad;
				break;
			case 'm':
				if (digits_at(&s, 1, 2, &mi) != 0)
					goto bad;
				break;
			case 's':
				if (digits_at(&s, 1, 2, &se) != 0)
					goto bad;
				break;
			case 'f':
				if (digits_at(&s, 1, 9, &ms) != 0)
					goto bad;
				break;
			case 'P':
				if (strncasecmp(s, "am", 2) == 0)
					pm = 0;
				else if (strncasecmp(s, "pm", 2) == 0)
					pm = 1;
				else
					goto bad;
				s += 2;
				break;
			case 'Z':
				if (*s == 'Z') {
					s++;
					break;
				}
				sign = *s == '-' ? -1 : 1;
				if (*s != '+' && *s != '-')
					goto bad;
				s++;
				if (digits_at(&s, 2, 2, &v) != 0)
					goto bad;
				off = (int)v * 60;
				if (*s == ':')
					s++;
				if (digits_at(&s, 2, 2, &v) != 0)
					goto bad;
				off = sign * (off + (int)v);
				break;
			default:
				return jn_err("D3132", JV_OBJECT(
				    jv_string("value"),
				    jv_string_fmt("%c", c)));
			}
			(void)k;
			pic = e + 1;
			continue;
		}
		if ((pic[0] == '[' || pic[0] == ']') && pic[1] == pic[0])
			pic++;
		if (*s != *pic)
			goto bad;
		s++;
		pic++;
	}
	if (!(have & 1))
		return jn_err("D3136", jv_object());
	if (pm == 1 && h < 12)
		h += 12;
	if (pm == 0 && h == 12)
		h = 0;
	return VJ(jv_number(((double)days_from_civil(y, (int)mo, (int)d) *
	    86400.0 + h * 3600.0 + mi * 60.0 + se - off * 60.0) * 1000.0 +
	    ms));
bad:
	return VU();
}

V
jn_to_millis(jv str, jv picture)
{
	double ms;

	if (jv_get_kind(picture) == JV_KIND_STRING)
		return picture_parse(jv_string_value(str),
		    jv_string_value(picture));
	ms = iso_parse(jv_string_value(str));
	if (isnan(ms))
		return jn_err("D3110", JV_OBJECT(jv_string("value"),
		    jv_copy(str)));
	return VJ(jv_number(ms));
}
