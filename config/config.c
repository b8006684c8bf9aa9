/* config/config.c: YAML -> struct cfg through the schema tables, collecting
 * every error as "file:line:col: path: message". Runs on the main thread at
 * start-up (and for --check); the result is immutable afterwards.
 *
 * Data model: libyaml's document API gives a node graph with positions. The
 * generic walker parse_map() matches a mapping against a NULL-terminated
 * table of struct cfg_key rows and writes each value through its type's
 * parser at base + row.off. Structure the table cannot express (the sources
 * map, the pages and panels lists, one-of kind keys) is walked here by hand,
 * then cross-checked (grid bounds, overlaps, ids, source references). */
#include "config.h"
#include "load.h"
#include "types.h"
#include "../core/log.h"
#include "../core/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_NODE_VISITS 200000 /* alias bombs are refused, not expanded */
#define MAX_DEPTH 32
#define CFG_MAX_BYTES (16 << 20) /* a config file may be 16 MiB, not a byte more */


/* ---- loader context and errors ---------------------------------------- */

static void add_error(struct cfg_errors *e, char *line)
{
    e->lines = xrealloc(e->lines, (e->n + 1) * sizeof(*e->lines));
    e->lines[e->n++] = line;
}

struct cfg_pos cfg_pos_of(const yaml_node_t *n)
{
    struct cfg_pos p = { 0, 0 };
    if (n) {
        p.line = (int)n->start_mark.line + 1;
        p.col = (int)n->start_mark.column + 1;
    }
    return p;
}

void cfg_err_pos(struct ctx *x, struct cfg_pos p, const char *path, const char *fmt, ...)
{
    char msg[512];
    if (x->errs->n - x->errs_before >= CFG_MAX_ERRORS) {
        x->dropped++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (path && *path) {
        add_error(x->errs, xasprintf("%s:%d:%d: %s: %s", x->file, p.line, p.col, path, msg));
    } else {
        add_error(x->errs, xasprintf("%s:%d:%d: %s", x->file, p.line, p.col, msg));
    }
}


const char *cfg_node_what(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE: return "a mapping";
    case YAML_SEQUENCE_NODE: return "a list";
    default: return "a value";
    }
}

/* A value quoted for a message: sanitised and cut to a readable length. */
void cfg_quote(const char *s, char *out, size_t outlen)
{
    char clean[48];
    sanitize_text(s, clean, sizeof(clean));
    if (strlen(s) > 40) {
        snprintf(out, outlen, "\"%.40s...\"", clean);
    } else {
        snprintf(out, outlen, "\"%s\"", clean);
    }
}

static bool visit(struct ctx *x)
{
    return ++x->visits <= MAX_NODE_VISITS;
}

/* ${NAME} from the environment; "$${" is a literal "${". Returns a new
 * string or NULL after reporting an error. */
static char *expand_env(struct ctx *x, const yaml_node_t *n, const char *path, const char *s)
{
    size_t cap = strlen(s) + 1, len = 0;
    char *out = xmalloc(cap);
    const char *p = s;
    while (*p) {
        if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
            p++;
        } else if (p[0] == '$' && p[1] == '{') {
            const char *end = strchr(p + 2, '}');
            size_t nlen = end ? (size_t)(end - p - 2) : 0;
            bool ok = end && nlen > 0;
            for (size_t i = 0; ok && i < nlen; i++) {
                char c = p[2 + i];
                ok = isalnum((unsigned char)c) || c == '_';
            }
            if (!ok) {
                err_at(x, n, path, "bad variable reference; write ${NAME} with letters, digits "
                                   "and _ (use $${ for a literal ${)");
                free(out);
                return NULL;
            }
            char name[128];
            snprintf(name, sizeof(name), "%.*s", (int)(nlen < 127 ? nlen : 127), p + 2);
            const char *val = getenv(name);
            if (!val) {
                err_at(x, n, path, "environment variable %s is not set; export it before "
                                   "starting pantau", name);
                free(out);
                return NULL;
            }
            size_t vlen = strlen(val);
            cap += vlen;
            out = xrealloc(out, cap);
            memcpy(out + len, val, vlen);
            len += vlen;
            p = end + 1;
            continue;
        }
        out[len++] = *p++;
    }
    out[len] = '\0';
    return out;
}

static const char *scalar_of(const yaml_node_t *n);

static bool is_null_scalar(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.length != 0) {
        return false;
    }
    return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* A key with nothing after it. The usual cause is an unquoted '#', which
 * starts a YAML comment: point at it and say how to quote. */
