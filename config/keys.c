/* config/keys.c: the core config keys, one row each (type, target field,
 * default, range, help), as tmux's options-table.c: the top level, wall,
 * wall.displays, each page and what every panel has. A kind's own keys are
 * in its file (widgets/, feeds/). The loader, --check, --print-config and
 * the README reference read these rows. Pure data; any thread. */
#include "config.h"

static const char *const locale_names[] = { "en", "id", NULL };
static const char *const on_alarm_names[] = { "banner", "stop", "show", NULL };

static const struct cfg_key monitor_keys[] = {
    { "at", CFG_SIZE, CFG_OFF(cfg_monitor, at), "0x0", 0, 100000, .pos_off = CFG_POS(cfg_monitor, at_pos),
      .help = "Where the monitor's top-left corner is on the wall, [x, y] in pixels from the wall's top-left; "
              "leave the bezels as gaps between monitors." },
    { "size", CFG_SIZE, CFG_OFF(cfg_monitor, size), "1920x1080", 16, 16384,
      .help = "Its pixels, [width, height]; a portrait monitor is taller than wide, e.g. [1080, 1920] (rotate its "
              "output with `xrandr --rotate left` or the compositor)." },
    { "name", CFG_STRING, CFG_OFF(cfg_monitor, name), "",
      .help = "Its name on the alignment pattern and in the log; empty: Monitor N (N: its place in this list)." },
    { "output", CFG_STRING, CFG_OFF(cfg_monitor, output), "",
      .help = "The output it is on: an SDL display number or output name as the log lists them; empty: the "
              "next display in order. `--outputs` / `PANTAU_OUTPUTS` replace the outputs of this machine's "
              "monitors, in list order." },
    { "node", CFG_STRING, CFG_OFF(cfg_monitor, node), "",
      .help = "The machine (node name, `--node` / `PANTAU_NODE`) that drives it; empty: every machine." },
    { NULL },
};

static const struct cfg_key display_keys[] = {
    { "columns", CFG_INT, CFG_OFF(cfg_wall, columns), "1", 1, 64, .help = "Monitors across the wall." },
    { "rows", CFG_INT, CFG_OFF(cfg_wall, rows), "1", 1, 64, .help = "Monitors down the wall." },
    { "size", CFG_SIZE, CFG_OFF(cfg_wall, size), "1920x1080", 16, 16384,
      .help = "Pixels of one monitor, [width, height]." },
    { "bezel", CFG_SIZE, CFG_OFF(cfg_wall, bezel), "0x0", 0, 1000,
      .help = "Visible gap between two monitors in pixels, [horizontal, vertical]; content "
              "behind it is hidden so a picture spanning monitors lines up." },
    { "local", CFG_CELLS, CFG_OFF(cfg_wall, local), "0,0,0,0", 0, 64, .allow_empty = true,
      .pos_off = CFG_POS(cfg_wall, local_pos),
      .help = "Monitors this machine drives, [column, row, columns, rows]; [0, 0, 0, 0] means all." },
    { "monitors", CFG_LIST, CFG_OFF(cfg_wall, monitors), NULL, 0, 64, .count_off = CFG_OFF(cfg_wall, n_monitors),
      .item_size = sizeof(struct cfg_monitor), .sub = monitor_keys, .restart = true,
      .help = "Monitors of different sizes or orientations (a portrait column beside landscape ones), each "
              "where it is on the wall; replaces `columns`, `rows`, `size`, `bezel` and `local` (each monitor's "
              "`node` says which machine drives it). Each machine shows its monitors in one window each "
              "(`outputs` below is not used). The layout grid then spans the whole wall evenly." },
    { "outputs", CFG_STRING, CFG_OFF(cfg_wall, outputs), "", .restart = true,
      .pos_off = CFG_POS(cfg_wall, outputs_pos),
      .help = "One borderless full-screen window per monitor this machine drives instead of one window "
              "over an X screen spanning them (Wayland, or outputs that are not side by side): the outputs "
              "of those monitors, row by row, comma-separated, each an SDL display number (`0`) or an output "
              "name (`DP-1`, as the log lists them); `auto` takes displays 0, 1, 2 ... in order; empty: one "
              "window. `--outputs LIST` or `PANTAU_OUTPUTS` sets it per machine. The wall is drawn once in "
              "software and copied to each window." },
    { NULL },
};

