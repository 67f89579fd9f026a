/*
 * jn_parse.c - JSONata text to a syntax tree: the tokenizer, a
 * Pratt parser with jsonata-js's binding powers, and the pass that turns
 * binary '.' chains into paths of steps, predicates into stages, and tail
 * calls of lambdas into thunks.  Syntax errors carry jsonata-js's codes
 * (S0101 ... S0402) and the offset just past the offending token.
 */
#include <ctype.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "jn.h"

enum tok_type {
	T_END, T_OP, T_NAME, T_VAR, T_STR, T_NUM, T_VALUE, T_REGEX
};

struct tok {
	enum tok_type type;
	int	 op;		/* T_OP */
	jv	 val;		/* name, string, number, value; regex source */
	char	 flags[4];	/* regex flags */
	int	 pos;		/* offset past the token */
	int	 start;		/* offset of its first character */
};

struct parser {
	struct asl_jsonata *ax;
	const char *src;
	int	 len;
	int	 at;		/* tokenizer position */
	struct tok t;		/* current token */
	jmp_buf	 jb;
	jv	 err;
	int	 nparents;	/* % seen, for labels */
	int	 depth;		/* nesting of expression() and process() */
};

/*
 * How deep an expression may nest: the parser recurses on the C stack,
 * and no expression a person writes comes near this.
 */
#define MAX_NEST	1000

static void tok_clear(struct tok *);

static void __attribute__((noreturn))
fail(struct parser *p, const char *code, int pos, jv token, jv value)
{
	jv f = jv_object();

	f = jv_object_set(f, jv_string("position"), jv_number(pos));
	if (jv_is_valid(token))
		f = jv_object_set(f, jv_string("token"), token);
	if (jv_is_valid(value))
		f = jv_object_set(f, jv_string("value"), value);
	p->err = jn_err(code, f).v;
	longjmp(p->jb, 1);
}

struct jn *
jn_node(struct asl_jsonata *ax, enum jn_type type, int pos)
{
	struct jn *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		abort();
	n->type = type;
	n->pos = pos;
	n->val = jv_invalid();
	n->focus = jv_invalid();
	n->index = jv_invalid();
	n->next_alloc = ax->nodes;
	ax->nodes = n;
	return n;
}

void
jn_free_nodes(struct asl_jsonata *ax)
{
	struct jn *n, *next;
	int i;

	for (n = ax->nodes; n != NULL; n = next) {
		next = n->next_alloc;
		jv_free(n->val);
		jv_free(n->focus);
		jv_free(n->index);
		for (i = 0; i < n->nstages; i++)
			jv_free(n->stages[i].name);
		free(n->stages);
		free(n->kids);
		free(n->desc);
		free(n->pred);
		free(n->group);
		free(n->sig);
		free(n->slot);
		free(n->seeking);
		jn_regex_free(n);
		free(n->re_map);
		free(n);
	}
	ax->nodes = NULL;
}

static void
kid_push(struct jn *n, struct jn *k)
{
	struct jn **nk;

	if ((nk = realloc(n->kids, (n->nkids + 1) * sizeof(*nk))) == NULL)
		abort();
	n->kids = nk;
	n->kids[n->nkids++] = k;
}

static void
list_push(struct jn ***list, int *n, struct jn *k)
{
	struct jn **nl;

	if ((nl = realloc(*list, (*n + 1) * sizeof(*nl))) == NULL)
		abort();
	*list = nl;
	(*list)[(*n)++] = k;
}

static void
stage_push(struct jn *n, int is_index, struct jn *expr, jv name, int pos)
{
	struct jn_stage *ns;

	if ((ns = realloc(n->stages, (n->nstages + 1) * sizeof(*ns))) == NULL)
		abort();
	n->stages = ns;
	ns[n->nstages].is_index = is_index;
	ns[n->nstages].expr = expr;
	ns[n->nstages].name = name;
	ns[n->nstages].pos = pos;
	n->nstages++;
}

/* Tokenizer */

static int
is_opchar(int c)
{
	return c != '\0' && strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c) != NULL;
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
}

static int
hex4(const char *s, int avail)
{
	int i, v = 0;

	if (avail < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		v = v * 16 + (isdigit((unsigned char)s[i]) ? s[i] - '0' :
		    (tolower((unsigned char)s[i]) - 'a' + 10));
	}
	return v;
}

