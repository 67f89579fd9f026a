/*
 * jn_time.c - $fromMillis, $toMillis and $now: ISO 8601 in
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

#include "jn.h"
#include "asl_time.h"

static const char *months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};
static const char *days[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"
};

/* Integer pictures ($formatInteger and date components), as jsonata-js. */

enum { F_DECIMAL, F_LETTERS, F_ROMAN, F_WORDS, F_SEQUENCE };
enum { C_LOWER, C_UPPER, C_TITLE };

struct ifmt {
	int	 primary, tcase, ordinal;
	unsigned zero;
	int	 mandatory, optional;
	int	 regular, rpos;
	unsigned rchar;
	int	 nseps;
	struct {
		int	 pos;
		unsigned ch;
	} seps[32];
};

static const unsigned decimal_groups[] = {
	0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66,
	0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20,
	0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
	0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
	0xA9F0, 0xAA50, 0xABF0, 0xFF10
};

static unsigned
u8dec(const char *s, size_t n, size_t *i)
{
	unsigned char c = (unsigned char)s[*i];
	unsigned cp;
	int k, more;

	more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	cp = more ? c & (0x3F >> more) : c;
	(*i)++;
	for (k = 0; k < more && *i < n; k++, (*i)++)
		cp = (cp << 6) | ((unsigned char)s[*i] & 0x3F);
	return cp;
}

