/* feeds/extract.h: what a panel wants from a JSON document fetched over
 * HTTP: a value at a path, the count of a list (optionally filtered), the
 * counts per group of a list (breakdowns), or the newest items of a list
 * (tickers). Pure functions over cJSON trees; any thread. */
#ifndef PANTAU_EXTRACT_H
#define PANTAU_EXTRACT_H

#include "../core/scene.h"
#include "payload.h"

enum extract_mode {
    EXTRACT_VALUE,      /* the value at path -> slot */
    EXTRACT_COUNT,      /* items of the list at path matching where -> slot */
    EXTRACT_GROUPS,     /* matching items counted per group_by -> table (key: group) */
    EXTRACT_ITEMS,      /* newest `limit` matching items, fields joined -> table (key: 0000, 0001...) */
};

struct extract_spec {
    enum extract_mode mode;
    const char *path;       /* "$.data" etc.; "" the document */
    const char *where;      /* "name=value\n..." (config CFG_PAIRS); "" none */
    const char *group_by;   /* EXTRACT_GROUPS: the member naming the group */
    const char *fields;     /* EXTRACT_ITEMS: members to show, comma-separated */
    const char *sort_by;    /* EXTRACT_ITEMS: newest first by this member; "" document order */
    int limit;              /* EXTRACT_ITEMS: how many */
    bool want_number;       /* EXTRACT_VALUE: anything but a number is an error */
    bool want_count;        /* EXTRACT_VALUE: a whole number from 0 to 10^15 (counters) */
};

/* Writes into out a text that names what spec extracts (mode, path and
 * every option): two specs with the same key give the same values. */
void extract_spec_key(const struct extract_spec *spec, char *out, size_t outlen);

/* Evaluates spec on a parsed document (a cJSON *). VALUE/COUNT fill *out;
 * GROUPS/ITEMS fill rows (at most max) and *n_rows. Returns 0, or -1 with
 * a reason in err ("$.data: expected a list, got an object"). */
int extract_eval(const void *cjson_root, const struct extract_spec *spec, struct payload_path *path,
                 struct slot_value *out, struct table_row *rows, size_t max, size_t *n_rows, char *err,
                 size_t errlen);

#endif
