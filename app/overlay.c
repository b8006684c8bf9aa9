/* app/overlay.c: what the wall draws over the panels: help (F1), stats
 * (i), the quit confirmation and short notices (toasts). Render thread. */
#include "overlay.h"
#include "wall_state.h"
#include "alarmlog.h"
#include "align.h"
#include "geometry.h"
#include "../core/i18n.h"
#include "../core/util.h"
#include "../widgets/draw.h"
#include "../widgets/status.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void wall_toast(struct wall *w, int64_t ms, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->toast, sizeof(w->toast), fmt, ap);
    va_end(ap);
    w->toast_until = now_ms() + ms;
    w->dirty = true;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void frame_stats(const struct wall *w, double *p50, double *p99, double *max)
{
    size_t n = w->ft_n < FRAME_RING ? w->ft_n : FRAME_RING;
    *p50 = *p99 = *max = 0;
    if (!n) {
        return;
    }
    double sorted[FRAME_RING];
    memcpy(sorted, w->ft, n * sizeof(double));
    qsort(sorted, n, sizeof(double), cmp_double);
    *p50 = sorted[n / 2];
    size_t i99 = (n * 99 + 99) / 100;
    *p99 = sorted[(i99 ? i99 : 1) - 1];
    *max = sorted[n - 1];
}

static int ui_size(const struct wall *w)
{
    int s = w->out_h / 48;
    return s < 12 ? 12 : s > 28 ? 28 : s;
}

static void draw_help(struct wall *w)
{
    int fs = ui_size(w);
    int lh = text_line_height(w->text, fs, false);
    const char *const *lines = tr_help(w->cfg->locale);
    int n = 0;
    /* The box fits its widest key and line (up to the screen), and is
     * opaque: the wall must not ghost through the text. */
    int key_w = 0, text_w = 0;
    while (lines[(size_t)n * 2]) {
        int kw, tw, h;
        text_measure(w->text, lines[(size_t)n * 2], fs, true, &kw, &h);
        text_measure(w->text, lines[(size_t)n * 2 + 1], fs, false, &tw, &h);
        key_w = kw > key_w ? kw : key_w;
        text_w = tw > text_w ? tw : text_w;
        n++;
    }
    int bw = key_w + text_w + 4 * fs;
    if (bw > w->out_w - 20) {
        bw = w->out_w - 20;
    }
    int bh = (n + 3) * lh + lh;
    SDL_Rect box = { (w->out_w - bw) / 2, (w->out_h - bh) / 2, bw, bh };
    draw_fill(w->r, box, 0x0b0f14ff);
    draw_frame(w->r, box, 2, COLOR_SELECT);
    int x = box.x + fs, y = box.y + lh / 2;
    char title[128];
    snprintf(title, sizeof(title), "%s \xe2\x80\x94 %s", w->cfg->title, tr(w->cfg->locale, TR_HELP_TITLE));
    text_draw(w->text, title, fs + 4, true, COLOR_SELECT, x, y, bw - 2 * fs, TEXT_LEFT);
    y += lh + lh / 2;
    int col = key_w + fs < (bw - 2 * fs) / 2 ? key_w + fs : (bw - 2 * fs) / 2;
    for (int i = 0; i < n; i++) {
        text_draw(w->text, lines[(size_t)2 * i], fs, true, COLOR_TEXT, x, y, col - fs / 2, TEXT_LEFT);
        text_draw(w->text, lines[(size_t)2 * i + 1], fs, false, COLOR_TEXT, x + col, y, bw - 2 * fs - col, TEXT_LEFT);
        y += lh;
    }
    text_draw(w->text, tr(w->cfg->locale, TR_HELP_CLOSE), fs - 2, false, COLOR_DIM_TEXT, x, y + lh / 2,
              bw - 2 * fs, TEXT_LEFT);
}

