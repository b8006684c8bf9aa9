/* widgets/list.h: the newest items of a JSON list (latest complaints: time,
 * district, title), paged when they do not fit. */
#ifndef PANTAU_WIDGET_LIST_H
#define PANTAU_WIDGET_LIST_H

#include "../config/schema.h"

#include <stdint.h>

struct list_opts {
    char *path;
    char *fields;
    char *sort_by;
    char *where;
    int limit;
    int64_t page_every;
    int64_t stale_after;
};

extern const struct cfg_kind list_panel_kind;

#endif