static void no_value(struct ctx *x, const yaml_node_t *n, const char *path)
{
    struct cfg_pos p = cfg_pos_of(n);
    const char *line = x->text;
    for (int i = 1; line && i < p.line; i++) {
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    if (line) {
        size_t len = strcspn(line, "\n");
        const char *hash = memchr(line, '#', len);
        if (hash && (int)(hash - line) + 1 >= p.col - 1) {
            size_t vlen = strcspn(hash, " \t,}]\n");
            p.col = (int)(hash - line) + 1;
            cfg_err_pos(x, p, path, "has no value: an unquoted # starts a YAML comment; write \"%.*s\" "
                                "in quotes", (int)vlen, hash);
            return;
        }
    }
    cfg_err_pos(x, p, path, "has no value; write one after the colon or remove the key");
}

static int parse_map(struct ctx *x, const yaml_node_t *map, const struct cfg_key *keys,
                     void *base, const char *path, const char *const *extra,
                     yaml_node_t **extra_nodes, int depth);

/* A nested mapping (CFG_MAP): its keys land in the same struct. */
static int parse_sub_map(struct ctx *x, const yaml_node_t *n, const struct cfg_key *k, void *base, const char *path,
                         int depth)
{
    if (!n || is_null_scalar(n)) {
        /* "displays:" with every key commented out: all defaults. */
        return parse_map(x, NULL, k->sub, base, path, NULL, NULL, depth + 1);
    }
    if (n->type != YAML_MAPPING_NODE) {
        err_at(x, n, path, "expected a mapping of keys, got %s", cfg_node_what(n));
        return -1;
    }
    return parse_map(x, n, k->sub, base, path, NULL, NULL, depth + 1);
}

/* A list of mappings (CFG_LIST): each item a struct filled by k->sub. */
static int parse_list(struct ctx *x, const yaml_node_t *n, const struct cfg_key *k, void *base, const char *path,
                      int depth)
{
    char **items = (char **)((char *)base + k->off);
    size_t *count = (size_t *)((char *)base + k->count_off);
    if (!n || is_null_scalar(n)) {
        return 0;
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        err_at(x, n, path, "expected a list (one \"- \" item each), got %s", cfg_node_what(n));
        return -1;
    }
    size_t want = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (k->max > 0 && want > (size_t)k->max) {
        err_at(x, n, path, "%zu items; at most %.0f", want, k->max);
        return -1;
    }
    int rc = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *item = yaml_document_get_node(&x->doc, *it);
        char ipath[160];
        snprintf(ipath, sizeof(ipath), "%s[%zu]", path, *count + 1);
        if (!item || item->type != YAML_MAPPING_NODE) {
            err_at(x, item ? item : n, ipath, "expected a mapping of keys, got %s", item ? cfg_node_what(item) : "nothing");
            rc = -1;
            continue;
        }
        *items = xrealloc(*items, (*count + 1) * k->item_size);
        char *slot = *items + *count * k->item_size;
        memset(slot, 0, k->item_size);
        (*count)++;
        if (parse_map(x, item, k->sub, slot, ipath, NULL, NULL, depth + 1) < 0) {
            rc = -1;
        }
    }
    return rc;
}

/* A mapping of names to texts (CFG_PAIRS), stored "name=value\n...". */
static int parse_pairs(struct ctx *x, const yaml_node_t *n, const char *path, char **out)
{
    free(*out);
    *out = xstrdup("");
    if (!n || is_null_scalar(n)) {
        return 0;
    }
    if (n->type != YAML_MAPPING_NODE) {
        err_at(x, n, path, "expected a mapping of names to values, e.g. { status: \"selesai\" }, got %s",
               cfg_node_what(n));
        return -1;
    }
    size_t len = 0;
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&x->doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(&x->doc, pr->value);
        const char *name = scalar_of(kn);
        if (!name || !*name || strpbrk(name, "=\n")) {
            err_at(x, kn, path, "names here must be plain text without '=' or line breaks");
            return -1;
        }
        if (!vn || vn->type != YAML_SCALAR_NODE) {
            err_at(x, vn ? vn : kn, path, "%s: expected a single value, got %s", name, vn ? cfg_node_what(vn) : "nothing");
            return -1;
        }
        char *val = expand_env(x, vn, path, (const char *)vn->data.scalar.value);
        if (!val) {
            return -1;
        }
        if (strchr(val, '\n')) {
            err_at(x, vn, path, "%s: a value here cannot span lines", name);
            free(val);
            return -1;
        }
        size_t add = strlen(name) + strlen(val) + 2;
        *out = xrealloc(*out, len + add + 1);
        snprintf(*out + len, add + 1, "%s=%s\n", name, val);
        len += add;
        free(val);
    }
    return 0;
}

/* Parses one value of key k from node n (or from the default text def when
 * n is NULL) into base + k->off: structure first, then scalars through
 * their type's parser. */
static int parse_value(struct ctx *x, const yaml_node_t *n, const char *def,
                       const struct cfg_key *k, void *base, const char *path, int depth)
{
    void *dst = (char *)base + k->off;
    switch (k->type) {
    case CFG_MAP:
        return parse_sub_map(x, n, k, base, path, depth);
    case CFG_LIST:
        return parse_list(x, n, k, base, path, depth);
    case CFG_PAIRS:
        return parse_pairs(x, n, path, dst);
    case CFG_SIZE:
    case CFG_CELLS:
        if (n && n->type == YAML_SCALAR_NODE) {
            def = (const char *)n->data.scalar.value;
        }
        return cfg_parse_int_list(x, n, path, k, dst, k->type == CFG_SIZE ? 2 : 4,
                                  n && n->type != YAML_SCALAR_NODE ? NULL : def);
    default:
        break;
    }
    const struct cfg_type_ops *t = cfg_type(k->type);
    if (!t || !t->parse) {
        return -1;
    }
    if (n && n->type != YAML_SCALAR_NODE) {
        err_at(x, n, path, "expected a single value, got %s", cfg_node_what(n));
        return -1;
    }
    if (n && is_null_scalar(n) && k->type != CFG_STRING && k->type != CFG_SECRET &&
        !((k->type == CFG_URL || k->type == CFG_DOUBLE) && k->allow_empty)) {
        no_value(x, n, path);
        return -1;
    }
    char *text = n ? expand_env(x, n, path, (const char *)n->data.scalar.value) : xstrdup(def ? def : "");
    if (!text) {
        return -1;
    }
    char q[64];
    cfg_quote(text, q, sizeof(q));
    bool keep = false;
    int rc = t->parse(x, n, path, k, dst, text, q, &keep);
    if (!keep) {
        free(text);
    }
    return rc;
}

