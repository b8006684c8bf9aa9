/* widgets/lamp.h: an on/off or state lamp (generator running, UPS on
 * battery, gate open). */
#ifndef PANTAU_WIDGET_LAMP_H
#define PANTAU_WIDGET_LAMP_H

#include "reading.h"

struct lamp_opts {
    struct reading_cfg r;
    char *on_state;         /* a text payload equal to this counts as on */
    char *on_text, *off_text;
    uint32_t on_color, off_color;
    bool alarm_on;          /* raise an alarm while the lamp is on */
    bool alarm_off;         /* ... or while it is off */
};

extern const struct cfg_kind lamp_panel_kind;

#endif