/* L: the alarm log's last entries, newest first, in the wall's words. */
static void draw_alarm_log(struct wall *w)
{
    int fs = ui_size(w);
    int lh = text_line_height(w->text, fs, false);
    const char *lines[ALARM_LOG_RECENT];
    int max_rows = (w->out_h - 4 * lh) / lh;
    size_t n = alarm_log_recent(w->alarm_log, lines, max_rows > 0 ? (size_t)max_rows : 0);
    int bw = w->out_w * 4 / 5, bh = ((int)(n ? n : 1) + 3) * lh + lh / 2;
    SDL_Rect box = { (w->out_w - bw) / 2, (w->out_h - bh) / 2, bw, bh };
    draw_fill(w->r, box, 0x0b0f14ff);
    draw_frame(w->r, box, 2, COLOR_SELECT);
    int loc = w->cfg->locale;
    int x = box.x + fs, y = box.y + lh / 2;
    char title[160];
    snprintf(title, sizeof(title), "%s \xe2\x80\x94 %s", tr(loc, TR_ALARM_LOG_TITLE),
             w->cfg->alarm_log && w->cfg->alarm_log[0] ? w->cfg->alarm_log : tr(loc, TR_ALARM_LOG_MEMORY));
    text_draw(w->text, title, fs + 4, true, COLOR_SELECT, x, y, bw - 2 * fs, TEXT_LEFT);
    y += lh + lh / 2;
    if (!n) {
        text_draw(w->text, tr(loc, TR_ALARM_LOG_EMPTY), fs, false, COLOR_DIM_TEXT, x, y, bw - 2 * fs, TEXT_LEFT);
    }
    int time_w = text_width_chars(w->text, "0000-00-00 00:00:00", fs, false) + fs;
    int ev_w = 0;
    for (int id = TR_EV_RAISED; id <= TR_EV_ACKED; id++) {
        int tw, th;
        text_measure(w->text, tr(loc, (enum tr_id)id), fs, true, &tw, &th);
        ev_w = tw > ev_w ? tw : ev_w;
    }
    ev_w += fs;
    for (size_t i = 0; i < n; i++, y += lh) {
        /* stamp (with zone), event, id, label, value, who: tab-separated */
        char f[6][128] = { "" };
        const char *p = lines[i];
        for (int k = 0; k < 6 && p; k++) {
            const char *tab = strchr(p, '\t');
            size_t len = tab ? (size_t)(tab - p) : strlen(p);
            snprintf(f[k], sizeof(f[k]), "%.*s", (int)(len < 127 ? len : 127), p);
            p = tab ? tab + 1 : NULL;
        }
        f[0][19] = '\0'; /* the zone is in the file */
        int ev = strcmp(f[1], "RAISED") == 0 ? 0 : strcmp(f[1], "CLEARED") == 0 ? 1 : 2;
        uint32_t col = ev == 0 ? COLOR_ALARM : ev == 1 ? COLOR_WARN : COLOR_LIVE;
        text_draw_chars(w->text, f[0], fs, false, COLOR_DIM_TEXT, x, y, 0, TEXT_LEFT);
        text_draw(w->text, tr(loc, (enum tr_id)(TR_EV_RAISED + ev)), fs, true, col, x + time_w, y, ev_w, TEXT_LEFT);
        char rest[400];
        snprintf(rest, sizeof(rest), "%s \xc2\xb7 %s%s%s", f[3][0] ? f[3] : f[2], f[4], f[5][0] ? " \xc2\xb7 " : "",
                 f[5]);
        text_draw(w->text, rest, fs, false, COLOR_TEXT, x + time_w + ev_w, y, bw - 2 * fs - time_w - ev_w, TEXT_LEFT);
    }
}

