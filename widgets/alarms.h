/* widgets/alarms.h: the alarm ticker: active and recent alarms of the
 * whole wall, newest first, until acknowledged. */
#ifndef PANTAU_WIDGET_ALARMS_H
#define PANTAU_WIDGET_ALARMS_H

#include "../config/schema.h"

struct alarms_opts {
    int unused;
};

extern const struct cfg_kind alarms_panel_kind;

#endif
