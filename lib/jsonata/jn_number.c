/*
 * jn_number.c - JSONata's numeric functions: aggregation ($sum, $max,
 * $average ...), rounding as JavaScript rounds, $number's parsing,
 * $formatBase, $random with AWS's seed, and $formatNumber's XPath
 * pictures.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asl_json.h"
#include "asl_utf8.h"
#include "jn.h"

static int
gcd_i(int a, int b)
{
	return b == 0 ? a : gcd_i(b, a % b);
}

/* Aggregation */

static V
f_sum(FNARGS)
{
	double t = 0;
	int i, k;
	jv x;

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	k = jn_len(a[0]);
	for (i = 0; i < k; i++) {
		x = jn_at(a[0], i);
		t += jv_number_value(x);
		jv_free(x);
	}
	return VJ(jv_number(t));
}

static V
f_count(FNARGS)
{
	UNUSED;
	return VJ(jv_number(jn_v_undef(a[0]) ? 0 : jn_len(a[0])));
}

static V
minmax(V arr, int max)
{
	double r = 0, d;
	int i, k;
	jv x;

	if (jn_v_undef(arr) || (k = jn_len(arr)) == 0)
		return VU();
	for (i = 0; i < k; i++) {
		x = jn_at(arr, i);
		d = jv_number_value(x);
		jv_free(x);
		if (i == 0 || (max ? d > r : d < r))
			r = d;
	}
	return VJ(jv_number(r));
}

static V
f_max(FNARGS)
{
	UNUSED;
	return minmax(a[0], 1);
}

static V
f_min(FNARGS)
{
	UNUSED;
	return minmax(a[0], 0);
}

static V
f_average(FNARGS)
{
	V s;
	int k;

	UNUSED;
	if (jn_v_undef(a[0]) || (k = jn_len(a[0])) == 0)
		return VU();
	s = f_sum(cx, a, n, input, env);
	s.v = jv_number(jv_number_value(s.v) / k);
	return s;
}

/* Numbers */

static double
js_round(double x)
{
	return floor(x + 0.5);
}

/* $round: half to even, at a number of decimal places. */
static double
round_prec(double arg, double prec)
{
	jv s;
	char buf[80], *e;
	double r, diff;
	int ex;

	if (prec != 0) {
		s = jn_number_string(arg);
		snprintf(buf, sizeof(buf), "%s", jv_string_value(s));
		jv_free(s);
		ex = 0;
		if ((e = strchr(buf, 'e')) != NULL) {
			ex = atoi(e + 1);
			*e = '\0';
		}
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "e%d",
		    ex + (int)prec);
		arg = strtod(buf, NULL);
	}
	r = js_round(arg);
	diff = r - arg;
	if (fabs(diff) == 0.5 && fabs(fmod(r, 2)) == 1)
		r -= 1;
	if (prec != 0) {
		s = jn_number_string(r);
		snprintf(buf, sizeof(buf), "%s", jv_string_value(s));
		jv_free(s);
		ex = 0;
		if ((e = strchr(buf, 'e')) != NULL) {
			ex = atoi(e + 1);
			*e = '\0';
		}
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "e%d",
		    ex - (int)prec);
		r = strtod(buf, NULL);
	}
	if (r == 0)
		r = 0;
	return r;
}

static V
f_round(FNARGS)
{
	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	return VJ(jv_number(round_prec(jn_num(a[0]), n > 1 && !jn_v_undef(a[1]) ?
	    trunc(jn_num(a[1])) : 0)));
}

static V
math1(V x, double (*f)(double))
{
	if (jn_v_undef(x))
		return VU();
	return VJ(jv_number(f(jn_num(x)) + 0.0));
}

static V
f_floor(FNARGS)
{
	UNUSED;
	return math1(a[0], floor);
}

static V
f_ceil(FNARGS)
{
	UNUSED;
	return math1(a[0], ceil);
}

static V
f_abs(FNARGS)
{
	UNUSED;
	return math1(a[0], fabs);
}

static V
f_sqrt(FNARGS)
{
	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	if (jn_num(a[0]) < 0)
		return jn_fail1("D3060", 1, jv_copy(a[0].v));
	return VJ(jv_number(sqrt(jn_num(a[0]))));
}

