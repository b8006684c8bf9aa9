/* widgets/counter.c: big total + today + since last poll. Render thread
 * (counter_track_* are pure). */
#include "counter.h"
#include "draw.h"
#include "status.h"
#include "widget.h"
#include "../core/i18n.h"
#include "../core/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct cfg_key keys[] = {
    { "value", CFG_STRING, CFG_OFF(counter_opts, value), "",
      .help = "Path to the total in the reply, e.g. $.total (or use count)." },
    { "count", CFG_STRING, CFG_OFF(counter_opts, count), "",
      .help = "Path to a list in the reply; the total is how many items it has (matching where)." },
    { "where", CFG_PAIRS, CFG_OFF(counter_opts, where), "",
      .help = "With count: only items whose members have these values, e.g. { status: \"selesai\" }." },
    { "today", CFG_STRING, CFG_OFF(counter_opts, today), "",
      .help = "Path to today's number when the API gives it; empty: the change since local midnight "
              "(timezone), counted from the values Pantau saw." },
    { "unit", CFG_STRING, CFG_OFF(counter_opts, unit), "", .help = "Unit under the total." },
    { "target", CFG_DOUBLE, CFG_OFF(counter_opts, target), "", .allow_empty = true,
      .help = "The total turns green once it reaches this (e.g. permits issued today)." },
    { "limit", CFG_DOUBLE, CFG_OFF(counter_opts, limit), "", .allow_empty = true,
      .help = "The total turns red above this (e.g. open complaints); a colour only, no alarm." },
    { "stale_after", CFG_DURATION, CFG_OFF(counter_opts, stale_after), "5m", 1000, 604800000,
      .help = "Grey the total, with its age, after this long without a successful poll." },
    { NULL },
};