static const char *scalar_of(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Best "did you mean" among the rows and extra names; NULL when nothing is
 * close enough to be a likely typo. */
static const char *suggest(const char *name, const struct cfg_key *const *tables,
                           const char *const *extra)
{
    const char *best = NULL;
    int best_d = 99;
    for (int t = 0; tables[t]; t++) {
        for (const struct cfg_key *k = tables[t]; k->name; k++) {
            int d = edit_distance(name, k->name);
            if (d < best_d) {
                best_d = d;
                best = k->name;
            }
        }
    }
    for (int i = 0; extra && extra[i]; i++) {
        int d = edit_distance(name, extra[i]);
        if (d < best_d) {
            best_d = d;
            best = extra[i];
        }
    }
    int limit = (int)strlen(name) <= 4 ? 1 : 2;
    return best_d <= limit ? best : NULL;
}

static void unknown_key(struct ctx *x, const yaml_node_t *kn, const char *path, const char *name,
                        const struct cfg_key *const *tables, const char *const *extra)
{
    char q[64];
    cfg_quote(name, q, sizeof(q));
    const char *s = suggest(name, tables, extra);
    if (s) {
        err_at(x, kn, path, "unknown key %s (did you mean \"%s\"?)", q, s);
    } else {
        char list[512] = "";
        size_t len = 0;
        for (int t = 0; tables[t]; t++) {
            for (const struct cfg_key *k = tables[t]; k->name && len < sizeof(list); k++) {
                len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", k->name);
            }
        }
        for (int i = 0; extra && extra[i] && len < sizeof(list); i++) {
            len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", extra[i]);
        }
        err_at(x, kn, path, "unknown key %s; known keys here: %s", q, list);
    }
}

static char *join_path(const char *path, const char *key)
{
    return *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
}

/* Walks a mapping against a table of rows (and, for several tables, tables
 * chained through a NULL-terminated array). Keys named in extra are not
 * parsed but their value nodes are returned in extra_nodes. Missing keys get
 * their defaults; missing required keys are errors. Returns -1 when any
 * error was reported. */
static int parse_map_tables(struct ctx *x, const yaml_node_t *map, const struct cfg_key *const *tables,
                            void *const *bases, const char *path, const char *const *extra,
                            yaml_node_t **extra_nodes, int depth)
{
    int rc = 0;
    if (depth > MAX_DEPTH) {
        err_at(x, map, path, "nested too deeply");
        return -1;
    }
    size_t n_pairs = 0;
    yaml_node_pair_t *pairs = NULL;
    if (map) {
        pairs = map->data.mapping.pairs.start;
        n_pairs = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    }
    /* Duplicate keys: the later one is an error pointing at the first. */
    for (size_t i = 0; i < n_pairs; i++) {
        yaml_node_t *kn = yaml_document_get_node(&x->doc, pairs[i].key);
        const char *name = scalar_of(kn);
        if (!visit(x)) {
            if (!x->too_big) {
                x->too_big = true;
                err_at(x, kn, path, "document too large or uses too many aliases (over %d keys to read)",
                       MAX_NODE_VISITS);
            }
            return -1;
        }
        if (!name) {
            err_at(x, kn, path, "keys must be plain names, got %s", kn ? cfg_node_what(kn) : "nothing");
            rc = -1;
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            const char *prev = scalar_of(yaml_document_get_node(&x->doc, pairs[j].key));
            if (prev && strcmp(prev, name) == 0) {
                struct cfg_pos p0 = cfg_pos_of(yaml_document_get_node(&x->doc, pairs[j].key));
                err_at(x, kn, path, "duplicate key \"%s\" (first set at line %d)", name, p0.line);
                rc = -1;
                break;
            }
        }
    }
    for (int t = 0; tables[t]; t++) {
        for (const struct cfg_key *k = tables[t]; k->name; k++) {
            yaml_node_t *vn = NULL;
            for (size_t i = 0; i < n_pairs; i++) {
                const char *name = scalar_of(yaml_document_get_node(&x->doc, pairs[i].key));
                if (name && strcmp(name, k->name) == 0) {
                    vn = yaml_document_get_node(&x->doc, pairs[i].value);
                    break;
                }
            }
            char *sub = join_path(path, k->name);
            if (!vn && k->required) {
                const yaml_node_t *at = map;
                err_at(x, at, path, "missing required key \"%s\" (%s)", k->name, k->help);
                rc = -1;
            } else if (parse_value(x, vn, k->def, k, bases[t], sub, depth) < 0) {
                rc = -1;
            }
            if (vn && k->pos_off) {
                *(struct cfg_pos *)((char *)bases[t] + k->pos_off - 1) = cfg_pos_of(vn);
            }
            free(sub);
        }
    }
    for (size_t i = 0; i < n_pairs; i++) {
        yaml_node_t *kn = yaml_document_get_node(&x->doc, pairs[i].key);
        const char *name = scalar_of(kn);
        if (!name) {
            continue;
        }
        bool known = false;
        for (int t = 0; tables[t] && !known; t++) {
            for (const struct cfg_key *k = tables[t]; k->name; k++) {
                if (strcmp(name, k->name) == 0) {
                    known = true;
                    break;
                }
            }
        }
        for (int e = 0; extra && extra[e] && !known; e++) {
            if (strcmp(name, extra[e]) == 0) {
                known = true;
                if (extra_nodes) {
                    extra_nodes[e] = yaml_document_get_node(&x->doc, pairs[i].value);
                }
            }
        }
        if (!known) {
            unknown_key(x, kn, path, name, tables, extra);
            rc = -1;
        }
    }
    return rc;
}

static int parse_map(struct ctx *x, const yaml_node_t *map, const struct cfg_key *keys,
                     void *base, const char *path, const char *const *extra,
                     yaml_node_t **extra_nodes, int depth)
{
    const struct cfg_key *tables[] = { keys, NULL };
    void *bases[] = { base };
    return parse_map_tables(x, map, tables, bases, path, extra, extra_nodes, depth);
}

/* ---- sources ------------------------------------------------------------ */

static bool valid_name(const char *s)
{
    if (!*s || strlen(s) > 63) {
        return false;
    }
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.') {
            return false;
        }
    }
    return true;
}

