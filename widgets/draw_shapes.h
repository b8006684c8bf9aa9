/* widgets/draw_shapes.h: arcs, discs and polylines for the sensor widgets,
 * built from SDL_RenderGeometry triangles. Render thread only. */
#ifndef PANTAU_DRAW_SHAPES_H
#define PANTAU_DRAW_SHAPES_H

#include <SDL.h>
#include <stdint.h>

/* A ring segment centred at (cx, cy) between radii r0 < r1, from angle a0
 * to a1 (degrees, clockwise from 3 o'clock). */
void draw_arc(SDL_Renderer *r, float cx, float cy, float r0, float r1, float a0, float a1, uint32_t rgba);
void draw_disc(SDL_Renderer *r, float cx, float cy, float radius, uint32_t rgba);
/* A polyline `thick` pixels wide through n points. */
void draw_polyline(SDL_Renderer *r, const SDL_FPoint *pts, int n, float thick, uint32_t rgba);

#endif
