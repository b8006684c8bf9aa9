/* app/main.c: arguments and modes. The main thread loads the config, starts
 * the feeds, runs the wall's frame loop and shuts everything down. Only
 * main calls exit: 0 fine, 1 runtime failure, 2 bad config or usage. */
#include "../core/log.h"
#include "../core/scene.h"
#include "../core/util.h"
#include "app.h"
#include "control.h"
#include "remote.h"
#include "service.h"
#include "wall.h"
#include "../config/config.h"
#include "../feeds/feed.h"
#include "../widgets/widget.h"

#include "../feeds/mqtt_link.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_RUNTIME 1
#define EXIT_CONFIG 2


/* A whole decimal number (nothing after it) in [lo, hi]; false otherwise. */
static bool arg_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi) {
        return false;
    }
    *out = v;
    return true;
}

static atomic_int stop_requested, reload_requested;

static void on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGUSR1) {
        pantau_screenshot_requested = 1;
    } else if (sig == SIGUSR2) {
        pantau_dump_requested = 1;
    } else if (sig == SIGHUP) {
        reload_requested = 1;
    } else {
        stop_requested = 1;
    }
    wall_wake(true); /* seen now, not at the next frame slot */
    errno = saved;
}

static void usage(FILE *f)
{
    fputs("usage: pantau [options] [CONFIG.yaml]\n"
          "\n"
          "Runs the video wall on CONFIG (default: the built-in demo config).\n"
          "\n"
          "modes:\n"
          "  (none)                 full screen over the monitors this machine drives\n"
          "  --preview              the whole wall scaled into one window (supervisors)\n"
          "  --headless             no display: render offscreen (tests, CI, benchmarks)\n"
          "  --check FILE           validate FILE; print \"ok\" or every error; exit 0 or 2\n"
          "  --print-config [FILE]  print the effective config, secrets as ***\n"
          "  --print-reference      print the config key reference (Markdown)\n"
          "\n"
          "options:\n"
          "  --window WxH           windowed at this size instead of full screen\n"
          "  --display N            monitor (SDL display index) for full screen, default 0\n"
          "  --renderer NAME        SDL renderer: software, opengl, opengles2 (default: SDL's choice;\n"
          "                         software when headless)\n"
          "  --frames N             stop after N rendered frames\n"
          "  --screenshot FILE.png  save the last frame as PNG (with --frames)\n"
          "  --log-level LEVEL      error, warn, info (default) or debug\n"
          "  --time \"YYYY-MM-DD HH:MM:SS\"  pin the wall clock (tests, golden screenshots)\n"
          "  --time-from \"YYYY-MM-DD HH:MM:SS\"  start the wall clock there and let it run (tests)\n"
          "  --stats FILE           write frame-time statistics as JSON at exit\n"
          "  --every-frame          draw every frame even when nothing changed (benchmarks)\n"
          "  --no-feeds             start no feed: every source shows DISABLED (golden screenshots)\n"
          "  --dump-scene FILE      write sources, panel values and alarms as JSON at exit (tests)\n"
          "                         (also on SIGUSR2 while running)\n"
          "  --trace FILE           one line \"<panel> <value> <ms>\" per new value drawn (benchmarks)\n"
          "  --fps N                frame rate cap without vsync (default 60; headless --frames\n"
          "                         runs are unpaced unless --fps is given)\n"
          "  --standalone           with --preview: do not follow or steer the wall (try a layout)\n"
          "  --monitors C,R,W,H     the monitors this machine drives (overrides wall.displays.local;\n"
          "                         also $PANTAU_MONITORS), so every machine of a wall shares one file\n"
          "  --outputs LIST         one window per monitor on these outputs, row by row (\"DP-1,DP-2\",\n"
          "                         \"0,1\" or auto; overrides wall.displays.outputs; also $PANTAU_OUTPUTS)\n"
          "  --node NAME            this machine's node name for remote control and health\n"
          "                         (default: $PANTAU_NODE, remote.node, the host name)\n"
          "\n"
          "remote control (the wall's config must set remote.broker):\n"
          "  --send CMD [ARG] [CONFIG]  send a command through the broker, print the reply, exit 0 when\n"
          "                         it was done, 1 when refused, 3 when no wall answered; CMD is one of\n"
          "                         page N|NAME, page-next, page-prev, enlarge PANEL, restore, select PANEL,\n"
          "                         ack PANEL, ack-all, hold, resume, reload, screenshot,\n"
          "                         restart-source SOURCE, help, stats; with --node only that node\n"
          "                         acts, else every node of the wall\n"
          "  --timeout SECONDS      how long --send waits for replies (default 5)\n"
          "  --help, --version\n",
          f);
}

