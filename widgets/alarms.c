/* widgets/alarms.c: the alarm ticker. Render thread only. Clicking it asks
 * to acknowledge every alarm, a second click does it; see app/input.c. */
#include "alarms.h"
#include "draw.h"
#include "widget.h"
#include "../core/alarms.h"
#include "../core/i18n.h"

#include <stdio.h>
#include <stdlib.h>

static const struct cfg_key keys[] = {
    { NULL },
};

struct ticker {
    uint64_t seq;
};

static int create(struct panel *p)
{
    p->priv = calloc(1, sizeof(struct ticker));
    return p->priv ? 0 : -1;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    struct ticker *t = p->priv;
    if (dc->alarms && dc->alarms->seq != t->seq) {
        t->seq = dc->alarms->seq;
        return true;
    }
    return false;
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    const struct alarm_list *l = dc->alarms;
    int fs = widget_px(dc, 15);
    int lh = text_line_height(dc->text, fs, false) + widget_px(dc, 3);
    int pad = widget_px(dc, 8);
    const char *note = p->cfg->value;
    if (note && note[0] && box.h >= 3 * lh) {
        /* The note (e.g. whom to call) keeps the bottom line, whatever the list. */
        box.h -= lh;
        draw_fill(dc->r, (SDL_Rect){ box.x, box.y + box.h, box.w, 1 }, COLOR_OFF);
        text_draw(dc->text, note, fs, false, COLOR_DIM_TEXT, box.x + pad, box.y + box.h + widget_px(dc, 2),
                  box.w - 2 * pad, TEXT_LEFT);
    }
    if (!l || l->n == 0) {
        text_draw(dc->text, tr(dc->locale, TR_NO_ALARMS), fs, false, COLOR_DIM_TEXT,
                  box.x + pad, box.y + (box.h - lh) / 2, box.w - 2 * pad, TEXT_CENTER);
        return;
    }
    int y = box.y + pad / 2;
    int time_w = widget_px(dc, 80);
    for (size_t i = 0; i < l->n && y + lh <= box.y + box.h; i++) {
        const struct alarm *a = &l->items[i];
        /* red: active, not acknowledged; amber: over, not acknowledged;
         * grey: acknowledged, still active */
        uint32_t col = a->acked ? COLOR_OFF : a->active ? COLOR_ALARM : COLOR_WARN;
        draw_fill(dc->r, (SDL_Rect){ box.x + pad / 2, y + 2, widget_px(dc, 4), lh - 4 }, col);
        char when[16];
        i18n_format_time(dc->locale, "%H:%M:%S", a->since, when, sizeof(when));
        text_draw_chars(dc->text, when, fs, false, COLOR_DIM_TEXT, box.x + pad + widget_px(dc, 4), y, 0, TEXT_LEFT);
        char line[256];
        snprintf(line, sizeof(line), "%s \xc2\xb7 %s", a->label, a->value);
        text_draw(dc->text, line, fs, !a->acked, a->acked ? COLOR_DIM_TEXT : COLOR_TEXT,
                  box.x + pad + widget_px(dc, 4) + time_w, y, box.w - 2 * pad - time_w - widget_px(dc, 4), TEXT_LEFT);
        y += lh;
    }
}


static const struct widget_ops ops = {
    .kind = "alarms", .create = create, .update = update, .draw = draw, .destroy = widget_free_priv,
    .click_acks_all = true,
};

const struct cfg_kind alarms_panel_kind = {
    .name = "alarms",
    .value_help = "leave empty (alarms: {}) or give a note shown on its bottom line (e.g. whom to call); the ticker lists every panel's alarms.",
    .value_type = CFG_STRING,
    .value_optional = true,
    .value_def = "",
    .keys = keys,
    .opts_size = sizeof(struct alarms_opts),
    .impl = &ops,
};
