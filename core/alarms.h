/* core/alarms.h: the wall's list of active and recent alarms. A panel raises
 * an alarm when its value enters the alarm band and clears it when the
 * value leaves; an entry stays until it is acknowledged (key, click, or a
 * message on the source's ack topic) and, once acknowledged, until it is
 * no longer active. Render thread only. */
#ifndef PANTAU_ALARMS_H
#define PANTAU_ALARMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ALARMS_MAX 64

struct alarm {
    char panel_id[64];
    char label[96];
    char value[64];         /* the value that raised it, formatted */
    int64_t since;          /* wall clock seconds */
    bool active, acked;
};

enum alarm_event { ALARM_RAISED, ALARM_CLEARED, ALARM_ACKED };

struct alarm_list {
    struct alarm items[ALARMS_MAX];  /* newest first */
    size_t n;
    uint64_t seq;                    /* bumps on every change */
    /* Told of every raise, clear and acknowledgement (the alarm log);
     * optional. a is the entry as it is at that moment. */
    void (*hook)(void *ctx, enum alarm_event ev, const struct alarm *a);
    void *hook_ctx;
};

/* Raises (or refreshes) the alarm of panel_id. */
void alarms_raise(struct alarm_list *l, const char *panel_id, const char *label, const char *value,
                  int64_t wall_time);
/* The panel's value left the alarm band. */
void alarms_clear(struct alarm_list *l, const char *panel_id);
/* Acknowledges panel_id's alarm, or every alarm when panel_id is NULL or
 * "all". Returns how many were acknowledged. */
int alarms_ack(struct alarm_list *l, const char *panel_id);
/* True while panel_id has an active alarm nobody acknowledged. */
bool alarms_unacked(const struct alarm_list *l, const char *panel_id);
size_t alarms_count_unacked(const struct alarm_list *l);
/* Hot reload: drops the alarms of panels for which exists() is false;
 * returns how many. */
size_t alarms_keep_only(struct alarm_list *l, bool (*exists)(const char *panel_id, void *ctx), void *ctx);

#endif