struct args {
    const char *config;
    const char *check;
    bool print_config, print_reference, preview, headless, every_frame, no_feeds, local;
    int win_w, win_h, display, fps;
    long frames;
    const char *screenshot, *renderer, *stats, *time, *dump, *trace;
    bool time_runs;
    int log_level;
    const char *node;
    const char *monitors;       /* --monitors C,R,W,H */
    const char *outputs;        /* --outputs LIST */
    const char *send_cmd, *send_arg;
    double timeout;
};

/* Returns 0, or EXIT_CONFIG after printing why. */
static int parse_args(int argc, char **argv, struct args *a)
{
    a->log_level = LOG_INFO;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_ARG()                                                           \
    do {                                                                     \
        if (!next) {                                                         \
            fprintf(stderr, "pantau: %s needs a value (see --help)\n", s);   \
            return EXIT_CONFIG;                                              \
        }                                                                    \
        i++;                                                                 \
    } while (0)
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            usage(stdout);
            exit(0); // NOLINT(concurrency-mt-unsafe): no thread exists yet
        } else if (strcmp(s, "--version") == 0) {
            printf("pantau %s\n", PANTAU_VERSION);
            exit(0); // NOLINT(concurrency-mt-unsafe): no thread exists yet
        } else if (strcmp(s, "--check") == 0) {
            NEED_ARG();
            a->check = next;
        } else if (strcmp(s, "--print-config") == 0) {
            a->print_config = true;
        } else if (strcmp(s, "--print-reference") == 0) {
            a->print_reference = true;
        } else if (strcmp(s, "--preview") == 0) {
            a->preview = true;
        } else if (strcmp(s, "--standalone") == 0) {
            a->local = true;
        } else if (strcmp(s, "--monitors") == 0) {
            NEED_ARG();
            a->monitors = next;
        } else if (strcmp(s, "--outputs") == 0) {
            NEED_ARG();
            a->outputs = next;
        } else if (strcmp(s, "--headless") == 0) {
            a->headless = true;
        } else if (strcmp(s, "--no-feeds") == 0) {
            a->no_feeds = true;
        } else if (strcmp(s, "--every-frame") == 0) {
            a->every_frame = true;
        } else if (strcmp(s, "--window") == 0) {
            NEED_ARG();
            char *x = strchr(next, 'x');
            char ws[16] = "";
            long ww = 0, wh = 0;
            if (x && x - next < (long)sizeof(ws)) {
                memcpy(ws, next, (size_t)(x - next));
                ws[x - next] = '\0';
            }
            if (!x || !arg_long(ws, 64, 16384, &ww) || !arg_long(x + 1, 64, 16384, &wh)) {
                fprintf(stderr, "pantau: --window expects WIDTHxHEIGHT such as 1280x720, got \"%s\"\n", next);
                return EXIT_CONFIG;
            }
            a->win_w = (int)ww;
            a->win_h = (int)wh;
        } else if (strcmp(s, "--display") == 0) {
            NEED_ARG();
            long dn;
            if (!arg_long(next, 0, 64, &dn)) {
                fprintf(stderr, "pantau: --display expects a display number 0..64, got \"%s\"\n", next);
                return EXIT_CONFIG;
            }
            a->display = (int)dn;
        } else if (strcmp(s, "--frames") == 0) {
            NEED_ARG();
            char *end;
            a->frames = strtol(next, &end, 10);
            if (*end || a->frames < 1) {
                fprintf(stderr, "pantau: --frames expects a positive number, got \"%s\"\n", next);
                return EXIT_CONFIG;
            }
        } else if (strcmp(s, "--fps") == 0) {
            NEED_ARG();
            long fps;
            if (!arg_long(next, 1, 1000, &fps)) {
                fprintf(stderr, "pantau: --fps expects 1..1000, got \"%s\"\n", next);
                return EXIT_CONFIG;
            }
            a->fps = (int)fps;
        } else if (strcmp(s, "--screenshot") == 0) {
            NEED_ARG();
            a->screenshot = next;
        } else if (strcmp(s, "--renderer") == 0) {
            NEED_ARG();
            a->renderer = next;
        } else if (strcmp(s, "--stats") == 0) {
            NEED_ARG();
            a->stats = next;
        } else if (strcmp(s, "--dump-scene") == 0) {
            NEED_ARG();
            a->dump = next;
        } else if (strcmp(s, "--trace") == 0) {
            NEED_ARG();
            a->trace = next;
        } else if (strcmp(s, "--time") == 0 || strcmp(s, "--time-from") == 0) {
            NEED_ARG();
            a->time = next;
            a->time_runs = strcmp(s, "--time-from") == 0;
        } else if (strcmp(s, "--node") == 0) {
            NEED_ARG();
            a->node = next;
        } else if (strcmp(s, "--send") == 0) {
            NEED_ARG();
            a->send_cmd = next;
            /* The commands that take an argument take the next word. */
            static const char *const with_arg[] = { "page", "enlarge", "select", "ack", "restart-source",
                                                    "debug-freeze", NULL };
            for (int k = 0; with_arg[k]; k++) {
                if (strcmp(next, with_arg[k]) == 0) {
                    if (i + 1 >= argc) {
                        fprintf(stderr, "pantau: --send %s needs its argument (see --help)\n", next);
                        return EXIT_CONFIG;
                    }
                    a->send_arg = argv[++i];
                }
            }
        } else if (strcmp(s, "--timeout") == 0) {
            NEED_ARG();
            char *end;
            a->timeout = strtod(next, &end);
            if (end == next || *end || a->timeout < 0.1 || a->timeout > 600) {
                fprintf(stderr, "pantau: --timeout expects seconds 0.1-600, got \"%s\"\n", next);
                return EXIT_CONFIG;
            }
        } else if (strcmp(s, "--log-level") == 0) {
            NEED_ARG();
            a->log_level = log_parse_level(next);
            if (a->log_level < 0) {
                fprintf(stderr, "pantau: --log-level expects error, warn, info or debug, got \"%s\"\n", next);
                return EXIT_CONFIG;
            }
        } else if (s[0] == '-') {
            fprintf(stderr, "pantau: unknown option \"%s\" (see --help)\n", s);
            return EXIT_CONFIG;
        } else if (!a->config) {
            a->config = s;
        } else {
            fprintf(stderr, "pantau: only one config file, got \"%s\" and \"%s\"\n", a->config, s);
            return EXIT_CONFIG;
        }
