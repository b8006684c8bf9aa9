/* app/sync.c: see sync.h. */
#include "sync.h"
#include "app.h"
#include "control.h"
#include "wall_state.h"
#include "../core/util.h"
#include "../feeds/mqtt_link.h"

#include <cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_NODES 128
#define SETTLE_MS 300   /* after a (re)connect: retained statuses and state arrive first */

struct node_seen {
    char name[64];
    bool online;                /* status "online" (a preview says "preview") */
};

struct sync {
    char prefix[256], me[64], leader_pref[64];
    char t_state[300], t_ack[300];
    bool preview;

    pthread_mutex_t mu;         /* guards the fields up to the render thread's */
    char *state;                /* the newest state message not yet looked at */
    char acks_in[32][64];       /* acknowledgements from other nodes ("" = all) */
    size_t n_acks_in;
    struct node_seen nodes[MAX_NODES];
    size_t n_nodes;
    bool connected_event;

    /* render thread */
    char leader[64];
    int64_t connected_at;       /* monotonic; 0: not connected */
    int64_t last_t;             /* epoch ms of the newest state applied or made */
    char last_by[64];
    uint64_t published_seq;     /* the wall's shared_seq last published (or taken) */
    uint64_t seen_seq;          /* the wall's shared_seq when change_t was taken */
    int64_t change_t;           /* epoch ms of this node's latest change */
    int role_logged;            /* enum role last logged, -1: not said yet */
    bool ever_connected;
    int64_t created_at;
};

enum role { ROLE_FOLLOWS, ROLE_ALONE, ROLE_LEADS };

static int64_t epoch_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct sync *sync_create(const char *prefix, const char *node, const char *leader, bool preview)
{
    struct sync *s = xcalloc(1, sizeof(*s));
    snprintf(s->prefix, sizeof(s->prefix), "%s", prefix);
    snprintf(s->me, sizeof(s->me), "%s", node);
    snprintf(s->leader_pref, sizeof(s->leader_pref), "%s", leader ? leader : "");
    snprintf(s->t_state, sizeof(s->t_state), "%s/state", prefix);
    snprintf(s->t_ack, sizeof(s->t_ack), "%s/ack", prefix);
    s->preview = preview;
    s->role_logged = -1;
    s->created_at = now_ms();
    pthread_mutex_init(&s->mu, NULL);
    return s;
}

void sync_destroy(struct sync *s)
{
    if (!s) {
        return;
    }
    free(s->state);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

bool sync_message(struct sync *s, const char *topic, const void *payload, size_t len)
{
    size_t pl = strlen(s->prefix);
    if (strncmp(topic, s->prefix, pl) != 0 || topic[pl] != '/') {
        return false;
    }
    const char *rest = topic + pl + 1;
    if (strcmp(rest, "state") == 0) {
        pthread_mutex_lock(&s->mu);
        free(s->state);
        s->state = len <= 4096 ? xstrndup(payload, len) : NULL;
        pthread_mutex_unlock(&s->mu);
        return true;
    }
    if (strcmp(rest, "ack") == 0) {
        /* {"panel": "id" or "", "by": "node"} */
        cJSON *o = len <= 1024 ? cJSON_ParseWithLength(payload, len) : NULL;
        const cJSON *panel = cJSON_GetObjectItemCaseSensitive(o, "panel");
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(o, "by");
        pthread_mutex_lock(&s->mu);
        if (cJSON_IsString(panel) && cJSON_IsString(by) && strcmp(by->valuestring, s->me) != 0 &&
            s->n_acks_in < sizeof(s->acks_in) / sizeof(s->acks_in[0])) {
            snprintf(s->acks_in[s->n_acks_in++], sizeof(s->acks_in[0]), "%.63s", panel->valuestring);
        }
        pthread_mutex_unlock(&s->mu);
        cJSON_Delete(o);
        return true;
    }
    const char *slash = strchr(rest, '/');
    if (!slash || strcmp(slash, "/status") != 0 || (size_t)(slash - rest) >= sizeof(s->nodes[0].name)) {
        return false;
    }
    char name[64];
    snprintf(name, sizeof(name), "%.*s", (int)(slash - rest), rest);
    bool online = len == 6 && memcmp(payload, "online", 6) == 0;
    pthread_mutex_lock(&s->mu);
    size_t i = 0;
    while (i < s->n_nodes && strcmp(s->nodes[i].name, name) != 0) {
        i++;
    }
    if (i == s->n_nodes && s->n_nodes < MAX_NODES) {
        snprintf(s->nodes[s->n_nodes++].name, sizeof(s->nodes[0].name), "%s", name);
    }
    if (i < s->n_nodes) {
        s->nodes[i].online = online;
    }
    pthread_mutex_unlock(&s->mu);
    return true;
}

void sync_connected(struct sync *s)
{
    pthread_mutex_lock(&s->mu);
    s->connected_event = true;
    pthread_mutex_unlock(&s->mu);
}

const char *sync_leader(const struct sync *s)
{
    return s->leader;
}

/* The preferred leader when online, else the first online node by name;
 * this node counts as online while connected (unless a preview). */
static void elect(struct sync *s, bool connected)
{
    char best[64] = "";
    bool pref_online = false;
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->n_nodes; i++) {
        const struct node_seen *n = &s->nodes[i];
        bool online = n->online || (connected && !s->preview && strcmp(n->name, s->me) == 0);
        if (!online) {
            continue;
        }
        pref_online = pref_online || strcmp(n->name, s->leader_pref) == 0;
        if (!best[0] || strcmp(n->name, best) < 0) {
            snprintf(best, sizeof(best), "%s", n->name);
        }
    }
    pthread_mutex_unlock(&s->mu);
    if (connected && !s->preview && (!best[0] || strcmp(s->me, best) < 0)) {
        snprintf(best, sizeof(best), "%s", s->me); /* our own status may not be back yet */
    }
    snprintf(s->leader, sizeof(s->leader), "%s", pref_online ? s->leader_pref : best);
}

