/* app/overlay.h: what is drawn over the panels: help, stats, the quit
 * question and short notices (toasts). Render thread only. */
#ifndef PANTAU_OVERLAY_H
#define PANTAU_OVERLAY_H

#include <SDL.h>
#include <stddef.h>
#include <stdint.h>

struct wall;

/* Draws the overlays that are up over the frame just rendered. */
void overlay_draw(struct wall *w, int64_t now);
/* The one-line status of the wall (tour held, cameras live, open alarms),
 * bottom right, always; drawn again after a partial redraw. */
void overlay_draw_status(struct wall *w);
/* Unacknowledged alarms whose panel is not on screen (on another page, or
 * behind an enlarged panel): a flashing red strip across the top of every
 * monitor, the newest alarm with its value and page, and how many more.
 * Drawn after the panels in full and partial frames alike. */
void overlay_draw_alarm_banner(struct wall *w, int64_t now);
/* The banner's strip on the output (.w == 0 when none is shown); tests read
 * it from the scene dump. */
SDL_Rect overlay_alarm_banner_rect(const struct wall *w, size_t *hidden);
/* Shows a one-line notice for ms milliseconds (replaces the one shown). */
void wall_toast(struct wall *w, int64_t ms, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Frame-time percentiles over the last frames (ms). */
void frame_stats(const struct wall *w, double *p50, double *p99, double *max);

#endif
