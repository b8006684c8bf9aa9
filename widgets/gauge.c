/* widgets/gauge.c: radial or bar gauge. Render thread only. */
#include "gauge.h"
#include "draw.h"
#include "draw_shapes.h"
#include "../core/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

READING_BAND_KEYS(gauge_opts);
static const char *const styles[] = { "radial", "bar", NULL };

static const struct cfg_key keys[] = {
    READING_KEYS(gauge_opts),
    { "style", CFG_ENUM, CFG_OFF(gauge_opts, style), "radial", .choices = styles,
      .help = "radial (a 270-degree dial) or bar (a horizontal bar)." },
    { NULL },
};

static int create(struct panel *p)
{
    const struct gauge_opts *o = p->cfg->opts;
    struct reading *rd = xcalloc(1, sizeof(*rd));
    reading_init(rd, p, &o->r, 0, 0);
    p->priv = rd;
    return 0;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    return reading_update(p->priv, dc);
}

static float frac(const struct reading_cfg *c, double v)
{
    double f = (v - c->min) / (c->max - c->min);
    return (float)(f < 0 ? 0 : f > 1 ? 1 : f);
}

/* Band ranges [lo, hi) as fractions, with their colours. */
static int bands(const struct reading_cfg *c, float lo[4], float hi[4], uint32_t col[4])
{
    int n = 0;
    if (!isnan(c->warn)) {
        lo[n] = frac(c, c->warn), hi[n] = isnan(c->alarm) ? 1 : frac(c, c->alarm), col[n++] = COLOR_WARN;
    }
    if (!isnan(c->alarm)) {
        lo[n] = frac(c, c->alarm), hi[n] = 1, col[n++] = COLOR_ALARM;
    }
    if (!isnan(c->warn_low)) {
        lo[n] = isnan(c->alarm_low) ? 0 : frac(c, c->alarm_low), hi[n] = frac(c, c->warn_low), col[n++] = COLOR_WARN;
    }
    if (!isnan(c->alarm_low)) {
        lo[n] = 0, hi[n] = frac(c, c->alarm_low), col[n++] = COLOR_ALARM;
    }
    return n;
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    struct reading *rd = p->priv;
    const struct gauge_opts *o = p->cfg->opts;
    const struct reading_cfg *c = &o->r;
    if (!rd->has_value) {
        reading_draw_empty(rd, dc, box);
        return;
    }
    reading_note_drawn(rd);
    char status[160];
    uint32_t scol;
    bool has_status = reading_status_line(rd, dc, status, sizeof(status), &scol);
    int small = widget_px(dc, 14);
    int lh_small = text_line_height(dc->text, small, false);
    SDL_Rect area = box;
    if (has_status) {
        area.h -= lh_small + widget_px(dc, 4);
    }
    bool stale = reading_stale(rd, dc->now_ms) || (p->source && p->info.status != SOURCE_LIVE);
    uint32_t col = reading_color(rd->level, stale);
    bool number = rd->v.type == SLOT_NUMBER || rd->v.type == SLOT_BOOL;
    float f = number ? frac(c, rd->v.num) : 0;
    float lo[4], hi[4];
    uint32_t bc[4];
    int nb = bands(c, lo, hi, bc);
    char value[96];
    reading_format(c, &rd->v, dc->locale, value, sizeof(value));
    if (o->style == 0) {
        float radius = fminf((float)area.w * 0.45f, (float)area.h * 0.55f);
        float cx = (float)area.x + (float)area.w / 2, cy = (float)area.y + (float)area.h * 0.55f;
        float thick = radius * 0.18f;
        float a0 = 135, sweep = 270;
        draw_arc(dc->r, cx, cy, radius - thick, radius, a0, a0 + sweep, 0x2a3340ffu);
        for (int i = 0; i < nb; i++) {
            draw_arc(dc->r, cx, cy, radius + 2, radius + thick * 0.35f + 2, a0 + sweep * lo[i], a0 + sweep * hi[i], bc[i]);
        }
        draw_arc(dc->r, cx, cy, radius - thick, radius, a0, a0 + sweep * f, col);
        /* As large as fits inside the ring (~0.62 em per character). */
        float inner = 2 * (radius - thick) * 0.86f;
        int big = (int)fminf(radius * 0.36f, inner / (0.62f * (float)(strlen(value) > 0 ? strlen(value) : 1)));
        int lh = text_line_height(dc->text, big, true);
        text_draw_chars(dc->text, value, big, true, stale ? COLOR_DIM_TEXT : COLOR_TEXT, area.x,
                        (int)cy - lh / 2, area.w, TEXT_CENTER);
    } else {
        int big = widget_px(dc, 40);
        int lh = text_line_height(dc->text, big, true);
        int pad = widget_px(dc, 12);
        int y = area.y + (area.h - lh - widget_px(dc, 28)) / 2;
        text_draw_chars(dc->text, value, big, true, stale ? COLOR_DIM_TEXT : COLOR_TEXT, area.x, y, area.w,
                        TEXT_CENTER);
        SDL_Rect bar = { area.x + pad, y + lh + widget_px(dc, 6), area.w - 2 * pad, widget_px(dc, 18) };
        draw_fill(dc->r, bar, 0x2a3340ffu);
        for (int i = 0; i < nb; i++) {
            SDL_Rect b = { bar.x + (int)((float)bar.w * lo[i]), bar.y + bar.h, (int)((float)bar.w * (hi[i] - lo[i])),
                           widget_px(dc, 4) };
            draw_fill(dc->r, b, bc[i]);
        }
        draw_fill(dc->r, (SDL_Rect){ bar.x, bar.y, (int)((float)bar.w * f), bar.h }, col);
    }
    if (has_status) {
        text_draw_chars(dc->text, status, small, false, scol, box.x + 4, box.y + box.h - lh_small - widget_px(dc, 2),
                        box.w - 8, TEXT_CENTER);
    }
}


static void describe(struct panel *p, void *obj)
{
    reading_describe(p->priv, now_ms(), obj);
}

static const struct widget_ops ops = {
    .kind = "gauge", .create = create, .update = update, .draw = draw, .destroy = widget_free_priv,
    .describe = describe,
    .bad_data = reading_bad_data, .bands = reading_bands,
};

static int check(const void *opts, char *err, size_t errlen)
{
    return reading_check(&((const struct gauge_opts *)opts)->r, err, errlen);
}

const struct cfg_kind gauge_panel_kind = {
    .name = "gauge",
    .value_help = "the name of an mqtt source defined under sources.",
    .value_type = CFG_STRING,
    .source_kind = "mqtt",
    .keys = keys,
    .opts_size = sizeof(struct gauge_opts),
    .check = check,
    .impl = &ops,
};
