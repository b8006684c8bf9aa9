/* widgets/reading.c: one sensor reading shared by the sensor widgets.
 * Render thread only (thresholds_eval is pure). */
#include "reading.h"
#include "draw.h"
#include "status.h"
#include "../core/alarms.h"
#include "../core/i18n.h"
#include "../core/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

double reading_hysteresis(const struct reading_cfg *c)
{
    if (!isnan(c->hysteresis)) {
        return c->hysteresis;
    }
    return fabs(c->max - c->min) * 0.02;
}

/* The band by raw thresholds shifted by `shift` towards normal. */
static enum level raw_level(const struct reading_cfg *c, double v, double shift)
{
    if ((!isnan(c->alarm) && v >= c->alarm - shift) || (!isnan(c->alarm_low) && v <= c->alarm_low + shift)) {
        return LEVEL_ALARM;
    }
    if ((!isnan(c->warn) && v >= c->warn - shift) || (!isnan(c->warn_low) && v <= c->warn_low + shift)) {
        return LEVEL_WARN;
    }
    return LEVEL_NORMAL;
}

enum level thresholds_eval(const struct reading_cfg *c, enum level prev, double v)
{
    if (isnan(v)) {
        return prev;
    }
    enum level up = raw_level(c, v, 0);
    if (up >= prev) {
        return up; /* worse (or same): at once */
    }
    /* Better: only once the value is back by the hysteresis. */
    enum level hold = raw_level(c, v, reading_hysteresis(c));
    return hold < prev ? hold : prev;
}

void reading_init(struct reading *rd, struct panel *p, const struct reading_cfg *c, size_t history,
                  int64_t history_gap_ms)
{
    memset(rd, 0, sizeof(*rd));
    rd->cfg = c;
    rd->panel = p;
    rd->shown_second = -1;
    if (p->source) {
        rd->sub = scene_sub_add(p->source, c->topic, c->value, c->qos, 256);
        if (rd->sub->slot && history) {
            scene_slot_keep_history(rd->sub->slot, history, history_gap_ms);
        }
    }
}

static bool numeric(const struct slot_value *v)
{
    return v->type == SLOT_NUMBER || v->type == SLOT_BOOL;
}

void reading_format(const struct reading_cfg *c, const struct slot_value *v, int locale, char *out,
                    size_t outlen)
{
    if (v->type == SLOT_NUMBER) {
        char num[64];
        i18n_format_number(locale, v->num, c->decimals, num, sizeof(num));
        snprintf(out, outlen, "%s%s%s", num, c->unit[0] ? " " : "", c->unit);
    } else {
        snprintf(out, outlen, "%s", v->text);
    }
}

enum level reading_row_level(const struct reading_cfg *c, enum level prev, const struct slot_value *v)
{
    return numeric(v) ? thresholds_eval(c, prev, v->num) : LEVEL_NORMAL;
}

bool reading_update(struct reading *rd, const struct draw_ctx *dc)
{
    bool changed = widget_poll_source(rd->panel);
    if (rd->sub && rd->sub->slot && scene_slot_seq(rd->sub->slot) != rd->seq) {
        struct slot_value v;
        rd->seq = scene_slot_read(rd->sub->slot, &v);
        bool fresh = v.type != SLOT_EMPTY;
        if (fresh && numeric(&v)) {
            enum level prev = rd->level;
            /* A spike between two frames still counts: check both extremes. */
            enum level peak = thresholds_eval(rd->cfg, prev, v.peak_hi);
            enum level trough = thresholds_eval(rd->cfg, prev, v.peak_lo);
            enum level worst = peak > trough ? peak : trough;
            rd->level = thresholds_eval(rd->cfg, prev, v.num);
            if ((worst == LEVEL_ALARM || rd->level == LEVEL_ALARM) && dc->alarms && rd->cfg->alarm_ticker) {
                char shown[96];
                struct slot_value at = v;
                if (rd->level != LEVEL_ALARM) {
                    at.num = peak == LEVEL_ALARM ? v.peak_hi : v.peak_lo; /* report the spike */
                }
                reading_format(rd->cfg, &at, dc->locale, shown, sizeof(shown));
                alarms_raise(dc->alarms, rd->panel->cfg->id,
                             rd->panel->cfg->label[0] ? rd->panel->cfg->label : rd->panel->cfg->id, shown,
                             dc->wall_time);
            }
            if (rd->level != LEVEL_ALARM && prev == LEVEL_ALARM && dc->alarms && rd->cfg->alarm_ticker) {
                alarms_clear(dc->alarms, rd->panel->cfg->id);
            }
        }
        if (fresh) {
            rd->has_value = true;
        }
        rd->v = v;
        changed = true;
    }
    /* Ages ("stale · 2:05", "offline · 0:12") tick once a second. */
    if (rd->shown_second != dc->wall_time && (rd->has_value || rd->v.errors)) {
        rd->shown_second = dc->wall_time;
        changed = true;
    }
    return changed;
}

