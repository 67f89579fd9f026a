/*
 * asl_s3.c - the local S3: buckets as directories, objects as files, and
 * the API calls of S3 that workflows make, answered as AWS answers them.
 */
#define _GNU_SOURCE	/* strdup, fdatasync */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asl.h"
#include "asl_hash.h"
#include "asl_s3.h"
#include "asl_time.h"

/* Objects larger than this get an ETag from their size and time, unread. */
#define ETAG_READ_MAX	(8 * 1024 * 1024)
/* The most GetObject reads into a Body. */
#define BODY_MAX	(64 * 1024 * 1024)
/* A partial file of ours, never an object. */
#define TMP_PREFIX	".asl-s3-"

const char *
asl_s3_root(const char *dir)
{
	const char *e;

	if (dir != NULL && *dir != '\0')
		return dir;
	e = getenv("ASL_S3_ROOT");
	return e != NULL && *e != '\0' ? e : NULL;
}

/* S3's errors as AWS SDK for Java 2.x words them. */
static jv
s3_error(const char *exception, int status, const char *message)
{
	unsigned char b[8];
	char id[17];
	int i;

	if (asl_random_bytes(b, sizeof b) == -1)
		memset(b, 0, sizeof b);
	for (i = 0; i < 8; i++)
		snprintf(id + 2 * i, 3, "%02X", b[i]);
	return asl_error(exception[0] == 'S' && exception[1] == '3' &&
	    exception[2] == '.' ? exception : "S3.S3Exception", "%s (Service: S3, "
	    "Status Code: %d, Request ID: %s)", message, status, id);
}

static jv
no_bucket(void)
{
	return s3_error("S3.NoSuchBucketException", 404, "The specified bucket "
	    "does not exist");
}

static jv
no_key(void)
{
	return s3_error("S3.NoSuchKeyException", 404, "The specified key does "
	    "not exist.");
}

/* A bucket name that is one directory of the root. */
static int
bucket_ok(const char *b)
{
	size_t n = strlen(b);

	return n > 0 && n <= 255 && strchr(b, '/') == NULL &&
	    strcmp(b, ".") != 0 && strcmp(b, "..") != 0 &&
	    strncmp(b, TMP_PREFIX, sizeof TMP_PREFIX - 1) != 0;
}

/* A key that is a file under its bucket: no empty, "." or ".." part. */
static int
key_ok(const char *k)
{
	const char *p = k, *e;
	size_t n;

	if (*k == '\0' || strlen(k) > 1024)
		return 0;
	for (;;) {
		e = strchr(p, '/');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.') ||
		    strncmp(p, TMP_PREFIX, sizeof TMP_PREFIX - 1) == 0)
			return 0;
		if (e == NULL)
			return 1;
		p = e + 1;
	}
}

static char *
join(const char *root, const char *bucket, const char *key)
{
	char *p;

	if (asprintf(&p, "%s/%s%s%s", root, bucket, key != NULL ? "/" : "",
	    key != NULL ? key : "") == -1)
		return NULL;
	return p;
}

static int
bucket_exists(const char *root, const char *bucket)
{
	struct stat sb;
	char *p = join(root, bucket, NULL);
	int r = p != NULL && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);

	free(p);
	return r;
}

/* A member of the request that must be a string (borrowed). */
static const char *
need(jv params, const char *name, jv *keep, jv *err)
{
	*keep = jv_object_get(jv_copy(params), jv_string(name));
	if (jv_get_kind(*keep) != JV_KIND_STRING) {
		*err = asl_error("S3.S3Exception", "The request needs the "
		    "string field %s", name);
		return NULL;
	}
	return jv_string_value(*keep);
}

static jv
iso_time(const struct stat *sb)
{
	char buf[ASL_TIME_BUFSIZE];
	struct asl_time t;

	t.sec = sb->st_mtim.tv_sec;
	t.nsec = sb->st_mtim.tv_nsec / 1000000 * 1000000;
	return jv_string(asl_time_format(t, buf, sizeof buf));
}

/* S3's ETag: the MD5 of the bytes, quoted. */
static jv
etag_of(const void *p, size_t n)
{
	char hex[2 * ASL_HASH_MAX + 1];

	asl_hash_hex(ASL_HASH_MD5, p, n, hex);
	return jv_string_fmt("\"%s\"", hex);
}

