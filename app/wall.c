/* app/wall.c: window, views, panels and the frame loop. Render (main)
 * thread only.
 *
 * The loop draws only when something changed (a panel's update() says so,
 * the second ticked for clocks and status ages, an input or overlay
 * changed), so an idle wall costs almost nothing, and otherwise paces
 * itself to the display (vsync) or to 60 Hz without it. Nothing in the loop
 * blocks on I/O: feeds publish into the scene and the loop polls sequence
 * numbers. */
#include "wall_state.h"
#include "overlay.h"
#include "control.h"
#include "input.h"
#include "geometry.h"
#include "../core/i18n.h"
#include "../core/util.h"
#include "../widgets/draw.h"
#include "../widgets/status.h"
#include "../feeds/feed.h"

#include <SDL_image.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* SDL's log goes through ours. SDL has one log output per process, so its
 * logger is per process too: created with the first wall, never freed
 * (SDL may still log while it shuts down). */
static struct log *sdl_log;

static void sdl_output(void *userdata, int category, SDL_LogPriority prio, const char *msg)
{
    (void)userdata;
    (void)category;
    enum log_level lv = prio >= SDL_LOG_PRIORITY_ERROR ? LOG_ERROR
                      : prio >= SDL_LOG_PRIORITY_WARN  ? LOG_WARN
                      : prio >= SDL_LOG_PRIORITY_INFO  ? LOG_INFO
                                                       : LOG_DEBUG;
    log_msg(sdl_log, lv, "%s", msg);
}

static void route_sdl_log(void)
{
    if (!sdl_log) {
        sdl_log = log_create("sdl");
    }
    SDL_LogSetOutputFunction(sdl_output, NULL);
}

static double cpu_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void build_panels(struct wall *w)
{
    const struct cfg *c = w->cfg;
    size_t total = 0;
    for (size_t i = 0; i < c->n_pages; i++) {
        total += c->pages[i].n_panels;
    }
    w->panels = xcalloc(total, sizeof(*w->panels));
    w->page_first = xcalloc(c->n_pages, sizeof(*w->page_first));
    for (size_t i = 0; i < c->n_pages; i++) {
        w->page_first[i] = w->n_panels;
        for (size_t j = 0; j < c->pages[i].n_panels; j++) {
            const struct cfg_panel *cp = &c->pages[i].panels[j];
            struct panel *p = &w->panels[w->n_panels++];
            p->cfg = cp;
            p->ops = widget_ops_of(cp->kind);
            p->page = i;
            p->index = j;
            p->rect = geom_panel_rect(&c->wall, cp->at);
            if (cp->source) {
                p->source = scene_find_source(w->scene, cp->source->name);
            }
            if (p->ops->create && p->ops->create(p) < 0) {
                log_error(w->log, "panel %s: could not create its %s widget", cp->id, cp->kind->name);
                p->ops = NULL;
            }
            widget_poll_source(p);
        }
    }
    /* Alarm acknowledgements over MQTT: one subscription per broker that
     * names an ack_topic. */
    w->ack_subs = xcalloc(c->n_sources ? c->n_sources : 1, sizeof(*w->ack_subs));
    w->ack_seq = xcalloc(c->n_sources ? c->n_sources : 1, sizeof(*w->ack_seq));
    for (size_t i = 0; i < c->n_sources; i++) {
        const struct cfg_source *cs = &c->sources[i];
        const struct feed_ops *fo = cs->kind->impl;
        const char *topic = fo && fo->ack_topic ? fo->ack_topic(cs) : NULL;
        if (topic && topic[0]) {
            w->ack_subs[w->n_ack++] = scene_sub_add_raw(scene_find_source(w->scene, cs->name), topic);
        }
    }
}

/* Acknowledges alarms asked for over MQTT: payload "all" or a panel id. */
static void poll_acks(struct wall *w)
{
    for (size_t i = 0; i < w->n_ack; i++) {
        struct scene_slot *slot = w->ack_subs[i]->slot;
        if (!slot || scene_slot_seq(slot) == w->ack_seq[i]) {
            continue;
        }
        struct slot_value v;
        w->ack_seq[i] = scene_slot_read(slot, &v);
        if (v.type != SLOT_TEXT || !v.text[0]) {
            continue; /* an empty payload acknowledges nothing */
        }
        bool all = strcmp(v.text, "all") == 0;
        control_exec(w, &(struct wall_cmd){ .kind = all ? CMD_ACK_ALL : CMD_ACK, .panel = v.text, .origin = "mqtt" });
    }
}