static size_t count_kinds(const struct cfg_kind *const *kinds)
{
    size_t n = 0;
    while (kinds[n]) {
        n++;
    }
    return n;
}

static void kind_names(const struct cfg_kind *const *kinds, char *out, size_t outlen)
{
    size_t len = 0;
    out[0] = '\0';
    size_t n = count_kinds(kinds);
    for (size_t i = 0; i < n && len < outlen; i++) {
        len += (size_t)snprintf(out + len, outlen - len, "%s%s",
                                i == 0 ? "" : (i + 1 == n ? " or " : ", "), kinds[i]->name);
    }
}

/* Finds which kind key a mapping uses. Reports none/several. */
static const struct cfg_kind *find_kind(struct ctx *x, const yaml_node_t *map, const char *path,
                                        const struct cfg_kind *const *kinds, const char *what,
                                        yaml_node_t **value_node, bool suggest_kind)
{
    const struct cfg_kind *found = NULL;
    const char *first_name = NULL;
    yaml_node_pair_t *pairs = map->data.mapping.pairs.start;
    size_t n_pairs = (size_t)(map->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < n_pairs; i++) {
        yaml_node_t *kn = yaml_document_get_node(&x->doc, pairs[i].key);
        const char *name = scalar_of(kn);
        for (size_t k = 0; name && kinds[k]; k++) {
            if (strcmp(name, kinds[k]->name) != 0) {
                continue;
            }
            if (found) {
                err_at(x, kn, path, "has both \"%s\" and \"%s\"; a %s has exactly one kind",
                       first_name, name, what);
                return NULL;
            }
            found = kinds[k];
            first_name = name;
            *value_node = yaml_document_get_node(&x->doc, pairs[i].value);
        }
    }
    if (!found) {
        char names[256];
        kind_names(kinds, names, sizeof(names));
        /* A misspelt kind key ("vidoe:") is the likely cause: name it. */
        const char *typo = NULL, *meant = NULL;
        for (size_t i = 0; i < n_pairs && !typo; i++) {
            const char *name = scalar_of(yaml_document_get_node(&x->doc, pairs[i].key));
            for (size_t k = 0; name && kinds[k]; k++) {
                if (edit_distance(name, kinds[k]->name) <= 1 + (strlen(name) > 4)) {
                    typo = name;
                    meant = kinds[k]->name;
                    break;
                }
            }
        }
        if (typo && suggest_kind) {
            err_at(x, map, path, "a %s needs one of the keys %s to say what it is (did you mean "
                                 "\"%s\" instead of \"%s\"?)", what, names, meant, typo);
        } else {
            err_at(x, map, path, "a %s needs one of the keys %s to say what it is", what, names);
        }
    }
    return found;
}

/* Extra allowed names for the kind-specific map: all kind names. */
static const char **kind_name_list(const struct cfg_kind *const *kinds)
{
    size_t n = count_kinds(kinds);
    const char **names = xcalloc(n + 1, sizeof(*names));
    for (size_t i = 0; i < n; i++) {
        names[i] = kinds[i]->name;
    }
    return names;
}

static int parse_kind_value(struct ctx *x, const yaml_node_t *vn, const struct cfg_kind *kind,
                            const char *path, char **out)
{
    struct cfg_key k = { .name = kind->name, .type = kind->value_type, .off = 0 };
    char *sub = join_path(path, kind->name);
    int rc;
    bool empty_map = vn->type == YAML_MAPPING_NODE && vn->data.mapping.pairs.top == vn->data.mapping.pairs.start;
    if (empty_map && kind->value_optional) { // NOLINT(bugprone-branch-clone): both empty forms take the default
        rc = parse_value(x, NULL, kind->value_def, &k, out, sub, 0); /* "alarms: {}" */
    } else if (is_null_scalar(vn) && !kind->value_optional) {
        err_at(x, vn, sub, "needs a value: %s", kind->value_help);
        rc = -1;
    } else if (is_null_scalar(vn)) {
        rc = parse_value(x, NULL, kind->value_def, &k, out, sub, 0);
    } else {
        rc = parse_value(x, vn, NULL, &k, out, sub, 0);
    }
    free(sub);
    return rc;
}

