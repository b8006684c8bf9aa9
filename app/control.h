/* app/control.h: the one command path. Every operator action (pages,
 * selection, enlarge/restore, acknowledgements, screenshot, overlays, quit)
 * is a struct wall_cmd executed by control_exec() on the render thread.
 * Keys and mouse (input.c), the page tour and the MQTT acknowledgement topic
 * (wall.c) only translate what they see into commands; remote control and
 * node sync are meant to do the same (like tmux's command table). */
#ifndef PANTAU_CONTROL_H
#define PANTAU_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wall;

enum wall_cmd_kind {
    CMD_PAGE_NEXT,      /* the next page (wraps) */
    CMD_PAGE_PREV,      /* the previous page (wraps) */
    CMD_PAGE,           /* page arg (0-based) */
    CMD_SELECT,         /* select panel arg of the page (0-based); -1: none */
    CMD_SELECT_MOVE,    /* select the nearest panel in direction (dx, dy) */
    CMD_ENLARGE,        /* enlarge panel arg; -1: the selected one (or the first) */
    CMD_RESTORE,        /* back from an enlarged panel to the wall */
    CMD_BACK,           /* Esc: close help, else restore, else close stats, else deselect */
    CMD_ACK,            /* acknowledge the alarms of panel `panel` (its id) */
    CMD_ACK_ALL,        /* acknowledge every alarm (remote, sync: already deliberate) */
    CMD_ACK_ALL_ARM,    /* ask "acknowledge all N? Y" for a few seconds (keys, mouse) */
    CMD_ACK_ALL_CONFIRM, /* acknowledge every alarm if armed (else nothing) */
    CMD_ACK_ALL_CANCEL, /* disarm */
    CMD_SCREENSHOT,     /* save the next frame as PNG in screenshot_dir */
    CMD_HELP,           /* toggle the help overlay */
    CMD_STATS,          /* toggle the stats overlay */
    CMD_ALARM_LOG,      /* toggle the alarm log overlay (its last entries) */
    CMD_ALIGN,          /* toggle the alignment pattern over the whole wall (shared by every node) */
    CMD_QUIT_ARM,       /* ask "quit? Y" for a few seconds */
    CMD_QUIT_CONFIRM,   /* quit if armed (else nothing) */
    CMD_QUIT_CANCEL,    /* disarm */
    CMD_QUIT,           /* quit now (a preview window closed) */
    CMD_TOUR_HOLD,      /* stop the page tour on the page shown */
    CMD_TOUR_RESUME,    /* the tour goes on (the page gets its full show_for) */
    CMD_RELOAD,         /* reload the config file (the app does it between frames) */
    CMD_RESTART_SOURCE, /* reconnect source `name` (the app's feeds) */
    CMD_DEBUG_FREEZE,   /* stop the frame loop for arg ms (remote.debug_commands only) */
    CMD_COUNT
};

struct wall_cmd {
    enum wall_cmd_kind kind;
    int arg;            /* CMD_PAGE, CMD_SELECT, CMD_ENLARGE */
    int dx, dy;         /* CMD_SELECT_MOVE */
    const char *panel;  /* CMD_ACK, CMD_ENLARGE by id: a panel id (borrowed for the call) */
    const char *name;   /* CMD_RESTART_SOURCE: a source name (borrowed) */
    const char *origin; /* who asked, for the log: "keyboard", "mouse", "mqtt", "tour", ... */
};

/* Executes c on w. Returns the number of things it changed (for an
 * acknowledgement: alarms acknowledged), 0 when it changed nothing (a page
 * out of range, nothing selected), or -1 for an invalid command. Render
 * thread only. */
int control_exec(struct wall *w, const struct wall_cmd *c);

/* The command's name ("page-next", "ack-all", ...), for logs and tests. */
const char *control_name(enum wall_cmd_kind kind);
/* Node sync (app/sync.c): takes the wall's shared state as another node
 * set it: page (shown for shown_ms already), enlarged panel id ("" none),
 * tour held, alignment pattern shown. Not published again. */
void control_apply_shared(struct wall *w, size_t page, int64_t shown_ms, const char *enlarged, bool held,
                          bool align, const char *by);

/* The command of a name, or -1. */
int control_find(const char *name);
/* Why the last control_exec() returned 0 or -1, for replies ("" when it
 * did what was asked). */
const char *control_why(const struct wall *w);

#endif
