/* app/input.c: keyboard and mouse controls, translated into commands
 * (control.h); nothing here changes the wall's state by itself except the
 * layout after a resize. Render thread only.
 * The wall must survive careless hands: quitting needs Ctrl+Q then Y, and
 * closing the window in operator mode only arms that confirmation. */
#include "input.h"
#include "control.h"
#include "wall_state.h"
#include "geometry.h"

#include <stdbool.h>

static int run(struct wall *w, enum wall_cmd_kind kind, int arg, const char *origin)
{
    return control_exec(w, &(struct wall_cmd){ .kind = kind, .arg = arg, .origin = origin });
}

static void move(struct wall *w, int dx, int dy)
{
    control_exec(w, &(struct wall_cmd){ .kind = CMD_SELECT_MOVE, .dx = dx, .dy = dy, .origin = "keyboard" });
}

/* Panel index for the digit keys 1-9, 0 (= 10); -1 for other keys. */
static int digit_panel(SDL_Keycode key)
{
    if (key >= SDLK_1 && key <= SDLK_9) {
        return (int)(key - SDLK_1);
    }
    if (key >= SDLK_KP_1 && key <= SDLK_KP_9) {
        return (int)(key - SDLK_KP_1);
    }
    return key == SDLK_0 || key == SDLK_KP_0 ? 9 : -1;
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
    case SDLK_a: {
        /* The selected panel's alarms when it has an open one, else all. */
        const struct panel *sel = wall_page_panel(w, w->selected);
        if (sel && alarms_unacked(&w->alarms, sel->cfg->id)) {
            control_exec(w, &(struct wall_cmd){ .kind = CMD_ACK, .panel = sel->cfg->id, .origin = kb });
        } else {
            run(w, CMD_ACK_ALL, 0, kb);
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
    default:
        if (digit_panel(key) >= 0) {
            run(w, CMD_SELECT, digit_panel(key), kb);
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
        run(w, CMD_ACK_ALL, 0, "mouse");
    }
    run(w, CMD_SELECT, i, "mouse");
    if (b->clicks >= 2) {
        run(w, CMD_ENLARGE, i, "mouse");
    }
}

void input_handle(struct wall *w, const SDL_Event *ev)
{
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
