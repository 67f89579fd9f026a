/*
 * asl_doc.c - documents from files and text, JSON or YAML (asl_doc.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_doc.h"
#include "asl_json.h"
#include "asl_yaml.h"

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

enum asl_format
asl_doc_format(const char *path)
{
	if (path == NULL)
		return ASL_FORMAT_AUTO;
	if (ends_with(path, ".yaml") || ends_with(path, ".yml"))
		return ASL_FORMAT_YAML;
	if (ends_with(path, ".json"))
		return ASL_FORMAT_JSON;
	return ASL_FORMAT_AUTO;
}

jv
asl_doc_parse(const char *text, size_t len, enum asl_format format,
    jv *where, jv *problems)
{
	size_t i = 0;

	if (format == ASL_FORMAT_AUTO) {
		if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
			i = 3;
		while (i < len && (text[i] == ' ' || text[i] == '\t' ||
		    text[i] == '\r' || text[i] == '\n'))
			i++;
		format = i < len && (text[i] == '{' || text[i] == '[' ||
		    text[i] == '"') ? ASL_FORMAT_JSON : ASL_FORMAT_YAML;
		if (i == len)
			format = ASL_FORMAT_JSON;	/* "empty document" */
	}
	if (format == ASL_FORMAT_JSON)
		return asl_json_parse(text, len, where, problems);
	return asl_yaml_parse(text, len, where, problems);
}

jv
asl_doc_error_text(const char *name, jv err)
{
	jv msg = jv_invalid_get_msg(err), line, col, text, r;

	if (jv_get_kind(msg) != JV_KIND_OBJECT) {
		r = jv_get_kind(msg) == JV_KIND_STRING ?
		    jv_string_fmt("%s: %s", name, jv_string_value(msg)) :
		    jv_string_fmt("%s: not a document", name);
		jv_free(msg);
		return r;
	}
	line = jv_object_get(jv_copy(msg), ASL_LIT("line"));
	col = jv_object_get(jv_copy(msg), ASL_LIT("column"));
	text = jv_object_get(msg, ASL_LIT("message"));
	r = jv_string_fmt("%s:%d:%d: %s", name, (int)jv_number_value(line),
	    (int)jv_number_value(col), jv_string_value(text));
	jv_free(line);
	jv_free(col);
	jv_free(text);
	return r;
}

jv
asl_doc_read(const char *path, enum asl_format format, size_t limit,
    int *is_io)
{
	int stdin_ = path == NULL || strcmp(path, "-") == 0;
	const char *name = stdin_ ? "<stdin>" : path;
	char *buf;
	size_t len;
	jv v;

	if (is_io != NULL)
		*is_io = 0;
	if ((buf = asl_read_all(path, limit, &len)) == NULL) {
		if (is_io != NULL)
			*is_io = errno != EFBIG;
		if (errno == EFBIG)
			return jv_invalid_with_msg(jv_string_fmt(
			    "%s: larger than %zu bytes", name, limit));
		return jv_invalid_with_msg(jv_string_fmt("%s: %s", name,
		    strerror(errno)));
	}
	if (format == ASL_FORMAT_AUTO && !stdin_)
		format = asl_doc_format(path);
	v = asl_doc_parse(buf, len, format, NULL, NULL);
	free(buf);
	if (jv_is_valid(v))
		return v;
	return jv_invalid_with_msg(asl_doc_error_text(name, v));
}
