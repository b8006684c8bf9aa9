/* widgets/table.c: a topic table. Render thread only. Rows come sorted by
 * topic from the scene; each row keeps its own band state. */
#include "table.h"
#include "draw.h"
#include "status.h"
#include "../core/i18n.h"
#include "../core/util.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

READING_BAND_KEYS(table_opts);

static const struct cfg_key keys[] = {
    READING_KEYS_SOURCE(table_opts),
    READING_KEYS_FORMAT(table_opts),
    READING_KEYS_RANGE_HYSTERESIS(table_opts),
    READING_KEYS_COLOUR(table_opts),
    { "rows", CFG_INT, CFG_OFF(table_opts, rows), "64", 1, 256,
      .help = "Most topics kept (in topic order); more are counted as \"+N more\"." },
    { NULL },
};

struct table {
    const struct scene_sub *sub;
    struct table_row *rows;
    enum level *levels;
    size_t n;
    uint64_t seq, overflow;
    int64_t shown_second;
};

static int check(const void *opts, char *err, size_t errlen)
{
    const struct table_opts *o = opts;
    if (!strpbrk(o->r.topic, "+#")) {
        snprintf(err, errlen, "topic: a table lists the topics matching a wildcard; use + or #, "
                              "e.g. \"parkir/+/occupancy\" (for one topic use a value panel)");
        return -1;
    }
    return reading_check(&o->r, err, errlen);
}

static int create(struct panel *p)
{
    const struct table_opts *o = p->cfg->opts;
    struct table *t = xcalloc(1, sizeof(*t));
    t->rows = xcalloc((size_t)o->rows, sizeof(*t->rows));
    t->levels = xcalloc((size_t)o->rows, sizeof(*t->levels));
    t->shown_second = -1;
    if (p->source) {
        t->sub = scene_sub_add(p->source, o->r.topic, o->r.value, o->r.qos, (size_t)o->rows);
    }
    p->priv = t;
    return 0;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    struct table *t = p->priv;
    const struct table_opts *o = p->cfg->opts;
    bool changed = widget_poll_source(p);
    if (t->sub && t->sub->table && scene_table_seq(t->sub->table) != t->seq) {
        t->seq = scene_table_seq(t->sub->table);
        /* Rows only get inserted in key order, so old levels are matched by key. */
        static struct table_row fresh[256];
        enum level old[256];
        size_t n = scene_table_read(t->sub->table, fresh, (size_t)o->rows, &t->overflow);
        for (size_t i = 0; i < n; i++) {
            old[i] = LEVEL_NORMAL;
            for (size_t j = 0; j < t->n; j++) {
                if (strcmp(t->rows[j].key, fresh[i].key) == 0) {
                    old[i] = t->levels[j];
                    break;
                }
            }
            old[i] = reading_row_level(&o->r, old[i], &fresh[i].value);
        }
        memcpy(t->rows, fresh, n * sizeof(*fresh));
        memcpy(t->levels, old, n * sizeof(*old));
        t->n = n;
        changed = true;
    }
    if (t->n && t->shown_second != dc->wall_time) {
        t->shown_second = dc->wall_time; /* ages tick */
        changed = true;
    }
    return changed;
}

/* The part of topic matched by the filter's wildcards, e.g. "mall-ska" for
 * parkir/+/occupancy and parkir/mall-ska/occupancy. */
