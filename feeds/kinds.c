/* feeds/kinds.c: the table of source kinds. Adding a feed kind is one line
 * here (and its file pair). Any thread (read-only). */
#include "feed.h"
#include "http.h"
#include "mqtt.h"
#include "video.h"

/* One line per kind. */
const struct cfg_kind *const feed_kinds[] = {
    &video_source_kind,
    &mqtt_source_kind,
    &http_source_kind,
    NULL,
};
