/* feeds/mqtt_link.h: one MQTT client for the program's own messages (remote
 * commands, replies, health; `pantau --send`), connected with the broker
 * settings of an `mqtt` source (URL, credentials, TLS). Paho MQTTAsync:
 * callbacks run on Paho's threads; publish is safe from any thread. Panels'
 * values never go through here (that is the mqtt feed). */
#ifndef PANTAU_MQTT_LINK_H
#define PANTAU_MQTT_LINK_H

#include "../config/config.h"
#include "../core/log.h"

#include <stdbool.h>
#include <stddef.h>

struct mqtt_link;

struct mqtt_link_opts {
    const struct cfg_source *source;    /* an mqtt source: broker URL and its keys */
    const char *client_id;
    const char *will_topic;             /* retained last will; NULL: none */
    const char *will_payload;
    const char *const *subscribe;       /* topic filters, QoS 1, subscribed after every connect */
    size_t n_subscribe;
    /* A message (Paho's thread): topic and payload are valid for the call. */
    void (*on_message)(void *ctx, const char *topic, const void *payload, size_t len);
    /* Connected (again) and subscribed (Paho's thread). Optional. */
    void (*on_connected)(void *ctx);
    void *ctx;
    struct log *log;
    bool reconnect;                     /* reconnect by itself (a long-running wall) */
};

/* Starts connecting; NULL with err when the URL or the client is bad. */
struct mqtt_link *mqtt_link_open(const struct mqtt_link_opts *o, char *err, size_t errlen);
/* Queues a message (QoS 0 or 1); -1 when not connected. */
int mqtt_link_publish(struct mqtt_link *l, const char *topic, const void *payload, size_t len, int qos, bool retain);
bool mqtt_link_connected(struct mqtt_link *l);
/* Waits up to timeout_ms for the first connect to succeed (or fail for
 * good, with why filled). 0 connected, -1 not. */
int mqtt_link_wait_connected(struct mqtt_link *l, int timeout_ms, char *why, size_t whylen);
/* Disconnects (bounded wait for the broker) and frees. NULL is a no-op. */
void mqtt_link_close(struct mqtt_link *l);

#endif
