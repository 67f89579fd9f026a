/*
 * jn_regex.c - JSONata's regular expressions: JavaScript's
 * syntax and matching rules, on UTF-8 text, by backtracking.
 *
 * jsonata-js hands patterns to JavaScript's RegExp, so AWS matches the
 * way JavaScript does: the leftmost match, alternatives tried in order,
 * greedy and lazy quantifiers, lookahead, back references.  POSIX
 * regexec answers differently (leftmost-longest, no lazy quantifiers, no
 * lookahead), hence this small engine.  Supported: literals and escapes
 * (\n \t \r \f \v \0 \xHH \uHHHH), . (not a line terminator), classes
 * with ranges and \d \w \s \D \W \S in or out of brackets, ^ $ (line
 * anchors with the m flag), \b \B, groups (capturing, (?:...) and
 * (?<name>...)), back references \1-\9, lookahead (?=...) (?!...),
 * lookbehind (?<=...) (?<!...), alternation, * + ? {n} {n,} {n,m} and
 * their lazy forms, and the flags i and m.  Case folding covers ASCII,
 * Latin-1, Greek and Cyrillic.  A malformed pattern is error S0303
 * (JavaScript throws a SyntaxError without a code); a pattern that
 * backtracks without end is error U1002 rather than a hang.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "jn.h"

/*
 * Steps of backtracking before a match attempt gives up (error U1002):
 * 0.13 s here.  The fuzz build (make FUZZ=1) allows a tenth: under ASan
 * 20 million take 11 s, past the fuzzer's timeout.
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define RX_STEPS	2000000L
#else
#define RX_STEPS	20000000L
#endif
/* C stack a match attempt may use before it gives up (error U1002). */
#define RX_STACK	((uintptr_t)2 << 20)

enum rx_type {
	RX_CHAR, RX_ANY, RX_CLASS, RX_BOL, RX_EOL, RX_WORDB, RX_NWORDB,
	RX_GROUP, RX_ALT, RX_REPEAT, RX_BACKREF, RX_LOOK
};

struct rx_range {
	unsigned lo, hi;
};

struct rxn {
	enum rx_type type;
	unsigned c;		/* RX_CHAR */
	struct rx_range *r;	/* RX_CLASS ranges */
	int	 nr;
	int	 neg;		/* RX_CLASS negated; RX_LOOK negative */
	int	 behind;	/* RX_LOOK: lookbehind */
	int	 group;		/* RX_GROUP: capture number, 0 for none */
	int	 min, max, greedy;	/* RX_REPEAT (max -1: no bound) */
	struct rxn *kid;	/* RX_GROUP, RX_REPEAT, RX_LOOK */
	struct rxn **alts;	/* RX_ALT: each a sequence */
	int	 nalts;
	struct rxn *next;	/* the rest of the sequence */
	struct rxn *all;	/* every node, for freeing */
};

struct rx {
	struct rxn *root;
	struct rxn *nodes;
	int	 ngroups;
	int	 icase, multiline;
};

struct rxparse {
	struct rx *rx;
	const char *p;
	const char *why;
};

/* Parsing */

static struct rxn *
rx_node(struct rxparse *ps, enum rx_type t)
{
	struct rxn *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		abort();
	n->type = t;
	n->all = ps->rx->nodes;
	ps->rx->nodes = n;
	return n;
}

static void
add_range(struct rxn *n, unsigned lo, unsigned hi)
{
	struct rx_range *nr;

	if ((nr = realloc(n->r, (n->nr + 1) * sizeof(*nr))) == NULL)
		abort();
	n->r = nr;
	n->r[n->nr].lo = lo;
	n->r[n->nr].hi = hi;
	n->nr++;
}

static unsigned
dec8(const char *s, size_t n, size_t *i)
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

static unsigned
next_cp(struct rxparse *ps)
{
	size_t i = 0, n = strlen(ps->p);
	unsigned c = dec8(ps->p, n, &i);

	ps->p += i;
	return c;
}

static int
hexn(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		v = v * 16 + (isdigit((unsigned char)s[i]) ? s[i] - '0' :
		    tolower((unsigned char)s[i]) - 'a' + 10);
	}
	return v;
}

