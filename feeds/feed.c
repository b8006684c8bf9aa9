/* feeds/feed.c: the set of running feeds (the kinds table is kinds.c).
 * Main thread only. */
#include "feed.h"
#include "../core/util.h"

#include <stdlib.h>
#include <string.h>

struct feed_set {
    struct feed **feeds;
    size_t n, cap;
};

/* Creates and starts the feed of cs on src (a feed without an
 * implementation or whose start failed stays, not running). */
static struct feed *feed_start(const struct cfg *cfg, const struct cfg_source *cs, struct scene_source *src)
{
    struct feed *f = xcalloc(1, sizeof(*f));
    f->cfg = cs;
    f->wall_cfg = cfg;
    f->src = src;
    char tag[96];
    snprintf(tag, sizeof(tag), "feed/%s", cs->name);
    f->log = log_create(tag);
    f->ops = cs->kind->impl;
    f->subs_at_start = scene_n_subs(src);
    if (!f->ops) {
        char why[128];
        snprintf(why, sizeof(why), "%s feed not available in this build", cs->kind->name);
        scene_source_set_status(src, SOURCE_DISABLED, why, 0);
        log_warn(f->log, "%s", why);
        return f;
    }
    scene_source_set_status(src, SOURCE_CONNECTING, NULL, 0);
    int rc = f->ops->start(f);
    if (rc < 0) {
        log_error(f->log, "could not start (%d)", rc);
        f->ops = NULL;
    }
    return f;
}

static void add(struct feed_set *fs, struct feed *f)
{
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 16;
        fs->feeds = xrealloc(fs->feeds, fs->cap * sizeof(*fs->feeds));
    }
    fs->feeds[fs->n++] = f;
}

struct feed_set *feed_set_start(const struct cfg *cfg, struct scene *scene)
{
    struct feed_set *fs = xcalloc(1, sizeof(*fs));
    for (size_t i = 0; i < cfg->n_sources; i++) {
        const struct cfg_source *cs = &cfg->sources[i];
        add(fs, feed_start(cfg, cs, scene_find_source(scene, cs->name)));
    }
    return fs;
}

/* All feeds first hear they must stop, then each is joined: 24 dead
 * cameras wind down in parallel, not one after another. Frees them. */
static void stop_all(struct feed **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i]->ops && v[i]->ops->request_stop) {
            v[i]->ops->request_stop(v[i]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i]->ops) {
            v[i]->ops->stop(v[i]);
        }
        log_destroy(v[i]->log);
        free(v[i]);
    }
}

void feed_set_stop(struct feed_set *fs)
{
    if (!fs) {
        return;
    }
    stop_all(fs->feeds, fs->n);
    free(fs->feeds);
    free(fs);
}

size_t feed_set_count(const struct feed_set *fs)
{
    return fs ? fs->n : 0;
}

struct feed *feed_set_at(const struct feed_set *fs, size_t i)
{
    return fs && i < fs->n ? fs->feeds[i] : NULL;
}

void feed_set_stop_where(struct feed_set *fs, bool (*pick)(const struct feed *f, void *ctx), void *ctx)
{
    if (!fs) {
        return;
    }
    struct feed **out = xcalloc(fs->n ? fs->n : 1, sizeof(*out));
    size_t n_out = 0, kept = 0;
    for (size_t i = 0; i < fs->n; i++) {
        if (pick(fs->feeds[i], ctx)) {
            out[n_out++] = fs->feeds[i];
        } else {
            fs->feeds[kept++] = fs->feeds[i];
        }
    }
    fs->n = kept;
    stop_all(out, n_out);
    free(out);
}

void feed_set_start_one(struct feed_set *fs, const struct cfg *cfg, const struct cfg_source *cs,
                        struct scene_source *src)
{
    add(fs, feed_start(cfg, cs, src));
}

struct feed *feed_set_find(const struct feed_set *fs, const char *name)
{
    for (size_t i = 0; fs && i < fs->n; i++) {
        if (strcmp(fs->feeds[i]->cfg->name, name) == 0) {
            return fs->feeds[i];
        }
    }
    return NULL;
}

bool feed_set_uses_cfg(const struct feed_set *fs, const struct cfg *cfg)
{
    for (size_t i = 0; fs && i < fs->n; i++) {
        if (fs->feeds[i]->wall_cfg == cfg) {
            return true;
        }
    }
    return false;
}
