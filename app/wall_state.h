/* app/wall_state.h: the wall's state, shared by wall.c (the frame loop),
 * control.c (which changes it on commands), input.c and overlay.c. Render
 * thread only, so no locks. */
#ifndef PANTAU_WALL_STATE_H
#define PANTAU_WALL_STATE_H

#include <string.h>
#include "../core/alarms.h"
#include "../core/log.h"
#include "wall.h"
#include "../widgets/widget.h"

#define FRAME_RING 1024
/* A text not drawn for this long leaves the text cache: longer than a page
 * tour's round on most walls, so tours do not re-render their text. */
#define TEXT_IDLE_MS 120000
#define MAX_VIEWS 64

/* One view maps a canvas rectangle onto the output: a monitor in operator
 * mode, the whole canvas in preview mode, one panel when enlarged. */
struct view {
    SDL_Rect src;   /* canvas pixels */
    SDL_Rect dst;   /* output pixels */
    float scale;
};

/* wall.displays.outputs: one borderless window per monitor this machine
 * drives. Everything is drawn once into `surface` (software), then each
 * window gets its monitor's part (app/window.c). */
#define MAX_OUTPUTS 16
struct out_window {
    SDL_Window *win;
    int col, row;           /* the monitor of the wall it shows (-1: a listed monitor) */
    int number;             /* its number on the wall (1-based) */
    SDL_Rect canvas;        /* the monitor on the wall canvas */
    SDL_Rect src;           /* its part of the drawing surface */
    char output[64];        /* the output it is on, as asked ("1", "DP-2") */
    char found[64];         /* SDL's name of that output ("" headless) */
    bool size_warned;       /* its output's size differs from the monitor's: said once */
};

struct wall {
    const struct cfg *cfg;
    struct scene *scene;
    struct wall_opts opts;
    struct log *log;
    SDL_Window *win;
    SDL_Renderer *r;
    SDL_Surface *surface;   /* per-monitor windows: the drawing surface; NULL otherwise */
    struct out_window outs[MAX_OUTPUTS];
    size_t n_outs;
    bool gpu;               /* not the software renderer nor emulated OpenGL */
    bool poll_wait;         /* the video driver cannot wait for events (offscreen):
                               the frame loop waits on wall_wake()'s semaphore */
    /* What the last frame drew (output pixels): a partial redraw presents
     * only these rectangles to the window (under X, only they are sent to
     * the server). damage_all: a full redraw; damage_overflow: more
     * rectangles than the list holds. Either way the whole window. */
#define DAMAGE_MAX 64
    SDL_Rect damage[DAMAGE_MAX];
    size_t n_damage;
    bool damage_all, damage_overflow;
    SDL_Rect status_drawn;  /* the status line's box last drawn (w 0: none) */
    SDL_Rect banner_drawn;  /* the alarm banner's first strip last drawn (w 0: none) */
    struct text_cache *text;
    int out_w, out_h;
    struct view views[MAX_VIEWS];
    size_t n_views;
    bool layout_dirty;
    float logged_scale;     /* the shrink factor last logged (layout) */

    struct panel *panels;   /* every page's panels, page by page */
    size_t n_panels;
    size_t *page_first;     /* index of each page's first panel */
    size_t page;
    int64_t page_since_ms;
    int selected;           /* index within the page, -1: none */
    int enlarged;           /* index within the page, -1: none */
    struct {                /* kept across a hot reload (by name and id) */
        char page_name[128], enlarged[64], selected[64];
    } keep;
    bool tour_held;         /* CMD_TOUR_HOLD: the page stays */
    int digits;             /* panel number being typed (0: none) */
    int64_t digits_at;      /* when its last digit came */
    bool tour_driver;       /* this node turns the pages (app/sync.c: the leader, or
                               alone); a follower waits for the leader's turns */
    uint64_t shared_seq;    /* bumps when page, enlargement or hold changed other
                               than by sync (app/sync.c publishes it) */
    bool shared_by_tour;    /* the last such change was the tour's */
    char acks_out[8][64];   /* acknowledgements made here ("" = all), for sync to send */
    size_t n_acks_out;
    char cmd_why[160];      /* control_why() */

    bool show_help, show_stats;
    bool want_screenshot;   /* saved after the next frame is drawn */
    struct alarm_list alarms;
    const struct scene_sub **ack_subs;  /* ack_topic of each mqtt source */
    uint64_t *ack_seq;
    size_t n_ack;
    FILE *trace;                /* --trace: one line per new value drawn */
    int64_t flash_phase;
    int64_t quit_armed_until;   /* Ctrl+Q pressed: Y quits until then */
    char alarm_shown[64];       /* on_alarm: show: the alarm whose page was last brought up ... */
    int64_t alarm_shown_since;  /* ... (panel id and when it was raised) */
    int64_t ack_armed_until;
    struct alarm_log *alarm_log; /* every raise, clear, acknowledgement (app/alarmlog.h) */
    const char *ack_by;         /* who is acknowledging, while control.c's ack() runs */
    bool show_alarm_log;        /* L: the alarm log overlay */
    bool show_align;            /* G: the alignment pattern (app/align.c) */
    char node[64];              /* this machine's node name (the pattern names it) */
    int64_t input_ms;           /* monotonic ms of the last key or click (0: none) */    /* Shift+A or a click on the alarm list: Y acknowledges all until then */
    bool quit;
    char toast[256];
    int64_t toast_until;
    int64_t last_click_ms;

    bool dirty;             /* redraw everything */
    bool partial;           /* some panels of the page changed (panel.redraw) */
    int64_t drawn_second;
    int64_t expired_second;  /* last second the text cache was expired */
    struct src_down {        /* sources' alarm_after: since when each is not live */
        char name[64];
        int64_t since;       /* monotonic ms; 0: live */
    } *src_down;
    size_t n_src_down, cap_src_down;
    long frames_rendered;
    double ft[FRAME_RING];  /* ms per rendered frame */
    double fcpu[FRAME_RING]; /* render-thread CPU ms of the same frames */
    size_t ft_n;
    double cpu_ms_total;
    int64_t fps_t0;
    long fps_frames;
    double fps;
};


/* Adds r to what this frame drew (see struct wall's damage). */
static inline void wall_damage(struct wall *w, SDL_Rect r)
{
    if (r.w <= 0 || r.h <= 0) {
        return;
    }
    if (w->n_damage == DAMAGE_MAX) {
        w->damage_overflow = true;
        return;
    }
    w->damage[w->n_damage++] = r;
}

/* Panels on page `page`, and panel `index` of the current page (NULL when
 * out of range). */
static inline size_t wall_page_count(const struct wall *w, size_t page)
{
    return w->cfg->pages[page].n_panels;
}

/* The panel (of any page) whose id is id, e.g. an alarm's; NULL if none. */
static inline const struct panel *wall_panel_by_id(const struct wall *w, const char *id)
{
    for (size_t k = 0; k < w->n_panels; k++) {
        if (strcmp(w->panels[k].cfg->id, id) == 0) {
            return &w->panels[k];
        }
    }
    return NULL;
}

static inline struct panel *wall_page_panel(struct wall *w, int index)
{
    if (index < 0 || (size_t)index >= wall_page_count(w, w->page)) {
        return NULL;
    }
    return &w->panels[w->page_first[w->page] + (size_t)index];
}

#endif
