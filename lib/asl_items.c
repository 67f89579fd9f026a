/*
 * asl_items.c - ItemReader: the items of an S3 object or listing, read a
 * buffer at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "asl.h"
#include "asl_arn.h"
#include "asl_items.h"
#include "asl_json.h"
#include "asl_s3.h"
#include "asl_time.h"

#define READ_SIZE	65536

enum kind { K_ARRAY, K_JSONL, K_CSV, K_MANIFEST };

struct asl_items {
	enum kind	 kind;
	int		 fd;
	char		 buf[READ_SIZE];
	size_t		 pos, len;
	int		 eof;
	long		 line;		/* of the file, for messages */
	jv		 array;		/* K_ARRAY: the items */
	int		 index, n;
	char		 delim;		/* K_CSV */
	jv		 headers;	/* K_CSV: strings */
	int		 given;		/* K_CSV: headers GIVEN, not read */
	long		 max;		/* MaxItems; 0: all */
	long		 count;
	jv		 where;		/* "bucket/key", for messages */
	struct asl_buf	 field;
	/* K_MANIFEST: the inventory's CSV files, read one after the other */
	char		*root;
	gzFile		 gz;		/* the one being read, or NULL */
	jv		 files;		/* the manifest's "files" */
	int		 file, nfiles;	/* the next one to open */
	jv		 bucket;	/* where they are */
};

static jv
failed(const struct asl_items *it, const char *fmt, const char *detail)
{
	jv e = jv_string_fmt(fmt, detail);
	jv r;

	if (it != NULL && jv_get_kind(it->where) == JV_KIND_STRING) {
		jv w = jv_string_fmt("Reading the items of s3://%s: %s",
		    jv_string_value(it->where), jv_string_value(e));
		jv_free(e);
		e = w;
	}
	r = asl_error("States.ItemReaderFailed", "%s", jv_string_value(e));
	jv_free(e);
	return r;
}

/* Buffered bytes. */

static int
next_byte(struct asl_items *it)
{
	ssize_t n;

	if (it->pos == it->len) {
		if (it->eof)
			return -1;
		if (it->gz != NULL)
			/* gzip, or plain bytes: zlib reads both */
			n = gzread(it->gz, it->buf, sizeof it->buf);
		else
			do
				n = read(it->fd, it->buf, sizeof it->buf);
			while (n == -1 && errno == EINTR);
		if (n <= 0) {
			it->eof = 1;
			return -1;
		}
		it->pos = 0;
		it->len = (size_t)n;
	}
	return (unsigned char)it->buf[it->pos++];
}

static int
peek_byte(struct asl_items *it)
{
	int c = next_byte(it);

	if (c != -1)
		it->pos--;
	return c;
}

/* JSON Lines: one JSON value a line, blank lines skipped. */
static jv
next_jsonl(struct asl_items *it)
{
	int c;
	jv v;

	for (;;) {
		it->field.len = 0;
		while ((c = next_byte(it)) != -1 && c != '\n')
			asl_buf_add(&it->field, &(char){ (char)c }, 1);
		if (c == -1 && it->field.len == 0)
			return jv_invalid();
		it->line++;
		if (strspn(it->field.len ? it->field.p : "", " \t\r") ==
		    it->field.len) {
			if (c == -1)
				return jv_invalid();
			continue;
		}
		v = asl_json_parse(it->field.p, it->field.len, NULL, NULL);
		if (!jv_is_valid(v)) {
			char n[32];
			jv_free(v);
			snprintf(n, sizeof n, "%ld", it->line);
			return failed(it, "line %s is not JSON", n);
		}
		return v;
	}
}

/*
 * One CSV record (RFC 4180): fields separated by the delimiter, quoted
 * with '"' where they hold it, a quote, or a line break ("" a quote);
 * CRLF or LF ends it.  Returns the fields, jv_invalid() at the end, or an
 * error.
 */
