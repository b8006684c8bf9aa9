/* widgets/clock.c: time (and date) sized to fill the panel. Render thread. */
#include "clock.h"
#include "draw.h"
#include "widget.h"
#include "../core/i18n.h"
#include "../core/util.h"

#include <stdlib.h>

static const struct cfg_key keys[] = {
    { "date", CFG_STRING, CFG_OFF(clock_panel_opts, date), "%A, %e %B %Y",
      .help = "Format of the date line under the time (%A day, %e day of month, %B month, %Y "
              "year); empty hides it." },
    { "color", CFG_COLOR, CFG_OFF(clock_panel_opts, color), "#e8edf2",
      .help = "Colour of the time." },
    { NULL },
};

struct clock_state {
    int64_t shown;  /* wall time last drawn */
};

static int create(struct panel *p)
{
    p->priv = xcalloc(1, sizeof(struct clock_state));
    ((struct clock_state *)p->priv)->shown = -1;
    return 0;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    struct clock_state *st = p->priv;
    return st->shown != dc->wall_time;
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    const struct clock_panel_opts *o = p->cfg->opts;
    struct clock_state *st = p->priv;
    st->shown = dc->wall_time;
    char timebuf[64], datebuf[96];
    i18n_format_time(dc->locale, p->cfg->value, dc->wall_time, timebuf, sizeof(timebuf));
    i18n_format_time(dc->locale, o->date, dc->wall_time, datebuf, sizeof(datebuf));
    bool has_date = datebuf[0] != '\0';
    /* Font size from the box: the time takes ~55% of the height, capped by
     * width (about 0.62 em per character for DejaVu digits). */
    int len = 0;
    for (const char *c = timebuf; *c; c++) {
        len += ((*c & 0xc0) != 0x80);
    }
    int size = (int)(box.h * (has_date ? 0.45 : 0.6));
    int by_w = (int)(box.w * 0.9 / (0.64 * (len ? len : 1)));
    if (by_w < size) {
        size = by_w;
    }
    int dsize = size / 3 > 8 ? size / 3 : 8;
    int lh = text_line_height(dc->text, size, true);
    int dlh = has_date ? text_line_height(dc->text, dsize, false) : 0;
    if (has_date && lh + dlh > box.h) {
        has_date = false; /* no room under the time: the date goes, nothing overlaps */
        dlh = 0;
    }
    int y = box.y + (box.h - lh - dlh) / 2;
    text_draw_chars(dc->text, timebuf, size, true, o->color, box.x, y, box.w, TEXT_CENTER);
    if (has_date) {
        text_draw(dc->text, datebuf, dsize, false, COLOR_DIM_TEXT, box.x + 4, y + lh, box.w - 8,
                  TEXT_CENTER);
    }
}


static const struct widget_ops ops = {
    .kind = "clock",
    .create = create,
    .update = update,
    .draw = draw,
    .destroy = widget_free_priv,
};

const struct cfg_kind clock_panel_kind = {
    .name = "clock",
    .value_help = "the time format (%H hours, %M minutes, %S seconds; %A, %B names in the locale).",
    .value_type = CFG_STRING,
    .value_optional = true,
    .value_def = "%H:%M:%S",
    .keys = keys,
    .opts_size = sizeof(struct clock_panel_opts),
    .impl = &ops,
};
