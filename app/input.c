/* app/input.c: keyboard and mouse controls, translated into commands
 * (control.h); nothing here changes the wall's state by itself except the
 * layout after a resize. Render thread only.
 * The wall must survive careless hands: quitting needs Ctrl+Q then Y, and
 * closing the window in operator mode only arms that confirmation. */
#include "input.h"
#include "control.h"
#include "wall_state.h"
#include "geometry.h"
#include "overlay.h"
#include "../core/i18n.h"
#include "../core/util.h"

#include <stdbool.h>
#include <stdio.h>

static int run(struct wall *w, enum wall_cmd_kind kind, int arg, const char *origin)
{
    return control_exec(w, &(struct wall_cmd){ .kind = kind, .arg = arg, .origin = origin });
}

static void move(struct wall *w, int dx, int dy)
{
    control_exec(w, &(struct wall_cmd){ .kind = CMD_SELECT_MOVE, .dx = dx, .dy = dy, .origin = "keyboard" });
}

#define DIGITS_MS 1000 /* a second digit within this long makes a two-digit panel number */

/* The digit of a key, -1 for other keys. */
static int key_digit(SDL_Keycode key)
{
    if (key >= SDLK_0 && key <= SDLK_9) {
        return (int)(key - SDLK_0);
    }
    if (key >= SDLK_KP_1 && key <= SDLK_KP_9) {
        return (int)(key - SDLK_KP_1) + 1;
    }
    return key == SDLK_KP_0 ? 0 : -1;
}

/* 1-9 select panels 1-9 and 0 panel 10 at once; a second digit within a
 * second makes a two-digit number (1, 2: panel 12) when the page has that
 * many panels, so a 24-panel page is reachable from the keyboard. */
static void digit(struct wall *w, int d)
{
    int64_t now = now_ms();
    int n = (int)wall_page_count(w, w->page);
    int number = d == 0 ? 10 : d;
    if (w->digits > 0 && now - w->digits_at < DIGITS_MS && w->digits * 10 + d <= n) {
        number = w->digits * 10 + d;
        w->digits = 0; /* two digits at most */
    } else {
        w->digits = d == 0 ? 0 : d;
    }
    w->digits_at = now;
    if (number <= n) {
        run(w, CMD_SELECT, number - 1, "keyboard");
        wall_toast(w, 1200, "%s %d", tr(w->cfg->locale, TR_PANEL), number);
    }
}

static void key_down(struct wall *w, const SDL_KeyboardEvent *k)
{
    SDL_Keycode key = k->keysym.sym;
    bool ctrl = (k->keysym.mod & KMOD_CTRL) != 0;
    const char *kb = "keyboard";
    w->dirty = true;
    if (w->quit_armed_until) {
        /* Y quits; any other key cancels, and does nothing else. */
        run(w, key == SDLK_y ? CMD_QUIT_CONFIRM : CMD_QUIT_CANCEL, 0, kb);
        return;
    }
    if (w->ack_armed_until) {
        /* The same for acknowledging every alarm. */
        run(w, key == SDLK_y ? CMD_ACK_ALL_CONFIRM : CMD_ACK_ALL_CANCEL, 0, kb);
        return;
    }
    if (ctrl && key == SDLK_q) {
        run(w, CMD_QUIT_ARM, 0, kb);
        return;
    }
    switch (key) {
    case SDLK_F1:
        run(w, CMD_HELP, 0, kb);
        break;
    case SDLK_ESCAPE:
        run(w, CMD_BACK, 0, kb);
        break;
    case SDLK_i:
        run(w, CMD_STATS, 0, kb);
        break;
    case SDLK_l:
        run(w, CMD_ALARM_LOG, 0, kb);
        break;
    case SDLK_g:
        run(w, CMD_ALIGN, 0, kb);
        break;
    case SDLK_a: {
        /* A: the selected panel's alarm. Every alarm at once is a
         * deliberate act: Shift+A, then Y (like the quit guard). */
        const struct panel *sel = wall_page_panel(w, w->selected);
        size_t open = alarms_count_unacked(&w->alarms);
        char src_alarm[80] = ""; /* the selected panel's source's alarm (alarm_after) */
        if (sel && sel->cfg->source) {
            snprintf(src_alarm, sizeof(src_alarm), "source:%s", sel->cfg->source->name);
        }
        if (k->keysym.mod & KMOD_SHIFT) {
            run(w, CMD_ACK_ALL_ARM, 0, kb);
        } else if (sel && alarms_unacked(&w->alarms, sel->cfg->id)) {
            control_exec(w, &(struct wall_cmd){ .kind = CMD_ACK, .panel = sel->cfg->id, .origin = kb });
        } else if (src_alarm[0] && alarms_unacked(&w->alarms, src_alarm)) {
            control_exec(w, &(struct wall_cmd){ .kind = CMD_ACK, .panel = src_alarm, .origin = kb });
        } else if (open) {
            wall_toast(w, 5000, tr(w->cfg->locale, TR_ACK_SELECT_HINT), open);
        } else {
            wall_toast(w, 2000, "%s", tr(w->cfg->locale, TR_NO_OPEN_ALARM));
        }
        break;
    }
    case SDLK_F12:
        run(w, CMD_SCREENSHOT, 0, kb);
        break;
    case SDLK_PAGEDOWN:
        run(w, CMD_PAGE_NEXT, 0, kb);
        break;
    case SDLK_PAGEUP:
        run(w, CMD_PAGE_PREV, 0, kb);
        break;
    case SDLK_LEFT:
        move(w, -1, 0);
        break;
    case SDLK_RIGHT:
        move(w, 1, 0);
        break;
    case SDLK_UP:
        move(w, 0, -1);
        break;
    case SDLK_DOWN:
        move(w, 0, 1);
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        run(w, CMD_ENLARGE, -1, kb);
        break;
    case SDLK_h:
        run(w, w->tour_held ? CMD_TOUR_RESUME : CMD_TOUR_HOLD, 0, kb);
        break;
    default:
        if (key_digit(key) >= 0) {
            digit(w, key_digit(key));
        }
        break;
    }
}