static void make_ctx(struct wall *w, struct draw_ctx *dc, float scale, int64_t now, int64_t wt);
static SDL_Rect panel_body(const struct panel *p, const struct draw_ctx *dc, SDL_Rect box);

/* Tells every panel of every page where its body is (the first view that
 * shows it), so a video source knows its picture's size before its first
 * frame. */
static void place_panels(struct wall *w)
{
    int64_t now = now_ms();
    for (size_t i = 0; i < w->n_panels; i++) {
        struct panel *p = &w->panels[i];
        if (!p->ops || !p->ops->place) {
            continue;
        }
        for (size_t vi = 0; vi < w->n_views; vi++) {
            const struct view *v = &w->views[vi];
            if (SDL_HasIntersection(&p->rect, &v->src)) {
                struct draw_ctx dc;
                make_ctx(w, &dc, v->scale, now, wall_time());
                SDL_Rect body = panel_body(p, &dc, geom_map(p->rect, v->src, v->dst, v->scale));
                if (body.w > 0 && body.h > 0) {
                    p->ops->place(p, &dc, body);
                }
                break;
            }
        }
    }
}

/* Recomputes the views from the output size and the mode. */
static void layout(struct wall *w)
{
    SDL_GetRendererOutputSize(w->r, &w->out_w, &w->out_h);
    const struct cfg_wall *cw = &w->cfg->wall;
    w->n_views = 0;
    if (w->opts.mode == WALL_PREVIEW) {
        int canvas_w, canvas_h;
        cfg_canvas_size(cw, &canvas_w, &canvas_h);
        struct view *v = &w->views[w->n_views++];
        v->src = (SDL_Rect){ 0, 0, canvas_w, canvas_h };
        geom_fit(canvas_w, canvas_h, w->out_w, w->out_h, &v->scale, &v->dst);
    } else {
        /* Each monitor this machine drives gets an equal share of the
         * output, as an X screen spanning the monitors lays them out. */
        int loc[4];
        geom_local(cw, loc);
        for (int r = 0; r < loc[3]; r++) {
            for (int c = 0; c < loc[2] && w->n_views < MAX_VIEWS; c++) {
                struct view *v = &w->views[w->n_views++];
                v->src = geom_display_rect(cw, loc[0] + c, loc[1] + r);
                int x0 = c * w->out_w / loc[2], x1 = (c + 1) * w->out_w / loc[2];
                int y0 = r * w->out_h / loc[3], y1 = (r + 1) * w->out_h / loc[3];
                SDL_Rect cell = { x0, y0, x1 - x0, y1 - y0 };
                SDL_Rect fit;
                geom_fit(cw->size[0], cw->size[1], cell.w, cell.h, &v->scale, &fit);
                v->dst = (SDL_Rect){ cell.x + fit.x, cell.y + fit.y, fit.w, fit.h };
            }
        }
    }
    w->layout_dirty = false;
    place_panels(w);
}

static void make_ctx(struct wall *w, struct draw_ctx *dc, float scale, int64_t now, int64_t wt)
{
    dc->r = w->r;
    dc->alarms = &w->alarms;
    dc->text = w->text;
    dc->cfg = w->cfg;
    dc->scale = scale;
    dc->locale = w->cfg->locale;
    dc->now_ms = now;
    dc->wall_time = wt;
    dc->page = w->page;
    dc->gpu = w->gpu;
}

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

/* The part of a panel's box below its title bar (if it has one). */
static SDL_Rect panel_body(const struct panel *p, const struct draw_ctx *dc, SDL_Rect box)
{
    const struct cfg_panel *cp = p->cfg;
    if (cp->label[0] || cp->title_clock || p->source) {
        int th = widget_px(dc, 30);
        box.y += th;
        box.h -= th;
    }
    return box;
}

