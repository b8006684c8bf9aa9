/* core/scene.h: what feeds and the renderer share. A scene holds one
 * scene_source per configured source: its status and counters, its
 * latest-value slots (one per key, e.g. an MQTT topic) and its latest-frame
 * mailbox. Everything else (panels, textures) belongs to the render thread.
 *
 * Threading contract: sources and slots are created on the main thread
 * before feeds start and never removed while they run. A hot reload (main
 * thread) adds subs to a source whose feed runs (the feed reads the sub
 * list only when it starts; it is restarted when it must see new ones),
 * and removes a source only after its feed stopped. Afterwards each
 * source has one writer thread (its feed) and any number of readers (the
 * render thread). Every call below is safe from those threads; no lock is
 * held across I/O or drawing. Readers poll sequence numbers each frame and
 * only copy what changed. */
#ifndef PANTAU_SCENE_H
#define PANTAU_SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum source_status {
    SOURCE_DISABLED,    /* not running: no feed for this kind, or switched off */
    SOURCE_CONNECTING,  /* first connection under way */
    SOURCE_LIVE,        /* frames/values arriving */
    SOURCE_STALLED,     /* connected but nothing new for stall_after */
    SOURCE_RETRYING,    /* lost; next try at retry_at_ms, reason says why */
};

/* "disabled", "connecting", "live", "stalled", "retrying": for dumps and
 * health messages. */
const char *source_status_name(enum source_status st);

enum source_counter {
    SOURCE_FRAMES,      /* frames or values received */
    SOURCE_DROPS,       /* received but never shown (replaced before display) */
    SOURCE_BYTES,
    SOURCE_ERRORS,      /* bad payloads, decode errors, failed polls */
    SOURCE_RECONNECTS,
    SOURCE_DAMAGED,     /* pictures decoded with errors and shown anyway (also in ERRORS) */
    SOURCE_N_COUNTERS,
};

/* A snapshot of one source, copied under its lock. */
struct source_info {
    enum source_status status;
    char reason[160];           /* why not live; sanitised, secret-free */
    int64_t status_since_ms;    /* monotonic: when status last changed */
    int64_t retry_at_ms;        /* SOURCE_RETRYING: next attempt */
    int64_t last_update_ms;     /* monotonic: last frame/value, 0 = never */
    uint64_t counters[SOURCE_N_COUNTERS];
    uint64_t seq;               /* bumps when what a panel draws changes (status,
                                   reason, retry time); not for counters,
                                   last_update_ms or detail */
    char detail[192];           /* scene_source_set_detail: stats overlay line */
};

enum slot_type { SLOT_EMPTY, SLOT_NUMBER, SLOT_BOOL, SLOT_TEXT };

struct slot_value {
    enum slot_type type;
    double num;                 /* SLOT_NUMBER, SLOT_BOOL (0/1) */
    char text[192];             /* SLOT_TEXT, or the raw value for display */
    int64_t time_ms;            /* monotonic time it arrived */
    /* Filled by scene_slot_read: the extremes of every number written since
     * the previous read, so a spike between two frames still raises its
     * alarm. Equal to num when only one value arrived. */
    double peak_hi, peak_lo;
    /* Filled by scene_slot_read: the last bad payload for this slot. */
    char error[96];
    uint64_t errors;            /* bad payloads so far */
    int64_t error_ms;           /* monotonic time of the last one, 0: none */
};

/* One point of a slot's history (sparklines). */
struct slot_point {
    int64_t time_ms;
    double value;
};

struct scene;
struct scene_source;
struct scene_slot;
struct scene_table;

/* What a panel wants from a source, registered at set-up: a topic filter
 * (MQTT wildcards + and # allowed; for HTTP the resource) and a value path
 * in the payload ("$.a.b[0]"; empty: the whole payload). A plain filter
 * feeds one slot; a wildcard filter feeds a table, one row per topic. The
 * list is immutable once feeds start; feeds read it to know what to fetch
 * and where to write. */
