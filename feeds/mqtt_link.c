/* feeds/mqtt_link.c: see mqtt_link.h. */
#include "mqtt_link.h"
#include "mqtt.h"
#include "../core/util.h"

#include <MQTTAsync.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct mqtt_link {
    struct mqtt_link_opts o;
    MQTTAsync client;
    char uri[512];
    char **subs;
    int *qos;
    _Atomic bool stopping;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool connected_once, failed;                /* guarded by mu */
    char why[160];                              /* guarded by mu */
};

static void signal_state(struct mqtt_link *l, bool connected, bool failed, const char *why)
{
    pthread_mutex_lock(&l->mu);
    l->connected_once = l->connected_once || connected;
    l->failed = failed;
    if (why) {
        snprintf(l->why, sizeof(l->why), "%s", why);
    }
    pthread_cond_broadcast(&l->cond);
    pthread_mutex_unlock(&l->mu);
}

static void on_connected(void *ctx, char *cause)
{
    (void)cause;
    struct mqtt_link *l = ctx;
    if (l->o.n_subscribe) {
        MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
        MQTTAsync_subscribeMany(l->client, (int)l->o.n_subscribe, l->subs, l->qos, &ro);
    }
    if (l->o.on_connected) {
        l->o.on_connected(l->o.ctx);
    }
    signal_state(l, true, false, NULL);
}

static void on_connect_failed(void *ctx, MQTTAsync_failureData *resp)
{
    struct mqtt_link *l = ctx;
    char why[160];
    mqtt_connect_failure(resp ? resp->code : 0, resp ? resp->message : NULL, why, sizeof(why));
    log_warn(l->o.log, "broker for remote control: %s", why);
    signal_state(l, false, true, why);
}

static void on_connection_lost(void *ctx, char *cause)
{
    struct mqtt_link *l = ctx;
    if (!atomic_load(&l->stopping)) {
        log_warn(l->o.log, "broker for remote control: connection lost%s%s", cause ? ": " : "", cause ? cause : "");
    }
}

static int on_message(void *ctx, char *topic, int topic_len, MQTTAsync_message *msg)
{
    struct mqtt_link *l = ctx;
    char *t = topic_len > 0 ? xstrndup(topic, (size_t)topic_len) : xstrdup(topic);
    if (l->o.on_message && !atomic_load(&l->stopping)) {
        l->o.on_message(l->o.ctx, t, msg->payload, (size_t)(msg->payloadlen > 0 ? msg->payloadlen : 0));
    }
    free(t);
    MQTTAsync_freeMessage(&msg);
    MQTTAsync_free(topic);
    return 1;
}

static void free_link(struct mqtt_link *l)
{
    for (size_t i = 0; i < l->o.n_subscribe; i++) {
        free(l->subs[i]);
    }
    free(l->subs);
    free(l->qos);
    pthread_cond_destroy(&l->cond);
    pthread_mutex_destroy(&l->mu);
    free(l);
}

