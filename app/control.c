/* app/control.c: executes operator commands (see control.h). Render thread
 * only. It changes the wall's state (wall_state.h) and nothing else: the
 * frame loop in wall.c draws what it finds, takes a requested screenshot,
 * and stops when quit is set. */
#include "control.h"
#include "wall_state.h"
#include "overlay.h"
#include "../core/i18n.h"
#include "../core/util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUIT_CONFIRM_MS 5000
#define ACK_CONFIRM_MS 8000  /* the acknowledge-all question stays this long */
#define ACK_TOAST_MS 6000    /* who acknowledged what, and when */

static const char *const names[CMD_COUNT] = {
    [CMD_PAGE_NEXT] = "page-next",   [CMD_PAGE_PREV] = "page-prev",       [CMD_PAGE] = "page",
    [CMD_SELECT] = "select",         [CMD_SELECT_MOVE] = "select-move",   [CMD_ENLARGE] = "enlarge",
    [CMD_RESTORE] = "restore",       [CMD_BACK] = "back",                 [CMD_ACK] = "ack",
    [CMD_ACK_ALL] = "ack-all",       [CMD_ACK_ALL_ARM] = "ack-all-arm",   [CMD_ACK_ALL_CONFIRM] = "ack-all-confirm",
    [CMD_ACK_ALL_CANCEL] = "ack-all-cancel", [CMD_SCREENSHOT] = "screenshot", [CMD_HELP] = "help",
    [CMD_STATS] = "stats",           [CMD_ALARM_LOG] = "alarm-log",           [CMD_ALIGN] = "align",
    [CMD_QUIT_ARM] = "quit-arm",         [CMD_QUIT_CONFIRM] = "quit-confirm",
    [CMD_QUIT_CANCEL] = "quit-cancel", [CMD_QUIT] = "quit",       [CMD_TOUR_HOLD] = "hold",
    [CMD_TOUR_RESUME] = "resume",    [CMD_RELOAD] = "reload",             [CMD_RESTART_SOURCE] = "restart-source",
    [CMD_DEBUG_FREEZE] = "debug-freeze",
};

