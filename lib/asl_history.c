/*
 * asl_history.c - building, writing and reading history.jsonl.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asl.h"
#include "asl_events.h"
#include "asl_history.h"
#include "asl_json.h"
#include "asl_time.h"

/* The whole lines of path's content; the offset after the last newline. */
static off_t
complete_length(const char *buf, size_t len)
{
	while (len > 0 && buf[len - 1] != '\n')
		len--;
	return (off_t)len;
}

static long
count_lines(const char *buf, size_t len)
{
	long n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] == '\n')
			n++;
	return n;
}

int
asl_history_open(struct asl_history *h, const char *path, int sync, int keep)
{
	char *content;
	size_t len;
	off_t whole;
	int saved;

	memset(h, 0, sizeof *h);
	h->fd = -1;
	h->sync = sync;
	h->next_id = 1;
	h->keep = keep;
	h->events = keep ? jv_array() : jv_null();
	if (path == NULL)
		return 0;
	h->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (h->fd == -1)
		return -1;
	if ((content = asl_read_all(path, 0, &len)) == NULL)
		goto fail;
	whole = complete_length(content, len);
	h->next_id = count_lines(content, (size_t)whole) + 1;
	if (keep && whole > 0) {
		jv events = asl_history_read(path, NULL);
		if (jv_is_valid(events)) {
			jv_free(h->events);
			h->events = events;
		} else
			jv_free(events);
	}
	free(content);
	/* a crash in the middle of a write left a torn line: cut it */
	if ((size_t)whole != len && ftruncate(h->fd, whole) == -1)
		goto fail;
	return 0;
fail:
	saved = errno;
	close(h->fd);
	h->fd = -1;
	jv_free(h->events);
	h->events = jv_null();
	errno = saved;
	return -1;
}

/* Write the whole lines pending, in one write(2). */
static void
write_pending(struct asl_history *h)
{
	if (h->fd != -1 && h->pending.len > 0) {
		/* whole lines, one write: a crash can only tear the last one */
		if (asl_write_all(h->fd, h->pending.p, h->pending.len) == -1) {
			h->failed = 1;
			h->err = errno;
		}
		h->unsynced = 1;
	}
	h->pending.len = 0;
}

static void
put(struct asl_buf *b, const char *s)
{
	asl_buf_put(b, s, strlen(s));
}

/* Append n in decimal. */
static void
put_long(struct asl_buf *b, long n)
{
	char digits[24], *p = digits + sizeof digits;
	unsigned long u = n < 0 ? -(unsigned long)n : (unsigned long)n;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (n < 0)
		*--p = '-';
	asl_buf_put(b, p, (size_t)(digits + sizeof digits - p));
}

/*
 * An event's line up to its details, written as jv_dump_string would
 * write the event object (asl_history_add's), with no object built.
 */
static void
line_start(struct asl_history *h, const char *ts, const char *type, long id,
    long prev)
{
	/* a timestamp and an event type have nothing to escape */
	ASL_BUF_LIT(&h->pending, "{\"timestamp\":\"");
	put(&h->pending, ts);
	ASL_BUF_LIT(&h->pending, "\",\"type\":\"");
	put(&h->pending, type);
	ASL_BUF_LIT(&h->pending, "\",\"id\":");
	put_long(&h->pending, id);
	ASL_BUF_LIT(&h->pending, ",\"previousEventId\":");
	put_long(&h->pending, prev);
}

static void
line_end(struct asl_history *h)
{
	ASL_BUF_LIT(&h->pending, "}\n");
	if (h->pending.nomem) {
		h->failed = 1;
		h->err = ENOMEM;
		h->pending.nomem = 0;
	}
	/* keep the buffer bounded between commits: write, not sync */
	if (h->pending.len > (1 << 20))
		write_pending(h);
}

long
asl_history_add(struct asl_history *h, long prev, const char *type,
    jv details)
{
	char ts[ASL_TIME_BUFSIZE], buf[ASL_EVENTS_KEYSIZE];
	long id = h->next_id++;
	const char *key = NULL;

	if (h->fd == -1 && !h->keep) {
		jv_free(details);
		return id;
	}
	asl_time_format(asl_time_now(), ts, sizeof ts);
	if (jv_get_kind(details) != JV_KIND_NULL)
		key = asl_events_details_member(type, buf);
	if (h->fd != -1) {
		line_start(h, ts, type, id, prev);
		if (key != NULL) {
			/* a key is a plain identifier: nothing to escape */
			ASL_BUF_LIT(&h->pending, ",\"");
			put(&h->pending, key);
			ASL_BUF_LIT(&h->pending, "\":");
			asl_json_write(&h->pending, details);
		}
		line_end(h);
	}
	if (h->keep) {
		jv ev = JV_OBJECT(ASL_LIT("timestamp"), jv_string(ts),
		    ASL_LIT("type"), jv_string(type), ASL_LIT("id"),
		    jv_number(id), ASL_LIT("previousEventId"),
		    jv_number(prev));
		if (key != NULL)
			ev = jv_object_set(ev, key == buf ? jv_string(buf) :
			    asl_key(key), jv_copy(details));
		h->events = jv_array_append(h->events, ev);
	}
	jv_free(details);
	return id;
}

