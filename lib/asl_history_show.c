/*
 * asl_history_show.c - a history printed for people (the table) or as
 * AWS's GetExecutionHistory document, streamed: the events are read one
 * at a time and written as they come, so that a history of a million
 * events costs what its lines cost, not their square.
 *
 * The table's columns are as wide as their widest cell, so it is made in
 * two passes: the first reads the events, finds each one's state
 * (followed through previousEventId, which needs an int per event id)
 * and the widths, and spools the rows, tab-separated, to an unlinked
 * temporary file; the second pads them.  The document newest first reads
 * the events twice, and copies an input that is not a file (a pipe) to a
 * temporary file first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl.h"
#include "asl_events.h"
#include "asl_history.h"
#include "asl_json.h"
#include "asl_utf8.h"

/* The rows are written in batches of about this many bytes. */
#define SHOW_FLUSH	65536
/* Lines read back at once for the second pass. */
#define SHOW_CHUNK	(1 << 20)

struct show {
	struct asl_history_reader *r;
	asl_history_out_fn out;
	void	*arg;
	struct asl_buf	 b;
	int	 failed;
	/* the second pass reads fd: the rows spooled, or the input again */
	int	 fd;
	off_t	 end;
	struct asl_buf	 spool;
	/* per event: where its line starts (in the spool or the input) */
	off_t	*at;
	long	 n, cap;
	/* the state of each event id 1..nid (index into names), ... */
	int	*by_id;
	long	 nid;
	jv	 odd_ids;	/* ... and of ids that are no small integer */
	jv	 names;		/* array of the states' names; 0 is "" */
	jv	 name_index;	/* name -> index */
	size_t	 w[4];
};

static void
flush(struct show *s, int all)
{
	if (s->b.nomem && !s->failed) {
		s->failed = ENOMEM;
		s->b.nomem = 0;
	}
	if (s->b.len == 0 || (!all && s->b.len < SHOW_FLUSH))
		return;
	if (!s->failed && s->out(s->arg, s->b.p, s->b.len) == -1)
		s->failed = errno != 0 ? errno : EIO;
	s->b.len = 0;
}

static void
put(struct show *s, const char *p, size_t len)
{
	if (len > 0)	/* an empty cell: no memcpy into a buffer not made */
		asl_buf_put(&s->b, p, len);
}

/* An unlinked temporary file in $TMPDIR or /tmp; -1 with errno. */
static int
temporary(void)
{
	char path[] = "/tmp/asl-history.XXXXXX";
	const char *tmpdir = getenv("TMPDIR");
	char *tpl = NULL;
	int fd;

	if (tmpdir != NULL && *tmpdir != '\0' && (tpl = malloc(strlen(tmpdir) +
	    sizeof "/asl-history.XXXXXX")) != NULL) {
		strcpy(tpl, tmpdir);
		strcat(tpl, "/asl-history.XXXXXX");
	}
	fd = mkstemp(tpl != NULL ? tpl : path);
	if (fd != -1)
		unlink(tpl != NULL ? tpl : path);
	free(tpl);
	return fd;
}

/* An input that can be read twice: a pipe is copied to a file. */
static int
seekable(struct asl_history_reader *r)
{
	char buf[65536];
	ssize_t got;
	int fd, saved;

	if (lseek(r->fd, 0, SEEK_CUR) != -1)
		return 0;
	if ((fd = temporary()) == -1)
		return -1;
	while ((got = read(r->fd, buf, sizeof buf)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || asl_write_all(fd, buf, (size_t)got) == -1) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
	}
	if (r->own)
		close(r->fd);
	r->fd = fd;
	r->own = 1;
	return asl_history_reader_seek(r, 0, 0);
}

/* The text of a cell: a string as it is, anything else as JSON. */
static jv
cell(jv v)
{
	if (!jv_is_valid(v)) {
		jv_free(v);
		return ASL_LIT("");	/* a member the event lacks */
	}
	return jv_get_kind(v) == JV_KIND_STRING ? v : jv_dump_string(v, 0);
}