static V
f_power(FNARGS)
{
	double r;

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	r = pow(jn_num(a[0]), jn_num(a[1]));
	/* pow(1, NaN) is 1 in C, NaN in JavaScript (an undefined exponent) */
	if (!isfinite(r) || isnan(jn_num(a[1])))
		return jn_err("D3061", JV_OBJECT(jv_string("index"),
		    jv_number(1), jv_string("value"), jv_copy(a[0].v),
		    jv_string("exp"), jv_copy(a[1].v)));
	return VJ(jv_number(r));
}

static int
all_match(const char *s, const char *set, int min)
{
	int k = 0;

	while (s[k] != '\0' && strchr(set, s[k]) != NULL)
		k++;
	return k >= min ? k : -1;
}

/* The JavaScript number syntax $number accepts from a string. */
static int
js_decimal(const char *s)
{
	int k = 0, d;

	if (s[k] == '-')
		k++;
	if ((d = all_match(s + k, "0123456789", 1)) < 0)
		return 0;
	k += d;
	if (s[k] == '.') {
		if ((d = all_match(s + k + 1, "0123456789", 1)) < 0)
			return 0;
		k += d + 1;
	}
	if (s[k] == 'e' || s[k] == 'E') {
		k++;
		if (s[k] == '+' || s[k] == '-')
			k++;
		if ((d = all_match(s + k, "0123456789", 1)) < 0)
			return 0;
		k += d;
	}
	return s[k] == '\0';
}

static V
f_number(FNARGS)
{
	const char *s;
	double d;
	int base = 0;

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	if (jv_get_kind(a[0].v) == JV_KIND_NUMBER)
		return jn_v_copy(a[0]);
	if (jv_get_kind(a[0].v) == JV_KIND_TRUE)
		return VJ(jv_number(1));
	if (jv_get_kind(a[0].v) == JV_KIND_FALSE)
		return VJ(jv_number(0));
	s = jn_str(a[0]);
	if (js_decimal(s)) {
		d = strtod(s, NULL);
		if (isfinite(d))
			return VJ(jv_number(d + 0.0));
	} else if (s[0] == '0' && s[1] != '\0') {
		switch (s[1]) {
		case 'x': case 'X': base = 16; break;
		case 'o': case 'O': base = 8; break;
		case 'b': case 'B': base = 2; break;
		}
		if (base != 0 && s[2] != '\0' && all_match(s + 2,
		    base == 16 ? "0123456789abcdefABCDEF" :
		    base == 8 ? "01234567" : "01", 1) ==
		    (int)strlen(s + 2))
			return VJ(jv_number((double)strtoull(s + 2, NULL,
			    base)));
	}
	return jn_fail1("D3030", 1, jv_copy(a[0].v));
}

static V
f_format_base(FNARGS)
{
	double v, radix = 10;
	char buf[80], *p = buf + sizeof(buf) - 1;
	int neg;
	unsigned long long u;

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	v = round_prec(jn_num(a[0]), 0);
	if (n > 1 && !jn_v_undef(a[1]))
		radix = round_prec(jn_num(a[1]), 0);
	if (radix < 2 || radix > 36)
		return jn_err("D3100", JV_OBJECT(jv_string("value"),
		    jv_number(radix)));
	neg = v < 0;
	u = (unsigned long long)fabs(v);
	*p = '\0';
	do {
		*--p = "0123456789abcdefghijklmnopqrstuvwxyz"[u %
		    (unsigned)radix];
		u /= (unsigned)radix;
	} while (u > 0);
	if (neg)
		*--p = '-';
	return VJ(jv_string(p));
}

double
jn_random(struct jctx *cx)
{
	uint64_t *s = cx->rng, r, t;

	r = s[1] * 5;
	r = ((r << 7) | (r >> 57)) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return (double)(r >> 11) / 9007199254740992.0;
}

void
jn_seed(struct jctx *cx, uint64_t seed)
{
	int i;
	uint64_t z;

	for (i = 0; i < 4; i++) {
		seed += 0x9E3779B97F4A7C15ULL;
		z = seed;
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
		cx->rng[i] = z ^ (z >> 31);
	}
}