/* Forget the payload remembered by write_text. */
static void
forget_last(struct asl_history *h)
{
	if (h->have_last)
		jv_free(h->last);
	h->have_last = 0;
	h->last_text.len = 0;
}

/* Append the JSON text of v (borrowed) to the line, as a JSON string. */
static void
write_text(struct asl_history *h, jv v)
{
	struct asl_buf *t = &h->last_text;

	if (h->have_last && asl_jv_identical(h->last, v)) {
		/* the very value written last (values do not change) */
		asl_buf_put(&h->pending, t->p, t->len);
		return;
	}
	t->len = 0;
	asl_json_write_as_string(t, v);
	if (t->nomem) {
		h->pending.nomem = 1;
		t->nomem = 0;
		forget_last(h);
		return;
	}
	asl_buf_put(&h->pending, t->p, t->len);
	if (h->have_last)
		jv_free(h->last);
	h->last = jv_copy(v);
	h->have_last = 1;
}

long
asl_history_add_state(struct asl_history *h, long prev, const char *type,
    const char *name, jv data, jv assigned)
{
	static const char not_truncated[] = "{\"truncated\":false}";
	char ts[ASL_TIME_BUFSIZE];
	struct asl_buf *b = &h->pending;
	size_t tlen = strlen(type);
	/* ...StateExited, else ...StateEntered: the last letters tell */
	int exited = tlen > 6 && memcmp(type + tlen - 6, "Exited", 6) == 0;
	int first;
	long id;

	if (h->keep || h->fd == -1) {
		/* the events kept as objects, or none written: the long way */
		return asl_history_add(h, prev, type, exited ?
		    asl_events_state_exited(name, data, assigned) :
		    (jv_free(assigned), asl_events_state_entered(name, data)));
	}
	id = h->next_id++;
	asl_time_format(asl_time_now(), ts, sizeof ts);
	/* the details asl_history_state_* make, as asl_history_add writes
	   them */
	line_start(h, ts, type, id, prev);
	put(b, exited ? ",\"stateExitedEventDetails\":{\"name\":" :
	    ",\"stateEnteredEventDetails\":{\"name\":");
	asl_json_write_string(b, name, strlen(name));
	put(b, exited ? ",\"output\":" : ",\"input\":");
	write_text(h, data);
	put(b, exited ? ",\"outputDetails\":" : ",\"inputDetails\":");
	put(b, not_truncated);
	if (exited && jv_get_kind(assigned) == JV_KIND_OBJECT &&
	    jv_object_length(jv_copy(assigned)) > 0) {
		ASL_BUF_LIT(b, ",\"assignedVariables\":{");
		first = 1;
		jv_object_foreach(assigned, k, v) {
			if (!first)
				ASL_BUF_LIT(b, ",");
			first = 0;
			asl_json_write(b, k);
			ASL_BUF_LIT(b, ":");
			write_text(h, v);
			jv_free(k);
			jv_free(v);
		}
		ASL_BUF_LIT(b, "},\"assignedVariablesDetails\":");
		put(b, not_truncated);
	}
	ASL_BUF_LIT(b, "}");
	line_end(h);
	jv_free(data);
	jv_free(assigned);
	return id;
}

long
asl_history_add_iteration(struct asl_history *h, long prev, const char *type,
    int index, const char *name)
{
	char ts[ASL_TIME_BUFSIZE], buf[ASL_EVENTS_KEYSIZE];
	struct asl_buf *b = &h->pending;
	long id;

	if (h->keep || h->fd == -1)
		return asl_history_add(h, prev, type, JV_OBJECT(
		    ASL_LIT("index"), jv_number(index), ASL_LIT("name"),
		    jv_string(name)));
	id = h->next_id++;
	asl_time_format(asl_time_now(), ts, sizeof ts);
	line_start(h, ts, type, id, prev);
	ASL_BUF_LIT(b, ",\"");
	put(b, asl_events_details_member(type, buf));
	ASL_BUF_LIT(b, "\":{\"index\":");
	put_long(b, index);
	ASL_BUF_LIT(b, ",\"name\":");
	asl_json_write_string(b, name, strlen(name));
	ASL_BUF_LIT(b, "}");
	line_end(h);
	return id;
}

int
asl_history_flush(struct asl_history *h)
{
	write_pending(h);
	if (h->failed) {
		errno = h->err;
		return -1;
	}
	return 0;
}