#undef NEED_ARG
    }
    if (a->screenshot && !a->frames) {
        fprintf(stderr, "pantau: --screenshot needs --frames N (which frame to save)\n");
        return EXIT_CONFIG;
    }
    return 0;
}

/* The kinds this program is built with; the config loader gets them here. */
static const struct cfg_kinds kinds = { widget_kinds, feed_kinds };

static struct cfg *load(const char *path)
{
    struct cfg_errors errs = { 0 };
    struct cfg *c = path ? cfg_load(path, NULL, &kinds, &errs)
                         : cfg_load("<built-in demo>", cfg_demo_yaml, &kinds, &errs);
    for (size_t i = 0; i < errs.n; i++) {
        fprintf(stderr, "%s\n", errs.lines[i]);
    }
    if (!c && errs.n > 1) {
        fprintf(stderr, "%zu errors\n", errs.n);
    }
    cfg_errors_finish(&errs);
    return c;
}

static int parse_time(const char *s, int64_t *out)
{
    struct tm tm = { 0 };
    /* NOLINTNEXTLINE(cert-err34-c): a test option; mktime checks the fields */
    if (sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6) {
        return -1;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1) {
        return -1;
    }
    *out = (int64_t)t;
    return 0;
}

/* --node, $PANTAU_NODE, remote.node, the host name: the first set. */
static void node_name(const struct args *a, const struct cfg *cfg, char *out, size_t outlen)
{
    const char *env_node = getenv("PANTAU_NODE");
    char host[64] = "pantau";
    gethostname(host, sizeof(host) - 1);
    const char *n = a->node && a->node[0] ? a->node : env_node && env_node[0] ? env_node
                  : cfg->remote.node[0] ? cfg->remote.node : host;
    /* One topic level: no '/', '+' or '#'. */
    size_t j = 0;
    for (size_t i = 0; n[i] && j + 1 < outlen; i++) {
        out[j++] = (char)(strchr("/+#", n[i]) ? '_' : n[i]);
    }
    out[j] = '\0';
}