static jv
csv_record(struct asl_items *it)
{
	jv fields = jv_array();
	int c, quoted, any = 0;

	for (;;) {
		it->field.len = 0;
		quoted = 0;
		c = next_byte(it);
		if (c == -1 && !any) {
			jv_free(fields);
			return jv_invalid();
		}
		any = 1;
		if (c == '"') {
			quoted = 1;
			for (;;) {
				c = next_byte(it);
				if (c == -1) {
					char n[32];
					jv_free(fields);
					snprintf(n, sizeof n, "%ld", it->line + 1);
					return failed(it, "the quoted field of the "
					    "record at line %s does not end", n);
				}
				if (c == '"') {
					if (peek_byte(it) == '"') {
						next_byte(it);
						asl_buf_add(&it->field, "\"", 1);
						continue;
					}
					break;
				}
				if (c == '\n')
					it->line++;
				asl_buf_add(&it->field, &(char){ (char)c }, 1);
			}
			c = next_byte(it);
		}
		while (c != -1 && c != it->delim && c != '\n') {
			/* text after a closing quote is kept, as most readers do */
			if (!(c == '\r' && peek_byte(it) == '\n'))
				asl_buf_add(&it->field, &(char){ (char)c }, 1);
			c = next_byte(it);
		}
		(void)quoted;
		fields = jv_array_append(fields, jv_string_sized(it->field.len ?
		    it->field.p : "", (int)it->field.len));
		if (c != it->delim) {
			it->line++;
			return fields;
		}
	}
}

static jv
next_csv(struct asl_items *it)
{
	jv rec, item;
	int i, n, h;
	char line[32];

	for (;;) {
		rec = csv_record(it);
		if (!jv_is_valid(rec))
			return rec;
		n = jv_array_length(jv_copy(rec));
		/* a blank line is no record */
		if (n == 1 && jv_string_length_bytes(jv_array_get(jv_copy(rec),
		    0)) == 0) {
			jv_free(rec);
			continue;
		}
		break;
	}
	if (jv_get_kind(it->headers) != JV_KIND_ARRAY) {
		/* FIRST_ROW: this one names the columns */
		it->headers = rec;
		return next_csv(it);
	}
	h = jv_array_length(jv_copy(it->headers));
	if (n != h) {
		jv_free(rec);
		snprintf(line, sizeof line, "%ld", it->line);
		return failed(it, "the record ending at line %s does not have "
		    "as many fields as there are headers", line);
	}
	/* every value a string, as AWS gives them */
	item = jv_object();
	for (i = 0; i < n; i++)
		item = jv_object_set(item, jv_array_get(jv_copy(it->headers), i),
		    jv_array_get(jv_copy(rec), i));
	jv_free(rec);
	return item;
}

/* Openers. */

static struct asl_items *
new_items(enum kind kind)
{
	struct asl_items *it = calloc(1, sizeof *it);

	if (it == NULL)
		abort();
	it->kind = kind;
	it->fd = -1;
	it->array = jv_null();
	it->headers = jv_null();
	it->where = jv_null();
	it->files = jv_null();
	it->bucket = jv_null();
	return it;
}

/* A JSON Pointer (RFC 6901) into doc (consumed). */
static jv
pointer(jv doc, const char *p)
{
	char *tok, *s, *save, *dup;
	jv key;

	if (*p == '\0')
		return doc;
	if (*p != '/' || (dup = strdup(p + 1)) == NULL) {
		jv_free(doc);
		return jv_invalid();
	}
	for (s = dup; (tok = strtok_r(s, "/", &save)) != NULL; s = NULL) {
		struct asl_buf b = { 0 };
		const char *t;
		for (t = tok; *t; t++) {
			if (t[0] == '~' && t[1] == '1')
				asl_buf_add(&b, "/", 1), t++;
			else if (t[0] == '~' && t[1] == '0')
				asl_buf_add(&b, "~", 1), t++;
			else
				asl_buf_add(&b, t, 1);
		}
		key = jv_string_sized(b.len ? b.p : "", (int)b.len);
		asl_buf_free(&b);
		if (jv_get_kind(doc) == JV_KIND_ARRAY) {
			char *end;
			long i = strtol(jv_string_value(key), &end, 10);
			doc = *end == '\0' ? jv_array_get(doc, (int)i) :
			    (jv_free(doc), jv_invalid());
			jv_free(key);
		} else if (jv_get_kind(doc) == JV_KIND_OBJECT)
			doc = jv_object_get(doc, key);
		else {
			jv_free(key);
			jv_free(doc);
			doc = jv_invalid();
		}
		if (!jv_is_valid(doc))
			break;
	}
	free(dup);
	return doc;
}