static void draw_panel(struct wall *w, struct panel *p, SDL_Rect box, SDL_Rect clip,
                       struct draw_ctx *dc, bool selected)
{
    const struct cfg_panel *cp = p->cfg;
    draw_fill(w->r, box, COLOR_PANEL);
    SDL_Rect body = panel_body(p, dc, box);
    if (body.h != box.h) {
        int th = box.h - body.h;
        SDL_Rect bar = { box.x, box.y, box.w, th };
        draw_fill(w->r, bar, COLOR_TITLE);
        draw_fill(w->r, (SDL_Rect){ box.x, box.y, widget_px(dc, 5), th }, cp->accent);
        int fs = widget_px(dc, 17);
        int lh = text_line_height(w->text, fs, true);
        int ty = box.y + (th - lh) / 2;
        int pad = widget_px(dc, 10);
        int right = box.x + box.w - pad;
        if (p->source) {
            const char *badge;
            uint32_t color;
            status_badge(&p->info, dc->locale, &badge, &color);
            int bs = widget_px(dc, 13);
            int bw, bh;
            text_measure(w->text, badge, bs, true, &bw, &bh);
            int bpad = widget_px(dc, 6);
            SDL_Rect pill = { right - bw - 2 * bpad, box.y + (th - bh - 2) / 2, bw + 2 * bpad, bh + 2 };
            draw_fill(w->r, pill, color);
            text_draw(w->text, badge, bs, true, 0xffffffff, pill.x + bpad, pill.y + 1, 0, TEXT_LEFT);
            right = pill.x - pad;
        }
        if (cp->title_clock) {
            char clock[16];
            i18n_format_time(dc->locale, "%H:%M:%S", dc->wall_time, clock, sizeof(clock));
            int cw = text_width_chars(w->text, clock, fs, false);
            text_draw_chars(w->text, clock, fs, false, COLOR_DIM_TEXT, right - cw, ty, 0, TEXT_LEFT);
            right -= cw + pad;
        }
        int lx = box.x + widget_px(dc, 5) + pad;
        if (right > lx) {
            text_draw(w->text, cp->label, fs, true, COLOR_TEXT, lx, ty, right - lx, TEXT_LEFT);
        }
    }
    if (p->ops && body.h > 0) {
        SDL_Rect bclip = intersect(body, clip);
        SDL_RenderSetClipRect(w->r, &bclip);
        p->ops->draw(p, dc, body);
        SDL_RenderSetClipRect(w->r, &clip);
    }
    if (alarms_unacked(&w->alarms, cp->id)) {
        /* Not yet acknowledged: the border flashes (2 Hz) until someone does. */
        if (w->flash_phase % 2 == 0) {
            draw_frame(w->r, box, widget_px(dc, 6) < 4 ? 4 : widget_px(dc, 6), COLOR_ALARM);
        }
    } else if (panel_alarm_active(w, cp->id)) {
        draw_frame(w->r, box, widget_px(dc, 3) < 2 ? 2 : widget_px(dc, 3), COLOR_ALARM);
    }
    if (selected) {
        draw_frame(w->r, box, widget_px(dc, 4) < 3 ? 3 : widget_px(dc, 4), COLOR_SELECT);
    }
}

/* Bezel gaps of the canvas, drawn over the panels in preview mode. */
static void draw_bezels(struct wall *w, const struct view *v)
{
    const struct cfg_wall *cw = &w->cfg->wall;
    int canvas_w, canvas_h;
    cfg_canvas_size(cw, &canvas_w, &canvas_h);
    for (int c = 1; c < cw->columns && cw->bezel[0] > 0; c++) {
        SDL_Rect g = { c * (cw->size[0] + cw->bezel[0]) - cw->bezel[0], 0, cw->bezel[0], canvas_h };
        draw_fill(w->r, geom_map(g, v->src, v->dst, v->scale), cw->bezel_color);
    }
    for (int r = 1; r < cw->rows && cw->bezel[1] > 0; r++) {
        SDL_Rect g = { 0, r * (cw->size[1] + cw->bezel[1]) - cw->bezel[1], canvas_w, cw->bezel[1] };
        draw_fill(w->r, geom_map(g, v->src, v->dst, v->scale), cw->bezel_color);
    }
}

