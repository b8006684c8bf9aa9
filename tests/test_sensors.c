/* tests/test_sensors.c: the logic behind sensor panels: bands with
 * hysteresis, locale number formats, MQTT topic matching, the alarm list,
 * and the scene's tables, history rings and peaks. */
#include "core/alarms.h"
#include "core/i18n.h"
#include "core/scene.h"
#include "widgets/reading.h"
#include "check.h"

#include <math.h>

static void test_hysteresis(void)
{
    struct reading_cfg c = { .min = 0, .max = 600, .warn = 400, .alarm = 500, .warn_low = NAN,
                             .alarm_low = NAN, .hysteresis = 10 };
    /* value sequence and the band after each, hovering at thresholds */
    static const struct {
        double v;
        enum level want;
        const char *why;
    } steps[] = {
        { 350, LEVEL_NORMAL, "below warn" },
        { 400, LEVEL_WARN, "at warn: enters warn" },
        { 395, LEVEL_WARN, "just below warn: stays (hysteresis 10)" },
        { 401, LEVEL_WARN, "back up" },
        { 389, LEVEL_NORMAL, "10 below warn: leaves" },
        { 505, LEVEL_ALARM, "jumps straight to alarm" },
        { 495, LEVEL_ALARM, "hovering below alarm: stays" },
        { 499, LEVEL_ALARM, "still" },
        { 489, LEVEL_WARN, "10 below alarm: back to warn" },
        { 501, LEVEL_ALARM, "re-enters at the threshold" },
        { 100, LEVEL_NORMAL, "a big drop goes straight to normal" },
    };
    enum level l = LEVEL_NORMAL;
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        l = thresholds_eval(&c, l, steps[i].v);
        CHECK_INT(l, steps[i].want, steps[i].why);
    }
    /* Low bands mirror; default hysteresis is 2% of the range. */
    struct reading_cfg low = { .min = 0, .max = 100, .warn = NAN, .alarm = NAN, .warn_low = 20,
                               .alarm_low = 10, .hysteresis = NAN };
    CHECK(fabs(reading_hysteresis(&low) - 2.0) < 1e-9, "default hysteresis 2%% of 0..100");
    l = LEVEL_NORMAL;
    l = thresholds_eval(&low, l, 10);
    CHECK_INT(l, LEVEL_ALARM, "at alarm_low");
    l = thresholds_eval(&low, l, 11.5);
    CHECK_INT(l, LEVEL_ALARM, "within hysteresis above alarm_low");
    l = thresholds_eval(&low, l, 12.5);
    CHECK_INT(l, LEVEL_WARN, "past hysteresis: warn");
    l = thresholds_eval(&low, l, NAN);
    CHECK_INT(l, LEVEL_WARN, "NaN keeps the band");
}

