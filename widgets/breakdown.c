/* widgets/breakdown.c: bars per group. Render thread only. */
#include "breakdown.h"
#include "draw.h"
#include "status.h"
#include "widget.h"
#include "../core/i18n.h"
#include "../core/util.h"
#include "../feeds/extract.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const struct cfg_key keys[] = {
    { "path", CFG_STRING, CFG_OFF(breakdown_opts, path), "$", .help = "Path to the list of items, e.g. $.items." },
    { "group_by", CFG_STRING, CFG_OFF(breakdown_opts, group_by), NULL, .required = true,
      .help = "Member of each item naming its group, e.g. kategori or kecamatan." },
    { "where", CFG_PAIRS, CFG_OFF(breakdown_opts, where), "",
      .help = "Only items whose members have these values, e.g. { status: \"diterima\" }." },
    { "top", CFG_INT, CFG_OFF(breakdown_opts, top), "6", 1, 50,
      .help = "Groups shown; the rest are summed as \"others\"." },
    { "color", CFG_COLOR, CFG_OFF(breakdown_opts, color), "#4fc3f7", .help = "Bar colour." },
    { "stale_after", CFG_DURATION, CFG_OFF(breakdown_opts, stale_after), "5m", 1000, 604800000,
      .help = "Grey the bars after this long without a successful poll." },
    { NULL },
};

#define MAX_GROUPS 256

struct breakdown {
    struct extract_spec spec;
    const struct scene_sub *sub;
    struct table_row rows[MAX_GROUPS];
    size_t n;
    uint64_t seq, more;
    int bar_end, num_x;         /* last drawn: where a bar ends, where counts start (tests) */
};

static int create(struct panel *p)
{
    const struct breakdown_opts *o = p->cfg->opts;
    struct breakdown *b = xcalloc(1, sizeof(*b));
    b->spec.mode = EXTRACT_GROUPS;
    b->spec.path = o->path;
    b->spec.group_by = o->group_by;
    b->spec.where = o->where;
    if (p->source) {
        char key[1024];
        extract_spec_key(&b->spec, key, sizeof(key));
        b->sub = scene_sub_add_spec(p->source, &b->spec, o->path, key, true, MAX_GROUPS);
    }
    p->priv = b;
    return 0;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    (void)dc;
    struct breakdown *b = p->priv;
    bool changed = widget_poll_source(p);
    if (b->sub && scene_table_seq(b->sub->table) != b->seq) {
        b->seq = scene_table_seq(b->sub->table);
        b->n = scene_table_read(b->sub->table, b->rows, MAX_GROUPS, &b->more);
        changed = true;
    }
    return changed;
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    struct breakdown *b = p->priv;
    const struct breakdown_opts *o = p->cfg->opts;
    if (!b->seq) {
        status_draw_waiting(dc, box, &p->info, o->path, 0);
        return;
    }
    /* Rows come sorted by count (largest first); error rows are skipped. */
    const struct table_row *shown[MAX_GROUPS];
    size_t n = 0;
    double others = 0, max = 1;
    const char *error = NULL;
    for (size_t i = 0; i < b->n; i++) {
        if (strcmp(b->rows[i].key, "\x7f") == 0) {
            error = b->rows[i].value.error;
            continue;
        }
        if (n < (size_t)o->top) {
            shown[n++] = &b->rows[i];
            max = b->rows[i].value.num > max ? b->rows[i].value.num : max;
        } else {
            others += b->rows[i].value.num;
        }
    }
    bool offline = p->info.status != SOURCE_LIVE;
    int64_t data_ms = status_rows_time(b->rows, b->n);
    bool stale = offline || (data_ms > 0 && dc->now_ms - data_ms > o->stale_after);
    int pad = widget_px(dc, 8);
    int fs = widget_rows_px(dc, box.h - pad, (int)n + (others > 0) + ((stale || error) ? 1 : 0));
    /* The count column fits the widest count (100.000 items must not run
     * into their bar); text grown for the room shrinks back (not under
     * the minimum) while the counts would take over a third of the width. */
    int num_w = 0, lo = widget_px(dc, WIDGET_TEXT_MIN);
    for (;;) {
        num_w = widget_px(dc, 40);
        for (size_t i = 0; i <= n; i++) {
            double v = i < n ? shown[i]->value.num : others;
            char num[32];
            i18n_format_number(dc->locale, v, 0, num, sizeof(num));
            int w = text_width_chars(dc->text, num, fs, true);
            num_w = w > num_w ? w : num_w;
        }
        if (num_w <= box.w / 3 || fs <= lo) {
            break;
        }
        fs = fs * 9 / 10 > lo ? fs * 9 / 10 : lo;
    }
    p->text_px = fs;
    int lh = text_line_height(dc->text, fs, false) + fs / 4;
    /* The bar keeps at least a fifth of the width; the labels give way. */
    int label_w = box.w * 40 / 100;
    if (label_w > box.w - num_w - 4 * pad - box.w / 5) {
        label_w = box.w - num_w - 4 * pad - box.w / 5;
    }
    if (label_w < 0) {
        label_w = 0;
    }
    int bar_w = box.w - label_w - num_w - 4 * pad;
    if (bar_w < 0) {
        bar_w = 0;
    }
    int y = box.y + pad / 2;
    int max_lines = (box.h - pad) / lh;
    uint32_t color = stale ? COLOR_OFF : o->color;
    for (size_t i = 0; i <= n && (int)(y - box.y) / lh < max_lines - (stale || error ? 1 : 0); i++) {
        const char *label;
        double v;
        char other_label[32];
        if (i < n) {
            label = shown[i]->key;
            v = shown[i]->value.num;
        } else if (others > 0) {
            snprintf(other_label, sizeof(other_label), "%s", tr(dc->locale, TR_OTHERS));
            label = other_label;
            v = others;
        } else {
            break;
        }
        text_draw(dc->text, label, fs, false, stale ? COLOR_DIM_TEXT : COLOR_TEXT, box.x + pad, y, label_w, TEXT_LEFT);
        int w = (int)((double)bar_w * (v > max ? 1.0 : v / max));
        draw_fill(dc->r, (SDL_Rect){ box.x + 2 * pad + label_w, y + lh / 5, w > 1 ? w : 1, lh * 3 / 5 }, color);
        b->bar_end = box.x + 2 * pad + label_w + (w > 1 ? w : 1);
        b->num_x = box.x + box.w - pad - num_w;
        char num[32];
        i18n_format_number(dc->locale, v, 0, num, sizeof(num));
        text_draw_chars(dc->text, num, fs, true, stale ? COLOR_DIM_TEXT : COLOR_TEXT, box.x + box.w - pad - num_w, y,
                        num_w, TEXT_RIGHT);
        y += lh;
    }
    status_draw_footer(dc, (SDL_Rect){ box.x + pad, box.y + box.h - lh, box.w - 2 * pad, lh }, &p->info, error, data_ms,
                       o->stale_after, fs);
}

