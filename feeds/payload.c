/* feeds/payload.c: payload -> slot value (see payload.h). Any thread. */
#include "payload.h"
#include "../core/util.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_STEPS 16

struct step {
    char *key;      /* object member, or NULL for an index */
    int index;
};

struct payload_path {
    struct step steps[MAX_STEPS];
    int n;
    char *expr;
};

struct payload_path *payload_path_compile(const char *expr, char *err, size_t errlen)
{
    struct payload_path *p = xcalloc(1, sizeof(*p));
    p->expr = xstrdup(expr ? expr : "");
    const char *s = p->expr;
    if (s[0] == '$') {
        s++;
    }
    while (*s) {
        if (p->n == MAX_STEPS) {
            snprintf(err, errlen, "path \"%s\" is deeper than %d steps", expr, MAX_STEPS);
            goto fail;
        }
        if (*s == '.') {
            s++;
            size_t len = strcspn(s, ".[");
            if (len == 0) {
                snprintf(err, errlen, "path \"%s\": empty name after '.'", expr);
                goto fail;
            }
            if (memchr(s, ']', len)) {
                snprintf(err, errlen, "path \"%s\": ']' without '['", expr);
                goto fail;
            }
            p->steps[p->n].key = xstrndup(s, len);
            p->n++;
            s += len;
        } else if (*s == '[') {
            char *end;
            errno = 0;
            long idx = strtol(s + 1, &end, 10);
            if (errno || end == s + 1 || *end != ']' || idx < 0 || idx > 1000000) {
                snprintf(err, errlen, "path \"%s\": expected [index] with a number from 0", expr);
                goto fail;
            }
            p->steps[p->n].index = (int)idx;
            p->n++;
            s = end + 1;
        } else if (p->n == 0 && s == p->expr) {
            /* "a.b" without "$.": read as "$.a.b" */
            size_t len = strcspn(s, ".[");
            p->steps[p->n].key = xstrndup(s, len);
            p->n++;
            s += len;
        } else {
            snprintf(err, errlen, "path \"%s\": expected '.name' or '[index]' at \"%s\"", expr, s);
            goto fail;
        }
    }
    return p;
fail:
    payload_path_free(p);
    return NULL;
}

void payload_path_free(struct payload_path *p)
{
    if (!p) {
        return;
    }
    for (int i = 0; i < p->n; i++) {
        free(p->steps[i].key);
    }
    free(p->expr);
    free(p);
}

bool payload_path_is_root(const struct payload_path *p)
{
    return !p || p->n == 0;
}

static bool valid_utf8(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 2, cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 3, cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 4, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n > len) {
            return false;
        }
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        static const unsigned min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return false;
        }
        i += n;
    }
    return true;
}

bool payload_is_text(const char *data, size_t len)
{
    return len > 0 && len <= PAYLOAD_MAX && valid_utf8((const unsigned char *)data, len) && !memchr(data, '\0', len);
}

/* A number written as text: the whole string, finite. */
static int parse_number(const char *s, double *v, bool *not_finite)
{
    char *end;
    errno = 0;
    *not_finite = false;
    if (strpbrk(s, "xXpP")) {
        return -1; /* no hexadecimal floats: "0x1A" is a text, not 26 */
    }
    double d = strtod(s, &end);
    if (end == s) {
        return -1;
    }
    while (isspace((unsigned char)*end)) {
        end++;
    }
    if (*end) {
        return -1;
    }
    if (!isfinite(d) || (errno == ERANGE && fabs(d) > 1.0)) {
        *not_finite = true; /* underflow (1e-400) is just 0 */
        return -1;
    }
    *v = d;
    return 0;
}

static int parse_bool_word(const char *s, bool *b)
{
    static const char *const on[] = { "true", "on", "yes" };
    static const char *const off[] = { "false", "off", "no" };
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(s, on[i]) == 0) {
            *b = true;
            return 0;
        }
        if (strcasecmp(s, off[i]) == 0) {
            *b = false;
            return 0;
        }
    }
    return -1;
}

