/*
 * lib/exec/exec_def.c - definition loading (moving to
 * asl_definition.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl_normalize.h"
#include "asl_store.h"
#include "asl_validate.h"
#include "exec_int.h"

/* The state machine name a file suggests: its base name, extensions off. */
static jv
name_from_path(const char *path)
{
	const char *base = strrchr(path, '/'), *ext;
	static const char *const exts[] = { ".asl.json", ".asl.yaml",
	    ".asl.yml", ".json", ".yaml", ".yml" };
	size_t len, i, n;
	jv name;
	char *p;

	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		n = strlen(exts[i]);
		if (len > n && strcmp(base + len - n, exts[i]) == 0) {
			len -= n;
			break;
		}
	}
	(void)ext;
	name = jv_string_sized(base, (int)len);
	/* keep it a valid name: anything AWS refuses becomes '-' */
	p = strdup(jv_string_value(name));
	jv_free(name);
	if (p == NULL)
		return ASL_LIT("asl");
	for (i = 0; p[i] != '\0'; i++)
		if ((unsigned char)p[i] <= 0x20 ||
		    strchr("<>{}[]?*\"#%\\^|~`$&,;:/", p[i]) != NULL)
			p[i] = '-';
	name = jv_string(*p != '\0' ? p : "asl");
	free(p);
	return name;
}

/* A lone state (as TestState takes one) rather than a state machine. */
static int
lone_state(jv def)
{
	return jv_get_kind(def) == JV_KIND_OBJECT &&
	    !jv_object_has(jv_copy(def), ASL_LIT("States")) &&
	    jv_object_has(jv_copy(def), ASL_LIT("Type"));
}

jv
asl_exec_load_definition(const struct asl_store *st, const char *arg,
    int express)
{
	jv def, where, problems, diags, name, r, lines;
	int flags = express ? ASL_VALIDATE_EXPRESS : 0, lone;
	char *buf;
	size_t len;

	if (strcmp(arg, "-") != 0 && access(arg, F_OK) != 0) {
		r = asl_store_get_machine(st, arg);
		if (!jv_is_valid(r)) {
			jv obj = asl_error_object(r);
			if (strcmp(asl_error_name(obj), "StateMachineDoesNotExist")
			    == 0) {
				jv_free(obj);
				return asl_error("StateMachineDoesNotExist", "'%s' is "
				    "neither a file nor a registered state machine",
				    arg);
			}
			return jv_invalid_with_msg(obj);
		}
		/* registered definitions were validated and normalized */
		return r;
	}
	if ((buf = asl_read_all(arg, 0, &len)) == NULL)
		return asl_error("States.Runtime", "%s: %s", arg, strerror(errno));
	/*
	 * Most definitions are sound: parse and check them without noting
	 * where every node is, and only when a problem must be told, again
	 * with the places.
	 */
	def = asl_doc_parse(buf, len, ASL_FORMAT_AUTO, NULL, &problems);
	if (jv_is_valid(def) && jv_array_length(jv_copy(problems)) == 0) {
		jv_free(problems);
		lone = lone_state(def);
		diags = asl_validate(jv_copy(def), jv_null(), jv_array(),
		    flags | (lone ? ASL_VALIDATE_STATE : 0));
		if (!asl_validate_failed(diags)) {
			free(buf);
			goto valid;
		}
		jv_free(diags);
	} else
		jv_free(problems);
	jv_free(def);
	def = asl_doc_parse(buf, len, ASL_FORMAT_AUTO, &where, &problems);
	free(buf);
	if (!jv_is_valid(def)) {
		jv msg = jv_invalid_get_msg(def);
		jv line = jv_object_get(jv_copy(msg), ASL_LIT("line"));
		jv col = jv_object_get(jv_copy(msg), ASL_LIT("column"));
		jv ex_text = jv_object_get(msg, ASL_LIT("message"));
		r = asl_error("InvalidDefinition", "%s:%d:%d: %s", arg,
		    (int)jv_number_value(line), (int)jv_number_value(col),
		    jv_string_value(ex_text));
		jv_free(line);
		jv_free(col);
		jv_free(ex_text);
		return r;
	}
	/* a lone state, as TestState takes one */
	if ((lone = lone_state(def)))
		flags |= ASL_VALIDATE_STATE;
	/* what CreateStateMachine would refuse, refused here, all of it */
	diags = asl_validate(jv_copy(def), where, problems, flags);
	if (asl_validate_failed(diags)) {
		jv_free(def);
		lines = asl_validate_lines(strcmp(arg, "-") == 0 ? "<stdin>" : arg,
		    diags, 0);
		/* one cause, one line per problem, no trailing newline */
		r = asl_error("InvalidDefinition", "%.*s",
		    jv_string_length_bytes(jv_copy(lines)) - 1,
		    jv_string_value(lines));
		jv_free(lines);
		return r;
	}
valid:
	jv_free(diags);
	def = asl_normalize(def, lone ? ASL_NORMALIZE_STATE : 0);
	name = name_from_path(strcmp(arg, "-") == 0 ? "stdin" : arg);
	return JV_OBJECT(ASL_LIT("definition"), def, ASL_LIT("name"), name,
	    ASL_LIT("type"), jv_string(express ? "EXPRESS" : "STANDARD"));
}