static void draw_stats(struct wall *w, int64_t now)
{
    int fs = ui_size(w) - 2;
    int lh = text_line_height(w->text, fs, false);
    size_t ns = scene_n_sources(w->scene);
    int rows = 3 + 2 * (int)ns; /* each source: its status line, then its stream line */
    int bw = w->out_w * 4 / 5 > fs * 48 ? w->out_w * 4 / 5 : w->out_w - 20;
    int max_rows = (w->out_h - 20) / lh;
    if (rows > max_rows) {
        rows = max_rows;
    }
    SDL_Rect box = { 10, 10, bw, rows * lh + lh / 2 };
    draw_fill(w->r, box, 0x0b0f14e6);
    int x = box.x + fs / 2, y = box.y + lh / 4, tw = bw - fs;
    double p50, p99, max;
    frame_stats(w, &p50, &p99, &max);
    SDL_RendererInfo info;
    SDL_GetRendererInfo(w->r, &info);
    char line[1024];
    snprintf(line, sizeof(line), "%s \xe2\x80\x94 %s %zu/%zu \xe2\x80\x94 %s %dx%d",
             tr(w->cfg->locale, TR_STATS_TITLE), tr(w->cfg->locale, TR_PAGE), w->page + 1,
             w->cfg->n_pages, info.name, w->out_w, w->out_h);
    text_draw(w->text, line, fs, true, COLOR_SELECT, x, y, tw, TEXT_LEFT);
    y += lh;
    /* The catalogue's formats are ours, with these arguments in this order. */
    snprintf(line, sizeof(line), tr(w->cfg->locale, TR_STATS_FRAME), p50, p99, max, w->fps, w->frames_rendered);
    text_draw(w->text, line, fs, false, COLOR_TEXT, x, y, tw, TEXT_LEFT);
    y += lh;
    struct text_cache_stats ts;
    text_cache_stats(w->text, &ts);
    snprintf(line, sizeof(line), tr(w->cfg->locale, TR_STATS_TEXT_CACHE), ts.entries, (double)ts.bytes / 1048576.0, (unsigned long long)ts.hits,
             (unsigned long long)ts.misses, (unsigned long long)ts.evictions);
    text_draw(w->text, line, fs, false, COLOR_TEXT, x, y, tw, TEXT_LEFT);
    y += lh;
    for (size_t i = 0; i < ns && y + lh <= box.y + box.h; i++) {
        struct scene_source *src = scene_source_at(w->scene, i);
        struct source_info si;
        scene_source_get(src, &si);
        char sum[256];
        status_summary(&si, w->cfg->locale, now, sum, sizeof(sum));
        char counts[160];
        snprintf(counts, sizeof(counts), tr(w->cfg->locale, TR_STATS_SOURCE),
                 (unsigned long long)si.counters[SOURCE_FRAMES], (unsigned long long)si.counters[SOURCE_DROPS],
                 (unsigned long long)si.counters[SOURCE_ERRORS], (unsigned long long)si.counters[SOURCE_RECONNECTS]);
        /* Two lines, so nothing is cut: status and counters, then what
         * the stream is (size, codec, rates) under it. */
        snprintf(line, sizeof(line), "%s: %s \xc2\xb7 %s", scene_source_name(src), sum, counts);
        const char *badge;
        uint32_t color;
        status_badge(&si, w->cfg->locale, &badge, &color);
        draw_fill(w->r, (SDL_Rect){ x, y + lh / 4, fs / 2, lh / 2 }, color);
        text_draw(w->text, line, fs, false, COLOR_TEXT, x + fs, y, tw - fs, TEXT_LEFT);
        y += lh;
        if (si.detail[0] && y + lh <= box.y + box.h) {
            text_draw(w->text, si.detail, fs, false, COLOR_DIM_TEXT, x + 2 * fs, y, tw - 2 * fs, TEXT_LEFT);
            y += lh;
        }
    }
}

/* With the stats overlay, each panel that has a source carries its own
 * line at its foot (what mpv's and Frigate's stats put on each picture):
 * the stream (size, codec, rates) or the status, and the drops and
 * errors. */
static void draw_panel_stats(struct wall *w)
{
    size_t first = w->page_first[w->page], count = wall_page_count(w, w->page);
    for (size_t vi = 0; vi < w->n_views && w->enlarged < 0; vi++) {
        const struct view *v = &w->views[vi];
        SDL_RenderSetClipRect(w->r, &v->dst);
        for (size_t i = 0; i < count; i++) {
            struct panel *p = &w->panels[first + i];
            if (!p->source || !SDL_HasIntersection(&p->rect, &v->src)) {
                continue;
            }
            struct source_info si;
            scene_source_get(p->source, &si);
            char line[400], counts[96];
            snprintf(counts, sizeof(counts), "%s %llu \xc2\xb7 %s %llu", tr(w->cfg->locale, TR_STATS_DROPS),
                     (unsigned long long)si.counters[SOURCE_DROPS], tr(w->cfg->locale, TR_STATS_ERRORS),
                     (unsigned long long)si.counters[SOURCE_ERRORS]);
            const char *badge;
            uint32_t color;
            status_badge(&si, w->cfg->locale, &badge, &color);
            snprintf(line, sizeof(line), "%s \xc2\xb7 %s", si.detail[0] ? si.detail : badge, counts);
            SDL_Rect box = geom_map(p->rect, v->src, v->dst, v->scale);
            int fs = ui_size(w) - 4;
            int lh = text_line_height(w->text, fs, false);
            SDL_Rect strip = { box.x, box.y + box.h - lh - 4, box.w, lh + 4 };
            draw_fill(w->r, strip, 0x0b0f14d8);
            text_draw(w->text, line, fs, false, COLOR_TEXT, strip.x + 4, strip.y + 2, strip.w - 8, TEXT_LEFT);
        }
    }
    SDL_RenderSetClipRect(w->r, NULL);
}