static void
scan_string(struct parser *p, struct tok *t)
{
	const char *s = p->src;
	char q = s[p->at];
	jv str = jv_string("");
	int c, cp, lo, run;

	p->at++;
	while (p->at < p->len) {
		c = s[p->at];
		if (c == '\\') {
			p->at++;
			c = p->at < p->len ? s[p->at] : '\0';
			switch (c) {
			case '"': case '\\': case '/':
				str = jv_string_append_buf(str, &s[p->at], 1);
				break;
			case 'b': str = jv_string_append_str(str, "\b"); break;
			case 'f': str = jv_string_append_str(str, "\f"); break;
			case 'n': str = jv_string_append_str(str, "\n"); break;
			case 'r': str = jv_string_append_str(str, "\r"); break;
			case 't': str = jv_string_append_str(str, "\t"); break;
			case 'u':
				cp = hex4(s + p->at + 1, p->len - p->at - 1);
				if (cp < 0) {
					jv_free(str);
					fail(p, "S0104", p->at, jv_invalid(),
					    jv_invalid());
				}
				p->at += 4;
				if (cp >= 0xD800 && cp < 0xDC00 &&
				    p->at + 6 < p->len + 1 &&
				    s[p->at + 1] == '\\' && s[p->at + 2] == 'u' &&
				    (lo = hex4(s + p->at + 3,
				    p->len - p->at - 3)) >= 0xDC00 &&
				    lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) +
					    (lo - 0xDC00);
					p->at += 6;
				} else if (cp >= 0xD800 && cp < 0xE000)
					cp = 0xFFFD;
				str = jn_utf8_append(str, (uint32_t)cp);
				break;
			default:
				jv_free(str);
				fail(p, "S0103", p->at,
				    jv_string_sized(&s[p->at], c ? 1 : 0),
				    jv_invalid());
			}
			p->at++;
		} else if (c == q) {
			p->at++;
			t->type = T_STR;
			t->val = str;
			return;
		} else {
			for (run = p->at; run < p->len && s[run] != q &&
			    s[run] != '\\'; run++)
				;
			str = jv_string_append_buf(str, &s[p->at],
			    run - p->at);
			p->at = run;
		}
	}
	jv_free(str);
	fail(p, "S0101", p->at, jv_invalid(), jv_invalid());
}

static void
scan_regex(struct parser *p, struct tok *t)
{
	const char *s = p->src;
	int start = p->at, depth = 0, bs, i;
	char c;

	while (p->at < p->len) {
		c = s[p->at];
		if (c == '/' && depth == 0) {
			for (bs = 0; p->at - bs - 1 >= start &&
			    s[p->at - bs - 1] == '\\'; bs++)
				;
			if (bs % 2 == 0) {
				if (p->at == start)
					fail(p, "S0301", p->at, jv_invalid(),
					    jv_invalid());
				t->type = T_REGEX;
				t->val = jv_string_sized(s + start,
				    p->at - start);
				p->at++;
				for (i = 0; p->at < p->len && i < 3 &&
				    (s[p->at] == 'i' || s[p->at] == 'm'); i++)
					t->flags[i] = s[p->at++];
				t->flags[i] = '\0';
				return;
			}
		}
		if ((c == '(' || c == '[' || c == '{') &&
		    (p->at == 0 || s[p->at - 1] != '\\'))
			depth++;
		if ((c == ')' || c == ']' || c == '}') &&
		    (p->at == 0 || s[p->at - 1] != '\\'))
			depth--;
		p->at++;
	}
	fail(p, "S0302", p->at, jv_invalid(), jv_invalid());
}

