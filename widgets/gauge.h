/* widgets/gauge.h: one sensor value as a radial or bar gauge with its
 * warning and alarm bands. */
#ifndef PANTAU_WIDGET_GAUGE_H
#define PANTAU_WIDGET_GAUGE_H

#include "reading.h"

struct gauge_opts {
    struct reading_cfg r;
    int style;      /* 0 radial, 1 bar */
};

extern const struct cfg_kind gauge_panel_kind;

#endif