int
asl_history_commit(struct asl_history *h)
{
	write_pending(h);
	/* with nothing written since the last one, a sync is a disk flush
	   for nothing */
	if (h->fd != -1 && h->sync && h->unsynced) {
		if (fdatasync(h->fd) == -1 && errno != EINVAL) {
			h->failed = 1;
			h->err = errno;
		}
		h->unsynced = 0;
	}
	if (h->failed) {
		errno = h->err;
		return -1;
	}
	return 0;
}

int
asl_history_close(struct asl_history *h)
{
	int r = asl_history_commit(h);

	if (h->fd != -1 && close(h->fd) == -1 && r == 0)
		r = -1;
	h->fd = -1;
	asl_buf_free(&h->pending);
	forget_last(h);
	asl_buf_free(&h->last_text);
	return r;
}

void
asl_history_release(struct asl_history *h)
{
	if (h->fd != -1)
		asl_history_close(h);
	asl_buf_free(&h->pending);
	forget_last(h);
	asl_buf_free(&h->last_text);
	jv_free(h->events);
	h->events = jv_null();
}

jv
asl_history_read(const char *path, int *torn)
{
	char *content, *p, *nl;
	size_t len;
	jv events = jv_array(), ev;
	long lineno = 0;

	if (torn != NULL)
		*torn = 0;
	if ((content = asl_read_all(path, 0, &len)) == NULL) {
		jv_free(events);
		return jv_invalid_with_msg(jv_string_fmt("%s: %s", path,
		    strerror(errno)));
	}
	for (p = content; p < content + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(content + len - p));
		lineno++;
		if (nl == NULL) {
			if (torn != NULL)
				*torn = 1;
			break;
		}
		if (nl == p)
			continue;
		ev = asl_json_parse(p, (size_t)(nl - p), NULL, NULL);
		if (!jv_is_valid(ev)) {
			jv_free(ev);
			jv_free(events);
			free(content);
			/* not an I/O error: whatever set errno on the way */
			errno = 0;
			return jv_invalid_with_msg(jv_string_fmt("%s:%ld: not a "
			    "JSON event", path, lineno));
		}
		events = jv_array_append(events, ev);
	}
	free(content);
	return events;
}

jv
asl_history_last(const char *path)
{
	size_t chunk = 4096, size, from, end, start;
	char *buf = NULL, *p;
	struct stat sb;
	ssize_t got;
	jv ev;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1) {
		ev = jv_invalid_with_msg(jv_string_fmt("%s: %s", path,
		    strerror(errno)));
		if (fd != -1)
			close(fd);
		return ev;
	}
	size = (size_t)sb.st_size;
	/* a tail of the file, longer until it holds the whole last line */
	for (;;) {
		from = size > chunk ? size - chunk : 0;
		if ((p = realloc(buf, size - from + 1)) == NULL) {
			ev = jv_invalid_with_msg(jv_string_fmt("%s: %s", path,
			    strerror(ENOMEM)));
			goto out;
		}
		buf = p;
		got = pread(fd, buf, size - from, (off_t)from);
		if (got < 0 || (size_t)got != size - from) {
			ev = jv_invalid_with_msg(jv_string_fmt("%s: %s", path,
			    got < 0 ? strerror(errno) : "changed while read"));
			goto out;
		}
		/* past the last newline is a torn line; empty lines skipped */
		for (end = size - from; end > 0 && buf[end - 1] != '\n'; end--)
			;
		while (end > 0 && buf[end - 1] == '\n')
			end--;
		if (end == 0 && from == 0) {
			ev = jv_null();	/* no event */
			goto out;
		}
		for (start = end; start > 0 && buf[start - 1] != '\n'; start--)
			;
		if (start > 0 || from == 0)
			break;
		chunk *= 4;
	}
	ev = asl_json_parse(buf + start, end - start, NULL, NULL);
	if (!jv_is_valid(ev)) {
		jv_free(ev);
		ev = jv_invalid_with_msg(jv_string_fmt("%s: its last event is "
		    "not JSON", path));
	}
out:
	free(buf);
	close(fd);
	return ev;
}

const char *
asl_history_last_status(jv last)
{
	const struct asl_event_type *t;
	jv type;

	if (jv_get_kind(last) != JV_KIND_OBJECT)
		return NULL;
	type = jv_object_get(jv_copy(last), ASL_LIT("type"));
	t = jv_get_kind(type) == JV_KIND_STRING ?
	    asl_events_lookup(jv_string_value(type)) : NULL;
	jv_free(type);
	return asl_events_status(t != NULL ? t->kind : ASL_EV_OTHER);
}

