/* app/wall.c: the wall: panels, views (layout), the frame loop. Render (main)
 * thread only. The window is opened in window.c, panel chrome drawn in
 * chrome.c, screenshots and dumps written in diag.c, commands run in
 * control.c.
 *
 * The loop draws only when something changed (a panel's update() says so,
 * the second ticked for clocks and status ages, an input or overlay
 * changed), so an idle wall costs almost nothing, and otherwise paces
 * itself to the display (vsync) or to 60 Hz without it. Nothing in the loop
 * blocks on I/O: feeds publish into the scene and the loop polls sequence
 * numbers. */
#include "wall_state.h"
#include "overlay.h"
#include "chrome.h"
#include "control.h"
#include "diag.h"
#include "input.h"
#include "window.h"
#include "geometry.h"
#include "alarmlog.h"
#include "../core/i18n.h"
#include "../core/util.h"
#include "../widgets/draw.h"
#include "../feeds/feed.h"

#include <SDL_image.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* The frame loop's wake-up where SDL cannot wait for events: one per
 * process, made once (wall_create), never destroyed (a remote or signal may
 * post it until the process ends). */
static sem_t wake_sem;
static pthread_once_t wake_once = PTHREAD_ONCE_INIT;
static atomic_bool wake_ready;

static void wake_init(void)
{
    sem_init(&wake_sem, 0, 0);
    atomic_store(&wake_ready, true);
}

void wall_wake(bool from_signal)
{
    if (!from_signal) {
        SDL_Event ev = { 0 };
        ev.type = SDL_USEREVENT;
        SDL_PushEvent(&ev);
    }
    if (atomic_load(&wake_ready)) {
        sem_post(&wake_sem);
    }
}

/* Waits up to ms for wall_wake() (offscreen: SDL's own wait would poll
 * every millisecond). Wake-ups that piled up are taken with it: the caller
 * looks at every input next. */
static void wake_wait(double ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    long ns = t.tv_nsec + (long)(ms * 1e6);
    t.tv_sec += ns / 1000000000L;
    t.tv_nsec = ns % 1000000000L;
    if (sem_timedwait(&wake_sem, &t) == 0) {
        while (sem_trywait(&wake_sem) == 0) {
        }
    }
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
                SDL_Rect body = chrome_panel_body(p, &dc, geom_map(p->rect, v->src, v->dst, v->scale));
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
    } else if (w->n_outs) {
        /* A window per monitor: each monitor 1:1 at its place on the surface. */
        for (size_t i = 0; i < w->n_outs && w->n_views < MAX_VIEWS; i++) {
            struct view *v = &w->views[w->n_views++];
            v->src = w->outs[i].canvas;
            v->dst = w->outs[i].src;
            v->scale = 1;
        }
    } else if (cw->n_monitors) {
        /* Listed monitors in one window (--window): their bounding box fitted. */
        struct geom_monitor mons[GEOM_MAX_MONITORS];
        size_t n = geom_monitors(cw, w->node, mons, GEOM_MAX_MONITORS);
        SDL_Rect box = geom_local_box(mons, n);
        float s;
        SDL_Rect fit;
        geom_fit(box.w > 0 ? box.w : 1, box.h > 0 ? box.h : 1, w->out_w, w->out_h, &s, &fit);
        for (size_t i = 0; i < n && w->n_views < MAX_VIEWS; i++) {
            if (mons[i].local) {
                struct view *v = &w->views[w->n_views++];
                v->src = mons[i].rect;
                v->dst = geom_map(mons[i].rect, box, fit, s);
                v->scale = s;
            }
        }
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
    /* A window smaller than the monitors it stands for (--window on a big
     * wall) shrinks everything: say so once per size, with the way out. */
    if (w->opts.mode == WALL_OPERATOR && w->n_views && w->views[0].scale < 0.99f &&
        w->views[0].scale != w->logged_scale) {
        int loc[4];
        geom_local(cw, loc);
        if (cw->n_monitors) {
            log_warn(w->log, "the monitors this machine drives are drawn at %.0f%% in a %dx%d output: text and "
                             "pictures are smaller than on the wall", w->views[0].scale * 100.0, w->out_w, w->out_h);
        } else {
            log_warn(w->log, "the %d monitor(s) of %dx%d this machine drives are drawn at %.0f%% in a %dx%d output: "
                             "text and pictures are smaller than on the wall; --monitors COL,ROW,1,1 shows one "
                             "monitor at 1:1", loc[2] * loc[3], cw->size[0], cw->size[1], w->views[0].scale * 100.0,
                     w->out_w, w->out_h);
        }
        w->logged_scale = w->views[0].scale;
    }
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
    dc->enlarged = false; /* render() sets it for the enlarged panel */
    dc->partial = false;  /* render_changed() sets it */
}

