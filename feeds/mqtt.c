/* feeds/mqtt.c: MQTT broker sources through Eclipse Paho's MQTTAsync.
 *
 * One client per broker, shared by every panel that reads it: the
 * subscriptions are the union of the panels' topic filters (scene subs).
 * All callbacks run on Paho's threads; each one parses, writes the scene's
 * slots and returns, never touching the wall. Paho reconnects by itself
 * (automaticReconnect, with backoff) and our connected callback subscribes
 * again after every (re)connect; retained messages then give the panels
 * their values at once. Paho's retries come at most every second or two; a
 * probe thread per client, asleep while connected, tries the broker's port
 * meanwhile (feeds/probe.h) and asks Paho to reconnect the moment the port
 * opens again, so a restarted broker is back within about half a second.
 * The main thread only starts and stops the client and the probe. */
#include "mqtt.h"
#include "feed.h"
#include "payload.h"
#include "probe.h"
#include "../core/util.h"

#include <MQTTAsync.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct cfg_key keys[] = {
    { "username", CFG_STRING, CFG_OFF(mqtt_source_opts, username), "", .help = "Broker user name." },
    { "password", CFG_SECRET, CFG_OFF(mqtt_source_opts, password), "", .help = "Broker password." },
    { "client_id", CFG_STRING, CFG_OFF(mqtt_source_opts, client_id), "",
      .help = "MQTT client id; empty: pantau-<host>-<pid>." },
    { "keepalive", CFG_DURATION, CFG_OFF(mqtt_source_opts, keepalive), "30s", 1000, 3600000,
      .help = "MQTT keepalive interval; a dead broker is noticed after about 1.5 times this." },
    { "retry_max", CFG_DURATION, CFG_OFF(mqtt_source_opts, retry_max), "10s", 1000, 600000,
      .help = "Longest wait between reconnect attempts (they start at 1 s and double)." },
    { "ca", CFG_STRING, CFG_OFF(mqtt_source_opts, ca), "",
      .help = "mqtts: PEM file of the CA that signed the broker's certificate; empty: the system's CAs." },
    { "cert", CFG_STRING, CFG_OFF(mqtt_source_opts, cert), "",
      .help = "mqtts: PEM client certificate, for brokers that require one." },
    { "key", CFG_STRING, CFG_OFF(mqtt_source_opts, key), "", .help = "mqtts: PEM private key of cert." },
    { "verify", CFG_BOOL, CFG_OFF(mqtt_source_opts, verify), "true",
      .help = "mqtts: check the broker's certificate and host name. Turning it off is logged as a warning." },
    { "ack_topic", CFG_STRING, CFG_OFF(mqtt_source_opts, ack_topic), "",
      .help = "Topic on which a message \"all\" or a panel id acknowledges alarms; empty: none." },
    { NULL },
};

struct sub_state {
    const struct scene_sub *sub;
    struct payload_path *path;  /* NULL: a bad path, reported at start */
};

struct mqtt_feed {
    struct feed *f;
    MQTTAsync client;
    struct sub_state *subs;
    size_t n_subs;
    char **filters;             /* for subscribeMany */
    int *qos;
    size_t n_filters;
    char uri[512];
    char client_id[128];
    _Atomic bool stopping;
    bool tls;                   /* mqtts: TLS failures name the host */
    /* The connect thread (see connect_main); the fields below are guarded
     * by mu. */
    MQTTAsync_connectOptions conn;
    MQTTAsync_SSLOptions ssl;
    pthread_t probe;
    bool probe_started, quit;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t down_since;         /* 0 while connected */
    bool connecting;            /* a connect was asked of Paho, no answer yet */
    int64_t next_try;           /* when to connect again (monotonic ms) */
    int64_t backoff;            /* the wait after the next failure */
};

/* The broker is away (connection lost, or a connect failed): the next
 * connect waits the backoff (1 s, doubling up to retry_max) unless the
 * probe sees the port open again first. Paho's threads. */
