/* core/alarms.c: active and recent alarms (see alarms.h). Render thread. */
#include "alarms.h"

#include <stdio.h>
#include <string.h>

static struct alarm *find_open(struct alarm_list *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i].panel_id, id) == 0 && l->items[i].active) {
            return &l->items[i];
        }
    }
    return NULL;
}

static void remove_at(struct alarm_list *l, size_t i)
{
    memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof(l->items[0]));
    l->n--;
}

void alarms_raise(struct alarm_list *l, const char *id, const char *label, const char *value,
                  int64_t wall_time)
{
    struct alarm *a = find_open(l, id);
    if (a) {
        snprintf(a->value, sizeof(a->value), "%s", value);
        l->seq++;
        return;
    }
    if (l->n == ALARMS_MAX) {
        /* Full: forget the oldest acknowledged entry, else the oldest. */
        size_t victim = l->n - 1;
        for (size_t i = l->n; i-- > 0;) {
            if (l->items[i].acked) {
                victim = i;
                break;
            }
        }
        remove_at(l, victim);
    }
    memmove(&l->items[1], &l->items[0], l->n * sizeof(l->items[0]));
    l->n++;
    a = &l->items[0];
    memset(a, 0, sizeof(*a));
    snprintf(a->panel_id, sizeof(a->panel_id), "%s", id);
    snprintf(a->label, sizeof(a->label), "%s", label);
    snprintf(a->value, sizeof(a->value), "%s", value);
    a->since = wall_time;
    a->active = true;
    l->seq++;
    if (l->hook) {
        l->hook(l->hook_ctx, ALARM_RAISED, a);
    }
}

void alarms_clear(struct alarm_list *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++) {
        struct alarm *a = &l->items[i];
        if (strcmp(a->panel_id, id) != 0 || !a->active) {
            continue;
        }
        a->active = false;
        if (l->hook) {
            l->hook(l->hook_ctx, ALARM_CLEARED, a);
        }
        if (a->acked) {
            remove_at(l, i);
        }
        l->seq++;
        return;
    }
}

int alarms_ack(struct alarm_list *l, const char *id)
{
    bool all = !id || strcmp(id, "all") == 0;
    int n = 0;
    for (size_t i = 0; i < l->n;) {
        struct alarm *a = &l->items[i];
        if ((all || strcmp(a->panel_id, id) == 0) && !a->acked) {
            a->acked = true;
            n++;
            if (l->hook) {
                l->hook(l->hook_ctx, ALARM_ACKED, a);
            }
            if (!a->active) {
                remove_at(l, i);
                continue;
            }
        }
        i++;
    }
    if (n) {
        l->seq++;
    }
    return n;
}

bool alarms_unacked(const struct alarm_list *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i].panel_id, id) == 0 && !l->items[i].acked) {
            return true;
        }
    }
    return false;
}

size_t alarms_count_unacked(const struct alarm_list *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        n += !l->items[i].acked;
    }
    return n;
}

size_t alarms_keep_only(struct alarm_list *l, bool (*exists)(const char *panel_id, void *ctx), void *ctx)
{
    size_t removed = 0;
    for (size_t i = l->n; i-- > 0;) {
        if (!exists(l->items[i].panel_id, ctx)) {
            remove_at(l, i);
            removed++;
        }
    }
    if (removed) {
        l->seq++;
    }
    return removed;
}
