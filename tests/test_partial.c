/* tests/test_partial.c: a partial redraw (only the panels that changed,
 * drawn over the last frame's pixels, as the frame loop does with the
 * software renderer) leaves exactly the screen a full redraw of the same
 * state gives: while pictures arrive, when a badge changes with a picture,
 * when an alarm's border comes and goes. And it does skip what it may: the
 * title bars and letterbox bars of panels whose picture alone changed.
 * And what it presents to the window (its damage rectangles) holds every
 * pixel it changed.
 * SDL's software renderer on the offscreen driver; real swscale pictures
 * through the video panel. */
#include "core/alarms.h"
#include "core/scene.h"
#include "core/util.h"
#include "app/wall.h"
#include "app/wall_state.h"
#include "config/config.h"
#include "feeds/feed.h"
#include "feeds/video.h"
#include "feeds/video_picture.h"
#include "widgets/widget.h"
#include "check.h"

#include <SDL.h>
#include <cJSON.h>
#include <libavutil/frame.h>
#include <stdlib.h>
#include <string.h>

#define W 640
#define H 360

static const char *cfg_text =
    "version: 1\n"
    "wall: { displays: { columns: 1, rows: 1, size: [640, 360] }, grid: [2, 2], gap: 4 }\n"
    "sources:\n"
    "  cam1: { video: \"rtsp://127.0.0.1:9/a\" }\n"
    "  cam2: { video: \"rtsp://127.0.0.1:9/b\" }\n"
    "  cam3: { video: \"rtsp://127.0.0.1:9/c\" }\n"
    "pages:\n"
    "  - name: one\n"
    "    panels:\n"
    "      - { video: cam1, id: v1, label: \"Gate\", at: [0, 0, 1, 1] }\n"
    "      - { video: cam2, id: v2, label: \"Yard\", at: [1, 0, 1, 1] }\n"
    "      - { video: cam3, id: v3, label: \"Road\", at: [0, 1, 1, 1] }\n"
    "      - { text: \"Shift B\", at: [1, 1, 1, 1] }\n";

/* A 352x288 camera's picture as the feed makes it for the source's box:
 * fitted, in one colour (Y, U, V). */
static void put_picture(struct scene_source *src, int y, int u, int v)
{
    struct source_view view;
    scene_source_get_view(src, &view);
    int dw = 352, dh = 288;
    if (view.w > 0 && view.h > 0) {
        view_fit_size(view.w, view.h, 352, 288, 1, 1, view.fit, &dw, &dh);
    }
    AVFrame *f = av_frame_alloc();
    f->format = AV_PIX_FMT_YUV420P;
    f->width = dw;
    f->height = dh;
    if (av_frame_get_buffer(f, 32) < 0) {
        av_frame_free(&f);
        CHECK(false, "a picture buffer");
        return;
    }
    int val[3] = { y, u, v };
    for (int p = 0; p < 3; p++) {
        memset(f->data[p], val[p], (size_t)f->linesize[p] * (size_t)(p ? (dh + 1) / 2 : dh));
    }
    struct video_frame *vf = xcalloc(1, sizeof(*vf));
    *vf = (struct video_frame){ .av = f, .src_w = 352, .src_h = 288, .sar_num = 1, .sar_den = 1 };
    scene_mailbox_put(src, vf);
    scene_source_touch(src);
}

static uint32_t *read_screen(SDL_Renderer *r)
{
    uint32_t *px = xmalloc((size_t)W * H * 4);
    SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, px, W * 4);
    return px;
}

/* The screen as it stands after the partial redraws, against a full redraw
 * of the same state: the number of pixels that differ (and where the first
 * one is, for the message). */