static void test_numbers(void)
{
    static const struct {
        int locale;
        double v;
        int dec;
        const char *want;
    } cases[] = {
        { 1, 1234.5, 1, "1.234,5" }, { 0, 1234.5, 1, "1,234.5" }, { 1, 12345, 0, "12.345" },
        { 0, 1234567.891, 2, "1,234,567.89" }, { 1, -0.04, 1, "0,0" }, { 0, -1234, 0, "-1,234" },
        { 1, 999, 0, "999" }, { 0, NAN, 1, "\xe2\x80\x93" }, { 1, 0.5, 0, "0" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[64];
        i18n_format_number(cases[i].locale, cases[i].v, cases[i].dec, out, sizeof(out));
        CHECK_STR(out, cases[i].want, "locale number format");
    }
}

static void test_topics(void)
{
    static const struct {
        const char *filter, *topic;
        bool want;
    } cases[] = {
        { "parkir/+/occupancy", "parkir/mal-ska/occupancy", true },
        { "parkir/+/occupancy", "parkir/mal-ska/free", false },
        { "parkir/+/occupancy", "parkir/a/b/occupancy", false },
        { "siak/#", "siak/level/cm", true },
        { "siak/#", "siak", true },
        { "#", "anything/at/all", true },
        { "#", "$SYS/broker/uptime", false },
        { "a/b", "a/b", true },
        { "a/b", "a/bc", false },
        { "+/+", "a/b", true },
        { "+", "a/b", false },
        { "a/+", "a/", true },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CHECK(scene_topic_matches(cases[i].filter, cases[i].topic) == cases[i].want, "%s vs %s", cases[i].filter,
              cases[i].topic);
    }
}

static void test_alarms(void)
{
    struct alarm_list l = { 0 };
    alarms_raise(&l, "p1", "Siak", "512 cm", 100);
    alarms_raise(&l, "p2", "UPS", "on", 101);
    CHECK_INT(l.n, 2, "two alarms");
    CHECK_STR(l.items[0].panel_id, "p2", "newest first");
    alarms_raise(&l, "p1", "Siak", "530 cm", 102);
    CHECK_INT(l.n, 2, "a raised alarm is refreshed, not duplicated");
    alarms_clear(&l, "p1");
    CHECK(alarms_unacked(&l, "p1"), "a cleared alarm stays until acknowledged");
    CHECK_INT(alarms_ack(&l, "p1"), 1, "ack one");
    CHECK_INT(l.n, 1, "acked and inactive: removed");
    CHECK_INT(alarms_ack(&l, "nope"), 0, "unknown id acks nothing");
    CHECK_INT(alarms_ack(&l, "all"), 1, "ack all");
    CHECK(!alarms_unacked(&l, "p2") && l.n == 1, "acked but active: stays, acknowledged");
    alarms_clear(&l, "p2");
    CHECK_INT(l.n, 0, "acked then cleared: gone");
    for (int i = 0; i < ALARMS_MAX + 10; i++) {
        char id[16];
        snprintf(id, sizeof(id), "p%d", i);
        alarms_raise(&l, id, id, "x", i);
    }
    CHECK_INT(l.n, ALARMS_MAX, "the list is bounded");
}

static void test_scene_tables(void)
{
    struct scene *s = scene_create();
    struct scene_source *src = scene_add_source(s, "broker");
    const struct scene_sub *t = scene_sub_add(src, "parkir/+/occupancy", "", 0, 3);
    const struct scene_sub *again = scene_sub_add(src, "parkir/+/occupancy", "", 2, 3);
    CHECK(t == again && t->qos == 2, "the same filter is one sub, at the highest QoS");
    CHECK(t->table && !t->slot, "a wildcard filter makes a table");
    const char *keys[] = { "parkir/c/occupancy", "parkir/a/occupancy", "parkir/b/occupancy", "parkir/d/occupancy" };
    for (int i = 0; i < 4; i++) {
        struct slot_value v = { .type = SLOT_NUMBER, .num = i };
        scene_table_write(t->table, keys[i], &v);
    }
    struct table_row rows[8];
    uint64_t overflow;
    size_t n = scene_table_read(t->table, rows, 8, &overflow);
    CHECK_INT(n, 3, "rows bounded by max_rows");
    CHECK_INT(overflow, 1, "the fourth topic is counted as overflow");
    for (int i = 0; i < 100; i++) {
        struct slot_value v = { .type = SLOT_NUMBER, .num = i };
        scene_table_write(t->table, keys[3], &v);
    }
    scene_table_read(t->table, rows, 8, &overflow);
    CHECK_INT(overflow, 1, "overflow counts topics, not messages");
    CHECK_STR(rows[0].key, "parkir/a/occupancy", "sorted by topic");
    CHECK_STR(rows[2].key, "parkir/c/occupancy", "sorted by topic");
    scene_table_error(t->table, "parkir/a/occupancy", "bad");
    n = scene_table_read(t->table, rows, 8, &overflow);
    CHECK(rows[0].value.errors == 1 && rows[0].value.num == 1, "a row error keeps the value");

    const struct scene_sub *one = scene_sub_add(src, "siak/level", "$.cm", 1, 0);
    CHECK(one->slot && !one->table, "a plain filter makes a slot");
    scene_slot_keep_history(one->slot, 4, 0);
    for (int i = 1; i <= 6; i++) {
        struct slot_value v = { .type = SLOT_NUMBER, .num = i * 10, .time_ms = i };
        scene_slot_write(one->slot, &v);
    }
    struct slot_point pts[8];
    n = scene_slot_history(one->slot, pts, 8);
    CHECK(n == 4 && pts[0].value == 30 && pts[3].value == 60, "ring keeps the newest 4, oldest first");
    struct slot_value v;
    scene_slot_read(one->slot, &v);
    CHECK(v.peak_hi == 60 && v.peak_lo == 10, "peaks since the last read (%g..%g)", v.peak_lo, v.peak_hi);
    struct slot_value spike = { .type = SLOT_NUMBER, .num = 900 }, back = { .type = SLOT_NUMBER, .num = 50 };
    scene_slot_write(one->slot, &spike);
    scene_slot_write(one->slot, &back);
    scene_slot_read(one->slot, &v);
    CHECK(v.num == 50 && v.peak_hi == 900, "a spike between two reads is reported");

    /* A span longer than points x message interval: the history is kept
     * spaced (gap 100 ms for 20 points), reaches back the whole span, and a
     * spike inside a gap survives. */
    const struct scene_sub *day = scene_sub_add(src, "siak/day", "", 1, 0);
    scene_slot_keep_history(day->slot, 20, 100);
    for (int i = 0; i < 2000; i++) { /* 2 s of values every ms */
        struct slot_value dv = { .type = SLOT_NUMBER, .num = i == 1950 ? 999 : 1, .time_ms = 10000 + i };
        scene_slot_write(day->slot, &dv);
    }
    struct slot_point dp[32];
    size_t dn = scene_slot_history(day->slot, dp, 32);
    CHECK(dn == 20, "the ring is full: %zu", dn);
    CHECK(dp[dn - 1].time_ms - dp[0].time_ms >= 1800, "20 points reach back %lld ms (>= 1.8 s of the 2 s)",
          (long long)(dp[dn - 1].time_ms - dp[0].time_ms));
    bool spike_kept = false;
    for (size_t i = 0; i < dn; i++) {
        spike_kept |= dp[i].value == 999;
        if (i) {
            CHECK(dp[i].time_ms - dp[i - 1].time_ms >= 100, "points at least the gap apart");
        }
    }
    CHECK(spike_kept, "the spike inside a gap is kept");
    scene_slot_keep_history(day->slot, 10, 500);
    dn = scene_slot_history(day->slot, dp, 32);
    CHECK(dn == 20, "a second, smaller request keeps the larger history");

    scene_slot_error(one->slot, "bad\npayload");
    scene_slot_read(one->slot, &v);
    CHECK(v.num == 50 && v.errors == 1, "an error keeps the last good value");
    CHECK_STR(v.error, "bad payload", "error text sanitised (a line break is a space)");
    scene_destroy(s);
}

int main(void)
{
    test_hysteresis();
    test_numbers();
    test_topics();
    test_alarms();
    test_scene_tables();
    return check_finish("test_sensors");
}
