/* widgets/breakdown.h: horizontal bars of counts per group (complaints per
 * category, per district, per status), largest first, top N + others. */
#ifndef PANTAU_WIDGET_BREAKDOWN_H
#define PANTAU_WIDGET_BREAKDOWN_H

#include "../config/schema.h"

#include <stdint.h>

struct breakdown_opts {
    char *path;
    char *group_by;
    char *where;
    int top;
    uint32_t color;
    int64_t stale_after;
};

extern const struct cfg_kind breakdown_panel_kind;

#endif
