/* widgets/clock.h: a clock/date label in the wall's locale and time zone. */
#ifndef PANTAU_WIDGET_CLOCK_H
#define PANTAU_WIDGET_CLOCK_H

#include "../config/schema.h"

#include <stdint.h>

struct clock_panel_opts {
    char *date;         /* second line format; empty: none */
    uint32_t color;
};

extern const struct cfg_kind clock_panel_kind;

#endif