struct mqtt_link *mqtt_link_open(const struct mqtt_link_opts *o, char *err, size_t errlen)
{
    const struct mqtt_source_opts *so = o->source->opts;
    struct mqtt_link *l = xcalloc(1, sizeof(*l));
    l->o = *o;
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cond, NULL);
    l->subs = xcalloc(o->n_subscribe ? o->n_subscribe : 1, sizeof(*l->subs));
    l->qos = xcalloc(o->n_subscribe ? o->n_subscribe : 1, sizeof(*l->qos));
    for (size_t i = 0; i < o->n_subscribe; i++) {
        l->subs[i] = xstrdup(o->subscribe[i]);
        l->qos[i] = 1;
    }
    l->o.subscribe = NULL; /* copied */
    bool tls;
    if (mqtt_paho_uri(o->source->url, l->uri, sizeof(l->uri), &tls) < 0) {
        snprintf(err, errlen, "source %s: URL must start with mqtt:// or mqtts://", o->source->name);
        free_link(l);
        return NULL;
    }
    MQTTAsync_createOptions co = MQTTAsync_createOptions_initializer;
    co.MQTTVersion = MQTTVERSION_3_1_1;
    co.sendWhileDisconnected = 0;
    int rc = MQTTAsync_createWithOptions(&l->client, l->uri, o->client_id, MQTTCLIENT_PERSISTENCE_NONE, NULL, &co);
    if (rc != MQTTASYNC_SUCCESS) {
        snprintf(err, errlen, "cannot create the MQTT client (%d)", rc);
        free_link(l);
        return NULL;
    }
    MQTTAsync_setCallbacks(l->client, l, on_connection_lost, on_message, NULL);
    MQTTAsync_setConnected(l->client, l, on_connected);
    MQTTAsync_connectOptions conn = MQTTAsync_connectOptions_initializer;
    MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
    MQTTAsync_willOptions will = MQTTAsync_willOptions_initializer;
    conn.keepAliveInterval = (int)(so->keepalive / 1000);
    conn.cleansession = 1;
    conn.MQTTVersion = MQTTVERSION_3_1_1;
    conn.automaticReconnect = o->reconnect;
    conn.minRetryInterval = 1;
    conn.maxRetryInterval = (int)(so->retry_max / 1000);
    conn.connectTimeout = 5;
    conn.onFailure = on_connect_failed;
    conn.context = l;
    if (so->username[0]) {
        conn.username = so->username;
    }
    if (so->password[0]) {
        conn.password = so->password;
    }
    if (o->will_topic) {
        will.topicName = o->will_topic;
        will.message = o->will_payload;
        will.retained = 1;
        will.qos = 1;
        conn.will = &will;
    }
    if (tls) {
        ssl.trustStore = so->ca[0] ? so->ca : NULL;
        ssl.keyStore = so->cert[0] ? so->cert : NULL;
        ssl.privateKey = so->key[0] ? so->key : NULL;
        ssl.enableServerCertAuth = so->verify;
        ssl.verify = so->verify;
        if (!so->ca[0]) {
            ssl.CApath = "/etc/ssl/certs";
        }
        conn.ssl = &ssl;
    }
    rc = MQTTAsync_connect(l->client, &conn);
    if (rc != MQTTASYNC_SUCCESS) {
        snprintf(err, errlen, "connect request failed (%d)", rc);
        MQTTAsync_destroy(&l->client);
        free_link(l);
        return NULL;
    }
    return l;
}

int mqtt_link_publish(struct mqtt_link *l, const char *topic, const void *payload, size_t len, int qos, bool retain)
{
    if (!l || !MQTTAsync_isConnected(l->client)) {
        return -1;
    }
    MQTTAsync_message m = MQTTAsync_message_initializer;
    m.payload = (void *)payload;
    m.payloadlen = (int)len;
    m.qos = qos;
    m.retained = retain;
    MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
    return MQTTAsync_sendMessage(l->client, topic, &m, &ro) == MQTTASYNC_SUCCESS ? 0 : -1;
}

bool mqtt_link_connected(struct mqtt_link *l)
{
    return l && MQTTAsync_isConnected(l->client);
}

int mqtt_link_wait_connected(struct mqtt_link *l, int timeout_ms, char *why, size_t whylen)
{
    struct timespec until = util_deadline(timeout_ms);
    pthread_mutex_lock(&l->mu);
    while (!l->connected_once && !(l->failed && !l->o.reconnect)) {
        if (pthread_cond_timedwait(&l->cond, &l->mu, &until) != 0) {
            break;
        }
    }
    bool ok = l->connected_once;
    snprintf(why, whylen, "%s", l->why[0] ? l->why : "no answer from the broker");
    pthread_mutex_unlock(&l->mu);
    return ok ? 0 : -1;
}

void mqtt_link_close(struct mqtt_link *l)
{
    if (!l) {
        return;
    }
    atomic_store(&l->stopping, true);
    mqtt_disconnect_bounded(l->client, 500);
    free_link(l);
}