/* The ranges of \d \w \s, or of their complements. */
static void
class_escape(struct rxn *n, char e)
{
	static const struct rx_range digit[] = {{'0', '9'}};
	static const struct rx_range word[] = {
		{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}
	};
	static const struct rx_range space[] = {
		{0x09, 0x0D}, {0x20, 0x20}, {0xA0, 0xA0}, {0x1680, 0x1680},
		{0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F},
		{0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}
	};
	const struct rx_range *r;
	int k, i;
	unsigned lo = 0;

	switch (tolower((unsigned char)e)) {
	case 'd': r = digit; k = 1; break;
	case 'w': r = word; k = 4; break;
	default: r = space; k = 10; break;
	}
	if (islower((unsigned char)e)) {
		for (i = 0; i < k; i++)
			add_range(n, r[i].lo, r[i].hi);
		return;
	}
	for (i = 0; i < k; i++) {	/* the complement, ranges ascending */
		if (r[i].lo > lo)
			add_range(n, lo, r[i].lo - 1);
		lo = r[i].hi + 1;
	}
	add_range(n, lo, 0x10FFFF);
}

/* An escape's character (after the backslash), or -1 if it is not one. */
static int
escape_char(struct rxparse *ps)
{
	int v;
	char e = *ps->p;

	switch (e) {
	case 'n': ps->p++; return '\n';
	case 't': ps->p++; return '\t';
	case 'r': ps->p++; return '\r';
	case 'f': ps->p++; return '\f';
	case 'v': ps->p++; return '\v';
	case '0': ps->p++; return 0;
	case 'x':
		if ((v = hexn(ps->p + 1, 2)) >= 0) {
			ps->p += 3;
			return v;
		}
		ps->p++;
		return 'x';
	case 'u':
		if ((v = hexn(ps->p + 1, 4)) >= 0) {
			ps->p += 5;
			return v;
		}
		ps->p++;
		return 'u';
	case '\0':
		ps->why = "trailing backslash";
		return -1;
	}
	return (int)next_cp(ps);
}

static struct rxn *
parse_class(struct rxparse *ps)
{
	struct rxn *n = rx_node(ps, RX_CLASS);
	unsigned lo, hi;
	int c, first = 1;

	if (*ps->p == '^') {
		n->neg = 1;
		ps->p++;
	}
	while (*ps->p != ']' || 0) {
		if (*ps->p == '\0') {
			ps->why = "unterminated character class";
			return NULL;
		}
		(void)first;
		first = 0;
		if (*ps->p == '\\') {
			ps->p++;
			if (strchr("dDwWsS", *ps->p) != NULL && *ps->p != '\0') {
				class_escape(n, *ps->p++);
				continue;
			}
			if (*ps->p == 'b') {
				ps->p++;
				c = '\b';
			} else if ((c = escape_char(ps)) < 0)
				return NULL;
		} else
			c = (int)next_cp(ps);
		lo = (unsigned)c;
		hi = lo;
		if (ps->p[0] == '-' && ps->p[1] != ']' && ps->p[1] != '\0') {
			ps->p++;
			if (*ps->p == '\\') {
				ps->p++;
				if (strchr("dDwWsS", *ps->p) != NULL) {
					/* [a-\d]: a, '-' and the class */
					add_range(n, lo, lo);
					add_range(n, '-', '-');
					class_escape(n, *ps->p++);
					continue;
				}
				if ((c = escape_char(ps)) < 0)
					return NULL;
			} else
				c = (int)next_cp(ps);
			hi = (unsigned)c;
			if (hi < lo) {
				ps->why = "range out of order in character class";
				return NULL;
			}
		}
		add_range(n, lo, hi);
	}
	ps->p++;
	return n;
}

static struct rxn *parse_alt(struct rxparse *);

