/* tests/test_wall.c: the wall's controls and rendering, driven with real
 * SDL events on the offscreen driver and checked through the UI state and
 * the rendered pixels. */
#include "core/scene.h"
#include "core/util.h"
#include "app/wall.h"
#include "config/config.h"
#include "feeds/feed.h"
#include "widgets/widget.h"
#include "check.h"

#include <SDL.h>
#include <stdlib.h>
#include <time.h>

static const char *cfg_text =
    "version: 1\n"
    "wall: { displays: { columns: 2, rows: 1, size: [320, 180], bezel: [20, 0] }, grid: [4, 2], gap: 0, background: \"#000000\" }\n"
    "sources:\n"
    "  cam: { video: \"rtsp://user:pw@127.0.0.1/x\" }\n"
    "pages:\n"
    "  - name: one\n"
    "    show_for: 50ms\n"
    "    panels:\n"
    "      - { text: \"A\", at: [0, 0, 1, 1], color: \"#ff0000\" }\n"
    "      - { text: \"B\", at: [1, 0, 2, 1] }\n"
    "      - { video: cam, at: [3, 0, 1, 1], label: \"Cam\" }\n"
    "      - { clock: \"%H:%M\", at: [0, 1, 4, 1] }\n"
    "  - name: two\n"
    "    panels:\n"
    "      - { text: \"C\", at: [0, 0, 4, 2] }\n";

static void key(struct wall *w, SDL_Keycode k, Uint16 mod)
{
    SDL_Event ev = { 0 };
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = k;
    ev.key.keysym.mod = mod;
    wall_handle_event(w, &ev);
}

static void click(struct wall *w, int x, int y, int clicks)
{
    SDL_Event ev = { 0 };
    ev.type = SDL_MOUSEBUTTONDOWN;
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.x = x;
    ev.button.y = y;
    ev.button.clicks = (Uint8)clicks;
    wall_handle_event(w, &ev);
}

static struct wall_ui ui(struct wall *w)
{
    struct wall_ui u;
    wall_get_ui(w, &u);
    return u;
}

/* Reads the pixel at (x, y) of the last rendered frame as 0xRRGGBB. */
static unsigned pixel(SDL_Renderer *r, int x, int y)
{
    Uint32 px = 0;
    SDL_Rect one = { x, y, 1, 1 };
    SDL_RenderReadPixels(r, &one, SDL_PIXELFORMAT_ARGB8888, &px, 4);
    return px & 0xffffff;
}

static struct wall *open_wall(struct cfg *c, struct scene *s, enum wall_mode mode, int ww, int wh)
{
    struct wall_opts o = { .mode = mode, .headless = true, .win_w = ww, .win_h = wh, .frames = 1 };
    char err[256];
    struct wall *w = wall_create(c, s, &o, err, sizeof(err));
    CHECK(w != NULL, "wall created: %s", err);
    return w;
}