/* The reply handler of --send: prints each reply with our id. */
struct send_state {
    char id[40];
    pthread_mutex_t mu;
    pthread_cond_t cond;        /* signalled on each reply */
    int replies, refused;       /* guarded by mu */
};

static void on_send_reply(void *ctx, const char *topic, const void *payload, size_t len)
{
    (void)topic;
    struct send_state *st = ctx;
    char *text = xstrndup(payload, len);
    char want[64];
    snprintf(want, sizeof(want), "\"id\":\"%s\"", st->id);
    if (strstr(text, want)) {
        pthread_mutex_lock(&st->mu);
        st->replies++;
        st->refused += strstr(text, "\"ok\":false") != NULL;
        printf("%s\n", text);
        fflush(stdout);
        pthread_cond_signal(&st->cond);
        pthread_mutex_unlock(&st->mu);
    }
    free(text);
}

/* pantau --send: 0 done, 1 refused, 3 no answer, 2 usage/config. */
static int send_command(const struct args *a, const struct cfg *cfg)
{
    const struct cfg_remote *rc = &cfg->remote;
    if (!rc->broker[0]) {
        fprintf(stderr, "pantau: --send: %s sets no remote.broker; name the mqtt source the wall listens on\n",
                cfg->path);
        return EXIT_CONFIG;
    }
    const struct cfg_source *src = NULL;
    for (size_t i = 0; i < cfg->n_sources; i++) {
        if (strcmp(cfg->sources[i].name, rc->broker) == 0) {
            src = &cfg->sources[i];
        }
    }
    if (!src) { /* --check refuses such a config; a guard all the same */
        fprintf(stderr, "pantau: --send: remote.broker names no source of %s\n", cfg->path);
        return EXIT_CONFIG;
    }
    struct send_state st = { .replies = 0 };
    pthread_mutex_init(&st.mu, NULL);
    pthread_cond_init(&st.cond, NULL);
    snprintf(st.id, sizeof(st.id), "send-%d-%lld", (int)getpid(), (long long)now_ms());
    char payload[REMOTE_MAX_COMMAND], why[512];
    if (remote_command_json(a->send_cmd, a->send_arg, st.id, payload, sizeof(payload), why, sizeof(why)) < 0) {
        fprintf(stderr, "pantau: --send: %s\n", why);
        return EXIT_CONFIG;
    }
    char t_cmd[512], t_reply[512], node[64] = "";
    if (a->node || getenv("PANTAU_NODE")) {
        node_name(a, cfg, node, sizeof(node));
        snprintf(t_cmd, sizeof(t_cmd), "%s/%s/cmd", rc->prefix, node);
        snprintf(t_reply, sizeof(t_reply), "%s/%s/reply", rc->prefix, node);
    } else {
        snprintf(t_cmd, sizeof(t_cmd), "%s/cmd", rc->prefix);
        snprintf(t_reply, sizeof(t_reply), "%s/+/reply", rc->prefix);
    }
    struct log *log = log_create("send");
    const char *subs[1] = { t_reply };
    char client_id[96];
    snprintf(client_id, sizeof(client_id), "pantau-send-%d", (int)getpid());
    struct mqtt_link_opts lo = { .source = src, .client_id = client_id, .subscribe = subs, .n_subscribe = 1,
                                 .on_message = on_send_reply, .ctx = &st, .log = log };
    char err[256];
    struct mqtt_link *l = mqtt_link_open(&lo, err, sizeof(err));
    int timeout_ms = (int)((a->timeout > 0 ? a->timeout : 5) * 1000);
    int rc_exit = 3;
    if (!l) {
        fprintf(stderr, "pantau: --send: %s\n", err);
    } else if (mqtt_link_wait_connected(l, timeout_ms, why, sizeof(why)) < 0) {
        fprintf(stderr, "pantau: --send: cannot reach the broker of source %s: %s\n", src->name, why);
    } else {
        /* The reply subscription went out on connect, before this publish:
         * the broker handles them in order. */
        if (mqtt_link_publish(l, t_cmd, payload, strlen(payload), 1, false) < 0) {
            fprintf(stderr, "pantau: --send: could not publish on %s\n", t_cmd);
        } else {
            /* One node: its reply; the whole wall: replies for 1 s after the first. */
            struct timespec deadline = util_deadline(timeout_ms);
            pthread_mutex_lock(&st.mu);
            while (st.replies == 0) {
                if (pthread_cond_timedwait(&st.cond, &st.mu, &deadline) != 0) {
                    break;
                }
            }
            if (st.replies && !node[0]) {
                struct timespec more = util_deadline(1000);
                while (pthread_cond_timedwait(&st.cond, &st.mu, &more) == 0) {
                }
            }
            pthread_mutex_unlock(&st.mu);
            pthread_mutex_lock(&st.mu);
            rc_exit = st.replies == 0 ? 3 : st.refused ? 1 : 0;
            pthread_mutex_unlock(&st.mu);
            if (rc_exit == 3) {
                fprintf(stderr, "pantau: --send: no reply on %s within %.1f s: is the wall running with "
                                "remote.broker set, and node %s?\n", t_reply, timeout_ms / 1000.0,
                        node[0] ? node : "(any)");
            }
        }
    }
    mqtt_link_close(l);
    log_destroy(log);
    pthread_cond_destroy(&st.cond);
    pthread_mutex_destroy(&st.mu);
    return rc_exit;
}

