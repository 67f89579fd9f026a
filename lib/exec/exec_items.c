/*
 * lib/exec/exec_items.c - a Distributed Map's data on the local S3: what
 * its ItemReader reads (asl_items.h) and what its ResultWriter writes.
 */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asl_arn.h"
#include "asl_items.h"
#include "asl_json.h"
#include "asl_s3.h"
#include "asl_store.h"
#include "exec_int.h"

jv
ex_items_read(struct frame *f, jv effect)
{
	struct exec *ex = f->ex;
	struct asl_items *it;
	jv items, v, err;
	long n = 0;

	if ((it = asl_items_open(ex->s3_root, jv_copy(effect), &err)) == NULL) {
		jv_free(effect);
		return err;
	}
	/* a first pass counts them, the iterations read them */
	while (jv_is_valid(v = asl_items_next(it))) {
		jv_free(v);
		n++;
	}
	asl_items_close(it);
	if (jv_invalid_has_msg(jv_copy(v))) {
		jv_free(effect);
		return v;
	}
	jv_free(v);
	items = jv_array_sized((int)n);
	while (n-- > 0)
		items = jv_array_append(items, jv_null());
	asl_items_close(f->reader);
	if ((f->reader = asl_items_open(ex->s3_root, effect, &err)) == NULL) {
		jv_free(items);
		return err;
	}
	return items;
}

void
ex_read_items(struct frame *f)
{
	jv items = ex_items_read(f, jv_copy(f->effect));

	ex_release_work(f);
	if (!jv_is_valid(items)) {
		jv_free(f->error);
		f->error = asl_error_object(items);
		f->pc = PC_ERROR;
	} else {
		jv_free(f->result);
		f->result = items;
		f->pc = PC_REENTER;
	}
	ex_push_ready(f->ex, f);
}

/*
 * Batches of streamed items: each iteration's input is the next items
 * (ItemSelector applied), as many as MaxItemsPerBatch and
 * MaxInputBytesPerBatch let in, with the BatchInput.
 */
struct ex_batches {
	double	 per, bytes;
	jv	 input;		/* BatchInput, or invalid */
	int	 bilen;		/* its JSON text's length, and its key's */
	jv	 next;		/* an item read that did not fit, or invalid */
	int	 nextlen;
	int	 index;		/* the next item's */
};

void
ex_batches_free(struct ex_batches *b)
{
	if (b == NULL)
		return;
	jv_free(b->input);
	jv_free(b->next);
	free(b);
}

/* The next item of g's reader, selected, and its length; invalid at the end. */
static jv
next_selected(struct group *g, int *len)
{
	struct ex_batches *b = g->batches;
	jv item = asl_items_next(g->reader), v;

	if (!jv_is_valid(item))
		return item;
	v = asl_step_map_items_select(g->items, b->index++, item);
	*len = b->bytes > 0 && jv_is_valid(v) ? (int)asl_json_length(v,
	    (size_t)b->bytes) + 1 : 0;
	return v;
}

/*
 * The next batch (the items) or, with count, only whether there is one
 * (true); invalid at the end, or an error.
 */
static jv
next_batch(struct group *g, int count)
{
	struct ex_batches *b = g->batches;
	jv items = count ? jv_true() : jv_array(), v;
	int k = 0, len = 0, size = 11 + b->bilen;

	for (;;) {
		if (jv_is_valid(b->next)) {
			v = b->next;
			len = b->nextlen;
			b->next = jv_invalid();
		} else
			v = next_selected(g, &len);
		if (!jv_is_valid(v)) {
			if (jv_invalid_has_msg(jv_copy(v))) {
				jv_free(items);
				return v;
			}
			jv_free(v);
			break;
		}
		if (k > 0 && ((b->per > 0 && k >= b->per) || (b->bytes > 0 &&
		    size + len > b->bytes))) {
			b->next = v;
			b->nextlen = len;
			break;
		}
		items = count ? (jv_free(v), items) : jv_array_append(items, v);
		size += len;
		k++;
	}
	if (k == 0) {
		jv_free(items);
		return jv_invalid();
	}
	if (count)
		return items;
	items = JV_OBJECT(ASL_LIT("Items"), items);
	if (jv_is_valid(b->input))
		items = jv_object_set(items, ASL_LIT("BatchInput"),
		    jv_copy(b->input));
	return items;
}

