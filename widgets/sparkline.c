/* widgets/sparkline.c: a line of the slot's history over `span`, with the
 * bands as lines and the current value. Render thread only. */
#include "sparkline.h"
#include "draw.h"
#include "draw_shapes.h"
#include "../core/util.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>

READING_BAND_KEYS(sparkline_opts);

static const struct cfg_key keys[] = {
    READING_KEYS(sparkline_opts),
    { "span", CFG_DURATION, CFG_OFF(sparkline_opts, span), "10m", 10000, 86400000,
      .help = "How much history the line shows (up to a day; 1024 points, spaced out when the span needs it)." },
    { NULL },
};

/* Points drawn; spaced span / HISTORY apart (see create). */
#define HISTORY 1024

/* The panel's state: the reading first (p->priv is also read as a struct
 * reading), then the buffers the line is drawn from. */
struct sparkline {
    struct reading rd;
    struct slot_point pts[HISTORY];
    SDL_FPoint line[HISTORY];
};

static int create(struct panel *p)
{
    const struct sparkline_opts *o = p->cfg->opts;
    struct sparkline *sl = xcalloc(1, sizeof(*sl));
    /* Points spaced so that HISTORY of them cover the whole span: a day at
     * one message a second is kept decimated, not cut to 17 minutes. */
    reading_init(&sl->rd, p, &o->r, HISTORY, o->span / (HISTORY - 1));
    p->priv = sl;
    return 0;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    return reading_update(p->priv, dc);
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    struct reading *rd = p->priv;
    const struct sparkline_opts *o = p->cfg->opts;
    if (!rd->has_value || !rd->sub || !rd->sub->slot) {
        reading_draw_empty(rd, dc, box);
        return;
    }
    reading_note_drawn(rd);
    struct sparkline *sl = p->priv;
    struct slot_point *pts = sl->pts;
    SDL_FPoint *line = sl->line;
    size_t n = scene_slot_history(rd->sub->slot, pts, HISTORY);
    int small = widget_px(dc, 14);
    int lhs = text_line_height(dc->text, small, false);
    int pad = widget_px(dc, 8);
    bool stale = reading_stale(rd, dc->now_ms) || (p->source && p->info.status != SOURCE_LIVE);
    char value[96];
    reading_format(&o->r, &rd->v, dc->locale, value, sizeof(value));
    int vs = widget_px(dc, 22);
    int lhv = text_line_height(dc->text, vs, true);
    text_draw_chars(dc->text, value, vs, true, stale ? COLOR_DIM_TEXT : reading_color(rd->level, false),
                    box.x + pad, box.y + pad / 2, box.w - 2 * pad, TEXT_RIGHT);
    SDL_Rect plot = { box.x + pad, box.y + lhv + pad, box.w - 2 * pad, box.h - lhv - lhs - 2 * pad };
    if (plot.h < 8) {
        return;
    }
    double lo = o->r.min, hi = o->r.max;
    int64_t t0 = dc->now_ms - o->span;
    int m = 0;
    for (size_t i = 0; i < n; i++) {
        if (pts[i].time_ms < t0) {
            continue;
        }
        double fx = (double)(pts[i].time_ms - t0) / (double)o->span;
        double fy = (pts[i].value - lo) / (hi - lo);
        fy = fy < 0 ? 0 : fy > 1 ? 1 : fy;
        line[m++] = (SDL_FPoint){ (float)plot.x + (float)(fx * plot.w), (float)(plot.y + plot.h) - (float)(fy * plot.h) };
    }
    draw_frame(dc->r, plot, 1, 0x2a3340ffu);
    const double marks[] = { o->r.warn, o->r.alarm, o->r.warn_low, o->r.alarm_low };
    const uint32_t mcol[] = { COLOR_WARN, COLOR_ALARM, COLOR_WARN, COLOR_ALARM };
    for (int i = 0; i < 4; i++) {
        if (!isnan(marks[i]) && marks[i] > lo && marks[i] < hi) {
            int y = plot.y + plot.h - (int)((marks[i] - lo) / (hi - lo) * plot.h);
            draw_fill(dc->r, (SDL_Rect){ plot.x, y, plot.w, 1 }, (mcol[i] & 0xffffff00u) | 0x90);
        }
    }
    if (m == 1) {
        draw_disc(dc->r, line[0].x, line[0].y, 3, COLOR_TEXT);
    }
    draw_polyline(dc->r, line, m, (float)widget_px(dc, 2), stale ? COLOR_OFF : 0x4fc3f7ffu);
    char status[160];
    uint32_t scol = COLOR_DIM_TEXT;
    if (!reading_status_line(rd, dc, status, sizeof(status), &scol)) {
        char span[32];
        cfg_format_duration(o->span, span, sizeof(span));
        snprintf(status, sizeof(status), "\xe2\x88\x92%s", span);
    }
    text_draw_chars(dc->text, status, small, false, scol, box.x + pad, box.y + box.h - lhs - pad / 2,
                    box.w - 2 * pad, TEXT_LEFT);
}


/* The dump: the reading, and how many points of the history fall inside
 * the span (what the line is drawn through). */
static void describe(struct panel *p, void *obj)
{
    struct sparkline *sl = p->priv;
    const struct sparkline_opts *o = p->cfg->opts;
    int64_t now = now_ms();
    reading_describe(&sl->rd, now, obj);
    size_t n = sl->rd.sub && sl->rd.sub->slot ? scene_slot_history(sl->rd.sub->slot, sl->pts, HISTORY) : 0;
    int in_span = 0;
    for (size_t i = 0; i < n; i++) {
        in_span += sl->pts[i].time_ms >= now - o->span;
    }
    cJSON_AddNumberToObject(obj, "points", in_span);
}

static const struct widget_ops ops = {
    .kind = "sparkline", .create = create, .update = update, .draw = draw, .destroy = widget_free_priv,
    .describe = describe,
    .bad_data = reading_bad_data, .bands = reading_bands,
};

static int check(const void *opts, char *err, size_t errlen)
{
    return reading_check(&((const struct sparkline_opts *)opts)->r, err, errlen);
}

const struct cfg_kind sparkline_panel_kind = {
    .name = "sparkline",
    .value_help = "the name of an mqtt source defined under sources.",
    .value_type = CFG_STRING,
    .source_kind = "mqtt",
    .keys = keys,
    .opts_size = sizeof(struct sparkline_opts),
    .check = check,
    .impl = &ops,
};