/* Once per turn of the frame loop. */
static void app_hook(struct wall *w, void *ctx)
{
    (void)w;
    struct app *a = ctx;
    int64_t now = now_ms();
    service_ping(now);
    app_poll_reload(a);
    remote_poll(a->remote, a);
}

static void app_hook_late(struct wall *w, void *ctx)
{
    (void)w;
    struct app *a = ctx;
    remote_flush(a->remote, a);
}

/* The commands the wall hands to the app. */
static int app_exec(void *ctx, const struct wall_cmd *c, char *why, size_t whylen)
{
    struct app *a = ctx;
    switch (c->kind) {
    case CMD_RELOAD:
        return app_reload(a, true, why, whylen) == 0 ? 1 : 0;
    case CMD_RESTART_SOURCE:
        return app_restart_source(a, c->name, why, whylen);
    case CMD_DEBUG_FREEZE:
        /* The frame loop stops here: the systemd watchdog must notice. */
        log_warn(a->log, "debug-freeze: the frame loop sleeps %d ms", c->arg);
        usleep((useconds_t)c->arg * 1000u);
        return 1;
    default:
        snprintf(why, whylen, "not available");
        return 0;
    }
}

/* Runs the wall on cfg (owned; freed here) until it quits or a signal
 * stops it; returns the exit status. */
