/* tests/test_outputs.c: one window per monitor (wall.displays.outputs) and
 * the alignment pattern, headless. A 2x2 wall with bezels: four windows,
 * each the size of its monitor, each showing exactly its monitor's part of
 * the wall; with the pattern up, the wall's diagonals (drawn in canvas
 * coordinates) cross all four windows on one straight line, each window's
 * pixels checked against the line's equation. */
#include "app/control.h"
#include "app/wall.h"
#include "app/wall_state.h"
#include "app/geometry.h"
#include "app/window.h"
#include "config/config.h"
#include "core/scene.h"
#include "feeds/feed.h"
#include "widgets/widget.h"
#include "check.h"

#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MW 320
#define MH 180
#define BX 24
#define BY 16

static const char *cfg_text =
    "version: 1\n"
    "wall:\n"
    "  displays: { columns: 2, rows: 2, size: [320, 180], bezel: [24, 16], outputs: auto }\n"
    "  grid: [4, 4]\n"
    "  gap: 0\n"
    "  background: \"#102030\"\n"
    "  status_line: false\n"
    "pages:\n"
    "  - name: one\n"
    "    panels:\n"
    "      - { text: \"Across\", id: across, at: [1, 1, 2, 2] }\n"
    "      - { clock: \"\", id: clk, at: [0, 2, 1, 1] }\n";

static Uint32 pixel(SDL_Surface *s, int x, int y)
{
    Uint32 v;
    memcpy(&v, (const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch + (size_t)x * 4, 4);
    Uint8 r, g, b;
    SDL_GetRGB(v, s->format, &r, &g, &b);
    return ((Uint32)r << 16) | ((Uint32)g << 8) | b;
}

static bool is_diag(Uint32 rgb)
{
    int r = (int)(rgb >> 16), g = (int)((rgb >> 8) & 0xff), b = (int)(rgb & 0xff);
    return r > 200 && g > 160 && g < 240 && b < 80; /* #ffd000, anti-aliased edges aside */
}

/* One frame through the real loop (draw, present to every window). */
static void one_frame(struct wall *w)
{
    static atomic_int stop;
    w->frames_rendered = 0;
    wall_run(w, &stop);
}

/* The wall's two diagonals through window i (canvas size cw x ch): points
 * near the window's sides (its middle carries the label) must be on them. */
static void check_diagonals(struct wall *w, double cw, double ch, int *checked, int *misses)
{
    for (size_t i = 0; i < w->n_outs; i++) {
        SDL_Surface *ws = SDL_GetWindowSurface(w->outs[i].win);
        if (!ws) {
            continue;
        }
        int ox = w->outs[i].canvas.x, oy = w->outs[i].canvas.y, ww = ws->w, wh = ws->h;
        const int cols[] = { 6, 24, 44, ww - 45, ww - 25, ww - 7 };
        for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
            int x = cols[k];
            double cx = ox + x;
            double want[2] = { cx * ch / cw, ch - cx * ch / cw }; /* the two diagonals */
            for (int d = 0; d < 2; d++) {
                int y = (int)(want[d] + 0.5) - oy;
                if (y < 4 || y >= wh - 4 || (i == 0 && y < 32) || (wh > ww && y > wh / 4 && y < wh * 3 / 4)) {
                    continue; /* off this window, under its frame, the title or a tall window's label */
                }
                bool hit = false;
                for (int dy = -2; dy <= 2 && !hit; dy++) {
                    hit = is_diag(pixel(ws, x, y + dy));
                }
                (*checked)++;
                if (!hit) {
                    (*misses)++;
                    fprintf(stderr, "window %zu: no diagonal at (%d, %d)\n", i, x, y);
                }
            }
        }
        /* The frame marks the monitor's edge. */
        Uint32 edge = pixel(ws, 1, wh / 2);
        CHECK(edge == 0x00c8ff, "window %zu: the monitor's frame at its left edge (%06x)", i, edge);
    }
}