static int differs_from_full(struct wall *w, const char *what)
{
    SDL_Renderer *r = wall_renderer(w);
    uint32_t *partial = read_screen(r);
    SDL_Delay(2);
    wall_render_frame(w);
    uint32_t *full = read_screen(r);
    int n = 0, first = -1;
    for (int i = 0; i < W * H; i++) {
        if (partial[i] != full[i]) {
            n += 1;
            first = first < 0 ? i : first;
        }
    }
    if (n) {
        fprintf(stderr, "%s: %d pixels differ, the first at (%d, %d): partial #%06x, full #%06x\n", what, n,
                first % W, first / W, (unsigned)partial[first] & 0xffffffu, (unsigned)full[first] & 0xffffffu);
    }
    free(partial);
    free(full);
    return n;
}

static struct panel *panel_of(struct wall *w, const char *id)
{
    for (size_t i = 0; i < w->n_panels; i++) {
        if (strcmp(w->panels[i].cfg->id, id) == 0) {
            return &w->panels[i];
        }
    }
    return NULL;
}

static double described(struct panel *p, const char *key)
{
    cJSON *o = cJSON_CreateObject();
    p->ops->describe(p, o);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    double d = cJSON_IsNumber(v) ? v->valuedouble : -1;
    cJSON_Delete(o);
    return d;
}

static int uncovered_total, damage_checked;

/* A partial redraw presents only its damage rectangles to the window:
 * every pixel it changed must lie in one, and the panel whose source sent
 * nothing (v3) in none. */
static void check_damage(struct wall *w, const uint32_t *before, const uint32_t *after)
{
    for (int i = 0; i < W * H; i++) {
        if (before[i] == after[i]) {
            continue;
        }
        SDL_Point pt = { i % W, i / W };
        bool in = false;
        for (size_t k = 0; k < w->n_damage && !in; k++) {
            in = SDL_PointInRect(&pt, &w->damage[k]);
        }
        uncovered_total += !in;
    }
    const struct panel *v3 = NULL;
    for (size_t i = 0; i < w->n_panels; i++) {
        v3 = strcmp(w->panels[i].cfg->id, "v3") == 0 ? &w->panels[i] : v3;
    }
    for (size_t k = 0; v3 && k < w->n_damage; k++) {
        CHECK(!SDL_HasIntersection(&w->damage[k], &v3->rect), "damage %d,%d %dx%d misses the unchanged panel",
              w->damage[k].x, w->damage[k].y, w->damage[k].w, w->damage[k].h);
    }
    damage_checked++;
}

/* New pictures for cam1 and cam2 (not cam3), one turn of the loop each;
 * how many turns drew only the changed panels. */
static int pictures(struct wall *w, struct scene_source *a, struct scene_source *b, int n, int shade)
{
    int partial = 0;
    for (int k = 0; k < n; k++) {
        put_picture(a, 60 + 20 * ((k + shade) % 8), 90, 200);
        put_picture(b, 200 - 15 * ((k + shade) % 8), 160, 100);
        SDL_Delay(2); /* a render frame takes the next picture once per ms */
        uint32_t *before = read_screen(wall_renderer(w));
        int drew = wall_step(w);
        partial += drew == 1;
        if (drew == 1 && !w->damage_overflow) {
            uint32_t *after = read_screen(wall_renderer(w));
            check_damage(w, before, after);
            free(after);
        }
        free(before);
    }
    return partial;
}

