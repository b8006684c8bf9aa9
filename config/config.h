/* config/config.h: the loaded configuration. cfg_load() turns one YAML file
 * (or the built-in demo) into these structs, checking everything it can
 * before the wall starts; errors are collected as "file:line:col: path:
 * message" lines. A loaded config is immutable and may be read by any
 * thread. */
#ifndef PANTAU_CONFIG_H
#define PANTAU_CONFIG_H

#include "schema.h"

#include <stdio.h>

enum cfg_locale { CFG_LOCALE_EN, CFG_LOCALE_ID };

struct cfg_pos {
    int line, col;               /* 1-based, 0 when unknown */
};

/* wall.displays.monitors: one monitor where it is on the wall. */
struct cfg_monitor {
    int at[2];                   /* its top-left corner on the wall canvas, pixels */
    int size[2];                 /* pixels (a portrait monitor: [1080, 1920]) */
    char *name;                  /* "": "Monitor N" */
    char *output;                /* the output it is on ("" : the next display in order) */
    char *node;                  /* the machine driving it ("": every machine) */
    struct cfg_pos at_pos;
};

struct cfg_wall {
    int columns, rows;           /* monitors across and down */
    int size[2];                 /* one monitor, pixels */
    int bezel[2];                /* visible gap between monitors, pixels */
    int grid[2];                 /* layout cells across and down the canvas */
    struct cfg_pos grid_pos;
    int local[4];                /* monitors this machine drives: col,row,w,h (w=0: all) */
    struct cfg_pos local_pos;
    char *outputs;               /* one window per monitor: the outputs, comma-separated; "": one window */
    struct cfg_pos outputs_pos;
    struct cfg_monitor *monitors; /* listed monitors, each where it is (replaces columns, rows, size, bezel) */
    size_t n_monitors;
    int gap;                     /* pixels between panels */
    int64_t stall_after;         /* default source stall time */
    uint32_t background;
    uint32_t bezel_color;        /* preview mode draws bezels in this colour */
    bool status_line;            /* the one-line status, bottom right */
    int on_alarm;                /* enum cfg_on_alarm: what the page tour does about an alarm */
};

/* wall.on_alarm */
enum cfg_on_alarm {
    ON_ALARM_BANNER, /* the tour goes on; the banner names alarms off screen */
    ON_ALARM_STOP,   /* the tour stops on a page with an unacknowledged alarm */
    ON_ALARM_SHOW,   /* a new alarm brings its page up at once; the tour stops there */
};

/* Remote control and health over MQTT (app/remote.c). */
struct cfg_remote {
    char *broker;                /* name of an mqtt source whose connection is used; "": off */
    char *prefix;                /* topic root, e.g. "pantau/pekanbaru" */
    char *node;                  /* this machine's node name; "": the host name */
    char *leader;                /* the node that turns the tour's pages; "": the first online */
    int64_t heartbeat;           /* ms between health publications when nothing changed */
    bool debug_commands;         /* accept "debug-freeze" (tests of the watchdog) */
    struct cfg_pos broker_pos, prefix_pos, node_pos, leader_pos;
};

struct cfg_source {
    char *name;
    const struct cfg_kind *kind;
    char *url;                   /* the kind key's value */
    void *opts;                  /* kind->opts_size bytes, filled from kind->keys */
    int64_t alarm_after;         /* ms not live before the source raises an alarm; 0: never */
    char *alarm_label;           /* the alarm's name; "": the source's name */
    struct cfg_pos pos;
};

struct cfg_panel {
    char *id;                    /* unique across pages */
    const struct cfg_kind *kind;
    char *value;                 /* the kind key's value: source name, text, format */
    struct cfg_source *source;   /* resolved when kind->source_kind is set */
    int at[4];                   /* col, row, w, h on the grid */
    char *label;                 /* title bar text; empty: no title bar */
    bool title_clock;
    uint32_t accent;
    void *opts;                  /* kind->opts_size bytes */
    struct cfg_pos pos, at_pos, value_pos;
};

struct cfg_page {
    char *name;
    int64_t show_for;            /* ms; 0: stay until switched */
    struct cfg_panel *panels;
    size_t n_panels;
    struct cfg_pos pos;
};

struct cfg {
    char *path;                  /* file name used in messages */
    int version;
    int locale;                  /* enum cfg_locale */
    char *title;
    char *screenshot_dir;
    char *alarm_log;             /* file of every raise, clear, acknowledgement; "": none */
    char *timezone;              /* TZ for clocks; empty: the system's */
    struct cfg_wall wall;
    struct cfg_remote remote;
    struct cfg_source *sources;
    size_t n_sources;
    struct cfg_page *pages;
    size_t n_pages;
    bool sources_unreadable;     /* loader only: the sources section was not a mapping */
};

/* Error list filled by the loader, every problem not only the first. */
struct cfg_errors {
    char **lines;
    size_t n;
};

/* Loads path (or, with text != NULL, the YAML text, naming it path in
 * messages). Returns NULL when any error was found; errs then holds them all.
 * The caller owns the result (cfg_destroy) and errs (cfg_errors_finish). */
struct cfg *cfg_load(const char *path, const char *text, const struct cfg_kinds *kinds, struct cfg_errors *errs);
void cfg_destroy(struct cfg *c);
void cfg_errors_finish(struct cfg_errors *e);

/* The compiled-in demo config (YAML text). */
extern const char cfg_demo_yaml[];

/* Writes the effective config as YAML: defaults filled in, every secret and
 * credential replaced by "***". The output loads back to the same config. */
void cfg_print(const struct cfg *c, FILE *out);

/* Writes the key reference (Markdown tables) generated from the schema. */
void cfg_print_reference(FILE *out, const struct cfg_kinds *kinds);

/* True when source a of config ca and source b of config cb would run the
 * same way: same name, kind, URL and every key (secrets included), and the
 * same wall-wide defaults a feed reads. A hot reload keeps such a source's
 * feed running. */
bool cfg_source_same(const struct cfg *ca, const struct cfg_source *a, const struct cfg *cb,
                     const struct cfg_source *b);
/* Writes to out the keys that changed from a to b but apply only after a
 * restart ("" when none). */
void cfg_restart_keys_changed(const struct cfg *a, const struct cfg *b, char *out, size_t outlen);

/* Canvas geometry derived from wall: whole canvas size in pixels. */
void cfg_canvas_size(const struct cfg_wall *w, int *cw, int *ch);
/* wall.displays.outputs: splits "DP-1, DP-2" into up to max names (spaces
 * trimmed, each cut to 63 bytes). Returns the count, 0 for "" or "auto",
 * or -1 when an item is empty ("DP-1,,DP-2") or there are more than max. */
#define CFG_MAX_OUTPUTS 16
int cfg_outputs_parse(const char *text, char items[][64], int max);
/* Monitors this machine (node; NULL: unknown) drives: wall.displays.local
 * or all; of listed monitors those of node or of every node. */
int cfg_local_count(const struct cfg_wall *w, const char *node);

const struct cfg_key *cfg_top_keys(void);
const struct cfg_key *cfg_wall_keys(void);
const struct cfg_key *cfg_page_keys(void);
const struct cfg_key *cfg_panel_keys(void);
/* What every source has besides its kind's keys. */
const struct cfg_key *cfg_source_keys(void);

#endif