static void parse_sources(struct ctx *x, struct cfg *c, const yaml_node_t *n)
{
    if (!n) {
        return;
    }
    if (n->type != YAML_MAPPING_NODE) {
        if (!is_null_scalar(n)) {
            err_at(x, n, "sources", "expected a mapping of source names to sources, got %s",
                   cfg_node_what(n));
            c->sources_unreadable = true;
        }
        return;
    }
    yaml_node_pair_t *pairs = n->data.mapping.pairs.start;
    size_t n_pairs = (size_t)(n->data.mapping.pairs.top - pairs);
    c->sources = xcalloc(n_pairs, sizeof(*c->sources));
    const char **extra = kind_name_list(x->kinds->sources);
    for (size_t i = 0; i < n_pairs; i++) {
        yaml_node_t *kn = yaml_document_get_node(&x->doc, pairs[i].key);
        yaml_node_t *vn = yaml_document_get_node(&x->doc, pairs[i].value);
        const char *name = scalar_of(kn);
        if (!name) {
            err_at(x, kn, "sources", "source names must be plain names");
            continue;
        }
        char *path = xasprintf("sources.%s", name);
        if (!valid_name(name)) {
            err_at(x, kn, "sources", "source name \"%s\" may use only letters, digits, '-', '_' "
                                     "and '.' (at most 63)", name);
        }
        bool dup = false;
        for (size_t j = 0; j < c->n_sources; j++) {
            dup = dup || strcmp(c->sources[j].name, name) == 0;
        }
        if (dup) {
            /* parse_map_tables on the parent would also see it; report once here. */
            err_at(x, kn, "sources", "duplicate source \"%s\"", name);
            free(path);
            continue;
        }
        struct cfg_source *s = &c->sources[c->n_sources++];
        s->name = xstrdup(name);
        s->pos = cfg_pos_of(kn);
        if (vn->type != YAML_MAPPING_NODE) {
            /* Kept without a kind: panels using it are not "unknown". */
            err_at(x, vn, path, "expected a mapping such as { video: \"rtsp://...\" }, got %s", cfg_node_what(vn));
            free(path);
            continue;
        }
        yaml_node_t *value = NULL;
        s->kind = find_kind(x, vn, path, x->kinds->sources, "source", &value, true);
        if (s->kind) {
            parse_kind_value(x, value, s->kind, path, &s->url);
            s->opts = xcalloc(1, s->kind->opts_size);
            const struct cfg_key *empty = &(const struct cfg_key){ NULL };
            const struct cfg_key *tables[] = { cfg_source_keys(), s->kind->keys ? s->kind->keys : empty, NULL };
            void *bases[] = { s, s->opts };
            parse_map_tables(x, vn, tables, bases, path, extra, NULL, 2);
        }
        free(path);
    }
    free(extra);
}

/* ---- pages and panels --------------------------------------------------- */

static void parse_panel(struct ctx *x, struct cfg *c, struct cfg_panel *p, const yaml_node_t *n,
                        const char *path, size_t page, size_t index)
{
    p->pos = cfg_pos_of(n);
    yaml_node_t *value = NULL;
    /* Panels report a misspelt kind key as an unknown key with a hint. */
    p->kind = find_kind(x, n, path, x->kinds->panels, "panel", &value, false);
    const char **extra = kind_name_list(x->kinds->panels);
    const struct cfg_key empty[] = { { NULL } };
    const struct cfg_key *kind_keys = p->kind && p->kind->keys ? p->kind->keys : empty;
    if (p->kind) {
        p->opts = xcalloc(1, p->kind->opts_size);
        p->value_pos = cfg_pos_of(value);
        parse_kind_value(x, value, p->kind, path, &p->value);
    }
    const struct cfg_key *tables[] = { cfg_panel_keys(), kind_keys, NULL };
    void *bases[] = { p, p->opts };
    int rc = parse_map_tables(x, n, tables, bases, path, extra, NULL, 2);
    char why[256];
    if (rc == 0 && p->kind && p->kind->check && p->kind->check(p->opts, why, sizeof(why)) < 0) {
        err_at(x, n, path, "%s", why);
    }
    free(extra);
    if (!p->id || !*p->id) {
        free(p->id);
        p->id = xasprintf("p%zu.%zu", page + 1, index + 1);
    }
    (void)c;
}