int
ex_batches_start(struct group *g)
{
	jv spec = jv_object_get(jv_copy(g->effect), ASL_LIT("batcher")), v;
	struct ex_batches *b;
	int n = 0;

	if (jv_get_kind(spec) != JV_KIND_OBJECT || g->reader == NULL) {
		jv_free(spec);
		return 0;
	}
	if ((b = calloc(1, sizeof *b)) == NULL)
		abort();
	b->per = jv_number_value(jv_object_get(jv_copy(spec), ASL_LIT("per")));
	b->bytes = jv_number_value(jv_object_get(jv_copy(spec),
	    ASL_LIT("bytes")));
	b->input = jv_object_get(spec, ASL_LIT("batchInput"));
	if (jv_is_valid(b->input))
		b->bilen = jv_string_length_bytes(jv_dump_string(jv_copy(
		    b->input), 0)) + 14;	/* ,"BatchInput": */
	b->next = jv_invalid();
	g->batches = b;
	/* a first pass counts the batches, as the iterations will make them */
	while (jv_is_valid(v = next_batch(g, 1))) {
		jv_free(v);
		n++;
	}
	jv_free(b->next);
	b->next = jv_invalid();
	b->index = 0;
	if (jv_invalid_has_msg(jv_copy(v)) || asl_items_rewind(g->reader) == -1) {
		jv_free(g->error);
		g->error = jv_invalid_has_msg(jv_copy(v)) ? jv_invalid_get_msg(v) :
		    (jv_free(v), asl_error_object(asl_error(
		    "States.ItemReaderFailed", "cannot read the items again")));
		return -1;
	}
	jv_free(v);
	g->n = n;
	jv_free(g->results);
	g->results = jv_array_sized(n);
	while (n-- > 0)
		g->results = jv_array_append(g->results, jv_null());
	return 0;
}

jv
ex_map_input(struct group *g, int index)
{
	jv item;

	if (g->batches != NULL) {
		item = next_batch(g, 0);
		if (!jv_is_valid(item) && !jv_invalid_has_msg(jv_copy(item))) {
			jv_free(item);
			return asl_error("States.ItemReaderFailed", "the object "
			    "changed while the Map read it: batch %d is gone",
			    index);
		}
		return item;
	}
	if (g->reader == NULL && jv_get_kind(jv_object_get(jv_copy(g->effect),
	    ASL_LIT("batched"))) == JV_KIND_TRUE)
		/* batches made by the step: ItemSelector applied already */
		return jv_array_get(jv_object_get(jv_copy(g->effect),
		    ASL_LIT("items")), index);
	if (g->reader == NULL)
		return g->items != NULL ? asl_step_map_items_get(g->items, index) :
		    asl_step_map_item(&g->req, jv_copy(g->effect), index);
	item = asl_items_next(g->reader);
	if (!jv_is_valid(item) && !jv_invalid_has_msg(jv_copy(item))) {
		jv_free(item);
		return asl_error("States.ItemReaderFailed", "the object changed "
		    "while the Map read it: item %d is gone", index);
	}
	if (!jv_is_valid(item))
		return item;
	return asl_step_map_items_select(g->items, index, item);
}

/*
 * ResultWriter: a Map Run's results written to the local S3 as AWS lays
 * them out, under PREFIX/RUN-ID/ (RUN-ID the last part of the Map Run's
 * ARN): SUCCEEDED_0.json, FAILED_0.json and PENDING_0.json, each written
 * as its children end (so that a million results are never in memory),
 * and manifest.json naming them with their sizes.  The Map's result is
 * then {"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}.  A
 * WriterConfig without a Resource only shapes the results the Map
 * returns (COMPACT, FLATTEN).
 */
enum { T_NONE, T_COMPACT, T_FLATTEN };

struct part {
	const char	*name;		/* SUCCEEDED, FAILED, PENDING */
	FILE		*fp;
	char		*tmp;
	long		 n;
};

struct ex_writer {
	const char	*root;
	jv		 bucket, dir;	/* bucket null: no S3 export */
	int		 jsonl, transform;
	jv		 map_run;
	struct slot {
		int	 index;
		jv	 input;
	}		*slots;		/* the iterations under way */
	int		 nslots, capslots;
	struct part	 parts[3];
	struct asl_buf	 text;		/* an entry's text */
	jv		 error;		/* what went wrong writing, or null */
};