/* The ETag of a file: of its bytes, or of its size and time if large. */
static jv
file_etag(const char *path, const struct stat *sb)
{
	char *p, buf[64];
	size_t n;
	jv e;

	if (sb->st_size <= ETAG_READ_MAX &&
	    (p = asl_read_all(path, ETAG_READ_MAX, &n)) != NULL) {
		e = etag_of(p, n);
		free(p);
		return e;
	}
	/* shaped as a multipart upload's ETag: not the MD5 of the bytes */
	snprintf(buf, sizeof buf, "%lld-%lld.%09ld", (long long)sb->st_size,
	    (long long)sb->st_mtim.tv_sec, sb->st_mtim.tv_nsec);
	e = etag_of(buf, strlen(buf));
	{
		jv m = jv_string_fmt("%.33s-1\"", jv_string_value(e));
		jv_free(e);
		return m;
	}
}

static const char *
content_type(const char *key)
{
	static const char *const types[][2] = {
		{ ".json", "application/json" }, { ".jsonl", "application/jsonl" },
		{ ".csv", "text/csv" }, { ".txt", "text/plain" },
		{ ".html", "text/html" }, { ".xml", "application/xml" },
		{ ".gz", "application/gzip" }, { ".parquet", "application/octet-stream" }
	};
	const char *dot = strrchr(key, '.');
	size_t i;

	if (dot != NULL && strchr(dot, '/') == NULL)
		for (i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(dot, types[i][0]) == 0)
				return types[i][1];
	return "binary/octet-stream";
}

/* The file of an object, checked; NULL with *err. */
static char *
object_path(const char *root, const char *bucket, const char *key, jv *err)
{
	if (!bucket_ok(bucket) || !bucket_exists(root, bucket)) {
		*err = no_bucket();
		return NULL;
	}
	if (!key_ok(key)) {
		*err = no_key();
		return NULL;
	}
	return join(root, bucket, key);
}

static jv
head_members(const char *key, const char *path, const struct stat *sb)
{
	return JV_OBJECT(ASL_LIT("AcceptRanges"), ASL_LIT("bytes"),
	    ASL_LIT("ContentLength"), jv_number((double)sb->st_size),
	    ASL_LIT("ContentType"), jv_string(content_type(key)),
	    ASL_LIT("ETag"), file_etag(path, sb),
	    ASL_LIT("LastModified"), iso_time(sb),
	    ASL_LIT("Metadata"), jv_object());
}

static jv
get_object(const char *root, jv params, int body)
{
	jv b = jv_invalid(), k = jv_invalid(), err = jv_invalid(), r;
	const char *bucket, *key;
	struct stat sb;
	char *path, *p;
	size_t n;

	if ((bucket = need(params, "Bucket", &b, &err)) == NULL ||
	    (key = need(params, "Key", &k, &err)) == NULL) {
		r = err;
		goto out;
	}
	if ((path = object_path(root, bucket, key, &err)) == NULL) {
		r = err;
		goto out;
	}
	if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		free(path);
		r = no_key();
		goto out;
	}
	r = head_members(key, path, &sb);
	if (body) {
		if ((p = asl_read_all(path, BODY_MAX, &n)) == NULL) {
			jv_free(r);
			r = s3_error("S3.S3Exception", 500, strerror(errno));
		} else {
			r = jv_object_set(r, ASL_LIT("Body"), jv_string_sized(p,
			    (int)n));
			free(p);
		}
	}
	free(path);
out:
	jv_free(b);
	jv_free(k);
	jv_free(params);
	return r;
}

