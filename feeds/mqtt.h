/* feeds/mqtt.h: MQTT broker sources. The Paho feed arrives with the MQTT
 * issue; today this kind is configured and validated and its sources show
 * DISABLED with a reason. */
#ifndef PANTAU_FEED_MQTT_H
#define PANTAU_FEED_MQTT_H

#include "../config/schema.h"

struct mqtt_source_opts {
    char *username;
    char *password;
    char *client_id;
    int64_t keepalive;
};

extern const struct cfg_kind mqtt_source_kind;

#endif
