/* app/chrome.c: what the wall draws around each panel's body: the panel
 * fill, the title bar (label, clock, status badge), alarm and selection
 * frames, and the bezels in preview. Render thread only. */
#include "chrome.h"
#include "wall_state.h"
#include "geometry.h"
#include "../core/i18n.h"
#include "../widgets/draw.h"
#include "../widgets/status.h"

#include <stdio.h>
#include <string.h>

static SDL_Rect intersect(SDL_Rect a, SDL_Rect b)
{
    SDL_Rect o;
    if (!SDL_IntersectRect(&a, &b, &o)) {
        o = (SDL_Rect){ a.x, a.y, 0, 0 };
    }
    return o;
}

static bool panel_alarm_active(const struct wall *w, const char *id)
{
    for (size_t i = 0; i < w->alarms.n; i++) {
        if (w->alarms.items[i].active && strcmp(w->alarms.items[i].panel_id, id) == 0) {
            return true;
        }
    }
    return false;
}

/* The title bar's height in canvas px: 30 on an ordinary panel, growing
 * with a tall one (9 % of its height, at most 44) so a big panel's title
 * reads from as far as its contents. The text is 17/30 of it. */
static double title_canvas_px(const struct panel *p)
{
    double th = p->rect.h * 0.09;
    return th < 30 ? 30 : th > 44 ? 44 : th;
}

/* The part of a panel's box below its title bar (if it has one). */
SDL_Rect chrome_panel_body(const struct panel *p, const struct draw_ctx *dc, SDL_Rect box)
{
    const struct cfg_panel *cp = p->cfg;
    if (cp->label[0] || cp->title_clock || p->source) {
        int th = widget_px(dc, title_canvas_px(p));
        box.y += th;
        box.h -= th;
    }
    return box;
}

/* The alarm border's width (0: none) and whether it shows in this flash
 * phase. */
static int alarm_border(const struct wall *w, const struct panel *p, const struct draw_ctx *dc, bool *on)
{
    *on = true;
    if (alarms_unacked(&w->alarms, p->cfg->id)) {
        /* Not yet acknowledged: the border flashes (2 Hz) until someone does. */
        *on = w->flash_phase % 2 == 0;
        return widget_px(dc, 6) < 4 ? 4 : widget_px(dc, 6);
    }
    if (panel_alarm_active(w, p->cfg->id)) {
        return widget_px(dc, 3) < 2 ? 2 : widget_px(dc, 3);
    }
    return 0;
}

/* Whether the title bar drawn last frame is the one this frame would draw
 * (and records this one). A partial redraw keeps that bar's pixels: the
 * badge, label and clock then cost nothing for a panel whose picture alone
 * changed. Everything the bar's pixels depend on is compared, so it is
 * never stale: the badge and its colour, the clock's text, the box and
 * scale, and the frames drawn over its edges. The bar is drawn from what
 * this records (p->chrome_drawn's badge and clock). */
static bool title_unchanged(struct panel *p, const struct draw_ctx *dc, SDL_Rect box, int frames)
{
    struct chrome_drawn now = {
        .valid = true, .box = box, .scale = dc->scale, .frames = frames, .kept = p->chrome_drawn.kept
    };
    if (p->source) {
        const char *badge;
        chrome_badge(p, dc->locale, &badge, &now.badge_rgba);
        snprintf(now.badge, sizeof(now.badge), "%s", badge);
    }
    if (p->cfg->title_clock) {
        i18n_format_time(dc->locale, "%H:%M:%S", dc->wall_time, now.clock, sizeof(now.clock));
    }
    bool same = p->chrome_drawn.valid && SDL_RectEquals(&now.box, &p->chrome_drawn.box) &&
                now.scale == p->chrome_drawn.scale && now.frames == p->chrome_drawn.frames &&
                now.badge_rgba == p->chrome_drawn.badge_rgba && strcmp(now.badge, p->chrome_drawn.badge) == 0 &&
                strcmp(now.clock, p->chrome_drawn.clock) == 0;
    p->chrome_drawn = now;
    return same;
}