static int local_day(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void counter_track_push(struct counter_track *c, double v, int64_t wall_time)
{
    int d = local_day(wall_time);
    if (!c->have) {
        c->have = true;
        c->day = d;
        c->base = v;
        c->last = v;
        return;
    }
    c->prev = c->last;
    c->have_prev = true;
    if (d != c->day) {
        /* Midnight passed: yesterday's last value is today's start. */
        c->day = d;
        c->base = c->last;
    }
    c->last = v;
}

double counter_track_today(const struct counter_track *c)
{
    return c->have ? c->last - c->base : 0;
}

double counter_track_today_at(const struct counter_track *c, int64_t wall_time)
{
    /* Nothing arrived yet today (source down since before midnight). */
    return c->have && local_day(wall_time) == c->day ? c->last - c->base : 0;
}

double counter_track_delta(const struct counter_track *c)
{
    return c->have_prev ? c->last - c->prev : 0;
}

struct counter {
    struct extract_spec spec, today_spec;
    const struct scene_sub *sub, *today_sub;
    struct slot_value v, tv;
    uint64_t seq, tseq;
    int64_t last_time;          /* time_ms of the value last pushed */
    int64_t updated_wall;       /* wall clock of the last successful poll */
    struct counter_track track;
    int64_t shown_second;
};

static int check(const void *opts, char *err, size_t errlen)
{
    const struct counter_opts *o = opts;
    if (!o->value[0] == !o->count[0]) {
        snprintf(err, errlen, "a counter needs exactly one of value: (a number) or count: (a list to count)");
        return -1;
    }
    if (o->where[0] && !o->count[0]) {
        snprintf(err, errlen, "where: filters the items of count:; set count: too");
        return -1;
    }
    return 0;
}

static int create(struct panel *p)
{
    const struct counter_opts *o = p->cfg->opts;
    struct counter *c = xcalloc(1, sizeof(*c));
    c->shown_second = -1;
    c->spec.mode = o->count[0] ? EXTRACT_COUNT : EXTRACT_VALUE;
    c->spec.path = o->count[0] ? o->count : o->value;
    c->spec.where = o->where;
    c->spec.want_number = true;
    c->today_spec.want_number = true;
    c->spec.want_count = !o->count[0]; /* a count of items is whole by itself */
    c->today_spec.want_count = true;
    if (p->source) {
        char key[1024];
        extract_spec_key(&c->spec, key, sizeof(key));
        c->sub = scene_sub_add_spec(p->source, &c->spec, c->spec.path, key, false, 0);
        if (o->today[0]) {
            c->today_spec.mode = EXTRACT_VALUE;
            c->today_spec.path = o->today;
            extract_spec_key(&c->today_spec, key, sizeof(key));
            c->today_sub = scene_sub_add_spec(p->source, &c->today_spec, o->today, key, false, 0);
        }
    }
    p->priv = c;
    return 0;
}

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    struct counter *c = p->priv;
    bool changed = widget_poll_source(p);
    if (c->sub && scene_slot_seq(c->sub->slot) != c->seq) {
        c->seq = scene_slot_read(c->sub->slot, &c->v);
        if (c->v.type == SLOT_NUMBER && c->v.time_ms != c->last_time) {
            c->last_time = c->v.time_ms;
            c->updated_wall = dc->wall_time;
            counter_track_push(&c->track, c->v.num, dc->wall_time);
            if (p->trace_value != c->v.num || !p->trace_pending) {
                p->trace_pending = true;
                p->trace_value = c->v.num;
            }
        }
        changed = true;
    }
    if (c->today_sub && scene_slot_seq(c->today_sub->slot) != c->tseq) {
        c->tseq = scene_slot_read(c->today_sub->slot, &c->tv);
        changed = true;
    }
    if (c->track.have && c->shown_second != dc->wall_time) {
        c->shown_second = dc->wall_time;
        changed = true; /* ages */
    }
    return changed;
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    struct counter *c = p->priv;
    const struct counter_opts *o = p->cfg->opts;
    if (!c->track.have) {
        status_draw_waiting(dc, box, &p->info, c->v.errors ? c->v.error : c->spec.path, c->v.errors ? c->v.error_ms : 0);
        return;
    }
    bool offline = p->info.status != SOURCE_LIVE;
    bool stale = offline || dc->now_ms - c->v.time_ms > o->stale_after;
    uint32_t col = COLOR_TEXT;
    if (!isnan(o->limit) && c->track.last > o->limit) {
        col = COLOR_ALARM;
    } else if (!isnan(o->target) && c->track.last >= o->target) {
        col = COLOR_LIVE;
    }
    if (stale) {
        col = COLOR_DIM_TEXT;
    }
    char total[64];
    i18n_format_number(dc->locale, c->track.last, 0, total, sizeof(total));
    int small = widget_px(dc, 15);
    int lhs = text_line_height(dc->text, small, false);
    int big = (int)fminf((float)(box.h - 3 * lhs) * 0.5f, (float)box.w * 0.9f / (0.62f * (float)(strlen(total) + 1)));
    int lh = text_line_height(dc->text, big, true);
    int y = box.y + (box.h - lh - 3 * lhs) / 2;
    text_draw_chars(dc->text, total, big, true, col, box.x, y, box.w, TEXT_CENTER);
    y += lh;
    if (o->unit[0]) {
        text_draw(dc->text, o->unit, small, false, COLOR_DIM_TEXT, box.x + 4, y, box.w - 8, TEXT_CENTER);
    }
    y += lhs;
    /* today and since the previous poll */
    double today = o->today[0] && c->tv.type == SLOT_NUMBER ? c->tv.num : counter_track_today_at(&c->track, dc->wall_time);
    double delta = counter_track_delta(&c->track);
    char tnum[48], dnum[48], line[160];
    i18n_format_number(dc->locale, fabs(today), 0, tnum, sizeof(tnum));
    i18n_format_number(dc->locale, fabs(delta), 0, dnum, sizeof(dnum));
    const char *arrow = delta > 0 ? "\xe2\x86\x91 " : delta < 0 ? "\xe2\x86\x93 " : "";
    snprintf(line, sizeof(line), "%s %s%s  \xc2\xb7  %s%s", tr(dc->locale, TR_TODAY),
             o->today[0] ? "" : today >= 0 ? "+" : "\xe2\x88\x92", tnum, arrow, delta != 0 ? dnum : "\xe2\x80\x93");
    text_draw_chars(dc->text, line, small, false, COLOR_TEXT, box.x, y, box.w, TEXT_CENTER);
    y += lhs;
    char when[32], age[32];
    if (offline) {
        format_age(dc->now_ms - p->info.status_since_ms, age, sizeof(age));
        snprintf(line, sizeof(line), "%s \xc2\xb7 %s", tr(dc->locale, TR_OFFLINE), age);
        text_draw_chars(dc->text, line, small, false, COLOR_ALARM, box.x, y, box.w, TEXT_CENTER);
        if (p->info.reason[0]) {
            /* Why (the README promises it on the panel, not only in the log). */
            char said[sizeof(p->info.reason) * 2];
            tr_reason(dc->locale, p->info.reason, said, sizeof(said));
            text_draw(dc->text, said, small, false, COLOR_ALARM, box.x + lhs / 2, y + lhs, box.w - lhs, TEXT_CENTER);
        }
    } else {
        i18n_format_time(dc->locale, "%H:%M:%S", c->updated_wall, when, sizeof(when));
        snprintf(line, sizeof(line), "%s %s", tr(dc->locale, TR_UPDATED), when);
        text_draw_chars(dc->text, line, small, false, stale ? COLOR_WARN : COLOR_DIM_TEXT, box.x, y, box.w, TEXT_CENTER);
    }
}

static void describe(struct panel *p, void *obj)
{
    struct counter *c = p->priv;
    const struct counter_opts *o = p->cfg->opts;
    cJSON_AddBoolToObject(obj, "has_value", c->track.have);
    if (c->track.have) {
        cJSON_AddNumberToObject(obj, "value", c->track.last);
        cJSON_AddNumberToObject(obj, "today", o->today[0] && c->tv.type == SLOT_NUMBER
                                                  ? c->tv.num
                                                  : counter_track_today_at(&c->track, wall_time()));
        cJSON_AddNumberToObject(obj, "delta", counter_track_delta(&c->track));
    }
    cJSON_AddBoolToObject(obj, "offline", p->info.status != SOURCE_LIVE);
    cJSON_AddBoolToObject(obj, "stale", c->track.have && now_ms() - c->v.time_ms > o->stale_after);
    cJSON_AddNumberToObject(obj, "errors", (double)c->v.errors);
    cJSON_AddStringToObject(obj, "error", c->v.error);
}


static bool bad_data(const struct panel *p)
{
    const struct counter *c = p->priv;
    return c && c->v.errors && c->v.error_ms > c->v.time_ms;
}

static const struct widget_ops ops = {
    .kind = "counter", .create = create, .update = update, .draw = draw, .destroy = widget_free_priv,
    .describe = describe,
    .bad_data = bad_data,
};

const struct cfg_kind counter_panel_kind = {
    .name = "counter",
    .value_help = "the name of an http source defined under sources.",
    .value_type = CFG_STRING,
    .source_kind = "http",
    .keys = keys,
    .opts_size = sizeof(struct counter_opts),
    .check = check,
    .impl = &ops,
};