uint32_t reading_color(enum level l, bool stale)
{
    if (stale) {
        return COLOR_OFF;
    }
    return l == LEVEL_ALARM ? COLOR_ALARM : l == LEVEL_WARN ? COLOR_WARN : COLOR_LIVE;
}

bool reading_stale(const struct reading *rd, int64_t now)
{
    return rd->has_value && now - rd->v.time_ms > rd->cfg->stale_after;
}

bool reading_status_line(const struct reading *rd, const struct draw_ctx *dc, char *out, size_t outlen,
                         uint32_t *color)
{
    const struct source_info *si = &rd->panel->info;
    char age[32];
    if (rd->panel->source && si->status != SOURCE_LIVE && rd->has_value) {
        /* Broker down: keep the last value, say so and for how long. */
        format_age(dc->now_ms - si->status_since_ms, age, sizeof(age));
        char said[sizeof(si->reason) * 2] = "";
        if (si->reason[0]) {
            tr_reason(dc->locale, si->reason, said, sizeof(said));
        }
        snprintf(out, outlen, "%s \xc2\xb7 %s%s%s", tr(dc->locale, TR_OFFLINE), age, said[0] ? " \xc2\xb7 " : "", said);
        *color = COLOR_ALARM;
        return true;
    }
    if (rd->v.errors && rd->v.error_ms > rd->v.time_ms) {
        /* The newest thing that arrived was bad: the value shown is older. */
        char said[256];
        snprintf(out, outlen, "%s (%llu\xc3\x97)", tr_reason(dc->locale, rd->v.error, said, sizeof(said)),
                 (unsigned long long)rd->v.errors);
        *color = COLOR_WARN;
        return true;
    }
    if (reading_stale(rd, dc->now_ms)) {
        format_age(dc->now_ms - rd->v.time_ms, age, sizeof(age));
        snprintf(out, outlen, "%s \xc2\xb7 %s", tr(dc->locale, TR_STALE), age);
        *color = COLOR_DIM_TEXT;
        return true;
    }
    return false;
}

void reading_draw_empty(struct reading *rd, struct draw_ctx *dc, SDL_Rect box)
{
    /* Connected; nothing usable for this topic yet (or only bad payloads). */
    status_draw_waiting(dc, box, &rd->panel->info, rd->v.errors ? rd->v.error : rd->cfg->topic,
                        rd->v.errors ? rd->v.error_ms : 0);
}

void reading_note_drawn(struct reading *rd)
{
    if (rd->has_value && rd->seq != rd->traced_seq) {
        rd->traced_seq = rd->seq;
        rd->panel->trace_pending = true;
        rd->panel->trace_value = rd->v.num;
    }
}

void reading_describe(const struct reading *rd, int64_t now_ms, void *obj)
{
    static const char *const levels[] = { "normal", "warn", "alarm" };
    static const char *const types[] = { "empty", "number", "bool", "text" };
    cJSON *o = obj;
    cJSON_AddStringToObject(o, "topic", rd->cfg->topic);
    cJSON_AddBoolToObject(o, "has_value", rd->has_value);
    cJSON_AddStringToObject(o, "type", types[rd->v.type]);
    if (rd->has_value) {
        if (rd->v.type == SLOT_TEXT) {
            cJSON_AddStringToObject(o, "value", rd->v.text);
        } else {
            cJSON_AddNumberToObject(o, "value", rd->v.num);
        }
    }
    cJSON_AddStringToObject(o, "level", levels[rd->level]);
    cJSON_AddBoolToObject(o, "stale", reading_stale(rd, now_ms));
    cJSON_AddBoolToObject(o, "offline", rd->panel->source && rd->panel->info.status != SOURCE_LIVE);
    cJSON_AddNumberToObject(o, "errors", (double)rd->v.errors);
    cJSON_AddStringToObject(o, "error", rd->v.error);
}