int control_find(const char *name)
{
    for (int i = 0; i < CMD_COUNT; i++) {
        if (names[i] && strcmp(names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

const char *control_why(const struct wall *w)
{
    return w->cmd_why;
}

#define WHY(...) snprintf(w->cmd_why, sizeof(w->cmd_why), __VA_ARGS__)

const char *control_name(enum wall_cmd_kind kind)
{
    return (unsigned)kind < CMD_COUNT ? names[kind] : "?";
}

static int select_page(struct wall *w, size_t page)
{
    if (page >= w->cfg->n_pages) {
        WHY("no page %zu (the wall has %zu)", page + 1, w->cfg->n_pages);
        return 0;
    }
    w->page = page;
    w->page_since_ms = now_ms();
    w->selected = -1;
    w->enlarged = -1;
    w->dirty = true;
    const struct cfg_page *pg = &w->cfg->pages[page];
    if (w->cfg->n_pages > 1) {
        wall_toast(w, 2500, "%s %zu/%zu%s%s", tr(w->cfg->locale, TR_PAGE), page + 1, w->cfg->n_pages,
                   pg->name[0] ? " \xe2\x80\x94 " : "", pg->name);
    }
    /* Panels of the new page read their sources afresh. */
    for (size_t i = 0; i < w->n_panels; i++) {
        if (w->panels[i].page == page) {
            w->panels[i].info_seq = 0;
            widget_poll_source(&w->panels[i]);
        }
    }
    return 1;
}

/* Nearest panel from the selected one in direction (dx, dy). */
static int move_selection(struct wall *w, int dx, int dy)
{
    size_t n = wall_page_count(w, w->page);
    if (n == 0) {
        return 0;
    }
    if (w->selected < 0) {
        w->selected = 0;
        return 1;
    }
    const struct panel *cur = wall_page_panel(w, w->selected);
    int cx = cur->rect.x + cur->rect.w / 2, cy = cur->rect.y + cur->rect.h / 2;
    int best = -1;
    long best_score = LONG_MAX;
    for (size_t i = 0; i < n; i++) {
        if ((int)i == w->selected) {
            continue;
        }
        const struct panel *p = wall_page_panel(w, (int)i);
        int px = p->rect.x + p->rect.w / 2, py = p->rect.y + p->rect.h / 2;
        long along = (long)(px - cx) * dx + (long)(py - cy) * dy;
        long across = labs((long)(px - cx) * dy) + labs((long)(py - cy) * dx);
        if (along <= 0) {
            continue;
        }
        long score = along + 2 * across;
        if (score < best_score) {
            best_score = score;
            best = (int)i;
        }
    }
    if (best < 0) {
        return 0;
    }
    w->selected = best;
    if (w->enlarged >= 0) {
        w->enlarged = best; /* enlarged: the arrows go to the next panel, not an invisible selection */
    }
    return 1;
}

static int select_index(struct wall *w, int i)
{
    if (i < -1 || i >= (int)wall_page_count(w, w->page)) {
        return 0;
    }
    w->selected = i;
    if (w->enlarged >= 0 && i >= 0) {
        w->enlarged = i; /* switching the enlarged panel directly */
    }
    return 1;
}

/* The panel with id on the page shown (-1: not there; the page showing it
 * is made current when another page has it). */
static int panel_by_id(struct wall *w, const char *id)
{
    for (size_t i = 0; i < w->n_panels; i++) {
        if (strcmp(w->panels[i].cfg->id, id) == 0) {
            if (w->panels[i].page != w->page) {
                select_page(w, w->panels[i].page);
            }
            return (int)w->panels[i].index;
        }
    }
    WHY("no panel with id \"%s\"", id);
    return -2;
}

static int enlarge(struct wall *w, int i)
{
    if (i < 0) {
        i = w->selected >= 0 ? w->selected : 0;
    }
    if (i >= (int)wall_page_count(w, w->page)) {
        WHY("no panel %d on this page (it has %zu)", i + 1, wall_page_count(w, w->page));
        return 0;
    }
    w->selected = i;
    w->enlarged = i;
    return 1;
}

static int back(struct wall *w)
{
    if (w->show_help) {
        w->show_help = false;
    } else if (w->show_alarm_log) {
        w->show_alarm_log = false;
    } else if (w->enlarged >= 0) {
        w->enlarged = -1;
    } else if (w->show_stats) {
        w->show_stats = false;
    } else if (w->selected >= 0) {
        w->selected = -1;
    } else {
        return 0;
    }
    return 1;
}

/* Who acknowledged, in the wall's language. */
static const char *origin_words(int loc, const char *origin)
{
    static const struct {
        const char *origin;
        enum tr_id id;
    } words[] = {
        { "keyboard", TR_BY_KEYBOARD }, { "mouse", TR_BY_MOUSE }, { "remote", TR_BY_REMOTE },
        { "sync", TR_BY_SYNC },         { "mqtt", TR_BY_ACK_TOPIC },
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcmp(origin, words[i].origin) == 0) {
            return tr(loc, words[i].id);
        }
    }
    return origin;
}

/* What was acknowledged, by whom, when: on the wall for a few seconds
 * (the log has it for good). */
static void ack_toast(struct wall *w, const char *panel, int n, const char *origin)
{
    int loc = w->cfg->locale;
    char when[16];
    i18n_format_time(loc, "%H:%M:%S", wall_time(), when, sizeof(when));
    const struct alarm *a = NULL;
    for (size_t i = 0; panel && i < w->alarms.n; i++) {
        if (strcmp(w->alarms.items[i].panel_id, panel) == 0) {
            a = &w->alarms.items[i];
            break;
        }
    }
    if (a && n == 1) {
        wall_toast(w, ACK_TOAST_MS, tr(loc, TR_ACKED_ONE), a->label, a->value, origin_words(loc, origin), when);
    } else {
        wall_toast(w, ACK_TOAST_MS, tr(loc, TR_ACKED_N), n, origin_words(loc, origin), when);
    }
}

static int ack(struct wall *w, const char *panel, const char *origin)
{
    w->ack_by = origin; /* for the alarm log's entries (wall.c's hook) */
    int n = alarms_ack(&w->alarms, panel);
    w->ack_by = NULL;
    if (n) {
        ack_toast(w, panel, n, origin);
    }
    /* The other nodes of the wall hear of it (app/sync.c). */
    if (n && strcmp(origin, "sync") != 0 && w->n_acks_out < sizeof(w->acks_out) / sizeof(w->acks_out[0])) {
        snprintf(w->acks_out[w->n_acks_out++], sizeof(w->acks_out[0]), "%s", panel ? panel : "");
    }
    if (n) {
        log_info(w->log, "%d alarm(s) of %s acknowledged (%s)", n, panel ? panel : "every panel", origin);
    } else if (panel) {
        log_info(w->log, "acknowledgement for %s (%s): no open alarm there", panel, origin);
    }
    return n;
}

/* What the nodes of one wall share: page, enlarged panel, tour held. */
struct shared {
    size_t page;
    const char *enlarged;
    bool held, align;
};

static struct shared shared_now(struct wall *w)
{
    const struct panel *en = wall_page_panel(w, w->enlarged);
    return (struct shared){ w->page, en ? en->cfg->id : "", w->tour_held, w->show_align };
}

static bool shared_same(const struct shared *a, const struct shared *b)
{
    return a->page == b->page && strcmp(a->enlarged, b->enlarged) == 0 && a->held == b->held &&
           a->align == b->align;
}

int control_exec(struct wall *w, const struct wall_cmd *c)
{
    const char *origin = c->origin ? c->origin : "?";
    size_t n_pages = w->cfg->n_pages;
    int rc;
    w->cmd_why[0] = '\0';
    struct shared before = shared_now(w);
    switch (c->kind) {
    case CMD_PAGE_NEXT:
        rc = n_pages ? select_page(w, (w->page + 1) % n_pages) : 0;
        break;
    case CMD_PAGE_PREV:
        rc = n_pages ? select_page(w, (w->page + n_pages - 1) % n_pages) : 0;
        break;
    case CMD_PAGE:
        rc = c->arg >= 0 ? select_page(w, (size_t)c->arg) : 0;
        break;
    case CMD_SELECT:
        rc = select_index(w, c->arg);
        break;
    case CMD_SELECT_MOVE:
        rc = move_selection(w, c->dx, c->dy);
        break;
    case CMD_ENLARGE:
        if (c->panel && c->panel[0]) {
            int i = panel_by_id(w, c->panel);
            rc = i >= 0 ? enlarge(w, i) : 0;
        } else {
            rc = enlarge(w, c->arg);
        }
        break;
    case CMD_RESTORE:
        rc = w->enlarged >= 0;
        w->enlarged = -1;
        if (!rc) {
            WHY("no panel is enlarged");
        }
        break;
    case CMD_BACK:
        rc = back(w);
        break;
    case CMD_ACK:
        rc = c->panel && c->panel[0] ? ack(w, c->panel, origin) : 0;
        if (!rc) {
            WHY("no open alarm on panel \"%s\"", c->panel ? c->panel : "");
        }
        break;
    case CMD_ACK_ALL:
        rc = ack(w, NULL, origin);
        w->ack_armed_until = 0;
        break;
    case CMD_ACK_ALL_ARM:
        rc = alarms_count_unacked(&w->alarms) > 0;
        w->ack_armed_until = rc ? now_ms() + ACK_CONFIRM_MS : 0;
        if (!rc) {
            WHY("no open alarm");
            wall_toast(w, 2000, "%s", tr(w->cfg->locale, TR_NO_OPEN_ALARM));
        }
        break;
    case CMD_ACK_ALL_CONFIRM:
        rc = w->ack_armed_until ? ack(w, NULL, origin) : 0;
        w->ack_armed_until = 0;
        break;
    case CMD_ACK_ALL_CANCEL:
        rc = w->ack_armed_until != 0;
        w->ack_armed_until = 0;
        break;
    case CMD_SCREENSHOT:
        w->want_screenshot = true;
        rc = 1;
        break;
    case CMD_HELP:
        w->show_help = !w->show_help;
        rc = 1;
        break;
    case CMD_STATS:
        w->show_stats = !w->show_stats;
        rc = 1;
        break;
    case CMD_ALARM_LOG:
        w->show_alarm_log = !w->show_alarm_log;
        rc = 1;
        break;
    case CMD_ALIGN:
        w->show_align = !w->show_align;
        log_info(w->log, "alignment pattern %s (%s)", w->show_align ? "on" : "off", origin);
        rc = 1;
        break;
    case CMD_QUIT_ARM:
        w->quit_armed_until = now_ms() + QUIT_CONFIRM_MS;
        rc = 1;
        break;
    case CMD_QUIT_CONFIRM:
        rc = w->quit_armed_until != 0;
        w->quit = w->quit || rc;
        w->quit_armed_until = 0;
        break;
    case CMD_QUIT_CANCEL:
        rc = w->quit_armed_until != 0;
        w->quit_armed_until = 0;
        break;
    case CMD_QUIT:
        w->quit = true;
        rc = 1;
        break;
    case CMD_TOUR_HOLD:
        rc = !w->tour_held;
        w->tour_held = true;
        break;
    case CMD_TOUR_RESUME:
        rc = w->tour_held;
        w->tour_held = false;
        w->page_since_ms = now_ms();
        if (rc) {
            wall_toast(w, 2000, "%s", tr(w->cfg->locale, TR_TOUR_RESUMED));
        }
        break;
    case CMD_RELOAD:
    case CMD_RESTART_SOURCE:
    case CMD_DEBUG_FREEZE:
        /* The app's business (config, feeds, the frame loop itself). */
        if (!w->opts.app_exec) {
            WHY("not available here");
            rc = 0;
        } else {
            rc = w->opts.app_exec(w->opts.hook_ctx, c, w->cmd_why, sizeof(w->cmd_why));
        }
        break;
    default:
        log_warn(w->log, "unknown command %d from %s", (int)c->kind, origin);
        return -1;
    }
    log_debug(w->log, "command %s (%s): %d", control_name(c->kind), origin, rc);
    struct shared after = shared_now(w);
    if (!shared_same(&before, &after)) {
        if (after.page != before.page) {
            log_info(w->log, "page %zu/%zu (%s)", after.page + 1, n_pages, origin);
        }
        w->shared_seq++;
        w->shared_by_tour = strcmp(origin, "tour") == 0;
    }
    w->dirty = true;
    return rc;
}

void control_apply_shared(struct wall *w, size_t page, int64_t shown_ms, const char *enlarged, bool held,
                          bool align, const char *by)
{
    if (page < w->cfg->n_pages && page != w->page) {
        select_page(w, page);
        log_info(w->log, "page %zu/%zu (sync from %s)", page + 1, w->cfg->n_pages, by);
    }
    /* The tour goes on from where the wall's page started. */
    w->page_since_ms = now_ms() - (shown_ms > 0 ? shown_ms : 0);
    int en = -1;
    for (size_t i = 0; enlarged && enlarged[0] && i < wall_page_count(w, w->page); i++) {
        if (strcmp(wall_page_panel(w, (int)i)->cfg->id, enlarged) == 0) {
            en = (int)i;
        }
    }
    if (en != w->enlarged) {
        w->enlarged = en;
        if (en >= 0) {
            w->selected = en;
        }
    }
    w->tour_held = held;
    w->show_align = align;
    w->dirty = true;
}