/* Operator mode: the background only where no panel of the page is drawn
 * (a panel paints every pixel of its box, so clearing under it was a second
 * fill of most of the screen: fills were a third of a full frame's cost). */
static void clear_around_panels(struct wall *w, size_t first, size_t count)
{
    SDL_Rect boxes[DRAW_MAX_BOXES];
    size_t n = 0;
    for (size_t vi = 0; vi < w->n_views; vi++) {
        const struct view *v = &w->views[vi];
        for (size_t i = 0; i < count && n < DRAW_MAX_BOXES; i++) {
            const struct panel *p = &w->panels[first + i];
            SDL_Rect box = geom_map(p->rect, v->src, v->dst, v->scale), in;
            if (SDL_HasIntersection(&p->rect, &v->src) && SDL_IntersectRect(&box, &v->dst, &in)) {
                boxes[n++] = in;
            }
        }
    }
    if (n == DRAW_MAX_BOXES) { /* more than we sort: clear it all, as always */
        draw_set_color(w->r, w->cfg->wall.background);
        SDL_RenderClear(w->r);
        return;
    }
    draw_fill_uncovered(w->r, (SDL_Rect){ 0, 0, w->out_w, w->out_h }, boxes, n, w->cfg->wall.background);
}

/* Draws one frame into the back buffer (no present). */
static void render(struct wall *w, int64_t now, int64_t wt)
{
    if (w->layout_dirty) {
        layout(w);
    }
    SDL_RenderSetClipRect(w->r, NULL);
    size_t first = w->page_first[w->page], count = wall_page_count(w, w->page);
    if (w->opts.mode == WALL_OPERATOR && w->enlarged < 0) {
        clear_around_panels(w, first, count);
    } else {
        draw_set_color(w->r, w->opts.mode == WALL_PREVIEW ? 0x000000ffu : w->cfg->wall.background);
        SDL_RenderClear(w->r);
    }
    struct draw_ctx dc;
    if (w->enlarged >= 0) {
        struct panel *p = &w->panels[first + (size_t)w->enlarged];
        SDL_Rect out = { 0, 0, w->out_w, w->out_h };
        float s = fminf((float)w->out_w / (float)p->rect.w, (float)w->out_h / (float)p->rect.h);
        make_ctx(w, &dc, s, now, wt);
        dc.enlarged = true;
        draw_fill(w->r, out, w->cfg->wall.background);
        SDL_RenderSetClipRect(w->r, &out);
        chrome_draw_panel(w, p, rect_inset(out, 4), out, &dc, false);
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
                chrome_draw_panel(w, p, box, v->dst, &dc, (int)i == w->selected);
            }
            if (w->opts.mode == WALL_PREVIEW) {
                chrome_draw_bezels(w, v);
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
           !(w->quit_armed_until && now < w->quit_armed_until) && !(w->ack_armed_until && now < w->ack_armed_until) &&
           !w->show_alarm_log && !w->show_align;
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
        dc.partial = true;
        for (size_t i = 0; i < count; i++) {
            struct panel *p = &w->panels[first + i];
            if (p->redraw && SDL_HasIntersection(&p->rect, &v->src)) {
                SDL_Rect box = geom_map(p->rect, v->src, v->dst, v->scale), drawn;
                chrome_draw_panel(w, p, box, v->dst, &dc, (int)i == w->selected);
                if (SDL_IntersectRect(&box, &v->dst, &drawn)) {
                    wall_damage(w, drawn);
                }
            }
        }
    }
    SDL_RenderSetClipRect(w->r, NULL);
    overlay_draw_status(w); /* over whatever panel was just redrawn under it */
    overlay_draw_alarm_banner(w, now);
}

