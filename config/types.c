/* config/types.c: one row per value type (text, URL, secret, integer,
 * number, boolean, duration, colour, size, cells, choice, mapping, pairs):
 * its name in the reference, how a scalar of it is parsed (with ranges),
 * how a value is written back, and whether the field owns its text. The
 * walker (config.c), the printer (print.c) and cfg_destroy go through this
 * table instead of switching on the type. Main thread (loading). */
#include "types.h"
#include "load.h"
#include "../core/log.h"
#include "../core/util.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsing --------------------------------------------------------------------- */

static int parse_int_text(const char *s, long *v)
{
    char *end;
    errno = 0;
    *v = strtol(s, &end, 10);
    return (errno || end == s || *end) ? -1 : 0;
}

static bool has_range(const struct cfg_key *k)
{
    return k->min != 0 || k->max != 0;
}

static void fmt_num(double v, char *out, size_t outlen)
{
    snprintf(out, outlen, "%.15g", v);
}

/* Range check; reports and returns -1 when out of range. */
static int check_range(struct ctx *x, const yaml_node_t *n, const char *path,
                       const struct cfg_key *k, double v, const char *shown)
{
    if (!has_range(k) || (v >= k->min && v <= k->max)) {
        return 0;
    }
    char lo[32], hi[32];
    if (k->type == CFG_DURATION) {
        cfg_format_duration((int64_t)k->min, lo, sizeof(lo));
        cfg_format_duration((int64_t)k->max, hi, sizeof(hi));
    } else {
        fmt_num(k->min, lo, sizeof(lo));
        fmt_num(k->max, hi, sizeof(hi));
    }
    if (k->min == k->max) {
        err_at(x, n, path, "must be %s, got %s", lo, shown);
    } else {
        err_at(x, n, path, "must be between %s and %s, got %s", lo, hi, shown);
    }
    return -1;
}

/* Parses a list of `count` integers (or, for sizes, "WxH") into out. */
int cfg_parse_int_list(struct ctx *x, const yaml_node_t *n, const char *path,
                          const struct cfg_key *k, int *out, int count, const char *text)
{
    const char *expect = count == 2 ? "a size: [width, height] or \"WIDTHxHEIGHT\""
                                    : "cells: [column, row, columns wide, rows high]";
    if (text) {
        /* A default in the schema, or "WxH" / "c,r,w,h" written in the file. */
        char err[160];
        int used = -1;
        if (count == 2 && strpbrk(text, "xX")) {
            if (cfg_parse_size(text, out, err, sizeof(err)) < 0) {
                goto bad_scalar;
            }
        // NOLINTNEXTLINE(cert-err34-c): %n proves the whole text was read
        } else if (count == 4 && sscanf(text, "%d ,%d ,%d ,%d %n", &out[0], &out[1], &out[2], &out[3],
                                        &used) == 4 && used > 0 && text[used] == '\0') {
            /* parsed; range-checked below */
        } else {
            goto bad_scalar;
        }
        goto check;
    bad_scalar: {
            char q[64];
            cfg_quote(text, q, sizeof(q));
            err_at(x, n, path, "expected %s, got %s", expect, q);
            return -1;
        }
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        err_at(x, n, path, "expected %s, got %s", expect, cfg_node_what(n));
        return -1;
    }
    int items = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (items != count) {
        err_at(x, n, path, "expected %s, got a list of %d item%s", expect, items,
               items == 1 ? "" : "s");
        return -1;
    }
    for (int i = 0; i < count; i++) {
        yaml_node_t *it = yaml_document_get_node(&x->doc, n->data.sequence.items.start[i]);
        long v;
        if (!it || it->type != YAML_SCALAR_NODE ||
            parse_int_text((const char *)it->data.scalar.value, &v) < 0 || v < INT32_MIN / 2 ||
            v > INT32_MAX / 2) {
            char q[64];
            cfg_quote(it && it->type == YAML_SCALAR_NODE ? (const char *)it->data.scalar.value : "",
                  q, sizeof(q));
            err_at(x, it ? it : n, path, "expected %s of whole numbers, got %s", expect,
                   it && it->type == YAML_SCALAR_NODE ? q : cfg_node_what(it ? it : n));
            return -1;
        }
        out[i] = (int)v;
    }
check:
    for (int i = 0; i < count; i++) {
        int lo = (int)k->min;
        bool empty = k->allow_empty && out[2] == 0 && out[3] == 0;
        if (count == 4 && i >= 2 && lo < 1 && !empty) {
            lo = 1; /* a panel is at least one cell */
        }
        if (has_range(k) && (out[i] < lo || out[i] > k->max)) {
            static const char *const size_names[] = { "width", "height" };
            static const char *const cell_names[] = { "column", "row", "columns wide", "rows high" };
            err_at(x, n, path, "%s must be between %d and %d, got %d",
                   count == 2 ? size_names[i] : cell_names[i], lo, (int)k->max, out[i]);
            return -1;
        }
    }
    return 0;
}