/*
 * AWS: "$random([seed])": with a seed the draw is repeatable.  The
 * sequence AWS draws from a seed is not documented; this one is ours.
 */
static V
f_random(FNARGS)
{
	struct jctx tmp;

	UNUSED;
	if (n > 0 && !jn_v_undef(a[0])) {
		memset(&tmp, 0, sizeof(tmp));
		jn_seed(&tmp, (uint64_t)(int64_t)jn_num(a[0]));
		return VJ(jv_number(jn_random(&tmp)));
	}
	return VJ(jv_number(jn_random(cx)));
}

/*
 * $formatNumber: a port of jsonata-js's formatNumber (XPath's
 * format-number), on code points, quirks included: the fractional part
 * of a picture without a decimal separator is its suffix, and grouping
 * positions after the first are looked for in the integer part.
 */

struct cps {
	unsigned *c;
	int	 n;
};

struct nprops {
	unsigned dec, grp, exp, pct, pml, zero, dig, pat;
	jv	 minus;
};

/* A range [b, b+n) of a sub-picture. */
struct rng {
	int	 b, n;
};

struct nparts {
	struct rng sub, prefix, suffix, active, mantissa, exponent, integer,
	    fractional;
	int	 has_exp;
};

struct npic {
	int	 igroups[64], nig, regular, minint, scaling, fgroups[64], nfg;
	int	 minfrac, maxfrac, minexp;
	struct rng prefix, suffix, sub;
	jv	 prefix_extra;	/* the minus sign of a negative picture */
};

static int
cp_at(const struct cps *p, struct rng r, int i)
{
	return (int)p->c[r.b + i];
}

static int
rng_index(const struct cps *p, struct rng r, unsigned ch, int from)
{
	int i;

	for (i = from < 0 ? 0 : from; i < r.n; i++)
		if (p->c[r.b + i] == ch)
			return i;
	return -1;
}

static int
rng_last(const struct cps *p, struct rng r, unsigned ch)
{
	int i;

	for (i = r.n - 1; i >= 0; i--)
		if (p->c[r.b + i] == ch)
			return i;
	return -1;
}

static int
is_digit_cp(const struct nprops *pr, unsigned c)
{
	return c >= pr->zero && c < pr->zero + 10;
}

static int
is_active(const struct nprops *pr, unsigned c)
{
	return is_digit_cp(pr, c) || c == pr->dec || c == pr->exp ||
	    c == pr->grp || c == pr->dig || c == pr->pat;
}

static struct rng
sub_rng(struct rng r, int from, int len)
{
	struct rng o;

	if (from > r.n)
		from = r.n;
	if (len < 0 || from + len > r.n)
		len = r.n - from;
	o.b = r.b + from;
	o.n = len;
	return o;
}

static void
split_parts(const struct cps *p, const struct nprops *pr, struct rng sub,
    struct nparts *pt)
{
	int i, plen = -1, slen = -1, epos, dpos;

	memset(pt, 0, sizeof(*pt));
	pt->sub = sub;
	for (i = 0; i < sub.n; i++)
		if (is_active(pr, (unsigned)cp_at(p, sub, i)) &&
		    (unsigned)cp_at(p, sub, i) != pr->exp) {
			plen = i;
			break;
		}
	for (i = sub.n - 1; i >= 0; i--)
		if (is_active(pr, (unsigned)cp_at(p, sub, i)) &&
		    (unsigned)cp_at(p, sub, i) != pr->exp) {
			slen = sub.n - i - 1;
			break;
		}
	/* no active character: JavaScript's undefined.length throws */
	if (plen < 0)
		plen = sub.n;
	if (slen < 0 || plen + slen > sub.n)
		slen = sub.n - plen;
	pt->prefix = sub_rng(sub, 0, plen);
	pt->suffix = sub_rng(sub, sub.n - slen, slen);
	pt->active = sub_rng(sub, plen, sub.n - plen - slen);
	epos = rng_index(p, sub, pr->exp, plen);
	if (epos == -1 || epos > sub.n - slen) {
		pt->mantissa = pt->active;
		pt->has_exp = 0;
	} else {
		/* as jsonata-js: positions of the sub-picture into the active part */
		pt->mantissa = sub_rng(pt->active, 0, epos);
		pt->exponent = sub_rng(pt->active, epos + 1, -1);
		pt->has_exp = 1;
	}
	dpos = rng_index(p, pt->mantissa, pr->dec, 0);
	if (dpos == -1) {
		pt->integer = pt->mantissa;
		pt->fractional = pt->suffix;
	} else {
		pt->integer = sub_rng(pt->mantissa, 0, dpos);
		pt->fractional = sub_rng(pt->mantissa, dpos + 1, -1);
	}
}