static struct rxn *
parse_atom(struct rxparse *ps)
{
	struct rxn *n;
	int c;

	switch (*ps->p) {
	case '(':
		ps->p++;
		if (ps->p[0] == '?') {
			if (ps->p[1] == ':') {
				ps->p += 2;
				n = rx_node(ps, RX_GROUP);
			} else if (ps->p[1] == '=' || ps->p[1] == '!') {
				n = rx_node(ps, RX_LOOK);
				n->neg = ps->p[1] == '!';
				ps->p += 2;
			} else if (ps->p[1] == '<' && (ps->p[2] == '=' ||
			    ps->p[2] == '!')) {
				n = rx_node(ps, RX_LOOK);
				n->neg = ps->p[2] == '!';
				n->behind = 1;
				ps->p += 3;
			} else if (ps->p[1] == '<') {
				const char *e = strchr(ps->p, '>');

				if (e == NULL) {
					ps->why = "unterminated group name";
					return NULL;
				}
				ps->p = e + 1;
				n = rx_node(ps, RX_GROUP);
				n->group = ++ps->rx->ngroups;
			} else {
				ps->why = "invalid group";
				return NULL;
			}
		} else {
			n = rx_node(ps, RX_GROUP);
			n->group = ++ps->rx->ngroups;
		}
		n->kid = parse_alt(ps);
		if (ps->why != NULL)
			return NULL;
		if (*ps->p != ')') {
			ps->why = "missing )";
			return NULL;
		}
		ps->p++;
		return n;
	case '[':
		ps->p++;
		return parse_class(ps);
	case '.':
		ps->p++;
		n = rx_node(ps, RX_CLASS);	/* not a line terminator */
		n->neg = 1;
		add_range(n, '\n', '\n');
		add_range(n, '\r', '\r');
		add_range(n, 0x2028, 0x2029);
		return n;
	case '^':
		ps->p++;
		return rx_node(ps, RX_BOL);
	case '$':
		ps->p++;
		return rx_node(ps, RX_EOL);
	case '\\':
		ps->p++;
		if (*ps->p == 'b' || *ps->p == 'B')
			return rx_node(ps, *ps->p++ == 'b' ? RX_WORDB :
			    RX_NWORDB);
		if (*ps->p != '\0' && strchr("dDwWsS", *ps->p) != NULL) {
			n = rx_node(ps, RX_CLASS);
			class_escape(n, *ps->p++);
			return n;
		}
		if (*ps->p >= '1' && *ps->p <= '9') {
			n = rx_node(ps, RX_BACKREF);
			n->group = 0;
			/*
			 * past any group a pattern can have, the number stops
			 * growing (it overflowed int, then indexed the captures
			 * below zero): a reference to no group matches nothing
			 */
			while (isdigit((unsigned char)*ps->p)) {
				if (n->group < 100000)
					n->group = n->group * 10 + (*ps->p - '0');
				ps->p++;
			}
			return n;
		}
		if ((c = escape_char(ps)) < 0)
			return NULL;
		n = rx_node(ps, RX_CHAR);
		n->c = (unsigned)c;
		return n;
	case '*': case '+': case '?':
		ps->why = "nothing to repeat";
		return NULL;
	}
	n = rx_node(ps, RX_CHAR);
	n->c = next_cp(ps);
	return n;
}

/* {n}, {n,} or {n,m} at ps->p: 1 and the bounds, or 0 (a literal {). */
static int
brace_quant(const char *p, int *min, int *max, const char **end)
{
	long a, b = -1;
	char *q;

	if (*p != '{' || !isdigit((unsigned char)p[1]))
		return 0;
	a = strtol(p + 1, &q, 10);
	if (*q == ',') {
		q++;
		if (isdigit((unsigned char)*q))
			b = strtol(q, &q, 10);
	} else
		b = a;
	if (*q != '}')
		return 0;
	*min = a > 100000 ? 100000 : (int)a;
	*max = b > 100000 ? 100000 : (int)b;
	*end = q + 1;
	return 1;
}