/* A scalar value's text (after ${NAME} expansion) into dst, for one type.
 * Returns 0, or -1 after reporting the error at n. text is owned by the
 * caller unless the parser sets *keep (it then owns it). */
static int parse_text(struct ctx *x, const yaml_node_t *n, const char *path, const struct cfg_key *k, void *dst,
                      char *text, const char *q, bool *keep)
{
    if (k->type == CFG_SECRET) {
        log_add_secret(text);
    }
    free(*(char **)dst);
    *(char **)dst = text;
    *keep = true;
    if (k->type != CFG_URL) {
        return 0;
    }
    url_each_secret(text, log_add_secret);
    if (n && !strstr(text, "://") && !(k->allow_empty && !*text)) {
        err_at(x, n, path, "expected a URL with a scheme (rtsp://, http://, mqtt://, ...), got %s", q);
        return -1;
    }
    return 0;
}

static int parse_int(struct ctx *x, const yaml_node_t *n, const char *path, const struct cfg_key *k, void *dst,
                     char *text, const char *q, bool *keep)
{
    (void)keep;
    long v;
    if (parse_int_text(text, &v) < 0 && errno != ERANGE) {
        err_at(x, n, path, "expected a whole number, got %s", q);
        return -1;
    }
    if (errno == ERANGE || v < INT32_MIN || v > INT32_MAX) {
        if (check_range(x, n, path, k, strtod(text, NULL), text) == 0) {
            err_at(x, n, path, "%s is too large for a whole number", text);
        }
        return -1;
    }
    if (check_range(x, n, path, k, (double)v, text) < 0) {
        return -1;
    }
    *(int *)dst = (int)v;
    return 0;
}

static int parse_double(struct ctx *x, const yaml_node_t *n, const char *path, const struct cfg_key *k, void *dst,
                        char *text, const char *q, bool *keep)
{
    (void)keep;
    if (k->allow_empty && !*text) {
        *(double *)dst = NAN; /* "not set": e.g. no alarm threshold */
        return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(v)) {
        err_at(x, n, path, "expected a number, got %s", q);
        return -1;
    }
    if (check_range(x, n, path, k, v, text) < 0) {
        return -1;
    }
    *(double *)dst = v;
    return 0;
}

static int parse_bool(struct ctx *x, const yaml_node_t *n, const char *path, const struct cfg_key *k, void *dst,
                      char *text, const char *q, bool *keep)
{
    (void)k;
    (void)keep;
    char why[256];
    if (cfg_parse_bool(text, dst, why, sizeof(why)) < 0) {
        err_at(x, n, path, "expected %s, got %s", why, q);
        return -1;
    }
    return 0;
}

static int parse_duration(struct ctx *x, const yaml_node_t *n, const char *path, const struct cfg_key *k,
                          void *dst, char *text, const char *q, bool *keep)
{
    (void)keep;
    char why[256];
    int64_t ms;
    if (cfg_parse_duration(text, &ms, why, sizeof(why)) < 0) {
        err_at(x, n, path, "expected %s, got %s", why, q);
        return -1;
    }
    if (check_range(x, n, path, k, (double)ms, text) < 0) {
        return -1;
    }
    *(int64_t *)dst = ms;
    return 0;
}

static int parse_color(struct ctx *x, const yaml_node_t *n, const char *path, const struct cfg_key *k, void *dst,
                       char *text, const char *q, bool *keep)
{
    (void)k;
    (void)keep;
    char why[256];
    if (cfg_parse_color(text, dst, why, sizeof(why)) < 0) {
        err_at(x, n, path, "expected %s, got %s", why, q);
        return -1;
    }
    return 0;
}

