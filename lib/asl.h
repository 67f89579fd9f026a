/*
 * asl.h - what every part of asl shares: exit statuses, ASL errors as jv
 * values, and reading and writing whole documents.
 *
 * Ownership follows jq's jv.h: every function consumes the jv arguments it
 * is given and returns a jv the caller owns, unless its comment says
 * "borrows".  Library code never prints and never exits: a failure comes
 * back as an invalid jv whose message is the ASL error object
 * {"Error": NAME, "Cause": TEXT}; cmd/ turns it into a line on stderr and
 * an exit status.
 */
#ifndef ASL_H
#define ASL_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <jv.h>

#include "asl_jv.h"

/* Exit statuses, the same for every program (see asl(7)). */
enum {
	ASL_EX_OK = 0,		/* success; execution SUCCEEDED */
	ASL_EX_FAIL = 1,	/* an ASL error; execution FAILED; invalid definition */
	ASL_EX_USAGE = 2,	/* bad command line */
	ASL_EX_DATA = 3,	/* input that is not JSON (or YAML) */
	ASL_EX_OS = 4,		/* system or I/O error */
	ASL_EX_TIMED_OUT = 5,	/* execution TIMED_OUT */
	ASL_EX_ABORTED = 6,	/* execution ABORTED */
	ASL_EX_WAITING = 75	/* paused: waiting for a timer, callback or activity */
};

/* The AWS limit on a state's input or output, in bytes of UTF-8. */
#define ASL_PAYLOAD_LIMIT 262144

/*
 * An ASL error value: jv_invalid_with_msg({"Error": name, "Cause": ...}).
 * The cause is printf-formatted; asl_error_jv takes it as a jv (a string,
 * or null for an error without a cause).
 */
jv	asl_error(const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
jv	asl_error_jv(jv name, jv cause);

/* Whether v is an invalid jv carrying an ASL error object.  Borrows v. */
int	asl_is_error(jv v);

/*
 * The {"Error", "Cause"} object of an error value (consumed).  A plain
 * invalid jv, or one whose message is a string, becomes
 * {"Error": "States.Runtime", "Cause": message}.
 */
jv	asl_error_object(jv err);

/*
 * The error value err (consumed) met on the way, as an error of name
 * whose cause is "ERROR: CAUSE" of err (States.ItemReaderFailed for an
 * S3.NoSuchKeyException ...).
 */
jv	asl_error_as(const char *name, jv err);

/* Error name and cause of an error object, borrowed ("" when absent). */
const char *asl_error_name(jv errobj);
const char *asl_error_cause(jv errobj);

/*
 * Whether v (borrowed) is a number with no fractional part.  (jq 1.6's
 * jv_is_integer also demands that it fit an int, which ASL's numbers need
 * not: a Wait may be 2^31 seconds long.)
 */
int	asl_is_integral(jv v);

/*
 * len random bytes from the kernel (getrandom, else /dev/urandom): 0, or
 * -1 with errno set.
 */
int	asl_random_bytes(void *buf, size_t len);

/*
 * 16 random bytes b as the text of a version 4 UUID (RFC 4122, lowercase
 * 8-4-4-4-12) in buf: the version and variant bits are set in b first.
 */
#define ASL_UUID_BUFSIZE 37
void	asl_uuid_text(unsigned char b[16], char buf[ASL_UUID_BUFSIZE]);

/*
 * asl_key("Type"): the string jv of a key, made once and then shared (a
 * new reference each time, freed as any other).  A key made this way
 * keeps its hash between lookups; jv_string would copy, check and hash
 * the text on every call.  Keys are remembered by the address of their
 * text, checked against the text on every call, so any string will do,
 * but only text that lives long (literals, a compiled definition's
 * names) is worth it.  ASL_LIT is the same for a literal.
 */
jv	asl_key(const char *text);
#define ASL_LIT(s)	asl_key("" s "")

/*
 * A member of obj (borrowed; any kind): the string, else "" (a new
 * string); the number, else dflt.
 */
jv	asl_get_string(jv obj, const char *key);
double	asl_get_number(jv obj, const char *key, double dflt);

/*
 * Read a whole file ("-" or NULL is standard input) into a buffer that the
 * caller frees.  More than limit bytes (0: no limit) fails with errno
 * EFBIG.  Returns NULL with errno set on failure.  The buffer is
 * NUL-terminated; *len does not count the NUL.
 */
char	*asl_read_all(const char *path, size_t limit, size_t *len);

/*
 * A growable byte buffer.  Start it zeroed; asl_buf_free releases it.  An
 * allocation that fails sets nomem, and what does not fit is dropped.
 */
struct asl_buf {
	char	*p;
	size_t	 len, cap;
	int	 nomem;
};

/* Room for more bytes at p + len: 0, or -1 (and nomem) if none. */
int	asl_buf_reserve(struct asl_buf *, size_t more);
void	asl_buf_add(struct asl_buf *, const void *, size_t);

/* asl_buf_add inline, for the few bytes a writer adds at a time. */
static inline void
asl_buf_put(struct asl_buf *b, const void *p, size_t n)
{
	if (b->cap - b->len >= n) {
		memcpy(b->p + b->len, p, n);
		b->len += n;
	} else
		asl_buf_add(b, p, n);
}

/* A string literal's bytes, without strlen. */
#define ASL_BUF_LIT(b, s)	asl_buf_put((b), "" s "", sizeof(s) - 1)
void	asl_buf_free(struct asl_buf *);

/* Write all of buf to fd, retrying short writes and EINTR; 0 or -1. */
int	asl_write_all(int fd, const void *buf, size_t len);

/*
 * Flush and close stdout; if that fails, say so on stderr and return
 * ASL_EX_OS, else return status.  Every program ends with it.
 */
int	asl_close_stdout(int status);

/* Print v (consumed) on stdout as one line, compact or indented by 2. */
void	asl_print(jv v, int pretty);

/* The program name for messages (set by asl_setprogname from argv[0]). */
void	asl_setprogname(const char *argv0);
const char *asl_getprogname(void);

#endif /* !ASL_H */
