/* feeds/feed.c: the set of running feeds (the kinds table is kinds.c).
 * Main thread only. */
#include "feed.h"
#include "../core/util.h"

#include <stdlib.h>

struct feed_set {
    struct feed *feeds;
    size_t n;
};

struct feed_set *feed_set_start(const struct cfg *cfg, struct scene *scene)
{
    struct feed_set *fs = xcalloc(1, sizeof(*fs));
    fs->feeds = xcalloc(cfg->n_sources, sizeof(*fs->feeds));
    for (size_t i = 0; i < cfg->n_sources; i++) {
        const struct cfg_source *cs = &cfg->sources[i];
        struct feed *f = &fs->feeds[fs->n++];
        f->cfg = cs;
        f->wall_cfg = cfg;
        f->src = scene_find_source(scene, cs->name);
        char tag[96];
        snprintf(tag, sizeof(tag), "feed/%s", cs->name);
        f->log = log_create(tag);
        f->ops = cs->kind->impl;
        if (!f->ops) {
            char why[128];
            snprintf(why, sizeof(why), "%s feed not available in this build", cs->kind->name);
            scene_source_set_status(f->src, SOURCE_DISABLED, why, 0);
            log_warn(f->log, "%s", why);
            continue;
        }
        scene_source_set_status(f->src, SOURCE_CONNECTING, NULL, 0);
        int rc = f->ops->start(f);
        if (rc < 0) {
            log_error(f->log, "could not start (%d)", rc);
            f->ops = NULL;
        }
    }
    return fs;
}

void feed_set_stop(struct feed_set *fs)
{
    if (!fs) {
        return;
    }
    /* All feeds first hear they must stop, then each is joined: 24 dead
     * cameras wind down in parallel, not one after another. */
    for (size_t i = 0; i < fs->n; i++) {
        struct feed *f = &fs->feeds[i];
        if (f->ops && f->ops->request_stop) {
            f->ops->request_stop(f);
        }
    }
    for (size_t i = 0; i < fs->n; i++) {
        struct feed *f = &fs->feeds[i];
        if (f->ops) {
            f->ops->stop(f);
        }
        log_destroy(f->log);
    }
    free(fs->feeds);
    free(fs);
}
