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

int
asl_history_open(struct asl_history *h, const char *path, int sync, int keep)
{
	struct asl_history_reader r;
	size_t len;
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
	/* the lines counted as they come: the file is never held whole */
	if (asl_history_reader_open(&r, path) == -1)
		goto fail;
	while (asl_history_reader_line(&r, &len, NULL) != NULL)
		;
	if (r.err != 0) {
		asl_history_reader_close(&r);
		errno = r.err;
		goto fail;
	}
	h->next_id = r.line + 1;
	asl_history_reader_close(&r);
	if (keep && r.line > 0) {
		jv events = asl_history_read(path, NULL);
		if (jv_is_valid(events)) {
			jv_free(h->events);
			h->events = events;
		} else
			jv_free(events);
	}
	/* a crash in the middle of a write left a torn line: cut it */
	if (r.torn && ftruncate(h->fd, r.offset) == -1)
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

void
asl_history_open_memory(struct asl_history *h)
{
	asl_history_open(h, NULL, 0, 0);
	h->mem = 1;
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
	if (!h->mem)
		h->pending.len = 0;
}

/* Whether events are written as lines: to the file, or kept as text. */
static int
writes(const struct asl_history *h)
{
	return h->fd != -1 || h->mem;
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

/*
 * Whether an event of type is past the limit: the last event the limit
 * allows is only one that ends the execution.
 */
static int
over_limit(struct asl_history *h, const char *type)
{
	const struct asl_event_type *t;

	if (h->limit <= 0 || h->next_id < h->limit)
		return 0;
	if (h->next_id == h->limit && (t = asl_events_lookup(type)) != NULL &&
	    (t->kind == ASL_EV_EXECUTION_SUCCEEDED ||
	    t->kind == ASL_EV_EXECUTION_FAILED ||
	    t->kind == ASL_EV_EXECUTION_ABORTED ||
	    t->kind == ASL_EV_EXECUTION_TIMED_OUT))
		return 0;
	h->full = 1;
	return 1;
}

long
asl_history_add(struct asl_history *h, long prev, const char *type,
    jv details)
{
	char ts[ASL_TIME_BUFSIZE], buf[ASL_EVENTS_KEYSIZE];
	const char *key = NULL;
	long id;

	if (over_limit(h, type)) {
		jv_free(details);
		return h->next_id - 1;
	}
	id = h->next_id++;
	if (!writes(h) && !h->keep) {
		jv_free(details);
		return id;
	}
	asl_time_format(asl_time_now(), ts, sizeof ts);
	if (jv_get_kind(details) != JV_KIND_NULL)
		key = asl_events_details_member(type, buf);
	if (writes(h)) {
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

	if (h->keep || !writes(h) || over_limit(h, type)) {
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

	if (h->keep || !writes(h) || over_limit(h, type))
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

int
asl_history_reader_open(struct asl_history_reader *r, const char *path)
{
	memset(r, 0, sizeof *r);
	r->name = path != NULL && strcmp(path, "-") != 0 ? path : "-";
	if (strcmp(r->name, "-") == 0) {
		r->fd = STDIN_FILENO;
		return 0;
	}
	if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	r->own = 1;
	return 0;
}

void
asl_history_reader_close(struct asl_history_reader *r)
{
	if (r->own && r->fd != -1)
		close(r->fd);
	r->fd = -1;
	free(r->buf);
	r->buf = NULL;
}

int
asl_history_reader_seek(struct asl_history_reader *r, off_t at, long line)
{
	if (lseek(r->fd, at, SEEK_SET) == -1)
		return -1;
	r->start = r->end = 0;
	r->offset = at;
	r->line = line;
	r->eof = r->torn = r->err = 0;
	return 0;
}

const char *
asl_history_reader_line(struct asl_history_reader *r, size_t *len, off_t *at)
{
	char *nl, *p;
	size_t scanned = 0;
	ssize_t got;

	for (;;) {
		nl = r->buf == NULL ? NULL : memchr(r->buf + r->start +
		    scanned, '\n', r->end - r->start - scanned);
		if (nl != NULL) {
			p = r->buf + r->start;
			*len = (size_t)(nl - p);
			if (at != NULL)
				*at = r->offset;
			r->offset += (off_t)(*len + 1);
			r->start += *len + 1;
			r->line++;
			return p;
		}
		scanned = r->end - r->start;
		if (r->eof || r->err) {
			/* bytes after the last newline: a torn line */
			r->torn = scanned > 0;
			return NULL;
		}
		/* room for more: the unread bytes moved to the front */
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, scanned);
			r->end = scanned;
			r->start = 0;
		}
		if (r->cap - r->end < 65536) {
			size_t cap = r->cap ? r->cap * 2 : 131072;
			if ((p = realloc(r->buf, cap)) == NULL) {
				r->err = ENOMEM;
				return NULL;
			}
			r->buf = p;
			r->cap = cap;
		}
		got = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			r->err = errno;
		else if (got == 0)
			r->eof = 1;
		else
			r->end += (size_t)got;
	}
}

jv
asl_history_reader_next(struct asl_history_reader *r)
{
	const char *p;
	size_t len;
	jv ev;

	do {
		if ((p = asl_history_reader_line(r, &len, NULL)) == NULL) {
			if (r->err == 0)
				return jv_null();
			errno = r->err;
			return jv_invalid_with_msg(jv_string_fmt("%s: %s",
			    r->name, strerror(r->err)));
		}
	} while (len == 0);
	ev = asl_json_parse(p, len, NULL, NULL);
	if (!jv_is_valid(ev) || jv_get_kind(ev) != JV_KIND_OBJECT) {
		jv_free(ev);
		errno = 0;
		return jv_invalid_with_msg(jv_string_fmt("%s:%ld: not a "
		    "JSON event", r->name, r->line));
	}
	return ev;
}

jv
asl_history_read(const char *path, int *torn)
{
	struct asl_history_reader r;
	jv events = jv_array(), ev;

	if (torn != NULL)
		*torn = 0;
	if (asl_history_reader_open(&r, path) == -1)
		return jv_invalid_with_msg(jv_string_fmt("%s: %s", path,
		    strerror(errno)));
	while (jv_get_kind(ev = asl_history_reader_next(&r)) ==
	    JV_KIND_OBJECT)
		events = jv_array_append(events, ev);
	if (!jv_is_valid(ev)) {
		jv_free(events);
		events = ev;
	} else if (torn != NULL)
		*torn = r.torn;
	asl_history_reader_close(&r);
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