/* Digits with a comma among them (and maybe points and spaces): a number
 * in a human's format ("412,5", "12.345,6", "1 234"), which no machine
 * should send and which must not pass as a text state. */
static bool human_number(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    bool digit = false, comma = false, space = false;
    for (; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            digit = true;
        } else if (*p == ',') {
            comma = true;
        } else if (*p == ' ') {
            space = true;
        } else if (*p != '.') {
            return false;
        }
    }
    return digit && (comma || space) && isdigit((unsigned char)s[strlen(s) - 1]);
}

/* A scalar text (plain payload or JSON string) -> value. */
static int from_text(const char *s, struct slot_value *out, char *err, size_t errlen)
{
    bool b, inf;
    double d;
    if (human_number(s)) {
        char shown[40];
        sanitize_text(s, shown, sizeof(shown));
        snprintf(err, errlen, "\"%s\": send numbers with a decimal point, no separators (412.5)", shown);
        return -1;
    }
    if (parse_number(s, &d, &inf) == 0) {
        out->type = SLOT_NUMBER;
        out->num = d;
        snprintf(out->text, sizeof(out->text), "%.15g", d);
        return 0;
    }
    if (inf) {
        snprintf(err, errlen, "not a finite number");
        return -1;
    }
    if (parse_bool_word(s, &b) == 0) {
        out->type = SLOT_BOOL;
        out->num = b;
        snprintf(out->text, sizeof(out->text), "%s", b ? "on" : "off");
        return 0;
    }
    if (!*s) {
        snprintf(err, errlen, "empty payload");
        return -1;
    }
    out->type = SLOT_TEXT;
    out->num = 0;
    sanitize_text(s, out->text, sizeof(out->text));
    return 0;
}

static int from_json(const cJSON *j, struct slot_value *out, const char *where, char *err, size_t errlen)
{
    if (cJSON_IsNumber(j)) {
        if (!isfinite(j->valuedouble)) {
            snprintf(err, errlen, "%s: not a finite number", where);
            return -1;
        }
        out->type = SLOT_NUMBER;
        out->num = j->valuedouble;
        snprintf(out->text, sizeof(out->text), "%.15g", j->valuedouble);
        return 0;
    }
    if (cJSON_IsBool(j)) {
        out->type = SLOT_BOOL;
        out->num = cJSON_IsTrue(j);
        snprintf(out->text, sizeof(out->text), "%s", out->num ? "on" : "off");
        return 0;
    }
    if (cJSON_IsString(j)) {
        if (from_text(j->valuestring, out, err, errlen) < 0) {
            char why[128];
            snprintf(why, sizeof(why), "%s", err);
            snprintf(err, errlen, "%s: %s", where, why);
            return -1;
        }
        return 0;
    }
    snprintf(err, errlen, "%s: expected a number, boolean or text, got %s", where,
             cJSON_IsNull(j) ? "null" : cJSON_IsArray(j) ? "a list" : cJSON_IsObject(j) ? "an object" : "something else");
    return -1;
}

const void *payload_member(const void *obj_v, const char *key)
{
    const cJSON *obj = obj_v, *found = NULL;
    if (!cJSON_IsObject(obj)) {
        return NULL;
    }
    /* A key given twice: the last one, as JavaScript, Python and most JSON
     * parsers read it (cJSON's lookup would take the first). */
    for (const cJSON *it = obj->child; it; it = it->next) {
        if (it->string && strcmp(it->string, key) == 0) {
            found = it;
        }
    }
    return found;
}