static const char *
validate_parts(const struct cps *p, const struct nprops *pr,
    const struct nparts *pt)
{
	const char *err = NULL;
	struct rng s = pt->sub;
	int dpos = rng_index(p, s, pr->dec, 0), i, ok, od;

	if (dpos != rng_last(p, s, pr->dec))
		err = "D3081";
	if (rng_index(p, s, pr->pct, 0) != rng_last(p, s, pr->pct))
		err = "D3082";
	if (rng_index(p, s, pr->pml, 0) != rng_last(p, s, pr->pml))
		err = "D3083";
	if (rng_index(p, s, pr->pct, 0) != -1 &&
	    rng_index(p, s, pr->pml, 0) != -1)
		err = "D3084";
	for (ok = 0, i = 0; i < pt->mantissa.n; i++)
		if (is_digit_cp(pr, (unsigned)cp_at(p, pt->mantissa, i)) ||
		    (unsigned)cp_at(p, pt->mantissa, i) == pr->dig)
			ok = 1;
	if (!ok)
		err = "D3085";
	for (i = 0; i < pt->active.n; i++)
		if (!is_active(pr, (unsigned)cp_at(p, pt->active, i)))
			err = "D3086";
	if (dpos != -1) {
		if ((dpos > 0 && (unsigned)cp_at(p, s, dpos - 1) == pr->grp) ||
		    (dpos + 1 < s.n && (unsigned)cp_at(p, s, dpos + 1) ==
		    pr->grp))
			err = "D3087";
	} else if (pt->integer.n > 0 && (unsigned)cp_at(p, pt->integer,
	    pt->integer.n - 1) == pr->grp)
		err = "D3088";
	for (i = 0; i + 1 < s.n; i++)
		if ((unsigned)cp_at(p, s, i) == pr->grp &&
		    (unsigned)cp_at(p, s, i + 1) == pr->grp)
			err = "D3089";
	od = rng_index(p, pt->integer, pr->dig, 0);
	for (i = 0; od != -1 && i < od; i++)
		if (is_digit_cp(pr, (unsigned)cp_at(p, pt->integer, i)))
			err = "D3090";
	od = rng_last(p, pt->fractional, pr->dig);
	for (i = od; od != -1 && i < pt->fractional.n; i++)
		if (is_digit_cp(pr, (unsigned)cp_at(p, pt->fractional, i)))
			err = "D3091";
	if (pt->has_exp && pt->exponent.n > 0 &&
	    (rng_index(p, s, pr->pct, 0) != -1 ||
	    rng_index(p, s, pr->pml, 0) != -1))
		err = "D3092";
	if (pt->has_exp) {
		if (pt->exponent.n == 0)
			err = "D3093";
		for (i = 0; i < pt->exponent.n; i++)
			if (!is_digit_cp(pr, (unsigned)cp_at(p, pt->exponent,
			    i)))
				err = "D3093";
	}
	return err;
}

static int
count_digits(const struct cps *p, const struct nprops *pr, struct rng r,
    int with_optional)
{
	int i, k = 0;
	unsigned c;

	for (i = 0; i < r.n; i++) {
		c = (unsigned)cp_at(p, r, i);
		if (is_digit_cp(pr, c) || (with_optional && c == pr->dig))
			k++;
	}
	return k;
}