static void mark_down(struct mqtt_feed *m)
{
    const struct mqtt_source_opts *o = m->f->cfg->opts;
    pthread_mutex_lock(&m->mu);
    int64_t now = now_ms();
    if (!m->down_since) {
        m->down_since = now;
    }
    m->connecting = false;
    m->next_try = now + m->backoff;
    m->backoff = m->backoff * 2 > o->retry_max ? o->retry_max : m->backoff * 2;
    pthread_cond_signal(&m->cv);
    pthread_mutex_unlock(&m->mu);
}

/* host and port of a Paho URI ("tcp://host:1883", "ssl://[::1]:8883"). */
static int uri_host_port(const char *uri, char *host, size_t hostlen, int *port)
{
    const char *h = strstr(uri, "://");
    const char *colon = h ? strrchr(h + 3, ':') : NULL;
    if (!colon) {
        return -1;
    }
    h += 3;
    size_t n = (size_t)(colon - h);
    if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
        h++;
        n -= 2;
    }
    snprintf(host, hostlen, "%.*s", (int)n, h);
    *port = (int)strtol(colon + 1, NULL, 10); /* checked by probe_resolve */
    return 0;
}

/* The connect thread: Paho's own automatic reconnect checks its timers
 * every 3 s (so a broker that is back waits up to 3 s more than it must),
 * hence the connects are ours. While the broker is away it connects at the
 * backoff's times and, between them, probes the broker's port at
 * probe_every's rate: when a port seen closed answers again it connects at
 * once. A port that stays open while connects fail (bad password, TLS) is
 * left to the backoff. Asleep while connected. */
static void *connect_main(void *arg)
{
    struct mqtt_feed *m = arg;
    char host[256];
    int port = 0;
    bool known = uri_host_port(m->uri, host, sizeof(host), &port) == 0;
    struct addrinfo *ai = NULL;
    bool seen_closed = false;
    int64_t next_probe = 0;
    pthread_mutex_lock(&m->mu);
    while (!m->quit) {
        if (!m->down_since || m->connecting) {
            if (!m->down_since) {
                seen_closed = false;
                if (ai) {
                    freeaddrinfo(ai); /* resolved again next outage: the broker may move */
                    ai = NULL;
                }
            }
            pthread_cond_wait(&m->cv, &m->mu);
            continue;
        }
        int64_t now = now_ms();
        if (now >= m->next_try) {
            m->connecting = true;
            pthread_mutex_unlock(&m->mu);
            int rc = MQTTAsync_connect(m->client, &m->conn);
            pthread_mutex_lock(&m->mu);
            if (rc != MQTTASYNC_SUCCESS) {
                log_warn(m->f->log, "connect request failed (%d)", rc);
                m->connecting = false;
                m->next_try = now + m->backoff;
            }
            continue;
        }
        if (!next_probe || next_probe < now - 60000) {
            next_probe = now + probe_every(now - m->down_since);
        }
        int64_t until = m->next_try < next_probe || !known ? m->next_try : next_probe;
        struct timespec ts = util_deadline(until - now);
        pthread_cond_timedwait(&m->cv, &m->mu, &ts);
        now = now_ms();
        if (m->quit || !m->down_since || m->connecting || !known || now < next_probe) {
            continue;
        }
        next_probe = now + probe_every(now - m->down_since);
        pthread_mutex_unlock(&m->mu);
        if (!ai) {
            ai = probe_resolve(host, port);
        }
        int up = ai ? probe_tcp(ai) : 0;
        pthread_mutex_lock(&m->mu);
        if (!up) {
            seen_closed = true;
        } else if (seen_closed) {
            seen_closed = false;
            log_debug(m->f->log, "the broker's port answers again: connecting now");
            m->next_try = now;
        }
    }
    pthread_mutex_unlock(&m->mu);
    if (ai) {
        freeaddrinfo(ai);
    }
    return NULL;
}

static void set_retrying(struct mqtt_feed *m, const char *why)
{
    /* Paho schedules its reconnects itself and does not say when the next
     * one is: no countdown rather than a wrong one. */
    scene_source_set_status(m->f->src, SOURCE_RETRYING, why, 0);
}

static void on_subscribed(void *ctx, MQTTAsync_successData *resp)
{
    (void)resp;
    struct mqtt_feed *m = ctx;
    log_debug(m->f->log, "subscribed to %zu topic filters", m->n_filters);
}

