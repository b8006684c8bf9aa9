/* app/input.h: keyboard, mouse and window events, translated into
 * commands (control.h). Render thread only. */
#ifndef PANTAU_INPUT_H
#define PANTAU_INPUT_H

#include <SDL.h>

struct wall;

/* Handles one SDL event: operator actions go through control_exec(); window
 * resizes and renderer resets mark the layout for recomputation. */
void input_handle(struct wall *w, const SDL_Event *ev);

#endif
