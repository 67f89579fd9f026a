/*
 * asl_jsonata_regex.c - JSONata's regular expressions (JavaScript syntax)
 * on POSIX regcomp with REG_EXTENDED.
 *
 * The translation covers what expressions in the wild use: \d \D and
 * the escapes of special characters; \w \W \s \S \b \B are passed to
 * glibc, whose extended syntax knows them as GNU extensions; (?:...) and
 * (?<name>...) become plain groups, with the capture numbering kept as
 * JavaScript counts it; '.' never matches a newline; the flags i and m.
 * Not possible on POSIX and refused with S0303: lookahead and lookbehind,
 * negated classes (\D \W \S) inside brackets.  Lazy quantifiers (*? +?
 * ?? {n,m}?) are matched greedily: a documented difference.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "asl_jsonata_int.h"

struct buf {
	char	*s;
	size_t	 n, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	char *ns;

	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		if ((ns = realloc(b->s, b->cap)) == NULL)
			abort();
		b->s = ns;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void
putc1(struct buf *b, char c)
{
	put(b, &c, 1);
}

static void
put_cp(struct buf *b, unsigned cp)
{
	char u[4];
	int k;

	if (cp < 0x80) {
		u[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		k = 2;
	} else {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		k = 3;
	}
	put(b, u, k);
}

/* A literal character outside brackets, escaped where ERE needs it. */
static void
put_lit(struct buf *b, unsigned cp)
{
	if (cp < 0x80 && strchr(".[]()*+?{}|^$\\", (int)cp) != NULL &&
	    cp != 0)
		putc1(b, '\\');
	put_cp(b, cp);
}

static int
hexval(const char *s, int n)
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

/* A control escape (\n, \t, ...) or -1. */
static int
ctl_escape(char c)
{
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'v': return '\v';
	case '0': return 0;
	}
	return -1;
}

/*
 * A bracket expression from p (just past '['); JavaScript's escapes
 * become POSIX's order: ']' first, '-' last, no backslashes.  Returns
 * the position after ']' or NULL.
 */
static const char *
bracket(struct buf *b, const char *p, const char **why)
{
	struct buf set = {NULL, 0, 0};
	int neg = 0, rbr = 0, dash = 0, caret = 0, c, v;
	const char *start;

	if (*p == '^') {
		neg = 1;
		p++;
	}
	start = p;
	put(&set, "", 0);
	while (*p != '\0' && (*p != ']' || 0)) {
		if (*p == '\\') {
			p++;
			switch (*p) {
			case 'd': put(&set, "0-9", 3); p++; continue;
			case 'w': put(&set, "A-Za-z0-9_", 10); p++; continue;
			case 's': put(&set, " \t\n\r\f\v", 6); p++; continue;
			case 'D': case 'W': case 'S':
				*why = "negated class inside brackets";
				free(set.s);
				return NULL;
			case 'b': c = '\b'; break;
			case 'u':
				if ((v = hexval(p + 1, 4)) < 0) {
					c = 'u';
					break;
				}
				p += 4;
				c = v;
				break;
			case 'x':
				if ((v = hexval(p + 1, 2)) < 0) {
					c = 'x';
					break;
				}
				p += 2;
				c = v;
				break;
			case '\0':
				*why = "trailing backslash";
				free(set.s);
				return NULL;
			default:
				c = ctl_escape(*p) >= 0 && *p != '0' ?
				    ctl_escape(*p) : (unsigned char)*p;
			}
			p++;
		} else {
			c = (unsigned char)*p++;
			/* a range a-z keeps its dash */
			if (*p == '-' && p[1] != ']' && p[1] != '\0' &&
			    c != ']') {
				put_cp(&set, (unsigned)c);
				putc1(&set, '-');
				p++;
				if (*p == '\\' && p[1] != '\0') {
					p++;
					c = ctl_escape(*p) >= 0 ?
					    ctl_escape(*p) : (unsigned char)*p;
					p++;
				} else
					c = (unsigned char)*p++;
				put_cp(&set, (unsigned)c);
				continue;
			}
			if (c == '-' || c == ']' || c == '^') {
				if (c == '-')
					dash = 1;
				else if (c == ']')
					rbr = 1;
				else
					caret = 1;
				continue;
			}
			put_cp(&set, (unsigned)c);
			continue;
		}
		if (c == ']')
			rbr = 1;
		else if (c == '-')
			dash = 1;
		else if (c == '^')
			caret = 1;
		else
			put_cp(&set, (unsigned)c);
		if (p == start)
			break;
	}
	if (*p != ']') {
		*why = "unterminated character class";
		free(set.s);
		return NULL;
	}
	if (set.n == 0 && !rbr && !dash && !caret) {
		/* [] matches nothing, [^] anything */
		if (neg)
			put(b, "[\x01-\x7f\x80-\xff]", 8);
		else
			put(b, "x^x", 3);	/* can never match */
		free(set.s);
		return p + 1;
	}
	if (caret && !neg && !rbr && set.n == 0 && !dash) {
		put(b, "\\^", 2);	/* [\^] alone */
		free(set.s);
		return p + 1;
	}
	putc1(b, '[');
	if (neg)
		putc1(b, '^');
	if (rbr)
		putc1(b, ']');
	put(b, set.s, set.n);
	if (dash && caret && !neg && !rbr && set.n == 0) {
		put(b, "-^]", 3);	/* a caret first would negate */
		free(set.s);
		return p + 1;
	}
	if (caret)
		putc1(b, '^');
	if (dash)
		putc1(b, '-');
	putc1(b, ']');
	free(set.s);
	return p + 1;
}