static int
grouping_positions(const struct cps *p, const struct nprops *pr,
    const struct nparts *pt, struct rng part, int to_left, int *out)
{
	int pos = rng_index(p, part, pr->grp, 0), n = 0;

	while (pos != -1 && n < 64) {
		out[n++] = to_left ?
		    count_digits(p, pr, sub_rng(part, 0, pos), 1) :
		    count_digits(p, pr, sub_rng(part, pos, -1), 1);
		/* jsonata-js looks for the next one in the integer part */
		pos = rng_index(p, pt->integer, pr->grp, pos + 1);
	}
	return n;
}

static void
analyse_parts(const struct cps *p, const struct nprops *pr,
    const struct nparts *pt, struct npic *a)
{
	int factor, i, k, found;

	memset(a, 0, sizeof(*a));
	a->prefix_extra = jv_string("");
	a->nig = grouping_positions(p, pr, pt, pt->integer, 0, a->igroups);
	if (a->nig > 0) {
		factor = a->igroups[0];
		for (i = 1; i < a->nig; i++)
			factor = gcd_i(factor, a->igroups[i]);
		a->regular = factor;
		for (k = 1; factor != 0 && k <= a->nig; k++) {
			for (found = 0, i = 0; i < a->nig; i++)
				if (a->igroups[i] == k * factor)
					found = 1;
			if (!found)
				a->regular = 0;
		}
	}
	a->nfg = grouping_positions(p, pr, pt, pt->fractional, 1, a->fgroups);
	a->minint = count_digits(p, pr, pt->integer, 0);
	a->scaling = a->minint;
	a->minfrac = count_digits(p, pr, pt->fractional, 0);
	a->maxfrac = count_digits(p, pr, pt->fractional, 1);
	if (a->minint == 0 && a->maxfrac == 0) {
		if (pt->has_exp) {
			a->minfrac = 1;
			a->maxfrac = 1;
		} else
			a->minint = 1;
	}
	if (pt->has_exp && a->minint == 0 &&
	    rng_index(p, pt->integer, pr->dig, 0) != -1)
		a->minint = 1;
	if (a->minint == 0 && a->minfrac == 0)
		a->minfrac = 1;
	a->minexp = pt->has_exp ? count_digits(p, pr, pt->exponent, 0) : 0;
	a->prefix = pt->prefix;
	a->suffix = pt->suffix;
	a->sub = pt->sub;
}

static unsigned
first_cp(jv s, unsigned dflt)
{
	size_t i = 0, n;

	if (jv_get_kind(s) != JV_KIND_STRING ||
	    (n = (size_t)jv_string_length_bytes(jv_copy(s))) == 0) {
		jv_free(s);
		return dflt;
	}
	dflt = asl_utf8_decode(jv_string_value(s), n, &i);
	jv_free(s);
	return dflt;
}

/* Append code points [from, to) of buf. */
static jv
put_cps(jv out, const unsigned *buf, int from, int to)
{
	int i;

	for (i = from; i < to; i++)
		out = jn_utf8_append(out, buf[i]);
	return out;
}

