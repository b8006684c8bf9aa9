/* feeds/mqtt.c: config schema of MQTT broker sources. The Paho MQTTAsync
 * feed plugs in through .impl. */
#include "mqtt.h"

#include <stddef.h>

static const struct cfg_key keys[] = {
    { "username", CFG_STRING, CFG_OFF(mqtt_source_opts, username), "", .help = "Broker user name." },
    { "password", CFG_SECRET, CFG_OFF(mqtt_source_opts, password), "", .help = "Broker password." },
    { "client_id", CFG_STRING, CFG_OFF(mqtt_source_opts, client_id), "",
      .help = "MQTT client id; empty: pantau-<host>-<pid>." },
    { "keepalive", CFG_DURATION, CFG_OFF(mqtt_source_opts, keepalive), "30s", 1000, 3600000,
      .help = "MQTT keepalive interval." },
    { NULL },
};

const struct cfg_kind mqtt_source_kind = {
    .name = "mqtt",
    .value_help = "the broker URL, mqtt://host:1883 or mqtts://host:8883.",
    .value_type = CFG_URL,
    .keys = keys,
    .opts_size = sizeof(struct mqtt_source_opts),
    .impl = NULL,
};
