/* tests/test_control.c: the wall driven through commands alone (no SDL
 * events): every operator action of app/control.h, checked through the UI
 * state, the alarm list and a saved screenshot. Table-driven: each step is
 * a command, what it must return, and the state after it. */
#include "app/control.h"
#include "app/wall.h"
#include "app/wall_state.h"
#include "app/alarmlog.h"
#include "app/overlay.h"
#include "config/config.h"
#include "core/scene.h"
#include "feeds/feed.h"
#include "widgets/widget.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *cfg_fmt =
    "version: 1\n"
    "screenshot_dir: \"%s\"\n"
    "wall: { displays: { columns: 1, rows: 1, size: [400, 200] }, grid: [2, 2], gap: 0 }\n"
    "pages:\n"
    "  - name: one\n"
    "    panels:\n"
    "      - { text: \"A\", id: a, at: [0, 0, 1, 1] }\n"
    "      - { text: \"B\", id: b, at: [1, 0, 1, 1] }\n"
    "      - { text: \"C\", id: c, at: [0, 1, 2, 1] }\n"
    "  - name: two\n"
    "    panels:\n"
    "      - { text: \"D\", id: d, at: [0, 0, 2, 2] }\n"
    "  - name: three\n"
    "    panels:\n"
    "      - { text: \"E\", id: e, at: [0, 0, 2, 1] }\n"
    "      - { alarms: {}, id: list, at: [0, 1, 2, 1] }\n";

struct step {
    struct wall_cmd cmd;
    int rc;                 /* what control_exec returns */
    int page, selected, enlarged;
    const char *why;
};

#define C(...) { .origin = "test", .kind = __VA_ARGS__ }

static const struct step steps[] = {
    { C(CMD_SELECT, .arg = 1), 1, 0, 1, -1, "select panel 2" },
    { C(CMD_SELECT, .arg = 7), 0, 0, 1, -1, "a panel past the page's is refused, selection kept" },
    { C(CMD_SELECT_MOVE, .dx = -1), 1, 0, 0, -1, "left of B is A" },
    { C(CMD_SELECT_MOVE, .dy = 1), 1, 0, 2, -1, "below A is the wide C" },
    { C(CMD_SELECT_MOVE, .dy = 1), 0, 0, 2, -1, "nothing below C: nothing changes" },
    { C(CMD_ENLARGE, .arg = -1), 1, 0, 2, 2, "enlarge the selected panel" },
    { C(CMD_SELECT, .arg = 0), 1, 0, 0, 0, "selecting while enlarged switches the enlarged panel" },
    { C(CMD_SELECT_MOVE, .dx = 1), 1, 0, 1, 1, "an arrow while enlarged enlarges the next panel (no invisible move)" },
    { C(CMD_SELECT_MOVE, .dx = -1), 1, 0, 0, 0, "and back" },
    { C(CMD_RESTORE), 1, 0, 0, -1, "restore" },
    { C(CMD_RESTORE), 0, 0, 0, -1, "restore with nothing enlarged changes nothing" },
    { C(CMD_ENLARGE, .arg = 1), 1, 0, 1, 1, "enlarge a given panel" },
    { C(CMD_BACK), 1, 0, 1, -1, "back: from the enlarged panel" },
    { C(CMD_BACK), 1, 0, -1, -1, "back: deselect" },
    { C(CMD_BACK), 0, 0, -1, -1, "back with nothing up changes nothing" },
    { C(CMD_PAGE_NEXT), 1, 1, -1, -1, "next page" },
    { C(CMD_PAGE_NEXT), 1, 2, -1, -1, "next page again" },
    { C(CMD_PAGE_NEXT), 1, 0, -1, -1, "next page wraps" },
    { C(CMD_PAGE_PREV), 1, 2, -1, -1, "previous page wraps" },
    { C(CMD_PAGE, .arg = 1), 1, 1, -1, -1, "page 2 by number" },
    { C(CMD_PAGE, .arg = 3), 0, 1, -1, -1, "a page that does not exist is refused" },
    { C(CMD_SELECT, .arg = 0), 1, 1, 0, -1, "select on page 2" },
    { C(CMD_PAGE, .arg = 0), 1, 0, -1, -1, "a page change clears the selection" },
    { C(CMD_COUNT), -1, 0, -1, -1, "an unknown command is refused" },
};

