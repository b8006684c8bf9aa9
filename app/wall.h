/* app/wall.h: the wall renderer: the window, the views of the canvas, the
 * panels, the frame loop, controls and overlays. Everything here runs on
 * the render (main) thread; feeds reach it only through the scene. */
#ifndef PANTAU_WALL_H
#define PANTAU_WALL_H

#include "../config/config.h"
#include "../core/scene.h"

#include <SDL.h>
#include <stddef.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>

struct wall;
struct wall_cmd;

enum wall_mode {
    WALL_OPERATOR,  /* full screen over the monitors this machine drives */
    WALL_PREVIEW,   /* the whole canvas, bezels included, scaled into a window */
};

struct wall_opts {
    enum wall_mode mode;
    bool headless;          /* offscreen driver, software renderer */
    int win_w, win_h;       /* 0: full screen (operator) / default size */
    int display;            /* SDL display index for full screen */
    const char *outputs;    /* --outputs / PANTAU_OUTPUTS: overrides wall.displays.outputs */
    const char *node;       /* this machine's node name (listed monitors' node; the alignment pattern) */
    const char *renderer;   /* SDL render driver name, NULL: SDL's choice */
    long frames;            /* stop after this many rendered frames (0: run) */
    bool every_frame;       /* render every frame even when nothing changed */
    int fps;                /* frame pacing without vsync; 0: 60, or none for
                               headless --frames runs */
    const char *screenshot; /* PNG written after the last frame */
    const char *stats_path; /* frame-time stats written at exit (bench) */
    const char *dump_path;  /* scene and panel state written as JSON at exit (tests) */
    const char *trace_path; /* "<panel> <value> <ms>" per new value drawn (bench) */
    /* The app's part (app/main.c), render thread: hook runs once per turn of
     * the frame loop (reload triggers, remote commands, health, watchdog);
     * app_exec runs the commands the wall cannot (reload, restart-source,
     * debug-freeze), returning as control_exec does, with why filled when 0. */
    void (*hook)(struct wall *w, void *ctx);
    /* Runs after the turn's own changes (the tour), before the frame is
     * drawn: node sync sends them without waiting a frame. */
    void (*hook_late)(struct wall *w, void *ctx);
    int (*app_exec)(void *ctx, const struct wall_cmd *c, char *why, size_t whylen);
    void *hook_ctx;
};

/* Opens the window and renderer and builds the panels. Borrows cfg and
 * scene. NULL with a reason in err on failure. */
struct wall *wall_create(const struct cfg *cfg, struct scene *scene, const struct wall_opts *o,
                         char *err, size_t errlen);
void wall_destroy(struct wall *w);
/* This machine's node name (the alignment pattern shows it). */
void wall_set_node(struct wall *w, const char *node);

/* Hot reload, render thread, in this order: drop every panel (remembering
 * the page, enlarged and selected panel by name and id), change the scene
 * and feeds, then build the panels of cfg (borrowed; replaces the old
 * one). Alarms of panels that still exist survive, acknowledgements too. */
void wall_unload_panels(struct wall *w);
void wall_load_panels(struct wall *w, const struct cfg *cfg);


/* Runs the frame loop until *stop becomes non-zero, the operator quits or
 * the frame count is reached. Returns 0, or -1 when a screenshot failed. */
int wall_run(struct wall *w, atomic_int *stop);

/* Flags set from signal handlers are lock-free atomics, not volatile
 * sig_atomic_t: a process-directed signal runs its handler on whichever
 * thread has it unblocked (a feed's or Paho's as well as the frame loop's),
 * and a plain flag written there and read here is a data race
 * (ThreadSanitizer reported it). Lock-free atomics are async-signal-safe. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "signal flags need lock-free atomics");

/* Wakes the frame loop from another thread or a signal handler, so it
 * looks at its inputs now instead of at the next frame slot: an SDL user
 * event where the video driver waits for events, a semaphore where it
 * cannot (offscreen). Async-signal-safe when from_signal (the semaphore
 * only: the signal's flag is read on that wake-up). */
void wall_wake(bool from_signal);

/* Set from a signal handler (SIGUSR1): save a screenshot as F12 does. */
extern atomic_int pantau_screenshot_requested;
/* Set from a signal handler (SIGUSR2): write the --dump-scene file now. */
extern atomic_int pantau_dump_requested;

/* For tests: handle one event; render one frame (returns its ms). */
void wall_handle_event(struct wall *w, const SDL_Event *ev);
double wall_render_frame(struct wall *w);
/* For tests: one turn of the frame loop without input or present: reads
 * the scene, then draws what changed, only the changed panels where the
 * loop would. 0: nothing to draw; 1: drew the changed panels; 2: drew all. */
int wall_step(struct wall *w);
int wall_save_screenshot(struct wall *w, const char *path, char *err, size_t errlen);
/* Writes the sources, every panel's state (describe op) and the alarms as
 * JSON to path. */
int wall_dump(struct wall *w, const char *path, char *err, size_t errlen);

/* What the operator sees, for tests and the stats overlay. */
struct wall_ui {
    size_t page;
    int selected;       /* panel index within the page, -1: none */
    int enlarged;       /* panel index within the page, -1: none */
    bool help, stats, quit_armed, quit, ack_armed, alarm_log;
};
void wall_get_ui(const struct wall *w, struct wall_ui *ui);
SDL_Renderer *wall_renderer(const struct wall *w);

#endif