/* The next token into p->t; infix: a '/' is division, not a regex. */
static void
lex(struct parser *p, int infix)
{
	const char *s = p->src;
	struct tok *t = &p->t;
	int c, i, cs;
	char *end;
	double d;
	static const struct {
		const char *s;
		int op;
	} two[] = {
		{"..", OP_DOTDOT}, {":=", OP_ASSIGN}, {"!=", OP_NE},
		{">=", OP_GE}, {"<=", OP_LE}, {"**", OP_DESC},
		{"~>", OP_CHAIN}
	};

	tok_clear(t);
again:
	while (p->at < p->len && is_blank(s[p->at]))
		p->at++;
	if (p->at + 1 < p->len && s[p->at] == '/' && s[p->at + 1] == '*') {
		cs = p->at;
		p->at += 2;
		while (!(p->at + 1 < p->len && s[p->at] == '*' &&
		    s[p->at + 1] == '/')) {
			if (++p->at >= p->len)
				fail(p, "S0106", cs, jv_invalid(),
				    jv_invalid());
		}
		p->at += 2;
		goto again;
	}
	t->start = p->at;
	if (p->at >= p->len) {
		t->type = T_END;
		t->pos = p->len;
		return;
	}
	c = s[p->at];
	if (!infix && c == '/') {
		p->at++;
		scan_regex(p, t);
		t->pos = p->at;
		return;
	}
	for (i = 0; i < (int)(sizeof(two) / sizeof(two[0])); i++) {
		if (p->at + 1 < p->len && s[p->at] == two[i].s[0] &&
		    s[p->at + 1] == two[i].s[1]) {
			p->at += 2;
			t->type = T_OP;
			t->op = two[i].op;
			t->pos = p->at;
			return;
		}
	}
	if (is_opchar(c)) {
		p->at++;
		t->type = T_OP;
		t->op = c;
		t->pos = p->at;
		return;
	}
	if (c == '"' || c == '\'') {
		scan_string(p, t);
		t->pos = p->at;
		return;
	}
	if (isdigit(c)) {
		i = p->at;
		if (s[i] == '0')
			i++;
		else
			while (i < p->len && isdigit((unsigned char)s[i]))
				i++;
		if (i + 1 < p->len && s[i] == '.' &&
		    isdigit((unsigned char)s[i + 1])) {
			i++;
			while (i < p->len && isdigit((unsigned char)s[i]))
				i++;
		}
		if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
			cs = i + 1;
			if (cs < p->len && (s[cs] == '+' || s[cs] == '-'))
				cs++;
			if (cs < p->len && isdigit((unsigned char)s[cs])) {
				while (cs < p->len &&
				    isdigit((unsigned char)s[cs]))
					cs++;
				i = cs;
			}
		}
		{
			char buf[400];
			int n = i - p->at;

			if (n >= (int)sizeof(buf))
				n = sizeof(buf) - 1;
			memcpy(buf, s + p->at, n);
			buf[n] = '\0';
			d = strtod(buf, &end);
		}
		if (!isfinite(d))
			fail(p, "S0102", p->at,
			    jv_string_sized(s + p->at, i - p->at),
			    jv_invalid());
		p->at = i;
		t->type = T_NUM;
		t->val = jv_number(d);
		t->pos = p->at;
		return;
	}
	if (c == '`') {
		p->at++;
		end = memchr(s + p->at, '`', p->len - p->at);
		if (end == NULL) {
			p->at = p->len;
			fail(p, "S0105", p->at, jv_invalid(), jv_invalid());
		}
		t->type = T_NAME;
		t->val = jv_string_sized(s + p->at, (int)(end - (s + p->at)));
		p->at = (int)(end - s) + 1;
		t->pos = p->at;
		return;
	}
	for (i = p->at; i < p->len && !is_blank(s[i]) && !is_opchar(s[i]);
	    i++)
		;
	if (s[p->at] == '$') {
		t->type = T_VAR;
		t->val = jv_string_sized(s + p->at + 1, i - p->at - 1);
	} else {
		t->val = jv_string_sized(s + p->at, i - p->at);
		t->type = T_NAME;
		if (strcmp(jv_string_value(t->val), "and") == 0) {
			t->type = T_OP;
			t->op = OP_AND;
		} else if (strcmp(jv_string_value(t->val), "or") == 0) {
			t->type = T_OP;
			t->op = OP_OR;
		} else if (strcmp(jv_string_value(t->val), "in") == 0) {
			t->type = T_OP;
			t->op = OP_IN;
		} else if (strcmp(jv_string_value(t->val), "true") == 0) {
			t->type = T_VALUE;
			jv_free(t->val);
			t->val = jv_true();
		} else if (strcmp(jv_string_value(t->val), "false") == 0) {
			t->type = T_VALUE;
			jv_free(t->val);
			t->val = jv_false();
		} else if (strcmp(jv_string_value(t->val), "null") == 0) {
			t->type = T_VALUE;
			jv_free(t->val);
			t->val = jv_null();
		}
		if (t->type == T_OP) {
			jv_free(t->val);
			t->val = jv_invalid();
		}
	}
	p->at = i;
	t->pos = p->at;
}

static void
tok_clear(struct tok *t)
{
	jv_free(t->val);
	t->val = jv_invalid();
	t->flags[0] = '\0';
	t->op = 0;
}

/* Parser */

static const char *
op_name(int op, char *buf)
{
	switch (op) {
	case OP_DOTDOT: return "..";
	case OP_ASSIGN: return ":=";
	case OP_NE: return "!=";
	case OP_LE: return "<=";
	case OP_GE: return ">=";
	case OP_DESC: return "**";
	case OP_CHAIN: return "~>";
	case OP_AND: return "and";
	case OP_OR: return "or";
	case OP_IN: return "in";
	}
	buf[0] = (char)op;
	buf[1] = '\0';
	return buf;
}

/* The token's value as jsonata-js reports it in messages. */
static jv
tok_value(struct tok *t)
{
	char b[2];

	switch (t->type) {
	case T_END:
		return jv_invalid();
	case T_OP:
		return jv_string(op_name(t->op, b));
	case T_REGEX:
		return jv_string("regex");
	default:
		return jv_copy(t->val);
	}
}

static int
lbp(struct tok *t)
{
	if (t->type != T_OP)
		return 0;
	switch (t->op) {
	case '.': return 75;
	case '[': case '(': case '@': case '#': return 80;
	case '{': return 70;
	case '?': return 20;
	case '+': case '-': case '&': return 50;
	case '*': case '/': case '%': return 60;
	case '=': case '<': case '>': case '^': case OP_NE: case OP_LE:
	case OP_GE: case OP_CHAIN: case OP_IN: return 40;
	case OP_ASSIGN: return 10;
	case OP_AND: return 30;
	case OP_OR: return 25;
	}
	return 0;
}

static int
is_op(struct parser *p, int op)
{
	return p->t.type == T_OP && p->t.op == op;
}

static void
advance(struct parser *p, int op, int infix)
{
	char b[2];

	if (op != 0 && !is_op(p, op)) {
		if (p->t.type == T_END)
			fail(p, "S0203", p->t.pos, jv_invalid(),
			    jv_string(op_name(op, b)));
		fail(p, "S0202", p->t.pos, tok_value(&p->t),
		    jv_string(op_name(op, b)));
	}
	lex(p, infix);
	if (p->t.type == T_OP && (p->t.op == '!' || p->t.op == '~'))
		fail(p, "S0204", p->t.pos, tok_value(&p->t), jv_invalid());
}

static struct jn *expression(struct parser *, int rbp);