const char *
asl_history_status(jv events)
{
	const char *status;
	jv last;
	int n = jv_array_length(jv_copy(events));

	if (n == 0)
		return NULL;
	last = jv_array_get(jv_copy(events), n - 1);
	status = asl_history_last_status(last);
	jv_free(last);
	return status;
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
	/* one line per event, whatever the text held */
	{
		jv clean = ASL_LIT("");
		const char *p;
		for (p = jv_string_value(r); *p != '\0'; p++)
			clean = jv_string_append_buf(clean, *p == '\n' ||
			    *p == '\t' ? " " : p, 1);
		jv_free(r);
		r = clean;
	}
	return r;
}

jv
asl_history_table(jv events, int reverse)
{
	jv states = jv_object(), rows = jv_array(), out, names;
	int n = jv_array_length(jv_copy(events)), i, w[4] = { 2, 9, 4, 5 };

	/* the state of each event: its own name, or its predecessor's */
	for (i = 0; i < n; i++) {
		jv ev = jv_array_get(jv_copy(events), i);
		jv id = jv_object_get(jv_copy(ev), ASL_LIT("id"));
		jv prev = jv_object_get(jv_copy(ev), ASL_LIT("previousEventId"));
		jv type = jv_object_get(jv_copy(ev), ASL_LIT("type"));
		jv ts = jv_object_get(jv_copy(ev), ASL_LIT("timestamp"));
		jv d = event_details(jv_copy(ev));
		jv name = jv_object_get(jv_copy(d), ASL_LIT("name"));
		jv idtext = jv_dump_string(jv_copy(id), 0);
		jv row;

		if (jv_get_kind(name) != JV_KIND_STRING) {
			/* EvaluationFailed names its state, with no predecessor */
			jv_free(name);
			name = jv_object_get(jv_copy(d), ASL_LIT("state"));
		}
		if (jv_get_kind(name) != JV_KIND_STRING ||
		    (jv_get_kind(type) == JV_KIND_STRING &&
		    strncmp(jv_string_value(type), "MapIteration", 12) == 0)) {
			jv_free(name);
			name = jv_object_get(jv_copy(states), jv_dump_string(
			    jv_copy(prev), 0));
			if (!jv_is_valid(name)) {
				jv_free(name);
				name = ASL_LIT("");
			}
		}
		states = jv_object_set(states, jv_copy(idtext), jv_copy(name));
		row = JV_ARRAY(idtext, jv_get_kind(ts) == JV_KIND_STRING ? ts :
		    jv_dump_string(ts, 0), jv_get_kind(type) == JV_KIND_STRING ?
		    type : ASL_LIT("?"), name, detail_text(d));
		rows = jv_array_append(rows, row);
		jv_free(id);
		jv_free(prev);
		jv_free(ev);
	}
	jv_free(events);
	names = JV_ARRAY(ASL_LIT("ID"), ASL_LIT("TIMESTAMP"),
	    ASL_LIT("TYPE"), ASL_LIT("STATE"), ASL_LIT("DETAIL"));
	jv_array_foreach(rows, r, row) {
		int k;
		for (k = 0; k < 4; k++) {
			jv c = jv_array_get(jv_copy(row), k);
			int len = jv_string_length_codepoints(c);
			if (len > w[k])
				w[k] = len;
		}
		jv_free(row);
		(void)r;
	}
	out = ASL_LIT("");
	for (i = -1; i < n; i++) {
		int k, idx = i < 0 ? -1 : reverse ? n - 1 - i : i;
		jv row = idx < 0 ? jv_copy(names) : jv_array_get(jv_copy(rows),
		    idx);
		for (k = 0; k < 5; k++) {
			jv c = jv_array_get(jv_copy(row), k);
			int len = jv_string_length_codepoints(jv_copy(c));
			out = jv_string_concat(out, c);
			if (k < 4) {
				for (; len < w[k] + 2; len++)
					out = jv_string_append_buf(out, " ", 1);
			}
		}
		/* no trailing blanks */
		{
			const char *t = jv_string_value(out);
			int end = jv_string_length_bytes(jv_copy(out));
			jv trimmed;
			while (end > 0 && t[end - 1] == ' ')
				end--;
			trimmed = jv_string_sized(t, end);
			jv_free(out);
			out = trimmed;
		}
		out = jv_string_append_buf(out, "\n", 1);
		jv_free(row);
	}
	jv_free(names);
	jv_free(rows);
	jv_free(states);
	return out;
}

jv
asl_history_document(jv events, int reverse)
{
	jv out = jv_array();
	int n = jv_array_length(jv_copy(events)), i;

	for (i = 0; i < n; i++)
		out = jv_array_append(out, jv_array_get(jv_copy(events),
		    reverse ? n - 1 - i : i));
	jv_free(events);
	return JV_OBJECT(ASL_LIT("events"), out);
}