void chrome_draw_panel(struct wall *w, struct panel *p, SDL_Rect box, SDL_Rect clip,
                       struct draw_ctx *wdc, bool selected)
{
    const struct cfg_panel *cp = p->cfg;
    bool border_on;
    int alarm_w = alarm_border(w, p, wdc, &border_on);
    int frames = (alarm_w * 2 + border_on) * 2 + selected;
    /* The frames drawn over the panel's edges changed: nothing of the
     * panel is the same (an acknowledged alarm's border must go). */
    struct draw_ctx pdc = *wdc;
    struct draw_ctx *dc = &pdc;
    dc->partial = wdc->partial && p->chrome_drawn.valid && p->chrome_drawn.frames == frames;
    bool keep_title = title_unchanged(p, dc, box, frames) && dc->partial;
    p->chrome_drawn.kept += keep_title;
    SDL_Rect body = chrome_panel_body(p, dc, box);
    int th0 = box.h - body.h; /* the title bar's height (filled below, once) */
    /* An opaque body paints its own pixels (unless the enlarged panel's
     * bands strip leaves a margin around it). */
    bool opaque = p->ops && p->ops->opaque && p->ops->opaque(p) && !(dc->enlarged && p->ops->bands);
    if (!opaque) {
        draw_fill(w->r, (SDL_Rect){ box.x, box.y + th0, box.w, box.h - th0 }, COLOR_PANEL);
    }
    if (body.h != box.h && !keep_title) {
        int th = box.h - body.h;
        SDL_Rect bar = { box.x, box.y, box.w, th };
        draw_fill(w->r, bar, COLOR_TITLE);
        draw_fill(w->r, (SDL_Rect){ box.x, box.y, widget_px(dc, 5), th }, cp->accent);
        double tc = title_canvas_px(p);
        int fs = widget_px(dc, tc * 17 / 30);
        int lh = text_line_height(w->text, fs, true);
        int ty = box.y + (th - lh) / 2;
        int pad = widget_px(dc, 10);
        int right = box.x + box.w - pad;
        if (p->source) {
            const char *badge = p->chrome_drawn.badge; /* worked out by title_unchanged */
            uint32_t color = p->chrome_drawn.badge_rgba;
            int bs = widget_px(dc, tc * 13 / 30);
            int bw, bh;
            text_measure(w->text, badge, bs, true, &bw, &bh);
            int bpad = widget_px(dc, 6);
            SDL_Rect pill = { right - bw - 2 * bpad, box.y + (th - bh - 2) / 2, bw + 2 * bpad, bh + 2 };
            draw_fill(w->r, pill, color);
            text_draw(w->text, badge, bs, true, 0xffffffff, pill.x + bpad, pill.y + 1, 0, TEXT_LEFT);
            right = pill.x - pad;
        }
        int lx = box.x + widget_px(dc, 5) + pad;
        p->title_clock_shown = false;
        if (cp->title_clock) {
            const char *clock = p->chrome_drawn.clock;
            int cw = text_width_chars(w->text, clock, fs, false);
            /* Only with room to spare for the label (4 em): a narrow bar
             * drops the clock rather than run it into the label. */
            if (right - cw - pad >= lx + 4 * fs) {
                text_draw_chars(w->text, clock, fs, false, COLOR_DIM_TEXT, right - cw, ty, 0, TEXT_LEFT);
                right -= cw + pad;
                p->title_clock_shown = true;
            }
        }
        if (right > lx) {
            /* A label too long for the bar shrinks (to 3/4 at most) before
             * it is cut: "Jl. Tuanku Tambusai" rather than "Jl. Tuanku Tam…". */
            int tw, tth;
            text_measure(w->text, cp->label, fs, true, &tw, &tth);
            int tfs = fs;
            if (tw > right - lx) {
                int floor_px = fs * 3 / 4, fit = (int)((long)fs * (right - lx) / tw);
                tfs = fit < floor_px ? floor_px : fit;
                text_measure(w->text, cp->label, tfs, true, &tw, &tth);
                while (tw > right - lx && tfs > floor_px) { /* glyph widths do not scale exactly */
                    text_measure(w->text, cp->label, --tfs, true, &tw, &tth);
                }
                ty = box.y + (th - text_line_height(w->text, tfs, true)) / 2;
            }
            text_draw(w->text, cp->label, tfs, true, COLOR_TEXT, lx, ty, right - lx, TEXT_LEFT);
            p->title_px = tfs;
            p->title_whole = tw <= right - lx;
        }
    }
    char bands[320];
    if (dc->enlarged && p->ops && p->ops->bands && p->ops->bands(p, dc->locale, bands, sizeof(bands)) && body.h > 0) {
        /* Why it is red: the band and the thresholds under the enlarged
         * value, in a strip of its own. */
        int fs = widget_px(dc, 12);
        fs = fs < 16 ? 16 : fs > w->out_h / 24 ? w->out_h / 24 : fs;
        int lh = text_line_height(w->text, fs, true);
        int m = widget_px(dc, 6) < 8 ? 8 : widget_px(dc, 6); /* clear of the alarm's border */
        SDL_Rect strip = { body.x + m, body.y + body.h - m - lh * 3 / 2, body.w - 2 * m, lh * 3 / 2 };
        body.h -= strip.h + m;
        draw_fill(w->r, strip, COLOR_TITLE);
        uint32_t col = p->ops->bad_data && p->ops->bad_data(p) ? COLOR_DIM_TEXT : COLOR_TEXT;
        text_draw(w->text, bands, fs, true, col, strip.x + fs, strip.y + (strip.h - lh) / 2, strip.w - 2 * fs,
                  TEXT_LEFT);
    }
    if (p->ops && body.h > 0) {
        SDL_Rect bclip = intersect(body, clip);
        SDL_RenderSetClipRect(w->r, &bclip);
        p->ops->draw(p, dc, body);
        SDL_RenderSetClipRect(w->r, &clip);
    }
    if (alarm_w && border_on) {
        draw_frame(w->r, box, alarm_w, COLOR_ALARM);
    }
    if (selected) {
        /* Inside the alarm's border, so both show. */
        draw_frame(w->r, rect_inset(box, alarm_w), widget_px(dc, 4) < 3 ? 3 : widget_px(dc, 4), COLOR_SELECT);
    }
}

