/* widgets/number.c: big number + unit + trend arrow. Render thread only. */
#include "number.h"
#include "draw.h"
#include "../core/util.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>

READING_BAND_KEYS(number_opts);

static const struct cfg_key keys[] = {
    READING_KEYS_SOURCE(number_opts),
    READING_KEYS_FORMAT(number_opts),
    READING_KEYS_RANGE_HYSTERESIS(number_opts),
    READING_KEYS_ALARM(number_opts),
    { "trend", CFG_DURATION, CFG_OFF(number_opts, trend), "5m", 1000, 86400000,
      .help = "The arrow compares the value with the one this long ago (up, down or steady)." },
    { NULL },
};

#define HISTORY 512

/* The panel's state: the reading first (p->priv is also read as a struct
 * reading), then the history copied out for the trend. */
struct number {
    struct reading rd;
    struct slot_point pts[HISTORY];
};

static int create(struct panel *p)
{
    const struct number_opts *o = p->cfg->opts;
    struct number *nb = xcalloc(1, sizeof(*nb));
    /* Spaced so that the history reaches back at least `trend`. */
    reading_init(&nb->rd, p, &o->r, HISTORY, o->trend / (HISTORY / 2));
    p->priv = nb;
    return 0;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    return reading_update(p->priv, dc);
}

/* +1 rising, -1 falling, 0 steady (within the hysteresis), 2 unknown. */
static int trend(struct number *nb, const struct number_opts *o, int64_t now)
{
    struct reading *rd = &nb->rd;
    if (!rd->sub || !rd->sub->slot || rd->v.type != SLOT_NUMBER) {
        return 2;
    }
    struct slot_point *pts = nb->pts;
    size_t n = scene_slot_history(rd->sub->slot, pts, HISTORY);
    const struct slot_point *ref = NULL;
    for (size_t i = 0; i < n; i++) {
        if (pts[i].time_ms <= now - o->trend) {
            ref = &pts[i]; /* the newest point at least `trend` old */
        }
    }
    if (!ref && n > 1) {
        ref = &pts[0];
    }
    if (!ref) {
        return 2;
    }
    double d = rd->v.num - ref->value, h = reading_hysteresis(&o->r);
    return d > h ? 1 : d < -h ? -1 : 0;
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    struct reading *rd = p->priv;
    const struct number_opts *o = p->cfg->opts;
    if (!rd->has_value) {
        reading_draw_empty(rd, dc, box);
        return;
    }
    reading_note_drawn(rd);
    bool stale = reading_stale(rd, dc->now_ms) || (p->source && p->info.status != SOURCE_LIVE);
    char value[96];
    struct slot_value v = rd->v;
    const char *unit = o->r.unit;
    if (v.type == SLOT_NUMBER) {
        struct reading_cfg plain = o->r;
        plain.unit = "";
        reading_format(&plain, &v, dc->locale, value, sizeof(value));
    } else {
        reading_format(&o->r, &v, dc->locale, value, sizeof(value));
        unit = "";
    }
    int big = (int)fminf((float)box.h * 0.42f, (float)box.w / (0.62f * (float)(strlen(value) + 2)));
    int small = widget_px(dc, 15);
    int lh = text_line_height(dc->text, big, true), lhs = text_line_height(dc->text, small, false);
    int y = box.y + (box.h - lh - lhs) / 2;
    uint32_t col = stale ? COLOR_DIM_TEXT : rd->level == LEVEL_NORMAL ? COLOR_TEXT : reading_color(rd->level, false);
    static const char *const arrows[] = { "\xe2\x86\x93", "\xe2\x86\x92", "\xe2\x86\x91" }; /* ↓ → ↑ */
    int t = trend(p->priv, o, dc->now_ms);
    char line[160];
    snprintf(line, sizeof(line), "%s%s%s", value, t == 2 ? "" : " ", t == 2 ? "" : arrows[t + 1]);
    text_draw_chars(dc->text, line, big, true, col, box.x, y, box.w, TEXT_CENTER);
    char status[160];
    uint32_t scol = COLOR_DIM_TEXT;
    if (!reading_status_line(rd, dc, status, sizeof(status), &scol)) {
        snprintf(status, sizeof(status), "%s", unit);
    }
    text_draw_chars(dc->text, status, small, false, scol, box.x, y + lh, box.w, TEXT_CENTER);
}


static void describe(struct panel *p, void *obj)
{
    static const char *const trends[] = { "falling", "steady", "rising", "unknown" };
    reading_describe(p->priv, now_ms(), obj);
    int t = trend(p->priv, p->cfg->opts, now_ms());
    cJSON_AddStringToObject(obj, "trend", trends[t == 2 ? 3 : t + 1]);
}

static const struct widget_ops ops = {
    .kind = "number", .create = create, .update = update, .draw = draw, .destroy = widget_free_priv,
    .describe = describe,
    .bad_data = reading_bad_data, .bands = reading_bands,
};

static int check(const void *opts, char *err, size_t errlen)
{
    return reading_check(&((const struct number_opts *)opts)->r, err, errlen);
}

const struct cfg_kind number_panel_kind = {
    .name = "number",
    .value_help = "the name of an mqtt source defined under sources.",
    .value_type = CFG_STRING,
    .source_kind = "mqtt",
    .keys = keys,
    .opts_size = sizeof(struct number_opts),
    .check = check,
    .impl = &ops,
};