static struct rxn *
parse_seq(struct rxparse *ps)
{
	struct rxn *head = NULL, **tail = &head, *atom, *rep;
	int min, max;
	const char *end;

	while (*ps->p != '\0' && *ps->p != '|' && *ps->p != ')') {
		atom = parse_atom(ps);
		if (atom == NULL)
			return NULL;
		for (;;) {
			if (*ps->p == '*') {
				min = 0;
				max = -1;
				ps->p++;
			} else if (*ps->p == '+') {
				min = 1;
				max = -1;
				ps->p++;
			} else if (*ps->p == '?') {
				min = 0;
				max = 1;
				ps->p++;
			} else if (brace_quant(ps->p, &min, &max, &end)) {
				ps->p = end;
			} else
				break;
			if (max >= 0 && max < min) {
				ps->why = "numbers out of order in {} quantifier";
				return NULL;
			}
			if (atom->type == RX_BOL || atom->type == RX_EOL ||
			    atom->type == RX_WORDB || atom->type == RX_NWORDB ||
			    atom->type == RX_REPEAT) {
				ps->why = "nothing to repeat";
				return NULL;
			}
			rep = rx_node(ps, RX_REPEAT);
			rep->kid = atom;
			rep->min = min;
			rep->max = max;
			rep->greedy = 1;
			if (*ps->p == '?') {
				rep->greedy = 0;
				ps->p++;
			}
			atom = rep;
		}
		*tail = atom;
		tail = &atom->next;
	}
	return head;
}

static struct rxn *
parse_alt(struct rxparse *ps)
{
	struct rxn *first, *alt, **na;

	first = parse_seq(ps);
	if (ps->why != NULL || *ps->p != '|')
		return first;
	alt = rx_node(ps, RX_ALT);
	for (;;) {
		if ((na = realloc(alt->alts, (alt->nalts + 1) *
		    sizeof(*na))) == NULL)
			abort();
		alt->alts = na;
		alt->alts[alt->nalts++] = first;
		if (*ps->p != '|')
			break;
		ps->p++;
		first = parse_seq(ps);
		if (ps->why != NULL)
			return NULL;
	}
	return alt;
}

static void
rx_free(struct rx *rx)
{
	struct rxn *n, *next;

	if (rx == NULL)
		return;
	for (n = rx->nodes; n != NULL; n = next) {
		next = n->all;
		free(n->r);
		free(n->alts);
		free(n);
	}
	free(rx);
}

void
jn_regex_free(struct jn *n)
{
	rx_free(n->rx);
	n->rx = NULL;
}

int
jn_regex_compile(struct jn *n, const char *pattern, const char *flags,
    jv *err)
{
	struct rxparse ps;
	struct rx *rx;
	int i;

	if ((rx = calloc(1, sizeof(*rx))) == NULL)
		abort();
	rx->icase = strchr(flags, 'i') != NULL;
	rx->multiline = strchr(flags, 'm') != NULL;
	ps.rx = rx;
	ps.p = pattern;
	ps.why = NULL;
	rx->root = parse_alt(&ps);
	if (ps.why == NULL && *ps.p != '\0')
		ps.why = "unmatched )";
	if (ps.why != NULL) {
		*err = jn_err("S0303", JV_OBJECT(jv_string("position"),
		    jv_number(n->pos), jv_string("value"),
		    jv_string_fmt("/%s/: %s", pattern, ps.why))).v;
		rx_free(rx);
		return -1;
	}
	n->rx = rx;
	n->re_ngroups = rx->ngroups;
	if ((n->re_map = calloc(rx->ngroups + 1, sizeof(int))) == NULL)
		abort();
	for (i = 0; i < rx->ngroups; i++)
		n->re_map[i] = i + 1;
	return 0;
}

/* Matching */

struct cap {
	long	 so, eo;
};

struct mstate {
	const struct rx *rx;
	const char *s;
	size_t	 len;
	struct cap *caps;
	long	 end;
	long	 steps;
	uintptr_t stack_base;
	int	 overflow;
};

enum { K_SEQ, K_GROUP, K_REPEAT, K_LOOK, K_LOOKBEHIND };

struct cont {
	int	 kind;
	struct rxn *n;		/* K_SEQ: what follows; K_REPEAT: the loop */
	long	 start;		/* K_GROUP, K_REPEAT: where it began */
	int	 count;		/* K_REPEAT: iterations done */
	struct cont *up;
};

static unsigned
fold(unsigned c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
	    (c >= 0x391 && c <= 0x3A9) || (c >= 0x410 && c <= 0x42F))
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

static unsigned
unfold(unsigned c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
	    (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) ||
	    (c >= 0x430 && c <= 0x44F))
		return c - 32;
	if (c >= 0x450 && c <= 0x45F)
		return c - 80;
	return c;
}