/* Draws one frame into the back buffer (no present). */
static void render(struct wall *w, int64_t now, int64_t wt)
{
    if (w->layout_dirty) {
        layout(w);
    }
    SDL_RenderSetClipRect(w->r, NULL);
    draw_set_color(w->r, w->opts.mode == WALL_PREVIEW ? 0x000000ffu : w->cfg->wall.background);
    SDL_RenderClear(w->r);
    size_t first = w->page_first[w->page], count = wall_page_count(w, w->page);
    struct draw_ctx dc;
    if (w->enlarged >= 0) {
        struct panel *p = &w->panels[first + (size_t)w->enlarged];
        SDL_Rect out = { 0, 0, w->out_w, w->out_h };
        float s = fminf((float)w->out_w / (float)p->rect.w, (float)w->out_h / (float)p->rect.h);
        make_ctx(w, &dc, s, now, wt);
        draw_fill(w->r, out, w->cfg->wall.background);
        SDL_RenderSetClipRect(w->r, &out);
        draw_panel(w, p, rect_inset(out, 4), out, &dc, false);
    } else {
        for (size_t vi = 0; vi < w->n_views; vi++) {
            const struct view *v = &w->views[vi];
            SDL_RenderSetClipRect(w->r, &v->dst);
            if (w->opts.mode == WALL_PREVIEW) {
                /* the clear was black for the letterbox; operator mode
                 * cleared to the background already (a whole-screen fill
                 * saved: fills are half of a frame's cost in software) */
                draw_fill(w->r, v->dst, w->cfg->wall.background);
            }
            make_ctx(w, &dc, v->scale, now, wt);
            for (size_t i = 0; i < count; i++) {
                struct panel *p = &w->panels[first + i];
                if (!SDL_HasIntersection(&p->rect, &v->src)) {
                    continue;
                }
                SDL_Rect box = geom_map(p->rect, v->src, v->dst, v->scale);
                draw_panel(w, p, box, v->dst, &dc, (int)i == w->selected);
            }
            if (w->opts.mode == WALL_PREVIEW) {
                draw_bezels(w, v);
            }
        }
    }
    SDL_RenderSetClipRect(w->r, NULL);
    overlay_draw(w, now);
}

/* Whether redrawing only the changed panels gives the same picture as a
 * full frame: SDL's software renderer draws straight into the window's
 * surface, which keeps its pixels between presents (a GPU back buffer does
 * not), and nothing may be drawn over the panels (overlays, preview bezels,
 * an enlarged panel). Live video makes some panel change nearly every
 * frame; redrawing only those roughly halves the render thread's work. */
static bool partial_ok(const struct wall *w, int64_t now)
{
    return !w->gpu && w->frames_rendered > 0 && !w->layout_dirty && w->opts.mode == WALL_OPERATOR &&
           w->enlarged < 0 && !w->show_help && !w->show_stats && !(w->toast_until && now < w->toast_until) &&
           !(w->quit_armed_until && now < w->quit_armed_until);
}

/* Redraws the panels of the current page whose update() asked for it. */
static void render_changed(struct wall *w, int64_t now, int64_t wt)
{
    size_t first = w->page_first[w->page], count = wall_page_count(w, w->page);
    struct draw_ctx dc;
    for (size_t vi = 0; vi < w->n_views; vi++) {
        const struct view *v = &w->views[vi];
        SDL_RenderSetClipRect(w->r, &v->dst);
        make_ctx(w, &dc, v->scale, now, wt);
        for (size_t i = 0; i < count; i++) {
            struct panel *p = &w->panels[first + i];
            if (p->redraw && SDL_HasIntersection(&p->rect, &v->src)) {
                draw_panel(w, p, geom_map(p->rect, v->src, v->dst, v->scale), v->dst, &dc, (int)i == w->selected);
            }
        }
    }
    SDL_RenderSetClipRect(w->r, NULL);
}

/* Records one frame's wall time and render-thread CPU (t0/c0: its start). */
static double record_frame(struct wall *w, double t0, double c0)
{
    double ms = mono_ms() - t0;
    w->cpu_ms_total += cpu_now_ms() - c0;
    w->ft[w->ft_n % FRAME_RING] = ms;
    w->ft_n++;
    return ms;
}

double wall_render_frame(struct wall *w)
{
    double t0 = mono_ms(), c0 = cpu_now_ms();
    int64_t now = now_ms();
    for (size_t i = 0; i < w->n_panels; i++) {
        struct panel *p = &w->panels[i];
        if (p->page == w->page && p->ops && p->ops->update) {
            struct draw_ctx dc;
            make_ctx(w, &dc, 1, now, wall_time());
            p->ops->update(p, &dc);
        }
    }
    render(w, now, wall_time());
    return record_frame(w, t0, c0);
}

int wall_save_screenshot(struct wall *w, const char *path, char *err, size_t errlen)
{
    int ow, oh;
    SDL_GetRendererOutputSize(w->r, &ow, &oh);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, ow, oh, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        snprintf(err, errlen, "%s", SDL_GetError());
        return -1;
    }
    int rc = SDL_RenderReadPixels(w->r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
    if (rc == 0) {
        rc = IMG_SavePNG(s, path);
    }
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", path, SDL_GetError());
    }
    SDL_FreeSurface(s);
    return rc == 0 ? 0 : -1;
}

/* Defined here so tests linking the wall without main.c have it. */
volatile sig_atomic_t pantau_screenshot_requested;
volatile sig_atomic_t pantau_dump_requested;

