/* app/geometry.c: canvas, cell and view arithmetic (see geometry.h). */
#include "geometry.h"

#include <math.h>
#include <string.h>

SDL_Rect geom_display_rect(const struct cfg_wall *w, int col, int row)
{
    SDL_Rect r = { col * (w->size[0] + w->bezel[0]), row * (w->size[1] + w->bezel[1]), w->size[0],
                   w->size[1] };
    return r;
}

/* Left edge of cell i and right edge (exclusive) of cell i along one axis. */
static void cell_edges(int i, int grid, int monitors, int size, int bezel, int *lo, int *hi)
{
    if (grid % monitors == 0) {
        int k = grid / monitors;
        int d = i / k, c = i % k;
        int base = d * (size + bezel);
        *lo = base + c * size / k;
        *hi = base + (c + 1) * size / k;
    } else {
        int total = monitors * size + (monitors - 1) * bezel;
        *lo = i * total / grid;
        *hi = (i + 1) * total / grid;
    }
}

SDL_Rect geom_cells_rect(const struct cfg_wall *w, int col, int row, int cw, int ch)
{
    int x0, x1, y0, y1, tmp;
    if (w->n_monitors) {
        /* Listed monitors: the grid spans the wall's bounding box evenly. */
        int W, H;
        cfg_canvas_size(w, &W, &H);
        cell_edges(col, w->grid[0], 1, W, 0, &x0, &tmp);
        cell_edges(col + cw - 1, w->grid[0], 1, W, 0, &tmp, &x1);
        cell_edges(row, w->grid[1], 1, H, 0, &y0, &tmp);
        cell_edges(row + ch - 1, w->grid[1], 1, H, 0, &tmp, &y1);
        return (SDL_Rect){ x0, y0, x1 - x0, y1 - y0 };
    }
    cell_edges(col, w->grid[0], w->columns, w->size[0], w->bezel[0], &x0, &tmp);
    cell_edges(col + cw - 1, w->grid[0], w->columns, w->size[0], w->bezel[0], &tmp, &x1);
    cell_edges(row, w->grid[1], w->rows, w->size[1], w->bezel[1], &y0, &tmp);
    cell_edges(row + ch - 1, w->grid[1], w->rows, w->size[1], w->bezel[1], &tmp, &y1);
    SDL_Rect r = { x0, y0, x1 - x0, y1 - y0 };
    return r;
}

SDL_Rect geom_panel_rect(const struct cfg_wall *w, const int at[4])
{
    SDL_Rect r = geom_cells_rect(w, at[0], at[1], at[2], at[3]);
    int g = w->gap;
    int lo = g / 2, hi = g - g / 2;
    r.x += lo;
    r.y += lo;
    r.w -= lo + hi;
    r.h -= lo + hi;
    if (r.w < 1) {
        r.w = 1;
    }
    if (r.h < 1) {
        r.h = 1;
    }
    return r;
}

size_t geom_monitors(const struct cfg_wall *w, const char *node, struct geom_monitor *out, size_t max)
{
    size_t n = 0;
    if (w->n_monitors) {
        for (size_t i = 0; i < w->n_monitors && n < max; i++) {
            const struct cfg_monitor *m = &w->monitors[i];
            out[n++] = (struct geom_monitor){
                .rect = { m->at[0], m->at[1], m->size[0], m->size[1] },
                .number = (int)i + 1, .col = -1, .row = -1,
                .name = m->name ? m->name : "", .output = m->output ? m->output : "",
                .local = !m->node || !m->node[0] || (node && strcmp(m->node, node) == 0),
            };
        }
        return n;
    }
    int loc[4];
    geom_local(w, loc);
    for (int r = 0; r < w->rows; r++) {
        for (int c = 0; c < w->columns && n < max; c++) {
            out[n++] = (struct geom_monitor){
                .rect = geom_display_rect(w, c, r), .number = r * w->columns + c + 1, .col = c, .row = r,
                .name = "", .output = "",
                .local = c >= loc[0] && c < loc[0] + loc[2] && r >= loc[1] && r < loc[1] + loc[3],
            };
        }
    }
    return n;
}

SDL_Rect geom_local_box(const struct geom_monitor *m, size_t n)
{
    SDL_Rect box = { 0, 0, 0, 0 };
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (!m[i].local) {
            continue;
        }
        if (!any) {
            box = m[i].rect;
            any = true;
        } else {
            SDL_UnionRect(&box, &m[i].rect, &box);
        }
    }
    return box;
}

void geom_local(const struct cfg_wall *w, int out[4])
{
    if (w->local[2] > 0 && w->local[3] > 0) {
        for (int i = 0; i < 4; i++) {
            out[i] = w->local[i];
        }
    } else {
        out[0] = 0;
        out[1] = 0;
        out[2] = w->columns;
        out[3] = w->rows;
    }
}

void geom_fit(int src_w, int src_h, int out_w, int out_h, float *scale, SDL_Rect *dst)
{
    float sx = (float)out_w / (float)src_w, sy = (float)out_h / (float)src_h;
    float s = sx < sy ? sx : sy;
    int w = (int)lroundf((float)src_w * s), h = (int)lroundf((float)src_h * s);
    *scale = s;
    dst->x = (out_w - w) / 2;
    dst->y = (out_h - h) / 2;
    dst->w = w;
    dst->h = h;
}

SDL_Rect geom_map(SDL_Rect r, SDL_Rect src, SDL_Rect dst, float scale)
{
    /* Map both corners so neighbouring rectangles share edges exactly. */
    int x0 = dst.x + (int)lroundf((float)(r.x - src.x) * scale);
    int y0 = dst.y + (int)lroundf((float)(r.y - src.y) * scale);
    int x1 = dst.x + (int)lroundf((float)(r.x + r.w - src.x) * scale);
    int y1 = dst.y + (int)lroundf((float)(r.y + r.h - src.y) * scale);
    SDL_Rect o = { x0, y0, x1 - x0, y1 - y0 };
    return o;
}