static void banner(struct wall *w, const char *text, uint32_t bg, int y_frac_pct)
{
    int fs = ui_size(w) + 2;
    int lh = text_line_height(w->text, fs, true);
    int tw, th;
    text_measure(w->text, text, fs, true, &tw, &th);
    if (tw > w->out_w - 40) {
        tw = w->out_w - 40;
    }
    SDL_Rect box = { (w->out_w - tw) / 2 - fs, w->out_h * y_frac_pct / 100 - lh, tw + 2 * fs, lh * 2 };
    draw_fill(w->r, box, bg);
    text_draw(w->text, text, fs, true, 0xffffffff, box.x + fs, box.y + lh / 2, tw, TEXT_CENTER);
}

/* An overlay drawn at now (w 0: not drawn) where it was at *last: in a
 * partial redraw a box that moved or went leaves its old pixels over
 * panels that were not redrawn, so the next frame is a full one. */
static void overlay_moved(struct wall *w, SDL_Rect *last, SDL_Rect now)
{
    if (!w->damage_all && !SDL_RectEquals(last, &now)) {
        w->dirty = true;
    }
    *last = now;
}

void overlay_draw_status(struct wall *w)
{
    if (!w->cfg->wall.status_line || w->enlarged >= 0 || w->n_views == 0) {
        return; /* an enlarged panel has the whole screen */
    }
    size_t cams = 0, live = 0;
    for (size_t i = 0; i < w->cfg->n_sources; i++) {
        const struct cfg_source *cs = &w->cfg->sources[i];
        struct scene_source *src = scene_find_source(w->scene, cs->name);
        if (!src || strcmp(cs->kind->name, "video") != 0) {
            continue;
        }
        struct source_info si;
        scene_source_get(src, &si);
        cams++;
        live += si.status == SOURCE_LIVE;
    }
    size_t alarms = alarms_count_unacked(&w->alarms);
    int loc = w->cfg->locale;
    char line[256] = "", part[96];
    size_t len = 0;
    if (w->tour_held) {
        len += (size_t)snprintf(line + len, sizeof(line) - len, "%s", tr(loc, TR_TOUR_HELD));
    }
    if (cams) {
        snprintf(part, sizeof(part), tr(loc, TR_CAMERAS_LIVE), live, cams);
        len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", len ? " \xc2\xb7 " : "", part);
    }
    if (alarms) {
        snprintf(part, sizeof(part), tr(loc, TR_ALARMS_OPEN), alarms);
        len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", len ? " \xc2\xb7 " : "", part);
    }
    if (!len) {
        overlay_moved(w, &w->status_drawn, (SDL_Rect){ 0, 0, 0, 0 });
        return;
    }
    /* Bottom right of the last monitor this machine drives, over the
     * panels: red with an open alarm, amber with a camera down. */
    const struct view *v = &w->views[w->n_views - 1];
    int fs = ui_size(w);
    int lh = text_line_height(w->text, fs, true);
    int tw, th;
    text_measure(w->text, line, fs, true, &tw, &th);
    if (tw > v->dst.w - 4 * fs) {
        tw = v->dst.w - 4 * fs;
    }
    SDL_Rect box = { v->dst.x + v->dst.w - tw - 2 * fs, v->dst.y + v->dst.h - lh - fs / 2, tw + 2 * fs, lh + fs / 2 };
    wall_damage(w, box);
    overlay_moved(w, &w->status_drawn, box);
    /* Opaque: a partial redraw draws it again over itself where the panels
     * under it did not change, and a translucent fill would add up there
     * (darker, flickering as pictures come) until the next full frame. */
    uint32_t bg = alarms ? 0xb0201affu : live < cams ? 0x8a5a00ffu : w->tour_held ? 0x1f4f8affu : 0x1f2733ffu;
    draw_fill(w->r, box, bg);
    text_draw(w->text, line, fs, true, 0xffffffff, box.x + fs, box.y + fs / 4, tw, TEXT_LEFT);
}

/* The newest unacknowledged alarm whose panel is not on screen (NULL when
 * every open alarm is in sight), its panel, and how many such alarms. */
static const struct alarm *hidden_alarm(const struct wall *w, const struct panel **where, size_t *hidden)
{
    const struct alarm *first = NULL;
    const struct panel *shown = w->enlarged >= 0 ? &w->panels[w->page_first[w->page] + (size_t)w->enlarged] : NULL;
    *hidden = 0;
    *where = NULL;
    for (size_t i = 0; i < w->alarms.n; i++) {
        const struct alarm *a = &w->alarms.items[i];
        if (!a->active || a->acked) {
            continue;
        }
        const struct panel *p = wall_panel_by_id(w, a->panel_id);
        bool in_sight = p && (shown ? p == shown : p->page == w->page);
        if (in_sight) {
            continue;
        }
        if (!first) {
            first = a;
            *where = p;
        }
        (*hidden)++;
    }
    return first;
}