static struct jn *
nud(struct parser *p, struct tok *t)
{
	struct jn *n, *item, *range;
	struct asl_jsonata *ax = p->ax;

	switch (t->type) {
	case T_NAME:
		n = jn_node(ax, JN_NAME, t->pos);
		n->val = jv_copy(t->val);
		return n;
	case T_VAR:
		n = jn_node(ax, JN_VARIABLE, t->pos);
		n->val = jv_copy(t->val);
		return n;
	case T_STR:
		n = jn_node(ax, JN_STRING, t->pos);
		n->val = jv_copy(t->val);
		return n;
	case T_NUM:
		n = jn_node(ax, JN_NUMBER, t->pos);
		n->val = jv_copy(t->val);
		return n;
	case T_VALUE:
		n = jn_node(ax, JN_VALUE, t->pos);
		n->val = jv_copy(t->val);
		return n;
	case T_REGEX:
		n = jn_node(ax, JN_REGEX, t->pos);
		n->val = jv_copy(t->val);
		{
			jv err;

			if (jn_regex_compile(n, jv_string_value(t->val),
			    t->flags, &err) != 0) {
				p->err = err;
				longjmp(p->jb, 1);
			}
		}
		return n;
	case T_END:
		/* a terminal: what it ends up in reports the error */
		return jn_node(ax, JN_RAW_END, t->pos);
	case T_OP:
		break;
	}
	switch (t->op) {
	case OP_AND:
	case OP_OR:
	case OP_IN:
		n = jn_node(ax, JN_RAW_OPNAME, t->pos);
		n->val = tok_value(t);
		return n;
	case '-':
		n = jn_node(ax, JN_NEG, t->pos);
		n->lhs = expression(p, 70);
		return n;
	case '*':
		return jn_node(ax, JN_WILDCARD, t->pos);
	case OP_DESC:
		return jn_node(ax, JN_DESCENDANT, t->pos);
	case '%':
		return jn_node(ax, JN_PARENT, t->pos);
	case '(':
		n = jn_node(ax, JN_BLOCK, t->pos);
		while (!is_op(p, ')')) {
			kid_push(n, expression(p, 0));
			if (!is_op(p, ';'))
				break;
			advance(p, ';', 0);
		}
		advance(p, ')', 1);
		return n;
	case '[':
		n = jn_node(ax, JN_ARRAY, t->pos);
		if (!is_op(p, ']')) {
			for (;;) {
				item = expression(p, 0);
				if (is_op(p, OP_DOTDOT)) {
					range = jn_node(ax, JN_RAW_BINARY,
					    p->t.pos);
					range->op = OP_DOTDOT;
					range->lhs = item;
					advance(p, OP_DOTDOT, 0);
					range->rhs = expression(p, 0);
					item = range;
				}
				kid_push(n, item);
				if (!is_op(p, ','))
					break;
				advance(p, ',', 0);
			}
		}
		advance(p, ']', 1);
		return n;
	case '{':
		n = jn_node(ax, JN_RAW_OBJECT, t->pos);
		if (!is_op(p, '}')) {
			for (;;) {
				kid_push(n, expression(p, 0));
				advance(p, ':', 0);
				kid_push(n, expression(p, 0));
				if (!is_op(p, ','))
					break;
				advance(p, ',', 0);
			}
		}
		advance(p, '}', 1);
		return n;
	case '|':
		n = jn_node(ax, JN_TRANSFORM, t->pos);
		n->lhs = expression(p, 0);
		advance(p, '|', 0);
		n->rhs = expression(p, 0);
		if (is_op(p, ',')) {
			advance(p, ',', 0);
			n->third = expression(p, 0);
		}
		advance(p, '|', 1);
		return n;
	}
	fail(p, "S0211", t->pos, tok_value(t), jv_invalid());
}

static void
parse_signature(struct parser *p, struct jn *lambda)
{
	int depth = 1, i = p->t.start + 1;
	char *sig;

	while (i < p->len && depth > 0) {
		if (p->src[i] == '<')
			depth++;
		else if (p->src[i] == '>')
			depth--;
		else if (p->src[i] == '{')
			break;
		i++;
	}
	if (depth > 0)
		fail(p, "S0203", p->len, jv_invalid(), jv_string(">"));
	if ((sig = strndup(p->src + p->t.start, i - p->t.start)) == NULL ||
	    (lambda->sig = calloc(1, sizeof(*lambda->sig))) == NULL)
		abort();
	if (jn_sig_parse(sig, lambda->sig) != 0) {
		free(sig);
		fail(p, "S0401", p->t.pos, jv_invalid(), jv_invalid());
	}
	free(sig);
	p->at = i;
	lex(p, 0);
}