static void parse_pages(struct ctx *x, struct cfg *c, const yaml_node_t *n, const yaml_node_t *root)
{
    if (!n) {
        err_at(x, root, "", "missing required key \"pages\" (the list of pages of panels)");
        return;
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        err_at(x, n, "pages", "expected a list of pages, got %s", cfg_node_what(n));
        return;
    }
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count == 0) {
        err_at(x, n, "pages", "needs at least one page");
        return;
    }
    c->pages = xcalloc(count, sizeof(*c->pages));
    for (size_t i = 0; i < count && !x->too_big; i++) {
        yaml_node_t *pn = yaml_document_get_node(&x->doc, n->data.sequence.items.start[i]);
        char *path = xasprintf("pages[%zu]", i);
        if (pn->type != YAML_MAPPING_NODE) {
            err_at(x, pn, path, "expected a page (a mapping with name and panels), got %s", cfg_node_what(pn));
            free(path);
            continue;
        }
        struct cfg_page *pg = &c->pages[c->n_pages++];
        pg->pos = cfg_pos_of(pn);
        const char *extra[] = { "panels", NULL };
        yaml_node_t *panels = NULL;
        parse_map(x, pn, cfg_page_keys(), pg, path, extra, &panels, 1);
        if (!panels || panels->type != YAML_SEQUENCE_NODE ||
            panels->data.sequence.items.top == panels->data.sequence.items.start) {
            err_at(x, panels ? panels : pn, path, "needs a non-empty list of panels under \"panels\"");
            free(path);
            continue;
        }
        size_t np = (size_t)(panels->data.sequence.items.top - panels->data.sequence.items.start);
        pg->panels = xcalloc(np, sizeof(*pg->panels));
        for (size_t j = 0; j < np && !x->too_big; j++) {
            yaml_node_t *qn = yaml_document_get_node(&x->doc, panels->data.sequence.items.start[j]);
            char *ppath = xasprintf("%s.panels[%zu]", path, j);
            if (qn->type != YAML_MAPPING_NODE) {
                err_at(x, qn, ppath, "expected a panel (a mapping such as { text: \"...\", at: [0, 0, 1, 1] }), got %s",
                       cfg_node_what(qn));
            } else {
                parse_panel(x, c, &pg->panels[pg->n_panels++], qn, ppath, i, j);
            }
            free(ppath);
        }
        free(path);
    }
}

/* ---- cross-checks ------------------------------------------------------- */

/* ---- entry points -------------------------------------------------------- */

static char *read_file(const char *path, struct cfg_errors *errs)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        add_error(errs, xasprintf("%s: cannot read: %s", path, errno_text(errno)));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len > CFG_MAX_BYTES) {
            add_error(errs, xasprintf("%s: file larger than %d MB; is it really a config?", path,
                                      CFG_MAX_BYTES >> 20));
            fclose(f);
            free(buf);
            return NULL;
        }
        if (len + 1 >= cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    fclose(f);
    buf[len] = '\0';
    /* Bytes a text file must not hold, reported where they are (libyaml
     * would say "1:1", or nothing). */
    int line = 1, col = 1;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)buf[i];
        const char *what = NULL;
        char code[32];
        size_t n = 1;
        if (c == 0) {
            what = "a NUL byte";
        } else if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
            snprintf(code, sizeof(code), "a control character (0x%02x)", c);
            what = code;
        } else if (c >= 0x80) {
            n = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
            for (size_t k = 1; n && k < n; k++) {
                if (i + k >= len || ((unsigned char)buf[i + k] & 0xc0) != 0x80) {
                    n = 0;
                }
            }
            if (!n) {
                snprintf(code, sizeof(code), "a byte that is not UTF-8 (0x%02x)", c);
                what = code;
                n = 1;
            }
        }
        if (what) {
            add_error(errs, xasprintf("%s:%d:%d: %s; save the file as UTF-8 text (a config holds no binary data)",
                                      path, line, col, what));
            free(buf);
            return NULL;
        }
        if (c == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += n;
    }
    return buf;
}

static void scrub_config(struct cfg *c);

/* Errors are collected in the order the walker meets them; technicians
 * read them top to bottom, so sort by position (stable). */
struct sorted_err {
    long line, col;
    size_t order;
    char *text;
};