static int banner_height(const struct wall *w)
{
    int fs = ui_size(w) * 3 / 2;
    return text_line_height(w->text, fs, true) * 3 / 2;
}

SDL_Rect overlay_alarm_banner_rect(const struct wall *w, size_t *hidden)
{
    const struct panel *p;
    SDL_Rect r = { 0, 0, 0, 0 };
    if (!hidden_alarm(w, &p, hidden) || w->n_views == 0) {
        return r;
    }
    if (w->enlarged >= 0 || w->opts.mode == WALL_PREVIEW) {
        r = (SDL_Rect){ 0, 0, w->out_w, banner_height(w) };
    } else {
        r = (SDL_Rect){ w->views[0].dst.x, w->views[0].dst.y, w->views[0].dst.w, banner_height(w) };
    }
    return r;
}

void overlay_draw_alarm_banner(struct wall *w, int64_t now)
{
    const struct panel *p;
    size_t hidden;
    const struct alarm *a = hidden_alarm(w, &p, &hidden);
    if (!a || w->n_views == 0) {
        overlay_moved(w, &w->banner_drawn, (SDL_Rect){ 0, 0, 0, 0 });
        return;
    }
    int loc = w->cfg->locale;
    char where[160] = "", more[48] = "", line[512];
    if (p && p->page != w->page) {
        const char *name = w->cfg->pages[p->page].name;
        snprintf(where, sizeof(where), "   \xc2\xb7   %s %zu%s%s", tr(loc, TR_PAGE), p->page + 1,
                 name && name[0] ? ": " : "", name && name[0] ? name : "");
    }
    if (hidden > 1) {
        snprintf(more, sizeof(more), "   +%zu %s", hidden - 1, tr(loc, TR_MORE));
    }
    snprintf(line, sizeof(line), "\xe2\x9a\xa0  %s: %s%s%s", a->label[0] ? a->label : a->panel_id, a->value, where,
             more);
    /* Steady red with a brighter half-second: seen from across the room,
     * never mistaken for a panel (panels have dark backgrounds). */
    uint32_t bg = (now / 500) % 2 ? 0xb71c1cffu : 0xe53935ffu;
    int fs = ui_size(w) * 3 / 2;
    int h = banner_height(w);
    int lh = text_line_height(w->text, fs, true);
    size_t n = w->enlarged >= 0 || w->opts.mode == WALL_PREVIEW ? 1 : w->n_views;
    for (size_t i = 0; i < n; i++) {
        SDL_Rect strip = n == 1 && (w->enlarged >= 0 || w->opts.mode == WALL_PREVIEW)
                             ? (SDL_Rect){ 0, 0, w->out_w, h }
                             : (SDL_Rect){ w->views[i].dst.x, w->views[i].dst.y, w->views[i].dst.w, h };
        SDL_RenderSetClipRect(w->r, &strip);
        draw_fill(w->r, strip, bg);
        wall_damage(w, strip);
        if (i == 0) {
            overlay_moved(w, &w->banner_drawn, strip);
        }
        text_draw(w->text, line, fs, true, 0xffffffff, strip.x + fs, strip.y + (h - lh) / 2, strip.w - 2 * fs,
                  TEXT_CENTER);
    }
    SDL_RenderSetClipRect(w->r, NULL);
}

void overlay_draw(struct wall *w, int64_t now)
{
    if (w->show_align && w->enlarged < 0) {
        align_draw(w); /* over the panels; the banner and notices still show over it */
    }
    overlay_draw_status(w);
    overlay_draw_alarm_banner(w, now);
    if (w->show_stats) {
        draw_panel_stats(w);
        draw_stats(w, now);
    }
    if (w->show_alarm_log) {
        draw_alarm_log(w);
    }
    if (w->show_help) {
        draw_help(w);
    }
    if (w->toast_until && now < w->toast_until) {
        banner(w, w->toast, 0x1f2733f0, 90);
    }
    if (w->quit_armed_until && now < w->quit_armed_until) {
        banner(w, tr(w->cfg->locale, TR_QUIT_CONFIRM), 0xb0201af0, 50);
    }
    if (w->ack_armed_until && now < w->ack_armed_until) {
        char q[256];
        snprintf(q, sizeof(q), tr(w->cfg->locale, TR_ACK_ALL_CONFIRM), alarms_count_unacked(&w->alarms));
        banner(w, q, 0xb0201af0, 50);
    }
}