int main(void)
{
    struct cfg_errors errs = { 0 };
    const struct cfg_kinds kinds = { widget_kinds, feed_kinds };
    struct cfg *c = cfg_load("test.yaml", cfg_text, &kinds, &errs);
    CHECK(c != NULL, "test config loads (%s)", errs.n ? errs.lines[0] : "");
    if (!c) {
        return check_finish("test_wall");
    }
    struct scene *s = scene_create();
    scene_add_source(s, "cam");

    /* Operator mode: two monitors side by side in a 640x180 output. */
    struct wall *w = open_wall(c, s, WALL_OPERATOR, 640, 180);
    if (!w) {
        return check_finish("test_wall");
    }
    CHECK_INT(ui(w).selected, -1, "nothing selected at start");
    key(w, SDLK_RIGHT, 0);
    CHECK_INT(ui(w).selected, 0, "first arrow selects the first panel");
    key(w, SDLK_RIGHT, 0);
    CHECK_INT(ui(w).selected, 1, "right moves to the neighbour");
    key(w, SDLK_RIGHT, 0);
    CHECK_INT(ui(w).selected, 2, "right again");
    key(w, SDLK_DOWN, 0);
    CHECK_INT(ui(w).selected, 3, "down reaches the wide bottom panel");
    key(w, SDLK_UP, 0);
    CHECK(ui(w).selected >= 0 && ui(w).selected <= 2, "up returns to the top row (%d)", ui(w).selected);
    key(w, SDLK_1, 0);
    CHECK_INT(ui(w).selected, 0, "number key 1 selects panel 1");
    key(w, SDLK_9, 0);
    CHECK_INT(ui(w).selected, 0, "a number past the page's panels is ignored");

    /* Panel A is red text on the panel colour; enlarged it fills the output. */
    key(w, SDLK_RETURN, 0);
    CHECK_INT(ui(w).enlarged, 0, "Enter enlarges the selected panel");
    wall_render_frame(w);
    SDL_Renderer *r = wall_renderer(w);
    CHECK(r != NULL, "renderer reachable");
    if (r) {
        CHECK_INT(pixel(r, 600, 170), 0x161c24, "the enlarged panel's body reaches the far corner");
    }
    key(w, SDLK_ESCAPE, 0);
    CHECK_INT(ui(w).enlarged, -1, "Esc returns to the wall");
    wall_render_frame(w);
    if (r) {
        /* Bezel hidden in operator mode: panel B spans both monitors
         * contiguously (x = 319 and 320 are both panel body). */
        CHECK_INT(pixel(r, 319, 60), 0x161c24, "panel B left of the monitor edge");
        CHECK_INT(pixel(r, 320, 60), 0x161c24, "panel B right of the monitor edge");
    }

    key(w, SDLK_F1, 0);
    CHECK(ui(w).help, "F1 shows help");
    key(w, SDLK_ESCAPE, 0);
    CHECK(!ui(w).help, "Esc closes help");
    key(w, SDLK_i, 0);
    CHECK(ui(w).stats, "i shows stats");
    wall_render_frame(w);
    key(w, SDLK_i, 0);
    CHECK(!ui(w).stats, "i hides stats");

    key(w, SDLK_PAGEDOWN, 0);
    CHECK_INT(ui(w).page, 1, "PageDown goes to the next page");
    CHECK_INT(ui(w).selected, -1, "a page switch clears the selection");
    key(w, SDLK_PAGEDOWN, 0);
    CHECK_INT(ui(w).page, 0, "PageDown wraps around");
    key(w, SDLK_PAGEUP, 0);
    CHECK_INT(ui(w).page, 1, "PageUp goes back (wrapping)");
    key(w, SDLK_PAGEUP, 0);

    /* Quitting needs Ctrl+Q then Y; anything else cancels. */
    key(w, SDLK_q, 0);
    CHECK(!ui(w).quit_armed && !ui(w).quit, "plain q does nothing");
    key(w, SDLK_q, KMOD_LCTRL);
    CHECK(ui(w).quit_armed, "Ctrl+Q asks for confirmation");
    key(w, SDLK_n, 0);
    CHECK(!ui(w).quit && !ui(w).quit_armed, "N cancels");
    SDL_Event q = { .type = SDL_QUIT };
    wall_handle_event(w, &q);
    CHECK(!ui(w).quit && ui(w).quit_armed, "closing the wall window only asks");
    key(w, SDLK_y, 0);
    CHECK(ui(w).quit, "Y confirms");
    wall_destroy(w);

    /* Stats: each panel with a source gets its own line at its foot (the
     * cam panel's bottom, clear of the list box at the top left). */
    w = open_wall(c, s, WALL_OPERATOR, 1320, 360);
    wall_render_frame(w);
    r = wall_renderer(w);
    unsigned plain = pixel(r, 1100, 174), plain_text = pixel(r, 100, 174);
    key(w, SDLK_i, 0);
    wall_render_frame(w);
    CHECK(pixel(r, 1100, 174) != plain, "the cam panel's foot carries its stats line (%06x, was %06x)",
          pixel(r, 1100, 174), plain);
    CHECK_INT(pixel(r, 100, 174), plain_text, "a panel without a source has none");
    wall_destroy(w);

    /* Page rotation: show_for 50ms on page one. */
    w = open_wall(c, s, WALL_OPERATOR, 320, 90);
    atomic_int stop = 0;
    wall_run(w, &stop);
    struct timespec ts = { 0, 80 * 1000000 };
    nanosleep(&ts, NULL);
    wall_run(w, &stop);
    CHECK_INT(ui(w).page, 1, "the page rotates after show_for");
    /* An operator who has just selected a panel keeps the page. */
    key(w, SDLK_PAGEUP, 0);
    key(w, SDLK_1, 0);
    CHECK(ui(w).page == 0 && ui(w).selected == 0, "back on page one, panel 1 selected");
    nanosleep(&ts, NULL);
    wall_run(w, &stop);
    CHECK(ui(w).page == 0 && ui(w).selected == 0, "the tour waits while the operator works (page %zu, sel %d)",
          ui(w).page, ui(w).selected);
    wall_destroy(w);

    /* Preview: the whole canvas (660x180 with the bezel) in a 660x180
     * window; click selects, double-click enlarges, bezel drawn. */
    w = open_wall(c, s, WALL_PREVIEW, 660, 180);
    wall_render_frame(w);
    r = wall_renderer(w);
    /* Canvas x 320..339 is the bezel: drawn in bezel_color over panel B. */
    CHECK_INT(pixel(r, 330, 60), 0x5b6b82, "bezel drawn in preview, in a colour unlike the gaps");
    CHECK_INT(pixel(r, 318, 60), 0x161c24, "panel B left of the bezel");
    CHECK_INT(pixel(r, 341, 60), 0x161c24, "panel B right of the bezel");
    click(w, 560, 60, 1);
    CHECK_INT(ui(w).selected, 2, "click selects the panel under the pointer (cam)");
    click(w, 100, 150, 2);
    CHECK_INT(ui(w).selected, 3, "click on the bottom panel");
    CHECK_INT(ui(w).enlarged, 3, "double-click enlarges");
    click(w, 10, 10, 2);
    CHECK_INT(ui(w).enlarged, -1, "double-click again returns");
    click(w, 330, 10, 1);
    CHECK_INT(ui(w).selected, 1, "a click on the bezel selects the panel behind it");
    /* A mouse alone: the wheel turns pages, the right button opens help. */
    size_t page0 = ui(w).page;
    SDL_Event wh = { 0 };
    wh.type = SDL_MOUSEWHEEL;
    wh.wheel.y = -1;
    wall_handle_event(w, &wh);
    CHECK(ui(w).page != page0, "wheel down: the next page (%zu -> %zu)", page0, ui(w).page);
    wh.wheel.y = 1;
    wall_handle_event(w, &wh);
    CHECK_INT((int)ui(w).page, (int)page0, "wheel up: back");
    SDL_Event rb = { 0 };
    rb.type = SDL_MOUSEBUTTONDOWN;
    rb.button.button = SDL_BUTTON_RIGHT;
    wall_handle_event(w, &rb);
    CHECK(ui(w).help, "right button: help");
    wall_handle_event(w, &rb);
    CHECK(!ui(w).help, "right button again: closed");
    SDL_Event q2 = { .type = SDL_QUIT };
    wall_handle_event(w, &q2);
    CHECK(ui(w).quit, "closing the preview window quits it");
    wall_destroy(w);

    /* A wall without bezels: the preview still shows every seam. */
    struct cfg *c2 = cfg_load("seams.yaml",
                              "version: 1\nwall: { displays: { columns: 2, rows: 2, size: [320, 180] }, grid: [2, 2], "
                              "gap: 0 }\npages:\n  - panels:\n      - { text: \"A\", at: [0, 0, 2, 2] }\n",
                              &kinds, &errs);
    CHECK(c2 != NULL, "seams config loads");
    if (c2) {
        w = open_wall(c2, s, WALL_PREVIEW, 640, 360);
        wall_render_frame(w);
        r = wall_renderer(w);
        CHECK_INT(pixel(r, 320, 60), 0x5b6b82, "the vertical seam shows with bezel 0");
        CHECK_INT(pixel(r, 100, 180), 0x5b6b82, "the horizontal seam shows with bezel 0");
        CHECK(pixel(r, 100, 60) != 0x5b6b82, "the panel itself is not seam-coloured");
        wall_destroy(w);
        cfg_destroy(c2);
    }
    cfg_errors_finish(&errs);

    scene_destroy(s);
    cfg_destroy(c);
    return check_finish("test_wall");
}