static int
open_json(struct asl_items *it, jv cfg, jv *err)
{
	struct asl_buf b = { 0 };
	jv doc, ptr;
	int c;

	while ((c = next_byte(it)) != -1)
		asl_buf_add(&b, &(char){ (char)c }, 1);
	doc = asl_json_parse(b.len ? b.p : "", b.len, NULL, NULL);
	asl_buf_free(&b);
	if (!jv_is_valid(doc)) {
		jv_free(doc);
		*err = failed(it, "%s", "the object is not JSON");
		return -1;
	}
	ptr = jv_object_get(jv_copy(cfg), ASL_LIT("ItemsPointer"));
	if (jv_get_kind(ptr) == JV_KIND_STRING)
		doc = pointer(doc, jv_string_value(ptr));
	jv_free(ptr);
	if (jv_get_kind(doc) != JV_KIND_ARRAY) {
		jv_free(doc);
		*err = asl_error("States.ItemReaderFailed", "Attempting to map "
		    "over non-iterable node.");
		return -1;
	}
	it->kind = K_ARRAY;
	it->n = jv_array_length(jv_copy(doc));
	it->array = doc;
	return 0;
}

static int
open_csv(struct asl_items *it, jv cfg, jv *err)
{
	static const char *const delims[][2] = {
		{ "COMMA", "," }, { "PIPE", "|" }, { "SEMICOLON", ";" },
		{ "SPACE", " " }, { "TAB", "\t" }
	};
	jv d = jv_object_get(jv_copy(cfg), ASL_LIT("CSVDelimiter"));
	jv loc = jv_object_get(jv_copy(cfg), ASL_LIT("CSVHeaderLocation"));
	size_t i;

	it->delim = ',';
	if (jv_get_kind(d) == JV_KIND_STRING) {
		for (i = 0; i < sizeof delims / sizeof delims[0]; i++)
			if (strcmp(jv_string_value(d), delims[i][0]) == 0)
				it->delim = delims[i][1][0];
	}
	jv_free(d);
	if (jv_get_kind(loc) == JV_KIND_STRING &&
	    strcmp(jv_string_value(loc), "GIVEN") == 0) {
		it->given = 1;
		it->headers = jv_object_get(jv_copy(cfg), ASL_LIT("CSVHeaders"));
		if (jv_get_kind(it->headers) != JV_KIND_ARRAY) {
			jv_free(loc);
			*err = failed(NULL, "%s", "CSVHeaderLocation GIVEN needs "
			    "CSVHeaders");
			return -1;
		}
	}
	jv_free(loc);
	it->kind = K_CSV;
	return 0;
}

