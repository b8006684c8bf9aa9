/* app/chrome.h: panel chrome (title bar, badge, frames) and preview
 * bezels. Render thread only. */
#ifndef PANTAU_CHROME_H
#define PANTAU_CHROME_H

#include <stdint.h>

#include <SDL.h>
#include <stdbool.h>

struct wall;
struct panel;
struct draw_ctx;
struct view;

/* The part of a panel's box below its title bar (if it has one). */
SDL_Rect chrome_panel_body(const struct panel *p, const struct draw_ctx *dc, SDL_Rect box);
/* Draws panel p into box (output pixels) clipped to clip: chrome, then the
 * kind's body, then the alarm and selection frames. In a partial redraw
 * (dc->partial) a title bar that would come out as it did last frame is
 * left as it is, and the body is told whether its own pixels are still
 * there (not when the frames over the panel changed). */
void chrome_draw_panel(struct wall *w, struct panel *p, SDL_Rect box, SDL_Rect clip, struct draw_ctx *dc,
                       bool selected);
/* The bezel gaps of the canvas over the panels of view v (preview). */
void chrome_draw_bezels(struct wall *w, const struct view *v);

/* The title badge of a panel with a source: its status (LIVE, NO SIGNAL,
 * ...), or BAD DATA while the source is live but the panel's latest payload
 * was bad. */
void chrome_badge(const struct panel *p, int locale, const char **text, uint32_t *rgba);

#endif