static struct jn *
led(struct parser *p, struct tok *t, struct jn *left)
{
	struct asl_jsonata *ax = p->ax;
	struct jn *n, *step;
	int bp = lbp(t), i;
	unsigned char *nd;

	n = jn_node(ax, JN_RAW_BINARY, t->pos);
	n->op = t->op;
	switch (t->op) {
	case '(':
		n->type = JN_FUNCTION;
		n->lhs = left;
		if (!is_op(p, ')')) {
			for (;;) {
				if (is_op(p, '?')) {
					n->type = JN_PARTIAL;
					kid_push(n, jn_node(ax, JN_PLACEHOLDER,
					    p->t.pos));
					advance(p, '?', 0);
				} else
					kid_push(n, expression(p, 0));
				if (!is_op(p, ','))
					break;
				advance(p, ',', 0);
			}
		}
		advance(p, ')', 1);
		if (left->type == JN_NAME &&
		    (strcmp(jv_string_value(left->val), "function") == 0 ||
		    strcmp(jv_string_value(left->val), "\xce\xbb") == 0)) {
			for (i = 0; i < n->nkids; i++)
				if (n->kids[i]->type != JN_VARIABLE)
					fail(p, "S0208", n->kids[i]->pos,
					    jv_copy(n->kids[i]->val),
					    jv_number(i + 1));
			n->type = JN_LAMBDA;
			n->lhs = NULL;
			if (is_op(p, '<'))
				parse_signature(p, n);
			advance(p, '{', 0);
			n->rhs = expression(p, 0);
			advance(p, '}', 1);
		}
		return n;
	case '[':
		if (is_op(p, ']')) {
			for (step = left; step->type == JN_RAW_BINARY &&
			    step->op == '['; step = step->lhs)
				;
			step->flags |= JNF_KEEP_ARRAY;
			advance(p, ']', 1);
			return left;
		}
		n->lhs = left;
		n->rhs = expression(p, 0);
		advance(p, ']', 1);
		return n;
	case '^':
		n->lhs = left;
		advance(p, '(', 0);
		for (;;) {
			if ((nd = realloc(n->desc, n->nkids + 1)) == NULL)
				abort();
			n->desc = nd;
			n->desc[n->nkids] = 0;
			if (is_op(p, '<'))
				advance(p, '<', 0);
			else if (is_op(p, '>')) {
				n->desc[n->nkids] = 1;
				advance(p, '>', 0);
			}
			kid_push(n, expression(p, 0));
			if (!is_op(p, ','))
				break;
			advance(p, ',', 0);
		}
		advance(p, ')', 1);
		return n;
	case '{':
		n->lhs = left;
		if (!is_op(p, '}')) {
			for (;;) {
				kid_push(n, expression(p, 0));
				advance(p, ':', 0);
				kid_push(n, expression(p, 0));
				if (!is_op(p, ','))
					break;
				advance(p, ',', 0);
			}
		}
		advance(p, '}', 1);
		return n;
	case OP_ASSIGN:
		if (left->type != JN_VARIABLE)
			fail(p, "S0212", left->pos, jv_copy(left->val),
			    jv_invalid());
		n->lhs = left;
		n->rhs = expression(p, bp - 1);
		return n;
	case '@':
	case '#':
		n->lhs = left;
		n->rhs = expression(p, bp);
		if (n->rhs->type != JN_VARIABLE)
			fail(p, "S0214", n->rhs->pos,
			    jv_string(t->op == '@' ? "@" : "#"), jv_invalid());
		return n;
	case '?':
		n->type = JN_CONDITION;
		n->lhs = left;
		n->rhs = expression(p, 0);
		if (is_op(p, ':')) {
			advance(p, ':', 0);
			n->third = expression(p, 0);
		}
		return n;
	case '.': case '+': case '-': case '*': case '/': case '%': case '=':
	case '<': case '>': case OP_NE: case OP_LE: case OP_GE: case '&':
	case OP_AND: case OP_OR: case OP_IN: case OP_CHAIN:
		n->lhs = left;
		n->rhs = expression(p, bp);
		return n;
	}
	fail(p, "S0201", t->pos, tok_value(t), jv_invalid());
}

/*
 * Take the current token out of the tokenizer's hands before it moves
 * on; its value is parked in a node, so a syntax error cannot leak it.
 */
static struct tok
hold(struct parser *p)
{
	struct tok t = p->t;
	struct jn *park;

	if (jv_is_valid(t.val)) {
		park = jn_node(p->ax, JN_VALUE, t.pos);
		park->val = t.val;	/* t.val is borrowed from here on */
	}
	p->t.val = jv_invalid();
	return t;
}

static struct jn *
expression(struct parser *p, int rbp)
{
	struct tok t;
	struct jn *left;

	if (++p->depth > MAX_NEST)
		fail(p, "S0299", p->t.pos, jv_invalid(), jv_number(MAX_NEST));
	t = hold(p);
	advance(p, 0, 1);
	left = nud(p, &t);
	while (rbp < lbp(&p->t)) {
		t = hold(p);
		advance(p, 0, 0);
		left = led(p, &t, left);
	}
	p->depth--;
	return left;
}

/* Processing: jsonata-js's processAST */

static struct jn *process(struct parser *, struct jn *);

static struct jn *
tail_call_optimize(struct parser *p, struct jn *e)
{
	struct jn *thunk;

	if (e->type == JN_FUNCTION && e->npred == 0) {
		thunk = jn_node(p->ax, JN_LAMBDA, e->pos);
		thunk->flags |= JNF_THUNK;
		thunk->rhs = e;
		return thunk;
	}
	if (e->type == JN_CONDITION) {
		e->rhs = tail_call_optimize(p, e->rhs);
		if (e->third != NULL)
			e->third = tail_call_optimize(p, e->third);
	} else if (e->type == JN_BLOCK && e->nkids > 0)
		e->kids[e->nkids - 1] =
		    tail_call_optimize(p, e->kids[e->nkids - 1]);
	return e;
}

