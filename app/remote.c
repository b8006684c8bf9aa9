/* app/remote.c: see remote.h. Paho's thread only copies a command into a
 * bounded queue (or refuses it: too big, queue full) and wakes the frame
 * loop; everything else runs on the render thread. Replies are rate-limited
 * so a flood of commands cannot turn into a flood of replies. */
#include "remote.h"
#include "app.h"
#include "control.h"
#include "overlay.h"
#include "sync.h"
#include "wall_state.h"
#include "alarmlog.h"
#include "geometry.h"
#include "../core/util.h"
#include "../feeds/mqtt_link.h"

#include <SDL.h>
#include <cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DRAIN_PER_TURN 64       /* commands run per frame loop turn at most */
#define REPLIES_PER_SEC 100     /* replies beyond this are counted, not sent */
#define HEALTH_MIN_GAP_MS 250   /* changes coalesce to 4 publications a second */

struct queued {
    char *payload;
    size_t len;
};

struct src_pub {
    char *name;
    char shown[200];            /* status and reason last published */
    int64_t t_ms;               /* when the rate sample was taken */
    uint64_t frames, bytes;
    double fps, kbps;
};

struct remote {
    struct mqtt_link *link;
    struct sync *sync;          /* NULL: --local */
    struct log *log;
    char prefix[256], node[64];
    char t_cmd_all[320], t_cmd_node[384], t_reply[384], t_health[384], t_status[384];
    int64_t heartbeat;
    bool debug;
    uint64_t alarm_seq;         /* alarm log events published so far */

    pthread_mutex_t mu;         /* guards the queue and the counters below it */
    struct queued q[REMOTE_QUEUE];
    size_t q_head, q_n;
    uint64_t refused_unread;    /* too big or queue full (Paho's thread) */
    bool connected_event;       /* (re)connected: publish everything again */

    /* render thread */
    uint64_t done, refused;
    int64_t reply_window_ms;
    unsigned replies_in_window;
    uint64_t replies_dropped;
    int64_t last_health_ms, last_full_ms;
    char last_health_key[512];
    struct src_pub *srcs;
    size_t n_srcs;
};

/* ---- Paho's thread -------------------------------------------------------------- */

static void on_message(void *ctx, const char *topic, const void *payload, size_t len)
{
    struct remote *r = ctx;
    if (r->sync && sync_message(r->sync, topic, payload, len)) {
        wall_wake(false);
        return;
    }
    pthread_mutex_lock(&r->mu);
    bool accept = len <= REMOTE_MAX_COMMAND && r->q_n < REMOTE_QUEUE;
    if (accept) {
        struct queued *e = &r->q[(r->q_head + r->q_n++) % REMOTE_QUEUE];
        /* All len bytes, NULs included (strndup would stop at the first
         * NUL and the parser, given len, would read past the copy). */
        e->payload = xmalloc(len + 1);
        memcpy(e->payload, payload, len);
        e->payload[len] = '\0';
        e->len = len;
    } else {
        r->refused_unread++;
    }
    bool first = accept && r->q_n == 1;
    pthread_mutex_unlock(&r->mu);
    if (first) {
        wall_wake(false);
    }
}

static void on_connected(void *ctx)
{
    struct remote *r = ctx;
    if (r->sync) {
        sync_connected(r->sync);
    }
    pthread_mutex_lock(&r->mu);
    r->connected_event = true;
    pthread_mutex_unlock(&r->mu);
}

/* ---- replies -------------------------------------------------------------------- */

/* A command with an id always gets its reply (one per command run, so
 * bounded by what the queue lets through); replies without an id (nobody
 * waits for them) are rate-limited. */