static int
in_class(const struct rxn *n, unsigned c, int icase)
{
	int i, hit = 0;
	unsigned a = c, b = c;

	if (icase) {
		a = fold(c);
		b = unfold(c);
	}
	for (i = 0; i < n->nr && !hit; i++)
		hit = (c >= n->r[i].lo && c <= n->r[i].hi) ||
		    (a >= n->r[i].lo && a <= n->r[i].hi) ||
		    (b >= n->r[i].lo && b <= n->r[i].hi);
	return hit != n->neg;
}

static int
is_word_byte(const struct mstate *st, long pos)
{
	unsigned char c;

	if (pos < 0 || (size_t)pos >= st->len)
		return 0;
	c = (unsigned char)st->s[pos];
	return isalnum(c) || c == '_';
}

static int
is_line_end(unsigned c)
{
	return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
}

/* The code point at pos and the position after it. */
static unsigned
cp_at(const struct mstate *st, long pos, long *next)
{
	size_t i = (size_t)pos;
	unsigned c = dec8(st->s, st->len, &i);

	*next = (long)i;
	return c;
}

/* Whether a single-character node matches at pos; *next past it. */
static int
match_one(const struct mstate *st, const struct rxn *n, long pos,
    long *next)
{
	unsigned c;

	if ((size_t)pos >= st->len)
		return 0;
	c = cp_at(st, pos, next);
	if (n->type == RX_CHAR)
		return c == n->c || (st->rx->icase && fold(c) == fold(n->c));
	return in_class(n, c, st->rx->icase);
}

static int m(struct mstate *, struct rxn *, long, struct cont *);

static int
kont(struct mstate *st, struct cont *k, long pos)
{
	struct cap old;
	struct cont c;
	struct rxn *r;
	int ok;

	if (k == NULL) {
		st->end = pos;
		return 1;
	}
	switch (k->kind) {
	case K_SEQ:
		return m(st, k->n, pos, k->up);
	case K_GROUP:
		r = k->n;
		old = st->caps[r->group];
		st->caps[r->group].so = k->start;
		st->caps[r->group].eo = pos;
		if ((ok = m(st, r->next, pos, k->up)) == 0)
			st->caps[r->group] = old;
		return ok;
	case K_LOOK:
		st->end = pos;
		return 1;
	case K_LOOKBEHIND:	/* k->start: where the lookbehind must end */
		return pos == k->start;
	case K_REPEAT:
		r = k->n;
		/* an iteration that matched nothing ends the loop */
		if (pos == k->start && k->count + 1 > r->min)
			return 0;
		c = *k;
		c.count = k->count + 1;
		c.start = pos;
		if (r->greedy) {
			if (r->max < 0 || c.count < r->max) {
				if (m(st, r->kid, pos, &c))
					return 1;
			}
			return c.count >= r->min ? m(st, r->next, pos, k->up) : 0;
		}
		if (c.count >= r->min && m(st, r->next, pos, k->up))
			return 1;
		if (r->max < 0 || c.count < r->max)
			return m(st, r->kid, pos, &c);
		return 0;
	}
	return 0;
}

/* Repeat a single-character node without recursing per character. */
static int
repeat_simple(struct mstate *st, struct rxn *n, long pos, struct cont *k)
{
	long *at, next;
	int cnt = 0, cap = 64, i;

	if ((at = malloc(cap * sizeof(*at))) == NULL)
		abort();
	at[0] = pos;
	while ((n->max < 0 || cnt < n->max) &&
	    match_one(st, n->kid, at[cnt], &next)) {
		if (cnt + 2 > cap) {
			cap *= 2;
			if ((at = realloc(at, cap * sizeof(*at))) == NULL)
				abort();
		}
		at[++cnt] = next;
	}
	if (n->greedy) {
		for (i = cnt; i >= n->min; i--)
			if (m(st, n->next, at[i], k)) {
				free(at);
				return 1;
			}
	} else {
		for (i = n->min; i <= cnt; i++)
			if (m(st, n->next, at[i], k)) {
				free(at);
				return 1;
			}
	}
	free(at);
	return 0;
}

