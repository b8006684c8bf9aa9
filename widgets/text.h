/* widgets/text.h: a panel of static text (headings, notes, phone numbers),
 * word-wrapped to the panel. */
#ifndef PANTAU_WIDGET_TEXT_H
#define PANTAU_WIDGET_TEXT_H

#include "../config/schema.h"

#include <stdbool.h>
#include <stdint.h>

enum text_panel_align { TEXT_PANEL_LEFT, TEXT_PANEL_CENTER, TEXT_PANEL_RIGHT };

struct text_panel_opts {
    int size;           /* font size in canvas pixels */
    bool bold;
    int align;          /* enum text_panel_align */
    uint32_t color;
};

extern const struct cfg_kind text_panel_kind;

#endif