static jv
event_details(jv ev)
{
	jv type = jv_object_get(jv_copy(ev), ASL_LIT("type")), d;

	d = jv_get_kind(type) == JV_KIND_STRING ? jv_object_get(ev,
	    asl_events_details_key(jv_string_value(type))) :
	    (jv_free(ev), jv_invalid());
	jv_free(type);
	if (!jv_is_valid(d) || jv_get_kind(d) != JV_KIND_OBJECT) {
		jv_free(d);
		return jv_object();
	}
	return d;
}

/* An event's id as an index of by_id, or 0 for an odd one. */
static long
small_id(jv id)
{
	double d;

	if (jv_get_kind(id) != JV_KIND_NUMBER)
		return 0;
	d = jv_number_value(id);
	return d >= 1 && d <= (double)(1L << 30) && d == (double)(long)d ?
	    (long)d : 0;
}

/* The state (index) recorded for event id (borrowed); 0 for none. */
static int
state_of(struct show *s, jv id)
{
	long k = small_id(id);
	jv v;
	int i;

	if (k > 0)
		return k <= s->nid ? s->by_id[k] : 0;
	if (!jv_is_valid(id))
		return 0;
	v = jv_object_get(jv_copy(s->odd_ids), jv_dump_string(jv_copy(id),
	    0));
	i = jv_is_valid(v) ? (int)jv_number_value(v) : 0;
	jv_free(v);
	return i;
}

static int
record_id(struct show *s, jv id, int state)
{
	long k = small_id(id), cap;
	int *p;

	if (k == 0 && !jv_is_valid(id)) {
		jv_free(id);
		return 0;
	}
	if (k == 0) {
		s->odd_ids = jv_object_set(s->odd_ids, jv_dump_string(id, 0),
		    jv_number(state));
		return 0;
	}
	jv_free(id);
	if (k > s->nid) {
		for (cap = s->nid > 0 ? s->nid : 1024; cap < k; cap *= 2)
			;
		if ((p = realloc(s->by_id, ((size_t)cap + 1) * sizeof *p)) ==
		    NULL)
			return -1;
		memset(p + s->nid + 1, 0, (size_t)(cap - s->nid) * sizeof *p);
		s->by_id = p;
		s->nid = cap;
	}
	s->by_id[k] = state;
	return 0;
}

static int
intern(struct show *s, jv name)
{
	jv i = jv_object_get(jv_copy(s->name_index), jv_copy(name));
	int k;

	if (jv_is_valid(i)) {
		k = (int)jv_number_value(i);
		jv_free(name);
		return k;
	}
	jv_free(i);
	k = jv_array_length(jv_copy(s->names));
	s->names = jv_array_append(s->names, jv_copy(name));
	s->name_index = jv_object_set(s->name_index, name, jv_number(k));
	return k;
}

/*
 * The state an event belongs to: its own name, or (with none, or for a
 * Map iteration's event, which names its Map) its predecessor's.
 */
static int
event_state(struct show *s, jv ev)
{
	jv d = event_details(jv_copy(ev));
	jv type = jv_object_get(jv_copy(ev), ASL_LIT("type"));
	jv name = jv_object_get(jv_copy(d), ASL_LIT("name"));
	int k;

	if (jv_get_kind(name) != JV_KIND_STRING) {
		/* EvaluationFailed names its state, with no predecessor */
		jv_free(name);
		name = jv_object_get(jv_copy(d), ASL_LIT("state"));
	}
	if (jv_get_kind(name) != JV_KIND_STRING ||
	    (jv_get_kind(type) == JV_KIND_STRING &&
	    strncmp(jv_string_value(type), "MapIteration", 12) == 0)) {
		jv prev = jv_object_get(jv_copy(ev), ASL_LIT("previousEventId"));
		k = state_of(s, prev);
		jv_free(prev);
	} else
		k = intern(s, jv_copy(name));
	jv_free(name);
	jv_free(type);
	jv_free(d);
	jv_free(ev);
	return k;
}