static void take_requested_screenshot(struct wall *w)
{
    char stamp[32], path[1024], err[512];
    time_t t = (time_t)wall_time();
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    snprintf(path, sizeof(path), "%s/pantau-%s.png", w->cfg->screenshot_dir, stamp);
    w->want_screenshot = false;
    if (wall_save_screenshot(w, path, err, sizeof(err)) == 0) {
        log_info(w->log, "screenshot saved to %s", path);
        wall_toast(w, 4000, "%s %s", tr(w->cfg->locale, TR_SCREENSHOT_SAVED), path);
    } else {
        log_warn(w->log, "screenshot failed: %s", err);
        wall_toast(w, 6000, "%s %s", tr(w->cfg->locale, TR_SCREENSHOT_FAILED), err);
    }
}

static const char *pick_renderer(const struct wall_opts *o)
{
    if (o->renderer) {
        return o->renderer;
    }
    return o->headless ? "software" : NULL;
}

static int renderer_index(const char *name)
{
    if (!name) {
        return -1;
    }
    for (int i = 0; i < SDL_GetNumRenderDrivers(); i++) {
        SDL_RendererInfo info;
        if (SDL_GetRenderDriverInfo(i, &info) == 0 && strcmp(info.name, name) == 0) {
            return i;
        }
    }
    return -2;
}

/* Default output size when none is asked for: native, but no larger than
 * 4K (a software framebuffer for a 6x4 wall would be ~200 MB). */
static void default_size(const struct wall *w, int *ow, int *oh)
{
    const struct cfg_wall *cw = &w->cfg->wall;
    int cw_px, ch_px;
    if (w->opts.mode == WALL_PREVIEW) {
        cfg_canvas_size(cw, &cw_px, &ch_px);
    } else {
        int loc[4];
        geom_local(cw, loc);
        cw_px = loc[2] * cw->size[0];
        ch_px = loc[3] * cw->size[1];
    }
    if (cw_px <= 3840 && ch_px <= 2160) {
        *ow = cw_px;
        *oh = ch_px;
        return;
    }
    float s;
    SDL_Rect fit;
    geom_fit(cw_px, ch_px, 1920, 1080, &s, &fit);
    *ow = fit.w;
    *oh = fit.h;
}

/* True when the current GL context renders on the CPU. */
static bool software_gl(const char *renderer_name)
{
    if (strncmp(renderer_name, "opengl", 6) != 0) {
        return false;
    }
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    void *sym = SDL_GL_GetProcAddress("glGetString");
    if (!sym) {
        return false;
    }
    get_string_fn get_string;
    memcpy(&get_string, &sym, sizeof(get_string)); /* ISO C: no object-to-function cast */
    const char *gl = (const char *)get_string(0x1F01 /* GL_RENDERER */);
    return gl && (strstr(gl, "llvmpipe") || strstr(gl, "softpipe") || strstr(gl, "Software Rasterizer"));
}

