/* app/window.h: opening the wall's window and renderer. Render thread. */
#ifndef PANTAU_WINDOW_H
#define PANTAU_WINDOW_H

#include <stddef.h>

struct wall;

/* Starts SDL's video, opens the window for w's mode and options and picks
 * its renderer (filling w->win, w->r, w->gpu). Returns 0, or -1 with the
 * reason in err; what was opened is freed by wall_destroy. */
int window_open(struct wall *w, char *err, size_t errlen);
/* One window per monitor (wall.displays.outputs): copies each monitor's
 * part of the drawn frame to its window. Nothing without outputs. */
void window_present(struct wall *w);
/* --screenshot with one window per monitor: what each window shows, as
 * PATH-N.png (N: the monitor's number on the wall, row by row from 1). */
int window_save_outputs(struct wall *w, const char *path, char *err, size_t errlen);

#endif
