/* widgets/alarms.c: the alarm ticker. Render thread only. Clicking it asks
 * to acknowledge every alarm, a second click does it; see app/input.c. */
#include "alarms.h"
#include "draw.h"
#include "widget.h"
#include "../core/alarms.h"
#include "../core/i18n.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

static const struct cfg_key keys[] = {
    { NULL },
};

struct ticker {
    uint64_t seq;
    const struct alarm_list *list; /* the wall's, seen at the last update (for describe) */
};

static int create(struct panel *p)
{
    p->priv = calloc(1, sizeof(struct ticker));
    return p->priv ? 0 : -1;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    struct ticker *t = p->priv;
    t->list = dc->alarms;
    if (dc->alarms && dc->alarms->seq != t->seq) {
        t->seq = dc->alarms->seq;
        return true;
    }
    return false;
}

/* What a line's colour means, said in words on the line itself. */
static enum tr_id state_word(const struct alarm *a)
{
    return a->acked ? TR_ALARM_ACKED : a->active ? TR_ALARM_ACTIVE : TR_ALARM_ENDED;
}

static uint32_t state_colour(const struct alarm *a)
{
    /* red: active, not acknowledged; amber: over, not acknowledged;
     * grey: acknowledged, still active */
    return a->acked ? COLOR_OFF : a->active ? COLOR_ALARM : COLOR_WARN;
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    const struct alarm_list *l = dc->alarms;
    int pad = widget_px(dc, 8);
    const char *note0 = p->cfg->value;
    /* At least 4 rows' worth, so one alarm is not a giant line. */
    int rows = (l && l->n > 4 ? (int)l->n : 4) + (note0 && note0[0] ? 1 : 0);
    int fs = widget_rows_px(dc, box.h - pad, rows);
    p->text_px = fs;
    int lh = text_line_height(dc->text, fs, false) + fs / 5;
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
    int time_w = text_width_chars(dc->text, "00:00:00", fs, false) + pad;
    int state_w = 0; /* the widest state word, so the labels line up */
    for (int id = TR_ALARM_ACTIVE; id <= TR_ALARM_ACKED; id++) {
        int tw, th;
        text_measure(dc->text, tr(dc->locale, (enum tr_id)id), fs, true, &tw, &th);
        state_w = tw > state_w ? tw : state_w;
    }
    state_w += widget_px(dc, 10);
    int x0 = box.x + pad + widget_px(dc, 4);
    for (size_t i = 0; i < l->n && y + lh <= box.y + box.h; i++) {
        const struct alarm *a = &l->items[i];
        uint32_t col = state_colour(a);
        draw_fill(dc->r, (SDL_Rect){ box.x + pad / 2, y + 2, widget_px(dc, 4), lh - 4 }, col);
        char when[16];
        i18n_format_time(dc->locale, "%H:%M:%S", a->since, when, sizeof(when));
        text_draw_chars(dc->text, when, fs, false, COLOR_DIM_TEXT, x0, y, 0, TEXT_LEFT);
        text_draw(dc->text, tr(dc->locale, state_word(a)), fs, true, col, x0 + time_w, y, state_w, TEXT_LEFT);
        char line[256];
        snprintf(line, sizeof(line), "%s \xc2\xb7 %s", a->label, a->value);
        int lx = x0 + time_w + state_w;
        text_draw(dc->text, line, fs, !a->acked, a->acked ? COLOR_DIM_TEXT : COLOR_TEXT, lx, y,
                  box.x + box.w - pad - lx, TEXT_LEFT);
        y += lh;
    }
}


/* The lines as drawn (--dump-scene): state word (English), label, value. */
static void describe(struct panel *p, void *cjson_object)
{
    const struct ticker *t = p->priv;
    cJSON *lines = cJSON_AddArrayToObject(cjson_object, "lines");
    const struct alarm_list *l = t ? t->list : NULL;
    for (size_t i = 0; l && i < l->n; i++) {
        const struct alarm *a = &l->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "state", tr(0, state_word(a)));
        cJSON_AddStringToObject(o, "label", a->label);
        cJSON_AddStringToObject(o, "value", a->value);
        cJSON_AddItemToArray(lines, o);
    }
}

static const struct widget_ops ops = {
    .kind = "alarms", .create = create, .update = update, .draw = draw, .destroy = widget_free_priv,
    .describe = describe, .click_acks_all = true,
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