static jv
writer_error(jv err)
{
	return jv_invalid_get_msg(asl_error_as("States.ResultWriterFailed", err));
}

static const char *
str_or(jv v, const char *dflt)
{
	return jv_get_kind(v) == JV_KIND_STRING ? jv_string_value(v) : dflt;
}

struct ex_writer *
ex_writer_new(struct frame *f, jv map_run, jv *err)
{
	jv w = jv_object_get(jv_copy(f->effect), ASL_LIT("resultWriter"));
	jv cfg, params, res, prefix, v;
	struct ex_writer *wr;
	const char *arn, *run, *colon;

	*err = jv_null();
	if (jv_get_kind(w) != JV_KIND_OBJECT) {
		jv_free(w);
		jv_free(map_run);
		return NULL;
	}
	if ((wr = calloc(1, sizeof *wr)) == NULL)
		abort();
	wr->root = f->ex->s3_root;
	wr->parts[0].name = "SUCCEEDED";
	wr->parts[1].name = "FAILED";
	wr->parts[2].name = "PENDING";
	wr->error = jv_null();
	cfg = jv_object_get(jv_copy(w), ASL_LIT("writerConfig"));
	params = jv_object_get(jv_copy(w), ASL_LIT("parameters"));
	res = jv_object_get(w, ASL_LIT("resource"));
	if (jv_get_kind(cfg) == JV_KIND_OBJECT) {
		v = jv_object_get(jv_copy(cfg), ASL_LIT("OutputType"));
		wr->jsonl = strcmp(str_or(v, "JSON"), "JSONL") == 0;
		jv_free(v);
		v = jv_object_get(jv_copy(cfg), ASL_LIT("Transformation"));
		wr->transform = strcmp(str_or(v, "NONE"), "COMPACT") == 0 ?
		    T_COMPACT : strcmp(str_or(v, "NONE"), "FLATTEN") == 0 ?
		    T_FLATTEN : T_NONE;
		jv_free(v);
	}
	wr->bucket = jv_null();
	wr->dir = jv_null();
	if (jv_get_kind(res) == JV_KIND_STRING) {
		wr->bucket = jv_get_kind(params) == JV_KIND_OBJECT ?
		    jv_object_get(jv_copy(params), ASL_LIT("Bucket")) : jv_null();
		prefix = jv_get_kind(params) == JV_KIND_OBJECT ?
		    jv_object_get(jv_copy(params), ASL_LIT("Prefix")) : jv_null();
		arn = jv_string_value(map_run);
		colon = strrchr(arn, ':');
		run = colon != NULL ? colon + 1 : arn;
		{
			const char *p = str_or(prefix, "");
			size_t n = strlen(p);
			while (n > 0 && p[n - 1] == '/')
				n--;
			wr->dir = n > 0 ? jv_string_fmt("%.*s/%s", (int)n, p, run) :
			    jv_string(run);
		}
		jv_free(prefix);
		if (jv_get_kind(wr->bucket) != JV_KIND_STRING)
			*err = asl_error_object(asl_error("States.ResultWriterFailed",
			    "The ResultWriter needs a Bucket"));
	} else
		wr->transform = wr->transform == T_NONE ? T_COMPACT :
		    wr->transform;
	jv_free(res);
	jv_free(params);
	jv_free(cfg);
	wr->map_run = map_run;
	if (jv_get_kind(*err) == JV_KIND_OBJECT) {
		ex_writer_free(wr);
		return NULL;
	}
	return wr;
}

void
ex_writer_started(struct ex_writer *wr, int index, jv input)
{
	if (jv_get_kind(wr->bucket) != JV_KIND_STRING)
		return;
	if (wr->nslots == wr->capslots) {
		wr->capslots = wr->capslots ? 2 * wr->capslots : 16;
		wr->slots = realloc(wr->slots, (size_t)wr->capslots *
		    sizeof *wr->slots);
		if (wr->slots == NULL)
			abort();
	}
	wr->slots[wr->nslots].index = index;
	wr->slots[wr->nslots++].input = jv_copy(input);
}

/* The input ex_writer_started kept of iteration index, taken out. */
static jv
take_slot(struct ex_writer *wr, int index)
{
	jv in;
	int i;

	for (i = 0; i < wr->nslots; i++)
		if (wr->slots[i].index == index) {
			in = wr->slots[i].input;
			wr->slots[i] = wr->slots[--wr->nslots];
			return in;
		}
	return jv_null();
}