static jv
u8add(jv s, unsigned cp)
{
	char b[4];
	int k;

	if (cp < 0x80) {
		b[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		k = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		k = 4;
	}
	return jv_string_append_buf(s, b, k);
}

static int
gcd(int a, int b)
{
	return b == 0 ? a : gcd(b, a % b);
}

/* jsonata-js's analyseIntegerPicture; -1 with *code on an error. */
static int
analyse_integer(const char *pic, struct ifmt *f, const char **code)
{
	char prim[128];
	const char *semi = strrchr(pic, ';');
	unsigned cps[128], cp;
	size_t i = 0, n;
	int ncp = 0, k, g, digit, sep = 0, factor, found, idx;

	memset(f, 0, sizeof(*f));
	f->zero = 0x30;
	snprintf(prim, sizeof(prim), "%.*s", semi ? (int)(semi - pic) :
	    (int)strlen(pic), pic);
	if (semi != NULL && semi[1] == 'o')
		f->ordinal = 1;
	if (strcmp(prim, "A") == 0 || strcmp(prim, "a") == 0) {
		f->primary = F_LETTERS;
		f->tcase = prim[0] == 'A' ? C_UPPER : C_LOWER;
		return 0;
	}
	if (strcmp(prim, "I") == 0 || strcmp(prim, "i") == 0) {
		f->primary = F_ROMAN;
		f->tcase = prim[0] == 'I' ? C_UPPER : C_LOWER;
		return 0;
	}
	if (strcmp(prim, "W") == 0 || strcmp(prim, "Ww") == 0 ||
	    strcmp(prim, "w") == 0) {
		f->primary = F_WORDS;
		f->tcase = strcmp(prim, "W") == 0 ? C_UPPER :
		    strcmp(prim, "Ww") == 0 ? C_TITLE : C_LOWER;
		return 0;
	}
	n = strlen(prim);
	while (i < n && ncp < 128)
		cps[ncp++] = u8dec(prim, n, &i);
	found = 0;
	for (k = ncp - 1; k >= 0; k--) {	/* from the right */
		cp = cps[k];
		digit = 0;
		for (g = 0; g < (int)(sizeof(decimal_groups) /
		    sizeof(decimal_groups[0])); g++) {
			if (cp >= decimal_groups[g] &&
			    cp <= decimal_groups[g] + 9) {
				digit = 1;
				f->mandatory++;
				sep++;
				if (!found) {
					f->zero = decimal_groups[g];
					found = 1;
				} else if (decimal_groups[g] != f->zero) {
					*code = "D3131";
					return -1;
				}
				break;
			}
		}
		if (digit)
			continue;
		if (cp == '#') {
			sep++;
			f->optional++;
		} else if (f->nseps < 32) {
			f->seps[f->nseps].pos = sep;
			f->seps[f->nseps].ch = cp;
			f->nseps++;
		}
	}
	if (f->mandatory == 0) {
		f->primary = F_SEQUENCE;
		*code = "D3130";
		return -1;
	}
	f->primary = F_DECIMAL;
	/* regular grouping: one character at every multiple of a gcd */
	if (f->nseps > 0) {
		factor = f->seps[0].pos;
		f->regular = 1;
		for (k = 1; k < f->nseps; k++) {
			if (f->seps[k].ch != f->seps[0].ch)
				f->regular = 0;
			factor = gcd(factor, f->seps[k].pos);
		}
		for (idx = 1; f->regular && idx <= f->nseps; idx++) {
			for (found = 0, k = 0; k < f->nseps; k++)
				if (f->seps[k].pos == idx * factor)
					found = 1;
			if (!found)
				f->regular = 0;
		}
		if (factor == 0)
			f->regular = 0;
		if (f->regular) {
			f->rpos = factor;
			f->rchar = f->seps[0].ch;
		}
	}
	return 0;
}

static const char *few[] = {
	"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight",
	"Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen",
	"Sixteen", "Seventeen", "Eighteen", "Nineteen"
};
static const char *ordinals[] = {
	"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth",
	"Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth",
	"Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth",
	"Eighteenth", "Nineteenth"
};
static const char *decades[] = {
	"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty",
	"Ninety", "Hundred"
};
static const char *magnitudes[] = {
	"Thousand", "Million", "Billion", "Trillion"
};

/* jsonata-js's numberToWords */
static jv
words(double num, int prev, int ord)
{
	jv w, t;
	double mant, rem, factor;
	int tens, r, mag, len;

	if (num <= 19)
		return jv_string_fmt("%s%s", prev ? " and " : "",
		    ord ? ordinals[(int)num] : few[(int)num]);
	if (num < 100) {
		tens = (int)floor(num / 10);
		r = (int)fmod(num, 10);
		w = jv_string_fmt("%s%s", prev ? " and " : "",
		    decades[tens - 2]);
		if (r > 0) {
			w = jv_string_append_str(w, "-");
			w = jv_string_concat(w, words(r, 0, ord));
		} else if (ord) {
			len = jv_string_length_bytes(jv_copy(w));
			t = jv_string_fmt("%.*sieth", len - 1,
			    jv_string_value(w));
			jv_free(w);
			w = t;
		}
		return w;
	}
	if (num < 1000) {
		rem = fmod(num, 100);
		w = jv_string_fmt("%s%s Hundred", prev ? ", " : "",
		    few[(int)floor(num / 100)]);
		if (rem > 0)
			w = jv_string_concat(w, words(rem, 1, ord));
		else if (ord)
			w = jv_string_append_str(w, "th");
		return w;
	}
	mag = (int)floor(log10(num) / 3);
	if (mag > 4)
		mag = 4;
	factor = pow(10, mag * 3);
	mant = floor(num / factor);
	rem = num - mant * factor;
	w = jv_string(prev ? ", " : "");
	w = jv_string_concat(w, words(mant, 0, 0));
	w = jv_string_append_str(w, " ");
	w = jv_string_append_str(w, magnitudes[mag - 1]);
	if (rem > 0)
		w = jv_string_concat(w, words(rem, 1, ord));
	else if (ord)
		w = jv_string_append_str(w, "th");
	return w;
}

static jv
recase_ascii(jv s, int tcase)
{
	char *b = strdup(jv_string_value(s));
	size_t i;
	jv r;

	if (b == NULL)
		abort();
	for (i = 0; b[i] != '\0'; i++)
		b[i] = (char)(tcase == C_UPPER ? toupper((unsigned char)b[i]) :
		    tolower((unsigned char)b[i]));
	r = jv_string(b);
	free(b);
	jv_free(s);
	return r;
}

/* jsonata-js's _formatInteger */
static jv
format_integer(double value, const struct ifmt *f)
{
	int neg = value < 0, k, len, n, i;
	char digits[400], *p;
	jv out, tmp;
	size_t j;

	value = fabs(value);
	switch (f->primary) {
	case F_LETTERS: {
		char b[64];
		int q = 63;
		double v = value;

		b[q] = '\0';
		while (v > 0 && q > 0) {
			b[--q] = (char)((f->tcase == C_UPPER ? 'A' : 'a') +
			    (int)fmod(v - 1, 26));
			v = floor((v - 1) / 26);
		}
		out = jv_string(b + q);
		break;
	}
	case F_ROMAN: {
		static const struct {
			int	 v;
			const char *s;
		} r[] = {
			{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
			{100, "c"}, {90, "xc"}, {50, "l"}, {40, "xl"},
			{10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}
		};
		double v = value;

		out = jv_string("");
		for (i = 0; i < 13; i++)
			while (v >= r[i].v) {
				out = jv_string_append_str(out, r[i].s);
				v -= r[i].v;
			}
		if (f->tcase == C_UPPER)
			out = recase_ascii(out, C_UPPER);
		break;
	}
	case F_WORDS:
		out = words(value, 0, f->ordinal);
		if (f->tcase == C_UPPER || f->tcase == C_LOWER)
			out = recase_ascii(out, f->tcase);
		break;
	default:
		snprintf(digits, sizeof(digits), "%.0f", value);
		len = (int)strlen(digits);
		tmp = jv_string("");
		for (k = len; k < f->mandatory; k++)
			tmp = jv_string_append_str(tmp, "0");
		tmp = jv_string_append_str(tmp, digits);
		/* the digits, in the picture's decimal group, with separators */
		p = (char *)jv_string_value(tmp);
		n = (int)strlen(p);
		out = jv_string("");
		for (k = 0; k < n; k++) {
			int from_right = n - k, mark = 0, s;

			out = u8add(out, f->zero + (unsigned)(p[k] - '0'));
			if (from_right <= 1)
				continue;
			if (f->regular) {
				if ((from_right - 1) % f->rpos == 0)
					mark = (int)f->rchar;
			} else
				for (s = 0; s < f->nseps; s++)
					if (f->seps[s].pos == from_right - 1)
						mark = (int)f->seps[s].ch;
			if (mark)
				out = u8add(out, (unsigned)mark);
		}
		if (f->ordinal) {
			const char *suf = "th";

			j = (size_t)n;
			if (!(n > 1 && p[n - 2] == '1')) {
				if (p[j - 1] == '1')
					suf = "st";
				else if (p[j - 1] == '2')
					suf = "nd";
				else if (p[j - 1] == '3')
					suf = "rd";
			}
			out = jv_string_append_str(out, suf);
		}
		jv_free(tmp);
	}
	if (neg)
		out = jv_string_concat(jv_string("-"), out);
	return out;
}

V
jn_format_integer(double value, const char *picture)
{
	struct ifmt f;
	const char *code = NULL;

	if (analyse_integer(picture, &f, &code) != 0)
		return jn_err(code, JV_OBJECT(jv_string("value"),
		    jv_string(picture)));
	return VJ(format_integer(floor(value), &f));
}

/* Dates */

#define DAY_MS	86400000.0
/* JavaScript's Date: 8.64e15 ms either side of 1970, years to 275760. */
#define JN_MAX_MS	8.64e15
#define JN_MAX_YEAR	275760.0

struct tm_parts {
	double	 ms;		/* shifted by the timezone offset */
	long	 year;
	int	 mon, mday, hour, min, sec, msec, wday;	/* wday 0: Sunday */
};

static void
split_time(double ms, struct tm_parts *t)
{
	long days = (long)floor(ms / DAY_MS);
	double rem = ms - (double)days * DAY_MS;
	int64_t year;

	t->ms = ms;
	asl_time_civil_from_days(days, &year, &t->mon, &t->mday);
	t->year = (long)year;
	t->wday = (int)(((days % 7) + 7 + 4) % 7);
	t->hour = (int)(rem / 3600000);
	t->min = (int)fmod(rem / 60000, 60);
	t->sec = (int)fmod(rem / 1000, 60);
	t->msec = (int)fmod(rem, 1000);
}

static double
utc(long year, int month0)
{
	while (month0 > 11) {
		month0 -= 12;
		year++;
	}
	while (month0 < 0) {
		month0 += 12;
		year--;
	}
	return (double)asl_time_days_from_civil(year, month0 + 1, 1) * DAY_MS;
}

/* The Monday starting week 1 of a year or month (ISO 8601). */
static double
start_of_first_week(long year, int month0)
{
	double jan1 = utc(year, month0);
	long d = (long)floor(jan1 / DAY_MS);
	int dow = (int)(((d % 7) + 7 + 4) % 7);

	if (dow == 0)
		dow = 7;
	return dow > 4 ? jan1 + (8 - dow) * DAY_MS : jan1 - (dow - 1) * DAY_MS;
}

static double
fragment(struct tm_parts *t, char c)
{
	double today = (double)asl_time_days_from_civil(t->year, t->mon, t->mday) *
	    DAY_MS, start, week, next;

	switch (c) {
	case 'Y': return (double)t->year;
	case 'M': return t->mon;
	case 'D': return t->mday;
	case 'd':
		return (today - utc(t->year, 0)) / DAY_MS + 1;
	case 'F': return t->wday == 0 ? 7 : t->wday;
	case 'W':
		start = start_of_first_week(t->year, 0);
		week = (today - start) / (DAY_MS * 7) + 1;
		if (week > 52) {
			if (today >= start_of_first_week(t->year + 1, 0))
				week = 1;
		} else if (week < 1)
			week = (today - start_of_first_week(t->year - 1, 0)) /
			    (DAY_MS * 7) + 1;
		return floor(week);
	case 'w':
		start = start_of_first_week(t->year, t->mon - 1);
		week = (today - start) / (DAY_MS * 7) + 1;
		if (week > 4) {
			if (today >= start_of_first_week(t->year, t->mon))
				week = 1;
		} else if (week < 1)
			week = (today - start_of_first_week(t->year,
			    t->mon - 2)) / (DAY_MS * 7) + 1;
		return floor(week);
	case 'X':
		if (t->ms < start_of_first_week(t->year, 0))
			return (double)t->year - 1;
		if (t->ms >= start_of_first_week(t->year + 1, 0))
			return (double)t->year + 1;
		return (double)t->year;
	case 'x':
		next = start_of_first_week(t->year, t->mon);
		if (t->ms < start_of_first_week(t->year, t->mon - 1))
			return t->mon == 1 ? 12 : t->mon - 1;
		if (t->ms >= next)
			return t->mon == 12 ? 1 : t->mon + 1;
		return t->mon;
	case 'H': return t->hour;
	case 'h': return t->hour % 12 == 0 ? 12 : t->hour % 12;
	case 'm': return t->min;
	case 's': return t->sec;
	case 'f': return t->msec;
	}
	return 0;
}

static const char *
default_presentation(char c)
{
	switch (c) {
	case 'Y': case 'M': case 'D': case 'd': case 'W': case 'w': case 'X':
	case 'x': case 'H': case 'h': case 'f':
		return "1";
	case 'F': case 'P': case 'C': case 'E':
		return "n";
	case 'm': case 's':
		return "01";
	case 'Z': case 'z':
		return "01:01";
	}
	return NULL;
}

/* One [marker] (whitespace removed), as jsonata-js formats it. */
static V
component(jv *out, const char *marker, struct tm_parts *t, int offh,
    int offm)
{
	char c = marker[0], pres[128], p2 = 0, ipic[140];
	const char *comma = strrchr(marker, ','), *code = NULL, *name;
	int minw = -1, maxw = -1, names = -1, n = -1;
	struct ifmt f;
	double v;
	jv s;

	if (comma != NULL) {
		const char *dash = strchr(comma + 1, '-');

		if (comma[1] != '*' && comma[1] != '-' && comma[1] != '\0')
			minw = atoi(comma + 1);
		if (dash != NULL && dash[1] != '*' && dash[1] != '\0')
			maxw = atoi(dash + 1);
		snprintf(pres, sizeof(pres), "%.*s", (int)(comma - marker - 1),
		    marker + 1);
	} else
		snprintf(pres, sizeof(pres), "%s", marker + 1);
	if (strlen(pres) > 1 && strchr("atco", pres[strlen(pres) - 1])) {
		p2 = pres[strlen(pres) - 1];
		pres[strlen(pres) - 1] = '\0';
	} else if (pres[0] == '\0') {
		if (default_presentation(c) == NULL)
			return jn_err("D3132", JV_OBJECT(jv_string("value"),
			    jv_string_fmt("%c", c)));
		snprintf(pres, sizeof(pres), "%s", default_presentation(c));
	}
	if (pres[0] == 'n')
		names = C_LOWER;
	else if (pres[0] == 'N')
		names = pres[1] == 'n' ? C_TITLE : C_UPPER;
	else if (strchr("YMDdFWwXxHhmsf", c) != NULL) {
		snprintf(ipic, sizeof(ipic), "%s%s%c", pres, p2 ? ";" : "",
		    p2);
		if (analyse_integer(ipic, &f, &code) != 0)
			return jn_err(code, JV_OBJECT(jv_string("value"),
			    jv_string(ipic)));
		if (minw >= 0 && f.mandatory < minw)
			f.mandatory = minw;
		if (strchr("YMD", c) != NULL) {
			if (maxw >= 0) {
				n = maxw;
				f.mandatory = n;
			} else if (f.mandatory + f.optional >= 2)
				n = f.mandatory + f.optional;
		}
	}
	if (c == 'Z' || c == 'z') {
		int off = offh * 100 + offm, nd;

		if (analyse_integer(pres, &f, &code) != 0)
			return jn_err(code, JV_OBJECT(jv_string("value"),
			    jv_string(pres)));
		if (f.regular)
			s = format_integer(off, &f);
		else {
			nd = f.mandatory;
			if (nd == 1 || nd == 2) {
				s = format_integer(offh, &f);
				if (offm != 0)
					s = jv_string_concat(s, jv_string_fmt(
					    ":%02d", abs(offm)));
			} else if (nd == 3 || nd == 4)
				s = format_integer(off, &f);
			else
				return jn_err("D3134", JV_OBJECT(
				    jv_string("value"), jv_number(nd)));
		}
		if (off >= 0)
			s = jv_string_concat(jv_string("+"), s);
		if (c == 'z')
			s = jv_string_concat(jv_string("GMT"), s);
		if (off == 0 && p2 == 't') {
			jv_free(s);
			s = jv_string("Z");
		}
		*out = jv_string_concat(*out, s);
		return VU();
	}
	if (c == 'P') {
		s = jv_string(t->hour >= 12 ? "pm" : "am");
		if (names == C_UPPER)
			s = recase_ascii(s, C_UPPER);
		*out = jv_string_concat(*out, s);
		return VU();
	}
	if (c == 'C' || c == 'E') {
		*out = jv_string_append_str(*out, "ISO");
		return VU();
	}
	if (strchr("YMDdFWwXxHhmsf", c) == NULL)
		return jn_err("D3132", JV_OBJECT(jv_string("value"),
		    jv_string_fmt("%c", c)));
	v = fragment(t, c);
	if (c == 'Y' && n != -1)
		v = fmod(v, pow(10, n));
	if (names >= 0 && c != 'f') {
		if (c == 'M' || c == 'x')
			name = months[(int)v - 1];
		else if (c == 'F')
			name = days[(int)v - 1];
		else
			return jn_err("D3133", JV_OBJECT(jv_string("value"),
			    jv_string_fmt("%c", c)));
		s = jv_string(name);
		if (names == C_UPPER || names == C_LOWER)
			s = recase_ascii(s, names);
		if (maxw >= 0 && (int)strlen(jv_string_value(s)) > maxw) {
			jv cut = jv_string_sized(jv_string_value(s), maxw);

			jv_free(s);
			s = cut;
		}
		*out = jv_string_concat(*out, s);
		return VU();
	}
	*out = jv_string_concat(*out, format_integer(v, &f));
	return VU();
}

V
jn_from_millis(double ms, jv picture, jv tz)
{
	struct tm_parts t;
	int offh = 0, offm = 0, off;
	const char *p, *pic = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]"
	    "[Z01:01t]";
	char m[128];
	size_t k, i;
	jv out;
	V r;

	/* new Date(ms) is an Invalid Date: toISOString's RangeError */
	if (!(fabs(ms) <= JN_MAX_MS))
		return jn_err("ASL.DateRange", JV_OBJECT(jv_string("value"),
		    jv_number(ms)));
	if (jv_get_kind(tz) == JV_KIND_STRING) {
		/* parseInt(timezone), then hours and minutes as jsonata-js */
		off = atoi(jv_string_value(tz));
		offh = (int)floor(off / 100.0);
		offm = off % 100;
	}
	split_time(ms + (60.0 * offh + offm) * 60000.0, &t);
	if (jv_get_kind(picture) == JV_KIND_STRING)
		pic = jv_string_value(picture);
	out = jv_string("");
	for (p = pic; *p != '\0';) {
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
			for (k = 0, i = 1; p + i < e && k < sizeof(m) - 1; i++)
				if (!isspace((unsigned char)p[i]))
					m[k++] = p[i];
			m[k] = '\0';
			r = component(&out, m, &t, offh, offm);
			if (jn_v_err(r)) {
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
	return ((double)asl_time_days_from_civil(y, (int)mo, (int)d) * 86400.0 +
	    h * 3600.0 + mi * 60.0 + se - off * 60.0) * 1000.0 +
	    floor(frac * 1000.0 + 0.5);
}

/*
 * Parsing with a picture: jsonata-js's generateRegex and parseDateTime.
 * Each marker becomes a group of one regular expression (matched without
 * regard to case), and each group's text is read back by its marker.
 */

struct pmark {
	int	 literal;	/* a literal part: no parsing */
	char	 comp;
	int	 names;		/* -1, or C_LOWER / C_UPPER / C_TITLE */
	int	 has_int;
	struct ifmt f;
	int	 n;		/* digits expected, -1 for any */
	int	 maxw;
	int	 zsep;		/* Z/z: the separator between hours and minutes */
};

/* The keys of jsonata-js's wordValues, in its (insertion) order. */
static jv
word_alternatives(void)
{
	static const char *dec[] = {
		"twenty", "thirty", "forty", "fifty", "sixty", "seventy",
		"eighty", "ninety", "hundred"
	};
	static const char *mag[] = {
		"thousand", "million", "billion", "trillion"
	};
	jv r = jv_string("(?:");
	char w[40];
	int i, k;

	for (i = 0; i < 20; i++) {
		r = jv_string_concat(r, recase_ascii(jv_string(few[i]), C_LOWER));
		r = jv_string_append_str(r, "|");
	}
	for (i = 0; i < 20; i++) {
		r = jv_string_concat(r, recase_ascii(jv_string(ordinals[i]),
		    C_LOWER));
		r = jv_string_append_str(r, "|");
	}
	for (i = 0; i < 9; i++) {
		k = (int)strlen(dec[i]);
		snprintf(w, sizeof(w), "%s|%.*sieth|", dec[i], k - 1, dec[i]);
		r = jv_string_append_str(r, w);
	}
	r = jv_string_append_str(r, "hundredth|");
	for (i = 0; i < 4; i++) {
		snprintf(w, sizeof(w), "%s|%sth|", mag[i], mag[i]);
		r = jv_string_append_str(r, w);
	}
	return jv_string_append_str(r, "and|[\\-, ])+");
}

static long
word_value(const char *w, size_t n)
{
	static const char *dec[] = {
		"twenty", "thirty", "forty", "fifty", "sixty", "seventy",
		"eighty", "ninety"
	};
	char b[40];
	int i;

	if (n == 0 || n >= sizeof(b))
		return -1;
	memcpy(b, w, n);
	b[n] = '\0';
	for (i = 0; i < 20; i++)
		if (strcasecmp(b, few[i]) == 0 || strcasecmp(b, ordinals[i]) == 0)
			return i;
	for (i = 0; i < 8; i++) {
		size_t k = strlen(dec[i]);

		if (strcmp(b, dec[i]) == 0 || (n == k + 3 &&
		    strncmp(b, dec[i], k - 1) == 0 &&
		    strcmp(b + k - 1, "ieth") == 0))
			return (i + 2) * 10;
	}
	if (strcmp(b, "hundred") == 0 || strcmp(b, "hundredth") == 0)
		return 100;
	if (strncmp(b, "thousand", 8) == 0)
		return 1000;
	if (strncmp(b, "million", 7) == 0)
		return 1000000;
	if (strncmp(b, "billion", 7) == 0)
		return 1000000000L;
	if (strncmp(b, "trillion", 8) == 0)
		return 1000000000000L;
	return -1;
}

/* jsonata-js's wordsToNumber (text in lower case). */
static double
words_to_number(const char *t)
{
	double segs[64], v;
	int ns = 1, i;
	const char *p = t, *e;
	size_t n;

	segs[0] = 0;
	while (*p != '\0') {
		/* parts are split by ", ", " and ", blanks and '-' */
		if (strncmp(p, ", ", 2) == 0) {
			p += 2;
			continue;
		}
		if (strncmp(p, " and ", 5) == 0) {
			p += 5;
			continue;
		}
		if (*p == ' ' || *p == '-' || *p == '\\') {
			p++;
			continue;
		}
		for (e = p; *e != '\0' && *e != ' ' && *e != '-' &&
		    *e != ',' && *e != '\\'; e++)
			;
		n = (size_t)(e - p);
		v = (double)word_value(p, n);
		p = e;
		if (v < 0)
			return NAN;
		if (v < 100) {
			double top = segs[--ns];

			if (top >= 1000 && ns < 62) {
				segs[ns++] = top;
				top = 0;
			}
			segs[ns++] = top + v;
		} else
			segs[ns - 1] *= v;
	}
	for (v = 0, i = 0; i < ns; i++)
		v += segs[i];
	return v;
}

static double
roman_to_decimal(const char *r, size_t n)
{
	double dec = 0, max = 1, v;
	size_t i;

	for (i = n; i > 0; i--) {
		switch (toupper((unsigned char)r[i - 1])) {
		case 'M': v = 1000; break;
		case 'D': v = 500; break;
		case 'C': v = 100; break;
		case 'L': v = 50; break;
		case 'X': v = 10; break;
		case 'V': v = 5; break;
		case 'I': v = 1; break;
		default: return NAN;
		}
		if (v < max)
			dec -= v;
		else {
			max = v;
			dec += v;
		}
	}
	return dec;
}

/* The regular expression of an integer picture (generateRegex). */
static jv
integer_regex(const struct ifmt *f, int n)
{
	char occ[32];

	switch (f->primary) {
	case F_LETTERS:
		return jv_string(f->tcase == C_UPPER ? "[A-Z]+" : "[a-z]+");
	case F_ROMAN:
		return jv_string(f->tcase == C_UPPER ? "[MDCLXVI]+" :
		    "[mdclxvi]+");
	case F_WORDS:
		return word_alternatives();
	}
	if (n > 0) {
		if (f->optional == 0)
			snprintf(occ, sizeof(occ), "{%d}", n);
		else
			snprintf(occ, sizeof(occ), "{%d,%d}", n - f->optional,
			    n);
	} else
		snprintf(occ, sizeof(occ), "+");
	return jv_string_fmt("[0-9]%s%s", occ, f->ordinal ?
	    "(?:th|st|nd|rd)" : "");
}

/* Read an integer back as its picture wrote it; NAN if it cannot. */
static double
integer_parse(const struct ifmt *f, const char *s, size_t n)
{
	char *d, *o;
	size_t i, k;
	double v;
	unsigned c;

	switch (f->primary) {
	case F_LETTERS:
		for (v = 0, i = 0; i < n; i++)
			v = v * 26 + (toupper((unsigned char)s[i]) - 'A' + 1);
		return n > 0 ? v : NAN;
	case F_ROMAN:
		return roman_to_decimal(s, n);
	case F_WORDS:
		if ((d = strndup(s, n)) == NULL)
			abort();
		for (i = 0; d[i] != '\0'; i++)
			d[i] = (char)tolower((unsigned char)d[i]);
		v = words_to_number(d);
		free(d);
		return v;
	}
	if (f->ordinal && n >= 2)
		n -= 2;
	if ((d = malloc(n + 1)) == NULL)
		abort();
	for (o = d, i = 0; i < n;) {
		k = i;
		c = u8dec(s, n, &i);
		if (f->regular ? c == ',' : 0)
			continue;
		if (!f->regular) {
			int sep = 0, j;

			for (j = 0; j < f->nseps; j++)
				if (f->seps[j].ch == c)
					sep = 1;
			if (sep)
				continue;
		}
		if (c >= f->zero && c <= f->zero + 9)
			*o++ = (char)('0' + (c - f->zero));
		else
			while (k < i)
				*o++ = s[k++];
	}
	*o = '\0';
	/* parseInt: leading digits, NaN without */
	v = isdigit((unsigned char)d[0]) ? strtod(d, NULL) : NAN;
	if (isdigit((unsigned char)d[0])) {
		for (i = 0; isdigit((unsigned char)d[i]); i++)
			;
		d[i] = '\0';
		v = strtod(d, NULL);
	}
	free(d);
	return v;
}

V
jn_parse_integer(jv str, const char *picture)
{
	struct ifmt f;
	const char *code = NULL;
	double v;

	if (analyse_integer(picture, &f, &code) != 0)
		return jn_err(code, JV_OBJECT(jv_string("value"),
		    jv_string(picture)));
	v = integer_parse(&f, jv_string_value(str),
	    (size_t)jv_string_length_bytes(jv_copy(str)));
	if (isnan(v))		/* NaN, which JSON writes as null */
		return VJ(jv_null());
	return VJ(jv_number(v));
}

/* Regex-escape literal text. */
static jv
regex_quote(jv out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strchr(".*+?^${}()|[]\\", s[i]) != NULL && s[i] != '\0')
			out = jv_string_append_str(out, "\\");
		out = jv_string_append_buf(out, s + i, 1);
	}
	return out;
}

/* One [marker] for parsing, analysed as jsonata-js does. */
static const char *
analyse_mark(const char *marker, struct pmark *mk)
{
	char c = marker[0], pres[128], p2 = 0, ipic[140];
	const char *comma = strrchr(marker, ','), *code = NULL;
	int minw = -1;

	memset(mk, 0, sizeof(*mk));
	mk->comp = c;
	mk->names = -1;
	mk->n = -1;
	mk->maxw = -1;
	if (comma != NULL) {
		const char *dash = strchr(comma + 1, '-');

		if (comma[1] != '*' && comma[1] != '-' && comma[1] != '\0')
			minw = atoi(comma + 1);
		if (dash != NULL && dash[1] != '*' && dash[1] != '\0')
			mk->maxw = atoi(dash + 1);
		snprintf(pres, sizeof(pres), "%.*s", (int)(comma - marker - 1),
		    marker + 1);
	} else
		snprintf(pres, sizeof(pres), "%s", marker + 1);
	if (strlen(pres) > 1 && strchr("atco", pres[strlen(pres) - 1])) {
		p2 = pres[strlen(pres) - 1];
		pres[strlen(pres) - 1] = '\0';
	} else if (pres[0] == '\0') {
		if (default_presentation(c) == NULL)
			return "D3132";
		snprintf(pres, sizeof(pres), "%s", default_presentation(c));
	}
	if (pres[0] == 'n')
		mk->names = C_LOWER;
	else if (pres[0] == 'N')
		mk->names = pres[1] == 'n' ? C_TITLE : C_UPPER;
	else if (strchr("YMDdFWwXxHhmsf", c) != NULL) {
		snprintf(ipic, sizeof(ipic), "%s%s%c", pres, p2 ? ";" : "",
		    p2);
		if (analyse_integer(ipic, &mk->f, &code) != 0)
			return code;
		mk->has_int = 1;
		if (minw >= 0 && mk->f.mandatory < minw)
			mk->f.mandatory = minw;
		if (strchr("YMD", c) != NULL) {
			if (mk->maxw >= 0) {
				mk->n = mk->maxw;
				mk->f.mandatory = mk->n;
			} else if (mk->f.mandatory + mk->f.optional >= 2)
				mk->n = mk->f.mandatory + mk->f.optional;
		}
	}
	if (c == 'Z' || c == 'z') {
		if (analyse_integer(pres, &mk->f, &code) != 0)
			return code;
		mk->has_int = 0;
		mk->zsep = mk->f.regular ? (int)mk->f.rchar : 0;
	} else if (!mk->has_int && c != 'P' && mk->names < 0 &&
	    strchr("CE", c) == NULL)
		return "D3132";
	return NULL;
}

static const char *month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* A name's value: case matters here, as in jsonata-js's lookup. */
static double
name_value(const struct pmark *mk, const char *s, size_t n)
{
	int i, w = mk->maxw > 0 ? mk->maxw : 100;
	size_t k;

	if (mk->comp == 'M' || mk->comp == 'x') {
		for (i = 0; i < 12; i++) {
			k = strlen(month_names[i]);
			if ((int)k > w)
				k = (size_t)w;
			if (k == n && strncmp(month_names[i], s, n) == 0)
				return i + 1;
		}
	} else if (mk->comp == 'F') {
		for (i = 0; i < 7; i++) {
			k = strlen(days[i]);
			if ((int)k > w)
				k = (size_t)w;
			if (k == n && strncmp(days[i], s, n) == 0)
				return i + 1;
		}
	} else if (mk->comp == 'P') {
		if (n == 2 && (strncmp(s, "am", 2) == 0 ||
		    strncmp(s, "AM", 2) == 0))
			return 0;
		if (n == 2 && (strncmp(s, "pm", 2) == 0 ||
		    strncmp(s, "PM", 2) == 0))
			return 1;
	}
	return NAN;
}

/* jsonata-js's parseDateTime */
static V
picture_parse(jv str, const char *pic, double now)
{
	struct pmark *mk = NULL;
	int nm = 0, i, cap = 0, set[256];
	double val[256];
	jv re = jv_string("^"), text;
	const char *p, *code, *e;
	char m[128];
	size_t k, j;
	struct jn node;
	jv err;
	regmatch_t *rm;
	V out = VU();

	memset(set, 0, sizeof(set));
	for (p = pic; *p != '\0';) {
		if ((nm + 1) >= cap) {
			cap = cap ? cap * 2 : 16;
			if ((mk = realloc(mk, cap * sizeof(*mk))) == NULL)
				abort();
		}
		if (p[0] == '[' && p[1] == '[') {
			memset(&mk[nm], 0, sizeof(mk[nm]));
			mk[nm++].literal = 1;
			re = jv_string_append_str(re, "(\\[)");
			p += 2;
			continue;
		}
		if (p[0] == '[') {
			if ((e = strchr(p, ']')) == NULL) {
				out = jn_err("D3135", jv_object());
				goto done;
			}
			for (k = 0, j = 1; p + j < e && k < sizeof(m) - 1; j++)
				if (!isspace((unsigned char)p[j]))
					m[k++] = p[j];
			m[k] = '\0';
			if ((code = analyse_mark(m, &mk[nm])) != NULL) {
				out = jn_err(code, JV_OBJECT(jv_string("value"),
				    jv_string_fmt("%c", m[0])));
				goto done;
			}
			re = jv_string_append_str(re, "(");
			if (mk[nm].comp == 'Z' || mk[nm].comp == 'z') {
				if (mk[nm].comp == 'z')
					re = jv_string_append_str(re, "GMT");
				re = jv_string_append_str(re, "[-+][0-9]+");
				if (mk[nm].zsep) {
					char sb[8] = {(char)mk[nm].zsep, 0};

					re = regex_quote(re, sb, 1);
					re = jv_string_append_str(re, "[0-9]+");
				}
			} else if (mk[nm].has_int)
				re = jv_string_concat(re, integer_regex(
				    &mk[nm].f, mk[nm].n));
			else if (mk[nm].comp == 'M' || mk[nm].comp == 'x' ||
			    mk[nm].comp == 'F' || mk[nm].comp == 'P')
				re = jv_string_append_str(re, "[a-zA-Z]+");
			else {
				out = jn_err("D3133", JV_OBJECT(
				    jv_string("value"),
				    jv_string_fmt("%c", mk[nm].comp)));
				goto done;
			}
			re = jv_string_append_str(re, ")");
			nm++;
			p = e + 1;
			continue;
		}
		/* literal text up to the next marker; "]]" is "]" */
		memset(&mk[nm], 0, sizeof(mk[nm]));
		mk[nm++].literal = 1;
		re = jv_string_append_str(re, "(");
		while (*p != '\0' && *p != '[') {
			if (p[0] == ']' && p[1] == ']') {
				re = regex_quote(re, "]", 1);
				p += 2;
			} else
				re = regex_quote(re, p++, 1);
		}
		re = jv_string_append_str(re, ")");
	}
	re = jv_string_append_str(re, "$");
	memset(&node, 0, sizeof(node));
	if (jn_regex_compile(&node, jv_string_value(re), "i", &err) != 0) {
		out = VJ(err);
		goto done;
	}
	if ((rm = calloc(nm + 2, sizeof(*rm))) == NULL)
		abort();
	text = str;
	i = jn_regex_exec(&node, jv_string_value(text),
	    (size_t)jv_string_length_bytes(jv_copy(text)), 0, rm, nm + 1);
	if (i == 1) {
		const char *ts = jv_string_value(text);
		int parsed = 0, mask, dateA, dateB, dateC, dateD, timeA, timeB;
		const char *dcomps, *tcomps, *q;
		char comps[16];
		int start_spec = 0, end_spec = 0;
		struct tm_parts nt;
		double Y, M, D, H, mi, sec, ms, off = 0;

		for (i = 0; i < nm; i++) {
			const char *gs = ts + rm[i + 1].rm_so;
			size_t gn = (size_t)(rm[i + 1].rm_eo - rm[i + 1].rm_so);
			unsigned char c = (unsigned char)mk[i].comp;
			double v;

			if (mk[i].literal || rm[i + 1].rm_so < 0 ||
			    strchr("CE", c) != NULL)
				continue;
			parsed = 1;
			if (c == 'Z' || c == 'z') {
				char zb[32];
				size_t zn = gn;

				if (c == 'z' && zn >= 3) {
					gs += 3;
					zn -= 3;
				}
				snprintf(zb, sizeof(zb), "%.*s", (int)zn, gs);
				/*
				 * As jsonata-js: hours, then minutes added
				 * even when the hours are negative.
				 */
				if (mk[i].zsep && strchr(zb, mk[i].zsep))
					v = atoi(zb) * 60.0 +
					    atoi(strchr(zb, mk[i].zsep) + 1);
				else if (zn <= 3)
					v = atoi(zb) * 60.0;
				else {
					char hh[8];

					snprintf(hh, sizeof(hh), "%.3s", zb);
					v = atoi(hh) * 60.0 + atoi(zb + 3);
				}
			} else if (mk[i].has_int)
				v = integer_parse(&mk[i].f, gs, gn);
			else
				v = name_value(&mk[i], gs, gn);
			set[c] = !isnan(v);
			val[c] = v;
		}
		if (!parsed)
			goto nomatch;
		mask = 0;
		for (q = "YXMxWwdD"; *q != '\0'; q++)
			mask = (mask << 1) | (set[(unsigned char)*q] &&
			    val[(unsigned char)*q] != 0);
#define IS_TYPE(t) (!(~(t) & mask) && ((t) & mask))
		dateA = IS_TYPE(161);
		dateB = !dateA && IS_TYPE(130);
		dateC = IS_TYPE(84);
		dateD = !dateC && IS_TYPE(72);
		mask = 0;
		for (q = "PHhmsf"; *q != '\0'; q++)
			mask = (mask << 1) | (set[(unsigned char)*q] &&
			    val[(unsigned char)*q] != 0);
		timeA = IS_TYPE(23);
		timeB = !timeA && IS_TYPE(47);
#undef IS_TYPE
		dcomps = dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD";
		tcomps = timeB ? "Phmsf" : "Hmsf";
		snprintf(comps, sizeof(comps), "%s%s", dcomps, tcomps);
		split_time(now, &nt);
		for (q = comps; *q != '\0'; q++) {
			unsigned char c = (unsigned char)*q;

			if (!set[c]) {
				if (start_spec) {
					val[c] = strchr("MDd", c) ? 1 : 0;
					end_spec = 1;
				} else
					val[c] = c == 'P' ? 0 : fragment(&nt,
					    (char)c);
				set[c] = 1;
			} else {
				start_spec = 1;
				if (end_spec) {
					out = jn_err("D3136", jv_object());
					goto freere;
				}
			}
		}
		M = val['M'] > 0 ? val['M'] - 1 : 0;
		Y = val['Y'];
		D = val['D'];
		/*
		 * A year or month past what a JavaScript Date holds: Date.UTC
		 * gives NaN, null in JSON (and converting it to long would be
		 * undefined behaviour here).
		 */
		if (!(fabs(Y) <= JN_MAX_YEAR && M <= 12.0 * JN_MAX_YEAR)) {
			out = VJ(jv_null());
			goto freere;
		}
		if (dateB) {
			double jan1 = (double)asl_time_days_from_civil((long)Y, 1, 1) *
			    DAY_MS + (val['d'] - 1) * DAY_MS;
			struct tm_parts dt;

			split_time(jan1, &dt);
			M = dt.mon - 1;
			D = dt.mday;
		}
		if (dateC || dateD) {
			out = jn_err("D3136", jv_object());
			goto freere;
		}
		H = val['H'];
		if (timeB) {
			H = val['h'] == 12 ? 0 : val['h'];
			if (val['P'] == 1)
				H += 12;
		}
		mi = val['m'];
		sec = val['s'];
		ms = val['f'];
		if (set['Z'] && val['Z'] != 0)
			off = val['Z'];
		else if (set['z'] && val['z'] != 0)
			off = val['z'];
		out = VJ(jv_number(utc((long)Y, (int)M) + (D - 1) * DAY_MS +
		    H * 3600000.0 + mi * 60000.0 + sec * 1000.0 + ms -
		    off * 60000.0));
	}
nomatch:
freere:
	free(rm);
	jn_regex_free(&node);
	free(node.re_map);
done:
	jv_free(re);
	free(mk);
	return out;
}

/*
 * jsonata-js's toMillis: with a picture, parseDateTime; without, an ISO
 * 8601 timestamp its regular expression accepts, read as Date.parse does
 * (UTC, as AWS runs).
 */
V
jn_to_millis(jv str, jv picture, double now)
{
	static const char iso[] = "^\\d{4}(-[01]\\d)*(-[0-3]\\d)*"
	    "(T[0-2]\\d:[0-5]\\d:[0-5]\\d)*(\\.\\d+)?"
	    "([+-][0-2]\\d:?[0-5]\\d|Z)?$";
	struct jn node;
	regmatch_t rm[8];
	jv err;
	double ms;
	int ok;

	if (jv_get_kind(picture) == JV_KIND_STRING)
		return picture_parse(str, jv_string_value(picture), now);
	memset(&node, 0, sizeof(node));
	if (jn_regex_compile(&node, iso, "", &err) != 0)
		return VJ(err);
	ok = jn_regex_exec(&node, jv_string_value(str),
	    (size_t)jv_string_length_bytes(jv_copy(str)), 0, rm, 8) == 1;
	jn_regex_free(&node);
	free(node.re_map);
	ms = ok ? iso_parse(jv_string_value(str)) : NAN;
	if (!ok)
		return jn_err("D3110", JV_OBJECT(jv_string("value"),
		    jv_copy(str)));
	if (isnan(ms))		/* Date.parse gave NaN: null in JSON */
		return VJ(jv_null());
	return VJ(jv_number(ms));
}
