/* widgets/widget.c: helpers shared by widgets (the kinds table is kinds.c).
 * Render thread only. */
#include "widget.h"

#include <math.h>
#include <stdlib.h>

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

int widget_rows_px(const struct draw_ctx *dc, int h, int n)
{
    int lo = widget_px(dc, WIDGET_TEXT_MIN), hi = widget_px(dc, WIDGET_TEXT_MAX);
    /* A row is about 1.45 times its text size (line height and padding). */
    int fs = n > 0 ? (int)((double)h / ((double)n * 1.45)) : hi;
    return fs < lo ? lo : fs > hi ? hi : fs;
}

int widget_px(const struct draw_ctx *dc, double canvas_px)
{
    int v = (int)lround(canvas_px * dc->scale);
    return v < 1 ? 1 : v;
}