/* mkdir -p of the directories of path, below the bucket's (which exists). */
static int
make_parents(char *path, size_t from)
{
	char *s;

	for (s = path + from; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(path, 0777) == -1 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

int
asl_s3_create(const char *root, const char *bucket, const char *key,
    char **tmp, jv *err)
{
	char *path, *slash;
	int fd;

	*tmp = NULL;
	if (root == NULL) {
		*err = asl_error("S3.S3Exception", "No local S3: give --s3-root "
		    "DIR or set ASL_S3_ROOT");
		return -1;
	}
	if ((path = object_path(root, bucket, key, err)) == NULL)
		return -1;
	fd = -1;
	slash = strrchr(path, '/');
	if (make_parents(path, strlen(root) + strlen(bucket) + 2) == 0 &&
	    asprintf(tmp, "%.*s/" TMP_PREFIX "XXXXXX", (int)(slash - path),
	    path) != -1) {
		if ((fd = mkstemp(*tmp)) == -1 || fchmod(fd, 0644) == -1) {
			if (fd != -1) {
				close(fd);
				unlink(*tmp);
				fd = -1;
			}
		}
	} else
		*tmp = NULL;
	if (fd == -1) {
		*err = s3_error("S3.S3Exception", 500, strerror(errno));
		free(*tmp);
		*tmp = NULL;
	}
	free(path);
	return fd;
}

jv
asl_s3_commit(const char *root, const char *bucket, const char *key,
    const char *tmp)
{
	char *path = join(root, bucket, key);
	jv r = jv_true();

	if (path == NULL || rename(tmp, path) == -1) {
		r = s3_error("S3.S3Exception", 500, strerror(errno));
		unlink(tmp);
	}
	free(path);
	return r;
}

jv
asl_s3_put(const char *root, const char *bucket, const char *key,
    const void *body, size_t len)
{
	char *tmp;
	jv err;
	int fd;

	if ((fd = asl_s3_create(root, bucket, key, &tmp, &err)) == -1)
		return err;
	if (asl_write_all(fd, body, len) == -1 || close(fd) == -1) {
		err = s3_error("S3.S3Exception", 500, strerror(errno));
		unlink(tmp);
		free(tmp);
		return err;
	}
	err = asl_s3_commit(root, bucket, key, tmp);
	free(tmp);
	if (!jv_is_valid(err))
		return err;
	return etag_of(body, len);
}

static jv
put_object(const char *root, jv params)
{
	jv b = jv_invalid(), k = jv_invalid(), body, text, err, r;
	const char *bucket, *key;

	if ((bucket = need(params, "Bucket", &b, &err)) == NULL ||
	    (key = need(params, "Key", &k, &err)) == NULL) {
		jv_free(b);
		jv_free(k);
		jv_free(params);
		return err;
	}
	/* a Body that is not a string is written as its JSON text */
	body = jv_object_get(jv_copy(params), ASL_LIT("Body"));
	if (jv_get_kind(body) == JV_KIND_STRING)
		text = body;
	else if (jv_get_kind(body) == JV_KIND_INVALID) {
		jv_free(body);
		text = jv_string("");
	} else
		text = jv_dump_string(body, 0);
	r = asl_s3_put(root, bucket, key, jv_string_value(text),
	    (size_t)jv_string_length_bytes(jv_copy(text)));
	jv_free(text);
	if (jv_is_valid(r))
		r = JV_OBJECT(ASL_LIT("ETag"), r, ASL_LIT("ServerSideEncryption"),
		    ASL_LIT("AES256"));
	jv_free(b);
	jv_free(k);
	jv_free(params);
	return r;
}

static jv
delete_object(const char *root, jv params)
{
	jv b = jv_invalid(), k = jv_invalid(), r = jv_object();
	const char *bucket, *key;
	size_t base;
	char *path, *s;

	if ((bucket = need(params, "Bucket", &b, &r)) == NULL ||
	    (key = need(params, "Key", &k, &r)) == NULL)
		;
	else if (!bucket_ok(bucket) || !bucket_exists(root, bucket)) {
		jv_free(r);
		r = no_bucket();
	} else if (key_ok(key) && (path = join(root, bucket, key)) != NULL) {
		/* deleting what is not there succeeds, as on S3 */
		if (unlink(path) == -1 && errno != ENOENT) {
			jv_free(r);
			r = s3_error("S3.S3Exception", 500, strerror(errno));
		}
		/* S3 has no directories: the empty ones the key made go */
		base = strlen(root) + strlen(bucket) + 1;
		while ((s = strrchr(path, '/')) != NULL &&
		    (size_t)(s - path) > base) {
			*s = '\0';
			if (rmdir(path) == -1)
				break;
		}
		free(path);
	}
	jv_free(b);
	jv_free(k);
	jv_free(params);
	return r;
}

/* ListObjectsV2: every key of the bucket, sorted as S3 sorts them. */
struct listing {
	char	**keys;
	size_t	  n, cap;
	const char *prefix;
};

static int
cmp_keys(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether a directory rel (ending in '/') can hold a key with prefix. */
static int
may_hold(const char *rel, const char *prefix)
{
	size_t a = strlen(rel), b = strlen(prefix);

	return strncmp(rel, prefix, a < b ? a : b) == 0;
}

static int
walk(struct listing *l, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat sb;
	char *p, *r;
	int rc = 0;

	if (d == NULL)
		return -1;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strncmp(e->d_name, TMP_PREFIX, sizeof TMP_PREFIX - 1) == 0)
			continue;
		if (asprintf(&p, "%s/%s", dir, e->d_name) == -1)
			return closedir(d), -1;
		if (asprintf(&r, "%s%s", rel, e->d_name) == -1) {
			free(p);
			return closedir(d), -1;
		}
		if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			char *sub;
			if (asprintf(&sub, "%s/", r) != -1) {
				if (may_hold(sub, l->prefix))
					rc = walk(l, p, sub);
				free(sub);
			}
			free(r);
		} else if (S_ISREG(sb.st_mode) &&
		    strncmp(r, l->prefix, strlen(l->prefix)) == 0) {
			if (l->n == l->cap) {
				l->cap = l->cap ? 2 * l->cap : 64;
				l->keys = realloc(l->keys, l->cap * sizeof *l->keys);
				if (l->keys == NULL)
					abort();
			}
			l->keys[l->n++] = r;
		} else
			free(r);
		free(p);
	}
	closedir(d);
	return rc;
}