static struct jn *
last_step(struct jn *path)
{
	return path->kids[path->nkids - 1];
}

static void
seeking_push(struct jn *n, struct jn_slot *slot)
{
	struct jn_slot **ns;

	if ((ns = realloc(n->seeking, (n->nseeking + 1) *
	    sizeof(*ns))) == NULL)
		abort();
	n->seeking = ns;
	n->seeking[n->nseeking++] = slot;
}

/* jsonata-js's pushAncestry: what value still seeks becomes n's. */
static void
push_ancestry(struct jn *n, struct jn *value)
{
	int i;

	for (i = 0; i < value->nseeking; i++)
		seeking_push(n, value->seeking[i]);
	if (value->type == JN_PARENT)
		seeking_push(n, value->slot);
}

/*
 * jsonata-js's seekParent: walk back from node towards the step whose
 * input the % refers to; that step binds its input to the slot's label.
 */
static struct jn_slot *
seek_parent(struct parser *p, struct jn *node, struct jn_slot *slot)
{
	int i;

	switch (node->type) {
	case JN_NAME:
	case JN_WILDCARD:
		slot->level--;
		if (slot->level == 0) {
			if (node->ancestor != NULL)
				memcpy(slot->label, node->ancestor->label,
				    sizeof(slot->label));
			node->ancestor = slot;
			node->flags |= JNF_TUPLE;
		}
		break;
	case JN_PARENT:
		slot->level++;
		break;
	case JN_BLOCK:
		if (node->nkids > 0) {
			node->flags |= JNF_TUPLE;
			slot = seek_parent(p, node->kids[node->nkids - 1], slot);
		}
		break;
	case JN_PATH:
		node->flags |= JNF_TUPLE;
		i = node->nkids - 1;
		slot = seek_parent(p, node->kids[i--], slot);
		while (slot->level > 0 && i >= 0)
			slot = seek_parent(p, node->kids[i--], slot);
		break;
	default:
		fail(p, "S0217", node->pos, jv_string("parent"),
		    jv_invalid());
	}
	return slot;
}

/* jsonata-js's resolveAncestry, for the last step of a path. */
static void
resolve_ancestry(struct parser *p, struct jn *path)
{
	struct jn *last = last_step(path), *step;
	struct jn_slot *slot, **slots = last->seeking, *own[1];
	int s, i, n = last->nseeking;

	if (last->type == JN_PARENT) {
		if (n > 0) {
			seeking_push(last, last->slot);
			slots = last->seeking;
			n = last->nseeking;
		} else {
			own[0] = last->slot;
			slots = own;
			n = 1;
		}
	}
	for (s = 0; s < n; s++) {
		slot = slots[s];
		i = path->nkids - 2;
		while (slot->level > 0) {
			if (i < 0) {
				seeking_push(path, slot);
				break;
			}
			step = path->kids[i--];
			while (i >= 0 && jv_is_valid(step->focus) &&
			    jv_is_valid(path->kids[i]->focus))
				step = path->kids[i--];
			slot = seek_parent(p, step, slot);
		}
	}
}