/* A sequence of single characters and classes: it cannot backtrack. */
static int
plain_seq(const struct rxn *s)
{
	if (s == NULL)
		return 0;
	for (; s != NULL; s = s->next)
		if (s->type != RX_CHAR && s->type != RX_CLASS)
			return 0;
	return 1;
}

/*
 * Repeat a group of a plain sequence, as (ab)* or (?:\d\d)+, without
 * recursing per iteration; the group captures its last iteration.
 */
static int
repeat_group(struct mstate *st, struct rxn *n, long pos, struct cont *k)
{
	struct rxn *g = n->kid, *e;
	struct cap old;
	long *at, p;
	int cnt = 0, cap = 64, i, ok = 0, step;

	if ((at = malloc(cap * sizeof(*at))) == NULL)
		abort();
	at[0] = pos;
	while (n->max < 0 || cnt < n->max) {
		p = at[cnt];
		for (e = g->kid; e != NULL; e = e->next)
			if (!match_one(st, e, p, &p))
				break;
		if (e != NULL || p == at[cnt])
			break;
		if (cnt + 2 > cap) {
			cap *= 2;
			if ((at = realloc(at, cap * sizeof(*at))) == NULL)
				abort();
		}
		at[++cnt] = p;
	}
	if (g->group)
		old = st->caps[g->group];
	step = n->greedy ? -1 : 1;
	for (i = n->greedy ? cnt : n->min; i >= n->min && i <= cnt;
	    i += step) {
		if (g->group) {
			if (i > 0) {
				st->caps[g->group].so = at[i - 1];
				st->caps[g->group].eo = at[i];
			} else
				st->caps[g->group] = old;
		}
		if ((ok = m(st, n->next, at[i], k)) != 0)
			break;
	}
	if (!ok && g->group)
		st->caps[g->group] = old;
	free(at);
	return ok;
}