struct wall *wall_create(const struct cfg *cfg, struct scene *scene, const struct wall_opts *o,
                         char *err, size_t errlen)
{
    struct wall *w = xcalloc(1, sizeof(*w));
    w->cfg = cfg;
    w->scene = scene;
    w->opts = *o;
    w->log = log_create("wall");
    w->selected = -1;
    w->enlarged = -1;
    w->layout_dirty = true;
    w->dirty = true;
    w->drawn_second = -1;
    const char *rname = pick_renderer(o);
    if (o->headless) {
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    }
    if (rname && strcmp(rname, "software") == 0) {
        /* Present straight from memory; through OpenGL costs 12-19 ms a frame. */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_Init(SDL_INIT_VIDEO) < 0) {
        snprintf(err, errlen, "cannot open the display: %s (run under X11/Wayland, or use "
                              "--headless)", SDL_GetError());
        goto fail;
    }
    route_sdl_log();
    IMG_Init(IMG_INIT_PNG);
    int ow = o->win_w, oh = o->win_h;
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    int x = (int)SDL_WINDOWPOS_CENTERED_DISPLAY(o->display), y = x;
    if (o->headless) {
        if (!ow) {
            default_size(w, &ow, &oh);
        }
    } else if (o->mode == WALL_PREVIEW) {
        flags |= SDL_WINDOW_RESIZABLE;
        if (!ow) {
            ow = 1280;
            oh = 720;
        }
    } else if (!ow) {
        SDL_Rect b;
        if (SDL_GetDisplayBounds(o->display, &b) != 0) {
            snprintf(err, errlen, "display %d: %s", o->display, SDL_GetError());
            goto fail;
        }
        ow = b.w;
        oh = b.h;
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    }
    w->win = SDL_CreateWindow(cfg->title, x, y, ow, oh, flags);
    if (!w->win) {
        snprintf(err, errlen, "cannot create the window: %s", SDL_GetError());
        goto fail;
    }
    int ri = renderer_index(rname);
    if (ri == -2) {
        snprintf(err, errlen, "renderer \"%s\" is not available", rname);
        goto fail;
    }
    Uint32 rflags = o->headless ? 0 : SDL_RENDERER_PRESENTVSYNC;
    w->r = SDL_CreateRenderer(w->win, ri, rflags);
    if (!w->r) {
        log_warn(w->log, "renderer failed (%s); using the software renderer", SDL_GetError());
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        w->r = SDL_CreateRenderer(w->win, renderer_index("software"), 0);
    }
    if (!w->r) {
        snprintf(err, errlen, "cannot create a renderer: %s", SDL_GetError());
        goto fail;
    }
    SDL_RendererInfo info;
    SDL_GetRendererInfo(w->r, &info);
    if (!o->renderer && software_gl(info.name)) {
        /* OpenGL emulated on the CPU (llvmpipe: Xvfb, VMs, no GPU driver)
         * costs 29-60 ms a frame for a full wall; SDL's own software
         * renderer straight to the framebuffer is several times cheaper. */
        log_info(w->log, "OpenGL is emulated in software here; using the software renderer");
        SDL_DestroyRenderer(w->r);
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        w->r = SDL_CreateRenderer(w->win, renderer_index("software"), 0);
        if (!w->r) {
            snprintf(err, errlen, "cannot create a renderer: %s", SDL_GetError());
            goto fail;
        }
        SDL_GetRendererInfo(w->r, &info);
    }
    /* A renderer named on the command line is taken at its word (that also
     * lets tests run the GPU path on emulated OpenGL). */
    w->gpu = strcmp(info.name, "software") != 0 && (o->renderer || !software_gl(info.name));
    log_info(w->log, "%s mode, %s renderer, output %dx%d", o->mode == WALL_PREVIEW ? "preview" : "wall",
             info.name, ow, oh);
    if (o->mode == WALL_OPERATOR && !o->headless) {
        SDL_ShowCursor(SDL_DISABLE); /* operators have no mouse; a cursor would sit on the wall */
    }
    SDL_DisableScreenSaver();
    w->text = text_cache_create(w->r, 4096, 96u << 20, err, errlen);
    if (!w->text) {
        goto fail;
    }
    build_panels(w);
    layout(w); /* before the feeds start: see place_panels */
    if (o->trace_path) {
        w->trace = fopen(o->trace_path, "w");
        if (!w->trace) {
            snprintf(err, errlen, "--trace %s: %s", o->trace_path, strerror(errno));
            goto fail;
        }
    }
    w->page_since_ms = now_ms();
    w->fps_t0 = now_ms();
    return w;
fail:
    wall_destroy(w);
    return NULL;
}

void wall_destroy(struct wall *w)
{
    if (!w) {
        return;
    }
    for (size_t i = 0; i < w->n_panels; i++) {
        if (w->panels[i].ops && w->panels[i].ops->destroy) {
            w->panels[i].ops->destroy(&w->panels[i]);
        }
    }
    free(w->panels);
    free(w->page_first);
    free(w->ack_subs);
    free(w->ack_seq);
    if (w->trace) {
        fclose(w->trace);
    }
    text_cache_destroy(w->text);
    if (w->r) {
        SDL_DestroyRenderer(w->r);
    }
    if (w->win) {
        SDL_DestroyWindow(w->win);
    }
    log_destroy(w->log);
    free(w);
    IMG_Quit();
    SDL_Quit();
}

void wall_handle_event(struct wall *w, const SDL_Event *ev)
{
    input_handle(w, ev);
}

SDL_Renderer *wall_renderer(const struct wall *w)
{
    return w->r;
}

void wall_get_ui(const struct wall *w, struct wall_ui *ui)
{
    ui->page = w->page;
    ui->selected = w->selected;
    ui->enlarged = w->enlarged;
    ui->help = w->show_help;
    ui->stats = w->show_stats;
    ui->quit_armed = w->quit_armed_until != 0;
    ui->quit = w->quit;
}

