/* widgets/counter.h: a big total from an HTTP JSON source (complaints
 * received, permits issued) with its change today and since the previous
 * poll, a target/limit colour and the time of the last update. */
#ifndef PANTAU_WIDGET_COUNTER_H
#define PANTAU_WIDGET_COUNTER_H

#include "../config/schema.h"
#include "../feeds/extract.h"

#include <stdbool.h>
#include <stdint.h>

struct counter_opts {
    char *value;        /* path to a number, or */
    char *count;        /* path to a list whose (matching) items are counted */
    char *where;        /* "name=value\n..." filter for count */
    char *today;        /* path to today's number from the API; empty: tracked since local midnight */
    char *unit;
    double target;      /* reaching it turns the total green; NAN: none */
    double limit;       /* above it the total turns red; NAN: none */
    int64_t stale_after;
};

/* "Today" when the API does not say: the change since the first value seen
 * today, where at local midnight the last value of the day before becomes
 * the base. Pure; tests drive it with injected times. */
struct counter_track {
    bool have, have_prev;
    int day;            /* local date as YYYYMMDD */
    double base, last, prev;
};
void counter_track_push(struct counter_track *c, double v, int64_t wall_time);
double counter_track_today(const struct counter_track *c);
/* The same as shown at wall_time: 0 when no value arrived yet that day. */
double counter_track_today_at(const struct counter_track *c, int64_t wall_time);
/* Change since the previous poll; 0 before the second value. */
double counter_track_delta(const struct counter_track *c);

extern const struct cfg_kind counter_panel_kind;

#endif
