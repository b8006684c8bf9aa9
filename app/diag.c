/* app/diag.c: what the wall tells about itself: screenshots, the frame-time
 * stats file, the --trace lines and the --dump-scene JSON. Render thread. */
#include "diag.h"
#include "chrome.h"
#include "overlay.h"
#include "wall_state.h"
#include "alarmlog.h"
#include "../core/i18n.h"
#include "../core/util.h"

#include <SDL_image.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

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

void diag_take_screenshot(struct wall *w)
{
    char stamp[32], path[PATH_MAX + 64], err[512];
    time_t t = (time_t)wall_time();
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    /* The full path: "./pantau-....png" says nothing to an operator. */
    char dir[PATH_MAX];
    if (!realpath(w->cfg->screenshot_dir, dir)) {
        snprintf(dir, sizeof(dir), "%s", w->cfg->screenshot_dir);
    }
    snprintf(path, sizeof(path), "%s/pantau-%s.png", dir, stamp);
    w->want_screenshot = false;
    if (wall_save_screenshot(w, path, err, sizeof(err)) == 0) {
        log_info(w->log, "screenshot saved to %s", path);
        wall_toast(w, 4000, "%s %s", tr(w->cfg->locale, TR_SCREENSHOT_SAVED), path);
    } else {
        log_warn(w->log, "screenshot failed: %s", err);
        wall_toast(w, 6000, "%s %s", tr(w->cfg->locale, TR_SCREENSHOT_FAILED), err);
    }
}