int main(void)
{
    struct cfg_errors errs = { 0 };
    const struct cfg_kinds kinds = { widget_kinds, feed_kinds };
    struct cfg *c = cfg_load("partial.yaml", cfg_text, &kinds, &errs);
    CHECK(c != NULL, "the test config loads (%s)", errs.n ? errs.lines[0] : "");
    if (!c) {
        return check_finish("test_partial");
    }
    struct scene *s = scene_create();
    struct scene_source *cam[3];
    static const char *const names[] = { "cam1", "cam2", "cam3" };
    for (int i = 0; i < 3; i++) {
        cam[i] = scene_add_source(s, names[i]);
        scene_source_set_frame_unref(cam[i], video_frame_free);
    }
    struct wall_opts o = { .mode = WALL_OPERATOR, .headless = true, .win_w = W, .win_h = H, .renderer = "software" };
    char err[256];
    struct wall *w = wall_create(c, s, &o, err, sizeof(err));
    CHECK(w != NULL, "wall created: %s", err);
    if (!w) {
        scene_destroy(s);
        cfg_destroy(c);
        return check_finish("test_partial");
    }
    for (int i = 0; i < 3; i++) {
        scene_source_set_status(cam[i], SOURCE_LIVE, NULL, 0);
        put_picture(cam[i], 120, 128, 128);
    }
    wall_render_frame(w);
    struct panel *v1 = panel_of(w, "v1"), *v2 = panel_of(w, "v2");
    CHECK(v1 && v2, "the video panels are there");
    if (!v1 || !v2) {
        goto out;
    }

    /* Pictures arriving: only their panels are drawn, their title bars and
     * letterbox bars left as they were. */
    double bars0 = described(v1, "bars_kept");
    int partial = pictures(w, cam[0], cam[1], 8, 0);
    CHECK(partial >= 4, "pictures arriving: drawn in part (%d of 8 turns)", partial);
    CHECK_INT(differs_from_full(w, "pictures"), 0, "pictures arriving: the screen a full redraw gives");
    CHECK(described(v1, "bars_kept") > bars0, "the letterbox bars were left as they were (%g times)",
          described(v1, "bars_kept") - bars0);
    CHECK(v1->chrome_drawn.kept > 0, "the title bar was left as it was (%llu times)",
          (unsigned long long)v1->chrome_drawn.kept);

    /* A badge that changes with a picture: LIVE to STALLED (dimmed, with a
     * message over the picture) and back. The age it shows counts seconds,
     * so the comparison is made within the first second. */
    int64_t t0 = now_ms();
    scene_source_set_status(cam[0], SOURCE_STALLED, NULL, 0);
    partial = pictures(w, cam[0], cam[1], 3, 3);
    int stalled_diff = differs_from_full(w, "stalled");
    if (now_ms() - t0 < 900) {
        CHECK_INT(stalled_diff, 0, "LIVE to STALLED with a picture: the screen a full redraw gives");
    }
    CHECK(partial >= 1, "LIVE to STALLED: drawn in part (%d of 3 turns)", partial);
    partial = pictures(w, cam[0], cam[1], 3, 5);
    int64_t t1 = now_ms();
    stalled_diff = differs_from_full(w, "stalled, later");
    if (now_ms() - t1 < 900) {
        CHECK_INT(stalled_diff, 0, "still STALLED: the screen a full redraw gives");
    }
    scene_source_set_status(cam[0], SOURCE_LIVE, NULL, 0);
    partial = pictures(w, cam[0], cam[1], 3, 1);
    CHECK(partial >= 1, "STALLED to LIVE: drawn in part (%d of 3 turns)", partial);
    CHECK_INT(differs_from_full(w, "live again"), 0, "STALLED to LIVE: the screen a full redraw gives");

    /* An alarm's border (acknowledged, so it does not flash) around a
     * panel whose picture changes, then gone. */
    alarms_raise(&w->alarms, "v2", "Yard", "intrusion", 0);
    alarms_ack(&w->alarms, "v2");
    pictures(w, cam[0], cam[1], 3, 2);
    CHECK_INT(differs_from_full(w, "border"), 0, "an alarm's border: the screen a full redraw gives");
    alarms_clear(&w->alarms, "v2");
    pictures(w, cam[0], cam[1], 3, 4);
    CHECK_INT(differs_from_full(w, "border gone"), 0, "the border gone: the screen a full redraw gives");

    CHECK(damage_checked >= 10, "partial redraws checked against their damage: %d", damage_checked);
    CHECK_INT(uncovered_total, 0, "pixels a partial redraw changed outside its damage rectangles");

out:
    wall_destroy(w);
    scene_destroy(s);
    cfg_destroy(c);
    return check_finish("test_partial");
}