static jv
opt_string(jv params, const char *name)
{
	jv v = jv_object_get(jv_copy(params), jv_string(name));

	if (jv_get_kind(v) != JV_KIND_STRING) {
		jv_free(v);
		return jv_string("");
	}
	return v;
}

static jv
list_objects(const char *root, jv params)
{
	struct listing l = { NULL, 0, 0, "" };
	jv b, err = jv_invalid(), prefix, delim, after, token, mk, r;
	jv contents = jv_array(), common = jv_array();
	const char *bucket, *dl, *start;
	size_t i, plen, count = 0;
	double max;
	char *dir, *last = NULL;
	int truncated = 0;

	if ((bucket = need(params, "Bucket", &b, &err)) == NULL) {
		jv_free(b);
		jv_free(params);
		jv_free(contents);
		jv_free(common);
		return err;
	}
	if (!bucket_ok(bucket) || !bucket_exists(root, bucket)) {
		jv_free(b);
		jv_free(params);
		jv_free(contents);
		jv_free(common);
		return no_bucket();
	}
	prefix = opt_string(params, "Prefix");
	delim = opt_string(params, "Delimiter");
	after = opt_string(params, "StartAfter");
	token = opt_string(params, "ContinuationToken");
	mk = jv_object_get(jv_copy(params), ASL_LIT("MaxKeys"));
	max = jv_get_kind(mk) == JV_KIND_NUMBER ? jv_number_value(mk) : 1000;
	jv_free(mk);
	l.prefix = jv_string_value(prefix);
	plen = strlen(l.prefix);
	dl = jv_string_value(delim);
	/* the continuation token is the last key a page gave */
	start = *jv_string_value(token) != '\0' ? jv_string_value(token) :
	    jv_string_value(after);
	dir = join(root, bucket, NULL);
	if (dir == NULL || walk(&l, dir, "") == -1) {
		jv_free(contents);
		jv_free(common);
		r = s3_error("S3.S3Exception", 500, strerror(errno));
		goto out;
	}
	if (l.n > 0)
		qsort(l.keys, l.n, sizeof *l.keys, cmp_keys);
	for (i = 0; i < l.n; i++) {
		const char *k = l.keys[i], *cut;
		if (strcmp(k, start) <= 0)
			continue;
		cut = *dl != '\0' ? strstr(k + plen, dl) : NULL;
		if (cut != NULL) {
			/* a common prefix, once, counting as one key */
			jv cp = jv_string_sized(k, (int)(cut - k + strlen(dl)));
			size_t cl = (size_t)(cut - k) + strlen(dl);
			if (last != NULL && strlen(last) == cl &&
			    strncmp(last, k, cl) == 0) {
				jv_free(cp);
				continue;
			}
			if (count >= max) {
				jv_free(cp);
				truncated = 1;
				break;
			}
			common = jv_array_append(common, JV_OBJECT(
			    ASL_LIT("Prefix"), jv_copy(cp)));
			free(last);
			last = strdup(jv_string_value(cp));
			jv_free(cp);
			count++;
			continue;
		}
		if (count >= max) {
			truncated = 1;
			break;
		}
		{
			char *path = join(root, bucket, k);
			struct stat sb;
			if (path != NULL && stat(path, &sb) == 0)
				contents = jv_array_append(contents, JV_OBJECT(
				    ASL_LIT("Key"), jv_string(k),
				    ASL_LIT("LastModified"), iso_time(&sb),
				    ASL_LIT("ETag"), file_etag(path, &sb),
				    ASL_LIT("Size"), jv_number((double)sb.st_size),
				    ASL_LIT("StorageClass"), ASL_LIT("STANDARD")));
			free(path);
		}
		free(last);
		last = strdup(k);
		count++;
	}
	r = jv_object();
	if (jv_array_length(jv_copy(contents)) > 0)
		r = jv_object_set(r, ASL_LIT("Contents"), contents);
	else
		jv_free(contents);
	if (jv_array_length(jv_copy(common)) > 0)
		r = jv_object_set(r, ASL_LIT("CommonPrefixes"), common);
	else
		jv_free(common);
	if (*dl != '\0')
		r = jv_object_set(r, ASL_LIT("Delimiter"), jv_copy(delim));
	r = jv_object_set(r, ASL_LIT("IsTruncated"), jv_bool(truncated));
	r = jv_object_set(r, ASL_LIT("KeyCount"), jv_number((double)count));
	r = jv_object_set(r, ASL_LIT("MaxKeys"), jv_number(max));
	r = jv_object_set(r, ASL_LIT("Name"), jv_string(bucket));
	if (truncated && last != NULL)
		r = jv_object_set(r, ASL_LIT("NextContinuationToken"),
		    jv_string(last));
	if (*jv_string_value(token) != '\0')
		r = jv_object_set(r, ASL_LIT("ContinuationToken"), jv_copy(token));
	r = jv_object_set(r, ASL_LIT("Prefix"), jv_copy(prefix));
	if (*jv_string_value(after) != '\0')
		r = jv_object_set(r, ASL_LIT("StartAfter"), jv_copy(after));
out:
	for (i = 0; i < l.n; i++)
		free(l.keys[i]);
	free(l.keys);
	free(dir);
	free(last);
	jv_free(prefix);
	jv_free(delim);
	jv_free(after);
	jv_free(token);
	jv_free(b);
	jv_free(params);
	return r;
}