static V
f_format_number(FNARGS)
{
	struct nprops pr;
	struct cps pic;
	struct nparts parts[2];
	struct npic an[2], *pc;
	struct rng whole;
	const char *err, *ps;
	size_t i = 0, plen;
	int nsub = 1, k, semi = -1, dp, len, dpos, padl, padr, g;
	unsigned *buf;
	double v, adj, mant, exp10 = 0, maxm, minm;
	int has_exp10 = 0, neg_m;
	char digs[400];
	jv out, opt = n > 2 ? a[2].v : jv_invalid();

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	/* a picture that is undefined (a path to nothing) is no string */
	if (!jn_v_isstr(a[1]))
		return jn_fail1("T0410", 2, jv_invalid());
	memset(&pr, 0, sizeof(pr));
	pr.dec = '.';
	pr.grp = ',';
	pr.exp = 'e';
	pr.pct = '%';
	pr.pml = 0x2030;
	pr.zero = '0';
	pr.dig = '#';
	pr.pat = ';';
	pr.minus = jv_string("-");
	if (jv_get_kind(opt) == JV_KIND_OBJECT) {
#define OPT(k)	jv_object_get(jv_copy(opt), jv_string(k))
		pr.dec = first_cp(OPT("decimal-separator"), pr.dec);
		pr.grp = first_cp(OPT("grouping-separator"), pr.grp);
		pr.exp = first_cp(OPT("exponent-separator"), pr.exp);
		pr.pct = first_cp(OPT("percent"), pr.pct);
		pr.pml = first_cp(OPT("per-mille"), pr.pml);
		pr.zero = first_cp(OPT("zero-digit"), pr.zero);
		pr.dig = first_cp(OPT("digit"), pr.dig);
		pr.pat = first_cp(OPT("pattern-separator"), pr.pat);
		{
			jv m = OPT("minus-sign");

			if (jv_get_kind(m) == JV_KIND_STRING) {
				jv_free(pr.minus);
				pr.minus = m;
			} else
				jv_free(m);
		}
#undef OPT
	}
	ps = jn_str(a[1]);
	plen = jn_slen(a[1]);
	if ((pic.c = calloc(plen + 1, sizeof(*pic.c))) == NULL)
		abort();
	pic.n = 0;
	while (i < plen)
		pic.c[pic.n++] = asl_utf8_decode(ps, plen, &i);
	for (k = 0; k < pic.n; k++)
		if (pic.c[k] == pr.pat) {
			if (semi >= 0)
				nsub = 3;
			else {
				semi = k;
				nsub = 2;
			}
		}
	if (nsub > 2) {
		free(pic.c);
		jv_free(pr.minus);
		return jn_err("D3080", jv_object());
	}
	whole.b = 0;
	whole.n = pic.n;
	if (nsub == 1)
		split_parts(&pic, &pr, whole, &parts[0]);
	else {
		split_parts(&pic, &pr, sub_rng(whole, 0, semi), &parts[0]);
		split_parts(&pic, &pr, sub_rng(whole, semi + 1, -1), &parts[1]);
	}
	for (k = 0; k < nsub; k++)
		if ((err = validate_parts(&pic, &pr, &parts[k])) != NULL) {
			free(pic.c);
			jv_free(pr.minus);
			return jn_err(err, jv_object());
		}
	for (k = 0; k < nsub; k++)
		analyse_parts(&pic, &pr, &parts[k], &an[k]);
	if (nsub == 1) {
		an[1] = an[0];
		an[1].prefix_extra = jv_copy(pr.minus);
	}
	v = jn_num(a[0]);
	pc = v >= 0 ? &an[0] : &an[1];
	if (rng_index(&pic, pc->sub, pr.pct, 0) != -1)
		adj = v * 100;
	else if (rng_index(&pic, pc->sub, pr.pml, 0) != -1)
		adj = v * 1000;
	else
		adj = v;
	mant = adj;
	if (pc->minexp != 0) {
		/* jsonata-js loops forever on 0 and negatives: not here */
		maxm = pow(10, pc->scaling);
		minm = pow(10, pc->scaling - 1);
		neg_m = mant < 0;
		mant = fabs(mant);
		has_exp10 = 1;
		while (mant != 0 && mant < minm) {
			mant *= 10;
			exp10 -= 1;
		}
		while (mant > maxm) {
			mant /= 10;
			exp10 += 1;
		}
		if (neg_m)
			mant = -mant;
	}
	mant = round_prec(mant, pc->maxfrac);
	dp = pc->maxfrac;
	snprintf(digs, sizeof(digs), "%.*f", dp > 100 ? 100 : dp, fabs(mant));
	/* the digits as code points, '.' as the decimal separator */
	len = (int)strlen(digs);
	if ((buf = calloc((size_t)len * 4 + 200, sizeof(*buf))) == NULL)
		abort();
	for (k = 0; k < len; k++)
		buf[k] = digs[k] == '.' ? pr.dec :
		    isdigit((unsigned char)digs[k]) ?
		    pr.zero + (unsigned)(digs[k] - '0') : (unsigned)digs[k];
	if (strchr(digs, '.') == NULL)
		buf[len++] = pr.dec;
	/* strip zero digits from both ends */
	{
		int b = 0, e = len;

		while (b < e && buf[b] == pr.zero)
			b++;
		while (e > b && buf[e - 1] == pr.zero)
			e--;
		memmove(buf, buf + b, (size_t)(e - b) * sizeof(*buf));
		len = e - b;
	}
	for (dpos = 0; dpos < len && buf[dpos] != pr.dec; dpos++)
		;
	padl = pc->minint - dpos;
	padr = pc->minfrac - (len - dpos - 1);
	if (padl > 0) {
		memmove(buf + padl, buf, (size_t)len * sizeof(*buf));
		for (k = 0; k < padl; k++)
			buf[k] = pr.zero;
		len += padl;
	}
	for (k = 0; k < padr; k++)
		buf[len++] = pr.zero;
	for (dpos = 0; dpos < len && buf[dpos] != pr.dec; dpos++)
		;
	/* grouping: insert separators */
#define INSERT_AT(pos) do {						\
		int at_ = (pos) < 0 ? 0 : (pos) > len ? len : (pos);	\
		memmove(buf + at_ + 1, buf + at_,			\
		    (size_t)(len - at_) * sizeof(*buf));		\
		buf[at_] = pr.grp;					\
		len++;							\
	} while (0)
	if (pc->regular > 0) {
		int gc = (dpos - 1) / pc->regular;

		for (g = 1; g <= gc; g++)
			INSERT_AT(dpos - g * pc->regular);
	} else {
		for (g = 0; g < pc->nig; g++) {
			INSERT_AT(dpos - pc->igroups[g]);
			dpos++;
		}
	}
	for (dpos = 0; dpos < len && buf[dpos] != pr.dec; dpos++)
		;
	for (g = 0; g < pc->nfg; g++)
		INSERT_AT(pc->fgroups[g] + dpos + 1);
