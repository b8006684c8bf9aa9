/* widgets/kinds.c: the table of panel kinds. Adding a widget kind is one
 * line here (and its file pair). Any thread (read-only). */
#include "widget.h"
#include "alarms.h"
#include "breakdown.h"
#include "clock.h"
#include "counter.h"
#include "gauge.h"
#include "lamp.h"
#include "list.h"
#include "number.h"
#include "sparkline.h"
#include "table.h"
#include "text.h"
#include "video.h"

/* One line per kind. */
const struct cfg_kind *const widget_kinds[] = {
    &text_panel_kind,
    &clock_panel_kind,
    &video_panel_kind,
    &gauge_panel_kind,
    &number_panel_kind,
    &sparkline_panel_kind,
    &lamp_panel_kind,
    &table_panel_kind,
    &alarms_panel_kind,
    &counter_panel_kind,
    &breakdown_panel_kind,
    &list_panel_kind,
    NULL,
};