static jv
detail_text(jv d)
{
	jv e = jv_object_get(jv_copy(d), ASL_LIT("error"));
	jv c = jv_object_get(jv_copy(d), ASL_LIT("cause"));
	jv i = jv_object_get(jv_copy(d), ASL_LIT("index"));
	jv l = jv_object_get(jv_copy(d), ASL_LIT("length"));
	jv r = ASL_LIT("");

	if (jv_get_kind(e) == JV_KIND_STRING) {
		r = jv_string_concat(r, jv_copy(e));
		if (jv_get_kind(c) == JV_KIND_STRING) {
			const char *cs = jv_string_value(c);
			r = jv_string_append_str(r, ": ");
			if (strlen(cs) > 60)
				r = jv_string_append_buf(jv_string_append_buf(r,
				    cs, 57), "...", 3);
			else
				r = jv_string_append_str(r, cs);
		}
	} else if (jv_get_kind(i) == JV_KIND_NUMBER)
		r = jv_string_fmt("index %d", (int)jv_number_value(i));
	else if (jv_get_kind(l) == JV_KIND_NUMBER)
		r = jv_string_fmt("length %d", (int)jv_number_value(l));
	jv_free(e);
	jv_free(c);
	jv_free(i);
	jv_free(l);
	jv_free(d);
	return r;
}

/* Append text to b, its tabs and newlines made blanks: a cell. */
static void
put_clean(struct asl_buf *b, const char *p, size_t len)
{
	size_t start = b->len, k;

	if (len == 0)
		return;
	asl_buf_put(b, p, len);
	for (k = start; k < b->len; k++)
		if (b->p[k] == '\n' || b->p[k] == '\t')
			b->p[k] = ' ';
}

/* A cell (consumed) of a spooled row, and its width noted in w. */
static void
spool_cell(struct show *s, jv c, size_t *w, int last)
{
	const char *p = jv_string_value(c);
	size_t len = (size_t)jv_string_length_bytes(jv_copy(c));

	if (w != NULL && asl_utf8_count(p, len) > *w)
		*w = asl_utf8_count(p, len);
	put_clean(&s->spool, p, len);
	asl_buf_put(&s->spool, last ? "\n" : "\t", 1);
	jv_free(c);
}

/* The row of event ev (consumed) spooled; its state recorded. */
static int
spool_row(struct show *s, jv ev)
{
	jv type = jv_object_get(jv_copy(ev), ASL_LIT("type"));
	int k = event_state(s, jv_copy(ev));

	spool_cell(s, cell(jv_object_get(jv_copy(ev), ASL_LIT("id"))),
	    &s->w[0], 0);
	spool_cell(s, cell(jv_object_get(jv_copy(ev), ASL_LIT("timestamp"))),
	    &s->w[1], 0);
	spool_cell(s, jv_get_kind(type) == JV_KIND_STRING ? type :
	    (jv_free(type), ASL_LIT("?")), &s->w[2], 0);
	spool_cell(s, jv_array_get(jv_copy(s->names), k), &s->w[3], 0);
	spool_cell(s, detail_text(event_details(jv_copy(ev))), NULL, 1);
	if (record_id(s, jv_object_get(jv_copy(ev), ASL_LIT("id")), k) == -1) {
		jv_free(ev);
		return -1;
	}
	jv_free(ev);
	return s->spool.nomem ? -1 : 0;
}

/*
 * Pass 1: where each line (of the spool, for the table; of the input
 * else) starts, and the rows spooled.
 */
static jv
scan(struct show *s, int table)
{
	const char *p;
	size_t len;
	off_t at, spooled = 0;
	jv ev;
	void *q;

	while ((p = asl_history_reader_line(s->r, &len, &at)) != NULL) {
		if (len == 0)
			continue;
		ev = asl_json_parse(p, len, NULL, NULL);
		if (!jv_is_valid(ev) || jv_get_kind(ev) != JV_KIND_OBJECT) {
			jv_free(ev);
			errno = 0;
			return jv_invalid_with_msg(jv_string_fmt("%s:%ld: not "
			    "a JSON event", s->r->name, s->r->line));
		}
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 4096;
			if ((q = realloc(s->at, (size_t)s->cap *
			    sizeof *s->at)) == NULL) {
				jv_free(ev);
				goto fail;
			}
			s->at = q;
		}
		if (table) {
			s->at[s->n] = spooled + (off_t)s->spool.len;
			if (spool_row(s, ev) == -1)
				goto fail;
			if (s->spool.len >= SHOW_FLUSH) {
				if (asl_write_all(s->fd, s->spool.p,
				    s->spool.len) == -1)
					goto fail;
				spooled += (off_t)s->spool.len;
				s->spool.len = 0;
			}
		} else {
			s->at[s->n] = at;
			jv_free(ev);
		}
		s->n++;
	}
	if (s->r->err != 0) {
		errno = s->r->err;
		goto fail;
	}
	if (!table) {
		s->end = s->r->offset;
		return jv_null();
	}
	if (asl_write_all(s->fd, s->spool.p, s->spool.len) == -1)
		goto fail;
	s->end = spooled + (off_t)s->spool.len;
	return jv_null();