#undef INSERT_AT
	for (dpos = 0; dpos < len && buf[dpos] != pr.dec; dpos++)
		;
	if (rng_index(&pic, pc->sub, pr.dec, 0) == -1 || dpos == len - 1)
		len--;
	out = jv_copy(pc->prefix_extra);
	out = put_cps(out, pic.c, pc->prefix.b, pc->prefix.b + pc->prefix.n);
	out = put_cps(out, buf, 0, len);
	if (has_exp10) {
		char eb[32];
		int el, z;

		snprintf(eb, sizeof(eb), "%.0f", fabs(exp10));
		el = (int)strlen(eb);
		out = jn_utf8_append(out, pr.exp);
		if (exp10 < 0)
			out = jv_string_concat(out, jv_copy(pr.minus));
		for (z = el; z < pc->minexp; z++)
			out = jn_utf8_append(out, pr.zero);
		for (z = 0; z < el; z++)
			out = jn_utf8_append(out, pr.zero + (unsigned)(eb[z] - '0'));
	}
	out = put_cps(out, pic.c, pc->suffix.b, pc->suffix.b + pc->suffix.n);
	free(buf);
	free(pic.c);
	jv_free(an[0].prefix_extra);
	jv_free(an[1].prefix_extra);
	jv_free(pr.minus);
	return VJ(out);
}


const struct jbuiltin jn_builtins_number[] = {
	{"abs", "<n-:n>", 1, f_abs},
	{"average", "<a<n>:n>", 1, f_average},
	{"ceil", "<n-:n>", 1, f_ceil},
	{"count", "<a:n>", 1, f_count},
	{"floor", "<n-:n>", 1, f_floor},
	{"formatBase", "<n-n?:s>", 2, f_format_base},
	{"formatNumber", "<n-so?:s>", 3, f_format_number},
	{"max", "<a<n>:n>", 1, f_max},
	{"min", "<a<n>:n>", 1, f_min},
	{"number", "<(nsb)-:n>", 1, f_number},
	{"power", "<n-n:n>", 2, f_power},
	{"random", "<n?:n>", 0, f_random},
	{"round", "<n-n?:n>", 2, f_round},
	{"sqrt", "<n-:n>", 1, f_sqrt},
	{"sum", "<a<n>:n>", 1, f_sum},
	{NULL, NULL, 0, NULL}
};