static int parse_enum(struct ctx *x, const yaml_node_t *n, const char *path, const struct cfg_key *k, void *dst,
                      char *text, const char *q, bool *keep)
{
    (void)keep;
    int found = -1;
    size_t len = 0;
    char list[256] = "";
    for (int i = 0; k->choices[i]; i++) {
        if (strcmp(text, k->choices[i]) == 0) {
            found = i;
        }
        len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
                                i ? (k->choices[i + 1] ? ", " : " or ") : "", k->choices[i]);
    }
    if (found < 0) {
        err_at(x, n, path, "expected one of %s, got %s", list, q);
        return -1;
    }
    *(int *)dst = found;
    return 0;
}

void cfg_put_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '$':
            /* The loader expands ${NAME}: keep a literal one literal. */
            fputs(p[1] == '{' ? "$$" : "$", out);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                fprintf(out, "\\x%02x", *p);
            } else {
                fputc(*p, out);
            }
        }
    }
    fputc('"', out);
}

/* ---- writing a value back (--print-config) --------------------------------------- */

static void print_string(FILE *out, const struct cfg_key *k, const void *src)
{
    (void)k;
    cfg_put_quoted(out, *(char *const *)src);
}

static void print_url(FILE *out, const struct cfg_key *k, const void *src)
{
    (void)k;
    char buf[256];
    redact_url(*(char *const *)src, buf, sizeof(buf));
    cfg_put_quoted(out, buf);
}

static void print_secret(FILE *out, const struct cfg_key *k, const void *src)
{
    (void)k;
    const char *s = *(char *const *)src;
    cfg_put_quoted(out, s && *s ? "***" : "");
}

static void print_int(FILE *out, const struct cfg_key *k, const void *src)
{
    (void)k;
    fprintf(out, "%d", *(const int *)src);
}

static void print_double(FILE *out, const struct cfg_key *k, const void *src)
{
    (void)k;
    if (isnan(*(const double *)src)) {
        fputs("\"\"", out); /* not set */
    } else {
        fprintf(out, "%.17g", *(const double *)src);
    }
}

static void print_bool(FILE *out, const struct cfg_key *k, const void *src)
{
    (void)k;
    fputs(*(const bool *)src ? "true" : "false", out);
}

static void print_duration(FILE *out, const struct cfg_key *k, const void *src)
{
    (void)k;
    char buf[64];
    cfg_format_duration(*(const int64_t *)src, buf, sizeof(buf));
    fputs(buf, out);
}

static void print_color(FILE *out, const struct cfg_key *k, const void *src)
{
    (void)k;
    char buf[64];
    cfg_format_color(*(const uint32_t *)src, buf, sizeof(buf));
    fprintf(out, "\"%s\"", buf);
}

static void print_size(FILE *out, const struct cfg_key *k, const void *src)
{
    (void)k;
    const int *v = src;
    fprintf(out, "[%d, %d]", v[0], v[1]);
}

static void print_cells(FILE *out, const struct cfg_key *k, const void *src)
{
    (void)k;
    const int *v = src;
    fprintf(out, "[%d, %d, %d, %d]", v[0], v[1], v[2], v[3]);
}

static void print_enum(FILE *out, const struct cfg_key *k, const void *src)
{
    fputs(k->choices[*(const int *)src], out);
}

/* { name: "value", ... }; values that look like secrets are hidden. */
static void print_pairs(FILE *out, const struct cfg_key *k, const void *src)
{
    (void)k;
    const char *p = *(char *const *)src;
    fputc('{', out);
    bool first = true;
    while (p && *p) {
        size_t line = strcspn(p, "\n");
        const char *eq = memchr(p, '=', line);
        char name[128], value[512];
        snprintf(name, sizeof(name), "%.*s", (int)(eq ? eq - p : (long)line), p);
        snprintf(value, sizeof(value), "%.*s", eq ? (int)(line - (size_t)(eq - p) - 1) : 0, eq ? eq + 1 : "");
        bool secret = strcasestr(name, "auth") || strcasestr(name, "token") || strcasestr(name, "key") ||
                      strcasestr(name, "secret") || strcasestr(name, "pass") || strcasestr(name, "cookie");
        fprintf(out, "%s %s: ", first ? "" : ",", name);
        cfg_put_quoted(out, secret ? "***" : value);
        first = false;
        p += line + (p[line] == '\n');
    }
    fputs(first ? "}" : " }", out);
}

