/* config/load.h: the loader's context, shared by the YAML walker
 * (config.c) and the checks that need the whole config (check.c). Private
 * to config/. One load at a time per context; any thread. */
#ifndef PANTAU_CONFIG_LOAD_H
#define PANTAU_CONFIG_LOAD_H

#include "config.h"

#include <yaml.h>

struct ctx {
    const char *file;
    const char *text;            /* the YAML text, for hints quoting a line */
    yaml_document_t doc;
    struct cfg_errors *errs;
    const struct cfg_kinds *kinds;
    long visits;
    bool too_big;                /* the visit limit was hit: stop walking */
    size_t errs_before;          /* errs->n when this load began */
    size_t dropped;              /* errors past CFG_MAX_ERRORS, not kept */
};

/* Errors kept per load: a file that is wrong everywhere (or an alias bomb)
 * gives this many, then one line saying how many more there were. */
#define CFG_MAX_ERRORS 100

/* Adds "file:line:col: path: message" to the load's errors. */
void cfg_err_pos(struct ctx *x, struct cfg_pos p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An error at node n (its line and column). */
#define err_at(x, node, path, ...) cfg_err_pos((x), cfg_pos_of(node), (path), __VA_ARGS__)

/* Where node n is (1-based); 0:0 for NULL. */
struct cfg_pos cfg_pos_of(const yaml_node_t *n);
/* "a mapping", "a list" or "a value", for messages. */
const char *cfg_node_what(const yaml_node_t *n);
/* s quoted for a message: sanitised and cut to a readable length. */
void cfg_quote(const char *s, char *out, size_t outlen);

/* check.c: what only the whole config can tell (the wall's local part,
 * panels inside the grid and not overlapping, unique ids, each panel's
 * source defined and of the right kind); links panels to their sources. */
void cfg_check_semantics(struct ctx *x, struct cfg *c);

#endif