static int cmp_err(const void *a, const void *b)
{
    const struct sorted_err *x = a, *y = b;
    if (x->line != y->line) {
        return x->line < y->line ? -1 : 1;
    }
    if (x->col != y->col) {
        return x->col < y->col ? -1 : 1;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

static void sort_errors(struct cfg_errors *e, size_t from, const char *file)
{
    size_t n = e->n - from, flen = strlen(file);
    struct sorted_err *v = xcalloc(n, sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        const char *t = e->lines[from + i];
        v[i].order = i;
        v[i].text = e->lines[from + i];
        /* Our own "file:line:col:" prefix, written by cfg_err_pos. */
        if (strncmp(t, file, flen) == 0 &&
            sscanf(t + flen, ":%ld:%ld:", &v[i].line, &v[i].col) == 2) { // NOLINT(cert-err34-c)
            continue;
        }
        v[i].line = v[i].col = 0;
    }
    qsort(v, n, sizeof(*v), cmp_err);
    for (size_t i = 0; i < n; i++) {
        e->lines[from + i] = v[i].text;
    }
    free(v);
}

/* libyaml's error, reworded where its own words mislead: an unclosed quote
 * is reported at the end of the file, a tab as "cannot start any token". */
/* Where (1-based) a ": #" is on line (0-based) of text or the line before
 * it (libyaml may report the next line); false when none. */
static bool unquoted_hash_at(const char *text, size_t line, struct cfg_pos *at)
{
    for (int back = 0; back < 2 && (size_t)back <= line; back++) {
        const char *p = text;
        for (size_t l = 0; l < line - (size_t)back && p; l++) {
            p = strchr(p, '\n');
            p = p ? p + 1 : NULL;
        }
        if (!p) {
            continue;
        }
        size_t ll = strcspn(p, "\n");
        for (size_t i = 1; i < ll; i++) {
            if (p[i] == '#' && (p[i - 1] == ' ' || p[i - 1] == '\t') && i >= 2 &&
                (p[i - 2] == ':' || (p[i - 2] == ' ' && i >= 3 && p[i - 3] == ':'))) {
                *at = (struct cfg_pos){ (int)(line - (size_t)back) + 1, (int)i + 1 };
                return true;
            }
        }
    }
    return false;
}

static void syntax_error(struct ctx *x, const yaml_parser_t *ps)
{
    struct cfg_pos prob = { (int)ps->problem_mark.line + 1, (int)ps->problem_mark.column + 1 };
    struct cfg_pos ctxp = { (int)ps->context_mark.line + 1, (int)ps->context_mark.column + 1 };
    const char *problem = ps->problem ? ps->problem : "unknown problem";
    const char *context = ps->context;
    const char *at = x->text;
    struct cfg_pos hash;
    if (ps->problem_mark.index < strlen(x->text)) {
        at = x->text + ps->problem_mark.index;
    }
    if (context && strstr(context, "quoted scalar")) {
        cfg_err_pos(x, ctxp, "", "YAML syntax error: this quote is never closed (%s %s)", problem, context);
    } else if (*at == '\t') {
        cfg_err_pos(x, prob, "", "YAML syntax error: tab character; YAML indents with spaces only");
    } else if (context && strstr(context, "flow") && unquoted_hash_at(x->text, ps->problem_mark.line, &hash)) {
        /* { accent: #00897b } : the # starts a comment that eats the
         * rest of the line, and the flow mapping never closes. */
        cfg_err_pos(x, hash, "", "an unquoted # starts a YAML comment, which cuts this { ... } short; quote the "
                                 "colour: accent: \"#00897b\"");
    } else if (context) {
        cfg_err_pos(x, prob, "", "YAML syntax error: %s %s (which starts at line %d, column %d)", problem,
                context, ctxp.line, ctxp.col);
    } else {
        cfg_err_pos(x, prob, "", "YAML syntax error: %s", problem);
    }
}

struct cfg *cfg_load(const char *path, const char *text, const struct cfg_kinds *kinds, struct cfg_errors *errs)
{
    size_t errs_before = errs->n;
    struct ctx x = { .file = path, .errs = errs, .kinds = kinds, .errs_before = errs_before };
    char *owned = NULL;
    if (!text) {
        owned = read_file(path, errs);
        if (!owned) {
            return NULL;
        }
        text = owned;
    }
    x.text = text;
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
    if (!yaml_parser_load(&parser, &x.doc)) {
        syntax_error(&x, &parser);
        yaml_parser_delete(&parser);
        free(owned);
        return NULL;
    }
    yaml_parser_delete(&parser);

    struct cfg *c = xcalloc(1, sizeof(*c));
    c->path = xstrdup(path);
    yaml_node_t *root = yaml_document_get_root_node(&x.doc);
    if (!root || is_null_scalar(root)) {
        cfg_err_pos(&x, (struct cfg_pos){ 1, 1 }, "", "the file is empty; start it with \"version: 1\"");
    } else if (root->type != YAML_MAPPING_NODE) {
        err_at(&x, root, "", "expected a mapping with version, wall, sources and pages at the top, got %s",
               cfg_node_what(root));
    } else {
        const char *extra[] = { "wall", "sources", "pages", NULL };
        yaml_node_t *nodes[3] = { NULL, NULL, NULL };
        parse_map(&x, root, cfg_top_keys(), c, "", extra, nodes, 0);
        if (nodes[0] && is_null_scalar(nodes[0])) {
            nodes[0] = NULL; /* "wall:" with every key commented out: all defaults */
        } else if (nodes[0] && nodes[0]->type != YAML_MAPPING_NODE) {
            err_at(&x, nodes[0], "wall", "expected a mapping of keys, got %s", cfg_node_what(nodes[0]));
            nodes[0] = NULL;
        }
        parse_map(&x, nodes[0], cfg_wall_keys(), &c->wall, "wall", NULL, NULL, 1);
        parse_sources(&x, c, nodes[1]);
        parse_pages(&x, c, nodes[2], root);
        /* Cross-checks run even after other errors, so one --check shows
         * everything; each skips what failed to parse. */
        if (!x.too_big) {
            cfg_check_semantics(&x, c);
        }
    }
    yaml_document_delete(&x.doc);
    free(owned);
    sort_errors(errs, errs_before, path);
    if (x.dropped) {
        add_error(errs, xasprintf("%s: %zu more error%s not shown; fix the ones above first", path, x.dropped,
                                  x.dropped == 1 ? "" : "s"));
    }
    if (errs->n != errs_before) {
        cfg_destroy(c);
        return NULL;
    }
    scrub_config(c);
    return c;
}

/* Display text (labels, panel text) must not show a secret even when a
 * technician pasted one there: scrub plain strings once every secret of the
 * file is known. URLs and secret fields keep their values (feeds need them). */
static void scrub_fields(const struct cfg_key *keys, void *base)
{
    for (const struct cfg_key *k = keys; k && k->name; k++) {
        char *s = k->type == CFG_STRING ? *(char **)((char *)base + k->off) : NULL;
        if (s) {
            log_scrub(s);
        } else if (k->type == CFG_MAP) {
            scrub_fields(k->sub, base);
        } else if (k->type == CFG_LIST) {
            char *items = *(char **)((char *)base + k->off);
            size_t n = *(size_t *)((char *)base + k->count_off);
            for (size_t i = 0; i < n; i++) {
                scrub_fields(k->sub, items + i * k->item_size);
            }
        }
    }
}

static void scrub_config(struct cfg *c)
{
    scrub_fields(cfg_top_keys(), c);
    for (size_t i = 0; i < c->n_sources; i++) {
        scrub_fields(c->sources[i].kind->keys, c->sources[i].opts);
    }
    for (size_t i = 0; i < c->n_pages; i++) {
        scrub_fields(cfg_page_keys(), &c->pages[i]);
        for (size_t j = 0; j < c->pages[i].n_panels; j++) {
            struct cfg_panel *p = &c->pages[i].panels[j];
            scrub_fields(cfg_panel_keys(), p);
            scrub_fields(p->kind->keys, p->opts);
            if (p->kind->value_type == CFG_STRING && !p->kind->source_kind) {
                log_scrub(p->value);
            }
        }
    }
}

static void free_fields(const struct cfg_key *keys, void *base)
{
    for (const struct cfg_key *k = keys; k && k->name; k++) {
        if (cfg_type(k->type)->owns_text) {
            free(*(char **)((char *)base + k->off));
        } else if (k->type == CFG_MAP) {
            free_fields(k->sub, base);
        } else if (k->type == CFG_LIST) {
            char *items = *(char **)((char *)base + k->off);
            size_t n = *(size_t *)((char *)base + k->count_off);
            for (size_t i = 0; i < n; i++) {
                free_fields(k->sub, items + i * k->item_size);
            }
            free(items);
        }
    }
}

void cfg_destroy(struct cfg *c)
{
    if (!c) {
        return;
    }
    for (size_t i = 0; i < c->n_sources; i++) {
        struct cfg_source *s = &c->sources[i];
        if (s->kind) {
            free_fields(s->kind->keys, s->opts);
        }
        free_fields(cfg_source_keys(), s);
        free(s->opts);
        free(s->name);
        free(s->url);
    }
    free(c->sources);
    for (size_t i = 0; i < c->n_pages; i++) {
        struct cfg_page *pg = &c->pages[i];
        for (size_t j = 0; j < pg->n_panels; j++) {
            struct cfg_panel *p = &pg->panels[j];
            if (p->kind) {
                free_fields(p->kind->keys, p->opts);
            }
            free_fields(cfg_panel_keys(), p);
            free(p->opts);
            free(p->value);
        }
        free_fields(cfg_page_keys(), pg);
        free(pg->panels);
    }
    free(c->pages);
    free_fields(cfg_top_keys(), c);
    free_fields(cfg_wall_keys(), &c->wall);
    free(c->path);
    free(c);
}

void cfg_errors_finish(struct cfg_errors *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->lines[i]);
    }
    free(e->lines);
    e->lines = NULL;
    e->n = 0;
}