/* The objects of a listing, as AWS hands them to the iterations. */
static int
open_listing(struct asl_items *it, const char *root, jv params, jv *err)
{
	jv r, contents, items;
	int i, n;

	params = jv_object_set(params, ASL_LIT("MaxKeys"), jv_number(1e12));
	r = asl_s3_call(root, "listObjectsV2", params);
	if (!jv_is_valid(r)) {
		*err = asl_error_as("States.ItemReaderFailed", r);
		return -1;
	}
	contents = jv_object_get(r, ASL_LIT("Contents"));
	n = jv_get_kind(contents) == JV_KIND_ARRAY ?
	    jv_array_length(jv_copy(contents)) : 0;
	items = jv_array_sized(n);
	for (i = 0; i < n; i++) {
		jv o = jv_array_get(jv_copy(contents), i);
		jv lm = jv_object_get(jv_copy(o), ASL_LIT("LastModified"));
		struct asl_time t = { 0, 0 };
		if (jv_get_kind(lm) == JV_KIND_STRING)
			asl_time_parse(jv_string_value(lm), &t);
		jv_free(lm);
		/* "Etag", and seconds since the epoch [AWS docs, ItemReader] */
		items = jv_array_append(items, JV_OBJECT(
		    ASL_LIT("Etag"), jv_object_get(jv_copy(o), ASL_LIT("ETag")),
		    ASL_LIT("Key"), jv_object_get(jv_copy(o), ASL_LIT("Key")),
		    ASL_LIT("LastModified"), jv_number((double)t.sec),
		    ASL_LIT("Size"), jv_object_get(jv_copy(o), ASL_LIT("Size")),
		    ASL_LIT("StorageClass"), jv_object_get(o,
		    ASL_LIT("StorageClass"))));
	}
	jv_free(contents);
	it->kind = K_ARRAY;
	it->n = n;
	it->array = items;
	return 0;
}

/*
 * An S3 inventory's manifest.json [AWS S3: "Inventory manifest"]: its
 * "files" are gzipped CSV files in the "destinationBucket", their
 * columns named by "fileSchema" ("Bucket, Key, Size, ...") and without
 * a header row; each of their rows is an item, every value a string
 * [AWS Step Functions: ItemReader, "S3 inventory manifest file"].
 */
static int
open_manifest(struct asl_items *it, const char *root, jv cfg, jv *err)
{
	struct asl_buf b = { 0 };
	jv doc, v, mt = jv_object_get(jv_copy(cfg), ASL_LIT("ManifestType"));
	const char *p, *q;
	int c;

	if (jv_get_kind(mt) == JV_KIND_STRING &&
	    strcmp(jv_string_value(mt), "S3_INVENTORY") != 0) {
		*err = failed(it, "asl reads S3 inventory manifests only, not "
		    "ManifestType %s", jv_string_value(mt));
		jv_free(mt);
		return -1;
	}
	jv_free(mt);
	while ((c = next_byte(it)) != -1)
		asl_buf_add(&b, &(char){ (char)c }, 1);
	doc = asl_json_parse(b.len ? b.p : "", b.len, NULL, NULL);
	asl_buf_free(&b);
	close(it->fd);
	it->fd = -1;
	it->pos = it->len = 0;
	it->eof = 0;
	if (jv_get_kind(doc) != JV_KIND_OBJECT) {
		jv_free(doc);
		*err = failed(it, "%s", "the manifest is not a JSON object");
		return -1;
	}
	v = jv_object_get(jv_copy(doc), ASL_LIT("fileFormat"));
	if (jv_get_kind(v) != JV_KIND_STRING ||
	    strcmp(jv_string_value(v), "CSV") != 0) {
		*err = failed(it, "the manifest's fileFormat is %s: asl reads "
		    "CSV inventories", jv_get_kind(v) == JV_KIND_STRING ?
		    jv_string_value(v) : "missing");
		jv_free(v);
		jv_free(doc);
		return -1;
	}
	jv_free(v);
	/* "Bucket, Key, Size, LastModifiedDate" */
	v = jv_object_get(jv_copy(doc), ASL_LIT("fileSchema"));
	it->headers = jv_array();
	for (p = jv_get_kind(v) == JV_KIND_STRING ? jv_string_value(v) : "";
	    *p != '\0'; p = *q == ',' ? q + 1 : q) {
		p += strspn(p, " ");
		q = p + strcspn(p, ",");
		it->headers = jv_array_append(it->headers, jv_string_sized(p,
		    (int)(q - p - (q > p && q[-1] == ' '))));
	}
	jv_free(v);
	it->given = 1;
	it->delim = ',';
	it->files = jv_object_get(jv_copy(doc), ASL_LIT("files"));
	v = jv_object_get(doc, ASL_LIT("destinationBucket"));
	if (jv_get_kind(it->files) != JV_KIND_ARRAY ||
	    jv_array_length(jv_copy(it->headers)) == 0 ||
	    jv_get_kind(v) != JV_KIND_STRING) {
		jv_free(v);
		*err = failed(it, "%s", "the manifest needs files, fileSchema "
		    "and destinationBucket");
		return -1;
	}
	/* arn:aws:s3:::BUCKET */
	it->bucket = jv_string(asl_arn_last(jv_string_value(v)));
	jv_free(v);
	it->nfiles = jv_array_length(jv_copy(it->files));
	it->root = root != NULL ? strdup(root) : NULL;
	it->kind = K_MANIFEST;
	return 0;
}

