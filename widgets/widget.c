/* widgets/widget.c: the table of panel kinds and helpers shared by widgets.
 * Render thread only. */
#include "widget.h"
#include "alarms.h"
#include "breakdown.h"
#include "counter.h"
#include "list.h"
#include "clock.h"
#include "gauge.h"
#include "lamp.h"
#include "sparkline.h"
#include "table.h"
#include "text.h"
#include "number.h"
#include "video.h"

#include <math.h>
#include <stdlib.h>

/* One line per kind. */
const struct cfg_kind *const cfg_panel_kinds[] = {
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

const struct widget_ops *widget_ops_of(const struct cfg_kind *kind)
{
    return kind->impl;
}

bool widget_poll_source(struct panel *p)
{
    if (!p->source) {
        return false;
    }
    /* info_seq holds seq + 1, so 0 means "never read". */
    uint64_t seq = scene_source_seq(p->source);
    if (p->info_seq == seq + 1) {
        return false;
    }
    scene_source_get(p->source, &p->info);
    p->info_seq = p->info.seq + 1;
    return true;
}

void widget_free_priv(struct panel *p)
{
    free(p->priv);
    p->priv = NULL;
}

int widget_px(const struct draw_ctx *dc, double canvas_px)
{
    int v = (int)lround(canvas_px * dc->scale);
    return v < 1 ? 1 : v;
}