static const struct cfg_key wall_keys[] = {
    { "displays", CFG_MAP, 0, NULL, .sub = display_keys, .help = "The monitor grid." },
    { "grid", CFG_SIZE, CFG_OFF(cfg_wall, grid), "6x4", 1, 256, .pos_off = CFG_POS(cfg_wall, grid_pos),
      .help = "Layout cells across and down the whole wall; panels are placed on these cells. With several "
              "monitors, a multiple of the monitor columns and rows, so every cell lies on one monitor." },
    { "gap", CFG_INT, CFG_OFF(cfg_wall, gap), "6", 0, 200,
      .help = "Pixels between neighbouring panels." },
    { "background", CFG_COLOR, CFG_OFF(cfg_wall, background), "#0b0f14",
      .help = "Colour behind the panels." },
    { "bezel_color", CFG_COLOR, CFG_OFF(cfg_wall, bezel_color), "#5b6b82",
      .help = "Colour of the monitor seams drawn in preview mode (the bezel, at least 3 px wide even where "
              "the bezel is 0), unlike the gaps between panels so a supervisor sees where each monitor ends." },
    { "status_line", CFG_BOOL, CFG_OFF(cfg_wall, status_line), "true",
      .help = "Show the wall's one-line status at the bottom right of the last monitor: tour held, cameras "
              "live, open alarms (red with an alarm, amber with a camera down)." },
    { "on_alarm", CFG_ENUM, CFG_OFF(cfg_wall, on_alarm), "banner", .choices = on_alarm_names,
      .help = "What the page tour does about an unacknowledged alarm: `banner` goes on turning pages (a red "
              "strip names alarms that are not on screen), `stop` stops on a page with one until it is "
              "acknowledged, `show` brings a new alarm's page up at once and stops there (not while a panel "
              "is enlarged). With several nodes the leader decides and the others follow." },
    { "stall_after", CFG_DURATION, CFG_OFF(cfg_wall, stall_after), "5s", 100, 86400000,
      .help = "A video source with no new frame for this long is marked STALLED (its own stall_after "
              "overrides). MQTT and HTTP values use their panel's stale_after instead." },
    { NULL },
};

static const struct cfg_key remote_keys[] = {
    { "broker", CFG_STRING, CFG_OFF(cfg, remote.broker), "", .pos_off = CFG_POS(cfg, remote.broker_pos),
      .help = "Name of an `mqtt` source whose broker (URL, user, password, TLS) carries remote commands, "
              "health and the wall's shared state (page, enlarged panel, tour) between its nodes; empty: off." },
    { "prefix", CFG_STRING, CFG_OFF(cfg, remote.prefix), "pantau", .pos_off = CFG_POS(cfg, remote.prefix_pos),
      .help = "Topic root: commands on `<prefix>/cmd` (every node) and `<prefix>/<node>/cmd`, replies on "
              "`<prefix>/<node>/reply`, health on `<prefix>/<node>/health` and `<prefix>/<node>/sources/<name>`, "
              "the wall's shared state on `<prefix>/state`." },
    { "node", CFG_STRING, CFG_OFF(cfg, remote.node), "", .pos_off = CFG_POS(cfg, remote.node_pos),
      .help = "This machine's node name in topics; empty: the host name. `--node NAME` or the environment "
              "variable PANTAU_NODE override it, so several machines can share one file." },
    { "leader", CFG_STRING, CFG_OFF(cfg, remote.leader), "", .pos_off = CFG_POS(cfg, remote.leader_pos),
      .help = "The node that turns the page tour for the whole wall while it is online; empty: the first "
              "online node by name. The others follow its pages; each turns its own while the broker is away." },
    { "heartbeat", CFG_DURATION, CFG_OFF(cfg, remote.heartbeat), "30s", 1000, 3600000,
      .help = "Health is published on every change and at least this often." },
    { "debug_commands", CFG_BOOL, CFG_OFF(cfg, remote.debug_commands), "false",
      .help = "Accept the `debug-freeze` command, which stops the frame loop for a while (to test the "
              "systemd watchdog). Never turn it on in production." },
    { NULL },
};