/* One more entry (consumed) in a result file. */
static void
put_entry(struct ex_writer *wr, struct part *p, jv entry)
{
	jv err, key;
	int fd;

	if (jv_get_kind(wr->error) != JV_KIND_NULL) {
		jv_free(entry);
		return;
	}
	if (p->fp == NULL) {
		key = jv_string_fmt("%s/%s_0.json", jv_string_value(wr->dir),
		    p->name);
		fd = asl_s3_create(wr->root, jv_string_value(wr->bucket),
		    jv_string_value(key), &p->tmp, &err);
		jv_free(key);
		if (fd == -1 || (p->fp = fdopen(fd, "w")) == NULL) {
			if (fd != -1) {
				close(fd);
				err = asl_error("S3.S3Exception", "%s",
				    strerror(errno));
			}
			wr->error = writer_error(err);
			jv_free(entry);
			return;
		}
		if (!wr->jsonl)
			fputc('[', p->fp);
	}
	/* asl_json_write: jv_dump_string's text, at a fraction of its cost */
	wr->text.len = 0;
	asl_json_write(&wr->text, entry);
	jv_free(entry);
	if (!wr->jsonl && p->n > 0)
		fputc(',', p->fp);
	fwrite(wr->text.p, 1, wr->text.len, p->fp);
	if (wr->jsonl)
		fputc('\n', p->fp);
	p->n++;
}

/*
 * What NONE writes of child k, with its input (consumed): its execution,
 * as DescribeExecution.
 */
static jv
described(const struct frame *k, jv input, const char *status, jv output,
    jv error, const char *now)
{
	jv name = jv_copy(ex_kid_name(k)), d;

	d = JV_OBJECT(ASL_LIT("ExecutionArn"), ex_kid_arn(jv_string_value(
	    k->group->run_arn), jv_string_value(name)), ASL_LIT("Input"), asl_events_text(input),
	    ASL_LIT("InputDetails"), JV_OBJECT(ASL_LIT("Included"), jv_true()),
	    ASL_LIT("Name"), name);
	if (strcmp(status, "SUCCEEDED") == 0)
		d = jv_object_set(jv_object_set(d, ASL_LIT("Output"),
		    asl_events_text(output)), ASL_LIT("OutputDetails"), JV_OBJECT(
		    ASL_LIT("Included"), jv_true()));
	else
		jv_free(output);
	d = jv_object_set(d, ASL_LIT("RedriveCount"), jv_number(0));
	d = jv_object_set(d, ASL_LIT("StartDate"), jv_string(ex_kid_started(k)));
	d = jv_object_set(d, ASL_LIT("StateMachineArn"), ex_kid_machine(
	    jv_string_value(k->group->run_arn)));
	d = jv_object_set(d, ASL_LIT("Status"), jv_string(status));
	d = jv_object_set(d, ASL_LIT("StopDate"), jv_string(now));
	if (jv_get_kind(error) == JV_KIND_OBJECT) {
		/* a Fail state may give no Cause: then there is none */
		jv e = jv_object_get(jv_copy(error), ASL_LIT("Error"));
		jv c = jv_object_get(jv_copy(error), ASL_LIT("Cause"));
		d = jv_is_valid(e) ? jv_object_set(d, ASL_LIT("Error"), e) :
		    (jv_free(e), d);
		d = jv_is_valid(c) ? jv_object_set(d, ASL_LIT("Cause"), c) :
		    (jv_free(c), d);
	}
	jv_free(error);
	return d;
}

/* The entry of child k for the result files, or null. */
static jv
writer_entry(struct ex_writer *wr, const struct frame *k, const char *now)
{
	int ok = k->st == F_DONE;
	jv in = take_slot(wr, k->index);

	if (wr->transform == T_NONE)
		return described(k, in, ok ? "SUCCEEDED" : "FAILED",
		    jv_copy(k->output), ok ? jv_null() : jv_copy(k->error), now);
	jv_free(in);
	return ok ? jv_copy(k->output) : jv_copy(k->error);
}

