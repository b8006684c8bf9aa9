/* widgets/lamp.c: a coloured lamp for on/off/state values. Render thread. */
#include "lamp.h"
#include "draw.h"
#include "draw_shapes.h"
#include "../core/alarms.h"
#include "../core/util.h"

#include <math.h>
#include <stdlib.h>
#include <strings.h>

READING_BAND_KEYS(lamp_opts);

static const struct cfg_key keys[] = {
    READING_KEYS_SOURCE(lamp_opts),
    READING_KEYS_RANGE_HYSTERESIS(lamp_opts),
    READING_KEYS_ALARM(lamp_opts),
    { "on_state", CFG_STRING, CFG_OFF(lamp_opts, on_state), "ON",
      .help = "For text payloads: the state that lights the lamp (case-insensitive), e.g. RUN." },
    { "on_text", CFG_STRING, CFG_OFF(lamp_opts, on_text), "", .help = "Caption when on; empty: the value." },
    { "off_text", CFG_STRING, CFG_OFF(lamp_opts, off_text), "", .help = "Caption when off; empty: the value." },
    { "on_color", CFG_COLOR, CFG_OFF(lamp_opts, on_color), "green", .help = "Lamp colour when on." },
    { "off_color", CFG_COLOR, CFG_OFF(lamp_opts, off_color), "#3a4350", .help = "Lamp colour when off." },
    { "alarm_on", CFG_BOOL, CFG_OFF(lamp_opts, alarm_on), "false", .help = "Raise an alarm while on (e.g. UPS on battery)." },
    { "alarm_off", CFG_BOOL, CFG_OFF(lamp_opts, alarm_off), "false", .help = "Raise an alarm while off (e.g. generator stopped)." },
    { NULL },
};

struct lamp {
    struct reading rd;
    int on;             /* -1 unknown */
    bool alarmed;
};

static int create(struct panel *p)
{
    const struct lamp_opts *o = p->cfg->opts;
    struct lamp *l = xcalloc(1, sizeof(*l));
    reading_init(&l->rd, p, &o->r, 0, 0);
    l->on = -1;
    p->priv = l;
    return 0;
}

static int is_on(const struct lamp_opts *o, const struct slot_value *v)
{
    switch (v->type) {
    case SLOT_BOOL:
    case SLOT_NUMBER:
        return v->num != 0;
    case SLOT_TEXT:
        return strcasecmp(v->text, o->on_state) == 0;
    default:
        return -1;
    }
}

/* What the lamp says: its caption for on/off, else the value itself. */
static const char *caption(const struct lamp_opts *o, const struct lamp *l)
{
    return l->on == 1 && o->on_text[0] ? o->on_text : l->on == 0 && o->off_text[0] ? o->off_text : l->rd.v.text;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    struct lamp *l = p->priv;
    const struct lamp_opts *o = p->cfg->opts;
    bool changed = reading_update(&l->rd, dc);
    if (l->rd.has_value) {
        l->on = is_on(o, &l->rd.v);
        bool alarm = (l->on == 1 && o->alarm_on) || (l->on == 0 && o->alarm_off);
        if (alarm && !l->alarmed && dc->alarms && o->r.alarm_ticker) {
            alarms_raise(dc->alarms, p->cfg->id, p->cfg->label[0] ? p->cfg->label : p->cfg->id,
                         caption(o, l), dc->wall_time);
        } else if (!alarm && l->alarmed && dc->alarms && o->r.alarm_ticker) {
            alarms_clear(dc->alarms, p->cfg->id);
        }
        l->alarmed = alarm;
        l->rd.level = alarm ? LEVEL_ALARM : LEVEL_NORMAL; /* what --dump-scene reports */
    }
    return changed;
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    struct lamp *l = p->priv;
    const struct lamp_opts *o = p->cfg->opts;
    if (!l->rd.has_value) {
        reading_draw_empty(&l->rd, dc, box);
        return;
    }
    reading_note_drawn(&l->rd);
    bool stale = reading_stale(&l->rd, dc->now_ms) || (p->source && p->info.status != SOURCE_LIVE);
    int small = widget_px(dc, 16);
    int lhs = text_line_height(dc->text, small, true);
    float radius = fminf((float)box.w, (float)(box.h - 2 * lhs)) * 0.32f;
    float cx = (float)box.x + (float)box.w / 2, cy = (float)box.y + (float)(box.h - 2 * lhs) / 2 + 4;
    uint32_t col = l->on == 1 ? o->on_color : o->off_color;
    if (stale) {
        col = COLOR_OFF;
    }
    if (l->alarmed && !stale) {
        draw_disc(dc->r, cx, cy, radius * 1.18f, (COLOR_ALARM & 0xffffff00u) | 0x60);
    }
    draw_disc(dc->r, cx, cy, radius, col);
    int y = (int)(cy + radius) + widget_px(dc, 6);
    text_draw(dc->text, caption(o, l), small, true, stale ? COLOR_DIM_TEXT : COLOR_TEXT, box.x + 4, y, box.w - 8,
              TEXT_CENTER);
    char status[160];
    uint32_t scol;
    if (reading_status_line(&l->rd, dc, status, sizeof(status), &scol)) {
        text_draw_chars(dc->text, status, small - 2, false, scol, box.x + 4, y + lhs, box.w - 8, TEXT_CENTER);
    }
}


static void describe(struct panel *p, void *obj)
{
    reading_describe(&((struct lamp *)p->priv)->rd, now_ms(), obj);
}

static const struct widget_ops ops = {
    .kind = "lamp", .create = create, .update = update, .draw = draw, .destroy = widget_free_priv,
    .describe = describe,
    .bad_data = reading_bad_data, .bands = reading_bands,
};

const struct cfg_kind lamp_panel_kind = {
    .name = "lamp",
    .value_help = "the name of an mqtt source defined under sources.",
    .value_type = CFG_STRING,
    .source_kind = "mqtt",
    .keys = keys,
    .opts_size = sizeof(struct lamp_opts),
    .impl = &ops,
};
