/* widgets/sparkline.h: the last minutes of one sensor value as a line. */
#ifndef PANTAU_WIDGET_SPARKLINE_H
#define PANTAU_WIDGET_SPARKLINE_H

#include "reading.h"

struct sparkline_opts {
    struct reading_cfg r;
    int64_t span;
};

extern const struct cfg_kind sparkline_panel_kind;

#endif
