/* app/diag.h: screenshots, stats, trace and scene dump (wall_save_screenshot
 * and wall_dump are in wall.h). Render thread only. */
#ifndef PANTAU_DIAG_H
#define PANTAU_DIAG_H

struct wall;

/* Saves the frame just drawn as screenshot_dir/pantau-DATE-TIME.png and
 * says so on the wall (a toast) and in the log. */
void diag_take_screenshot(struct wall *w);
/* --stats: frame-time percentiles and CPU per frame, written at exit. */
void diag_write_stats(struct wall *w);
/* --trace: one line "<panel> <value> <wall clock ms>" per value drawn for
 * the first time in the frame just presented. */
void diag_write_trace(struct wall *w);

#endif