static int
m(struct mstate *st, struct rxn *n, long pos, struct cont *k)
{
	struct cont c;
	struct cap *saved;
	long next, len;
	int i, ok;
	char probe;
	uintptr_t here = (uintptr_t)&probe;

	if (st->overflow)
		return 0;
	if (++st->steps > RX_STEPS || (st->stack_base > here ?
	    st->stack_base - here : here - st->stack_base) > RX_STACK) {
		st->overflow = 1;
		return 0;
	}
	if (n == NULL)
		return kont(st, k, pos);
	ok = 0;
	switch (n->type) {
	case RX_CHAR:
	case RX_CLASS:
		ok = match_one(st, n, pos, &next) && m(st, n->next, next, k);
		break;
	case RX_ANY:
		break;
	case RX_BOL:
		ok = (pos == 0 || (st->rx->multiline && is_line_end(
		    (unsigned char)st->s[pos - 1]))) && m(st, n->next, pos, k);
		break;
	case RX_EOL:
		ok = ((size_t)pos == st->len || (st->rx->multiline &&
		    is_line_end(cp_at(st, pos, &next)))) &&
		    m(st, n->next, pos, k);
		break;
	case RX_WORDB:
	case RX_NWORDB:
		ok = (is_word_byte(st, pos - 1) != is_word_byte(st, pos)) ==
		    (n->type == RX_WORDB) && m(st, n->next, pos, k);
		break;
	case RX_GROUP:
		c.kind = n->group ? K_GROUP : K_SEQ;
		c.n = n->group ? n : n->next;
		c.start = pos;
		c.up = k;
		ok = m(st, n->kid, pos, &c);
		break;
	case RX_ALT:
		c.kind = K_SEQ;
		c.n = n->next;
		c.up = k;
		for (i = 0; i < n->nalts && !ok; i++)
			ok = m(st, n->alts[i], pos, &c);
		break;
	case RX_REPEAT:
		if ((n->kid->type == RX_CHAR || n->kid->type == RX_CLASS) &&
		    n->kid->next == NULL) {
			ok = repeat_simple(st, n, pos, k);
			break;
		}
		if (n->kid->type == RX_GROUP && plain_seq(n->kid->kid)) {
			ok = repeat_group(st, n, pos, k);
			break;
		}
		c.kind = K_REPEAT;
		c.n = n;
		c.start = pos;
		c.count = 0;
		c.up = k;
		if (n->greedy) {
			if (n->max != 0)
				ok = m(st, n->kid, pos, &c);
			if (!ok && n->min == 0)
				ok = m(st, n->next, pos, k);
		} else {
			if (n->min == 0)
				ok = m(st, n->next, pos, k);
			if (!ok && n->max != 0)
				ok = m(st, n->kid, pos, &c);
		}
		break;
	case RX_BACKREF:
		if (n->group > st->rx->ngroups || st->caps[n->group].so < 0) {
			ok = m(st, n->next, pos, k);	/* matches nothing */
			break;
		}
		len = st->caps[n->group].eo - st->caps[n->group].so;
		if ((size_t)(pos + len) <= st->len && (st->rx->icase ?
		    strncasecmp(st->s + pos, st->s + st->caps[n->group].so,
		    (size_t)len) : memcmp(st->s + pos,
		    st->s + st->caps[n->group].so, (size_t)len)) == 0)
			ok = m(st, n->next, pos + len, k);
		break;
	case RX_LOOK:
		if ((saved = malloc((st->rx->ngroups + 1) *
		    sizeof(*saved))) == NULL)
			abort();
		memcpy(saved, st->caps, (st->rx->ngroups + 1) *
		    sizeof(*saved));
		c.kind = n->behind ? K_LOOKBEHIND : K_LOOK;
		c.start = pos;
		c.up = NULL;
		if (n->behind) {
			/*
			 * The nearest start from which the pattern ends just
			 * here: JavaScript matches lookbehind right to left.
			 */
			long b;

			for (ok = 0, b = pos; b >= 0 && !ok; b--) {
				if (b > 0 && b < pos &&
				    ((unsigned char)st->s[b] & 0xC0) == 0x80)
					continue;
				ok = m(st, n->kid, b, &c);
			}
		} else
			ok = m(st, n->kid, pos, &c);
		if (n->neg) {
			memcpy(st->caps, saved, (st->rx->ngroups + 1) *
			    sizeof(*saved));
			ok = !ok && !st->overflow && m(st, n->next, pos, k);
		} else if (ok) {
			ok = m(st, n->next, pos, k);
			if (!ok)
				memcpy(st->caps, saved, (st->rx->ngroups + 1) *
				    sizeof(*saved));
		}
		free(saved);
		break;
	}
	return ok;
}

/*
 * The leftmost match at or after byte offset from: 1 with m[0] the match
 * and m[i] capture group i (-1 when it took no part), 0 for none, -1 when
 * the pattern needs more backtracking than allowed.
 */
int
jn_regex_exec(const struct jn *n, const char *s, size_t len, size_t from,
    regmatch_t *out, int nm)
{
	const struct rx *rx = n->rx;
	struct mstate st;
	long pos, next;
	int i, ok = 0;
	char probe;

	if (from > len)
		return 0;
	memset(&st, 0, sizeof(st));
	st.rx = rx;
	st.s = s;
	st.len = len;
	st.stack_base = (uintptr_t)&probe;
	if ((st.caps = malloc((rx->ngroups + 1) * sizeof(*st.caps))) == NULL)
		abort();
	for (pos = (long)from; ; pos = next) {
		for (i = 0; i <= rx->ngroups; i++)
			st.caps[i].so = st.caps[i].eo = -1;
		if ((ok = m(&st, rx->root, pos, NULL)) != 0 || st.overflow)
			break;
		if ((size_t)pos >= len)
			break;
		cp_at(&st, pos, &next);
	}
	if (ok) {
		out[0].rm_so = (regoff_t)pos;
		out[0].rm_eo = (regoff_t)st.end;
		for (i = 1; i < nm; i++) {
			if (i <= rx->ngroups && st.caps[i].so >= 0) {
				out[i].rm_so = (regoff_t)st.caps[i].so;
				out[i].rm_eo = (regoff_t)st.caps[i].eo;
			} else
				out[i].rm_so = out[i].rm_eo = -1;
		}
	}
	free(st.caps);
	if (st.overflow)
		return -1;
	return ok;
}
