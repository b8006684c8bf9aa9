/* widgets/list.c: newest items, one line each: the first field in its own
 * column (usually the time), the others joined with " · " and cut with an
 * ellipsis. Pages turn every page_every when the items do not fit. Render
 * thread only. */
#include "list.h"
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
    { "path", CFG_STRING, CFG_OFF(list_opts, path), "$", .help = "Path to the list of items, e.g. $.items." },
    { "fields", CFG_STRING, CFG_OFF(list_opts, fields), NULL, .required = true,
      .help = "Members shown for each item, comma-separated, e.g. \"waktu,kecamatan,judul\"." },
    { "sort_by", CFG_STRING, CFG_OFF(list_opts, sort_by), "",
      .help = "Newest first by this member (ISO times sort right); empty: the order of the reply." },
    { "where", CFG_PAIRS, CFG_OFF(list_opts, where), "", .help = "Only items whose members have these values." },
    { "limit", CFG_INT, CFG_OFF(list_opts, limit), "10", 1, 200, .help = "How many of the newest items." },
    { "page_every", CFG_DURATION, CFG_OFF(list_opts, page_every), "8s", 1000, 3600000,
      .help = "When the items do not fit, show the next page after this long." },
    { "stale_after", CFG_DURATION, CFG_OFF(list_opts, stale_after), "5m", 1000, 604800000,
      .help = "Grey the list after this long without a successful poll." },
    { NULL },
};

#define MAX_ITEMS 200

struct list {
    int shown_page, shown_pages;    /* what draw showed last (the dump) */
    struct extract_spec spec;
    const struct scene_sub *sub;
    struct table_row rows[MAX_ITEMS];
    size_t n;
    uint64_t seq, more;
    int64_t page_second;
    int page;
};