fail:
	if (errno == 0 || s->spool.nomem)
		errno = ENOMEM;
	return jv_invalid_with_msg(jv_string_fmt("%s: %s", s->r->name,
	    strerror(errno)));
}

/* Append a cell, padded to w columns plus two (the last one not). */
static void
put_cell(struct show *s, const char *p, size_t len, size_t w, int last)
{
	size_t n = asl_utf8_count(p, len);

	put(s, p, len);
	for (; !last && n < w + 2; n++)
		put(s, " ", 1);
}

/* A row of five tab-separated cells, padded; no trailing blanks. */
static void
row(struct show *s, const char *p, size_t len)
{
	size_t start = s->b.len, k;
	const char *tab, *end = p + len;

	for (k = 0; k < 5; k++) {
		tab = k < 4 ? memchr(p, '\t', (size_t)(end - p)) : NULL;
		if (tab == NULL)
			tab = end;
		put_cell(s, p, (size_t)(tab - p), k < 4 ? s->w[k] : 0, k == 4);
		p = tab < end ? tab + 1 : end;
	}
	while (s->b.len > start && s->b.p[s->b.len - 1] == ' ')
		s->b.len--;
	put(s, "\n", 1);
	flush(s, 0);
}

/* An event of the document, indented as its place in it wants. */
static void
document_event(struct show *s, jv ev, int first)
{
	jv t = jv_dump_string(ev, JV_PRINT_INDENT_FLAGS(2));
	const char *p = jv_string_value(t), *nl;

	put(s, first ? "    " : ",\n    ", first ? 4 : 6);
	/* a newline in the text is the layout's: strings escape theirs */
	while ((nl = strchr(p, '\n')) != NULL) {
		put(s, p, (size_t)(nl - p + 1));
		put(s, "    ", 4);
		p = nl + 1;
	}
	put(s, p, strlen(p));
	jv_free(t);
	flush(s, 0);
}

/* Pass 2: the lines from..to (indexes into at) read back, and written. */
static jv
emit_range(struct show *s, long from, long to, int reverse, int table,
    long *written, char **buf, size_t *cap)
{
	off_t start = s->at[from], end = to + 1 < s->n ? s->at[to + 1] :
	    s->end;
	size_t len = (size_t)(end - start), off, a, b;
	ssize_t got;
	long i, k;
	jv ev;
	char *q;

	if (len + 1 > *cap) {
		if ((q = realloc(*buf, len + 1)) == NULL) {
			errno = ENOMEM;
			goto fail;
		}
		*buf = q;
		*cap = len + 1;
	}
	for (off = 0; off < len; off += (size_t)got) {
		got = pread(s->fd, *buf + off, len - off, start + (off_t)off);
		if (got < 0 && errno == EINTR)
			got = 0;
		else if (got <= 0) {
			if (got == 0)
				errno = EIO;
			goto fail;
		}
	}
	for (k = 0; k <= to - from && !s->failed; k++) {
		i = reverse ? to - k : from + k;
		a = (size_t)(s->at[i] - start);
		b = i + 1 <= to ? (size_t)(s->at[i + 1] - start) : len;
		/* the line, without its newline and the empty lines after */
		while (b > a && ((*buf)[b - 1] == '\n'))
			b--;
		if (table) {
			row(s, *buf + a, b - a);
			continue;
		}
		ev = asl_json_parse(*buf + a, b - a, NULL, NULL);
		if (!jv_is_valid(ev)) {
			jv_free(ev);
			errno = 0;
			return jv_invalid_with_msg(jv_string_fmt("%s: changed "
			    "while read", s->r->name));
		}
		document_event(s, ev, (*written)++ == 0);
	}
	return jv_null();
fail:
	return jv_invalid_with_msg(jv_string_fmt("%s: %s", s->r->name,
	    strerror(errno)));
}

