/* widgets/reading.h: what every sensor widget (gauge, value, sparkline,
 * lamp, table) shares: the config keys of one reading (topic, JSON path,
 * unit, scale, alarm bands with hysteresis, staleness), the band state
 * machine, and reading the latest value from the scene. Render thread,
 * except thresholds_eval which is pure. */
#ifndef PANTAU_READING_H
#define PANTAU_READING_H

#include "widget.h"

#include <stdint.h>

struct reading_cfg {
    char *topic;
    char *value;            /* JSON path; empty: the whole payload */
    char *unit;
    int decimals;
    double min, max;
    double warn, alarm;             /* high bands; NAN: none */
    double warn_low, alarm_low;     /* low bands; NAN: none */
    double hysteresis;              /* NAN: 2% of max - min */
    int64_t stale_after;
    int qos;
    bool alarm_ticker;              /* raise alarms (ticker, flashing border) */
};

/* The schema rows of a reading, for a kind whose opts struct embeds a
 * `struct reading_cfg r` as `r`. */
/* Schema rows shared by the MQTT value kinds (type's `r` member), in blocks
 * so that each kind lists only keys it uses:
 *   READING_KEYS_SOURCE  topic, value, stale_after, qos   (every kind)
 *   READING_KEYS_FORMAT  unit, decimals                   (kinds that print the number)
 *   READING_KEYS_RANGE   min, max, with the kind's words  (scale, or hysteresis only)
 *   READING_KEYS_ALARM   bands, alarm_ticker              (kinds that raise alarms)
 *   READING_KEYS_COLOUR  bands as colours only            (table)
 * READING_KEYS is the full set of a gauge-like kind. */
#define READING_KEYS_SOURCE(type)                                                                  \
    { "topic", CFG_STRING, CFG_OFF(type, r.topic), NULL, .required = true,                         \
      .help = "MQTT topic to read; + and # wildcards allowed for tables." },                      \
    { "value", CFG_STRING, CFG_OFF(type, r.value), "",                                             \
      .help = "Path to the value in a JSON payload, e.g. $.level_cm or $.data[0].v; empty: the "   \
              "payload is the value (a number, true/false/on/off, or a text state)." },           \
    { "stale_after", CFG_DURATION, CFG_OFF(type, r.stale_after), "2m", 1000, 604800000,            \
      .help = "Show the value grey, with its age, after this long without an update." },         \
    { "qos", CFG_INT, CFG_OFF(type, r.qos), "1", 0, 2, .help = "MQTT QoS of the subscription." }

#define READING_KEYS_FORMAT(type)                                                                  \
    { "unit", CFG_STRING, CFG_OFF(type, r.unit), "", .help = "Unit shown after the value." },      \
    { "decimals", CFG_INT, CFG_OFF(type, r.decimals), "1", 0, 6,                                   \
      .help = "Digits after the decimal separator." }

#define READING_KEYS_RANGE(type, min_help, max_help)                                               \
    /* NOLINTNEXTLINE(bugprone-macro-parentheses): a type name in offsetof */                 \
    { "min", CFG_DOUBLE, CFG_OFF(type, r.min), "0", .help = min_help },                            \
    /* NOLINTNEXTLINE(bugprone-macro-parentheses) */                                          \
    { "max", CFG_DOUBLE, CFG_OFF(type, r.max), "100", .help = max_help }

/* min/max of kinds without a drawn scale: they only set the hysteresis. */
#define READING_KEYS_RANGE_HYSTERESIS(type)                                                        \
    READING_KEYS_RANGE(type,                                                                       \
                       "The low end of the value's range; only sets the default hysteresis (2% of " \
                       "max - min).",                                                              \
                       "The high end of the value's range; only sets the default hysteresis (2% of " \
                       "max - min).")

#define READING_KEYS_ALARM(type)                                                                   \
    { "bands", CFG_MAP, 0, NULL, .sub = reading_band_keys,                                          \
      .help = "Warning and alarm thresholds; a value in an alarm band is listed in the alarm "      \
              "ticker and the panel's border flashes until acknowledged." },                       \
    { "alarm_ticker", CFG_BOOL, CFG_OFF(type, r.alarm_ticker), "true",                            \
      .help = "Raise an alarm (ticker entry, flashing border) when the value enters an alarm band; " \
              "false for a second panel of the same reading, so one event is listed once." }

#define READING_KEYS_COLOUR(type)                                                                  \
    { "bands", CFG_MAP, 0, NULL, .sub = reading_band_keys,                                          \
      .help = "Warning and alarm thresholds, shown as the row's colour only: a table raises no "   \
              "alarm (use a gauge or number panel for one topic that must)." }