static const struct cfg_key top_keys[] = {
    { "version", CFG_INT, CFG_OFF(cfg, version), NULL, 1, 1, .required = true,
      .help = "Config format version; must be 1." },
    { "locale", CFG_ENUM, CFG_OFF(cfg, locale), "en", .choices = locale_names,
      .help = "Language of status text, dates and numbers: en (English) or id (Indonesian)." },
    { "title", CFG_STRING, CFG_OFF(cfg, title), "Pantau",
      .help = "Name of the wall, shown in the window title and the help overlay." },
    { "timezone", CFG_STRING, CFG_OFF(cfg, timezone), "", .restart = true,
      .help = "Time zone of clocks, e.g. Asia/Jakarta; empty uses the system's." },
    { "screenshot_dir", CFG_STRING, CFG_OFF(cfg, screenshot_dir), ".",
      .help = "Folder where F12 saves screenshots." },
    { "alarm_log", CFG_STRING, CFG_OFF(cfg, alarm_log), "", .restart = true,
      .help = "File to which every alarm's raise, clear and acknowledgement (time, event, panel, label, value, "
              "who) is appended, one tab-separated line each; it survives restarts, the last entries show "
              "with L, and past 8 MB it moves to FILE.1. Empty: kept in memory only. As a service: "
              "/var/lib/pantau/alarms.log." },
    { "remote", CFG_MAP, 0, NULL, .sub = remote_keys, .restart = true,
      .help = "Remote control and health over MQTT (see the README's \"Remote control and health\")." },
    { NULL },
};

static const struct cfg_key page_keys[] = {
    { "name", CFG_STRING, CFG_OFF(cfg_page, name), "",
      .help = "Page name, shown in the stats overlay and when switching pages." },
    { "show_for", CFG_DURATION, CFG_OFF(cfg_page, show_for), "0s", 0, 86400000,
      .help = "Rotate to the next page after this long; 0s stays until switched by hand." },
    { NULL },
};

static const struct cfg_key panel_keys[] = {
    { "id", CFG_STRING, CFG_OFF(cfg_panel, id), "",
      .help = "Unique panel id (for remote commands); default p<page>.<index>, e.g. p1.3." },
    { "at", CFG_CELLS, CFG_OFF(cfg_panel, at), NULL, 0, 256, .required = true,
      .pos_off = CFG_POS(cfg_panel, at_pos),
      .help = "Grid cells the panel covers: [column, row, columns wide, rows high], from 0." },
    { "label", CFG_STRING, CFG_OFF(cfg_panel, label), "",
      .help = "Title bar text; empty hides the title bar unless title_clock is on." },
    { "title_clock", CFG_BOOL, CFG_OFF(cfg_panel, title_clock), "false",
      .help = "Show the time at the right of the title bar." },
    { "accent", CFG_COLOR, CFG_OFF(cfg_panel, accent), "#2f6fde",
      .help = "Colour of the title bar's left edge." },
    { NULL },
};

static const struct cfg_key source_keys[] = {
    { "alarm_after", CFG_DURATION, CFG_OFF(cfg_source, alarm_after), "0s", 0, 86400000,
      .help = "Raise an alarm when the source has not been live for this long (a camera, broker or web "
              "service lost), cleared when it is back; 0s: never. The alarm is listed, flashes in the banner "
              "and is acknowledged like a panel's, as `source:<name>`." },
    { "alarm_label", CFG_STRING, CFG_OFF(cfg_source, alarm_label), "",
      .help = "The name the source's alarm shows, e.g. \"Kamera Simpang Sudirman\"; empty: the source's name." },
    { NULL },
};

const struct cfg_key *cfg_top_keys(void) { return top_keys; }
const struct cfg_key *cfg_wall_keys(void) { return wall_keys; }
const struct cfg_key *cfg_page_keys(void) { return page_keys; }
const struct cfg_key *cfg_panel_keys(void) { return panel_keys; }
const struct cfg_key *cfg_source_keys(void) { return source_keys; }