static void write_stats(struct wall *w)
{
    if (!w->opts.stats_path) {
        return;
    }
    FILE *f = fopen(w->opts.stats_path, "w");
    if (!f) {
        log_warn(w->log, "cannot write %s: %s", w->opts.stats_path, strerror(errno));
        return;
    }
    double p50, p99, max;
    frame_stats(w, &p50, &p99, &max);
    fprintf(f, "{\"frames\": %ld, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, "
               "\"cpu_ms_per_frame\": %.3f}\n",
            w->frames_rendered, p50, p99, max,
            w->frames_rendered ? w->cpu_ms_total / (double)w->frames_rendered : 0.0);
    fclose(f);
}

/* Per-iteration work that decides whether a frame is needed. */
static void tick(struct wall *w, int64_t now, int64_t wt)
{
    struct draw_ctx dc;
    make_ctx(w, &dc, 1, now, wt);
    /* Every page's panels read their sources, so a panel not on screen
     * still raises its alarm and shows the right value when its page comes
     * up; only the current page's changes need a new frame. update() is a
     * sequence-number check when nothing arrived. */
    for (size_t i = 0; i < w->n_panels; i++) {
        struct panel *p = &w->panels[i];
        if (p->ops && p->ops->update && p->ops->update(p, &dc) && p->page == w->page) {
            p->redraw = true;
            w->partial = true;
        }
    }
    if (wt != w->drawn_second) {
        w->dirty = true; /* clocks, ages and "retry in" tick */
    }
    poll_acks(w);
    int64_t phase = now / 500;
    if (phase != w->flash_phase) {
        w->flash_phase = phase;
        if (alarms_count_unacked(&w->alarms)) {
            w->dirty = true; /* flashing borders */
        }
    }
    if (w->toast_until && now >= w->toast_until) {
        w->toast_until = 0;
        w->dirty = true;
    }
    if (w->quit_armed_until && now >= w->quit_armed_until) {
        w->quit_armed_until = 0;
        w->dirty = true;
    }
    const struct cfg_page *pg = &w->cfg->pages[w->page];
    if (pg->show_for > 0 && w->enlarged < 0 && !w->show_help && w->cfg->n_pages > 1 &&
        now - w->page_since_ms >= pg->show_for) {
        control_exec(w, &(struct wall_cmd){ .kind = CMD_PAGE_NEXT, .origin = "tour" });
    }
}

/* One line per value drawn for the first time, stamped when presented:
 * "<panel id> <value> <wall clock ms>" (bench/mqtt measures latency). */
static void write_trace(struct wall *w)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double ms = (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
    for (size_t i = 0; i < w->n_panels; i++) {
        struct panel *p = &w->panels[i];
        if (p->trace_pending) {
            p->trace_pending = false;
            fprintf(w->trace, "%s %.17g %.3f\n", p->cfg->id, p->trace_value, ms);
        }
    }
    fflush(w->trace);
}

static const char *const status_names[] = { "disabled", "connecting", "live", "stalled", "retrying" };

int wall_dump(struct wall *w, const char *path, char *err, size_t errlen)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *sources = cJSON_AddObjectToObject(root, "sources");
    for (size_t i = 0; i < scene_n_sources(w->scene); i++) {
        struct scene_source *src = scene_source_at(w->scene, i);
        struct source_info si;
        scene_source_get(src, &si);
        cJSON *o = cJSON_AddObjectToObject(sources, scene_source_name(src));
        cJSON_AddStringToObject(o, "status", status_names[si.status]);
        cJSON_AddStringToObject(o, "reason", si.reason);
        cJSON_AddNumberToObject(o, "frames", (double)si.counters[SOURCE_FRAMES]);
        cJSON_AddNumberToObject(o, "errors", (double)si.counters[SOURCE_ERRORS]);
        cJSON_AddNumberToObject(o, "bytes", (double)si.counters[SOURCE_BYTES]);
        cJSON_AddNumberToObject(o, "reconnects", (double)si.counters[SOURCE_RECONNECTS]);
        cJSON_AddNumberToObject(o, "drops", (double)si.counters[SOURCE_DROPS]);
        cJSON_AddStringToObject(o, "detail", si.detail);
    }
    cJSON *panels = cJSON_AddObjectToObject(root, "panels");
    int64_t now = now_ms();
    for (size_t i = 0; i < w->n_panels; i++) {
        struct panel *p = &w->panels[i];
        cJSON *o = cJSON_AddObjectToObject(panels, p->cfg->id);
        cJSON_AddStringToObject(o, "kind", p->cfg->kind->name);
        cJSON_AddNumberToObject(o, "page", (double)p->page);
        if (p->ops && p->ops->describe) {
            p->ops->describe(p, o);
        }
        (void)now;
    }
    cJSON *alarms = cJSON_AddArrayToObject(root, "alarms");
    for (size_t i = 0; i < w->alarms.n; i++) {
        const struct alarm *a = &w->alarms.items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "panel", a->panel_id);
        cJSON_AddStringToObject(o, "value", a->value);
        cJSON_AddBoolToObject(o, "active", a->active);
        cJSON_AddBoolToObject(o, "acked", a->acked);
        cJSON_AddItemToArray(alarms, o);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    /* Written beside and renamed, so a reader never sees half a file. */
    int rc = 0;
    char *tmp = xasprintf("%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    free(tmp);
    free(text);
    return rc;
}