static struct jn *
process_binary(struct parser *p, struct jn *e)
{
	struct asl_jsonata *ax = p->ax;
	struct jn *res, *rest, *step, *st;
	int i, keep = 0;

	switch (e->op) {
	case '.':
		step = process(p, e->lhs);
		if (step->type == JN_PATH)
			res = step;
		else {
			res = jn_node(ax, JN_PATH, step->pos);
			kid_push(res, step);
		}
		if (step->type == JN_PARENT)
			seeking_push(res, step->slot);
		rest = process(p, e->rhs);
		if (rest->type == JN_PATH) {
			for (i = 0; i < rest->nkids; i++)
				kid_push(res, rest->kids[i]);
		} else {
			for (i = 0; i < rest->npred; i++)
				stage_push(rest, 0, rest->pred[i],
				    jv_invalid(), rest->pred[i]->pos);
			free(rest->pred);
			rest->pred = NULL;
			rest->npred = 0;
			kid_push(res, rest);
		}
		for (i = 0; i < res->nkids; i++) {
			st = res->kids[i];
			if (st->type == JN_NUMBER || st->type == JN_VALUE)
				fail(p, "S0213", st->pos, jv_invalid(),
				    jv_copy(st->val));
			if (st->type == JN_STRING)
				st->type = JN_NAME;
			if (st->flags & JNF_KEEP_ARRAY)
				keep = 1;
		}
		if (keep)
			res->flags |= JNF_KEEP_SINGLETON;
		if (res->kids[0]->type == JN_ARRAY)
			res->kids[0]->flags |= JNF_CONSARRAY;
		if (last_step(res)->type == JN_ARRAY)
			last_step(res)->flags |= JNF_CONSARRAY;
		resolve_ancestry(p, res);
		return res;
	case '[':
		res = process(p, e->lhs);
		step = res;
		if (res->type == JN_PATH)
			step = last_step(res);
		if (step->flags & JNF_GROUP)
			fail(p, "S0209", e->pos, jv_invalid(), jv_invalid());
		rest = process(p, e->rhs);
		if (rest->nseeking > 0) {
			for (i = 0; i < rest->nseeking; i++) {
				if (rest->seeking[i]->level == 1)
					seek_parent(p, step, rest->seeking[i]);
				else
					rest->seeking[i]->level--;
			}
			push_ancestry(step, rest);
		}
		if (res->type == JN_PATH)
			stage_push(step, 0, rest, jv_invalid(), e->pos);
		else
			list_push(&step->pred, &step->npred, rest);
		return res;
	case '{':
		res = process(p, e->lhs);
		if (res->flags & JNF_GROUP)
			fail(p, "S0210", e->pos, jv_invalid(), jv_invalid());
		for (i = 0; i < e->nkids; i++)
			list_push(&res->group, &res->ngroup,
			    process(p, e->kids[i]));
		res->flags |= JNF_GROUP;
		res->group_pos = e->pos;
		return res;
	case '^':
		res = process(p, e->lhs);
		if (res->type != JN_PATH) {
			step = res;
			res = jn_node(ax, JN_PATH, step->pos);
			kid_push(res, step);
		}
		st = jn_node(ax, JN_SORT, e->pos);
		for (i = 0; i < e->nkids; i++) {
			kid_push(st, process(p, e->kids[i]));
			push_ancestry(st, st->kids[i]);
		}
		st->desc = e->desc;
		e->desc = NULL;
		kid_push(res, st);
		resolve_ancestry(p, res);
		return res;
	case OP_ASSIGN:
		res = jn_node(ax, JN_BIND, e->pos);
		res->lhs = process(p, e->lhs);
		res->rhs = process(p, e->rhs);
		push_ancestry(res, res->rhs);
		return res;
	case '@':
		res = process(p, e->lhs);
		step = res;
		if (res->type == JN_PATH)
			step = last_step(res);
		if (step->nstages > 0 || step->npred > 0)
			fail(p, "S0215", e->pos, jv_invalid(), jv_invalid());
		if (step->type == JN_SORT)
			fail(p, "S0216", e->pos, jv_invalid(), jv_invalid());
		if (e->flags & JNF_KEEP_ARRAY)
			step->flags |= JNF_KEEP_ARRAY;
		jv_free(step->focus);
		step->focus = jv_copy(e->rhs->val);
		step->flags |= JNF_TUPLE;
		return res;
	case '#':
		res = process(p, e->lhs);
		step = res;
		if (res->type == JN_PATH)
			step = last_step(res);
		else {
			res = jn_node(ax, JN_PATH, step->pos);
			kid_push(res, step);
			for (i = 0; i < step->npred; i++)
				stage_push(step, 0, step->pred[i],
				    jv_invalid(), step->pred[i]->pos);
			free(step->pred);
			step->pred = NULL;
			step->npred = 0;
		}
		if (step->nstages == 0) {
			jv_free(step->index);
			step->index = jv_copy(e->rhs->val);
		} else
			stage_push(step, 1, NULL, jv_copy(e->rhs->val),
			    e->pos);
		step->flags |= JNF_TUPLE;
		return res;
	case OP_CHAIN:
		res = jn_node(ax, JN_APPLY, e->pos);
		res->op = OP_CHAIN;
		res->lhs = process(p, e->lhs);
		res->rhs = process(p, e->rhs);
		if ((res->lhs->flags | res->rhs->flags) & JNF_KEEP_ARRAY)
			res->flags |= JNF_KEEP_ARRAY;
		return res;
	}
	res = jn_node(ax, JN_BINARY, e->pos);
	res->op = e->op;
	res->lhs = process(p, e->lhs);
	res->rhs = process(p, e->rhs);
	push_ancestry(res, res->lhs);
	push_ancestry(res, res->rhs);
	return res;
}