void chrome_badge(const struct panel *p, int locale, const char **text, uint32_t *rgba)
{
    status_badge(&p->info, locale, text, rgba);
    if (p->info.status == SOURCE_LIVE && p->ops && p->ops->bad_data && p->ops->bad_data(p)) {
        /* Connected, but what this panel shows is not good data. */
        *text = tr(locale, TR_BADGE_BAD_DATA);
        *rgba = COLOR_WARN;
    }
}

/* Bezel gaps of the canvas, drawn over the panels in preview mode. */
/* Listed monitors: where no monitor is (bezels, and holes such as below a
 * short portrait column) is filled in the bezel colour; each monitor gets a
 * seam at least 2 px wide around it. */
static void draw_listed_bezels(struct wall *w, const struct view *v)
{
    const struct cfg_wall *cw = &w->cfg->wall;
    int canvas_w, canvas_h;
    cfg_canvas_size(cw, &canvas_w, &canvas_h);
    SDL_Rect mons[DRAW_MAX_BOXES];
    size_t n = 0;
    for (size_t i = 0; i < cw->n_monitors && n < DRAW_MAX_BOXES; i++) {
        const struct cfg_monitor *m = &cw->monitors[i];
        mons[n++] = geom_map((SDL_Rect){ m->at[0], m->at[1], m->size[0], m->size[1] }, v->src, v->dst, v->scale);
    }
    draw_fill_uncovered(w->r, geom_map((SDL_Rect){ 0, 0, canvas_w, canvas_h }, v->src, v->dst, v->scale), mons, n,
                        cw->bezel_color);
    for (size_t i = 0; i < n; i++) {
        SDL_Rect o = mons[i];
        draw_frame(w->r, (SDL_Rect){ o.x - 2, o.y - 2, o.w + 4, o.h + 4 }, 2, cw->bezel_color);
    }
}

void chrome_draw_bezels(struct wall *w, const struct view *v)
{
    const struct cfg_wall *cw = &w->cfg->wall;
    if (cw->n_monitors) {
        draw_listed_bezels(w, v);
        return;
    }
    int canvas_w, canvas_h;
    cfg_canvas_size(cw, &canvas_w, &canvas_h);
    /* Every seam shows, in a colour unlike the gaps between panels, at
     * least SEAM_MIN px wide (centred on it) even where the bezel is
     * narrower or 0: a supervisor sees where one monitor ends. */
    enum { SEAM_MIN = 3 };
    for (int c = 1; c < cw->columns; c++) {
        SDL_Rect g = { c * (cw->size[0] + cw->bezel[0]) - cw->bezel[0], 0, cw->bezel[0], canvas_h };
        SDL_Rect o = geom_map(g, v->src, v->dst, v->scale);
        if (o.w < SEAM_MIN) {
            o.x -= (SEAM_MIN - o.w) / 2;
            o.w = SEAM_MIN;
        }
        draw_fill(w->r, o, cw->bezel_color);
    }
    for (int r = 1; r < cw->rows; r++) {
        SDL_Rect g = { 0, r * (cw->size[1] + cw->bezel[1]) - cw->bezel[1], canvas_w, cw->bezel[1] };
        SDL_Rect o = geom_map(g, v->src, v->dst, v->scale);
        if (o.h < SEAM_MIN) {
            o.y -= (SEAM_MIN - o.h) / 2;
            o.h = SEAM_MIN;
        }
        draw_fill(w->r, o, cw->bezel_color);
    }
}