void diag_write_stats(struct wall *w)
{
    if (!w->opts.stats_path) {
        return;
    }
    FILE *f = fopen(w->opts.stats_path, "w");
    if (!f) {
        log_warn(w->log, "cannot write %s: %s", w->opts.stats_path, errno_text(errno));
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

/* One line per value drawn for the first time, stamped when presented:
 * "<panel id> <value> <wall clock ms>" (bench/mqtt measures latency). */
void diag_write_trace(struct wall *w)
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


int wall_dump(struct wall *w, const char *path, char *err, size_t errlen)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *sources = cJSON_AddObjectToObject(root, "sources");
    for (size_t i = 0; i < scene_n_sources(w->scene); i++) {
        struct scene_source *src = scene_source_at(w->scene, i);
        struct source_info si;
        scene_source_get(src, &si);
        cJSON *o = cJSON_AddObjectToObject(sources, scene_source_name(src));
        cJSON_AddStringToObject(o, "status", source_status_name(si.status));
        cJSON_AddStringToObject(o, "reason", si.reason);
        cJSON_AddNumberToObject(o, "frames", (double)si.counters[SOURCE_FRAMES]);
        cJSON_AddNumberToObject(o, "errors", (double)si.counters[SOURCE_ERRORS]);
        cJSON_AddNumberToObject(o, "bytes", (double)si.counters[SOURCE_BYTES]);
        cJSON_AddNumberToObject(o, "reconnects", (double)si.counters[SOURCE_RECONNECTS]);
        cJSON_AddNumberToObject(o, "drops", (double)si.counters[SOURCE_DROPS]);
        cJSON_AddNumberToObject(o, "damaged", (double)si.counters[SOURCE_DAMAGED]);
        cJSON_AddStringToObject(o, "detail", si.detail);
        /* CLOCK_MONOTONIC ms of the last status change: a reader on this
         * machine times a recovery with pantau's clock, not its own lag. */
        cJSON_AddNumberToObject(o, "since_ms", (double)si.status_since_ms);
    }
    cJSON *ui = cJSON_AddObjectToObject(root, "wall");
    cJSON_AddNumberToObject(ui, "page", (double)w->page);
    cJSON_AddNumberToObject(ui, "enlarged", w->enlarged);
    cJSON_AddNumberToObject(ui, "selected", w->selected);
    cJSON_AddBoolToObject(ui, "tour_held", w->tour_held);
    cJSON_AddBoolToObject(ui, "align", w->show_align);
    cJSON_AddNumberToObject(ui, "pages", (double)w->cfg->n_pages);
    /* Frame times over the last FRAME_RING frames (the soak samples them). */
    double p50, p99, max;
    frame_stats(w, &p50, &p99, &max);
    cJSON_AddNumberToObject(ui, "frames_rendered", (double)w->frames_rendered);
    cJSON_AddNumberToObject(ui, "frame_p50_ms", p50);
    cJSON_AddNumberToObject(ui, "frame_p99_ms", p99);
    cJSON_AddNumberToObject(ui, "frame_max_ms", max);
    /* The render thread's CPU in the frames at or over p99: near their wall
     * time when drawing was dear, far under it when the thread waited (for
     * the CPU or a lock). */
    size_t n = w->ft_n < FRAME_RING ? w->ft_n : FRAME_RING, slow = 0;
    double slow_cpu = 0;
    for (size_t i = 0; i < n && p99 > 0; i++) {
        if (w->ft[i] >= p99) {
            slow_cpu += w->fcpu[i];
            slow++;
        }
    }
    cJSON_AddNumberToObject(ui, "frame_p99_cpu_ms", slow ? slow_cpu / (double)slow : 0);
    size_t hidden = 0;
    SDL_Rect banner = overlay_alarm_banner_rect(w, &hidden);
    cJSON *b = cJSON_AddObjectToObject(ui, "alarm_banner");
    cJSON_AddNumberToObject(b, "hidden", (double)hidden);
    cJSON_AddNumberToObject(b, "x", banner.x);
    cJSON_AddNumberToObject(b, "y", banner.y);
    cJSON_AddNumberToObject(b, "w", banner.w);
    cJSON_AddNumberToObject(b, "h", banner.h);
    struct text_cache_stats tst;
    text_cache_stats(w->text, &tst);
    cJSON_AddNumberToObject(ui, "text_cache_entries", (double)tst.entries);
    cJSON_AddNumberToObject(ui, "text_cache_bytes", (double)tst.bytes);
#ifdef __GLIBC__
    /* Bytes the program holds (in every arena, and mmapped blocks), against
     * RSS: the soak tells a leak (this grows) from fragmentation (only RSS
     * does). */
    struct mallinfo2 mi = mallinfo2();
    cJSON_AddNumberToObject(ui, "heap_in_use", (double)(mi.uordblks + mi.hblkhd));
    cJSON_AddNumberToObject(ui, "heap_free", (double)mi.fordblks);
#endif
    cJSON *panels = cJSON_AddObjectToObject(root, "panels");
    int64_t now = now_ms();
    for (size_t i = 0; i < w->n_panels; i++) {
        struct panel *p = &w->panels[i];
        cJSON *o = cJSON_AddObjectToObject(panels, p->cfg->id);
        cJSON_AddStringToObject(o, "kind", p->cfg->kind->name);
        cJSON_AddNumberToObject(o, "page", (double)p->page);
        cJSON_AddStringToObject(o, "label", p->cfg->label);
        cJSON_AddNumberToObject(o, "title_px", p->title_px);
        cJSON_AddBoolToObject(o, "title_whole", p->title_whole);
        cJSON_AddBoolToObject(o, "title_clock", p->title_clock_shown);
        if (p->text_px) {
            cJSON_AddNumberToObject(o, "text_px", p->text_px);
        }
        /* On the canvas (window pixels when one display fills the window). */
        cJSON *r = cJSON_AddArrayToObject(o, "rect");
        const int xywh[4] = { p->rect.x, p->rect.y, p->rect.w, p->rect.h };
        for (int k = 0; k < 4; k++) {
            cJSON_AddItemToArray(r, cJSON_CreateNumber(xywh[k]));
        }
        if (p->source) {
            const char *badge;
            uint32_t color;
            chrome_badge(p, CFG_LOCALE_EN, &badge, &color);
            cJSON_AddStringToObject(o, "badge", badge);
        }
        if (p->ops && p->ops->describe) {
            p->ops->describe(p, o);
        }
        char bands[320];
        if (p->ops && p->ops->bands && p->ops->bands(p, w->cfg->locale, bands, sizeof(bands))) {
            cJSON_AddStringToObject(o, "bands", bands); /* the enlarged panel's line */
        }
        (void)now;
    }
    /* The alarm log's last entries, newest first, as in its file. */
    cJSON *alog = cJSON_AddArrayToObject(root, "alarm_log");
    const char *lines[ALARM_LOG_RECENT];
    size_t nl = alarm_log_recent(w->alarm_log, lines, ALARM_LOG_RECENT);
    for (size_t i = 0; i < nl; i++) {
        cJSON_AddItemToArray(alog, cJSON_CreateString(lines[i]));
    }
    cJSON_AddBoolToObject(ui, "alarm_log_shown", w->show_alarm_log);
    cJSON *alarms = cJSON_AddArrayToObject(root, "alarms");
    for (size_t i = 0; i < w->alarms.n; i++) {
        const struct alarm *a = &w->alarms.items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "panel", a->panel_id);
        cJSON_AddStringToObject(o, "label", a->label);
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
        snprintf(err, errlen, "%s: %s", path, errno_text(errno));
        rc = -1;
    }
    free(tmp);
    free(text);
    return rc;
}
