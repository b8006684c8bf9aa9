/* app/geometry.h: where things are on the wall canvas. The canvas is every
 * monitor side by side with its bezel as a gap, in monitor pixels, so a
 * panel spanning two monitors lines up across the bezel. Layout cells split
 * each monitor evenly when the grid is a multiple of the monitor count (so
 * cells never straddle a bezel unless a panel spans it), else the canvas.
 * Pure functions; any thread. */
#ifndef PANTAU_GEOMETRY_H
#define PANTAU_GEOMETRY_H

#include "../config/config.h"

#include <SDL.h>

/* Every monitor of the wall: a grid's row by row, or wall.displays.monitors
 * in list order; local: driven by node (wall.displays.local on a grid, each
 * listed monitor's node; NULL node: the listed ones without a node). */
#define GEOM_MAX_MONITORS 64
struct geom_monitor {
    SDL_Rect rect;          /* on the canvas */
    int number;             /* 1-based, its place in the wall's order */
    int col, row;           /* on a grid; -1 for a listed monitor */
    const char *name;       /* listed: its name ("": none) */
    const char *output;     /* listed: its output ("": none) */
    bool local;
};
size_t geom_monitors(const struct cfg_wall *w, const char *node, struct geom_monitor *out, size_t max);
/* Bounding box on the canvas of the local monitors (w 0 when none). */
SDL_Rect geom_local_box(const struct geom_monitor *m, size_t n);

/* Canvas rectangle of monitor (col, row). */
SDL_Rect geom_display_rect(const struct cfg_wall *w, int col, int row);
/* Canvas rectangle covered by cells [col, row, cw, ch], without gaps. */
SDL_Rect geom_cells_rect(const struct cfg_wall *w, int col, int row, int cw, int ch);
/* A panel's rectangle: its cells shrunk by half the gap on each side. */
SDL_Rect geom_panel_rect(const struct cfg_wall *w, const int at[4]);
/* The monitors this machine drives, [col, row, cols, rows] (resolves the
 * "all" default). */
void geom_local(const struct cfg_wall *w, int out[4]);
/* Scale and offset that fit a src_w x src_h picture into out_w x out_h
 * keeping its aspect (letterbox). */
void geom_fit(int src_w, int src_h, int out_w, int out_h, float *scale, SDL_Rect *dst);
/* Maps canvas rectangle r through a view (canvas src -> output dst, scale). */
SDL_Rect geom_map(SDL_Rect r, SDL_Rect src, SDL_Rect dst, float scale);

#endif
