/* app/align.c: the alignment pattern (G, the `align` command), for setting
 * up a wall's bezels and outputs. Drawn in canvas coordinates through every
 * view, so each line runs on behind a bezel exactly as the picture does: a
 * grid of lines and the two diagonals of the whole wall, straight across
 * every seam when wall.displays.bezel is right, broken when it is not; each
 * monitor framed and named (number, column and row, size, the node and
 * output that drive it). Render thread only. */
#include "align.h"
#include "geometry.h"
#include "wall_state.h"
#include "../core/i18n.h"
#include "../widgets/draw.h"
#include "../widgets/text_cache.h"

#include <math.h>

#define ALIGN_BG 0x000000ffu
#define ALIGN_GRID 0x8a96a8ffu
#define ALIGN_DIAG 0xffd000ffu
#define ALIGN_FRAME 0x00c8ffffu
#define ALIGN_TEXT 0xffffffffu

/* The output a monitor of this machine is on ("" when it has no window of
 * its own or is not driven here). */
static const char *monitor_output(const struct wall *w, int number)
{
    for (size_t i = 0; i < w->n_outs; i++) {
        if (w->outs[i].number == number) {
            return w->outs[i].found[0] ? w->outs[i].found : w->outs[i].output;
        }
    }
    return "";
}

/* A canvas line x = const (vertical) or y = const, at least 2 px on the output. */
static void grid_line(struct wall *w, const struct view *v, bool vertical, int at, int len)
{
    SDL_Rect c = vertical ? (SDL_Rect){ at, 0, 1, len } : (SDL_Rect){ 0, at, len, 1 };
    SDL_Rect o = geom_map(c, v->src, v->dst, v->scale);
    if (vertical && o.w < 2) {
        o.w = 2;
    } else if (!vertical && o.h < 2) {
        o.h = 2;
    }
    draw_fill(w->r, o, ALIGN_GRID);
}

static SDL_FPoint map_point(const struct view *v, float x, float y)
{
    return (SDL_FPoint){ (float)v->dst.x + (x - (float)v->src.x) * v->scale,
                         (float)v->dst.y + (y - (float)v->src.y) * v->scale };
}

/* A thick straight line: parallel one-pixel lines, offset across it. */
static void thick_line(SDL_Renderer *r, SDL_FPoint a, SDL_FPoint b, float thick, uint32_t rgba)
{
    draw_set_color(r, rgba);
    float dx = b.x - a.x, dy = b.y - a.y, len = sqrtf(dx * dx + dy * dy);
    if (len <= 0) {
        return;
    }
    float nx = -dy / len, ny = dx / len; /* unit normal */
    int steps = (int)(thick * 2.0f);
    for (int i = 0; i <= steps; i++) {
        float o = -thick / 2 + (float)i * 0.5f;
        SDL_RenderDrawLineF(r, a.x + nx * o, a.y + ny * o, b.x + nx * o, b.y + ny * o);
    }
}

/* The size (from want down, at least 10 px) at which s fits in avail px:
 * a portrait monitor's name must not be cut. */
static int fit_size(struct wall *w, const char *s, int want, bool bold, int avail)
{
    int size = want < 10 ? 10 : want;
    int tw, th;
    text_measure(w->text, s, size, bold, &tw, &th);
    if (tw > avail && tw > 0) {
        size = size * avail / tw - 1;
    }
    return size < 10 ? 10 : size;
}