int wall_run(struct wall *w, volatile sig_atomic_t *stop)
{
    int rc = 0;
    bool batch = w->opts.frames > 0 && w->opts.headless;
    bool every = w->opts.every_frame || batch;
    bool paced = !batch || w->opts.fps > 0;
    double interval = 1000.0 / (w->opts.fps > 0 ? w->opts.fps : 60);
    double next_due = 0; /* when the next frame may start (monotonic ms) */
    while (!*stop && !w->quit) {
        SDL_Event ev;
        int64_t now = now_ms();
        if (!every && !w->dirty && !w->partial) {
            /* Sleep until an event or the next frame slot, then look at the
             * scene again: feeds do not wake us, so this bounds how late a
             * new value is drawn to about one frame. */
            double wait = next_due - mono_ms();
            if (wait < 1) {
                wait = interval;
            }
            if (SDL_WaitEventTimeout(&ev, (int)wait)) {
                input_handle(w, &ev);
            }
        }
        while (SDL_PollEvent(&ev)) {
            input_handle(w, &ev);
        }
        if (pantau_screenshot_requested) {
            pantau_screenshot_requested = 0;
            control_exec(w, &(struct wall_cmd){ .kind = CMD_SCREENSHOT, .origin = "signal" });
        }
        if (pantau_dump_requested && w->opts.dump_path) {
            pantau_dump_requested = 0;
            char err[512];
            if (wall_dump(w, w->opts.dump_path, err, sizeof(err)) < 0) {
                log_warn(w->log, "scene dump failed: %s", err);
            }
        }
        now = now_ms();
        int64_t wt = wall_time();
        tick(w, now, wt);
        if (!every && !w->dirty && !w->partial) {
            continue;
        }
        double t_now = mono_ms();
        if (paced && t_now < next_due) {
            /* Without vsync (software renderer, offscreen) do not exceed the
             * frame rate; with vsync present already waits. */
            SDL_Delay((Uint32)(next_due - t_now + 0.5));
            now = now_ms();
            t_now = mono_ms();
        }
        /* Keep the cadence (no drift) unless we fell a whole frame behind. */
        next_due = t_now - next_due < interval ? next_due + interval : t_now + interval;
        bool full = every || w->dirty || !partial_ok(w, now);
        w->dirty = false;
        w->drawn_second = wt;
        double t0 = mono_ms(), c0 = cpu_now_ms();
        if (full) {
            render(w, now, wt);
        } else {
            render_changed(w, now, wt);
        }
        for (size_t i = 0; i < w->n_panels; i++) {
            w->panels[i].redraw = false;
        }
        w->partial = false;
        w->frames_rendered++;
        w->fps_frames++;
        if (now - w->fps_t0 >= 1000) {
            w->fps = (double)w->fps_frames * 1000.0 / (double)(now - w->fps_t0);
            w->fps_frames = 0;
            w->fps_t0 = now;
        }
        bool last = w->opts.frames > 0 && w->frames_rendered >= w->opts.frames;
        if (w->want_screenshot) {
            take_requested_screenshot(w);
        }
        if (last && w->opts.screenshot) {
            char err[512];
            if (wall_save_screenshot(w, w->opts.screenshot, err, sizeof(err)) < 0) {
                log_error(w->log, "screenshot failed: %s", err);
                rc = -1;
            } else {
                log_info(w->log, "screenshot written to %s", w->opts.screenshot);
            }
        }
        SDL_RenderPresent(w->r);
        record_frame(w, t0, c0);
        if (w->trace) {
            write_trace(w);
        }
        if (last) {
            break;
        }
    }
    write_stats(w);
    if (w->opts.dump_path) {
        char err[512];
        if (wall_dump(w, w->opts.dump_path, err, sizeof(err)) < 0) {
            log_error(w->log, "scene dump failed: %s", err);
            rc = -1;
        }
    }
    return rc;
}
