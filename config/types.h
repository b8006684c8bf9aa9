/* config/types.h: the value types' table (see types.c). Private to
 * config/. */
#ifndef PANTAU_CONFIG_TYPES_H
#define PANTAU_CONFIG_TYPES_H

#include "schema.h"

#include <stdbool.h>
#include <stdio.h>
#include <yaml.h>

struct ctx;

/* A scalar's text (after ${NAME} expansion) into dst. Returns 0, or -1
 * after reporting the error at n. text is the caller's unless the parser
 * sets *keep (it then owns it); q is text quoted for messages. */
typedef int (*cfg_scalar_parser)(struct ctx *x, const yaml_node_t *n, const char *path, const struct cfg_key *k,
                                 void *dst, char *text, const char *q, bool *keep);

struct cfg_type_ops {
    const char *name;           /* in the key reference */
    cfg_scalar_parser parse;    /* NULL: parsed from structure by the walker */
    void (*print)(FILE *out, const struct cfg_key *k, const void *field); /* NULL: a nested map */
    bool owns_text;             /* the field is a char * freed with the config */
    size_t size;                /* bytes of the field; 0: a nested map */
};

/* The row of type t (a "?" row for an unknown type). */
const struct cfg_type_ops *cfg_type(enum cfg_type t);

/* A list of `count` integers (or, for sizes, "WxH"; from text when not
 * NULL) into out, range-checked against k. */
int cfg_parse_int_list(struct ctx *x, const yaml_node_t *n, const char *path, const struct cfg_key *k, int *out,
                       int count, const char *text);

/* Writes s as a double-quoted YAML scalar ("${" kept literal as "$${"). */
void cfg_put_quoted(FILE *out, const char *s);

#endif