/* Each window shows exactly its monitor's part of the drawn wall. */
static void check_windows_show_their_part(struct wall *w)
{
    for (size_t i = 0; i < w->n_outs; i++) {
        SDL_Surface *ws = SDL_GetWindowSurface(w->outs[i].win);
        CHECK(ws && ws->w == w->outs[i].canvas.w && ws->h == w->outs[i].canvas.h, "window %zu is %dx%d", i,
              ws ? ws->w : 0, ws ? ws->h : 0);
        if (!ws || ws->w != w->outs[i].canvas.w || ws->h != w->outs[i].canvas.h) {
            continue;
        }
        int diff = 0;
        for (int y = 0; y < ws->h; y += 3) {
            for (int x = 0; x < ws->w; x += 3) {
                if (pixel(ws, x, y) != pixel(w->surface, w->outs[i].src.x + x, w->outs[i].src.y + y)) {
                    diff++;
                }
            }
        }
        CHECK_INT(diff, 0, "the window shows its monitor's part of the wall, pixel for pixel");
    }
}

static struct wall *open_wall(const char *name, const char *text, struct cfg **c, struct scene **s)
{
    struct cfg_errors errs = { 0 };
    const struct cfg_kinds kinds = { widget_kinds, feed_kinds };
    *c = cfg_load(name, text, &kinds, &errs);
    CHECK(*c != NULL, "%s loads (%s)", name, errs.n ? errs.lines[0] : "");
    cfg_errors_finish(&errs);
    if (!*c) {
        return NULL;
    }
    *s = scene_create();
    struct wall_opts o = { .mode = WALL_OPERATOR, .headless = true, .frames = 1, .node = "wall-test" };
    char err[256];
    struct wall *w = wall_create(*c, *s, &o, err, sizeof(err));
    CHECK(w != NULL, "%s: wall created: %s", name, err);
    return w;
}

/* Four landscape monitors and a portrait one beside them, listed with
 * their places; the portrait column is shorter than the two rows. */
static const char *listed_text =
    "version: 1\n"
    "wall:\n"
    "  displays:\n"
    "    monitors:\n"
    "      - { at: [0, 0], size: [320, 180] }\n"
    "      - { at: [344, 0], size: [320, 180] }\n"
    "      - { at: [0, 196], size: [320, 180] }\n"
    "      - { at: [344, 196], size: [320, 180] }\n"
    "      - { at: [688, 0], size: [180, 320], name: Portrait, node: wall-test }\n"
    "      - { at: [0, 400], size: [320, 180], node: another-machine }\n"
    "  grid: [8, 4]\n"
    "  gap: 0\n"
    "  background: \"#102030\"\n"
    "  status_line: false\n"
    "pages:\n"
    "  - name: one\n"
    "    panels:\n"
    "      - { text: \"Across\", id: across, at: [2, 1, 6, 1] }\n";

static void listed(void)
{
    struct cfg *c = NULL;
    struct scene *s = NULL;
    struct wall *w = open_wall("listed.yaml", listed_text, &c, &s);
    if (w) {
        CHECK_INT(w->n_outs, 5, "a window for each monitor of this node (not the other machine's)");
        CHECK(w->n_outs == 5 && w->outs[4].canvas.w == 180 && w->outs[4].canvas.h == 320,
              "the portrait monitor's window is 180x320");
        one_frame(w);
        check_windows_show_their_part(w);
        /* The panel runs from the landscape monitors into the portrait one. */
        SDL_Surface *p = w->n_outs == 5 ? SDL_GetWindowSurface(w->outs[4].win) : NULL;
        CHECK(p && pixel(p, 90, 150) != 0x102030, "the spanning panel shows on the portrait monitor");
        control_exec(w, &(struct wall_cmd){ .kind = CMD_ALIGN, .origin = "test" });
        one_frame(w);
        int checked = 0, misses = 0;
        check_diagonals(w, 868, 580, &checked, &misses);
        CHECK(checked >= 12, "enough points on the diagonals were inside the windows (%d)", checked);
        CHECK_INT(misses, 0, "the wall's diagonals run straight through landscape and portrait monitors");
        const char *shot = getenv("PANTAU_TEST_SHOT_LISTED");
        char err[256];
        if (shot) {
            CHECK_INT(window_save_outputs(w, shot, err, sizeof(err)), 0, "outputs saved");
        }
        /* The whole drawn share (this node's five monitors where they are;
         * the README's picture of the pattern). */
        const char *whole = getenv("PANTAU_TEST_SHOT_WALL");
        if (whole) {
            CHECK_INT(IMG_SavePNG(w->surface, whole), 0, "the drawn wall saved");
        }
        wall_destroy(w);
    }
    scene_destroy(s);
    cfg_destroy(c);
}

