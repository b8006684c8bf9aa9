/* config/check.c: the checks that need the whole config, run after every
 * key was read: the wall's local part, panels in the grid and not
 * overlapping, unique panel ids, each panel's source defined and of the
 * right kind (and linked). Errors go into the load's list like the
 * walker's. */
#include "load.h"
#include "../core/util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct cfg_source *find_source(const struct cfg *c, const char *name)
{
    for (size_t i = 0; i < c->n_sources; i++) {
        if (strcmp(c->sources[i].name, name) == 0) {
            return &c->sources[i];
        }
    }
    return NULL;
}

/* "an mqtt", "an http", "a video": how the names are read aloud. */
static const char *article(const char *name)
{
    return strchr("aeiouAEIOU", name[0]) || strcmp(name, "mqtt") == 0 || strcmp(name, "http") == 0
               ? "an" : "a";
}

/* wall.displays.local lies within the monitors. */
static void check_local(struct ctx *x, const struct cfg_wall *w)
{
    if (w->n_monitors) {
        if (w->local[2] || w->local[3]) {
            cfg_err_pos(x, w->local_pos, "wall.displays.local",
                        "not used with wall.displays.monitors; give each monitor the `node` that drives it");
        }
        return;
    }
    if (w->local[2] || w->local[3]) {
        if (w->local[0] + w->local[2] > w->columns || w->local[1] + w->local[3] > w->rows) {
            cfg_err_pos(x, w->local_pos, "wall.displays.local",
                        "[%d, %d, %d, %d] reaches past the %dx%d monitors", w->local[0], w->local[1],
                        w->local[2], w->local[3], w->columns, w->rows);
        }
    }
}

/* wall.displays.outputs names one output per monitor this machine drives. */
static void check_outputs(struct ctx *x, const struct cfg_wall *w)
{
    if (!w->outputs || !w->outputs[0]) {
        return;
    }
    if (w->n_monitors) {
        cfg_err_pos(x, w->outputs_pos, "wall.displays.outputs",
                    "not used with wall.displays.monitors; give each monitor its `output`");
        return;
    }
    int need = cfg_local_count(w, NULL);
    if (need > CFG_MAX_OUTPUTS) {
        cfg_err_pos(x, w->outputs_pos, "wall.displays.outputs",
                    "one window per monitor is for at most %d monitors per machine, this one drives %d; "
                    "drive them as one X screen (leave outputs empty) or with more machines (wall.displays.local)",
                    CFG_MAX_OUTPUTS, need);
        return;
    }
    if (strcmp(w->outputs, "auto") == 0) {
        return;
    }
    char items[CFG_MAX_OUTPUTS][64];
    int n = cfg_outputs_parse(w->outputs, items, CFG_MAX_OUTPUTS);
    if (n < 0) {
        cfg_err_pos(x, w->outputs_pos, "wall.displays.outputs",
                    "an empty output in \"%s\" (two commas?); write one per monitor, e.g. \"DP-1, DP-2\" or \"0, 1\"",
                    w->outputs);
    } else if (n != need) {
        cfg_err_pos(x, w->outputs_pos, "wall.displays.outputs",
                    "%d output%s for the %d monitor%s this machine drives; give one per monitor, row by row, "
                    "or `auto`", n, n == 1 ? "" : "s", need, need == 1 ? "" : "s");
    }
}

/* Every cell on one monitor: cells that straddle a seam would cut panels
 * with a bezel and place their edges off the monitors' edges. */
static void check_grid(struct ctx *x, const struct cfg_wall *w)
{
    if (w->n_monitors) {
        return; /* listed monitors: the grid spans the wall evenly; check_monitors sees the panels */
    }
    static const char *const axis[2][2] = { { "columns", "across" }, { "rows", "down" } };
    const int monitors[2] = { w->columns, w->rows };
    for (int k = 0; k < 2; k++) {
        if (monitors[k] > 1 && w->grid[k] % monitors[k] != 0) {
            int lo = w->grid[k] / monitors[k] * monitors[k], hi = lo + monitors[k];
            char alt[64];
            if (lo > 0) {
                snprintf(alt, sizeof(alt), "%d or %d", lo, hi);
            } else {
                snprintf(alt, sizeof(alt), "%d", hi);
            }
            cfg_err_pos(x, w->grid_pos, "wall.grid",
                        "%d cells %s over %d monitor %s: cells would straddle the monitor seams (a panel cut by "
                        "a bezel); use a multiple of %d, e.g. %s",
                        w->grid[k], axis[k][1], monitors[k], axis[k][0], monitors[k], alt);
        }
    }
}

