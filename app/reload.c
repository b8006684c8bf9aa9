/* app/reload.c: hot reload. A new config is loaded and checked first; with
 * errors nothing changes. Otherwise, between two frames on the render
 * thread:
 *   1. feeds whose source changed or went away stop, and so do HTTP-style
 *      feeds that read the panels' extraction specs (they are cheap to
 *      restart: a poll, no session); feeds of unchanged sources (a camera's
 *      RTSP session and decoder, an MQTT client) keep running, borrowing
 *      the config they started with;
 *   2. every panel goes (the wall remembers page, enlarged and selected
 *      panel by name and id);
 *   3. the scene drops the sources of stopped-for-good feeds and adds the
 *      new ones; kept sources keep their values and last picture;
 *   4. the panels of the new config are built and laid out;
 *   5. new and changed sources start; paused ones restart; a kept feed whose
 *      source got subscriptions it did not have at start restarts (an MQTT
 *      client subscribes again; retained values come straight back).
 * Keys that apply only after a restart (marked in the reference) keep
 * their old effect, and the log says so. */
#include "app.h"
#include "../core/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#define CHANGE_SETTLE_MS 300

int app_parse_monitors(const char *text, struct cfg_wall *w, int out[4], char *why, size_t whylen)
{
    if (w->n_monitors) {
        snprintf(why, whylen, "this wall lists its monitors (wall.displays.monitors): each monitor's `node` says "
                              "which machine drives it; give this machine its node name with --node");
        return -1;
    }
    int v[4];
    char tail;
    // NOLINTNEXTLINE(cert-err34-c): the ranges are checked on the next line
    if (sscanf(text, "%d,%d,%d,%d%c", &v[0], &v[1], &v[2], &v[3], &tail) != 4 || v[0] < 0 || v[1] < 0 ||
        v[2] < 1 || v[3] < 1) {
        snprintf(why, whylen, "expected COLUMN,ROW,COLUMNS,ROWS such as 0,0,3,2 (from 0; at least 1x1)");
        return -1;
    }
    if (v[0] + v[2] > w->columns || v[1] + v[3] > w->rows) {
        snprintf(why, whylen, "[%d, %d, %d, %d] reaches past the wall's %dx%d monitors (wall.displays)", v[0], v[1],
                 v[2], v[3], w->columns, w->rows);
        return -1;
    }
    memcpy(out, v, sizeof(v));
    memcpy(w->local, v, sizeof(v));
    return 0;
}

void app_file_hash(const char *path, char out[17])
{
    out[0] = '\0';
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        return;
    }
    uint64_t h = 1469598103934665603ULL;
    int c;
    while ((c = getc(f)) != EOF) {
        h ^= (unsigned char)c;
        h *= 1099511628211ULL;
    }
    fclose(f);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static const struct cfg_source *find_cfg_source(const struct cfg *c, const char *name)
{
    for (size_t i = 0; i < c->n_sources; i++) {
        if (strcmp(c->sources[i].name, name) == 0) {
            return &c->sources[i];
        }
    }
    return NULL;
}

static bool has_specs(struct scene_source *src)
{
    for (size_t i = 0; i < scene_n_subs(src); i++) {
        if (scene_sub_at(src, i)->spec) {
            return true;
        }
    }
    return false;
}

/* What happens to a running feed. */
enum fate { KEEP, PAUSE, DROP };

static enum fate fate_of(const struct feed *f, const struct cfg *next)
{
    const struct cfg_source *ns = find_cfg_source(next, f->cfg->name);
    if (!ns || !cfg_source_same(f->wall_cfg, f->cfg, next, ns)) {
        return DROP;
    }
    return has_specs(f->src) ? PAUSE : KEEP;
}

struct pick_ctx {
    const struct cfg *next;
    char **paused;              /* names of paused feeds */
    size_t n_paused;
    size_t dropped;
};

static bool pick_stopping(const struct feed *f, void *vctx)
{
    struct pick_ctx *pc = vctx;
    enum fate fate = fate_of(f, pc->next);
    if (fate == PAUSE) {
        pc->paused[pc->n_paused++] = xstrdup(f->cfg->name);
    } else if (fate == DROP) {
        pc->dropped++;
    }
    return fate != KEEP;
}

static bool was_paused(const struct pick_ctx *pc, const char *name)
{
    for (size_t i = 0; i < pc->n_paused; i++) {
        if (strcmp(pc->paused[i], name) == 0) {
            return true;
        }
    }
    return false;
}

static bool pick_grown(const struct feed *f, void *ctx)
{
    (void)ctx;
    return scene_n_subs(f->src) > f->subs_at_start;
}

void app_free_unused_cfgs(struct app *a)
{
    size_t kept = 0;
    for (size_t i = 0; i < a->n_old; i++) {
        if (feed_set_uses_cfg(a->feeds, a->old[i])) {
            a->old[kept++] = a->old[i];
        } else {
            cfg_destroy(a->old[i]);
        }
    }
    a->n_old = kept;
}