/* The page panel under output point (x, y), or -1. */
static int hit_test(struct wall *w, int x, int y)
{
    SDL_Point pt = { x, y };
    for (size_t v = 0; v < w->n_views; v++) {
        const struct view *vw = &w->views[v];
        if (!SDL_PointInRect(&pt, &vw->dst)) {
            continue;
        }
        size_t n = wall_page_count(w, w->page);
        for (size_t i = 0; i < n; i++) {
            struct panel *p = wall_page_panel(w, (int)i);
            SDL_Rect box = geom_map(p->rect, vw->src, vw->dst, vw->scale);
            if (SDL_PointInRect(&pt, &box)) {
                return (int)i;
            }
        }
    }
    return -1;
}

static void mouse_down(struct wall *w, const SDL_MouseButtonEvent *b)
{
    /* With a mouse alone (the supervisor's preview): the right button
     * opens and closes the help, the middle one the stats. */
    if (b->button == SDL_BUTTON_RIGHT) {
        run(w, CMD_HELP, 0, "mouse");
        return;
    }
    if (b->button == SDL_BUTTON_MIDDLE) {
        run(w, CMD_STATS, 0, "mouse");
        return;
    }
    if (b->button != SDL_BUTTON_LEFT) {
        return;
    }
    w->dirty = true;
    if (w->enlarged >= 0) {
        if (b->clicks >= 2) {
            run(w, CMD_RESTORE, 0, "mouse"); /* double-click again returns to the wall */
        }
        return;
    }
    int i = hit_test(w, b->x, b->y);
    if (i < 0) {
        return;
    }
    const struct panel *p = wall_page_panel(w, i);
    if (p->ops && p->ops->click_acks_all) {
        /* A click on the alarm list asks; a second click there confirms. */
        run(w, w->ack_armed_until ? CMD_ACK_ALL_CONFIRM : CMD_ACK_ALL_ARM, 0, "mouse");
    } else if (w->ack_armed_until) {
        run(w, CMD_ACK_ALL_CANCEL, 0, "mouse");
    }
    run(w, CMD_SELECT, i, "mouse");
    if (b->clicks >= 2) {
        run(w, CMD_ENLARGE, i, "mouse");
    }
}

void input_handle(struct wall *w, const SDL_Event *ev)
{
    if (ev->type == SDL_KEYDOWN || ev->type == SDL_MOUSEBUTTONDOWN || ev->type == SDL_MOUSEWHEEL) {
        w->input_ms = now_ms(); /* an operator at work: see the tour in wall.c */
    }
    switch (ev->type) {
    case SDL_QUIT:
        /* A window manager close: a supervisor's preview may go; the wall
         * itself asks first. */
        run(w, w->opts.mode == WALL_PREVIEW ? CMD_QUIT : CMD_QUIT_ARM, 0, "window");
        break;
    case SDL_KEYDOWN:
        key_down(w, &ev->key);
        break;
    case SDL_MOUSEBUTTONDOWN:
        mouse_down(w, &ev->button);
        break;
    case SDL_MOUSEWHEEL:
        /* The wheel turns the pages (down: next). */
        if (ev->wheel.y != 0) {
            int y = ev->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -ev->wheel.y : ev->wheel.y;
            run(w, y < 0 ? CMD_PAGE_NEXT : CMD_PAGE_PREV, 0, "mouse");
        }
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
            ev->window.event == SDL_WINDOWEVENT_RESIZED) {
            w->layout_dirty = true;
        }
        w->dirty = true;
        break;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET:
        text_cache_clear(w->text);
        w->layout_dirty = true;
        w->dirty = true;
        break;
    default:
        break;
    }
}