void cfg_canvas_size(const struct cfg_wall *w, int *cw, int *ch)
{
    if (w->n_monitors) {
        *cw = *ch = 1;
        for (size_t i = 0; i < w->n_monitors; i++) {
            const struct cfg_monitor *m = &w->monitors[i];
            *cw = m->at[0] + m->size[0] > *cw ? m->at[0] + m->size[0] : *cw;
            *ch = m->at[1] + m->size[1] > *ch ? m->at[1] + m->size[1] : *ch;
        }
        return;
    }
    *cw = w->columns * w->size[0] + (w->columns - 1) * w->bezel[0];
    *ch = w->rows * w->size[1] + (w->rows - 1) * w->bezel[1];
}

int cfg_outputs_parse(const char *text, char items[][64], int max)
{
    if (!text || !text[0] || strcmp(text, "auto") == 0) {
        return 0;
    }
    int n = 0;
    const char *p = text;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && (*p == ' ' || *p == '\t')) {
            p++;
            len--;
        }
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) {
            len--;
        }
        if (!len || n >= max) {
            return -1;
        }
        snprintf(items[n++], 64, "%.*s", (int)(len < 63 ? len : 63), p);
        if (!end) {
            return n;
        }
        p = end + 1;
    }
}

int cfg_local_count(const struct cfg_wall *w, const char *node)
{
    if (w->n_monitors) {
        int n = 0;
        for (size_t i = 0; i < w->n_monitors; i++) {
            const char *mn = w->monitors[i].node;
            n += !mn || !mn[0] || (node && strcmp(mn, node) == 0);
        }
        return n;
    }
    return w->local[2] > 0 && w->local[3] > 0 ? w->local[2] * w->local[3] : w->columns * w->rows;
}

bool cfg_source_same(const struct cfg *ca, const struct cfg_source *a, const struct cfg *cb,
                     const struct cfg_source *b)
{
    return strcmp(a->name, b->name) == 0 && a->kind == b->kind && strcmp(a->url, b->url) == 0 &&
           cfg_fields_equal(a->kind->keys, a->opts, b->opts) &&
           ca->wall.stall_after == cb->wall.stall_after;
}

void cfg_restart_keys_changed(const struct cfg *a, const struct cfg *b, char *out, size_t outlen)
{
    if (outlen) {
        out[0] = '\0';
    }
    cfg_restart_changes(cfg_top_keys(), a, b, "", false, out, outlen);
    cfg_restart_changes(cfg_wall_keys(), &a->wall, &b->wall, "wall.", false, out, outlen);
}