/* ---- the table ------------------------------------------------------------------ */

static const struct cfg_type_ops types[] = {
    [CFG_STRING] = { "text", parse_text, print_string, true, sizeof(char *) },
    [CFG_URL] = { "URL", parse_text, print_url, true, sizeof(char *) },
    [CFG_SECRET] = { "secret", parse_text, print_secret, true, sizeof(char *) },
    [CFG_INT] = { "integer", parse_int, print_int, false, sizeof(int) },
    [CFG_DOUBLE] = { "number", parse_double, print_double, false, sizeof(double) },
    [CFG_BOOL] = { "boolean", parse_bool, print_bool, false, sizeof(bool) },
    [CFG_DURATION] = { "duration", parse_duration, print_duration, false, sizeof(int64_t) },
    [CFG_COLOR] = { "colour", parse_color, print_color, false, sizeof(uint32_t) },
    [CFG_SIZE] = { "size", NULL, print_size, false, 2 * sizeof(int) },
    [CFG_CELLS] = { "cells", NULL, print_cells, false, 4 * sizeof(int) },
    [CFG_ENUM] = { "choice", parse_enum, print_enum, false, sizeof(int) },
    [CFG_MAP] = { "mapping", NULL, NULL, false },
    [CFG_PAIRS] = { "mapping", NULL, print_pairs, true, sizeof(char *) },
    [CFG_LIST] = { "list", NULL, NULL, false, 0 },
};

const struct cfg_type_ops *cfg_type(enum cfg_type t)
{
    static const struct cfg_type_ops unknown = { "?", NULL, NULL, false, 0 };
    return (size_t)t < sizeof(types) / sizeof(types[0]) && types[t].name ? &types[t] : &unknown;
}

/* ---- comparing two loaded values (hot reload) ------------------------------------ */

static bool key_equal(const struct cfg_key *k, const void *a, const void *b)
{
    if (k->type == CFG_MAP) {
        return cfg_fields_equal(k->sub, a, b);
    }
    if (k->type == CFG_LIST) {
        size_t na, nb;
        const char *ia, *ib;
        memcpy(&na, (const char *)a + k->count_off, sizeof(na));
        memcpy(&nb, (const char *)b + k->count_off, sizeof(nb));
        memcpy(&ia, (const char *)a + k->off, sizeof(ia));
        memcpy(&ib, (const char *)b + k->off, sizeof(ib));
        for (size_t i = 0; na == nb && i < na; i++) {
            if (!cfg_fields_equal(k->sub, ia + i * k->item_size, ib + i * k->item_size)) {
                return false;
            }
        }
        return na == nb;
    }
    const struct cfg_type_ops *t = cfg_type(k->type);
    const char *fa = (const char *)a + k->off, *fb = (const char *)b + k->off;
    if (t->owns_text) {
        const char *sa, *sb;
        memcpy(&sa, fa, sizeof(sa));
        memcpy(&sb, fb, sizeof(sb));
        return strcmp(sa ? sa : "", sb ? sb : "") == 0;
    }
    if (k->type == CFG_DOUBLE) {
        double da, db;
        memcpy(&da, fa, sizeof(da));
        memcpy(&db, fb, sizeof(db));
        return (isnan(da) && isnan(db)) || da == db;
    }
    return memcmp(fa, fb, t->size) == 0;
}

bool cfg_fields_equal(const struct cfg_key *keys, const void *a, const void *b)
{
    for (const struct cfg_key *k = keys; k && k->name; k++) {
        if (!key_equal(k, a, b)) {
            return false;
        }
    }
    return true;
}

void cfg_restart_changes(const struct cfg_key *keys, const void *a, const void *b, const char *prefix,
                         bool inherited, char *out, size_t outlen)
{
    for (const struct cfg_key *k = keys; k && k->name; k++) {
        if (k->type == CFG_MAP) {
            char sub[96];
            snprintf(sub, sizeof(sub), "%s%s.", prefix, k->name);
            cfg_restart_changes(k->sub, a, b, sub, inherited || k->restart, out, outlen);
        } else if ((inherited || k->restart) && !key_equal(k, a, b)) {
            size_t len = strlen(out);
            if (len < outlen) {
                snprintf(out + len, outlen - len, "%s%s%s", len ? ", " : "", prefix, k->name);
            }
        }
    }
}