struct scene_sub {
    const char *filter;
    const char *path;
    int qos;
    struct scene_slot *slot;    /* plain filter */
    struct scene_table *table;  /* wildcard filter */
    bool raw;                   /* the payload itself, as text (commands, acks) */
    const void *spec;           /* HTTP: a struct extract_spec (feeds/extract.h), owned
                                   by the panel that registered it */
};

/* One row of a table snapshot. */
struct table_row {
    char key[128];
    struct slot_value value;
};

struct scene *scene_create(void);
/* Frees everything, including frames still in mailboxes. Feeds must be
 * stopped first. */
void scene_destroy(struct scene *s);

/* Set-up (main thread, before feeds start). Names are copied. */
struct scene_source *scene_add_source(struct scene *s, const char *name);
struct scene_source *scene_find_source(const struct scene *s, const char *name);
/* Hot reload (main thread): removes and frees src, whose feed is stopped
 * and which no panel reads any more. */
void scene_remove_source(struct scene *s, struct scene_source *src);
/* Hot reload: puts the sources named in names first, in that order. */
void scene_order_sources(struct scene *s, const char *const *names, size_t n);
size_t scene_n_sources(const struct scene *s);
struct scene_source *scene_source_at(const struct scene *s, size_t i);
const char *scene_source_name(const struct scene_source *src);

/* Registers (or finds) a subscription; set-up only. For a wildcard filter
 * a table of at most max_rows rows is made. Returns the sub, owned by the
 * source. */
const struct scene_sub *scene_sub_add(struct scene_source *src, const char *filter,
                                      const char *path, int qos, size_t max_rows);
/* A subscription whose slot receives each payload as sanitised text,
 * unparsed (acknowledgements, commands). Set-up only. */
const struct scene_sub *scene_sub_add_raw(struct scene_source *src, const char *filter);
/* A subscription described by an extraction spec (HTTP panels): a slot,
 * or a table of max_rows rows when table is true. key describes what the
 * spec extracts (the same key = the same values): asking again with the
 * same key returns the same sub, now pointing at spec, so its value
 * survives a hot reload. spec must outlive the source's feed. Set-up only
 * (the source's feed stopped). */
const struct scene_sub *scene_sub_add_spec(struct scene_source *src, const void *spec, const char *path,
                                           const char *key, bool table, size_t max_rows);
/* Forgets every sub's spec (they belonged to panels that are gone): the
 * feed skips a sub whose spec is NULL until a panel asks for it again.
 * Hot reload, with the source's feed stopped. */
void scene_source_release_specs(struct scene_source *src);
size_t scene_n_subs(const struct scene_source *src);
const struct scene_sub *scene_sub_at(const struct scene_source *src, size_t i);
/* True when an MQTT topic filter (with + and #) matches topic. */
bool scene_topic_matches(const char *filter, const char *topic);

/* Keep the last `points` numbers written to slot, at least min_gap_ms
 * apart (0: every one), so that points x gap covers the longest span a
 * panel draws. A value arriving within the gap of the newest kept point
 * takes its place when it lies farther from the point before (a spike is
 * kept, not averaged away). Set-up only; several calls keep the most points
 * and the smallest gap asked for. */
void scene_slot_keep_history(struct scene_slot *slot, size_t points, int64_t min_gap_ms);
/* Copies up to max points, oldest first; returns how many. */
size_t scene_slot_history(struct scene_slot *slot, struct slot_point *out, size_t max);
/* Records a bad payload for the slot (message copied, sanitised); the
 * last good value stays. Bumps the seq so the panel shows it. */
void scene_slot_error(struct scene_slot *slot, const char *msg);

/* Tables (wildcard subscriptions): write sets the row for key, creating it
 * while there is room (then counts an overflow); error marks a row's bad
 * payload. read copies up to max rows sorted by key and returns the count;
 * *overflow says how many keys found no room. */
void scene_table_write(struct scene_table *t, const char *key, const struct slot_value *v);
void scene_table_error(struct scene_table *t, const char *key, const char *msg);
size_t scene_table_read(struct scene_table *t, struct table_row *out, size_t max, uint64_t *overflow);
uint64_t scene_table_seq(struct scene_table *t);
/* Replaces every row at once (a polled snapshot), keeping max_rows. */
void scene_table_replace(struct scene_table *t, const struct table_row *rows, size_t n);
/* The value did not change but was confirmed now (HTTP 304): its age
 * restarts; bumps the seq. */