/* Panel j of page pg lies inside the grid and overlaps no earlier panel. */
static void check_area(struct ctx *x, const struct cfg_wall *w, const struct cfg_page *pg, size_t i, size_t j,
                       const char *path)
{
    const struct cfg_panel *p = &pg->panels[j];
    char at_path[80];
    snprintf(at_path, sizeof(at_path), "%s.at", path);
    const int *a = p->at;
    if (w->grid[0] < 1 || w->grid[1] < 1) {
        return; /* wall.grid did not parse: its own error says so, not one per panel */
    }
    if (a[2] >= 1 && a[3] >= 1 && (a[0] + a[2] > w->grid[0] || a[1] + a[3] > w->grid[1])) {
        cfg_err_pos(x, p->at_pos, at_path,
                    "[%d, %d, %d, %d] reaches past the %dx%d grid (wall.grid); make column + "
                    "columns wide <= %d and row + rows high <= %d",
                    a[0], a[1], a[2], a[3], w->grid[0], w->grid[1], w->grid[0], w->grid[1]);
        return;
    }
    for (size_t k = 0; k < j; k++) {
        const int *b = pg->panels[k].at;
        if (a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]) {
            cfg_err_pos(x, p->at_pos, at_path,
                        "overlaps pages[%zu].panels[%zu] (\"%s\", line %d); move or shrink one of them", i, k,
                        pg->panels[k].id, pg->panels[k].pos.line);
            return;
        }
    }
}

/* Ids are unique across pages: remote commands name panels by id. */
static void check_unique_id(struct ctx *x, const struct cfg *c, size_t i, size_t j, const char *path)
{
    const struct cfg_panel *p = &c->pages[i].panels[j];
    for (size_t pi = 0; pi <= i; pi++) {
        for (size_t pj = 0; pj < (pi == i ? j : c->pages[pi].n_panels); pj++) {
            const struct cfg_panel *q = &c->pages[pi].panels[pj];
            if (strcmp(q->id, p->id) == 0) {
                cfg_err_pos(x, p->pos, path, "duplicate panel id \"%s\" (also pages[%zu].panels[%zu], line %d)",
                            p->id, pi, pj, q->pos.line);
                return;
            }
        }
    }
}

/* The panel's source is defined and of the kind the panel reads; links it. */
static void link_source(struct ctx *x, const struct cfg *c, struct cfg_panel *p, const char *path)
{
    if (!p->kind || !p->kind->source_kind || !p->value) {
        return;
    }
    char vpath[96];
    snprintf(vpath, sizeof(vpath), "%s.%s", path, p->kind->name);
    const struct cfg_source *s = find_source(c, p->value);
    if (!s && c->sources_unreadable) {
        return; /* the sources section's own error says it all */
    }
    if (!s) {
        const char *best = NULL;
        int best_d = 3;
        for (size_t k = 0; k < c->n_sources; k++) {
            int d = edit_distance(p->value, c->sources[k].name);
            if (d < best_d) {
                best_d = d;
                best = c->sources[k].name;
            }
        }
        if (best) {
            cfg_err_pos(x, p->value_pos, vpath, "unknown source \"%s\" (did you mean \"%s\"?)", p->value, best);
        } else {
            cfg_err_pos(x, p->value_pos, vpath, "unknown source \"%s\"; define it under \"sources:\"", p->value);
        }
        return;
    }
    if (!s->kind) {
        return; /* its own error was reported where it is defined */
    }
    if (strcmp(s->kind->name, p->kind->source_kind) != 0) {
        cfg_err_pos(x, p->value_pos, vpath, "source \"%s\" is %s %s source; %s %s panel needs %s %s source",
                    p->value, article(s->kind->name), s->kind->name, article(p->kind->name), p->kind->name,
                    article(p->kind->source_kind), p->kind->source_kind);
        return;
    }
    p->source = (struct cfg_source *)s;
}

