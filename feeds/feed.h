/* feeds/feed.h: the interface every feed kind implements. A feed runs off
 * the render thread (its own thread, a library's threads, or a shared
 * poller), never calls SDL, and publishes only through its scene_source:
 * status, counters, slots and the frame mailbox (core/scene.h).
 *
 * Adding a kind: one .c/.h pair defining a `struct cfg_kind` whose .impl
 * points at its `struct feed_ops`, and one line in the table in kinds.c. */
#ifndef PANTAU_FEED_H
#define PANTAU_FEED_H

#include "../core/log.h"
#include "../core/scene.h"
#include "../config/config.h"

struct feed {
    const struct feed_ops *ops;
    const struct cfg_source *cfg;    /* borrowed; outlives the feed */
    const struct cfg *wall_cfg;      /* borrowed */
    struct scene_source *src;        /* borrowed; the only thing a feed writes */
    struct log *log;                 /* owned by the feed set */
    void *priv;                      /* kind state */
    size_t subs_at_start;            /* scene_n_subs(src) when it started */
};

struct feed_ops {
    const char *kind;
    /* Starts the feed; returns 0 or a negative errno-style code (the source
     * is then shown DISABLED with the reason the feed set). Main thread. */
    int (*start)(struct feed *f);
    /* Asks the feed to stop without waiting for it, so that many feeds
     * wind down at once; stop() follows. Optional. Main thread. */
    void (*request_stop)(struct feed *f);
    /* Stops it and frees priv; must return in bounded time even when the
     * source is dead (blocking calls are interruptible). Main thread. */
    void (*stop)(struct feed *f);
    /* The topic of this source whose messages acknowledge alarms (payload
     * "all" or a panel id), or NULL/"" for none: the wall subscribes to it
     * through the scene and turns each message into a command. Optional;
     * any thread (reads the config only). */
    const char *(*ack_topic)(const struct cfg_source *cs);
};

/* The source kinds (feeds/kinds.c), NULL-terminated: passed to the config
 * loader. */
extern const struct cfg_kind *const feed_kinds[];

struct feed_set;

/* Creates one feed per configured source and starts those whose kind has
 * an implementation; the others are marked SOURCE_DISABLED with a reason.
 * Borrows cfg and scene, which must outlive the set. */
struct feed_set *feed_set_start(const struct cfg *cfg, struct scene *scene);
/* Stops every feed (bounded time) and frees the set. NULL is a no-op. */
void feed_set_stop(struct feed_set *fs);

/* Hot reload (main thread). A running feed keeps borrowing the config it
 * was started with (feed->wall_cfg), which must outlive it. */
size_t feed_set_count(const struct feed_set *fs);
struct feed *feed_set_at(const struct feed_set *fs, size_t i);
struct feed *feed_set_find(const struct feed_set *fs, const char *name);
/* Stops (in parallel) and removes the feeds pick() chooses. */
void feed_set_stop_where(struct feed_set *fs, bool (*pick)(const struct feed *f, void *ctx), void *ctx);
/* Starts a feed for cs of cfg on src and adds it to the set. */
void feed_set_start_one(struct feed_set *fs, const struct cfg *cfg, const struct cfg_source *cs,
                        struct scene_source *src);
/* True while some feed still borrows cfg. */
bool feed_set_uses_cfg(const struct feed_set *fs, const struct cfg *cfg);

#endif
