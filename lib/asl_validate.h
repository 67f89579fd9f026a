/*
 * asl_validate.h - whether a state machine definition is one AWS would
 * accept, and if not, everything that is wrong with it.
 *
 * The checks are those of CreateStateMachine and
 * ValidateStateMachineDefinition: every state type's required, allowed
 * and forbidden fields with their types and ranges, the query language
 * rules, transitions within one scope, reachability and terminal states,
 * Choice rules, Retry and Catch, paths, payload templates and intrinsic
 * calls (compiled with asl_path, asl_template and asl_expr), timestamps,
 * Map and distributed Map fields, resources, and the EXPRESS restrictions.
 *
 * A diagnostic is an object
 *
 *	{"severity": "ERROR"|"WARNING", "code": "SCHEMA_VALIDATION_FAILED",
 *	 "message": "...", "location": "/States/A/Next",
 *	 "pointer": "/States/A/Next", "line": 7, "column": 9,
 *	 "detail": "..."}
 *
 * where code, message and location are what AWS reports (location is
 * absent where AWS gives none; it writes array indexes as "[0]"),
 * pointer is the RFC 6901 pointer of the node the diagnostic is about
 * (for a missing field, the object that lacks it), line and column are
 * that node's position (absent without a position map), and detail, when
 * present, says more than AWS does (the parser's reason, for example).
 *
 * Ownership follows jv.h.  Nothing here prints.
 */
#ifndef ASL_VALIDATE_H
#define ASL_VALIDATE_H

#include <stddef.h>

#include <jv.h>

#include "asl_doc.h"
#include "asl_json.h"

/* Flags for asl_validate. */
enum {
	ASL_VALIDATE_EXPRESS = 1,	/* the rules of an EXPRESS machine */
	ASL_VALIDATE_WARNINGS = 2,	/* report WARNING diagnostics too */
	ASL_VALIDATE_STATE = 4		/* def is one state, as TestState takes */
};

/*
 * Validate def.  where is the position map and problems the duplicate
 * keys that asl_json_parse or asl_yaml_parse reported (either may be
 * jv_null()).  Returns the array of diagnostics, empty when def is valid;
 * errors come first in the order AWS reports them, then warnings.
 */
jv	asl_validate(jv def, jv where, jv problems, int flags);

/*
 * Parse text (JSON or YAML, as format says) and validate it.  *def
 * receives the parsed definition, or jv_invalid() if text is not JSON or
 * YAML; the diagnostics then hold one INVALID_JSON_DESCRIPTION with the
 * parser's message, line and column.  An empty or blank text, or a
 * document that is not an object, is SCHEMA_VALIDATION_FAILED as in AWS.
 */
jv	asl_validate_text(const char *text, size_t len, enum asl_format format,
	    int flags, jv *def);

/* Whether diags holds an ERROR.  Borrows diags. */
int	asl_validate_failed(jv diags);

/*
 * The ValidateStateMachineDefinition response for diags (consumed):
 * {"result": "OK"|"FAIL", "diagnostics": [{severity, code, message,
 * location}], "truncated": false}.
 */
jv	asl_validate_response(jv diags);

/*
 * The diagnostics (consumed) as compiler-style lines, in the order of
 * their positions: "NAME:LINE:COL: error: LOCATION: MESSAGE[: DETAIL]",
 * or, for a syntax error (syntax), "NAME:LINE:COL: error: DETAIL".
 */
jv	asl_validate_lines(const char *name, jv diags, int syntax);

#endif /* !ASL_VALIDATE_H */
