/*
 * asl.c - errors as values, whole-file I/O, and the program name.
 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "asl.h"

static const char *progname = "asl";

void
asl_setprogname(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL)
		return;
	slash = strrchr(argv0, '/');
	progname = slash != NULL ? slash + 1 : argv0;
}

const char *
asl_getprogname(void)
{
	return progname;
}

jv
asl_error_jv(jv name, jv cause)
{
	jv obj = jv_object();

	obj = jv_object_set(obj, jv_string("Error"), name);
	obj = jv_object_set(obj, jv_string("Cause"), cause);
	return jv_invalid_with_msg(obj);
}

jv
asl_error(const char *name, const char *fmt, ...)
{
	va_list ap;
	jv cause;

	if (fmt == NULL)
		return asl_error_jv(jv_string(name), jv_null());
	va_start(ap, fmt);
	cause = jv_string_vfmt(fmt, ap);
	va_end(ap);
	return asl_error_jv(jv_string(name), cause);
}

int
asl_is_error(jv v)
{
	jv msg;
	int ret;

	if (jv_is_valid(v))
		return 0;
	msg = jv_invalid_get_msg(jv_copy(v));
	ret = jv_get_kind(msg) == JV_KIND_OBJECT;
	jv_free(msg);
	return ret;
}

jv
asl_error_object(jv err)
{
	jv msg;

	if (jv_is_valid(err)) {
		jv_free(err);
		return JV_OBJECT(jv_string("Error"), jv_string("States.Runtime"),
		    jv_string("Cause"), jv_string("not an error"));
	}
	msg = jv_invalid_get_msg(err);
	if (jv_get_kind(msg) == JV_KIND_OBJECT)
		return msg;
	if (jv_get_kind(msg) != JV_KIND_STRING) {
		jv_free(msg);
		msg = jv_string("unknown error");
	}
	return JV_OBJECT(jv_string("Error"), jv_string("States.Runtime"),
	    jv_string("Cause"), msg);
}

static const char *
field(jv obj, const char *key)
{
	const char *s = "";
	jv v;

	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return s;
	/*
	 * The value lives as long as obj does: jv_object_get returns a new
	 * reference to the same string, which obj still holds after we drop
	 * ours.
	 */
	v = jv_object_get(jv_copy(obj), asl_key(key));
	if (jv_get_kind(v) == JV_KIND_STRING)
		s = jv_string_value(v);
	jv_free(v);
	return s;
}

jv
asl_error_as(const char *name, jv err)
{
	jv m = asl_error_object(err);
	jv r = asl_error(name, "%s: %s", asl_error_name(m), asl_error_cause(m));

	jv_free(m);
	return r;
}

const char *
asl_error_name(jv errobj)
{
	return field(errobj, "Error");
}

const char *
asl_error_cause(jv errobj)
{
	return field(errobj, "Cause");
}

char *
asl_read_all(const char *path, size_t limit, size_t *len)
{
	char *buf = NULL, *nbuf;
	size_t cap = 0, n = 0;
	ssize_t r;
	int fd, saved;

	if (path == NULL || strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	for (;;) {
		if (cap - n < 4097) {
			cap = cap ? cap * 2 : 65536;
			if ((nbuf = realloc(buf, cap)) == NULL)
				goto fail;
			buf = nbuf;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (limit != 0 && n > limit) {
			errno = EFBIG;
			goto fail;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	saved = errno;
	if (fd != STDIN_FILENO)
		close(fd);
	free(buf);
	errno = saved;
	return NULL;
}

int
asl_buf_reserve(struct asl_buf *b, size_t more)
{
	size_t cap;
	char *n;

	if (b->cap - b->len >= more)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < more)
		cap *= 2;
	if ((n = realloc(b->p, cap)) == NULL) {
		b->nomem = 1;
		return -1;
	}
	b->p = n;
	b->cap = cap;
	return 0;
}

void
asl_buf_add(struct asl_buf *b, const void *p, size_t n)
{
	if (asl_buf_reserve(b, n) == 0) {
		memcpy(b->p + b->len, p, n);
		b->len += n;
	}
}

void
asl_buf_free(struct asl_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

int
asl_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
asl_close_stdout(int status)
{
	int bad;

	bad = fflush(stdout) != 0 || ferror(stdout);
	if (fclose(stdout) != 0)
		bad = 1;
	if (bad) {
		fprintf(stderr, "%s: error writing standard output: %s\n",
		    progname, strerror(errno));
		return ASL_EX_OS;
	}
	return status;
}

void
asl_print(jv v, int pretty)
{
	jv_dumpf(v, stdout, pretty ? JV_PRINT_INDENT_FLAGS(2) : 0);
	putchar('\n');
}

int
asl_is_integral(jv v)
{
	double d;

	if (jv_get_kind(v) != JV_KIND_NUMBER)
		return 0;
	d = jv_number_value(v);
	return isfinite(d) && d == floor(d);
}

int
asl_random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t got = 0;
	ssize_t n;
	int fd;

	while (got < len) {
		n = getrandom(p + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t)n;
	}
	if (got == len)
		return 0;
	/* A kernel without getrandom(2): the device it draws from. */
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (got < len) {
		n = read(fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			if (n == 0)
				errno = EIO;
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

/* The strings of asl_key, by their text's address. */
#define KEY_SLOTS	1024

static struct {
	const char	*text;
	jv		 v;
} keys[KEY_SLOTS];

jv
asl_key(const char *text)
{
	/* Fibonacci hashing of the address: the top bits of the product */
	size_t h = (size_t)(((uint64_t)(uintptr_t)text *
	    0x9e3779b97f4a7c15ULL) >> 54), i = h, n;

	for (n = 0; n < 4; n++, i = (i + 1) & (KEY_SLOTS - 1)) {
		if (keys[i].text == text &&
		    strcmp(jv_string_value(keys[i].v), text) == 0)
			return jv_copy(keys[i].v);
		if (keys[i].text == NULL)
			break;
	}
	if (n == 4)	/* the neighbourhood is full: the first one goes */
		i = h;
	if (keys[i].text != NULL)
		jv_free(keys[i].v);
	keys[i].v = jv_string(text);
	keys[i].text = text;
	return jv_copy(keys[i].v);
}

void
asl_uuid_text(unsigned char b[16], char buf[ASL_UUID_BUFSIZE])
{
	static const char hex[] = "0123456789abcdef";
	int i, j;

	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* variant RFC 4122 */
	for (i = 0, j = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[j++] = '-';
		buf[j++] = hex[b[i] >> 4];
		buf[j++] = hex[b[i] & 15];
	}
	buf[j] = '\0';
}

jv
asl_get_string(jv obj, const char *key)
{
	jv v = jv_get_kind(obj) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(obj), jv_string(key)) : jv_invalid();

	if (jv_get_kind(v) != JV_KIND_STRING) {
		jv_free(v);
		return jv_string("");
	}
	return v;
}

double
asl_get_number(jv obj, const char *key, double dflt)
{
	jv v = jv_get_kind(obj) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(obj), jv_string(key)) : jv_invalid();
	double d = jv_get_kind(v) == JV_KIND_NUMBER ? jv_number_value(v) :
	    dflt;

	jv_free(v);
	return d;
}