/* Records one frame's wall time and render-thread CPU (t0/c0: its start). */
static double record_frame(struct wall *w, double t0, double c0)
{
    double ms = mono_ms() - t0, cpu = cpu_now_ms() - c0;
    w->cpu_ms_total += cpu;
    w->ft[w->ft_n % FRAME_RING] = ms;
    w->fcpu[w->ft_n % FRAME_RING] = cpu;
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

/* Defined here so tests linking the wall without main.c have it. */
atomic_int pantau_screenshot_requested;
atomic_int pantau_dump_requested;

/* The alarm list's hook: every raise, clear and acknowledgement goes to
 * the alarm log (with who acknowledged, set by control.c). */
static void on_alarm_event(void *ctx, enum alarm_event ev, const struct alarm *a)
{
    struct wall *w = ctx;
    alarm_log_event(w->alarm_log, wall_time(), ev, a, ev == ALARM_ACKED ? (w->ack_by ? w->ack_by : "?") : NULL);
}

struct wall *wall_create(const struct cfg *cfg, struct scene *scene, const struct wall_opts *o,
                         char *err, size_t errlen)
{
    pthread_once(&wake_once, wake_init);
    struct wall *w = xcalloc(1, sizeof(*w));
    w->cfg = cfg;
    w->scene = scene;
    w->opts = *o;
    w->log = log_create("wall");
    w->selected = -1;
    w->enlarged = -1;
    w->tour_driver = true;
    w->layout_dirty = true;
    w->dirty = true;
    w->drawn_second = -1;
    w->alarm_log = alarm_log_open(cfg->alarm_log, w->log);
    w->alarms.hook = on_alarm_event;
    w->alarms.hook_ctx = w;
    wall_set_node(w, o->node);
    if (window_open(w, err, errlen) < 0) {
        goto fail;
    }
    w->text = text_cache_create(w->r, 4096, 96u << 20, err, errlen);
    if (!w->text) {
        goto fail;
    }
    build_panels(w);
    layout(w); /* before the feeds start: see place_panels */
    if (o->trace_path) {
        w->trace = fopen(o->trace_path, "w");
        if (!w->trace) {
            snprintf(err, errlen, "--trace %s: %s", o->trace_path, errno_text(errno));
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

static void free_panels(struct wall *w)
{
    for (size_t i = 0; i < w->n_panels; i++) {
        if (w->panels[i].ops && w->panels[i].ops->destroy) {
            w->panels[i].ops->destroy(&w->panels[i]);
        }
    }
    free(w->panels);
    free(w->page_first);
    free(w->ack_subs);
    free(w->ack_seq);
    w->panels = NULL;
    w->page_first = NULL;
    w->ack_subs = NULL;
    w->ack_seq = NULL;
    w->n_panels = w->n_ack = 0;
}

void wall_unload_panels(struct wall *w)
{
    const struct cfg_page *pg = &w->cfg->pages[w->page];
    struct panel *en = wall_page_panel(w, w->enlarged), *sel = wall_page_panel(w, w->selected);
    snprintf(w->keep.page_name, sizeof(w->keep.page_name), "%s", pg->name);
    snprintf(w->keep.enlarged, sizeof(w->keep.enlarged), "%s", en ? en->cfg->id : "");
    snprintf(w->keep.selected, sizeof(w->keep.selected), "%s", sel ? sel->cfg->id : "");
    free_panels(w);
}

static bool panel_exists(const char *id, void *ctx)
{
    const struct cfg *c = ctx;
    if (strncmp(id, "source:", 7) == 0) {
        for (size_t i = 0; i < c->n_sources; i++) {
            if (c->sources[i].alarm_after > 0 && strcmp(c->sources[i].name, id + 7) == 0) {
                return true; /* a source alarm stays while its source watches */
            }
        }
        return false;
    }
    for (size_t i = 0; i < c->n_pages; i++) {
        for (size_t j = 0; j < c->pages[i].n_panels; j++) {
            if (strcmp(c->pages[i].panels[j].id, id) == 0) {
                return true;
            }
        }
    }
    return false;
}

/* The index within page `page` of the panel with id, or -1. */
static int page_panel_index(const struct cfg *c, size_t page, const char *id)
{
    for (size_t j = 0; id[0] && j < c->pages[page].n_panels; j++) {
        if (strcmp(c->pages[page].panels[j].id, id) == 0) {
            return (int)j;
        }
    }
    return -1;
}

void wall_load_panels(struct wall *w, const struct cfg *cfg)
{
    size_t old_page = w->page;
    if (strcmp(w->cfg->title, cfg->title) != 0 && w->win) {
        SDL_SetWindowTitle(w->win, cfg->title);
    }
    w->cfg = cfg;
    /* The same page by name, else the same place in the tour. */
    w->page = old_page < cfg->n_pages ? old_page : cfg->n_pages - 1;
    for (size_t i = 0; i < cfg->n_pages; i++) {
        if (w->keep.page_name[0] && strcmp(cfg->pages[i].name, w->keep.page_name) == 0) {
            w->page = i;
            break;
        }
    }
    if (w->page != old_page) {
        w->page_since_ms = now_ms();
    }
    w->enlarged = page_panel_index(cfg, w->page, w->keep.enlarged);
    w->selected = page_panel_index(cfg, w->page, w->keep.selected);
    size_t gone = alarms_keep_only(&w->alarms, panel_exists, (void *)cfg);
    if (gone) {
        log_info(w->log, "reload: %zu alarm%s of removed panels dropped", gone, gone == 1 ? "" : "s");
    }
    build_panels(w);
    w->layout_dirty = true;
    w->dirty = true;
    layout(w);
}

void wall_destroy(struct wall *w)
{
    if (!w) {
        return;
    }
    free_panels(w);
    free(w->src_down);
    alarm_log_close(w->alarm_log);
    if (w->trace) {
        fclose(w->trace);
    }
    text_cache_destroy(w->text);
    if (w->r) {
        draw_direct_forget(w->r);
        SDL_DestroyRenderer(w->r);
    }
    if (w->surface) {
        SDL_FreeSurface(w->surface);
    }
    for (size_t i = 0; i < w->n_outs; i++) {
        SDL_DestroyWindow(w->outs[i].win);
    }
    if (w->win && !w->n_outs) {
        SDL_DestroyWindow(w->win);
    }
    log_destroy(w->log);
    free(w);
    IMG_Quit();
    SDL_Quit();
}

void wall_set_node(struct wall *w, const char *node)
{
    snprintf(w->node, sizeof(w->node), "%s", node ? node : "");
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
    ui->ack_armed = w->ack_armed_until != 0;
    ui->alarm_log = w->show_alarm_log;
}

#define SELECT_HOLD_MS 30000 /* a selection holds the tour this long after the last input */

/* Whether a panel of page has an active, unacknowledged alarm. */
static bool page_has_open_alarm(const struct wall *w, size_t page)
{
    for (size_t i = 0; i < w->alarms.n; i++) {
        const struct alarm *a = &w->alarms.items[i];
        const struct panel *p = a->active && !a->acked ? wall_panel_by_id(w, a->panel_id) : NULL;
        if (p && p->page == page) {
            return true;
        }
    }
    return false;
}

/* wall.on_alarm: show: the newest open alarm's page comes up once, when it
 * is raised (an operator may turn away from it afterwards; the banner
 * still names it). Not while a panel is enlarged: someone is looking. */
static void show_new_alarm(struct wall *w)
{
    for (size_t i = 0; i < w->alarms.n; i++) {
        const struct alarm *a = &w->alarms.items[i];
        if (!a->active || a->acked) {
            continue;
        }
        if (strcmp(a->panel_id, w->alarm_shown) == 0 && a->since == w->alarm_shown_since) {
            return; /* already brought up */
        }
        const struct panel *p = wall_panel_by_id(w, a->panel_id);
        if (!p || w->enlarged >= 0) {
            return;
        }
        snprintf(w->alarm_shown, sizeof(w->alarm_shown), "%s", a->panel_id);
        w->alarm_shown_since = a->since;
        if (p->page != w->page) {
            log_info(w->log, "alarm on %s: bringing up page %zu", a->panel_id, p->page + 1);
            control_exec(w, &(struct wall_cmd){ .kind = CMD_PAGE, .arg = (int)p->page, .origin = "alarm" });
        }
        return;
    }
}

/* The down-since record of source name (made when missing). */
static struct src_down *src_down_of(struct wall *w, const char *name)
{
    for (size_t i = 0; i < w->n_src_down; i++) {
        if (strcmp(w->src_down[i].name, name) == 0) {
            return &w->src_down[i];
        }
    }
    if (w->n_src_down == w->cap_src_down) {
        w->cap_src_down = w->cap_src_down ? w->cap_src_down * 2 : 16;
        w->src_down = xrealloc(w->src_down, w->cap_src_down * sizeof(*w->src_down));
    }
    struct src_down *d = &w->src_down[w->n_src_down++];
    snprintf(d->name, sizeof(d->name), "%s", name);
    d->since = 0;
    return d;
}

/* sources.*.alarm_after: a source not live for that long raises the alarm
 * "source:<name>" (its value: why), cleared once it is live again. Once a
 * second. */
static void watch_sources(struct wall *w, int64_t now)
{
    for (size_t i = 0; i < w->cfg->n_sources; i++) {
        const struct cfg_source *cs = &w->cfg->sources[i];
        struct scene_source *src = cs->alarm_after > 0 ? scene_find_source(w->scene, cs->name) : NULL;
        if (!src) {
            continue;
        }
        struct source_info si;
        scene_source_get(src, &si);
        struct src_down *d = src_down_of(w, cs->name);
        char id[80];
        snprintf(id, sizeof(id), "source:%s", cs->name);
        if (si.status == SOURCE_LIVE) {
            if (d->since) {
                alarms_clear(&w->alarms, id);
            }
            d->since = 0;
            continue;
        }
        if (!d->since) {
            d->since = now;
        }
        if (now - d->since >= cs->alarm_after) {
            char why[160];
            tr_reason(w->cfg->locale, si.reason[0] ? si.reason : source_status_name(si.status), why, sizeof(why));
            bool same = false; /* raised already with this reason: nothing to redraw */
            for (size_t k = 0; k < w->alarms.n && !same; k++) {
                const struct alarm *a = &w->alarms.items[k];
                same = a->active && strcmp(a->panel_id, id) == 0 && strncmp(a->value, why, sizeof(a->value) - 1) == 0;
            }
            if (!same) {
                alarms_raise(&w->alarms, id, cs->alarm_label && cs->alarm_label[0] ? cs->alarm_label : cs->name,
                             why, wall_time());
            }
        }
    }
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
    if (now / 1000 != w->expired_second) {
        w->expired_second = now / 1000;
        text_cache_expire(w->text, now, TEXT_IDLE_MS);
        watch_sources(w, now);
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
    if (w->ack_armed_until && (now >= w->ack_armed_until || !alarms_count_unacked(&w->alarms))) {
        w->ack_armed_until = 0; /* timed out, or nothing left to acknowledge */
        w->dirty = true;
    }
    if (w->tour_driver && w->cfg->wall.on_alarm == ON_ALARM_SHOW) {
        show_new_alarm(w);
    }
    const struct cfg_page *pg = &w->cfg->pages[w->page];
    bool alarm_holds = w->cfg->wall.on_alarm != ON_ALARM_BANNER && page_has_open_alarm(w, w->page);
    /* An operator who selected a panel and is still at the keys or mouse
     * is not pulled away by the tour; SELECT_HOLD_MS after the last input
     * the selection goes and the tour goes on. */
    bool operator_holds = false;
    if (w->selected >= 0 && w->input_ms) {
        if (now - w->input_ms < SELECT_HOLD_MS) {
            operator_holds = true;
        } else if (w->tour_driver && pg->show_for > 0) {
            w->selected = -1;
            w->dirty = true;
        }
    }
    if (pg->show_for > 0 && w->enlarged < 0 && !w->show_help && !w->tour_held && w->tour_driver &&
        w->cfg->n_pages > 1 && !alarm_holds && !operator_holds &&
        now - w->page_since_ms >= pg->show_for) {
        control_exec(w, &(struct wall_cmd){ .kind = CMD_PAGE_NEXT, .origin = "tour" });
    }
}

/* Waits for input until the next frame slot when nothing needs drawing,
 * then handles every pending event and the signals' requests. */
static void take_input(struct wall *w, bool every, double next_due, double interval)
{
    SDL_Event ev;
    if (!every && !w->dirty && !w->partial) {
        /* Sleep until an event or the next frame slot, then look at the
         * scene again: feeds do not wake us, so this bounds how late a new
         * value is drawn to about one frame. */
        double wait = next_due - mono_ms();
        if (wait < 1) {
            wait = interval;
        }
        if (!w->poll_wait) {
            if (SDL_WaitEventTimeout(&ev, (int)wait)) {
                input_handle(w, &ev);
            }
        } else if (SDL_PollEvent(&ev)) {
            input_handle(w, &ev);
        } else {
            wake_wait(wait);
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
}

/* Draws one frame (whole, or only the changed panels) into the back
 * buffer and counts it. True when it drew the whole frame. */
static bool paint(struct wall *w, bool every, int64_t now, int64_t wt)
{
    bool full = every || w->dirty || !partial_ok(w, now);
    w->dirty = false;
    w->drawn_second = wt;
    w->n_damage = 0;
    w->damage_all = full;
    w->damage_overflow = false;
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
    return full;
}

int wall_step(struct wall *w)
{
    int64_t now = now_ms(), wt = wall_time();
    tick(w, now, wt);
    if (!w->dirty && !w->partial) {
        return 0;
    }
    return paint(w, false, now, wt) ? 2 : 1;
}

/* Shows the frame: after a partial redraw with SDL's software renderer in
 * a window of its own, only the rectangles drawn (SDL_RenderPresent would
 * send the whole window: 8 MB a frame at 1080p to the X server). */
static void present(struct wall *w)
{
    if (w->damage_all || w->damage_overflow || w->gpu || w->surface) {
        SDL_RenderPresent(w->r);
        return;
    }
    SDL_RenderFlush(w->r);
    if (w->n_damage && SDL_UpdateWindowSurfaceRects(w->win, w->damage, (int)w->n_damage) != 0) {
        SDL_RenderPresent(w->r); /* the surface went away (resized): all of it */
    }
}

/* After a frame is drawn, before it is presented: the screenshots asked
 * for. Returns -1 when the --screenshot of the last frame failed. */
static int save_screenshots(struct wall *w, bool last)
{
    if (w->want_screenshot) {
        diag_take_screenshot(w);
    }
    if (!last || !w->opts.screenshot) {
        return 0;
    }
    char err[512];
    if (wall_save_screenshot(w, w->opts.screenshot, err, sizeof(err)) < 0) {
        log_error(w->log, "screenshot failed: %s", err);
        return -1;
    }
    log_info(w->log, "screenshot written to %s", w->opts.screenshot);
    return 0;
}

int wall_run(struct wall *w, atomic_int *stop)
{
    int rc = 0;
    bool batch = w->opts.frames > 0 && w->opts.headless;
    bool every = w->opts.every_frame || batch;
    bool paced = !batch || w->opts.fps > 0;
    double interval = 1000.0 / (w->opts.fps > 0 ? w->opts.fps : 60);
    double next_due = 0; /* when the next frame may start (monotonic ms) */
    while (!*stop && !w->quit) {
        take_input(w, every, next_due, interval);
        if (w->opts.hook) {
            w->opts.hook(w, w->opts.hook_ctx);
        }
        int64_t now = now_ms();
        int64_t wt = wall_time();
        tick(w, now, wt);
        if (w->opts.hook_late) {
            w->opts.hook_late(w, w->opts.hook_ctx);
        }
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
        double t0 = mono_ms(), c0 = cpu_now_ms();
        paint(w, every, now, wt);
        bool last = w->opts.frames > 0 && w->frames_rendered >= w->opts.frames;
        if (save_screenshots(w, last) < 0) {
            rc = -1;
        }
        present(w);
        window_present(w);
        record_frame(w, t0, c0);
        if (last && w->opts.screenshot && w->n_outs) {
            char err[512];
            if (window_save_outputs(w, w->opts.screenshot, err, sizeof(err)) < 0) {
                log_error(w->log, "screenshot of the outputs failed: %s", err);
                rc = -1;
            }
        }
        if (w->trace) {
            diag_write_trace(w);
        }
        if (last) {
            break;
        }
    }
    diag_write_stats(w);
    if (w->opts.dump_path) {
        char err[512];
        if (wall_dump(w, w->opts.dump_path, err, sizeof(err)) < 0) {
            log_error(w->log, "scene dump failed: %s", err);
            rc = -1;
        }
    }
    return rc;
}