static int run(struct cfg *cfg, const struct args *ap)
{
    const struct args a = *ap;
    int rc = 0;
    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);  /* reload the config file */
    sigaction(SIGUSR1, &sa, NULL); /* screenshot, as F12, for remote checks */
    sigaction(SIGUSR2, &sa, NULL); /* write the --dump-scene file now */
    signal(SIGPIPE, SIG_IGN);

    service_init();
    struct app app = { .path = a.config, .kinds = &kinds, .cfg = cfg, .hup = &reload_requested, .watch_fd = -1 };
    app.log = log_create("pantau");
    node_name(&a, cfg, app.node, sizeof(app.node));
    if (a.monitors) {
        char why[256];
        app.has_monitors = app_parse_monitors(a.monitors, &cfg->wall, app.monitors, why, sizeof(why)) == 0;
    }
    app.preview = a.preview;
    app.local = a.local;
    if (a.preview && !a.node && !getenv("PANTAU_NODE")) {
        /* The supervisor's preview is a node of its own, never a wall's. */
        size_t len = strlen(app.node);
        snprintf(app.node + (len < sizeof(app.node) - 9 ? len : sizeof(app.node) - 9), 9, "-preview");
    }
    app.started_ms = now_ms();
    app_file_hash(a.config, app.cfg_hash);
    log_info(app.log, "pantau %s starting on %s", PANTAU_VERSION, cfg->path);
    app.scene = scene_create();
    for (size_t i = 0; i < cfg->n_sources; i++) {
        scene_add_source(app.scene, cfg->sources[i].name);
    }
    struct wall_opts wo = {
        .mode = a.preview ? WALL_PREVIEW : WALL_OPERATOR,
        .headless = a.headless,
        .win_w = a.win_w,
        .win_h = a.win_h,
        .display = a.display,
        .outputs = a.outputs,
        .node = app.node,
        .renderer = a.renderer,
        .frames = a.frames,
        .every_frame = a.every_frame,
        .fps = a.fps,
        .screenshot = a.screenshot,
        .stats_path = a.stats,
        .dump_path = a.dump,
        .trace_path = a.trace,
        .hook = app_hook,
        .hook_late = app_hook_late,
        .app_exec = app_exec,
        .hook_ctx = &app,
    };
    char err[512];
    app.wall = wall_create(cfg, app.scene, &wo, err, sizeof(err));
    if (!app.wall) {
        log_error(app.log, "%s", err);
        rc = EXIT_RUNTIME;
    } else {
        /* Feeds start after the wall so their first status is drawn. */
        if (a.no_feeds) {
            for (size_t i = 0; i < scene_n_sources(app.scene); i++) {
                scene_source_set_status(scene_source_at(app.scene, i), SOURCE_DISABLED, "feeds off (--no-feeds)", 0);
            }
        } else {
            app.feeds = feed_set_start(cfg, app.scene);
        }
        app_watch_start(&app);
        app.remote = remote_start(&app);
        char status[160];
        snprintf(status, sizeof(status), "READY=1\nSTATUS=showing %zu pages, %zu sources", cfg->n_pages,
                 cfg->n_sources);
        service_notify(status);
        if (service_watchdog_ms()) {
            log_info(app.log, "systemd watchdog: pinging every %lld ms", (long long)service_watchdog_ms() / 2);
        }
        rc = wall_run(app.wall, &stop_requested) < 0 ? EXIT_RUNTIME : 0;
        service_notify("STOPPING=1");
        if (stop_requested) {
            log_info(app.log, "signal received, shutting down");
        }
        remote_stop(app.remote, &app);
        app.remote = NULL;
        feed_set_stop(app.feeds);
        app.feeds = NULL;
        wall_destroy(app.wall);
    }
    if (app.watch_fd >= 0) {
        close(app.watch_fd);
    }
    log_info(app.log, "stopped");
    log_destroy(app.log);
    scene_destroy(app.scene);
    app_free_unused_cfgs(&app);
    free(app.old);
    cfg_destroy(app.cfg);
    log_shutdown();
    return rc;
}

