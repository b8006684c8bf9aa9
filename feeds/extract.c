/* feeds/extract.c: counts, groups and items from JSON lists (see
 * extract.h). Pure; any thread. */
#include "extract.h"
#include "../core/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An item member as text for comparing and showing ("" when absent). */
static void member_text(const cJSON *item, const char *name, char *out, size_t outlen)
{
    const cJSON *m = payload_member(item, name);
    if (cJSON_IsString(m)) {
        sanitize_text(m->valuestring, out, outlen);
    } else if (cJSON_IsNumber(m)) {
        snprintf(out, outlen, "%.15g", m->valuedouble);
    } else if (cJSON_IsBool(m)) {
        snprintf(out, outlen, "%s", cJSON_IsTrue(m) ? "true" : "false");
    } else {
        out[0] = '\0';
    }
}

/* Every "name=value" line of where holds for item. */
static bool matches(const cJSON *item, const char *where)
{
    const char *p = where ? where : "";
    while (*p) {
        size_t line = strcspn(p, "\n");
        const char *eq = memchr(p, '=', line);
        if (eq) {
            char name[128], want[256], got[256];
            snprintf(name, sizeof(name), "%.*s", (int)(eq - p), p);
            snprintf(want, sizeof(want), "%.*s", (int)(line - (size_t)(eq - p) - 1), eq + 1);
            member_text(item, name, got, sizeof(got));
            if (strcmp(got, want) != 0) {
                return false;
            }
        }
        p += line + (p[line] == '\n');
    }
    return true;
}

struct sort_item {
    const cJSON *item;
    char key[128];
    int index;
};

static int newest_first(const void *a, const void *b)
{
    const struct sort_item *x = a, *y = b;
    int c = strcmp(y->key, x->key); /* descending: ISO times and numbers-as-text sort newest first */
    return c ? c : x->index - y->index;
}

static int cmp_count_desc(const void *a, const void *b)
{
    const struct table_row *x = a, *y = b;
    if (x->value.num != y->value.num) {
        return x->value.num < y->value.num ? 1 : -1;
    }
    return strcmp(x->key, y->key);
}

/* EXTRACT_VALUE: the value at the path, a number when the spec wants one. */
static int eval_value(const cJSON *node, const struct extract_spec *spec, struct payload_path *path,
                      struct slot_value *out, char *err, size_t errlen)
{
    if (payload_from_json(node, path, out, err, errlen) < 0) {
        return -1;
    }
    if (spec->want_number && out->type != SLOT_NUMBER) {
        char shown[48];
        sanitize_text(out->text, shown, sizeof(shown));
        snprintf(err, errlen, "%s: expected a number, got \"%s\"", spec->path && spec->path[0] ? spec->path : "$",
                 shown);
        return -1;
    }
    if (spec->want_count) {
        /* A count is whole, not negative and not astronomical: "12.345"
         * (an Indonesian thousands separator read as a decimal point) must
         * not show as 12, nor 1e36 as a 37-digit number. */
        const char *where = spec->path && spec->path[0] ? spec->path : "$";
        double d = out->num;
        if (d < 0) {
            snprintf(err, errlen, "%s: %s is negative: a count cannot be", where, out->text);
            return -1;
        }
        if (d > 1e15) {
            snprintf(err, errlen, "%s: %s is not a plausible count (over 10^15)", where, out->text);
            return -1;
        }
        if (d != floor(d)) {
            snprintf(err, errlen, "%s: %s is not a whole number (a thousands separator? send 12345)", where,
                     out->text);
            return -1;
        }
    }
    return 0;
}

/* EXTRACT_COUNT: how many items of the list match `where`. */
static void eval_count(const cJSON *list, const struct extract_spec *spec, struct slot_value *out)
{
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, list) {
        n += matches(it, spec->where);
    }
    memset(out, 0, sizeof(*out));
    out->type = SLOT_NUMBER;
    out->num = n;
    snprintf(out->text, sizeof(out->text), "%d", n);
}

/* EXTRACT_GROUPS: the matching items counted per `group_by`, largest first;
 * counted into a scratch table of every group, then the largest kept. */
static size_t eval_groups(const cJSON *list, const struct extract_spec *spec, struct table_row *rows, size_t max)
{
    size_t cap = 64, n = 0;
    struct table_row *all = xcalloc(cap, sizeof(*all));
    const cJSON *it;
    cJSON_ArrayForEach(it, list) {
        if (!matches(it, spec->where)) {
            continue;
        }
        char g[128];
        member_text(it, spec->group_by, g, sizeof(g));
        if (!g[0]) {
            snprintf(g, sizeof(g), "(none)");
        }
        size_t i = 0;
        while (i < n && strcmp(all[i].key, g) != 0) {
            i++;
        }
        if (i == n) {
            if (n == cap) {
                cap *= 2;
                all = xrealloc(all, cap * sizeof(*all));
            }
            memset(&all[n], 0, sizeof(all[n]));
            snprintf(all[n].key, sizeof(all[n].key), "%s", g);
            all[n].value.type = SLOT_NUMBER;
            n++;
        }
        all[i].value.num += 1;
    }
    qsort(all, n, sizeof(*all), cmp_count_desc);
    for (size_t i = 0; i < n && i < max; i++) {
        rows[i] = all[i];
        snprintf(rows[i].value.text, sizeof(rows[i].value.text), "%.0f", rows[i].value.num);
    }
    free(all);
    return n < max ? n : max;
}

#define MAX_FIELDS 8

/* One list row's text: the chosen fields of item, tab-separated (empty
 * ones too, so columns stay in place). The row's room is shared: a field
 * longer than its share is cut (between characters, with "…"), the room
 * short fields leave goes to the long ones, so a long title cannot push
 * the fields after it out. */
