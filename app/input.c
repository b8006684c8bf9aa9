/* app/input.c: keyboard and mouse controls. Render thread only.
 * The wall must survive careless hands: quitting needs Ctrl+Q then Y, and
 * closing the window in operator mode only arms that confirmation. */
#include "wall_priv.h"
#include "geometry.h"
#include "../core/i18n.h"
#include "../core/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define QUIT_CONFIRM_MS 5000
#define DOUBLE_CLICK_MS 400

static void arm_quit(struct wall *w)
{
    w->quit_armed_until = now_ms() + QUIT_CONFIRM_MS;
    w->dirty = true;
}

/* Nearest panel from the selected one in direction (dx, dy). */
static void move_selection(struct wall *w, int dx, int dy)
{
    size_t n = wall_page_count(w, w->page);
    if (n == 0) {
        return;
    }
    if (w->selected < 0) {
        w->selected = 0;
        w->dirty = true;
        return;
    }
    struct panel *cur = wall_page_panel(w, w->selected);
    int cx = cur->rect.x + cur->rect.w / 2, cy = cur->rect.y + cur->rect.h / 2;
    int best = -1;
    long best_score = LONG_MAX;
    for (size_t i = 0; i < n; i++) {
        if ((int)i == w->selected) {
            continue;
        }
        struct panel *p = wall_page_panel(w, (int)i);
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
    if (best >= 0) {
        w->selected = best;
        w->dirty = true;
    }
}

static void select_index(struct wall *w, int i)
{
    if (i >= 0 && (size_t)i < wall_page_count(w, w->page)) {
        w->selected = i;
        if (w->enlarged >= 0) {
            w->enlarged = i; /* switching the enlarged panel directly */
        }
        w->dirty = true;
    }
}

static void key_down(struct wall *w, const SDL_KeyboardEvent *k)
{
    SDL_Keycode key = k->keysym.sym;
    bool ctrl = (k->keysym.mod & KMOD_CTRL) != 0;
    w->dirty = true;
    if (w->quit_armed_until) {
        w->quit_armed_until = 0;
        if (key == SDLK_y) {
            w->quit = true;
        }
        return; /* any other key cancels, and does nothing else */
    }
    if (ctrl && key == SDLK_q) {
        arm_quit(w);
        return;
    }
    switch (key) {
    case SDLK_F1:
        w->show_help = !w->show_help;
        break;
    case SDLK_ESCAPE:
        if (w->show_help) {
            w->show_help = false;
        } else if (w->enlarged >= 0) {
            w->enlarged = -1;
        } else if (w->show_stats) {
            w->show_stats = false;
        } else {
            w->selected = -1;
        }
        break;
    case SDLK_i:
        w->show_stats = !w->show_stats;
        break;
    case SDLK_a: {
        /* Acknowledge the selected panel's alarm, or all of them. */
        struct panel *sel = wall_page_panel(w, w->selected);
        int n = sel && alarms_unacked(&w->alarms, sel->cfg->id) ? alarms_ack(&w->alarms, sel->cfg->id)
                                                                 : alarms_ack(&w->alarms, NULL);
        if (n) {
            log_info(w->log, "%d alarm(s) acknowledged from the keyboard", n);
        }
        break;
    }
    case SDLK_F12:
        wall_do_screenshot(w);
        break;
    case SDLK_PAGEDOWN:
        wall_select_page(w, (w->page + 1) % w->cfg->n_pages);
        break;
    case SDLK_PAGEUP:
        wall_select_page(w, (w->page + w->cfg->n_pages - 1) % w->cfg->n_pages);
        break;
    case SDLK_LEFT:
        move_selection(w, -1, 0);
        break;
    case SDLK_RIGHT:
        move_selection(w, 1, 0);
        break;
    case SDLK_UP:
        move_selection(w, 0, -1);
        break;
    case SDLK_DOWN:
        move_selection(w, 0, 1);
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        if (w->selected < 0) {
            w->selected = 0;
        }
        w->enlarged = w->selected;
        break;
    default:
        if (key >= SDLK_1 && key <= SDLK_9) {
            select_index(w, (int)(key - SDLK_1));
        } else if (key == SDLK_0) {
            select_index(w, 9);
        } else if (key >= SDLK_KP_1 && key <= SDLK_KP_9) {
            select_index(w, (int)(key - SDLK_KP_1));
        } else if (key == SDLK_KP_0) {
            select_index(w, 9);
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
    if (b->button != SDL_BUTTON_LEFT) {
        return;
    }
    w->dirty = true;
    if (w->enlarged >= 0) {
        if (b->clicks >= 2) {
            w->enlarged = -1; /* double-click again returns to the wall */
        }
        return;
    }
    int i = hit_test(w, b->x, b->y);
    if (i < 0) {
        return;
    }
    struct panel *p = wall_page_panel(w, i);
    if (strcmp(p->cfg->kind->name, "alarms") == 0 && alarms_ack(&w->alarms, NULL) > 0) {
        log_info(w->log, "alarms acknowledged by a click on the ticker");
    }
    w->selected = i;
    if (b->clicks >= 2) {
        w->enlarged = i;
    }
}

void input_handle(struct wall *w, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_QUIT:
        /* A window manager close: a supervisor's preview may go; the wall
         * itself asks first. */
        if (w->opts.mode == WALL_PREVIEW) {
            w->quit = true;
        } else {
            arm_quit(w);
        }
        break;
    case SDL_KEYDOWN:
        key_down(w, &ev->key);
        break;
    case SDL_MOUSEBUTTONDOWN:
        mouse_down(w, &ev->button);
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
