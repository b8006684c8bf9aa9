/* app/app.h: the running program: the config in force (and older ones still
 * borrowed by running feeds), the scene, the feeds, the wall, remote control
 * and the service watchdog. main.c builds it; reload.c changes it live.
 * Render (main) thread only. */
#ifndef PANTAU_APP_H
#define PANTAU_APP_H

#include "../config/config.h"
#include "../core/log.h"
#include "../core/scene.h"
#include "../feeds/feed.h"

#include <stdatomic.h>
#include "wall.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct remote;

struct app {
    const char *path;           /* the config file; NULL: the built-in demo */
    const struct cfg_kinds *kinds;
    struct cfg *cfg;            /* in force */
    struct cfg **old;           /* replaced, still borrowed by running feeds */
    size_t n_old;
    struct scene *scene;
    struct wall *wall;
    struct feed_set *feeds;     /* NULL with --no-feeds */
    struct log *log;
    struct remote *remote;      /* NULL: remote control off */
    char node[64];              /* node name (remote topics, health) */
    bool preview;               /* a supervisor's preview: follows and steers, never leads */
    bool has_monitors;          /* --monitors / $PANTAU_MONITORS given: */
    int monitors[4];            /* it replaces wall.displays.local, also after a reload */
    bool local;                 /* --local: no node sync (trying a layout) */
    char cfg_hash[17];          /* FNV-1a of the file's text, hex */
    int64_t started_ms;

    /* reload triggers */
    atomic_int *hup; /* set by SIGHUP */
    int watch_fd;               /* inotify on the config's folder; -1: none */
    int64_t change_due_ms;      /* a change seen: reload at this time; 0: none */
    uint64_t reloads, reload_failures;
    char reload_error[512];     /* the last failed reload's first error */
};

/* Reloads the config file now. 0: applied (or unchanged when !force and
 * the text is the same); -1: the file has errors (logged as
 * file:line:col, first one in why) and the running wall is untouched. */
int app_reload(struct app *a, bool force, char *why, size_t whylen);
/* Watches the config file for changes (editors that replace the file
 * included). Quietly does nothing for the built-in demo. */
void app_watch_start(struct app *a);
/* Called once per frame loop turn: SIGHUP and file changes trigger a
 * reload (a change waits 300 ms for the writer to finish). */
void app_poll_reload(struct app *a);
/* Frees old configs no feed borrows any more. */
void app_free_unused_cfgs(struct app *a);
/* Stops the feed of source `name` and starts it again. 1, or 0 with why. */
int app_restart_source(struct app *a, const char *name, char *why, size_t whylen);
/* Parses "C,R,W,H" (the monitors this machine drives) into out, checks it
 * against w's monitor grid and sets w->local. 0, or -1 with why. */
int app_parse_monitors(const char *text, struct cfg_wall *w, int out[4], char *why, size_t whylen);

/* The FNV-1a hash of a file's text (hex, 16 digits) into out; "" when it
 * cannot be read. */
void app_file_hash(const char *path, char out[17]);

#endif