static void on_subscribe_failed(void *ctx, MQTTAsync_failureData *resp)
{
    struct mqtt_feed *m = ctx;
    log_warn(m->f->log, "subscribe failed (%d)%s%s", resp ? resp->code : 0,
             resp && resp->message ? ": " : "", resp && resp->message ? resp->message : "");
    scene_source_count(m->f->src, SOURCE_ERRORS, 1);
}

/* Runs after every successful (re)connect: subscribe again. */
static void on_connected(void *ctx, char *cause)
{
    (void)cause;
    struct mqtt_feed *m = ctx;
    struct source_info info;
    scene_source_get(m->f->src, &info);
    if (info.status == SOURCE_RETRYING) {
        scene_source_count(m->f->src, SOURCE_RECONNECTS, 1);
    }
    scene_source_set_status(m->f->src, SOURCE_LIVE, NULL, 0);
    pthread_mutex_lock(&m->mu);
    m->down_since = 0;
    m->connecting = false;
    m->backoff = 1000;
    pthread_mutex_unlock(&m->mu);
    char shown[512];
    log_info(m->f->log, "connected to %s", redact_url(m->f->cfg->url, shown, sizeof(shown)));
    if (m->n_filters == 0) {
        return;
    }
    MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
    ro.onSuccess = on_subscribed;
    ro.onFailure = on_subscribe_failed;
    ro.context = m;
    int rc = MQTTAsync_subscribeMany(m->client, (int)m->n_filters, m->filters, m->qos, &ro);
    if (rc != MQTTASYNC_SUCCESS) {
        log_warn(m->f->log, "subscribe request failed (%d)", rc);
    }
}

void mqtt_connect_failure(int code, const char *message, char *why, size_t whylen)
{
    /* CONNACK refusals come with a bare "CONNACK return code" message: say
     * what the code means. */
    static const char *const connack[] = {
        NULL, "broker refused the MQTT protocol version", "broker refused the client id",
        "broker unavailable", "bad user name or password", "not authorised (check username and password)",
    };
    if (code >= 1 && code <= 5) {
        snprintf(why, whylen, "%s", connack[code]);
    } else if (message) {
        snprintf(why, whylen, "%s", message);
    } else {
        snprintf(why, whylen, "cannot connect (code %d)", code);
    }
}

static void on_connect_failed(void *ctx, MQTTAsync_failureData *resp)
{
    struct mqtt_feed *m = ctx;
    char why[300], tls_why[700];
    const char *msg = why;
    mqtt_connect_failure(resp ? resp->code : 0, resp ? resp->message : NULL, why, sizeof(why));
    if (m->tls && !(resp && resp->code >= 1 && resp->code <= 5)) {
        /* Not a CONNACK refusal: on mqtts the handshake is the usual cause;
         * name the host the certificate must be made out to. */
        char host[128];
        url_host(m->uri, host, sizeof(host));
        snprintf(tls_why, sizeof(tls_why), "TLS with %s failed: %s (check ca: and that the broker's certificate "
                                           "names %s)", host, why, host);
        msg = tls_why;
    }
    log_warn(m->f->log, "connect failed: %s", msg);
    set_retrying(m, msg);
    mark_down(m);
}

static void on_connection_lost(void *ctx, char *cause)
{
    struct mqtt_feed *m = ctx;
    if (atomic_load(&m->stopping)) {
        return;
    }
    log_warn(m->f->log, "connection lost%s%s", cause ? ": " : "", cause ? cause : "");
    set_retrying(m, cause && *cause ? cause : "connection lost");
    mark_down(m);
}

