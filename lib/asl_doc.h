/*
 * asl_doc.h - documents: a definition, a resource map, a mock file, an
 * input, read from a file or from text as JSON or YAML, and the one form
 * in which a document that does not parse is reported,
 * "FILE:LINE:COLUMN: MESSAGE".
 *
 * The format is what the caller says, else the file's extension (.yaml and
 * .yml are YAML, .json is JSON), else the content: JSON when the first
 * character (after a byte order mark and blanks) is '{', '[' or '"', YAML
 * otherwise.
 *
 * Ownership follows jv.h.  Errors are invalid jv values whose message is a
 * string (see each function).
 */
#ifndef ASL_DOC_H
#define ASL_DOC_H

#include <stddef.h>

#include <jv.h>

enum asl_format {
	ASL_FORMAT_AUTO,	/* from the file's extension, else its content */
	ASL_FORMAT_JSON,
	ASL_FORMAT_YAML
};

/* The format a file name says: JSON, YAML, or AUTO when it says neither. */
enum asl_format asl_doc_format(const char *path);

/*
 * Parse len bytes of text as format (AUTO: by content), with where and
 * problems as asl_json_parse has them.  A syntax error is an invalid jv
 * whose message is {"message", "line", "column"}.
 */
jv	asl_doc_parse(const char *text, size_t len, enum asl_format format,
	    jv *where, jv *problems);

/*
 * A syntax error of asl_doc_parse (consumed) as the jv string
 * "NAME:LINE:COLUMN: MESSAGE".
 */
jv	asl_doc_error_text(const char *name, jv err);

/*
 * Read and parse the file at path ("-" or NULL: standard input), at most
 * limit bytes (0: no limit).  A failure is an invalid jv whose message is
 * "FILE:LINE:COLUMN: MESSAGE" for a syntax error, "FILE: strerror" for an
 * I/O error; *is_io (if not NULL) tells which.
 */
jv	asl_doc_read(const char *path, enum asl_format format, size_t limit,
	    int *is_io);

#endif /* !ASL_DOC_H */