static int
is_quant_brace(const char *p)
{
	/* {n}, {n,}, {n,m} */
	if (!isdigit((unsigned char)*++p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == ',') {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '}';
}

int
jn_regex_compile(struct jn *n, const char *pat, const char *flags, jv *err)
{
	struct buf b = {NULL, 0, 0};
	const char *p = pat, *why = NULL, *q;
	int groups = 0, posix = 0, cflags = REG_EXTENDED, rc, v;
	int *map = NULL;
	char msg[200];

	put(&b, "", 0);
	while (*p != '\0' && why == NULL) {
		switch (*p) {
		case '\\':
			p++;
			switch (*p) {
			case 'd': put(&b, "[0-9]", 5); p++; break;
			case 'D': put(&b, "[^0-9]", 6); p++; break;
			case 'w': case 'W': case 's': case 'S': case 'b':
			case 'B':
				putc1(&b, '\\');
				putc1(&b, *p++);
				break;
			case 'u':
				if ((v = hexval(p + 1, 4)) >= 0) {
					put_lit(&b, (unsigned)v);
					p += 5;
				} else
					put_lit(&b, (unsigned char)*p++);
				break;
			case 'x':
				if ((v = hexval(p + 1, 2)) >= 0) {
					put_lit(&b, (unsigned)v);
					p += 3;
				} else
					put_lit(&b, (unsigned char)*p++);
				break;
			case '\0':
				why = "trailing backslash";
				break;
			default:
				if (isdigit((unsigned char)*p) && *p != '0') {
					v = atoi(p);
					if (v > groups || map == NULL) {
						why = "back reference";
						break;
					}
					while (isdigit((unsigned char)*p))
						p++;
					putc1(&b, '\\');
					putc1(&b, (char)('0' + map[v - 1]));
					break;
				}
				if ((v = ctl_escape(*p)) >= 0)
					put_lit(&b, (unsigned)v);
				else
					put_lit(&b, (unsigned char)*p);
				p++;
			}
			break;
		case '[':
			q = bracket(&b, p + 1, &why);
			if (q != NULL)
				p = q;
			break;
		case '.':
			put(&b, "[^\n\r]", 5);
			p++;
			break;
		case '(':
			posix++;
			if (p[1] == '?') {
				if (p[2] == ':') {
					p += 3;
				} else if (p[2] == '<' && p[3] != '=' &&
				    p[3] != '!') {
					q = strchr(p, '>');
					if (q == NULL) {
						why = "unterminated group name";
						break;
					}
					p = q + 1;
					goto capture;
				} else {
					why = "lookahead or lookbehind";
					break;
				}
				putc1(&b, '(');
				break;
			}
			p++;
capture:
			if ((map = realloc(map, (groups + 1) *
			    sizeof(*map))) == NULL)
				abort();
			map[groups++] = posix;
			putc1(&b, '(');
			break;
		case '*': case '+': case '?':
			putc1(&b, *p++);
			if (*p == '?')		/* lazy: greedy here */
				p++;
			break;
		case '{':
			if (is_quant_brace(p)) {
				q = strchr(p, '}');
				put(&b, p, (size_t)(q - p + 1));
				p = q + 1;
				if (*p == '?')
					p++;
			} else {
				put(&b, "\\{", 2);
				p++;
			}
			break;
		case '}':
			put(&b, "\\}", 2);
			p++;
			break;
		default:
			putc1(&b, *p++);
		}
	}
	if (why == NULL) {
		if (strchr(flags, 'i') != NULL)
			cflags |= REG_ICASE;
		if (strchr(flags, 'm') != NULL)
			cflags |= REG_NEWLINE;
		if ((n->re = calloc(1, sizeof(*n->re))) == NULL)
			abort();
		if ((rc = regcomp(n->re, b.s, cflags)) != 0) {
			regerror(rc, n->re, msg, sizeof(msg));
			free(n->re);
			n->re = NULL;
			why = msg;
		}
	}
	free(b.s);
	if (why != NULL) {
		free(map);
		*err = jn_err("S0303", JV_OBJECT(jv_string("position"),
		    jv_number(n->pos), jv_string("value"),
		    jv_string_fmt("/%s/: %s", pat, why))).v;
		return -1;
	}
	n->re_map = map;
	n->re_ngroups = groups;
	return 0;
}

int
jn_regex_exec(const struct jn *n, const char *s, size_t len, size_t from,
    regmatch_t *m, int nm)
{
	int i;

	if (from > len)
		return 0;
	m[0].rm_so = (regoff_t)from;
	m[0].rm_eo = (regoff_t)len;
	if (regexec(n->re, s, (size_t)nm, m, REG_STARTEND) != 0)
		return 0;
	for (i = (int)n->re->re_nsub + 1; i < nm; i++)
		m[i].rm_so = m[i].rm_eo = -1;
	return 1;
}