static void label_monitor(struct wall *w, const struct view *v, const struct geom_monitor *mon)
{
    int loc = w->cfg->locale;
    SDL_Rect m = geom_map(mon->rect, v->src, v->dst, v->scale);
    int thick = m.h / 150 > 3 ? m.h / 150 : 3;
    draw_frame(w->r, m, thick, ALIGN_FRAME);
    /* Corner ticks, so a cropped or shifted output shows at its edge. */
    int tick = m.h / 12;
    draw_fill(w->r, (SDL_Rect){ m.x, m.y, tick, thick * 2 }, ALIGN_FRAME);
    draw_fill(w->r, (SDL_Rect){ m.x, m.y, thick * 2, tick }, ALIGN_FRAME);
    draw_fill(w->r, (SDL_Rect){ m.x + m.w - tick, m.y + m.h - thick * 2, tick, thick * 2 }, ALIGN_FRAME);
    draw_fill(w->r, (SDL_Rect){ m.x + m.w - thick * 2, m.y + m.h - tick, thick * 2, tick }, ALIGN_FRAME);

    char line[3][160];
    if (mon->name[0]) {
        snprintf(line[0], sizeof(line[0]), "%s", mon->name);
    } else {
        snprintf(line[0], sizeof(line[0]), tr(loc, TR_ALIGN_MONITOR), mon->number);
    }
    if (mon->col >= 0) {
        snprintf(line[1], sizeof(line[1]), tr(loc, TR_ALIGN_PLACE), mon->col + 1, mon->row + 1, mon->rect.w,
                 mon->rect.h);
    } else {
        snprintf(line[1], sizeof(line[1]), tr(loc, TR_ALIGN_AT), mon->rect.w, mon->rect.h, mon->rect.x, mon->rect.y);
    }
    line[2][0] = '\0';
    if (w->opts.mode == WALL_OPERATOR && mon->local) {
        const char *out = monitor_output(w, mon->number);
        snprintf(line[2], sizeof(line[2]), tr(loc, TR_ALIGN_DRIVEN), w->node[0] ? w->node : "-",
                 out[0] ? out : "-");
    }
    int pad = m.w / 20 > 8 ? m.w / 20 : 8, avail = m.w - 2 * pad;
    int big = fit_size(w, line[0], m.h / 6, true, avail);
    int small = fit_size(w, line[1], m.h / 16, false, avail);
    if (line[2][0]) {
        int s2 = fit_size(w, line[2], small, false, avail);
        small = s2 < small ? s2 : small;
    }
    int lb = text_line_height(w->text, big, true), ls = text_line_height(w->text, small, false);
    int y = m.y + (m.h - lb - 2 * ls) / 2;
    /* A dark plate keeps the words readable over the grid lines. */
    int tw = 0, th;
    for (int i = 0; i < 3; i++) {
        int lw;
        text_measure(w->text, line[i], i ? small : big, i == 0, &lw, &th);
        tw = lw > tw ? lw : tw;
    }
    if (tw > avail) {
        tw = avail;
    }
    draw_fill(w->r, (SDL_Rect){ m.x + (m.w - tw) / 2 - pad / 2, y, tw + pad, lb + 2 * ls + pad / 2 }, 0x000000e0u);
    text_draw(w->text, line[0], big, true, ALIGN_TEXT, m.x + pad, y, avail, TEXT_CENTER);
    text_draw(w->text, line[1], small, false, ALIGN_TEXT, m.x + pad, y + lb, avail, TEXT_CENTER);
    if (line[2][0]) {
        text_draw(w->text, line[2], small, false, ALIGN_DIAG, m.x + pad, y + lb + ls, avail, TEXT_CENTER);
    }
}

void align_draw(struct wall *w)
{
    const struct cfg_wall *cw = &w->cfg->wall;
    int cv_w, cv_h;
    cfg_canvas_size(cw, &cv_w, &cv_h);
    /* Lines every eighth of a monitor's height, from the canvas origin:
     * they cross every bezel where the physical line would. */
    struct geom_monitor mons[GEOM_MAX_MONITORS];
    size_t n_mons = geom_monitors(cw, w->node, mons, GEOM_MAX_MONITORS);
    int mon_h = n_mons ? mons[0].rect.h : 1080;
    int step = mon_h / 8 > 8 ? mon_h / 8 : 8;
    for (size_t vi = 0; vi < w->n_views; vi++) {
        const struct view *v = &w->views[vi];
        SDL_RenderSetClipRect(w->r, &v->dst);
        draw_fill(w->r, v->dst, ALIGN_BG);
        for (int x = 0; x <= cv_w; x += step) {
            grid_line(w, v, true, x, cv_h);
        }
        for (int y = 0; y <= cv_h; y += step) {
            grid_line(w, v, false, y, cv_w);
        }
        float thick = fmaxf(3.0f, (float)mon_h * v->scale / 200.0f);
        SDL_FPoint d1[2] = { map_point(v, 0, 0), map_point(v, (float)cv_w, (float)cv_h) };
        SDL_FPoint d2[2] = { map_point(v, (float)cv_w, 0), map_point(v, 0, (float)cv_h) };
        thick_line(w->r, d1[0], d1[1], thick, ALIGN_DIAG);
        thick_line(w->r, d2[0], d2[1], thick, ALIGN_DIAG);
        for (size_t i = 0; i < n_mons; i++) {
            if (SDL_HasIntersection(&mons[i].rect, &v->src)) {
                label_monitor(w, v, &mons[i]);
            }
        }
    }
    SDL_RenderSetClipRect(w->r, NULL);
    /* What it is and how to close it, at the top of the first view. */
    if (w->n_views) {
        const struct view *v = &w->views[0];
        int fs = v->dst.h / 36 > 14 ? v->dst.h / 36 : 14;
        int lh = text_line_height(w->text, fs, true);
        draw_fill(w->r, (SDL_Rect){ v->dst.x, v->dst.y, v->dst.w, lh + fs / 2 }, 0x000000ffu);
        text_draw(w->text, tr(w->cfg->locale, TR_ALIGN_TITLE), fs, true, ALIGN_TEXT, v->dst.x + fs,
                  v->dst.y + fs / 4, v->dst.w - 2 * fs, TEXT_CENTER);
    }
}