/* Put a child's entry (consumed) in the file of its outcome. */
static void
put_result(struct ex_writer *wr, int ok, jv e)
{
	int i, n;

	if (ok && wr->transform == T_FLATTEN && jv_get_kind(e) == JV_KIND_ARRAY) {
		n = jv_array_length(jv_copy(e));
		for (i = 0; i < n; i++)
			put_entry(wr, &wr->parts[0], jv_array_get(jv_copy(e), i));
		jv_free(e);
	} else
		put_entry(wr, &wr->parts[ok ? 0 : 1], e);
}

/*
 * The journal of a Map Run, executions/NAME/maprun-RUN.jsonl (RUN the
 * last part of its ARN): its ARN first, then a line a child that ended,
 * {"i": index, "ok": bool, "v": output or error, "s": start, "t": stop,
 * "r": its redrives, if any} or, with a ResultWriter, "e" (its entry in
 * the files) for "v"; a child
 * aborted when the Map Run failed is {"i", "ab": true, "s", "t"}; a
 * redrive of the Map Run adds {"redrive": count}.  Each line is written
 * whole with one write(2), so that a driver killed half way and resumed
 * never runs a child that had ended again.
 */
static void
journal_add(struct group *g, jv line)
{
	struct asl_buf b = { NULL, 0, 0, 0 };
	char *path;

	if (g->journal == 0) {
		path = ex_maprun_journal(g->owner->ex->store, g->owner->ex->name,
		    jv_string_value(g->run_arn));
		g->journal = path != NULL ? open(path, O_WRONLY | O_CREAT |
		    O_APPEND | O_CLOEXEC, 0600) : -1;
		free(path);
	}
	if (g->journal < 0) {
		jv_free(line);
		return;
	}
	asl_json_write(&b, line);
	jv_free(line);
	ASL_BUF_LIT(&b, "\n");
	if (!b.nomem)
		(void)asl_write_all(g->journal, b.p, b.len);
	asl_buf_free(&b);
}

void
ex_maprun_begin(struct group *g)
{
	journal_add(g, g->redrive > 0 ? JV_OBJECT(ASL_LIT("redrive"),
	    jv_number(g->redrive)) : JV_OBJECT(ASL_LIT("mapRunArn"),
	    jv_copy(g->run_arn)));
}

void
ex_maprun_finished(struct group *g, struct frame *k, const char *status)
{
	struct ex_writer *wr = g->writer;
	int ok = strcmp(status, "SUCCEEDED") == 0;
	char now[ASL_TIME_BUFSIZE];
	jv e = jv_null(), line;

	asl_time_format(asl_time_now(), now, sizeof now);
	/* the child's own execution first, then the line that says it ended */
	ex_kid_end(g, k, status);
	if (strcmp(status, "ABORTED") == 0) {
		if (wr != NULL)
			jv_free(take_slot(wr, k->index));
		journal_add(g, JV_OBJECT(ASL_LIT("i"), jv_number(k->index),
		    ASL_LIT("ab"), jv_true(), ASL_LIT("s"), jv_string(
		    ex_kid_started(k)), ASL_LIT("t"), jv_string(now)));
		return;
	}
	if (wr != NULL && jv_get_kind(wr->bucket) == JV_KIND_STRING) {
		e = writer_entry(wr, k, now);
		put_result(wr, ok, jv_copy(e));
		/* the results are in the files, not in the Map's memory */
		g->results = jv_array_set(g->results, k->index, jv_null());
	}
	/* the entry holds the outcome already: it is written once */
	line = JV_OBJECT(ASL_LIT("i"), jv_number(k->index), ASL_LIT("ok"),
	    jv_bool(ok));
	if (jv_get_kind(e) != JV_KIND_NULL)
		line = jv_object_set(line, ASL_LIT("e"), e);
	else
		line = jv_object_set(line, ASL_LIT("v"), jv_copy(ok ?
		    k->output : k->error));
	line = jv_object_set(line, ASL_LIT("s"), jv_string(ex_kid_started(k)));
	line = jv_object_set(line, ASL_LIT("t"), jv_string(now));
	if (ex_kid_redriven(k))
		line = jv_object_set(line, ASL_LIT("r"), jv_number(g->redrive));
	journal_add(g, line);
}