static void row_name(const char *filter, const char *topic, char *out, size_t outlen)
{
    size_t len = 0;
    out[0] = '\0';
    const char *f = filter, *t = topic;
    while (*f && *t) {
        size_t fl = strcspn(f, "/"), tl = strcspn(t, "/");
        if ((fl == 1 && f[0] == '+') || (fl == 1 && f[0] == '#')) {
            size_t take = f[0] == '#' ? strlen(t) : tl;
            len += (size_t)snprintf(out + len, len < outlen ? outlen - len : 0, "%s%.*s", len ? "/" : "",
                                    (int)take, t);
            if (f[0] == '#') {
                break;
            }
        }
        f += fl + (f[fl] == '/');
        t += tl + (t[tl] == '/');
    }
    if (!out[0]) {
        snprintf(out, outlen, "%s", topic);
    }
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    struct table *t = p->priv;
    const struct table_opts *o = p->cfg->opts;
    if (t->n == 0) {
        status_draw_waiting(dc, box, &p->info, o->r.topic, 0);
        return;
    }
    bool offline = p->source && p->info.status != SOURCE_LIVE;
    int pad = widget_px(dc, 8);
    /* The rows (and a "+N more" and "offline" line) fill the panel. */
    int fs = widget_rows_px(dc, box.h - pad, (int)t->n + (t->overflow > 0) + offline);
    p->text_px = fs;
    int lh = text_line_height(dc->text, fs, false) + fs / 8;
    int max_rows = (box.h - pad) / lh;
    int shown = (int)t->n;
    bool more = t->overflow > 0 || shown > max_rows;
    if (shown > max_rows) {
        shown = max_rows - 1 > 0 ? max_rows - 1 : 0;
    }
    int name_w = box.w * 45 / 100, val_w = box.w * 32 / 100;
    int y = box.y + pad / 2;
    for (int i = 0; i < shown; i++) {
        const struct table_row *r = &t->rows[i];
        bool stale = offline || (r->value.type != SLOT_EMPTY && dc->now_ms - r->value.time_ms > o->r.stale_after);
        /* The latest payload was bad: the old value stays, marked. */
        bool bad_latest = r->value.type != SLOT_EMPTY && r->value.errors && r->value.error_ms > r->value.time_ms;
        uint32_t dot = r->value.type == SLOT_EMPTY || bad_latest ? COLOR_WARN : reading_color(t->levels[i], stale);
        if (i % 2) {
            draw_fill(dc->r, (SDL_Rect){ box.x, y, box.w, lh }, 0x1b222bff);
        }
        draw_fill(dc->r, (SDL_Rect){ box.x + pad / 2, y + lh / 3, lh / 3, lh / 3 }, dot);
        char name[128], value[96], age[32];
        row_name(o->r.topic, r->key, name, sizeof(name));
        if (r->value.type == SLOT_EMPTY) {
            tr_reason(dc->locale, r->value.error, value, sizeof(value));
        } else {
            reading_format(&o->r, &r->value, dc->locale, value, sizeof(value));
        }
        format_age(dc->now_ms - (r->value.type == SLOT_EMPTY ? r->value.error_ms : r->value.time_ms), age, sizeof(age));
        uint32_t tc = stale ? COLOR_DIM_TEXT : COLOR_TEXT;
        if (bad_latest) {
            char kept[sizeof(value)];
            snprintf(kept, sizeof(kept), "%s", value);
            snprintf(value, sizeof(value), "\xe2\x9a\xa0 %.*s", (int)sizeof(value) - 5, kept); /* "⚠ " + kept value */
        }
        text_draw(dc->text, name, fs, false, tc, box.x + pad / 2 + lh / 2, y, name_w - lh, TEXT_LEFT);
        text_draw(dc->text, value, fs, true, bad_latest ? COLOR_WARN : tc, box.x + name_w, y, val_w, TEXT_RIGHT);
        text_draw_chars(dc->text, age, fs, false, COLOR_DIM_TEXT, box.x + name_w + val_w, y,
                        box.w - name_w - val_w - pad, TEXT_RIGHT);
        y += lh;
    }
    if (offline) {
        char age[32], line[64];
        format_age(dc->now_ms - p->info.status_since_ms, age, sizeof(age));
        snprintf(line, sizeof(line), "%s \xc2\xb7 %s", tr(dc->locale, TR_OFFLINE), age);
        text_draw_chars(dc->text, line, fs, true, COLOR_ALARM, box.x + pad, box.y + box.h - lh, box.w - 2 * pad,
                        TEXT_RIGHT);
    }
    if (more) {
        char line[64];
        snprintf(line, sizeof(line), "+%llu %s", (unsigned long long)t->n - (unsigned long long)shown + (unsigned long long)t->overflow,
                 tr(dc->locale, TR_MORE));
        /* composed from cached characters: the count may change often */
        text_draw_chars(dc->text, line, fs, false, COLOR_DIM_TEXT, box.x + pad, y, box.w - 2 * pad, TEXT_LEFT);
    }
}

static void destroy(struct panel *p)
{
    struct table *t = p->priv;
    free(t->rows);
    free(t->levels);
    free(t);
    p->priv = NULL;
}

static void describe(struct panel *p, void *obj)
{
    struct table *t = p->priv;
    const struct table_opts *o = p->cfg->opts;
    static const char *const levels[] = { "normal", "warn", "alarm" };
    cJSON *rows = cJSON_AddArrayToObject(obj, "rows");
    for (size_t i = 0; i < t->n; i++) {
        cJSON *r = cJSON_CreateObject();
        char name[128], value[96];
        row_name(o->r.topic, t->rows[i].key, name, sizeof(name));
        reading_format(&o->r, &t->rows[i].value, 0, value, sizeof(value));
        cJSON_AddStringToObject(r, "topic", t->rows[i].key);
        cJSON_AddStringToObject(r, "name", name);
        cJSON_AddStringToObject(r, "value", t->rows[i].value.type == SLOT_EMPTY ? "" : value);
        cJSON_AddStringToObject(r, "level", levels[t->levels[i]]);
        cJSON_AddNumberToObject(r, "errors", (double)t->rows[i].value.errors);
        cJSON_AddBoolToObject(r, "bad_latest", t->rows[i].value.type != SLOT_EMPTY && t->rows[i].value.errors &&
                                                   t->rows[i].value.error_ms > t->rows[i].value.time_ms);
        cJSON_AddItemToArray(rows, r);
    }
    cJSON_AddNumberToObject(obj, "overflow", (double)t->overflow);
}

static const struct widget_ops ops = {
    .kind = "table", .create = create, .update = update, .draw = draw, .destroy = destroy,
    .describe = describe,
};

const struct cfg_kind table_panel_kind = {
    .name = "table",
    .value_help = "the name of an mqtt source defined under sources.",
    .value_type = CFG_STRING,
    .source_kind = "mqtt",
    .keys = keys,
    .opts_size = sizeof(struct table_opts),
    .check = check,
    .impl = &ops,
};