/* A message: extract each matching sub's value and write it. */
static int on_message(void *ctx, char *topic, int topic_len, MQTTAsync_message *msg)
{
    struct mqtt_feed *m = ctx;
    char *t = topic_len > 0 ? xstrndup(topic, (size_t)topic_len) : xstrdup(topic);
    int64_t now = now_ms();
    scene_source_count(m->f->src, SOURCE_BYTES, (uint64_t)msg->payloadlen);
    bool matched = false, bad = false;
    for (size_t i = 0; i < m->n_subs; i++) {
        const struct sub_state *ss = &m->subs[i];
        if (!ss->path || !scene_topic_matches(ss->sub->filter, t)) {
            continue;
        }
        matched = true;
        struct slot_value v;
        char err[160];
        if (ss->sub->raw) {
            /* Commands and acks: the text as sent, never parsed as a value. */
            size_t plen = (size_t)(msg->payloadlen > 0 ? msg->payloadlen : 0);
            if (!payload_is_text(msg->payload, plen)) {
                bad = true;
                char clean[96];
                sanitize_text(t, clean, sizeof(clean));
                log_warn(m->f->log, "ignored a message on %s: empty or not text", clean);
                continue;
            }
            memset(&v, 0, sizeof(v));
            char *raw = xstrndup(msg->payload ? msg->payload : "", (size_t)(msg->payloadlen > 0 ? msg->payloadlen : 0));
            sanitize_text(raw, v.text, sizeof(v.text));
            free(raw);
            v.type = SLOT_TEXT;
            v.time_ms = now;
            if (ss->sub->slot) {
                scene_slot_write(ss->sub->slot, &v);
            }
            continue;
        }
        if (payload_extract(msg->payload, (size_t)(msg->payloadlen > 0 ? msg->payloadlen : 0), ss->path,
                            &v, err, sizeof(err)) < 0) {
            bad = true;
            char clean[96];
            sanitize_text(t, clean, sizeof(clean));
            /* Repeats of this line are collapsed by the log. */
            log_warn(m->f->log, "bad payload on %s: %s", clean, err);
            if (ss->sub->slot) {
                scene_slot_error(ss->sub->slot, err);
            } else {
                scene_table_error(ss->sub->table, t, err);
            }
            continue;
        }
        v.time_ms = now;
        if (ss->sub->slot) {
            scene_slot_write(ss->sub->slot, &v);
        } else {
            scene_table_write(ss->sub->table, t, &v);
        }
    }
    scene_source_count(m->f->src, bad ? SOURCE_ERRORS : SOURCE_FRAMES, 1);
    if (matched) {
        scene_source_touch(m->f->src);
    }
    free(t);
    MQTTAsync_freeMessage(&msg);
    MQTTAsync_free(topic);
    return 1;
}

/* mqtt_disconnect_bounded: the DISCONNECT's outcome, waited for. */
struct disc_wait {
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool done;                  /* guarded by mu */
};

static void disc_done(struct disc_wait *dw)
{
    pthread_mutex_lock(&dw->mu);
    dw->done = true;
    pthread_cond_signal(&dw->cond);
    pthread_mutex_unlock(&dw->mu);
}

static void on_disconnected(void *ctx, MQTTAsync_successData *resp)
{
    (void)resp;
    disc_done(ctx);
}

static void on_disconnect_failed(void *ctx, MQTTAsync_failureData *resp)
{
    (void)resp;
    disc_done(ctx);
}

void mqtt_disconnect_bounded(void *client, int timeout_ms)
{
    struct disc_wait dw = { .done = false };
    pthread_mutex_init(&dw.mu, NULL);
    pthread_cond_init(&dw.cond, NULL);
    MQTTAsync c = client;
    MQTTAsync_disconnectOptions d = MQTTAsync_disconnectOptions_initializer;
    d.timeout = timeout_ms / 2;
    d.onSuccess = on_disconnected;
    d.onFailure = on_disconnect_failed;
    d.context = &dw;
    if (MQTTAsync_isConnected(c) && MQTTAsync_disconnect(c, &d) == MQTTASYNC_SUCCESS) {
        /* A dead broker must not hold up shutdown. */
        struct timespec until = util_deadline(timeout_ms);
        pthread_mutex_lock(&dw.mu);
        while (!dw.done) {
            if (pthread_cond_timedwait(&dw.cond, &dw.mu, &until) != 0) {
                break;
            }
        }
        pthread_mutex_unlock(&dw.mu);
    }
    /* Destroyed before dw goes: no callback can reach it afterwards. */
    MQTTAsync_destroy(&c);
    pthread_cond_destroy(&dw.cond);
    pthread_mutex_destroy(&dw.mu);
}