void scene_slot_refresh(struct scene_slot *slot, int64_t time_ms);
void scene_table_refresh(struct scene_table *t, int64_t time_ms);

/* Status and counters (writer: the source's feed). reason is copied,
 * sanitised; NULL clears it. */
void scene_source_set_status(struct scene_source *src, enum source_status st,
                             const char *reason, int64_t retry_at_ms);
void scene_source_count(struct scene_source *src, enum source_counter c, uint64_t n);
/* Marks a frame/value arrival now (feeds call it; stall detection reads it). */
void scene_source_touch(struct scene_source *src);
/* Snapshot for the reader. */
void scene_source_get(struct scene_source *src, struct source_info *out);
/* Cheap change check: the sequence number without copying. */
uint64_t scene_source_seq(struct scene_source *src);

/* How a picture fills its box: letterbox, crop, or fill without aspect. */
enum view_fit { VIEW_FIT_CONTAIN, VIEW_FIT_COVER, VIEW_FIT_STRETCH };

/* How a source is on screen, written by the render thread for every panel
 * of the source (the largest box wins): at layout time, before any feed
 * starts, and then each frame. Read by the feed to pick its stream, decoder
 * settings and scaling. The feed fits each picture into the box itself, so
 * even a stream's first picture (or the first after a change of resolution)
 * comes at the size it is drawn. */
struct source_view {
    int w, h;           /* the box the picture is fitted into, in output
                           pixels; 0: not laid out */
    bool shown;         /* on the page being displayed */
    bool planes;        /* the renderer takes full-size YUV planes (GPU);
                           false: send pictures scaled to their fitted size */
    int fit;            /* enum view_fit */
};
/* The size a src_w x src_h picture with sample aspect sar_num:sar_den is
 * drawn at in a box_w x box_h box with fit (enum view_fit); the box itself
 * for stretch or an unknown picture size. Pure; any thread. */
void view_fit_size(int box_w, int box_h, int src_w, int src_h, int sar_num, int sar_den, int fit, int *w, int *h);
void scene_source_set_view(struct scene_source *src, const struct source_view *v, int64_t frame_ms);
/* The merged view of the last complete frame (and the current one). */
void scene_source_get_view(struct scene_source *src, struct source_view *out);
/* A one-line technical summary of the source for the stats overlay (e.g.
 * "720x576 h264 · 25 fps · 1480 kbps"); copied, sanitised. Does not bump
 * the seq (it never needs a redraw by itself). Writer: the feed. */
void scene_source_set_detail(struct scene_source *src, const char *text);

/* Slots: latest value wins. write copies v and bumps the seq; read copies
 * the value out and returns its seq (0 = never written). */
void scene_slot_write(struct scene_slot *slot, const struct slot_value *v);
uint64_t scene_slot_read(struct scene_slot *slot, struct slot_value *out);
uint64_t scene_slot_seq(struct scene_slot *slot);

/* Frame mailbox: holds the newest frames by reference (e.g. an AVFrame),
 * at most two. put takes ownership of frame; when two already wait the
 * older is released with the source's unref function and counted as a
 * drop (the mailbox bumps the source's seq and counts the frame). The
 * render thread reads it through scene_frame_current. */
void scene_source_set_frame_unref(struct scene_source *src, void (*unref)(void *frame));
void scene_mailbox_put(struct scene_source *src, void *frame);
/* Render thread only: the frame of src to show in the render frame
 * frame_ms (the same value for all panels of one frame). Once per render
 * frame it takes the next waiting frame from the mailbox (the older of two:
 * a pair that arrived within one display frame is shown on consecutive
 * frames, not lost) and keeps it (borrowed by the caller) until the next
 * replaces it or the scene is destroyed, so every panel of the source can
 * show it; a panel compares *seq with the last it uploaded. NULL (and *seq
 * 0) before the first frame. */
const void *scene_frame_current(struct scene_source *src, int64_t frame_ms, uint64_t *seq);

#endif