static int create(struct panel *p)
{
    const struct list_opts *o = p->cfg->opts;
    struct list *l = xcalloc(1, sizeof(*l));
    l->spec.mode = EXTRACT_ITEMS;
    l->spec.path = o->path;
    l->spec.fields = o->fields;
    l->spec.sort_by = o->sort_by;
    l->spec.where = o->where;
    l->spec.limit = o->limit;
    if (p->source) {
        char key[1024];
        extract_spec_key(&l->spec, key, sizeof(key));
        l->sub = scene_sub_add_spec(p->source, &l->spec, o->path, key, true, MAX_ITEMS);
    }
    p->priv = l;
    return 0;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    struct list *l = p->priv;
    const struct list_opts *o = p->cfg->opts;
    bool changed = widget_poll_source(p);
    if (l->sub && scene_table_seq(l->sub->table) != l->seq) {
        l->seq = scene_table_seq(l->sub->table);
        l->n = scene_table_read(l->sub->table, l->rows, MAX_ITEMS, &l->more);
        changed = true;
    }
    int64_t slot = dc->wall_time / (o->page_every / 1000 > 0 ? o->page_every / 1000 : 1);
    if (slot != l->page_second) {
        /* The first slot seen starts on the first page (it used to turn
         * at once and start on the second). */
        l->page += l->page_second != 0;
        l->page_second = slot;
        changed = true;
    }
    return changed;
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    struct list *l = p->priv;
    const struct list_opts *o = p->cfg->opts;
    if (!l->seq) {
        status_draw_waiting(dc, box, &p->info, o->path, 0);
        return;
    }
    const struct table_row *items[MAX_ITEMS];
    size_t n = 0;
    const char *error = NULL;
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->rows[i].key, "\x7f") == 0) {
            error = l->rows[i].value.error;
        } else {
            items[n++] = &l->rows[i];
        }
    }
    bool offline = p->info.status != SOURCE_LIVE;
    int64_t data_ms = status_rows_time(l->rows, l->n);
    bool stale = offline || (data_ms > 0 && dc->now_ms - data_ms > o->stale_after);
    int pad = widget_px(dc, 8);
    int fs = widget_rows_px(dc, box.h - pad, (int)n + ((stale || error) ? 1 : 0));
    p->text_px = fs;
    int lh = text_line_height(dc->text, fs, false) + fs / 4;
    int per_page = (box.h - pad - ((stale || error) ? lh : 0)) / lh;
    if (per_page < 1) {
        per_page = 1;
    }
    int pages = ((int)n + per_page - 1) / per_page;
    int page = pages > 1 ? l->page % pages : 0;
    l->shown_page = page;
    l->shown_pages = pages;
    /* The first field's column fits the widest first field of the page (a
     * time "08:10" or a title), up to 45 % of the panel. */
    int first_w = widget_px(dc, 64);
    for (int i = page * per_page; i < (int)n && i < (page + 1) * per_page; i++) {
        const char *t = items[i]->value.text; // NOLINT(clang-analyzer-core.uninitialized.Assign): i < n, filled above
        size_t fl = strcspn(t, "\t");
        char first[96];
        snprintf(first, sizeof(first), "%.*s", (int)(fl < sizeof(first) - 1 ? fl : sizeof(first) - 1), t);
        if (fl >= 16 && first[4] == '-' && first[7] == '-' && first[10] == 'T' && first[13] == ':') {
            first[5 + 11] = '\0';
            memmove(first, first + 11, 6);
        }
        int fw, fh;
        text_measure(dc->text, first, fs, false, &fw, &fh);
        if (fw + pad + pad / 2 > first_w) {
            first_w = fw + pad + pad / 2;
        }
    }
    if (first_w > box.w * 45 / 100) {
        first_w = box.w * 45 / 100;
    }
    int y = box.y + pad / 2;
    uint32_t tc = stale ? COLOR_DIM_TEXT : COLOR_TEXT;
    for (int i = page * per_page; i < (int)n && i < (page + 1) * per_page; i++) {
        const char *t = items[i]->value.text; // NOLINT(clang-analyzer-core.uninitialized.Assign): i < n, filled above
        size_t fl = strcspn(t, "\t");
        char first[96], rest[256];
        snprintf(first, sizeof(first), "%.*s", (int)fl, t);
        /* An ISO timestamp of today's items reads better as HH:MM. */
        if (fl >= 16 && first[4] == '-' && first[7] == '-' && first[10] == 'T' && first[13] == ':') {
            memmove(first, first + 11, 5);
            first[5] = '\0';
        }
        /* the remaining fields joined with " · " */
        size_t len = 0;
        rest[0] = '\0';
        for (const char *q = t[fl] ? t + fl + 1 : t + fl; *q && len < sizeof(rest);) {
            size_t ql = strcspn(q, "\t");
            len += (size_t)snprintf(rest + len, sizeof(rest) - len, "%s%.*s", len ? " \xc2\xb7 " : "", (int)ql, q);
            q += ql + (q[ql] == '\t');
        }
        if (i % 2) {
            draw_fill(dc->r, (SDL_Rect){ box.x, y, box.w, lh }, 0x1b222bff);
        }
        text_draw(dc->text, first, fs, false, COLOR_DIM_TEXT, box.x + pad, y, first_w - pad, TEXT_LEFT);
        text_draw(dc->text, rest, fs, false, tc, box.x + first_w + pad / 2, y, box.w - first_w - 2 * pad, TEXT_LEFT);
        y += lh;
    }
    if (pages > 1) {
        char pg[32];
        snprintf(pg, sizeof(pg), "%d/%d", page + 1, pages);
        text_draw_chars(dc->text, pg, fs - 2, false, COLOR_DIM_TEXT, box.x + pad, box.y + box.h - lh, box.w - 2 * pad,
                        TEXT_RIGHT);
    }
    status_draw_footer(dc, (SDL_Rect){ box.x + pad, box.y + box.h - lh, box.w / 2, lh }, &p->info, error,
                       data_ms, o->stale_after, fs);
}

static void describe(struct panel *p, void *obj)
{
    struct list *l = p->priv;
    cJSON *items = cJSON_AddArrayToObject(obj, "items");
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->rows[i].key, "\x7f") == 0) {
            cJSON_AddStringToObject(obj, "error", l->rows[i].value.error);
            continue;
        }
        cJSON *fields = cJSON_CreateArray();
        const char *t = l->rows[i].value.text;
        while (*t) {
            size_t fl = strcspn(t, "\t");
            char f[192];
            snprintf(f, sizeof(f), "%.*s", (int)fl, t);
            cJSON_AddItemToArray(fields, cJSON_CreateString(f));
            t += fl + (t[fl] == '\t');
        }
        cJSON_AddItemToArray(items, fields);
    }
    cJSON_AddBoolToObject(obj, "offline", p->info.status != SOURCE_LIVE);
    int64_t data_ms = status_rows_time(l->rows, l->n);
    const struct list_opts *o = p->cfg->opts;
    cJSON_AddNumberToObject(obj, "page", l->shown_page);
    cJSON_AddNumberToObject(obj, "pages", l->shown_pages);
    cJSON_AddBoolToObject(obj, "stale", data_ms > 0 && now_ms() - data_ms > o->stale_after);
}


static const struct widget_ops ops = {
    .kind = "list", .create = create, .update = update, .draw = draw, .destroy = widget_free_priv,
    .describe = describe,
};

const struct cfg_kind list_panel_kind = {
    .name = "list",
    .value_help = "the name of an http source defined under sources.",
    .value_type = CFG_STRING,
    .source_kind = "http",
    .keys = keys,
    .opts_size = sizeof(struct list_opts),
    .impl = &ops,
};