int mqtt_paho_uri(const char *url, char *out, size_t outlen, bool *tls)
{
    const char *rest;
    if (strncmp(url, "mqtt://", 7) == 0 || strncmp(url, "tcp://", 6) == 0) {
        *tls = false;
        rest = strstr(url, "://") + 3;
    } else if (strncmp(url, "mqtts://", 8) == 0 || strncmp(url, "ssl://", 6) == 0) {
        *tls = true;
        rest = strstr(url, "://") + 3;
    } else {
        return -1;
    }
    /* Credentials belong in username/password, not the URL. */
    const char *at = strchr(rest, '@');
    if (at && at < rest + strcspn(rest, "/")) {
        rest = at + 1;
    }
    size_t hostlen = strcspn(rest, "/?");
    const char *colon = memchr(rest, ':', hostlen);
    if (rest[0] == '[') {
        const char *close = memchr(rest, ']', hostlen);
        colon = close && close + 1 < rest + hostlen && close[1] == ':' ? close + 1 : NULL;
    }
    if (colon) {
        snprintf(out, outlen, "%s://%.*s", *tls ? "ssl" : "tcp", (int)hostlen, rest);
    } else {
        snprintf(out, outlen, "%s://%.*s:%d", *tls ? "ssl" : "tcp", (int)hostlen, rest, *tls ? 8883 : 1883);
    }
    return 0;
}

static void free_feed(struct mqtt_feed *m)
{
    pthread_mutex_destroy(&m->mu);
    pthread_cond_destroy(&m->cv);
    for (size_t i = 0; i < m->n_subs; i++) {
        payload_path_free(m->subs[i].path);
    }
    free(m->subs);
    free(m->filters);
    free(m->qos);
    free(m);
}

/* Subscriptions: every sub of this source (payload paths compiled),
 * filters de-duplicated with the highest QoS asked for. */
static void collect_subscriptions(struct mqtt_feed *m)
{
    struct feed *f = m->f;
    size_t n = scene_n_subs(f->src);
    m->subs = xcalloc(n ? n : 1, sizeof(*m->subs));
    m->filters = xcalloc(n ? n : 1, sizeof(*m->filters));
    m->qos = xcalloc(n ? n : 1, sizeof(*m->qos));
    for (size_t i = 0; i < n; i++) {
        const struct scene_sub *sub = scene_sub_at(f->src, i);
        char err[160];
        m->subs[m->n_subs].sub = sub;
        m->subs[m->n_subs].path = payload_path_compile(sub->raw ? "" : sub->path, err, sizeof(err));
        if (!m->subs[m->n_subs].path) {
            log_error(f->log, "topic %s: %s", sub->filter, err);
            if (sub->slot) {
                scene_slot_error(sub->slot, err);
            }
        }
        m->n_subs++;
        size_t k = 0;
        while (k < m->n_filters && strcmp(m->filters[k], sub->filter) != 0) {
            k++;
        }
        if (k == m->n_filters) {
            m->filters[m->n_filters] = (char *)sub->filter;
            m->qos[m->n_filters++] = sub->qos;
        } else if (sub->qos > m->qos[k]) {
            m->qos[k] = sub->qos;
        }
    }
}

/* Connect options: session, reconnect policy, credentials, TLS (ssl is
 * the caller's, filled and linked here when tls). */
static void connect_options(struct mqtt_feed *m, bool tls, MQTTAsync_connectOptions *conn, MQTTAsync_SSLOptions *ssl)
{
    const struct mqtt_source_opts *o = m->f->cfg->opts;
    conn->keepAliveInterval = (int)(o->keepalive / 1000);
    conn->cleansession = 1;
    conn->MQTTVersion = MQTTVERSION_3_1_1; /* negotiating the version costs ~3 s a connect */
    conn->automaticReconnect = 0; /* connect_main reconnects */
    conn->connectTimeout = 5;
    conn->onFailure = on_connect_failed;
    conn->context = m;
    if (o->username[0]) {
        conn->username = o->username;
    }
    if (o->password[0]) {
        conn->password = o->password;
    }
    if (!tls) {
        return;
    }
    ssl->trustStore = o->ca[0] ? o->ca : NULL;
    ssl->keyStore = o->cert[0] ? o->cert : NULL;
    ssl->privateKey = o->key[0] ? o->key : NULL;
    ssl->enableServerCertAuth = o->verify;
    ssl->verify = o->verify;
    if (!o->ca[0]) {
        ssl->CApath = "/etc/ssl/certs";
    }
    if (!o->verify) {
        log_warn(m->f->log, "TLS certificate verification is OFF for this broker (verify: false): "
                            "anyone on the network path can impersonate it");
    }
    conn->ssl = ssl;
}