int
ex_maprun_redrives(struct group *g)
{
	char *path = ex_maprun_journal(g->owner->ex->store, g->owner->ex->name,
	    jv_string_value(g->run_arn)), *text;
	const char *p;
	size_t len;
	int n = 0;

	text = path != NULL ? asl_read_all(path, 0, &len) : NULL;
	free(path);
	/* a line of its own: no child's line starts so */
	for (p = text; p != NULL && (p = memmem(p, (size_t)(text + len - p),
	    "\n{\"redrive\":", 12)) != NULL; p += 12)
		n++;
	free(text);
	return n;
}

int
ex_maprun_restore(struct group *g, int *seen)
{
	char *path = ex_maprun_journal(g->owner->ex->store, g->owner->ex->name,
	    jv_string_value(g->run_arn)), *text;
	const char *p, *nl, *redriven = NULL;
	size_t len;
	int count = 0, k, ok;
	jv line;

	text = path != NULL ? asl_read_all(path, 0, &len) : NULL;
	free(path);
	if (text == NULL)
		return 0;
	/* the failures before the last redrive run again */
	g->redrive = 0;
	for (p = text; (p = memmem(p, (size_t)(text + len - p),
	    "\n{\"redrive\":", 12)) != NULL; p += 12) {
		redriven = p;
		g->redrive++;
	}
	for (p = text; p < text + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(text + len - p))) == NULL)
			break;	/* a torn last line: that child runs again */
		line = asl_json_parse(p, (size_t)(nl - p), NULL, NULL);
		if (jv_get_kind(line) != JV_KIND_OBJECT) {
			jv_free(line);
			continue;
		}
		if (jv_object_has(jv_copy(line), ASL_LIT("mapRunArn"))) {
			/* the same Map Run: its ResultWriter writes on */
			jv err;
			if (g->writer == NULL)
				g->writer = ex_writer_new(g->owner, jv_object_get(
				    jv_copy(line), ASL_LIT("mapRunArn")), &err);
			else
				err = jv_null();
			jv_free(err);
			jv_free(line);
			continue;
		}
		if (!jv_object_has(jv_copy(line), ASL_LIT("i"))) {
			jv_free(line);	/* a redrive's line */
			continue;
		}
		k = (int)jv_number_value(jv_object_get(jv_copy(line),
		    ASL_LIT("i")));
		ok = jv_get_kind(jv_object_get(jv_copy(line), ASL_LIT("ok"))) ==
		    JV_KIND_TRUE;
		if (k < 0 || k >= g->n || seen[k] || !jv_object_has(jv_copy(line),
		    ASL_LIT("ok")) || (!ok && p < redriven)) {
			jv_free(line);
			continue;
		}
		seen[k] = 1;
		count++;
		if (k + 1 > g->started)
			g->started = k + 1;
		g->done++;
		if (!ok)
			g->failed++;
		if (g->writer != NULL && jv_get_kind(g->writer->bucket) ==
		    JV_KIND_STRING)
			put_result(g->writer, ok, jv_object_get(jv_copy(line),
			    ASL_LIT("e")));
		else
			g->results = jv_array_set(g->results, k,
			    jv_object_get(jv_copy(line), ASL_LIT("v")));
		jv_free(line);
	}
	free(text);
	return count;
}

/* FLATTEN: arrays among the results give their elements instead. */
static jv
flattened(jv results)
{
	jv out = jv_array();
	int i, j, n = jv_array_length(jv_copy(results)), m;

	for (i = 0; i < n; i++) {
		jv v = jv_array_get(jv_copy(results), i);
		if (jv_get_kind(v) != JV_KIND_ARRAY) {
			out = jv_array_append(out, v);
			continue;
		}
		m = jv_array_length(jv_copy(v));
		for (j = 0; j < m; j++)
			out = jv_array_append(out, jv_array_get(jv_copy(v), j));
		jv_free(v);
	}
	jv_free(results);
	return out;
}