/* The next row of the manifest's files, opening the next when one ends. */
static jv
next_manifest(struct asl_items *it)
{
	jv v, f, key, err;
	int fd;

	for (;;) {
		if (it->gz == NULL) {
			if (it->file >= it->nfiles)
				return jv_invalid();
			f = jv_array_get(jv_copy(it->files), it->file++);
			key = jv_get_kind(f) == JV_KIND_OBJECT ? jv_object_get(f,
			    ASL_LIT("key")) : (jv_free(f), jv_null());
			jv_free(it->where);
			it->where = jv_string_fmt("%s/%s", jv_string_value(
			    it->bucket), jv_get_kind(key) == JV_KIND_STRING ?
			    jv_string_value(key) : "?");
			fd = asl_s3_open(it->root, it->bucket, key, &err);
			jv_free(key);
			if (fd == -1)
				return asl_error_as("States.ItemReaderFailed", err);
			if ((it->gz = gzdopen(fd, "rb")) == NULL) {
				close(fd);
				return failed(it, "%s", "out of memory");
			}
			it->pos = it->len = 0;
			it->eof = 0;
			it->line = 0;
		}
		v = next_csv(it);
		if (jv_is_valid(v) || jv_invalid_has_msg(jv_copy(v)))
			return v;
		jv_free(v);
		gzclose(it->gz);
		it->gz = NULL;
	}
}

static int
ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);

	return a >= b && strcmp(s + a - b, tail) == 0;
}