static struct jn *
process(struct parser *p, struct jn *e)
{
	struct jn *res = e;
	int i;

	if (++p->depth > MAX_NEST)
		fail(p, "S0299", e->pos, jv_invalid(), jv_number(MAX_NEST));
	switch (e->type) {
	case JN_RAW_BINARY:
		res = process_binary(p, e);
		break;
	case JN_ARRAY:
	case JN_BLOCK:
		for (i = 0; i < e->nkids; i++) {
			e->kids[i] = process(p, e->kids[i]);
			push_ancestry(e, e->kids[i]);
			if (e->type == JN_BLOCK &&
			    ((e->kids[i]->flags & JNF_CONSARRAY) ||
			    (e->kids[i]->type == JN_PATH &&
			    (e->kids[i]->kids[0]->flags & JNF_CONSARRAY))))
				e->flags |= JNF_CONSARRAY;
		}
		break;
	case JN_RAW_OBJECT:
		e->type = JN_OBJECT;
		for (i = 0; i < e->nkids; i++) {
			e->kids[i] = process(p, e->kids[i]);
			push_ancestry(e, e->kids[i]);
		}
		break;
	case JN_NEG:
		e->lhs = process(p, e->lhs);
		if (e->lhs->type == JN_NUMBER) {
			res = e->lhs;
			res->val = jv_number(-jv_number_value(res->val));
		} else
			push_ancestry(e, e->lhs);
		break;
	case JN_FUNCTION:
	case JN_PARTIAL:
		for (i = 0; i < e->nkids; i++) {
			e->kids[i] = process(p, e->kids[i]);
			push_ancestry(e, e->kids[i]);
		}
		e->lhs = process(p, e->lhs);
		break;
	case JN_LAMBDA:
		e->rhs = tail_call_optimize(p, process(p, e->rhs));
		break;
	case JN_CONDITION:
		e->lhs = process(p, e->lhs);
		push_ancestry(e, e->lhs);
		e->rhs = process(p, e->rhs);
		push_ancestry(e, e->rhs);
		if (e->third != NULL) {
			e->third = process(p, e->third);
			push_ancestry(e, e->third);
		}
		break;
	case JN_TRANSFORM:
		e->lhs = process(p, e->lhs);
		e->rhs = process(p, e->rhs);
		if (e->third != NULL)
			e->third = process(p, e->third);
		break;
	case JN_NAME:
		res = jn_node(p->ax, JN_PATH, e->pos);
		kid_push(res, e);
		if (e->flags & JNF_KEEP_ARRAY)
			res->flags |= JNF_KEEP_SINGLETON;
		break;
	case JN_RAW_OPNAME:
		e->type = JN_NAME;
		res = process(p, e);
		break;
	case JN_RAW_END:
		fail(p, "S0207", e->pos, jv_invalid(), jv_invalid());
	case JN_PARENT:
		if ((e->slot = calloc(1, sizeof(*e->slot))) == NULL)
			abort();
		snprintf(e->slot->label, sizeof(e->slot->label), "!%d",
		    p->nparents);
		e->slot->level = 1;
		e->slot->index = p->nparents++;
		break;
	default:
		break;
	}
	if (e->flags & JNF_KEEP_ARRAY)
		res->flags |= JNF_KEEP_ARRAY;
	p->depth--;
	return res;
}

struct jn *
jn_parse(struct asl_jsonata *ax, const char *text, jv *err)
{
	struct parser p;
	struct jn *volatile root = NULL;

	memset(&p, 0, sizeof(p));
	p.ax = ax;
	p.src = text;
	p.len = (int)strlen(text);
	p.t.val = jv_invalid();
	p.err = jv_invalid();
	if (setjmp(p.jb) != 0) {
		tok_clear(&p.t);
		*err = p.err;
		return NULL;
	}
	lex(&p, 0);
	if (p.t.type == T_OP && (p.t.op == '!' || p.t.op == '~'))
		fail(&p, "S0204", p.t.pos, tok_value(&p.t), jv_invalid());
	root = expression(&p, 0);
	p.depth = 0;
	if (p.t.type != T_END)
		fail(&p, "S0201", p.t.pos, tok_value(&p.t), jv_invalid());
	root = process(&p, root);
	if (root->type == JN_PARENT || root->nseeking > 0)
		fail(&p, "S0217", root->pos, jv_string(root->type ==
		    JN_PARENT ? "parent" : "path"), jv_invalid());
	tok_clear(&p.t);
	return root;
}

/* Signatures */

int
jn_sig_parse(const char *s, struct jn_sig *sig)
{
	struct jn_param *prev = NULL, *cur;
	const char *end;
	int depth;
	size_t n;

	memset(sig, 0, sizeof(*sig));
	if (*s == '<')
		s++;
	for (; *s != '\0' && *s != ':' && *s != '>'; s++) {
		cur = sig->n < 8 ? &sig->p[sig->n] : NULL;
		switch (*s) {
		case 's': case 'n': case 'b': case 'l': case 'o':
		case 'a': case 'f': case 'j': case 'x':
			if (cur == NULL)
				return -1;
			cur->type = *s;
			if (*s == 'a' || *s == 'x')
				strcpy(cur->types, "asnblfom");
			else if (*s == 'f')
				strcpy(cur->types, "f");
			else if (*s == 'j')
				strcpy(cur->types, "asnblom");
			else {
				cur->types[0] = *s;
				cur->types[1] = 'm';
			}
			prev = cur;
			sig->n++;
			break;
		case '-':
			if (prev == NULL)
				return -1;
			prev->context = 1;
			break;
		case '?':
		case '+':
			if (prev == NULL)
				return -1;
			prev->quant = *s;
			break;
		case '(':
			if (cur == NULL || (end = strchr(s, ')')) == NULL)
				return -1;
			n = (size_t)(end - s - 1);
			if (n > sizeof(cur->types) - 2)
				return -1;
			memcpy(cur->types, s + 1, n);
			cur->types[n] = 'm';
			cur->type = '(';
			prev = cur;
			sig->n++;
			s = end;
			break;
		case '<':
			if (prev == NULL ||
			    (prev->type != 'a' && prev->type != 'f'))
				return -1;
			if (prev->type == 'a')
				prev->subtype = s[1];
			for (depth = 1, s++; *s != '\0' && depth > 0; s++) {
				if (*s == '<')
					depth++;
				else if (*s == '>')
					depth--;
			}
			s--;
			break;
		default:
			return -1;
		}
	}
	return 0;
}