jv
ex_writer_close(struct group *g, jv results)
{
	struct ex_writer *wr = g->writer;
	jv files, manifest, key, text, r, list;
	struct stat sb;
	int i;

	if (jv_get_kind(wr->bucket) != JV_KIND_STRING)
		return wr->transform == T_FLATTEN ? flattened(results) : results;
	jv_free(results);
	/* what never started: PENDING */
	for (i = g->started; i < g->n && g->items != NULL; i++) {
		jv in = ex_map_input(g, i);
		if (!jv_is_valid(in)) {
			jv_free(in);
			break;
		}
		put_entry(wr, &wr->parts[2], wr->transform == T_NONE ? JV_OBJECT(
		    ASL_LIT("Input"), asl_events_text(in), ASL_LIT("InputDetails"),
		    JV_OBJECT(ASL_LIT("Included"), jv_true()), ASL_LIT("Status"),
		    ASL_LIT("PENDING")) : in);
	}
	files = jv_object();
	for (i = 0; i < 3; i++) {
		struct part *p = &wr->parts[i];
		list = jv_array();
		if (p->fp != NULL) {
			key = jv_string_fmt("%s/%s_0.json", jv_string_value(wr->dir),
			    p->name);
			if (!wr->jsonl)
				fputc(']', p->fp);
			if ((fclose(p->fp) == EOF || stat(p->tmp, &sb) == -1) &&
			    jv_get_kind(wr->error) == JV_KIND_NULL)
				wr->error = writer_error(asl_error("S3.S3Exception",
				    "%s", strerror(errno)));
			p->fp = NULL;
			r = jv_get_kind(wr->error) == JV_KIND_NULL ? asl_s3_commit(
			    wr->root, jv_string_value(wr->bucket), jv_string_value(key),
			    p->tmp) : (unlink(p->tmp), jv_true());
			if (!jv_is_valid(r))
				wr->error = writer_error(r);
			else
				jv_free(r);
			list = jv_array_append(list, JV_OBJECT(ASL_LIT("Key"), key,
			    ASL_LIT("Size"), jv_number((double)sb.st_size)));
	} else if (g->redrive > 0)
			/* a redrive writes the files anew: none left of before */
			jv_free(asl_s3_call(wr->root, "deleteObject", JV_OBJECT(
			    ASL_LIT("Bucket"), jv_copy(wr->bucket), ASL_LIT("Key"),
			    jv_string_fmt("%s/%s_0.json", jv_string_value(wr->dir),
			    p->name))));
		files = jv_object_set(files, jv_string(p->name), list);
	}
	manifest = JV_OBJECT(ASL_LIT("DestinationBucket"), jv_copy(wr->bucket),
	    ASL_LIT("MapRunArn"), jv_copy(wr->map_run), ASL_LIT("ResultFiles"),
	    JV_OBJECT(ASL_LIT("FAILED"), jv_object_get(jv_copy(files),
	    ASL_LIT("FAILED")), ASL_LIT("PENDING"), jv_object_get(jv_copy(files),
	    ASL_LIT("PENDING")), ASL_LIT("SUCCEEDED"), jv_object_get(
	    jv_copy(files), ASL_LIT("SUCCEEDED"))));
	jv_free(files);
	key = jv_string_fmt("%s/manifest.json", jv_string_value(wr->dir));
	if (jv_get_kind(wr->error) == JV_KIND_NULL) {
		text = jv_dump_string(manifest, 0);
		r = asl_s3_put(wr->root, jv_string_value(wr->bucket),
		    jv_string_value(key), jv_string_value(text),
		    (size_t)jv_string_length_bytes(jv_copy(text)));
		jv_free(text);
		if (!jv_is_valid(r))
			wr->error = writer_error(r);
		else
			jv_free(r);
	} else
		jv_free(manifest);
	if (jv_get_kind(wr->error) != JV_KIND_NULL) {
		jv_free(key);
		return jv_invalid_with_msg(jv_copy(wr->error));
	}
	return JV_OBJECT(ASL_LIT("MapRunArn"), jv_copy(wr->map_run),
	    ASL_LIT("ResultWriterDetails"), JV_OBJECT(ASL_LIT("Bucket"),
	    jv_copy(wr->bucket), ASL_LIT("Key"), key));
}

void
ex_writer_free(struct ex_writer *wr)
{
	int i;

	if (wr == NULL)
		return;
	for (i = 0; i < 3; i++)
		if (wr->parts[i].fp != NULL) {
			fclose(wr->parts[i].fp);
			unlink(wr->parts[i].tmp);
		}
	for (i = 0; i < 3; i++)
		free(wr->parts[i].tmp);
	jv_free(wr->bucket);
	jv_free(wr->dir);
	jv_free(wr->map_run);
	for (i = 0; i < wr->nslots; i++)
		jv_free(wr->slots[i].input);
	free(wr->slots);
	jv_free(wr->error);
	asl_buf_free(&wr->text);
	free(wr);
}
