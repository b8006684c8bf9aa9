/* widgets/table.h: one row per topic matching a wildcard filter, e.g.
 * parkir/+/occupancy lists every car park: name, value, age, state. */
#ifndef PANTAU_WIDGET_TABLE_H
#define PANTAU_WIDGET_TABLE_H

#include "reading.h"

struct table_opts {
    struct reading_cfg r;
    int rows;
};

extern const struct cfg_kind table_panel_kind;

#endif