static void reply(struct remote *r, const cJSON *id, const char *cmd, bool ok, int changed, const char *error)
{
    int64_t now = now_ms();
    if (now - r->reply_window_ms >= 1000) {
        if (r->replies_dropped) {
            log_warn(r->log, "remote: %llu replies not sent (over %d a second)",
                     (unsigned long long)r->replies_dropped, REPLIES_PER_SEC);
            r->replies_dropped = 0;
        }
        r->reply_window_ms = now;
        r->replies_in_window = 0;
    }
    if (!id && ++r->replies_in_window > REPLIES_PER_SEC) {
        r->replies_dropped++;
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (id) {
        cJSON_AddItemToObject(o, "id", cJSON_Duplicate(id, 1));
    }
    cJSON_AddStringToObject(o, "node", r->node);
    if (cmd) {
        cJSON_AddStringToObject(o, "cmd", cmd);
    }
    cJSON_AddBoolToObject(o, "ok", ok);
    if (ok) {
        cJSON_AddNumberToObject(o, "changed", changed);
    } else {
        cJSON_AddStringToObject(o, "error", error ? error : "failed");
    }
    char *text = cJSON_PrintUnformatted(o);
    mqtt_link_publish(r->link, r->t_reply, text, strlen(text), 0, false);
    free(text);
    cJSON_Delete(o);
}

/* ---- commands ------------------------------------------------------------------- */

static const char *json_type(const cJSON *v)
{
    return cJSON_IsString(v) ? "a text" : cJSON_IsNumber(v) ? "a number" : cJSON_IsBool(v) ? "a boolean"
         : cJSON_IsNull(v) ? "null" : cJSON_IsArray(v) ? "a list" : cJSON_IsObject(v) ? "an object" : "nothing";
}

/* The commands a remote may send, with the one argument each takes. */
static const struct {
    const char *name;
    enum wall_cmd_kind kind;
    const char *arg;            /* NULL: none */
} remote_cmds[] = {
    { "page", CMD_PAGE, "page" },          { "page-next", CMD_PAGE_NEXT, NULL },
    { "page-prev", CMD_PAGE_PREV, NULL },  { "enlarge", CMD_ENLARGE, "panel" },
    { "restore", CMD_RESTORE, NULL },      { "select", CMD_SELECT, "panel" },
    { "ack", CMD_ACK, "panel" },           { "ack-all", CMD_ACK_ALL, NULL },
    { "hold", CMD_TOUR_HOLD, NULL },       { "resume", CMD_TOUR_RESUME, NULL },
    { "reload", CMD_RELOAD, NULL },        { "screenshot", CMD_SCREENSHOT, NULL },
    { "restart-source", CMD_RESTART_SOURCE, "source" },
    { "help", CMD_HELP, NULL },            { "stats", CMD_STATS, NULL },
    { "alarm-log", CMD_ALARM_LOG, NULL },  { "align", CMD_ALIGN, NULL },
    { "debug-freeze", CMD_DEBUG_FREEZE, "ms" },
};

static int find_remote_cmd(const char *name)
{
    for (size_t i = 0; i < sizeof(remote_cmds) / sizeof(remote_cmds[0]); i++) {
        if (strcmp(remote_cmds[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* Checks one parsed command against the config and fills c (its strings
 * point into o); false with why when refused. Needs no wall: pure. */
static bool validate(const cJSON *o, const struct cfg *cfg, bool debug, struct wall_cmd *out, const char **cmd_name,
                     char *why, size_t whylen)
{
    if (!cJSON_IsObject(o)) {
        snprintf(why, whylen, "expected a JSON object such as {\"cmd\": \"page\", \"page\": 2}, got %s",
                 json_type(o));
        return false;
    }
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(o, "cmd");
    if (!cJSON_IsString(cmd)) {
        snprintf(why, whylen, "\"cmd\" must be a text naming the command, got %s", json_type(cmd));
        return false;
    }
    int ci = find_remote_cmd(cmd->valuestring);
    if (ci < 0) {
        char shown[48];
        sanitize_text(cmd->valuestring, shown, sizeof(shown));
        size_t len = (size_t)snprintf(why, whylen, "unknown command \"%s\"; commands:", shown);
        for (size_t i = 0; i < sizeof(remote_cmds) / sizeof(remote_cmds[0]) && len < whylen; i++) {
            len += (size_t)snprintf(why + len, whylen - len, "%s %s", i ? "," : "", remote_cmds[i].name);
        }
        return false;
    }
    *cmd_name = remote_cmds[ci].name;
    const char *want = remote_cmds[ci].arg;
    const cJSON *arg = NULL;
    for (const cJSON *it = o->child; it; it = it->next) {
        if (strcmp(it->string, "cmd") == 0 || strcmp(it->string, "id") == 0) {
            continue;
        }
        if (!want || strcmp(it->string, want) != 0) {
            char shown[48];
            sanitize_text(it->string, shown, sizeof(shown));
            snprintf(why, whylen, "%s takes %s%s%s, not \"%s\"", *cmd_name, want ? "\"" : "no argument",
                     want ? want : "", want ? "\"" : "", shown);
            return false;
        }
        arg = it;
    }
    struct wall_cmd c = { .kind = remote_cmds[ci].kind, .arg = -1, .origin = "remote" };
    switch (c.kind) {
    case CMD_PAGE:
        if (arg && cJSON_IsNumber(arg) && arg->valuedouble >= 1 && arg->valuedouble <= 100000 &&
            arg->valuedouble == floor(arg->valuedouble)) {
            c.arg = (int)arg->valuedouble - 1;
        } else if (arg && cJSON_IsString(arg)) {
            for (size_t i = 0; i < cfg->n_pages; i++) {
                if (strcmp(cfg->pages[i].name, arg->valuestring) == 0) {
                    c.arg = (int)i;
                }
            }
            if (c.arg < 0) {
                char shown[64];
                sanitize_text(arg->valuestring, shown, sizeof(shown));
                snprintf(why, whylen, "no page named \"%s\"", shown);
                return false;
            }
        } else {
            snprintf(why, whylen, "\"page\" must be a page number 1-%zu or a page name, got %s", cfg->n_pages,
                     json_type(arg));
            return false;
        }
        break;
    case CMD_ENLARGE:
    case CMD_SELECT:
    case CMD_ACK:
        if (c.kind == CMD_ENLARGE && !arg) {
            break; /* the selected panel */
        }
        if (!arg || !cJSON_IsString(arg) || !arg->valuestring[0]) {
            snprintf(why, whylen, "\"panel\" must be a panel id (see --print-config), got %s", json_type(arg));
            return false;
        }
        c.panel = arg->valuestring;
        break;
    case CMD_RESTART_SOURCE:
        if (!arg || !cJSON_IsString(arg)) {
            snprintf(why, whylen, "\"source\" must be a source name, got %s", json_type(arg));
            return false;
        }
        c.name = arg->valuestring;
        break;
    case CMD_DEBUG_FREEZE:
        if (!debug) {
            snprintf(why, whylen, "debug-freeze is off (remote.debug_commands: false)");
            return false;
        }
        if (!arg || !cJSON_IsNumber(arg) || arg->valuedouble < 1 || arg->valuedouble > 60000) {
            snprintf(why, whylen, "\"ms\" must be a number 1-60000, got %s", json_type(arg));
            return false;
        }
        c.arg = (int)arg->valuedouble;
        break;
    default:
        break;
    }
    *out = c;
    return true;
}

int remote_parse(const char *payload, size_t len, const struct cfg *cfg, bool debug, struct wall_cmd *c,
                 const char **cmd_name, void **json, char *why, size_t whylen)
{
    *json = NULL;
    *cmd_name = NULL;
    if (len > REMOTE_MAX_COMMAND) {
        snprintf(why, whylen, "over %d bytes", REMOTE_MAX_COMMAND);
        return -1;
    }
    const char *end = NULL;
    cJSON *o = cJSON_ParseWithLengthOpts(payload, len, &end, 0);
    /* One JSON value and nothing after it but white space. */
    for (const char *ch = end; o && ch && ch < payload + len; ch++) {
        if (!strchr(" \t\r\n", *ch)) {
            cJSON_Delete(o);
            o = NULL;
        }
    }
    if (!o) {
        snprintf(why, whylen, "not valid JSON (%zu bytes); send an object such as {\"cmd\": \"page-next\"}", len);
        return -1;
    }
    *json = o;
    return validate(o, cfg, debug, c, cmd_name, why, whylen) ? 0 : -1;
}

/* Runs a checked command on the wall; false with why when refused. */
static bool run_command(struct app *a, struct wall_cmd *c, int *changed, char *why, size_t whylen)
{
    struct wall *w = a->wall;
    if (c->kind == CMD_SELECT) {
        c->arg = -2;
        for (size_t i = 0; i < wall_page_count(w, w->page); i++) {
            if (strcmp(wall_page_panel(w, (int)i)->cfg->id, c->panel) == 0) {
                c->arg = (int)i;
            }
        }
        if (c->arg < 0) {
            snprintf(why, whylen, "no panel \"%s\" on the page shown", c->panel);
            return false;
        }
    }
    int rc = control_exec(w, c);
    if (rc < 0 || (rc == 0 && control_why(w)[0])) {
        snprintf(why, whylen, "%s", control_why(w)[0] ? control_why(w) : "refused");
        return false;
    }
    *changed = rc;
    return true;
}

static void handle(struct remote *r, struct app *a, const struct queued *e)
{
    struct wall_cmd c;
    const char *cmd = NULL;
    void *json = NULL;
    char why[512] = "";
    int changed = 0;
    bool ok = remote_parse(e->payload, e->len, a->cfg, r->debug, &c, &cmd, &json, why, sizeof(why)) == 0 &&
              run_command(a, &c, &changed, why, sizeof(why));
    const cJSON *id = json ? cJSON_GetObjectItemCaseSensitive(json, "id") : NULL;
    if (id && !((cJSON_IsString(id) && strlen(id->valuestring) <= 64) || cJSON_IsNumber(id))) {
        id = NULL;
    }
    if (ok) {
        r->done++;
        log_info(r->log, "remote: %s done (%d changed)", cmd, changed);
    } else {
        r->refused++;
        /* Repeated identical lines collapse in the log (one per burst). */
        log_warn(r->log, "remote: command refused: %s", why);
    }
    reply(r, id, cmd, ok, changed, why);
    cJSON_Delete(json);
}

/* ---- health --------------------------------------------------------------------- */

static void iso_time(int64_t epoch_s, char *out, size_t outlen)
{
    time_t t = (time_t)epoch_s;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, outlen, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

char *remote_health_json(struct app *a, const char *state)
{
    struct wall *w = a->wall;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "node", a->node);
    cJSON_AddStringToObject(o, "state", state);
    cJSON_AddStringToObject(o, "version", PANTAU_VERSION);
    cJSON_AddNumberToObject(o, "pid", (double)getpid());
    cJSON_AddNumberToObject(o, "uptime_s", (double)(now_ms() - a->started_ms) / 1000.0);
    cJSON_AddStringToObject(o, "config", a->cfg->path);
    cJSON_AddStringToObject(o, "config_hash", a->cfg_hash);
    cJSON_AddNumberToObject(o, "reloads", (double)a->reloads);
    cJSON_AddStringToObject(o, "reload_error", a->reload_error);
    cJSON_AddNumberToObject(o, "page", (double)w->page + 1);
    cJSON_AddStringToObject(o, "page_name", a->cfg->pages[w->page].name);
    cJSON_AddNumberToObject(o, "pages", (double)a->cfg->n_pages);
    cJSON_AddBoolToObject(o, "tour_held", w->tour_held);
    cJSON_AddStringToObject(o, "role", a->preview ? "preview" : "wall");
    cJSON_AddBoolToObject(o, "turns_pages", w->tour_driver);
    struct panel *en = wall_page_panel(w, w->enlarged);
    cJSON_AddStringToObject(o, "enlarged", en ? en->cfg->id : "");
    double p50, p99, max;
    frame_stats(w, &p50, &p99, &max);
    cJSON_AddNumberToObject(o, "frame_ms_p50", round(p50 * 100) / 100);
    cJSON_AddNumberToObject(o, "frame_ms_p99", round(p99 * 100) / 100);
    cJSON_AddNumberToObject(o, "fps", round(w->fps * 10) / 10);
    size_t live = 0, n = scene_n_sources(a->scene);
    for (size_t i = 0; i < n; i++) {
        struct source_info si;
        scene_source_get(scene_source_at(a->scene, i), &si);
        live += si.status == SOURCE_LIVE;
    }
    cJSON_AddNumberToObject(o, "sources_live", (double)live);
    cJSON_AddNumberToObject(o, "sources", (double)n);
    cJSON_AddNumberToObject(o, "alarms_unacked", (double)alarms_count_unacked(&w->alarms));
    /* The monitors this node drives and whether each is shown: a window
     * per monitor whose output was not found leaves one dark. */
    if (!a->preview) {
        struct geom_monitor mons[GEOM_MAX_MONITORS];
        size_t nm = geom_monitors(&a->cfg->wall, a->node, mons, GEOM_MAX_MONITORS);
        cJSON *ms = cJSON_AddArrayToObject(o, "monitors");
        for (size_t i = 0; i < nm; i++) {
            if (!mons[i].local) {
                continue;
            }
            const struct out_window *ow = NULL;
            for (size_t k = 0; k < w->n_outs; k++) {
                ow = w->outs[k].number == mons[i].number ? &w->outs[k] : ow;
            }
            cJSON *m = cJSON_CreateObject();
            cJSON_AddNumberToObject(m, "number", mons[i].number);
            cJSON_AddStringToObject(m, "name", mons[i].name);
            cJSON_AddStringToObject(m, "output", ow ? (ow->found[0] ? ow->found : ow->output) : "");
            cJSON_AddBoolToObject(m, "shown", !w->n_outs || ow != NULL);
            cJSON_AddItemToArray(ms, m);
        }
    }
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}


static struct src_pub *src_pub(struct remote *r, const char *name)
{
    for (size_t i = 0; i < r->n_srcs; i++) {
        if (strcmp(r->srcs[i].name, name) == 0) {
            return &r->srcs[i];
        }
    }
    r->srcs = xrealloc(r->srcs, (r->n_srcs + 1) * sizeof(*r->srcs));
    struct src_pub *p = &r->srcs[r->n_srcs++];
    memset(p, 0, sizeof(*p));
    p->name = xstrdup(name);
    return p;
}

static void publish_source(struct remote *r, struct app *a, struct scene_source *src, struct src_pub *p,
                           const struct source_info *si, int64_t now)
{
    if (p->t_ms && now - p->t_ms >= 1000) {
        double dt = (double)(now - p->t_ms) / 1000.0;
        p->fps = (double)(si->counters[SOURCE_FRAMES] - p->frames) / dt;
        p->kbps = (double)(si->counters[SOURCE_BYTES] - p->bytes) * 8.0 / 1000.0 / dt;
    }
    if (!p->t_ms || now - p->t_ms >= 1000) {
        p->t_ms = now;
        p->frames = si->counters[SOURCE_FRAMES];
        p->bytes = si->counters[SOURCE_BYTES];
    }
    cJSON *o = cJSON_CreateObject();
    const char *name = scene_source_name(src);
    cJSON_AddStringToObject(o, "source", name);
    for (size_t i = 0; i < a->cfg->n_sources; i++) {
        if (strcmp(a->cfg->sources[i].name, name) == 0) {
            cJSON_AddStringToObject(o, "kind", a->cfg->sources[i].kind->name);
        }
    }
    cJSON_AddStringToObject(o, "status", source_status_name(si->status));
    cJSON_AddStringToObject(o, "reason", si->reason);
    char since[40];
    iso_time(wall_time() - (now - si->status_since_ms) / 1000, since, sizeof(since));
    cJSON_AddStringToObject(o, "since", since);
    cJSON_AddNumberToObject(o, "fps", round(p->fps * 10) / 10);
    cJSON_AddNumberToObject(o, "kbps", round(p->kbps));
    cJSON_AddNumberToObject(o, "frames", (double)si->counters[SOURCE_FRAMES]);
    cJSON_AddNumberToObject(o, "errors", (double)si->counters[SOURCE_ERRORS]);
    cJSON_AddNumberToObject(o, "reconnects", (double)si->counters[SOURCE_RECONNECTS]);
    cJSON_AddNumberToObject(o, "drops", (double)si->counters[SOURCE_DROPS]);
    cJSON_AddNumberToObject(o, "damaged", (double)si->counters[SOURCE_DAMAGED]);
    char *text = cJSON_PrintUnformatted(o);
    char topic[640];
    snprintf(topic, sizeof(topic), "%s/%s/sources/%s", r->prefix, r->node, name);
    mqtt_link_publish(r->link, topic, text, strlen(text), 1, true);
    free(text);
    cJSON_Delete(o);
}

/* What a change is for a source's health: its status and reason (not the
 * counters, not a retry countdown). */
static void status_key(const struct source_info *si, char *out, size_t outlen)
{
    snprintf(out, outlen, "%d|%.190s", (int)si->status, si->reason);
}

/* Publishes node health and source states that changed, everything at
 * the heartbeat or after a (re)connect. */
/* Every alarm event since the last turn, oldest first, as JSON on
 * <prefix>/<node>/alarms (QoS 1, not retained): the alarm log's lines. */
static void publish_alarm_events(struct remote *r, struct app *a)
{
    struct wall *w = a->wall;
    uint64_t count = alarm_log_count(w->alarm_log);
    if (count == r->alarm_seq) {
        return;
    }
    const char *lines[ALARM_LOG_RECENT];
    size_t n = alarm_log_recent(w->alarm_log, lines, ALARM_LOG_RECENT);
    uint64_t fresh = count - r->alarm_seq;
    r->alarm_seq = count;
    if (!mqtt_link_connected(r->link)) {
        return; /* the file has them */
    }
    char topic[400];
    snprintf(topic, sizeof(topic), "%s/%s/alarms", r->prefix, r->node);
    static const char *const names[] = { "time", "event", "panel", "label", "value", "by" };
    for (size_t i = fresh < n ? fresh : n; i-- > 0;) {
        cJSON *o = cJSON_CreateObject();
        const char *p = lines[i];
        for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
            const char *tab = p ? strchr(p, '\t') : NULL;
            size_t len = p ? (tab ? (size_t)(tab - p) : strlen(p)) : 0;
            char *f = xstrndup(p ? p : "", len);
            cJSON_AddStringToObject(o, names[k], f);
            free(f);
            p = tab ? tab + 1 : NULL;
        }
        char *text = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (text) {
            mqtt_link_publish(r->link, topic, text, strlen(text), 1, false);
            free(text);
        }
    }
}

static void publish_health(struct remote *r, struct app *a, bool full)
{
    int64_t now = now_ms();
    if (!full && now - r->last_health_ms < HEALTH_MIN_GAP_MS) {
        return;
    }
    if (!mqtt_link_connected(r->link)) {
        return;
    }
    struct wall *w = a->wall;
    size_t live = 0, n = scene_n_sources(a->scene);
    for (size_t i = 0; i < n; i++) {
        struct scene_source *src = scene_source_at(a->scene, i);
        struct source_info si;
        scene_source_get(src, &si);
        live += si.status == SOURCE_LIVE;
        struct src_pub *p = src_pub(r, scene_source_name(src));
        char k[sizeof(p->shown)];
        status_key(&si, k, sizeof(k));
        if (full || strcmp(k, p->shown) != 0) {
            publish_source(r, a, src, p, &si, now);
            snprintf(p->shown, sizeof(p->shown), "%s", k);
        }
    }
    /* Sources a reload removed: clear their retained topic. */
    for (size_t i = 0; i < r->n_srcs;) {
        if (!scene_find_source(a->scene, r->srcs[i].name)) {
            char topic[640];
            snprintf(topic, sizeof(topic), "%s/%s/sources/%s", r->prefix, r->node, r->srcs[i].name);
            mqtt_link_publish(r->link, topic, "", 0, 1, true);
            free(r->srcs[i].name);
            r->srcs[i] = r->srcs[--r->n_srcs];
        } else {
            i++;
        }
    }
    struct panel *en = wall_page_panel(w, w->enlarged);
    char key[sizeof(r->last_health_key)];
    snprintf(key, sizeof(key), "%zu|%d|%.64s|%zu|%zu|%llu|%s|%llu", w->page, (int)w->tour_held,
             en ? en->cfg->id : "", live, alarms_count_unacked(&w->alarms), (unsigned long long)a->reloads,
             a->cfg_hash, (unsigned long long)a->reload_failures);
    if (full || strcmp(key, r->last_health_key) != 0) {
        char *text = remote_health_json(a, "online");
        mqtt_link_publish(r->link, r->t_health, text, strlen(text), 1, true);
        free(text);
        snprintf(r->last_health_key, sizeof(r->last_health_key), "%s", key);
    }
    r->last_health_ms = now;
    if (full) {
        r->last_full_ms = now;
    }
}

void remote_poll(struct remote *r, struct app *a)
{
    if (!r) {
        return;
    }
    int64_t t0 = now_ms();
    bool reconnected = false;
    uint64_t unread = 0;
    for (int i = 0; i < DRAIN_PER_TURN; i++) {
        struct queued e = { 0 };
        pthread_mutex_lock(&r->mu);
        if (i == 0) {
            reconnected = r->connected_event;
            r->connected_event = false;
            unread = r->refused_unread;
            r->refused_unread = 0;
        }
        if (r->q_n) {
            e = r->q[r->q_head];
            r->q_head = (r->q_head + 1) % REMOTE_QUEUE;
            r->q_n--;
        }
        pthread_mutex_unlock(&r->mu);
        if (!e.payload) {
            break;
        }
        handle(r, a, &e);
        free(e.payload);
        if (now_ms() - t0 > 4) {
            break; /* the frame comes first; the rest waits for the next turn */
        }
    }
    if (unread) {
        r->refused += unread;
        log_warn(r->log, "remote: %llu command%s refused unread (over %d bytes, or %d already waiting)",
                 (unsigned long long)unread, unread == 1 ? "" : "s", REMOTE_MAX_COMMAND, REMOTE_QUEUE);
        reply(r, NULL, NULL, false, 0, "refused unread: over the size limit or too many commands waiting");
    }
    if (reconnected) {
        log_info(r->log, "remote: connected; publishing health on %s", r->t_health);
        const char *st = a->preview ? "preview" : "online";
        mqtt_link_publish(r->link, r->t_status, st, strlen(st), 1, true);
    }
    if (r->sync) {
        sync_poll(r->sync, a, r->link);
    }
    publish_health(r, a, reconnected || now_ms() - r->last_full_ms >= r->heartbeat);
    publish_alarm_events(r, a);
}

void remote_flush(struct remote *r, struct app *a)
{
    if (r && r->sync) {
        sync_flush(r->sync, a, r->link);
    }
}

struct remote *remote_start(struct app *a)
{
    const struct cfg_remote *rc = &a->cfg->remote;
    if (!rc->broker || !rc->broker[0]) {
        return NULL;
    }
    const struct cfg_source *src = NULL;
    for (size_t i = 0; i < a->cfg->n_sources; i++) {
        if (strcmp(a->cfg->sources[i].name, rc->broker) == 0) {
            src = &a->cfg->sources[i];
        }
    }
    if (!src) {
        return NULL; /* the config check makes this impossible */
    }
    struct remote *r = xcalloc(1, sizeof(*r));
    r->log = log_create("remote");
    pthread_mutex_init(&r->mu, NULL);
    snprintf(r->prefix, sizeof(r->prefix), "%s", rc->prefix);
    snprintf(r->node, sizeof(r->node), "%s", a->node);
    snprintf(r->t_cmd_all, sizeof(r->t_cmd_all), "%s/cmd", r->prefix);
    snprintf(r->t_cmd_node, sizeof(r->t_cmd_node), "%s/%s/cmd", r->prefix, r->node);
    snprintf(r->t_reply, sizeof(r->t_reply), "%s/%s/reply", r->prefix, r->node);
    snprintf(r->t_health, sizeof(r->t_health), "%s/%s/health", r->prefix, r->node);
    snprintf(r->t_status, sizeof(r->t_status), "%s/%s/status", r->prefix, r->node);
    r->heartbeat = rc->heartbeat;
    r->debug = rc->debug_commands;
    if (r->debug) {
        log_warn(r->log, "remote.debug_commands is on: debug-freeze can stop this wall's frame loop");
    }
    char client_id[128];
    snprintf(client_id, sizeof(client_id), "pantau-%.40s-%d-remote", r->node, (int)getpid());
    char t_state[300], t_status_all[300], t_ack[300];
    snprintf(t_state, sizeof(t_state), "%s/state", r->prefix);
    snprintf(t_status_all, sizeof(t_status_all), "%s/+/status", r->prefix);
    snprintf(t_ack, sizeof(t_ack), "%s/ack", r->prefix);
    const char *subs[5] = { r->t_cmd_all, r->t_cmd_node, t_state, t_status_all, t_ack };
    if (!a->local) {
        r->sync = sync_create(r->prefix, r->node, rc->leader, a->preview);
    }
    struct mqtt_link_opts lo = {
        .source = src,
        .client_id = client_id,
        .will_topic = r->t_status,
        .will_payload = "offline",
        .subscribe = subs,
        .n_subscribe = r->sync ? 5 : 2,
        .on_message = on_message,
        .on_connected = on_connected,
        .ctx = r,
        .log = r->log,
        .reconnect = true,
    };
    char err[256];
    r->link = mqtt_link_open(&lo, err, sizeof(err));
    if (!r->link) {
        log_error(r->log, "remote control off: %s", err);
        sync_destroy(r->sync);
        log_destroy(r->log);
        pthread_mutex_destroy(&r->mu);
        free(r);
        return NULL;
    }
    log_info(r->log, "remote control on %s (node %s) through source %s", r->t_cmd_node, r->node, src->name);
    return r;
}

void remote_stop(struct remote *r, struct app *a)
{
    if (!r) {
        return;
    }
    /* A clean stop: the retained health says so too (the will covers only
     * the status topic). */
    char *text = remote_health_json(a, "offline");
    mqtt_link_publish(r->link, r->t_health, text, strlen(text), 1, true);
    free(text);
    mqtt_link_publish(r->link, r->t_status, "offline", 7, 1, true);
    mqtt_link_close(r->link);
    sync_destroy(r->sync);
    for (size_t i = 0; i < r->q_n; i++) {
        free(r->q[(r->q_head + i) % REMOTE_QUEUE].payload);
    }
    for (size_t i = 0; i < r->n_srcs; i++) {
        free(r->srcs[i].name);
    }
    free(r->srcs);
    pthread_mutex_destroy(&r->mu);
    log_destroy(r->log);
    free(r);
}

int remote_command_json(const char *cmd, const char *arg, const char *id, char *out, size_t outlen, char *why,
                        size_t whylen)
{
    int ci = find_remote_cmd(cmd);
    if (ci < 0) {
        size_t len = (size_t)snprintf(why, whylen, "unknown command \"%s\"; commands:", cmd);
        for (size_t i = 0; i < sizeof(remote_cmds) / sizeof(remote_cmds[0]) && len < whylen; i++) {
            len += (size_t)snprintf(why + len, whylen - len, " %s", remote_cmds[i].name);
        }
        return -1;
    }
    const char *want = remote_cmds[ci].arg;
    if (arg && !want) {
        snprintf(why, whylen, "%s takes no argument", cmd);
        return -1;
    }
    if (!arg && want && remote_cmds[ci].kind != CMD_ENLARGE) {
        snprintf(why, whylen, "%s needs its %s", cmd, want);
        return -1;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "cmd", cmd);
    cJSON_AddStringToObject(o, "id", id);
    if (arg) {
        char *end;
        double v = strtod(arg, &end);
        bool numeric = *arg && !*end && (remote_cmds[ci].kind == CMD_PAGE || remote_cmds[ci].kind == CMD_DEBUG_FREEZE);
        if (numeric) {
            cJSON_AddNumberToObject(o, want, v);
        } else {
            cJSON_AddStringToObject(o, want, arg);
        }
    }
    char *text = cJSON_PrintUnformatted(o);
    snprintf(out, outlen, "%s", text);
    free(text);
    cJSON_Delete(o);
    return 0;
}
