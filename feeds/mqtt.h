/* feeds/mqtt.h: MQTT broker sources (Eclipse Paho MQTTAsync). One client
 * per broker; panels register topic filters as scene subs. */
#ifndef PANTAU_FEED_MQTT_H
#define PANTAU_FEED_MQTT_H

#include "../config/schema.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mqtt_source_opts {
    char *username;
    char *password;
    char *client_id;
    int64_t keepalive;
    int64_t retry_max;
    char *ca, *cert, *key;
    bool verify;
    char *ack_topic;
};

extern const struct cfg_kind mqtt_source_kind;

/* mqtt://host[:port] -> tcp://host:port; mqtts:// -> ssl://, for Paho. -1:
 * not an MQTT URL. Shared with mqtt_link.c. Any thread. */
int mqtt_paho_uri(const char *url, char *out, size_t outlen, bool *tls);
/* Sends DISCONNECT on a Paho MQTTAsync client (when connected), waits at
 * most timeout_ms for it, and destroys the client. Shared with
 * mqtt_link.c. */
void mqtt_disconnect_bounded(void *client, int timeout_ms);
/* Why a connect failed, in words, from Paho's failure code and message
 * (CONNACK codes 1-5 explained). */
void mqtt_connect_failure(int code, const char *message, char *why, size_t whylen);

#endif
