/* app/window.h: opening the wall's window and renderer. Render thread. */
#ifndef PANTAU_WINDOW_H
#define PANTAU_WINDOW_H

#include <stddef.h>

struct wall;

/* Starts SDL's video, opens the window for w's mode and options and picks
 * its renderer (filling w->win, w->r, w->gpu). Returns 0, or -1 with the
 * reason in err; what was opened is freed by wall_destroy. */
int window_open(struct wall *w, char *err, size_t errlen);

#endif