int main(int argc, char **argv)
{
    mem_setup();
    struct args a = { 0 };
    int rc = parse_args(argc, argv, &a);
    if (rc) {
        return rc;
    }
    log_setup((enum log_level)a.log_level, stderr);
    if (a.print_reference) {
        cfg_print_reference(stdout, &kinds);
        return 0;
    }
    if (a.check) {
        struct cfg *c = load(a.check);
        if (!c) {
            return EXIT_CONFIG;
        }
        printf("ok\n");
        cfg_destroy(c);
        log_shutdown();
        return 0;
    }
    struct cfg *cfg = load(a.config);
    if (!cfg) {
        log_shutdown();
        return EXIT_CONFIG;
    }
    const char *env_monitors = getenv("PANTAU_MONITORS");
    if (!a.monitors && env_monitors && env_monitors[0]) {
        a.monitors = env_monitors;
    }
    char err[256];
    int monitors[4];
    if (a.monitors && app_parse_monitors(a.monitors, &cfg->wall, monitors, err, sizeof(err)) < 0) {
        fprintf(stderr, "pantau: --monitors %s: %s\n", a.monitors, err);
        cfg_destroy(cfg);
        log_shutdown();
        return EXIT_CONFIG;
    }
    const char *env_outputs = getenv("PANTAU_OUTPUTS");
    if (!a.outputs && env_outputs && env_outputs[0]) {
        a.outputs = env_outputs;
    }
    if (a.outputs) {
        /* The machine's own list replaces the file's, checked as --check checks it. */
        char items[CFG_MAX_OUTPUTS][64];
        char me[64];
        node_name(&a, cfg, me, sizeof(me));
        int need = cfg_local_count(&cfg->wall, me);
        int n = strcmp(a.outputs, "auto") == 0 ? need : cfg_outputs_parse(a.outputs, items, CFG_MAX_OUTPUTS);
        if (n != need || need > CFG_MAX_OUTPUTS) {
            fprintf(stderr, "pantau: --outputs %s: %d output%s for the %d monitor%s this machine drives; give one "
                            "per monitor, row by row (e.g. \"DP-1,DP-2\"), or auto (at most %d)\n",
                    a.outputs, n < 0 ? 0 : n, n == 1 ? "" : "s", need, need == 1 ? "" : "s", CFG_MAX_OUTPUTS);
            cfg_destroy(cfg);
            log_shutdown();
            return EXIT_CONFIG;
        }
    }
    if (a.send_cmd) {
        rc = send_command(&a, cfg);
        cfg_destroy(cfg);
        log_shutdown();
        return rc;
    }
    if (a.print_config) {
        cfg_print(cfg, stdout);
        cfg_destroy(cfg);
        log_shutdown();
        return 0;
    }
    if (cfg->timezone[0]) {
        setenv("TZ", cfg->timezone, 1); // NOLINT(concurrency-mt-unsafe): before any thread starts
    }
    tzset();
    if (a.time) {
        int64_t t;
        if (parse_time(a.time, &t) < 0) {
            fprintf(stderr, "pantau: --time expects \"YYYY-MM-DD HH:MM:SS\", got \"%s\"\n", a.time);
            cfg_destroy(cfg);
            return EXIT_CONFIG;
        }
        util_fake_time(t, a.time_runs);
    }

    return run(cfg, &a);
}