struct asl_items *
asl_items_open(const char *root, jv effect, jv *err)
{
	jv res = jv_object_get(jv_copy(effect), ASL_LIT("resource"));
	jv params = jv_object_get(jv_copy(effect), ASL_LIT("parameters"));
	jv cfg = jv_object_get(jv_copy(effect), ASL_LIT("readerConfig"));
	jv mx = jv_object_get(jv_copy(effect), ASL_LIT("maxItems"));
	jv type, b, k;
	struct asl_items *it = new_items(K_ARRAY);
	const char *r = jv_get_kind(res) == JV_KIND_STRING ?
	    jv_string_value(res) : "";
	const char *t;
	int rc = -1;

	jv_free(effect);
	if (jv_get_kind(cfg) != JV_KIND_OBJECT)
		cfg = (jv_free(cfg), jv_object());
	if (jv_get_kind(params) != JV_KIND_OBJECT)
		params = (jv_free(params), jv_object());
	it->max = jv_get_kind(mx) == JV_KIND_NUMBER ?
	    (long)jv_number_value(mx) : 0;
	jv_free(mx);
	type = jv_object_get(jv_copy(cfg), ASL_LIT("InputType"));
	t = jv_get_kind(type) == JV_KIND_STRING ? jv_string_value(type) :
	    "JSON";
	if (ends_with(r, ":s3:listObjectsV2")) {
		rc = open_listing(it, root, jv_copy(params), err);
		goto out;
	}
	if (!ends_with(r, ":s3:getObject")) {
		*err = failed(NULL, "an ItemReader cannot read with %s here: "
		    "only s3:getObject and s3:listObjectsV2", r);
		goto out;
	}
	if (strcmp(t, "PARQUET") == 0) {
		*err = failed(NULL, "asl has no reader for InputType %s: turn "
		    "the object into CSV or JSON Lines to map over it", t);
		goto out;
	}
	b = jv_object_get(jv_copy(params), ASL_LIT("Bucket"));
	k = jv_object_get(jv_copy(params), ASL_LIT("Key"));
	if (jv_get_kind(b) == JV_KIND_STRING && jv_get_kind(k) == JV_KIND_STRING)
		it->where = jv_string_fmt("%s/%s", jv_string_value(b),
		    jv_string_value(k));
	it->fd = asl_s3_open(root, b, k, err);
	jv_free(b);
	jv_free(k);
	if (it->fd == -1) {
		*err = asl_error_as("States.ItemReaderFailed", *err);
		goto out;
	}
	if (strcmp(t, "JSONL") == 0) {
		it->kind = K_JSONL;
		rc = 0;
	} else if (strcmp(t, "MANIFEST") == 0)
		rc = open_manifest(it, root, cfg, err);
	else if (strcmp(t, "CSV") == 0)
		rc = open_csv(it, cfg, err);
	else
		rc = open_json(it, cfg, err);
out:
	jv_free(type);
	jv_free(res);
	jv_free(params);
	jv_free(cfg);
	if (rc == -1) {
		asl_items_close(it);
		return NULL;
	}
	return it;
}

jv
asl_items_next(struct asl_items *it)
{
	jv v;

	if (it->max > 0 && it->count >= it->max)
		return jv_invalid();
	switch (it->kind) {
	case K_JSONL:
		v = next_jsonl(it);
		break;
	case K_CSV:
		v = next_csv(it);
		break;
	case K_MANIFEST:
		v = next_manifest(it);
		break;
	default:
		v = it->index < it->n ? jv_array_get(jv_copy(it->array),
		    it->index++) : jv_invalid();
		break;
	}
	if (jv_is_valid(v))
		it->count++;
	return v;
}

int
asl_items_rewind(struct asl_items *it)
{
	it->count = 0;
	it->index = 0;
	if (it->kind == K_MANIFEST) {
		if (it->gz != NULL)
			gzclose(it->gz);
		it->gz = NULL;
		it->file = 0;
		return 0;
	}
	if (it->fd == -1)
		return 0;
	if (lseek(it->fd, 0, SEEK_SET) == -1)
		return -1;
	it->pos = it->len = 0;
	it->eof = 0;
	it->line = 0;
	if (it->kind == K_CSV && !it->given) {
		jv_free(it->headers);
		it->headers = jv_null();
	}
	return 0;
}

long
asl_items_count(const struct asl_items *it)
{
	return it->count;
}

void
asl_items_close(struct asl_items *it)
{
	if (it == NULL)
		return;
	if (it->fd != -1)
		close(it->fd);
	if (it->gz != NULL)
		gzclose(it->gz);
	free(it->root);
	jv_free(it->files);
	jv_free(it->bucket);
	jv_free(it->array);
	jv_free(it->headers);
	jv_free(it->where);
	asl_buf_free(&it->field);
	free(it);
}

jv
asl_items_read(const char *root, jv effect)
{
	struct asl_items *it;
	jv err, all, v;

	if ((it = asl_items_open(root, effect, &err)) == NULL)
		return err;
	all = jv_array();
	while (jv_is_valid(v = asl_items_next(it)))
		all = jv_array_append(all, v);
	if (jv_invalid_has_msg(jv_copy(v))) {
		jv_free(all);
		all = v;
	} else
		jv_free(v);
	asl_items_close(it);
	return all;
}