static struct wall_ui ui(struct wall *w)
{
    struct wall_ui u;
    wall_get_ui(w, &u);
    return u;
}

/* A new, unacknowledged alarm on panel id (an acknowledged one that is
 * still active would stay acknowledged). */
static void fresh_alarm(struct wall *w, const char *id, const char *label, const char *value, int64_t t)
{
    alarms_clear(&w->alarms, id);
    alarms_raise(&w->alarms, id, label, value, t);
}

static int run(struct wall *w, enum wall_cmd_kind kind)
{
    return control_exec(w, &(struct wall_cmd){ .kind = kind, .origin = "test" });
}

int main(void)
{
    char dir[] = "/tmp/pantau-test-control-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    char text[2048];
    snprintf(text, sizeof(text), cfg_fmt, dir);
    struct cfg_errors errs = { 0 };
    const struct cfg_kinds kinds = { widget_kinds, feed_kinds };
    struct cfg *c = cfg_load("control.yaml", text, &kinds, &errs);
    CHECK(c != NULL, "config loads (%s)", errs.n ? errs.lines[0] : "");
    cfg_errors_finish(&errs);
    if (!c) {
        return check_finish("test_control");
    }
    struct scene *s = scene_create();
    struct wall_opts o = { .mode = WALL_OPERATOR, .headless = true, .win_w = 400, .win_h = 200, .frames = 1 };
    char err[256];
    struct wall *w = wall_create(c, s, &o, err, sizeof(err));
    CHECK(w != NULL, "wall created: %s", err);
    if (!w) {
        return check_finish("test_control");
    }

    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        const struct step *st = &steps[i];
        int rc = control_exec(w, &st->cmd);
        struct wall_ui u = ui(w);
        CHECK(rc == st->rc && (int)u.page == st->page && u.selected == st->selected && u.enlarged == st->enlarged,
              "step %zu (%s, %s): want rc %d page %d selected %d enlarged %d, got %d %d %d %d", i,
              control_name(st->cmd.kind), st->why, st->rc, st->page, st->selected, st->enlarged, rc, (int)u.page,
              u.selected, u.enlarged);
    }

    /* Overlays. */
    run(w, CMD_HELP);
    CHECK(ui(w).help, "help toggles on");
    run(w, CMD_STATS);
    CHECK(ui(w).stats, "stats toggle on");
    run(w, CMD_BACK);
    CHECK(!ui(w).help && ui(w).stats, "back closes help first");
    run(w, CMD_BACK);
    CHECK(!ui(w).stats, "then stats");

    /* Acknowledgements: one panel's, then all. */
    alarms_raise(&w->alarms, "a", "A", "9", 0);
    alarms_raise(&w->alarms, "b", "B", "9", 0);
    alarms_raise(&w->alarms, "c", "C", "9", 0);
    CHECK_INT(control_exec(w, &(struct wall_cmd){ .kind = CMD_ACK, .panel = "b", .origin = "test" }), 1,
              "ack b acknowledges one alarm");
    CHECK(alarms_unacked(&w->alarms, "a") && !alarms_unacked(&w->alarms, "b") && alarms_unacked(&w->alarms, "c"),
          "only b's alarm is acknowledged");
    CHECK_INT(control_exec(w, &(struct wall_cmd){ .kind = CMD_ACK, .panel = "nope", .origin = "test" }), 0,
              "ack of a panel without alarm acknowledges nothing");
    CHECK_INT(control_exec(w, &(struct wall_cmd){ .kind = CMD_ACK, .origin = "test" }), 0,
              "ack without a panel acknowledges nothing (all is its own command)");
    CHECK(strstr(w->toast, "B (9)") && strstr(w->toast, "test"), "the toast says what and who: %s", w->toast);
    CHECK_INT(run(w, CMD_ACK_ALL), 2, "ack-all acknowledges the other two");
    CHECK_INT(alarms_count_unacked(&w->alarms), 0, "nothing left to acknowledge");
    CHECK(strstr(w->toast, "2 alarms acknowledged") != NULL, "the toast counts them: %s", w->toast);

    /* Acknowledging all from the wall is asked first. */
    CHECK_INT(run(w, CMD_ACK_ALL_ARM), 0, "nothing to acknowledge: no question");
    CHECK(!ui(w).ack_armed, "not armed");
    fresh_alarm(w, "x", "X", "7", 0);
    fresh_alarm(w, "y", "Y", "8", 0);
    CHECK_INT(run(w, CMD_ACK_ALL_CONFIRM), 0, "confirm without the question acknowledges nothing");
    CHECK_INT(run(w, CMD_ACK_ALL_ARM), 1, "the question is asked");
    CHECK(ui(w).ack_armed, "armed");
    CHECK_INT(run(w, CMD_ACK_ALL_CANCEL), 1, "cancel disarms");
    CHECK(!ui(w).ack_armed && alarms_count_unacked(&w->alarms) == 2, "disarmed, both still open");
    run(w, CMD_ACK_ALL_ARM);
    CHECK_INT(run(w, CMD_ACK_ALL_CONFIRM), 2, "confirm acknowledges both");
    CHECK(!ui(w).ack_armed, "the question is gone");

    /* The same through keys and clicks (page three has the alarm list). */
    fresh_alarm(w, "x", "X", "7", 0);
    fresh_alarm(w, "e", "E", "5", 0);
    run(w, CMD_PAGE_NEXT);
    run(w, CMD_PAGE_NEXT); /* from page 1 to page 3 */
    CHECK_INT(ui(w).page, 2, "on page three");
    SDL_Event ev = { .type = SDL_KEYDOWN };
    ev.key.keysym.sym = SDLK_a;
    wall_handle_event(w, &ev);
    CHECK_INT(alarms_count_unacked(&w->alarms), 2, "A with no panel selected acknowledges nothing");
    CHECK(strstr(w->toast, "2 open elsewhere") != NULL, "and says how: %s", w->toast);
    control_exec(w, &(struct wall_cmd){ .kind = CMD_SELECT, .arg = 0, .origin = "test" });
    wall_handle_event(w, &ev);
    CHECK(!alarms_unacked(&w->alarms, "e") && alarms_unacked(&w->alarms, "x"), "A acknowledges the selected panel's");
    CHECK(strstr(w->toast, "E (5)") && strstr(w->toast, "keyboard"), "toast: %s", w->toast);
    fresh_alarm(w, "y", "Y", "8", 0);
    ev.key.keysym.mod = KMOD_LSHIFT;
    wall_handle_event(w, &ev);
    CHECK(ui(w).ack_armed && alarms_count_unacked(&w->alarms) == 2, "Shift+A asks first");
    ev.key.keysym.sym = SDLK_n;
    ev.key.keysym.mod = 0;
    wall_handle_event(w, &ev);
    CHECK(!ui(w).ack_armed && alarms_count_unacked(&w->alarms) == 2, "another key cancels, and does nothing else");
    ev.key.keysym.sym = SDLK_a;
    ev.key.keysym.mod = KMOD_LSHIFT;
    wall_handle_event(w, &ev);
    ev.key.keysym.sym = SDLK_y;
    ev.key.keysym.mod = 0;
    wall_handle_event(w, &ev);
    CHECK_INT(alarms_count_unacked(&w->alarms), 0, "Shift+A, Y acknowledges all");
    fresh_alarm(w, "x", "X", "9", 0);
    fresh_alarm(w, "y", "Y", "9", 0);
    SDL_Event ck = { .type = SDL_MOUSEBUTTONDOWN };
    ck.button.button = SDL_BUTTON_LEFT;
    ck.button.clicks = 1;
    ck.button.x = 200;
    ck.button.y = 150; /* the alarm list, bottom half */
    wall_handle_event(w, &ck);
    CHECK(ui(w).ack_armed && alarms_count_unacked(&w->alarms) == 2, "a click on the alarm list asks first");
    wall_handle_event(w, &ck);
    CHECK_INT(alarms_count_unacked(&w->alarms), 0, "a second click there acknowledges all");
    CHECK(strstr(w->toast, "mouse") != NULL, "toast names the mouse: %s", w->toast);
    run(w, CMD_PAGE);

    /* The alarm log (memory only here): every event above, newest first;
     * L shows it, Esc closes it. */
    const char *lines[ALARM_LOG_RECENT];
    size_t nl = alarm_log_recent(w->alarm_log, lines, ALARM_LOG_RECENT);
    CHECK(nl >= 10 && strstr(lines[0], "\tACKED\t") && strstr(lines[0], "\tmouse"),
          "the newest entry is the mouse's acknowledgement: %s", nl ? lines[0] : "(none)");
    CHECK_INT(run(w, CMD_ALARM_LOG), 1, "alarm log shown");
    CHECK(ui(w).alarm_log, "alarm log up");
    wall_render_frame(w); /* drawn (the sanitizer builds read every line) */
    run(w, CMD_BACK);
    CHECK(!ui(w).alarm_log, "Esc closes it");

    /* An alarm is never hidden by an enlarged panel: C alarms while A fills
     * the screen; the banner runs across the top, red, until C's alarm is
     * acknowledged. */
    run(w, CMD_PAGE);
    fresh_alarm(w, "c", "C", "77", 0);
    control_exec(w, &(struct wall_cmd){ .kind = CMD_ENLARGE, .arg = 0, .origin = "test" });
    CHECK_INT(ui(w).enlarged, 0, "A enlarged");
    size_t hidden = 0;
    SDL_Rect ban = overlay_alarm_banner_rect(w, &hidden);
    CHECK(hidden == 1 && ban.w == 400 && ban.h > 10 && ban.y == 0, "a banner across the enlarged panel (%d,%d %dx%d, %zu)",
          ban.x, ban.y, ban.w, ban.h, hidden);
    wall_render_frame(w);
    Uint32 px = 0;
    SDL_Rect one = { 200, ban.h / 2 > 2 ? 2 : 0, 1, 1 };
    SDL_RenderReadPixels(wall_renderer(w), &one, SDL_PIXELFORMAT_ARGB8888, &px, 4);
    CHECK(((px >> 16) & 0xff) > 150 && ((px >> 8) & 0xff) < 80, "and it is red on screen: %06x", px & 0xffffff);
    control_exec(w, &(struct wall_cmd){ .kind = CMD_ACK, .panel = "c", .origin = "test" });
    overlay_alarm_banner_rect(w, &hidden);
    CHECK_INT((int)hidden, 0, "acknowledged: no banner");
    run(w, CMD_RESTORE);

    /* Screenshot: saved after the next frame. */
    CHECK_INT(run(w, CMD_SCREENSHOT), 1, "screenshot requested");
    atomic_int stop = 0;
    wall_run(w, &stop);
    char cmdline[512];
    snprintf(cmdline, sizeof(cmdline), "ls %s/pantau-*.png >/dev/null 2>&1", dir);
    CHECK(system(cmdline) == 0, "a screenshot pantau-*.png was saved in %s", dir);

    /* Quit: arm, cancel, arm, confirm; confirm without arming does nothing. */
    CHECK_INT(run(w, CMD_QUIT_CONFIRM), 0, "confirm without a question does nothing");
    CHECK(!ui(w).quit, "not quitting");
    run(w, CMD_QUIT_ARM);
    CHECK(ui(w).quit_armed, "armed");
    CHECK_INT(run(w, CMD_QUIT_CANCEL), 1, "cancel disarms");
    CHECK(!ui(w).quit_armed && !ui(w).quit, "disarmed, still running");
    run(w, CMD_QUIT_ARM);
    CHECK_INT(run(w, CMD_QUIT_CONFIRM), 1, "confirm after arming");
    CHECK(ui(w).quit, "quitting");

    CHECK_STR(control_name(CMD_ACK_ALL), "ack-all", "command names for logs");
    wall_destroy(w);
    scene_destroy(s);
    cfg_destroy(c);
    snprintf(cmdline, sizeof(cmdline), "rm -rf %s", dir);
    CHECK(system(cmdline) == 0, "temp dir removed");
    return check_finish("test_control");
}
