/* tests/test_geometry.c: canvas, cells, bezels and views. A panel that
 * spans two monitors must continue exactly one bezel later. */
#include "app/geometry.h"
#include "check.h"

static struct cfg_wall wall(int cols, int rows, int w, int h, int bx, int by, int gc, int gr, int gap)
{
    struct cfg_wall wl = { 0 };
    wl.columns = cols;
    wl.rows = rows;
    wl.size[0] = w;
    wl.size[1] = h;
    wl.bezel[0] = bx;
    wl.bezel[1] = by;
    wl.grid[0] = gc;
    wl.grid[1] = gr;
    wl.gap = gap;
    return wl;
}

int main(void)
{
    /* The brief's wall: 6 x 4 monitors of 1920x1080 with 14 px bezels. */
    struct cfg_wall w = wall(6, 4, 1920, 1080, 14, 14, 12, 8, 0);
    int cw, ch;
    cfg_canvas_size(&w, &cw, &ch);
    CHECK_INT(cw, 6 * 1920 + 5 * 14, "canvas width includes bezels");
    CHECK_INT(ch, 4 * 1080 + 3 * 14, "canvas height includes bezels");
    SDL_Rect d = geom_display_rect(&w, 2, 1);
    CHECK(d.x == 2 * 1934 && d.y == 1094 && d.w == 1920 && d.h == 1080, "monitor (2,1) at %d,%d %dx%d", d.x, d.y, d.w, d.h);

    /* Cells split each monitor evenly: 2 cells per monitor across. */
    SDL_Rect c0 = geom_cells_rect(&w, 0, 0, 1, 1);
    SDL_Rect c1 = geom_cells_rect(&w, 1, 0, 1, 1);
    SDL_Rect c2 = geom_cells_rect(&w, 2, 0, 1, 1);
    CHECK(c0.x == 0 && c0.w == 960, "first cell %d+%d", c0.x, c0.w);
    CHECK(c1.x == 960 && c1.x + c1.w == 1920, "second cell ends at the monitor edge (%d)", c1.x + c1.w);
    CHECK_INT(c2.x, 1920 + 14, "third cell starts after the bezel");
    /* A panel spanning the bezel covers it: its picture lines up. */
    SDL_Rect span = geom_cells_rect(&w, 1, 0, 2, 1);
    CHECK(span.x == 960 && span.x + span.w == 1934 + 960, "span %d..%d", span.x, span.x + span.w);
    CHECK_INT(span.w, 960 + 14 + 960, "spanning width = both halves + bezel");
    SDL_Rect down = geom_cells_rect(&w, 0, 1, 1, 2);
    CHECK(down.y == 540 && down.h == 540 + 14 + 540, "vertical span crosses the horizontal bezel (%d+%d)", down.y, down.h);

    /* Gaps shrink the panel symmetrically. */
    w.gap = 6;
    int at[4] = { 0, 0, 1, 1 };
    SDL_Rect p = geom_panel_rect(&w, at);
    CHECK(p.x == 3 && p.y == 3 && p.w == 954 && p.h == 534, "gapped panel %d,%d %dx%d", p.x, p.y, p.w, p.h);

    /* A grid that does not divide the monitors spreads over the canvas. */
    struct cfg_wall odd = wall(2, 1, 100, 100, 10, 0, 3, 1, 0);
    SDL_Rect o0 = geom_cells_rect(&odd, 0, 0, 1, 1), o2 = geom_cells_rect(&odd, 2, 0, 1, 1);
    CHECK(o0.x == 0 && o2.x + o2.w == 210, "uneven grid covers the canvas (%d..%d)", o0.x, o2.x + o2.w);

    /* Views: fit keeps aspect and centres; map shares edges. */
    float s;
    SDL_Rect dst;
    geom_fit(11590, 4362, 1920, 1080, &s, &dst);
    CHECK(dst.w == 1920 && dst.y > 0 && dst.y + dst.h <= 1080, "letterboxed %d,%d %dx%d", dst.x, dst.y, dst.w, dst.h);
    SDL_Rect src = { 0, 0, 200, 100 }, out = { 10, 20, 100, 50 };
    SDL_Rect a = geom_map((SDL_Rect){ 0, 0, 33, 10 }, src, out, 0.5f);
    SDL_Rect b = geom_map((SDL_Rect){ 33, 0, 33, 10 }, src, out, 0.5f);
    CHECK_INT(a.x + a.w, b.x, "neighbours share an edge after scaling");
    CHECK_INT(a.x, 10, "offset applied");

    int loc[4];
    struct cfg_wall all = wall(3, 2, 10, 10, 0, 0, 3, 2, 0);
    geom_local(&all, loc);
    CHECK(loc[0] == 0 && loc[2] == 3 && loc[3] == 2, "local [0,0,0,0] means all monitors");
    all.local[0] = 1;
    all.local[2] = 2;
    all.local[3] = 1;
    geom_local(&all, loc);
    CHECK(loc[0] == 1 && loc[2] == 2 && loc[3] == 1, "explicit local monitors");
    return check_finish("test_geometry");
}
