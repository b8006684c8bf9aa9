/* feeds/payload.h: turns a message payload (MQTT message, HTTP body) into a
 * slot value: a plain number, a boolean word, a text state, or the value at
 * a small JSON path such as $.sensors[0].level_cm. Pure functions; any
 * thread. Bad input is an error with a short reason, never a crash. */
#ifndef PANTAU_PAYLOAD_H
#define PANTAU_PAYLOAD_H

#include "../core/scene.h"

#include <stddef.h>

/* Larger payloads are refused: a sensor value is a few bytes, a complaint
 * summary a few kilobytes. */
#define PAYLOAD_MAX ((size_t)256 * 1024)

struct payload_path;

/* Compiles "$.a.b[0]" (the "$." is optional; "" or "$" means the whole
 * payload). NULL with a reason in err when malformed. */
struct payload_path *payload_path_compile(const char *expr, char *err, size_t errlen);
void payload_path_free(struct payload_path *p);
/* True when the path is the whole payload. */
bool payload_path_is_root(const struct payload_path *p);

/* True when data is non-empty valid UTF-8 without NUL bytes (a command or
 * acknowledgement payload). */
bool payload_is_text(const char *data, size_t len);

/* Extracts the value; on success fills out (type, num, text; time_ms is
 * left to the caller) and returns 0. On failure returns -1 and writes a
 * reason such as "not valid UTF-8" or "$.level: missing" into err. */
int payload_extract(const char *data, size_t len, const struct payload_path *path,
                    struct slot_value *out, char *err, size_t errlen);

/* The node at path in a parsed document (a cJSON *), or NULL with a
 * reason ("$.a.b: missing in the payload"). */
/* The member key of a JSON object (a cJSON *), the last one when the key
 * is given twice; NULL when absent or obj is no object. */
const void *payload_member(const void *obj, const char *key);
const void *payload_walk(const void *cjson_root, const struct payload_path *path, char *err, size_t errlen);
/* A JSON scalar node -> value; -1 with a reason for objects, lists, null. */
int payload_from_json(const void *cjson_node, const struct payload_path *path, struct slot_value *out,
                      char *err, size_t errlen);

#endif