static void item_fields(const cJSON *item, const char *fields, char *text, size_t textlen)
{
    char vals[MAX_FIELDS][192];
    size_t lens[MAX_FIELDS], caps[MAX_FIELDS];
    size_t k = 0;
    text[0] = '\0';
    const char *f = fields && fields[0] ? fields : "";
    while (*f && k < MAX_FIELDS) {
        size_t fl = strcspn(f, ",");
        char name[64], raw[192];
        snprintf(name, sizeof(name), "%.*s", (int)fl, f);
        char *nm = name;
        while (*nm == ' ') {
            nm++;
        }
        for (size_t e = strlen(nm); e > 0 && nm[e - 1] == ' '; e--) {
            nm[e - 1] = '\0';
        }
        member_text(item, nm, raw, sizeof(raw));
        sanitize_text(raw, vals[k], sizeof(vals[k]));
        lens[k] = strlen(vals[k]);
        k++;
        f += fl + (f[fl] == ',');
    }
    if (!k) {
        return;
    }
    /* Water-filling: the shortest fields take what they need, the rest
     * share what is left equally. */
    size_t budget = textlen > k ? textlen - k : 0; /* tabs and the NUL */
    bool done[MAX_FIELDS] = { false };
    for (size_t left = k; left > 0;) {
        size_t share = budget / left, placed = 0;
        for (size_t i = 0; i < k; i++) {
            if (!done[i] && lens[i] <= share) {
                caps[i] = lens[i];
                budget -= lens[i];
                done[i] = true;
                placed++;
            }
        }
        left -= placed;
        if (!placed) {
            for (size_t i = 0; i < k; i++) {
                if (!done[i]) {
                    caps[i] = share;
                    done[i] = true;
                }
            }
            left = 0;
        }
    }
    size_t len = 0;
    for (size_t i = 0; i < k; i++) {
        if (i && len + 1 < textlen) {
            text[len++] = '\t';
            text[len] = '\0';
        }
        if (lens[i] <= caps[i]) {
            memcpy(text + len, vals[i], lens[i] + 1);
            len += lens[i];
            continue;
        }
        /* Cut between characters, leaving room for the ellipsis. */
        size_t cut = caps[i] > 3 ? caps[i] - 3 : 0;
        while (cut > 0 && ((unsigned char)vals[i][cut] & 0xc0) == 0x80) {
            cut--;
        }
        memcpy(text + len, vals[i], cut);
        len += cut;
        if (caps[i] >= 3) {
            memcpy(text + len, "\xe2\x80\xa6", 3);
            len += 3;
        }
        text[len] = '\0';
    }
}

/* EXTRACT_ITEMS: the matching items, newest first by `sort_by`, at most
 * `limit`, each as its chosen fields. */
static size_t eval_items(const cJSON *list, const struct extract_spec *spec, struct table_row *rows, size_t max)
{
    int total = cJSON_GetArraySize(list);
    struct sort_item *items = xcalloc((size_t)(total > 0 ? total : 1), sizeof(*items));
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, list) {
        if (!matches(it, spec->where)) {
            continue;
        }
        items[n].item = it;
        items[n].index = n;
        if (spec->sort_by && spec->sort_by[0]) {
            member_text(it, spec->sort_by, items[n].key, sizeof(items[n].key));
        }
        n++;
    }
    if (spec->sort_by && spec->sort_by[0]) {
        qsort(items, (size_t)n, sizeof(*items), newest_first);
    }
    size_t limit = spec->limit > 0 ? (size_t)spec->limit : 10;
    size_t n_rows = 0;
    for (int i = 0; i < n && (size_t)i < limit && (size_t)i < max; i++) {
        struct table_row *r = &rows[n_rows++];
        memset(r, 0, sizeof(*r));
        snprintf(r->key, sizeof(r->key), "%04d", i);
        r->value.type = SLOT_TEXT;
        item_fields(items[i].item, spec->fields, r->value.text, sizeof(r->value.text));
    }
    free(items);
    return n_rows;
}

int extract_eval(const void *root, const struct extract_spec *spec, struct payload_path *path,
                 struct slot_value *out, struct table_row *rows, size_t max, size_t *n_rows, char *err,
                 size_t errlen)
{
    const cJSON *node = payload_walk(root, path, err, errlen);
    if (!node) {
        return -1;
    }
    if (spec->mode == EXTRACT_VALUE) {
        return eval_value(node, spec, path, out, err, errlen);
    }
    if (!cJSON_IsArray(node)) {
        snprintf(err, errlen, "%s: expected a list, got %s", spec->path && spec->path[0] ? spec->path : "$",
                 cJSON_IsObject(node) ? "an object" : cJSON_IsNull(node) ? "null" : "a single value");
        return -1;
    }
    if (spec->mode == EXTRACT_COUNT) {
        eval_count(node, spec, out);
        return 0;
    }
    *n_rows = spec->mode == EXTRACT_GROUPS ? eval_groups(node, spec, rows, max) : eval_items(node, spec, rows, max);
    return 0;
}

void extract_spec_key(const struct extract_spec *spec, char *out, size_t outlen)
{
#define OR_EMPTY(x) ((x) ? (x) : "")
    snprintf(out, outlen, "%d\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d\x1f%d%d", (int)spec->mode, OR_EMPTY(spec->path),
             OR_EMPTY(spec->where), OR_EMPTY(spec->group_by), OR_EMPTY(spec->fields), OR_EMPTY(spec->sort_by),
             spec->limit, (int)spec->want_number, (int)spec->want_count);
#undef OR_EMPTY
}
