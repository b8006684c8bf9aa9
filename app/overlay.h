/* app/overlay.h: what is drawn over the panels: help, stats, the quit
 * question and short notices (toasts). Render thread only. */
#ifndef PANTAU_OVERLAY_H
#define PANTAU_OVERLAY_H

#include <stdint.h>

struct wall;

/* Draws the overlays that are up over the frame just rendered. */
void overlay_draw(struct wall *w, int64_t now);
/* The one-line status of the wall (tour held, cameras live, open alarms),
 * bottom right, always; drawn again after a partial redraw. */
void overlay_draw_status(struct wall *w);
/* Shows a one-line notice for ms milliseconds (replaces the one shown). */
void wall_toast(struct wall *w, int64_t ms, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Frame-time percentiles over the last frames (ms). */
void frame_stats(const struct wall *w, double *p50, double *p99, double *max);

#endif