/* Swaps next in (it is owned from here on). */
static void apply(struct app *a, struct cfg *next)
{
    struct cfg *prev = a->cfg;
    size_t n_feeds_before = feed_set_count(a->feeds);
    struct pick_ctx pc = { .next = next };
    pc.paused = xcalloc(n_feeds_before ? n_feeds_before : 1, sizeof(*pc.paused));
    /* 1. stop what changed, went away, or reads the panels' specs */
    feed_set_stop_where(a->feeds, pick_stopping, &pc);
    /* 2. the panels go */
    wall_unload_panels(a->wall);
    /* 3. the scene follows the new source list */
    for (size_t i = scene_n_sources(a->scene); i-- > 0;) {
        struct scene_source *src = scene_source_at(a->scene, i);
        const char *name = scene_source_name(src);
        const struct cfg_source *ns = find_cfg_source(next, name);
        const struct cfg_source *os = find_cfg_source(prev, name);
        bool running = feed_set_find(a->feeds, name) != NULL;
        bool same = ns && os && cfg_source_same(prev, os, next, ns);
        if (!ns || (!running && !was_paused(&pc, name) && !(a->feeds == NULL && same))) {
            scene_remove_source(a->scene, src); /* gone, or changed: a fresh start */
        } else {
            scene_source_release_specs(src);
        }
    }
    const char **order = xcalloc(next->n_sources ? next->n_sources : 1, sizeof(*order));
    for (size_t i = 0; i < next->n_sources; i++) {
        order[i] = next->sources[i].name;
        if (!scene_find_source(a->scene, next->sources[i].name)) {
            scene_add_source(a->scene, next->sources[i].name);
        }
    }
    scene_order_sources(a->scene, order, next->n_sources);
    free(order);
    /* 4. the new panels */
    a->cfg = next;
    wall_load_panels(a->wall, next);
    /* 5. start what is not running */
    if (a->feeds) {
        feed_set_stop_where(a->feeds, pick_grown, NULL);
        for (size_t i = 0; i < next->n_sources; i++) {
            const struct cfg_source *cs = &next->sources[i];
            if (!feed_set_find(a->feeds, cs->name)) {
                feed_set_start_one(a->feeds, next, cs, scene_find_source(a->scene, cs->name));
            }
        }
    } else {
        for (size_t i = 0; i < scene_n_sources(a->scene); i++) {
            scene_source_set_status(scene_source_at(a->scene, i), SOURCE_DISABLED, "feeds off (--no-feeds)", 0);
        }
    }
    size_t same = 0, changed = 0, gone = 0;
    for (size_t i = 0; i < prev->n_sources; i++) {
        const struct cfg_source *ns = find_cfg_source(next, prev->sources[i].name);
        if (!ns) {
            gone++;
        } else if (cfg_source_same(prev, &prev->sources[i], next, ns)) {
            same++;
        } else {
            changed++;
        }
    }
    log_info(a->log, "reload: sources: %zu unchanged (%zu of them re-read: HTTP polls again), %zu changed "
             "(restarted), %zu new, %zu removed; %zu page%s", same, pc.n_paused, changed,
             next->n_sources - same - changed, gone, next->n_pages, next->n_pages == 1 ? "" : "s");
    for (size_t i = 0; i < pc.n_paused; i++) {
        free(pc.paused[i]);
    }
    free(pc.paused);
    /* The old config stays while a kept feed borrows it. */
    a->old = xrealloc(a->old, (a->n_old + 1) * sizeof(*a->old));
    a->old[a->n_old++] = prev;
    app_free_unused_cfgs(a);
}

