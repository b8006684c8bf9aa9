/* widgets/widget.h: the interface every widget kind implements, and the
 * panel it draws. Panels and widgets live on the render thread only; a
 * widget reads its source through the scene (core/scene.h), never the feed.
 *
 * Adding a kind: one .c/.h pair defining a `struct cfg_kind` (its config
 * keys) whose .impl points at its `struct widget_ops`, and one line in the
 * table in kinds.c. */
#ifndef PANTAU_WIDGET_H
#define PANTAU_WIDGET_H

#include "../core/scene.h"
#include "../config/config.h"
#include "text_cache.h"

#include <SDL.h>
#include <stdbool.h>

/* Everything a widget may use while drawing one frame. */
struct alarm_list;

struct draw_ctx {
    SDL_Renderer *r;
    struct alarm_list *alarms;  /* the wall's alarms (sensor widgets raise them) */
    struct text_cache *text;
    const struct cfg *cfg;
    float scale;            /* output pixels per canvas pixel */
    int locale;             /* enum cfg_locale */
    int64_t now_ms;         /* monotonic, same for the whole frame */
    int64_t wall_time;      /* seconds since the epoch, same for the whole frame */
    size_t page;            /* the page being displayed */
    bool gpu;               /* the renderer scales textures on a GPU (video takes
                               full-size YUV planes); false: SDL's software renderer */
    bool enlarged;          /* drawing the enlarged panel (the whole screen) */
    bool partial;           /* a partial redraw: the panel's pixels of the last
                               frame are still there and nothing was drawn over
                               them since, so a widget may skip parts that would
                               come out the same (the wall's chrome clears it
                               when the panel's frames changed) */
};

/* What a panel's title bar and the frames around it looked like when last
 * drawn (app/chrome.c): a partial redraw leaves a title bar that would come
 * out the same. valid false: draw it. */
struct chrome_drawn {
    bool valid;
    SDL_Rect box;
    float scale;
    uint32_t badge_rgba;
    char badge[48];
    char clock[16];
    int frames;             /* alarm border width, whether it shows, selected */
    unsigned long long kept; /* partial redraws that left the bar (tests) */
};

struct panel {
    const struct cfg_panel *cfg;        /* borrowed from the config */
    const struct widget_ops *ops;
    struct scene_source *source;        /* NULL for panels without a source */
    struct source_info info;            /* latest status snapshot */
    uint64_t info_seq;                  /* info.seq + 1; 0: never read */
    SDL_Rect rect;                      /* on the wall canvas, gaps applied */
    size_t page;
    size_t index;                       /* within its page */
    void *priv;                         /* kind state */
    bool redraw;                        /* the wall: changed since the last frame */
    /* Set by a widget when it draws a value it had not drawn before; the
     * wall writes it to the --trace file once the frame is presented. */
    bool trace_pending;
    double trace_value;
    /* The title as last drawn: its font size (px) and whether the whole
     * label fitted (false: cut with an ellipsis). For the scene dump. */
    int title_px;
    bool title_whole;
    bool title_clock_shown;             /* title_clock had room */
    int text_px;                        /* rows' text size at the last draw (lists, tables) */
    struct chrome_drawn chrome_drawn;
};

struct widget_ops {
    const char *kind;
    /* Allocates priv; 0 or a negative errno-style code. Optional. */
    int (*create)(struct panel *p);
    /* Reads the scene once per frame; returns true when the panel must be
     * redrawn (new value, new frame, a clock tick). Optional. */
    bool (*update)(struct panel *p, const struct draw_ctx *dc);
    /* Draws the body into box (output pixels). */
    void (*draw)(struct panel *p, struct draw_ctx *dc, SDL_Rect box);
    /* True when the next draw() paints every pixel of its box itself (a
     * picture and its letterbox), so the chrome does not fill the body
     * first: in software every fill is a pass over the pixels. Optional. */
    bool (*opaque)(const struct panel *p);
    /* The body's box (output pixels) at layout time: for every panel of
     * every page when the wall is laid out, before any feed starts, and
     * again on each layout change. Optional. */
    void (*place)(struct panel *p, const struct draw_ctx *dc, SDL_Rect box);
    /* True while what the panel shows is not good data although its source
     * is live (the latest payload was bad, a path matches nothing): the
     * title badge then says so instead of LIVE. Optional. */
    bool (*bad_data)(const struct panel *p);
    /* Why it is red: the band the value is in and the thresholds, as one
     * line, for the enlarged panel; 0 when there is nothing to say.
     * Optional. */
    size_t (*bands)(const struct panel *p, int locale, char *out, size_t outlen);
    /* A click on the panel acknowledges every alarm (the alarm list). */
    bool click_acks_all;
    /* Frees priv. Optional. */
    void (*destroy)(struct panel *p);
    /* Adds what the panel shows to a cJSON object (--dump-scene, tests).
     * Optional. */
    void (*describe)(struct panel *p, void *cjson_object);
};

/* The ops of a panel kind (via its cfg_kind). */
/* The panel kinds (widgets/kinds.c), NULL-terminated: passed to the config
 * loader. */
extern const struct cfg_kind *const widget_kinds[];

const struct widget_ops *widget_ops_of(const struct cfg_kind *kind);

/* Refreshes p->info from its source; returns true when it changed. */
bool widget_poll_source(struct panel *p);

/* A destroy op for kinds whose priv is one plain allocation. */
void widget_free_priv(struct panel *p);

/* Scales a canvas-pixel length to output pixels (at least 1). */
int widget_px(const struct draw_ctx *dc, double canvas_px);

/* Text for the room: the smallest and largest text of a widget's rows, in
 * canvas px. On a 55" 1080p monitor (0.63 mm a pixel) 18 px text has
 * capitals about 8 mm high, what reads from 5 m; rows that do not fit at
 * it are dropped ("+3 more"), the text is never made smaller. */
#define WIDGET_TEXT_MIN 18
#define WIDGET_TEXT_MAX 44

/* The text size (output px) at which n rows fill a box h px high: as large
 * as fits, between WIDGET_TEXT_MIN and WIDGET_TEXT_MAX canvas px. */
int widget_rows_px(const struct draw_ctx *dc, int h, int n);

#endif