static int start(struct feed *f)
{
    const struct mqtt_source_opts *o = f->cfg->opts;
    struct mqtt_feed *m = xcalloc(1, sizeof(*m));
    m->f = f;
    f->priv = m;
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->cv, NULL);
    bool tls;
    if (mqtt_paho_uri(f->cfg->url, m->uri, sizeof(m->uri), &tls) < 0) {
        scene_source_set_status(f->src, SOURCE_DISABLED, "URL must start with mqtt:// or mqtts://", 0);
        goto fail;
    }
    collect_subscriptions(m);
    if (o->client_id[0]) {
        snprintf(m->client_id, sizeof(m->client_id), "%s", o->client_id);
    } else {
        char host[64] = "host";
        gethostname(host, sizeof(host) - 1);
        snprintf(m->client_id, sizeof(m->client_id), "pantau-%.40s-%d-%s", host, (int)getpid(), f->cfg->name);
    }
    MQTTAsync_createOptions co = MQTTAsync_createOptions_initializer;
    co.MQTTVersion = MQTTVERSION_3_1_1;
    int rc = MQTTAsync_createWithOptions(&m->client, m->uri, m->client_id, MQTTCLIENT_PERSISTENCE_NONE,
                                         NULL, &co);
    if (rc != MQTTASYNC_SUCCESS) {
        char why[96];
        snprintf(why, sizeof(why), "cannot create the MQTT client (%d)", rc);
        scene_source_set_status(f->src, SOURCE_DISABLED, why, 0);
        goto fail;
    }
    MQTTAsync_setCallbacks(m->client, m, on_connection_lost, on_message, NULL);
    MQTTAsync_setConnected(m->client, m, on_connected);

    MQTTAsync_connectOptions conn = MQTTAsync_connectOptions_initializer;
    MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
    m->conn = conn;
    m->ssl = ssl;
    m->tls = tls;
    connect_options(m, tls, &m->conn, &m->ssl);
    scene_source_set_status(f->src, SOURCE_CONNECTING, NULL, 0);
    /* The first connect is the connect thread's too: now. */
    m->down_since = now_ms();
    m->next_try = m->down_since;
    m->backoff = 1000;
    m->probe_started = pthread_create(&m->probe, NULL, connect_main, m) == 0;
    if (!m->probe_started) {
        scene_source_set_status(f->src, SOURCE_DISABLED, "cannot start a thread", 0);
        goto fail;
    }
    return 0;
fail:
    if (m->client) {
        MQTTAsync_destroy(&m->client);
    }
    free_feed(m);
    f->priv = NULL;
    return -1;
}

static void stop(struct feed *f)
{
    struct mqtt_feed *m = f->priv;
    if (!m) {
        return;
    }
    atomic_store(&m->stopping, true);
    if (m->probe_started) {
        pthread_mutex_lock(&m->mu);
        m->quit = true;
        pthread_cond_signal(&m->cv);
        pthread_mutex_unlock(&m->mu);
        pthread_join(m->probe, NULL);
    }
    mqtt_disconnect_bounded(m->client, 500);
    m->client = NULL;
    free_feed(m);
    f->priv = NULL;
}

static const char *ack_topic(const struct cfg_source *cs)
{
    const struct mqtt_source_opts *o = cs->opts;
    return o->ack_topic;
}

static const struct feed_ops ops = {
    .kind = "mqtt",
    .start = start,
    .stop = stop,
    .ack_topic = ack_topic,
};

static const char *const schemes[] = { "mqtt", "mqtts", "tcp", "ssl", NULL };

const struct cfg_kind mqtt_source_kind = {
    .name = "mqtt",
    .value_help = "the broker URL, mqtt://host:1883 or mqtts://host:8883.",
    .value_type = CFG_URL,
    .keys = keys,
    .opts_size = sizeof(struct mqtt_source_opts),
    .schemes = schemes,
    .impl = &ops,
};