#define READING_KEYS(type)                                                                         \
    READING_KEYS_SOURCE(type), READING_KEYS_FORMAT(type),                                           \
    READING_KEYS_RANGE(type, "Bottom of the scale.", "Top of the scale."), READING_KEYS_ALARM(type)

/* The rows under bands:, for type's `r` member. */
#define READING_BAND_KEYS(type)                                                                    \
    static const struct cfg_key reading_band_keys[] = {                                            \
        { "warn", CFG_DOUBLE, CFG_OFF(type, r.warn), "", .allow_empty = true,                      \
          .help = "Warning at or above this value." },                                             \
        { "alarm", CFG_DOUBLE, CFG_OFF(type, r.alarm), "", .allow_empty = true,                    \
          .help = "Alarm at or above this value." },                                               \
        { "warn_low", CFG_DOUBLE, CFG_OFF(type, r.warn_low), "", .allow_empty = true,              \
          .help = "Warning at or below this value." },                                             \
        { "alarm_low", CFG_DOUBLE, CFG_OFF(type, r.alarm_low), "", .allow_empty = true,            \
          .help = "Alarm at or below this value." },                                               \
        { "hysteresis", CFG_DOUBLE, CFG_OFF(type, r.hysteresis), "", .allow_empty = true,          \
          .help = "How far a value must move back past a threshold before the band is left, so a " \
                  "value hovering at a threshold does not flicker; empty: 2% of max - min." },     \
        { NULL },                                                                                  \
    }

enum level { LEVEL_NORMAL, LEVEL_WARN, LEVEL_ALARM };

/* The band of v given the band it was in. Entering a worse band happens at
 * the threshold; leaving one needs the value to move back by hysteresis. */
enum level thresholds_eval(const struct reading_cfg *c, enum level prev, double v);
double reading_hysteresis(const struct reading_cfg *c);

struct reading {
    const struct reading_cfg *cfg;
    struct panel *panel;
    const struct scene_sub *sub;
    struct slot_value v;        /* latest value read */
    uint64_t seq;
    bool has_value;
    enum level level;
    int64_t shown_second;       /* for ages that tick */
    uint64_t traced_seq;
};

/* Widgets call it when they draw the value (feeds --trace). */
void reading_note_drawn(struct reading *rd);
/* Adds value, level, stale and error to a cJSON object (describe op). */
void reading_describe(const struct reading *rd, int64_t now_ms, void *cjson_object);

/* Registers the reading's subscription (set-up). history: points to keep
 * for sparklines/trends (0: none). */
void reading_init(struct reading *rd, struct panel *p, const struct reading_cfg *c, size_t history,
                  int64_t history_gap_ms);
/* Polls the slot; evaluates bands (raising and clearing the panel's alarm in
 * dc->alarms); returns true when the panel must be redrawn. */
bool reading_update(struct reading *rd, const struct draw_ctx *dc);
/* Evaluates one value for a table row (bands without alarms). */
enum level reading_row_level(const struct reading_cfg *c, enum level prev, const struct slot_value *v);
/* "1.234,5 cm" in the locale, or the text state. */
void reading_format(const struct reading_cfg *c, const struct slot_value *v, int locale, char *out,
                    size_t outlen);
/* Colour for a level, grey when stale. */
uint32_t reading_color(enum level l, bool stale);
bool reading_stale(const struct reading *rd, int64_t now_ms);
/* One line under the value saying what is wrong, if anything: offline with
 * age, stale with age, waiting, or the last bad payload. Returns false when
 * all is well. */
bool reading_status_line(const struct reading *rd, const struct draw_ctx *dc, char *out, size_t outlen,
                         uint32_t *color);
/* Draws "waiting for data"/status placeholder when there is no value. */
void reading_draw_empty(struct reading *rd, struct draw_ctx *dc, SDL_Rect box);

/* Meaning errors a schema cannot see: max not above min, a warning band
 * beyond its alarm band. -1 with "key: what and how to fix" in err (the
 * config loader reports it at the panel). For kinds with min/max keys. */
int reading_check(const struct reading_cfg *c, char *err, size_t errlen);

/* The bad_data op of the kinds whose priv starts with a struct reading:
 * the latest payload was bad. */
bool reading_bad_data(const struct panel *p);
/* widget_ops.bands for kinds whose priv starts with a struct reading:
 * "ALARM · alarm ≥ 40 cm · warn ≥ 30 cm · hysteresis 1.6 cm". */
size_t reading_bands(const struct panel *p, int locale, char *out, size_t outlen);

#endif