int main(void)
{
    struct cfg *c = NULL;
    struct scene *s = NULL;
    struct wall *w = open_wall("outputs.yaml", cfg_text, &c, &s);
    if (!w) {
        return check_finish("test_outputs");
    }
    CHECK_INT(w->n_outs, 4, "one window per monitor");
    one_frame(w);
    check_windows_show_their_part(w);
    for (size_t i = 0; i < w->n_outs; i++) {
        CHECK_INT(w->outs[i].col, (int)i % 2, "windows go row by row (column)");
        CHECK_INT(w->outs[i].row, (int)i / 2, "windows go row by row (row)");
    }
    /* The panel spanning all four monitors is drawn in each (not the background). */
    for (size_t i = 0; i < w->n_outs; i++) {
        SDL_Surface *ws = SDL_GetWindowSurface(w->outs[i].win);
        int x = i % 2 ? 20 : MW - 20, y = i / 2 ? 20 : MH - 20;
        CHECK(ws && pixel(ws, x, y) != 0x102030, "window %zu: the spanning panel shows at its inner corner", i);
    }

    /* The alignment pattern: the wall's diagonals, straight across the bezels. */
    CHECK_INT(control_exec(w, &(struct wall_cmd){ .kind = CMD_ALIGN, .origin = "test" }), 1, "align toggles on");
    CHECK(w->show_align, "the pattern is up");
    one_frame(w);
    int checked = 0, misses = 0;
    check_diagonals(w, 2 * MW + BX, 2 * MH + BY, &checked, &misses);
    CHECK(checked >= 12, "enough points on the diagonals were inside windows (%d)", checked);
    CHECK_INT(misses, 0, "every point of the wall's diagonals lies on the line in every window");
    /* A bezel set wrong would break the line: the same check against a
     * canvas without bezels must fail somewhere (the check can fail). */
    int wrong = 0;
    for (size_t i = 0; i < w->n_outs; i++) {
        SDL_Surface *ws = SDL_GetWindowSurface(w->outs[i].win);
        int ox = w->outs[i].col * MW, oy = w->outs[i].row * MH;
        for (int x = 6; x < MW; x += 40) {
            int y = (int)((ox + x) * (2.0 * MH) / (2.0 * MW) + 0.5) - oy;
            if (y >= 4 && y < MH - 4 && !is_diag(pixel(ws, x, y))) {
                wrong++;
            }
        }
    }
    CHECK(wrong > 0, "the line of a wall without bezels is not what is drawn (the check tells them apart)");

    /* The screenshot of each output, as --screenshot writes them. */
    const char *shot = getenv("PANTAU_TEST_SHOT");
    char err[256];
    if (shot) {
        CHECK_INT(window_save_outputs(w, shot, err, sizeof(err)), 0, "outputs saved");
    }
    CHECK_INT(control_exec(w, &(struct wall_cmd){ .kind = CMD_ALIGN, .origin = "test" }), 1, "align toggles off");
    CHECK(!w->show_align, "the pattern is gone");

    wall_destroy(w);
    scene_destroy(s);
    cfg_destroy(c);

    listed();
    return check_finish("test_outputs");
}