/* Applies a received state when it is newer than what we have. */
static void take_state(struct sync *s, struct app *a, const char *text)
{
    cJSON *o = cJSON_Parse(text);
    const cJSON *page = cJSON_GetObjectItemCaseSensitive(o, "page");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "page_name");
    const cJSON *since = cJSON_GetObjectItemCaseSensitive(o, "since");
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(o, "enlarged");
    const cJSON *held = cJSON_GetObjectItemCaseSensitive(o, "held");
    const cJSON *align = cJSON_GetObjectItemCaseSensitive(o, "align");
    const cJSON *by = cJSON_GetObjectItemCaseSensitive(o, "by");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "t");
    if (!cJSON_IsNumber(page) || !cJSON_IsNumber(since) || !cJSON_IsNumber(t) || !cJSON_IsString(by)) {
        cJSON_Delete(o);
        return;
    }
    /* Ours coming back is not newer than itself (equal t and by), so it is
     * skipped; ours from before a restart is taken like any other. */
    int64_t tm = (int64_t)t->valuedouble;
    if (tm < s->last_t || (tm == s->last_t && strcmp(by->valuestring, s->last_by) <= 0)) {
        cJSON_Delete(o);
        return;
    }
    s->last_t = tm;
    snprintf(s->last_by, sizeof(s->last_by), "%.63s", by->valuestring);
    /* The page by name when the files differ in order, else by number. */
    struct wall *w = a->wall;
    size_t p = page->valuedouble >= 1 ? (size_t)page->valuedouble - 1 : 0;
    if (cJSON_IsString(name) && name->valuestring[0]) {
        for (size_t i = 0; i < a->cfg->n_pages; i++) {
            if (strcmp(a->cfg->pages[i].name, name->valuestring) == 0) {
                p = i;
            }
        }
    }
    int64_t shown = epoch_ms() - (int64_t)since->valuedouble;
    control_apply_shared(w, p, shown, cJSON_IsString(en) ? en->valuestring : "", cJSON_IsTrue(held),
                         cJSON_IsTrue(align), by->valuestring);
    s->published_seq = s->seen_seq = w->shared_seq; /* not ours to publish again */
    cJSON_Delete(o);
}