/* A topic level: no wildcard, no empty level, no leading or trailing '/'. */
static const char *topic_problem(const char *s, bool one_level)
{
    if (!s[0]) {
        return "must not be empty";
    }
    if (strpbrk(s, "+#")) {
        return "must not contain the MQTT wildcards + or #";
    }
    if (one_level && strchr(s, '/')) {
        return "must not contain '/' (it is one topic level)";
    }
    if (s[0] == '/' || s[strlen(s) - 1] == '/' || strstr(s, "//")) {
        return "must not start or end with '/' or contain \"//\"";
    }
    return NULL;
}

/* remote: names an mqtt source; prefix and node are valid topic parts. */
static void check_remote(struct ctx *x, const struct cfg *c)
{
    const struct cfg_remote *r = &c->remote;
    if (!r->broker || !r->broker[0]) {
        return;
    }
    const struct cfg_source *s = find_source(c, r->broker);
    if (!s && !c->sources_unreadable) {
        cfg_err_pos(x, r->broker_pos, "remote.broker", "no source named \"%s\"; name one of the mqtt sources",
                    r->broker);
    } else if (s && strcmp(s->kind->name, "mqtt") != 0) {
        cfg_err_pos(x, r->broker_pos, "remote.broker", "source \"%s\" is %s %s source; remote control needs an "
                    "mqtt source", r->broker, article(s->kind->name), s->kind->name);
    }
    const char *why = topic_problem(r->prefix, false);
    if (why) {
        cfg_err_pos(x, r->prefix_pos, "remote.prefix", "\"%s\" %s", r->prefix, why);
    }
    if (r->node[0] && (why = topic_problem(r->node, true))) {
        cfg_err_pos(x, r->node_pos, "remote.node", "\"%s\" %s", r->node, why);
    }
    if (r->leader[0] && (why = topic_problem(r->leader, true))) {
        cfg_err_pos(x, r->leader_pos, "remote.leader", "\"%s\" %s", r->leader, why);
    }
}

/* A source's URL: a scheme its kind takes, a host (files excepted), a port
 * in 1-65535. What the feed would refuse at run time, --check refuses. */
static void check_url(struct ctx *x, const struct cfg_source *src)
{
    if (!src->kind || !src->name) {
        return; /* the source did not parse: reported already */
    }
    const char *const *schemes = src->kind->schemes;
    const char *url = src->url ? src->url : "";
    if (!schemes || !url[0]) {
        return;
    }
    char path[96];
    snprintf(path, sizeof(path), "sources.%s.%s", src->name, src->kind->name);
    const char *sep = strstr(url, "://");
    size_t sl = sep ? (size_t)(sep - url) : 0;
    bool known = false;
    char list[128] = "";
    size_t len = 0;
    for (size_t i = 0; schemes[i]; i++) {
        known = known || (sep && strlen(schemes[i]) == sl && strncasecmp(url, schemes[i], sl) == 0);
        len += (size_t)snprintf(list + len, len < sizeof(list) ? sizeof(list) - len : 0, "%s%s://", i ? ", " : "",
                                schemes[i]);
    }
    if (!sep) {
        return; /* the URL parser said so already */
    }
    if (!known) {
        char shown[48];
        snprintf(shown, sizeof(shown), "%.*s", (int)(sl < 40 ? sl : 40), url);
        cfg_err_pos(x, src->pos, path, "\"%s://\" is not a scheme it knows: %s %s source takes %s", shown,
                    article(src->kind->name), src->kind->name, list);
        return;
    }
    if (sl == 4 && strncasecmp(url, "file", 4) == 0) {
        return;
    }
    const char *host = sep + 3;
    size_t hl = strcspn(host, "/?#");
    const char *at = memchr(host, '@', hl);
    if (at) {
        hl -= (size_t)(at + 1 - host);
        host = at + 1;
    }
    const char *port = NULL;
    if (hl && host[0] == '[') {
        const char *close = memchr(host, ']', hl);
        port = close && close + 1 < host + hl && close[1] == ':' ? close + 2 : NULL;
    } else {
        const char *colon = memchr(host, ':', hl);
        port = colon ? colon + 1 : NULL;
    }
    size_t name_len = port ? (size_t)(port - 1 - host) : hl;
    if (name_len == 0) {
        cfg_err_pos(x, src->pos, path, "the URL has no host: write it as %.*s://HOST[:PORT]/...", (int)sl, url);
        return;
    }
    if (port) {
        size_t pl = (size_t)(host + hl - port);
        long v = 0;
        bool digits = pl > 0 && pl <= 5;
        for (size_t i = 0; digits && i < pl; i++) {
            digits = port[i] >= '0' && port[i] <= '9';
            v = v * 10 + (port[i] - '0');
        }
        if (!digits || v < 1 || v > 65535) {
            cfg_err_pos(x, src->pos, path, "port \"%.*s\" is not a port (1-65535)", (int)(pl < 12 ? pl : 12), port);
        }
    }
}