static void describe(struct panel *p, void *obj)
{
    struct breakdown *b = p->priv;
    const struct breakdown_opts *o = p->cfg->opts;
    cJSON *groups = cJSON_AddArrayToObject(obj, "groups");
    cJSON_AddNumberToObject(obj, "bar_end", b->bar_end);
    cJSON_AddNumberToObject(obj, "num_x", b->num_x);
    /* what the panel shows: the top groups, then "others" */
    int shown = 0;
    double others = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (strcmp(b->rows[i].key, "\x7f") == 0) {
            cJSON_AddStringToObject(obj, "error", b->rows[i].value.error);
            continue;
        }
        if (shown == o->top) {
            others += b->rows[i].value.num;
            continue;
        }
        cJSON *g = cJSON_CreateObject();
        cJSON_AddStringToObject(g, "name", b->rows[i].key);
        cJSON_AddNumberToObject(g, "count", b->rows[i].value.num);
        cJSON_AddItemToArray(groups, g);
        shown++;
    }
    cJSON_AddNumberToObject(obj, "others", others);
    cJSON_AddBoolToObject(obj, "offline", p->info.status != SOURCE_LIVE);
    int64_t data_ms = status_rows_time(b->rows, b->n);
    cJSON_AddBoolToObject(obj, "stale", data_ms > 0 && now_ms() - data_ms > o->stale_after);
}


static const struct widget_ops ops = {
    .kind = "breakdown", .create = create, .update = update, .draw = draw, .destroy = widget_free_priv,
    .describe = describe,
};

const struct cfg_kind breakdown_panel_kind = {
    .name = "breakdown",
    .value_help = "the name of an http source defined under sources.",
    .value_type = CFG_STRING,
    .source_kind = "http",
    .keys = keys,
    .opts_size = sizeof(struct breakdown_opts),
    .impl = &ops,
};