int app_reload(struct app *a, bool force, char *why, size_t whylen)
{
    char hash[17];
    app_file_hash(a->path, hash);
    if (!a->path) {
        snprintf(why, whylen, "running the built-in demo config: there is no file to reload");
        log_warn(a->log, "reload: %s", why);
        return -1;
    }
    if (!force && hash[0] && strcmp(hash, a->cfg_hash) == 0) {
        log_debug(a->log, "reload: %s unchanged", a->path);
        why[0] = '\0';
        return 0;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct cfg_errors errs = { 0 };
    struct cfg *next = cfg_load(a->path, NULL, a->kinds, &errs);
    if (!next) {
        for (size_t i = 0; i < errs.n; i++) {
            log_error(a->log, "%s", errs.lines[i]);
        }
        snprintf(why, whylen, "%s%s", errs.n ? errs.lines[0] : "cannot load the file",
                 errs.n > 1 ? " (and more: see the log)" : "");
        log_error(a->log, "reload refused: %zu error%s in %s; the wall keeps running on the config it has",
                  errs.n, errs.n == 1 ? "" : "s", a->path);
        cfg_errors_finish(&errs);
        snprintf(a->reload_error, sizeof(a->reload_error), "%s", why);
        a->reload_failures++;
        return -1;
    }
    cfg_errors_finish(&errs);
    if (a->has_monitors) {
        char mon[32];
        snprintf(mon, sizeof(mon), "%d,%d,%d,%d", a->monitors[0], a->monitors[1], a->monitors[2], a->monitors[3]);
        char bad[256];
        if (app_parse_monitors(mon, &next->wall, a->monitors, bad, sizeof(bad)) < 0) {
            snprintf(why, whylen, "--monitors %s no longer fits: %s", mon, bad);
            log_error(a->log, "reload refused: %s", why);
            snprintf(a->reload_error, sizeof(a->reload_error), "%s", why);
            a->reload_failures++;
            cfg_destroy(next);
            return -1;
        }
    }
    char restart[512];
    cfg_restart_keys_changed(a->cfg, next, restart, sizeof(restart));
    if (restart[0]) {
        log_warn(a->log, "reload: %s changed: applies after a restart (the old value stays in force)", restart);
    }
    if (strstr(restart, "wall.displays.monitors")) {
        /* The windows were opened for the old monitors: keep them in force
         * (swapped, so the old config frees the new list). */
        struct cfg_monitor *m = next->wall.monitors;
        size_t n = next->wall.n_monitors;
        next->wall.monitors = a->cfg->wall.monitors;
        next->wall.n_monitors = a->cfg->wall.n_monitors;
        a->cfg->wall.monitors = m;
        a->cfg->wall.n_monitors = n;
    }
    apply(a, next);
    snprintf(a->cfg_hash, sizeof(a->cfg_hash), "%s", hash);
    a->reloads++;
    a->reload_error[0] = '\0';
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    log_info(a->log, "reloaded %s in %.1f ms (the frame loop paused that long)", a->path, ms);
    why[0] = '\0';
    return 0;
}

static bool pick_named(const struct feed *f, void *ctx)
{
    return strcmp(f->cfg->name, (const char *)ctx) == 0;
}

int app_restart_source(struct app *a, const char *name, char *why, size_t whylen)
{
    const struct cfg_source *cs = find_cfg_source(a->cfg, name ? name : "");
    if (!cs) {
        snprintf(why, whylen, "no source named \"%s\"", name ? name : "");
        return 0;
    }
    if (!a->feeds) {
        snprintf(why, whylen, "feeds are off (--no-feeds)");
        return 0;
    }
    struct feed *f = feed_set_find(a->feeds, name);
    struct scene_source *src = f ? f->src : scene_find_source(a->scene, name);
    feed_set_stop_where(a->feeds, pick_named, (void *)name);
    scene_source_count(src, SOURCE_RECONNECTS, 1);
    feed_set_start_one(a->feeds, a->cfg, cs, src);
    app_free_unused_cfgs(a);
    log_info(a->log, "source %s restarted on request", name);
    return 1;
}

void app_watch_start(struct app *a)
{
    a->watch_fd = -1;
    if (!a->path) {
        return;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", a->path);
    char *slash = strrchr(dir, '/');
    if (slash == dir) {
        dir[1] = '\0';
    } else if (slash) {
        *slash = '\0';
    } else {
        snprintf(dir, sizeof(dir), ".");
    }
    a->watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (a->watch_fd < 0 ||
        inotify_add_watch(a->watch_fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB) < 0) {
        log_warn(a->log, "cannot watch %s for changes (%s): reload with SIGHUP or the reload command",
                 dir, errno_text(errno));
        if (a->watch_fd >= 0) {
            close(a->watch_fd);
        }
        a->watch_fd = -1;
    }
}

/* True when a pending inotify event names the config file. */
static bool file_changed(struct app *a)
{
    const char *base = strrchr(a->path, '/');
    base = base ? base + 1 : a->path;
    bool hit = false;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(a->watch_fd, buf, sizeof(buf));
        if (n <= 0) {
            break;
        }
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
            if (ev->len && strcmp(ev->name, base) == 0) {
                hit = true;
            }
            p += sizeof(*ev) + ev->len;
        }
    }
    return hit;
}

void app_poll_reload(struct app *a)
{
    char why[512];
    if (a->hup && *a->hup) {
        *a->hup = 0;
        log_info(a->log, "SIGHUP: reloading %s", a->path ? a->path : "(built-in demo)");
        app_reload(a, true, why, sizeof(why));
    }
    if (a->watch_fd >= 0 && file_changed(a)) {
        a->change_due_ms = now_ms() + CHANGE_SETTLE_MS;
    }
    if (a->change_due_ms && now_ms() >= a->change_due_ms) {
        a->change_due_ms = 0;
        char hash[17];
        app_file_hash(a->path, hash);
        if (hash[0] && strcmp(hash, a->cfg_hash) != 0) {
            log_info(a->log, "%s changed on disk: reloading", a->path);
            app_reload(a, false, why, sizeof(why));
        }
    }
}