const void *payload_walk(const void *root_v, const struct payload_path *path, char *err, size_t errlen)
{
    const cJSON *j = root_v, *prev = root_v;
    char where[160] = "$";
    size_t wl = 1;
    for (int i = 0; path && i < path->n; i++) {
        const struct step *st = &path->steps[i];
        if (st->key) {
            wl += (size_t)snprintf(where + wl, wl < sizeof(where) ? sizeof(where) - wl : 0, ".%s", st->key);
            j = payload_member(j, st->key);
        } else {
            wl += (size_t)snprintf(where + wl, wl < sizeof(where) ? sizeof(where) - wl : 0, "[%d]", st->index);
            j = cJSON_IsArray(j) ? cJSON_GetArrayItem(j, st->index) : NULL;
        }
        if (!j) {
            /* Say what is there: the keys of the object the step looked in
             * (a typo in the path shows at once), or the list's length. */
            const cJSON *in = i == 0 ? root_v : prev;
            if (st->key && cJSON_IsObject(in)) {
                char keys[160] = "";
                size_t kl = 0;
                int count = 0;
                for (const cJSON *it = ((const cJSON *)in)->child; it && kl < sizeof(keys) - 8; it = it->next) {
                    kl += (size_t)snprintf(keys + kl, sizeof(keys) - kl, "%s%s", count ? ", " : "", it->string);
                    count++;
                }
                if (kl >= sizeof(keys) - 8) {
                    snprintf(keys + sizeof(keys) - 8, 8, ", ...");
                }
                snprintf(err, errlen, "%s: missing in the payload (it has %s)", where, count ? keys : "no keys");
            } else if (!st->key && cJSON_IsArray(in)) {
                snprintf(err, errlen, "%s: missing in the payload (the list has only %d)", where, cJSON_GetArraySize(in));
            } else {
                const char *what = cJSON_IsArray(in) ? "a list" : cJSON_IsObject(in) ? "an object"
                                 : cJSON_IsNumber(in) ? "a number" : cJSON_IsString(in) ? "a text"
                                 : cJSON_IsBool(in) ? "a boolean" : "null";
                snprintf(err, errlen, "%s: missing in the payload (what is before it is %s, not %s)", where, what,
                         st->key ? "an object" : "a list");
            }
            return NULL;
        }
        prev = j;
    }
    return j;
}

int payload_from_json(const void *node, const struct payload_path *path, struct slot_value *out, char *err,
                      size_t errlen)
{
    memset(out, 0, sizeof(*out));
    return from_json(node, out, path && path->expr[0] ? path->expr : "$", err, errlen);
}

int payload_extract(const char *data, size_t len, const struct payload_path *path,
                    struct slot_value *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (len > PAYLOAD_MAX) {
        snprintf(err, errlen, "payload of %zu bytes is over the %d KB limit", len, (int)(PAYLOAD_MAX / 1024));
        return -1;
    }
    if (!valid_utf8((const unsigned char *)data, len) || memchr(data, '\0', len)) {
        snprintf(err, errlen, "payload is not valid UTF-8 text");
        return -1;
    }
    char *text = xstrndup(data, len);
    int rc = -1;
    /* A byte-order mark some Windows tools put first is no part of the
     * value (a JSON payload with one is still JSON). Then trim. */
    char *s = text;
    if ((unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb && (unsigned char)s[2] == 0xbf) {
        s += 3;
    }
    while (isspace((unsigned char)*s)) {
        s++;
    }
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) {
        s[--n] = '\0';
    }
    bool jsonish = s[0] == '{' || s[0] == '[' || s[0] == '"';
    if (payload_path_is_root(path) && !jsonish) {
        rc = from_text(s, out, err, errlen);
        goto out;
    }
    cJSON *root = cJSON_ParseWithLength(s, n);
    if (!root) {
        snprintf(err, errlen, "payload is not valid JSON%s", payload_path_is_root(path) ? "" : " (a path is set)");
        goto out;
    }
    const cJSON *j = payload_walk(root, path, err, errlen);
    if (!j) {
        cJSON_Delete(root);
        goto out;
    }
    char where[160];
    snprintf(where, sizeof(where), "%s", path && path->expr[0] ? path->expr : "$");
    rc = from_json(j, out, where, err, errlen);
    cJSON_Delete(root);
out:
    free(text);
    return rc;
}