static void publish_state(struct sync *s, struct app *a, struct mqtt_link *link)
{
    struct wall *w = a->wall;
    const struct panel *en = wall_page_panel(w, w->enlarged);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "page", (double)w->page + 1);
    cJSON_AddStringToObject(o, "page_name", a->cfg->pages[w->page].name);
    cJSON_AddNumberToObject(o, "since", (double)(epoch_ms() - (now_ms() - w->page_since_ms)));
    cJSON_AddStringToObject(o, "enlarged", en ? en->cfg->id : "");
    cJSON_AddBoolToObject(o, "held", w->tour_held);
    cJSON_AddBoolToObject(o, "align", w->show_align);
    cJSON_AddStringToObject(o, "by", s->me);
    cJSON_AddNumberToObject(o, "t", (double)s->change_t);
    char *text = cJSON_PrintUnformatted(o);
    if (mqtt_link_publish(link, s->t_state, text, strlen(text), 1, true) == 0) {
        s->published_seq = w->shared_seq;
        s->last_t = s->change_t;
        snprintf(s->last_by, sizeof(s->last_by), "%s", s->me);
    }
    free(text);
    cJSON_Delete(o);
}

void sync_poll(struct sync *s, struct app *a, struct mqtt_link *link)
{
    struct wall *w = a->wall;
    bool connected = mqtt_link_connected(link);
    int64_t now = now_ms();
    pthread_mutex_lock(&s->mu);
    bool reconnected = s->connected_event;
    s->connected_event = false;
    char *state = s->state;
    s->state = NULL;
    char acks[32][64];
    size_t n_acks = s->n_acks_in;
    memcpy(acks, s->acks_in, n_acks * sizeof(acks[0]));
    s->n_acks_in = 0;
    pthread_mutex_unlock(&s->mu);
    for (size_t i = 0; i < n_acks; i++) {
        control_exec(w, &(struct wall_cmd){ .kind = acks[i][0] ? CMD_ACK : CMD_ACK_ALL, .panel = acks[i],
                                            .origin = "sync" });
    }
    if (reconnected) {
        s->connected_at = now;
    }
    if (!connected) {
        s->connected_at = 0;
    }
    if (state) {
        take_state(s, a, state);
        free(state);
    }
    elect(s, connected);
    /* Alone (no broker) every node turns its own pages; connected, only the
     * leader does; a preview never does while connected. */
    bool driver = !connected || (!s->preview && strcmp(s->leader, s->me) == 0);
    w->tour_driver = driver; /* the page's timer keeps running */
    /* Said once the broker's view is in, or once it is known to be away
     * (lost, or not reached within 5 s of starting). */
    s->ever_connected = s->ever_connected || connected;
    bool known = connected ? s->connected_at && now - s->connected_at >= SETTLE_MS
                           : s->ever_connected || now - s->created_at >= 5000;
    int role = !connected ? ROLE_ALONE : driver ? ROLE_LEADS : ROLE_FOLLOWS;
    static const char *const said[] = { "following the page tour of the leader",
                                        "broker away: turning pages alone", "this node leads the page tour" };
    if (known && role != s->role_logged) {
        log_info(w->log, "%s", said[role]);
        s->role_logged = role;
    }
}

void sync_flush(struct sync *s, struct app *a, struct mqtt_link *link)
{
    struct wall *w = a->wall;
    bool connected = mqtt_link_connected(link);
    bool driver = w->tour_driver;
    bool settled = connected && s->connected_at && now_ms() - s->connected_at >= SETTLE_MS;
    /* Our acknowledgements go to the others (lost while the broker is away:
     * an alarm is acknowledged again where it still flashes). */
    for (size_t i = 0; i < w->n_acks_out && connected; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "panel", w->acks_out[i]);
        cJSON_AddStringToObject(o, "by", s->me);
        char *msg = cJSON_PrintUnformatted(o);
        mqtt_link_publish(link, s->t_ack, msg, strlen(msg), 1, false);
        free(msg);
        cJSON_Delete(o);
    }
    w->n_acks_out = 0;
    if (w->shared_seq != s->seen_seq) {
        s->seen_seq = w->shared_seq;
        s->change_t = epoch_ms();
    }
    if (w->shared_seq != s->published_seq) {
        /* While the broker is away our own tour's turns stay local (the
         * others turn theirs in step); a person's change goes out when it
         * returns. Followers' turns are never published: only the leader's. */
        bool tour_only = w->shared_by_tour && !driver;
        if (connected && settled && !tour_only) {
            publish_state(s, a, link);
        } else if (connected && settled && tour_only) {
            s->published_seq = w->shared_seq;
        }
    }
}
