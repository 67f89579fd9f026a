/*
 * asl_yaml.h - YAML documents in, jv values out, with where each node came
 * from (the YAML 1.2 core schema; anchors and aliases expanded).
 *
 * Ownership follows jv.h.  The contract is asl_json_parse's: *where maps
 * the JSON Pointer of every node to [line, column], *problems lists the
 * duplicate keys, and a syntax error is an invalid jv whose message is
 * {"message", "line", "column"}.
 */
#ifndef ASL_YAML_H
#define ASL_YAML_H

#include <stddef.h>

#include <jv.h>

jv	asl_yaml_parse(const char *text, size_t len, jv *where, jv *problems);

#endif /* !ASL_YAML_H */
