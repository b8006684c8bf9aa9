/* widgets/number.h: one sensor value as a big number with unit and a trend
 * arrow. */
#ifndef PANTAU_WIDGET_NUMBER_H
#define PANTAU_WIDGET_NUMBER_H

#include "reading.h"

struct number_opts {
    struct reading_cfg r;
    int64_t trend;  /* compare with the value this long ago */
};

extern const struct cfg_kind number_panel_kind;

#endif