int reading_check(const struct reading_cfg *c, char *err, size_t errlen)
{
    if (!(c->max > c->min)) {
        snprintf(err, errlen, "max: %g is not above min: %g; the range runs from min up to max", c->max, c->min);
        return -1;
    }
    if (!isnan(c->warn) && !isnan(c->alarm) && c->warn > c->alarm) {
        snprintf(err, errlen, "bands.warn: %g is above bands.alarm: %g; a rising value warns first, so warn must "
                              "be below alarm (swapped?)", c->warn, c->alarm);
        return -1;
    }
    if (!isnan(c->warn_low) && !isnan(c->alarm_low) && c->warn_low < c->alarm_low) {
        snprintf(err, errlen, "bands.warn_low: %g is below bands.alarm_low: %g; a falling value warns first, so "
                              "warn_low must be above alarm_low (swapped?)", c->warn_low, c->alarm_low);
        return -1;
    }
    if (!isnan(c->warn) && !isnan(c->warn_low) && c->warn_low >= c->warn) {
        snprintf(err, errlen, "bands.warn_low: %g is not below bands.warn: %g; the normal band lies between them",
                 c->warn_low, c->warn);
        return -1;
    }
    return 0;
}

size_t reading_bands(const struct panel *p, int locale, char *out, size_t outlen)
{
    const struct reading *rd = p->priv;
    const struct reading_cfg *c = rd ? rd->cfg : NULL;
    out[0] = '\0';
    if (!c || (isnan(c->warn) && isnan(c->alarm) && isnan(c->warn_low) && isnan(c->alarm_low))) {
        return 0;
    }
    static const enum tr_id level_names[] = { [LEVEL_NORMAL] = TR_BAND_NORMAL, [LEVEL_WARN] = TR_BAND_WARN,
                                              [LEVEL_ALARM] = TR_BAND_ALARM };
    size_t len = (size_t)snprintf(out, outlen, "%s", rd->has_value ? tr(locale, level_names[rd->level]) : "");
    const struct {
        double v;
        enum tr_id name;
        const char *op;
    } t[] = {
        { c->alarm, TR_BAND_ALARM_AT, "\xe2\x89\xa5" },   { c->warn, TR_BAND_WARN_AT, "\xe2\x89\xa5" },
        { c->warn_low, TR_BAND_WARN_AT, "\xe2\x89\xa4" }, { c->alarm_low, TR_BAND_ALARM_AT, "\xe2\x89\xa4" },
    };
    const char *unit = c->unit && c->unit[0] ? c->unit : "";
    const char *sp = unit[0] ? " " : "";
    char num[48];
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]) && len < outlen; i++) {
        if (isnan(t[i].v)) {
            continue;
        }
        i18n_format_number(locale, t[i].v, c->decimals, num, sizeof(num));
        len += (size_t)snprintf(out + len, outlen - len, "%s%s %s %s%s%s", len ? "   \xc2\xb7   " : "",
                                tr(locale, t[i].name), t[i].op, num, sp, unit);
    }
    if (len < outlen) {
        i18n_format_number(locale, reading_hysteresis(c), c->decimals, num, sizeof(num));
        len += (size_t)snprintf(out + len, outlen - len, "   \xc2\xb7   %s %s%s%s", tr(locale, TR_HYSTERESIS), num, sp,
                                unit);
    }
    return len < outlen ? len : outlen - 1;
}

bool reading_bad_data(const struct panel *p)
{
    const struct reading *rd = p->priv;
    return rd && rd->v.errors && rd->v.error_ms > rd->v.time_ms;
}