static bool rects_overlap(const int a[4], const int b[4])
{
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

/* wall.displays.monitors: no two overlap, and every panel lies at least in
 * part on a monitor (the grid spans the wall's bounding box evenly, so a
 * panel can fall where no monitor is, e.g. below a short portrait column). */
static void check_monitors(struct ctx *x, const struct cfg *c)
{
    const struct cfg_wall *w = &c->wall;
    for (size_t i = 0; i < w->n_monitors; i++) {
        const struct cfg_monitor *a = &w->monitors[i];
        int ra[4] = { a->at[0], a->at[1], a->size[0], a->size[1] };
        for (size_t j = 0; j < i; j++) {
            const struct cfg_monitor *b = &w->monitors[j];
            int rb[4] = { b->at[0], b->at[1], b->size[0], b->size[1] };
            if (rects_overlap(ra, rb)) {
                char path[64];
                snprintf(path, sizeof(path), "wall.displays.monitors[%zu].at", i + 1);
                cfg_err_pos(x, a->at_pos, path,
                            "[%d, %d] with size [%d, %d] overlaps monitor %zu ([%d, %d], [%d, %d]); place monitors "
                            "side by side with the bezel as a gap", a->at[0], a->at[1], a->size[0], a->size[1], j + 1,
                            b->at[0], b->at[1], b->size[0], b->size[1]);
            }
        }
    }
    if (!w->n_monitors || w->grid[0] < 1 || w->grid[1] < 1) {
        return; /* a grid that did not parse has its own error */
    }
    int cw, ch;
    cfg_canvas_size(w, &cw, &ch);
    for (size_t i = 0; i < c->n_pages; i++) {
        const struct cfg_page *pg = &c->pages[i];
        for (size_t j = 0; j < pg->n_panels; j++) {
            const struct cfg_panel *p = &pg->panels[j];
            int x0 = p->at[0] * cw / w->grid[0], x1 = (p->at[0] + p->at[2]) * cw / w->grid[0];
            int y0 = p->at[1] * ch / w->grid[1], y1 = (p->at[1] + p->at[3]) * ch / w->grid[1];
            int r[4] = { x0, y0, x1 - x0, y1 - y0 };
            bool on = false;
            for (size_t k = 0; k < w->n_monitors && !on; k++) {
                const struct cfg_monitor *m = &w->monitors[k];
                int rm[4] = { m->at[0], m->at[1], m->size[0], m->size[1] };
                on = rects_overlap(r, rm);
            }
            if (!on) {
                char path[64];
                snprintf(path, sizeof(path), "pages[%zu].panels[%zu].at", i, j);
                cfg_err_pos(x, p->at_pos, path,
                            "[%d, %d, %d, %d] is on no monitor (pixels %d,%d to %d,%d of the wall, where "
                            "wall.displays.monitors has none); move it onto a monitor",
                            p->at[0], p->at[1], p->at[2], p->at[3], x0, y0, x1, y1);
            }
        }
    }
}

void cfg_check_semantics(struct ctx *x, struct cfg *c)
{
    for (size_t i = 0; i < c->n_sources; i++) {
        check_url(x, &c->sources[i]);
    }
    check_local(x, &c->wall);
    check_outputs(x, &c->wall);
    check_grid(x, &c->wall);
    check_monitors(x, c);
    check_remote(x, c);
    for (size_t i = 0; i < c->n_pages; i++) {
        struct cfg_page *pg = &c->pages[i];
        for (size_t j = 0; j < pg->n_panels; j++) {
            char path[64];
            snprintf(path, sizeof(path), "pages[%zu].panels[%zu]", i, j);
            check_area(x, &c->wall, pg, i, j, path);
            check_unique_id(x, c, i, j, path);
            link_source(x, c, &pg->panels[j], path);
        }
    }
}