static jv
emit_all(struct show *s, int reverse, int table)
{
	char *buf = NULL;
	size_t cap = 0;
	long written = 0, i, j, a, b, last;
	jv r = jv_null();

	/* runs of lines of about SHOW_CHUNK bytes, in the order asked */
	for (i = 0; i < s->n && jv_is_valid(r) && !s->failed; i = j + 1) {
		if (!reverse) {
			for (j = i; j + 1 < s->n && s->at[j + 1] - s->at[i] <
			    SHOW_CHUNK; j++)
				;
			a = i;
			b = j;
		} else {
			last = s->n - 1 - i;
			for (j = i; j + 1 < s->n && s->at[last] -
			    s->at[s->n - 2 - j] < SHOW_CHUNK; j++)
				;
			a = s->n - 1 - j;
			b = last;
		}
		jv_free(r);
		r = emit_range(s, a, b, reverse, table, &written, &buf, &cap);
	}
	free(buf);
	return r;
}

jv
asl_history_show(struct asl_history_reader *r, int table, int reverse,
    asl_history_out_fn out, void *arg)
{
	static const char header[] = "ID\tTIMESTAMP\tTYPE\tSTATE\tDETAIL";
	struct show s;
	jv res = jv_null(), ev;
	long n = 0;

	memset(&s, 0, sizeof s);
	s.r = r;
	s.out = out;
	s.arg = arg;
	s.fd = -1;
	s.names = JV_ARRAY(ASL_LIT(""));
	s.name_index = JV_OBJECT(ASL_LIT(""), jv_number(0));
	s.odd_ids = jv_object();
	s.w[0] = 2, s.w[1] = 9, s.w[2] = 4, s.w[3] = 5;
	if (!table && !reverse) {
		/* the document as the events come: one pass */
		put(&s, "{\n  \"events\": [", 15);
		while (jv_get_kind(ev = asl_history_reader_next(r)) ==
		    JV_KIND_OBJECT && !s.failed) {
			if (n++ == 0)
				put(&s, "\n", 1);
			document_event(&s, ev, n == 1);
		}
		if (jv_get_kind(ev) == JV_KIND_OBJECT)
			jv_free(ev);
		else
			res = ev;
	} else if ((table ? (s.fd = temporary()) : seekable(r)) == -1)
		res = jv_invalid_with_msg(jv_string_fmt("%s: %s", table ?
		    "a temporary file" : r->name, strerror(errno)));
	else {
		if (!table)
			s.fd = r->fd;
		res = scan(&s, table);
		if (jv_is_valid(res)) {
			if (table)
				row(&s, header, sizeof header - 1);
			else
				put(&s, "{\n  \"events\": [", 15);
			if (!table && s.n > 0)
				put(&s, "\n", 1);
			n = s.n;
			jv_free(res);
			res = emit_all(&s, reverse, table);
		}
	}
	if (jv_is_valid(res) && !table)
		put(&s, n > 0 ? "\n  ]\n}\n" : "]\n}\n", n > 0 ? 7 : 3);
	flush(&s, 1);
	if (jv_is_valid(res) && s.failed) {
		jv_free(res);
		errno = s.failed;
		res = jv_invalid_with_msg(jv_string_fmt("cannot write: %s",
		    strerror(s.failed)));
	}
	if (table && s.fd != -1)
		close(s.fd);
	asl_buf_free(&s.b);
	asl_buf_free(&s.spool);
	free(s.at);
	free(s.by_id);
	jv_free(s.odd_ids);
	jv_free(s.names);
	jv_free(s.name_index);
	return res;
}
