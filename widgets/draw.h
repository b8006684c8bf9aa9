/* widgets/draw.h: drawing primitives and the wall's palette. Render thread. */
#ifndef PANTAU_DRAW_H
#define PANTAU_DRAW_H

#include <SDL.h>
#include <stdint.h>

#define COLOR_PANEL      0x161c24ffu
#define COLOR_TITLE      0x1f2733ffu
#define COLOR_TEXT       0xe8edf2ffu
#define COLOR_DIM_TEXT   0x8a96a6ffu
#define COLOR_LIVE       0x2e9d4fffu
#define COLOR_WARN       0xe0a000ffu
#define COLOR_ALARM      0xd8342cffu
#define COLOR_OFF        0x5d6673ffu
#define COLOR_SELECT     0xffd400ffu

void draw_set_color(SDL_Renderer *r, uint32_t rgba);
/* Registers a software renderer whose big opaque fills draw_fill writes
 * into its target itself (target NULL: the renderer's window's surface),
 * and forgets it again (before SDL_DestroyRenderer). Plain stores instead
 * of SDL_FillRect's non-temporal ones: several times faster on rows that
 * do not start on a cache line. At most 8 at once; more fall back to SDL. */
void draw_direct_target(SDL_Renderer *r, SDL_Surface *target);
void draw_direct_forget(SDL_Renderer *r);
/* The surface such a registered renderer draws into, once what it queued
 * has landed (so pixels written into it now come after, and SDL's next
 * commands over them), with *area the part inside the clip rectangle;
 * NULL when drawing must go through SDL (not registered, a render target,
 * a viewport offset or scale). */
SDL_Surface *draw_direct_surface(SDL_Renderer *r, SDL_Rect *area);
void draw_fill(SDL_Renderer *r, SDL_Rect box, uint32_t rgba);
/* A frame `thick` pixels wide inside box. */
void draw_frame(SDL_Renderer *r, SDL_Rect box, int thick, uint32_t rgba);
/* Fills area with rgba except where boxes (at most DRAW_MAX_BOXES, each
 * clipped to nothing outside area) cover it, band by band. The wall clears
 * only around its panels with it (a panel paints its whole box), and the
 * preview fills where no listed monitor is. */
#define DRAW_MAX_BOXES 256
void draw_fill_uncovered(SDL_Renderer *r, SDL_Rect area, const SDL_Rect *boxes, size_t n, uint32_t rgba);
/* Shrinks box by m on every side (never below 0 size). */
SDL_Rect rect_inset(SDL_Rect box, int m);

#endif