static const char *const apis[] = {
	"getObject", "putObject", "listObjectsV2", "headObject", "deleteObject",
	NULL
};

int
asl_s3_serves(const char *api)
{
	int i;

	for (i = 0; apis[i] != NULL; i++)
		if (strcmp(api, apis[i]) == 0)
			return 1;
	return 0;
}

jv
asl_s3_call(const char *root, const char *api, jv params)
{
	if (root == NULL) {
		jv_free(params);
		return asl_error("S3.S3Exception", "No local S3 serves s3:%s: "
		    "give --s3-root DIR or set ASL_S3_ROOT", api);
	}
	if (jv_get_kind(params) != JV_KIND_OBJECT) {
		jv_free(params);
		params = jv_object();
	}
	if (strcmp(api, "getObject") == 0)
		return get_object(root, params, 1);
	if (strcmp(api, "headObject") == 0)
		return get_object(root, params, 0);
	if (strcmp(api, "putObject") == 0)
		return put_object(root, params);
	if (strcmp(api, "deleteObject") == 0)
		return delete_object(root, params);
	if (strcmp(api, "listObjectsV2") == 0)
		return list_objects(root, params);
	jv_free(params);
	return asl_error("S3.S3Exception", "The local S3 does not serve s3:%s",
	    api);
}

int
asl_s3_open(const char *root, jv bucket, jv key, jv *err)
{
	char *path = NULL;
	int fd = -1;

	if (root == NULL)
		*err = asl_error("S3.S3Exception", "No local S3: give --s3-root "
		    "DIR or set ASL_S3_ROOT");
	else if (jv_get_kind(bucket) != JV_KIND_STRING ||
	    jv_get_kind(key) != JV_KIND_STRING)
		*err = asl_error("S3.S3Exception", "The request needs the string "
		    "fields Bucket and Key");
	else if ((path = object_path(root, jv_string_value(bucket),
	    jv_string_value(key), err)) != NULL &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		*err = errno == ENOENT || errno == EISDIR ? no_key() :
		    s3_error("S3.S3Exception", 500, strerror(errno));
	free(path);
	return fd;
}
