/* tests/rtsp_server.c: RTSP test server for the integration tests and demos,
 * on gst-rtsp-server. Each --mount serves H.264 from a live test pattern or
 * from a file that loops forever; SIGUSR1/SIGUSR2 freeze and thaw the
 * pattern streams without closing the connections.
 *
 *   rtsp_server [--port N] [--address A] [--auth USER:PASS] --mount /PATH=SPEC [--mount ...]
 *   SPEC: pattern:NAME[:size=WxH][:fps=N][:color=0xRRGGBB][:label=TEXT]
 *                     [:bitrate=KBPS][:gop=N][:shared=0]
 *         file:PATH[:shared=0]   (H.264 in .mp4/.mov, .mkv or .ts; no ':' in PATH)
 *
 * stdout carries only "PORT <n>" (once listening), "FROZEN" and "THAWED";
 * bad arguments exit with status 2, a port that cannot be bound with 1.
 *
 * Data model: a mount is one media factory. Its media is shared unless
 * shared=0, so every client of a URL watches one encoder or one reading of
 * the file. A file mount's media is live: its appsrc is fed by a private
 * "reader" pipeline that plays the file at real time and seeks back to 0 at
 * EOS; each buffer is restamped into the media's running time (see
 * on_sample), so timestamps never go back across the loop. No media can be
 * seeked (see on_upstream_query).
 * Threads: signals, bus watches, freeze and reader teardown run on the main
 * loop; media signals and appsink callbacks come from gst-rtsp-server and
 * streaming threads, hence the lock on the valve list. */
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mount {
    char *path;        /* "/red" */
    char *launch;      /* media description for the factory */
    char *label;       /* OSD text of a pattern, or NULL */
    char *file;        /* file mounts: the clip */
    const char *demux; /* file mounts: demuxer for the extension */
    gboolean shared;   /* one media for all clients of the mount */
};

/* Feeds one file media's appsrc; lives from media-configure to unprepared. */
struct reader {
    GstElement *pipe;
    GstElement *appsrc;
    gint started;
    gint new_pass;  /* set before each pass over the file, read by on_sample */
    gint64 offset;  /* media running time minus file running time, this pass */
    gint64 end;     /* file running time where this pass's last frame ends */
    guint watch;
};

static GMutex valves_lock;
static GPtrArray *valves; /* valves of prepared pattern media, guarded by valves_lock */

/* Running time of t in seg, negative for a DTS before the segment start
 * (B-frames); G_MININT64 when t is unknown. */
static gint64 running_time(const GstSegment *seg, GstClockTime t)
{
    guint64 rt;
    int sign = GST_CLOCK_TIME_IS_VALID(t) ? gst_segment_to_running_time_full(seg, GST_FORMAT_TIME, t, &rt) : 0;
    return sign == 0 ? G_MININT64 : sign > 0 ? (gint64)rt : -(gint64)rt;
}

static GstClockTime shifted(gint64 rt, gint64 offset)
{
    return rt == G_MININT64 ? GST_CLOCK_TIME_NONE : (GstClockTime)MAX(rt + offset, 0);
}

static GstFlowReturn on_sample(GstElement *sink, gpointer data)
{
    struct reader *r = data;
    GstSample *s = NULL;
    g_signal_emit_by_name(sink, "pull-sample", &s);
    GstBuffer *in = s ? gst_sample_get_buffer(s) : NULL;
    GstClock *clock = gst_element_get_clock(r->appsrc);
    if (in && clock) {
        GstCaps *cur = NULL;
        g_object_get(r->appsrc, "caps", &cur, NULL);
        if (!cur || !gst_caps_is_equal(cur, gst_sample_get_caps(s))) {
            g_object_set(r->appsrc, "caps", gst_sample_get_caps(s), NULL);
        }
        if (cur) {
            gst_caps_unref(cur);
        }
        /* A pass maps the file's running time 0 to the media's "now", since
         * the appsink's sync renders each buffer at that spacing. A pass
         * never starts before the previous one ended, so PTS keep rising
         * across the loop even with B-frames. (The reader's own base time is
         * no use: the first buffers after a seek come before it is set.) */
        const GstSegment *seg = gst_sample_get_segment(s);
        gint64 rt = running_time(seg, GST_BUFFER_PTS(in));
        if (g_atomic_int_compare_and_exchange(&r->new_pass, 1, 0)) {
            gint64 now = GST_CLOCK_DIFF(gst_element_get_base_time(r->appsrc), gst_clock_get_time(clock));
            r->offset = (r->end != G_MININT64 && rt != G_MININT64) ? MAX(now, r->offset + r->end - rt) : now;
            r->end = G_MININT64;
        }
        if (rt != G_MININT64) {
            r->end = MAX(r->end, rt + (gint64)(GST_BUFFER_DURATION_IS_VALID(in) ? GST_BUFFER_DURATION(in) : 0));
        }
        GstBuffer *out = gst_buffer_copy(in);
        GST_BUFFER_PTS(out) = shifted(rt, r->offset);
        GST_BUFFER_DTS(out) = shifted(running_time(seg, GST_BUFFER_DTS(in)), r->offset);
        GstFlowReturn ret;
        g_signal_emit_by_name(r->appsrc, "push-buffer", out, &ret);
        gst_buffer_unref(out);
    }
    if (clock) {
        gst_object_unref(clock);
    }
    if (s) {
        gst_sample_unref(s);
    }
    return GST_FLOW_OK;
}

static gboolean on_reader_bus(GstBus *bus, GstMessage *msg, gpointer data)
{
    struct reader *r = data;
    if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_EOS) {
        g_atomic_int_set(&r->new_pass, 1);
        gst_element_seek_simple(r->pipe, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_KEY_UNIT, 0);
    } else if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
        GError *e = NULL;
        gst_message_parse_error(msg, &e, NULL);
        g_printerr("rtsp_server: file reader: %s\n", e->message);
        g_error_free(e);
        GstFlowReturn ret;
        g_signal_emit_by_name(r->appsrc, "end-of-stream", &ret); /* clients get BYE, not silence */
    }
    return G_SOURCE_CONTINUE;
}

/* A live appsrc asks for data only once its media is PLAYING, so the first
 * key frame is not lost to a media that cannot take it yet. */
static void on_need_data(GstElement *appsrc, guint size, gpointer data)
{
    struct reader *r = data;
    if (g_atomic_int_compare_and_exchange(&r->started, 0, 1)) {
        GstClock *clock = gst_element_get_clock(appsrc);
        if (clock) {
            gst_pipeline_use_clock(GST_PIPELINE(r->pipe), clock);
            gst_object_unref(clock);
        }
        g_atomic_int_set(&r->new_pass, 1);
        gst_element_set_state(r->pipe, GST_STATE_PLAYING);
    }
}

/* Runs on the main loop (see on_unprepared), where the bus watch runs too. */
static gboolean reader_destroy(gpointer data)
{
    struct reader *r = data;
    g_signal_handlers_disconnect_by_data(r->appsrc, r);
    gst_element_set_state(r->pipe, GST_STATE_NULL);
    g_source_remove(r->watch);
    gst_object_unref(r->pipe);
    gst_object_unref(r->appsrc);
    g_free(r);
    return G_SOURCE_REMOVE;
}

static char *reader_desc(const char *demux)
{
    return g_strdup_printf("filesrc name=file ! %s ! h264parse config-interval=-1 ! "
                           "video/x-h264,stream-format=byte-stream,alignment=au ! "
                           "appsink name=sink sync=true emit-signals=true max-buffers=16",
                           demux);
}

/* The Debian package of each element the server uses, so that a missing
 * plugin is reported with the fix (scripts/deps installs them all). */
static const char *const element_packages[][2] = {
    { "clockoverlay", "gstreamer1.0-x" },       { "textoverlay", "gstreamer1.0-x" },
    { "x264enc", "gstreamer1.0-plugins-ugly" }, { "rtph264pay", "gstreamer1.0-plugins-good" },
    { "qtdemux", "gstreamer1.0-plugins-good" }, { "matroskademux", "gstreamer1.0-plugins-good" },
    { "h264parse", "gstreamer1.0-plugins-bad" }, { "tsdemux", "gstreamer1.0-plugins-bad" },
    { "videotestsrc", "gstreamer1.0-plugins-base" }, { "appsrc", "gstreamer1.0-plugins-base" },
    { "appsink", "gstreamer1.0-plugins-base" },
};

/* Builds desc and throws it away; returns 0, or -1 with the reason in err.
 * Run at startup so a bad pattern name or a missing plugin fails there, not
 * silently per client. */
static int check_launch(const char *desc, const char *arg, char *err, size_t errlen)
{
    GError *e = NULL;
    GstElement *el = gst_parse_launch(desc, &e);
    if (el) {
        gst_object_unref(el);
    }
    if (e) {
        const char *pkg = NULL;
        for (size_t i = 0; i < G_N_ELEMENTS(element_packages) && !pkg; i++) {
            if (e->domain == GST_PARSE_ERROR && e->code == GST_PARSE_ERROR_NO_SUCH_ELEMENT &&
                strstr(e->message, element_packages[i][0])) {
                pkg = element_packages[i][1];
            }
        }
        if (pkg) {
            snprintf(err, errlen, "%s: %s (in Debian package %s; ./scripts/deps installs it)", arg, e->message, pkg);
        } else {
            snprintf(err, errlen, "%s: %s", arg, e->message);
        }
        g_error_free(e);
        return -1;
    }
    return 0;
}

/* The description was checked by parse_mount, so building it cannot fail. */
static struct reader *reader_create(const struct mount *m, GstElement *appsrc)
{
    char *desc = reader_desc(m->demux);
    GstElement *pipe = gst_parse_launch(desc, NULL);
    g_free(desc);
    struct reader *r = g_new0(struct reader, 1);
    r->pipe = pipe;
    r->appsrc = gst_object_ref(appsrc);
    r->end = G_MININT64;
    GstElement *src = gst_bin_get_by_name(GST_BIN(pipe), "file");
    g_object_set(src, "location", m->file, NULL);
    gst_object_unref(src);
    GstElement *sink = gst_bin_get_by_name(GST_BIN(pipe), "sink");
    g_signal_connect(sink, "new-sample", G_CALLBACK(on_sample), r);
    gst_object_unref(sink);
    GstBus *bus = gst_element_get_bus(pipe);
    r->watch = gst_bus_add_watch(bus, on_reader_bus, r);
    gst_object_unref(bus);
    g_signal_connect(appsrc, "need-data", G_CALLBACK(on_need_data), r);
    return r;
}

static void on_unprepared(GstRTSPMedia *media, gpointer data)
{
    GstElement *valve = g_object_steal_data(G_OBJECT(media), "pantau-valve");
    if (valve) {
        g_mutex_lock(&valves_lock);
        g_ptr_array_remove(valves, valve); /* drops our reference */
        g_mutex_unlock(&valves_lock);
    }
    struct reader *r = g_object_steal_data(G_OBJECT(media), "pantau-reader");
    if (r) {
        g_idle_add(reader_destroy, r);
    }
}

/* videotestsrc answers "seekable", so gst-rtsp-server would honour the
 * "Range: npt=0-" of every PLAY with a flushing seek, restarting the running
 * time (and the RTP clock) under the clients already watching a shared
 * media. Cameras cannot seek; say so. */
static GstPadProbeReturn on_upstream_query(GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
    GstQuery *q = GST_PAD_PROBE_INFO_QUERY(info);
    if (GST_QUERY_TYPE(q) != GST_QUERY_SEEKING) {
        return GST_PAD_PROBE_OK;
    }
    gst_query_set_seeking(q, GST_FORMAT_TIME, FALSE, 0, -1);
    return GST_PAD_PROBE_HANDLED;
}

static void on_media_configure(GstRTSPMediaFactory *factory, GstRTSPMedia *media, gpointer data)
{
    const struct mount *m = data;
    GstElement *bin = gst_rtsp_media_get_element(media);
    g_signal_connect(media, "unprepared", G_CALLBACK(on_unprepared), NULL);
    GstElement *pay = gst_bin_get_by_name(GST_BIN(bin), "pay0");
    GstPad *pad = gst_element_get_static_pad(pay, "sink");
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_QUERY_UPSTREAM, on_upstream_query, NULL, NULL);
    gst_object_unref(pad);
    gst_object_unref(pay);
    if (m->file) {
        GstElement *appsrc = gst_bin_get_by_name(GST_BIN(bin), "src");
        g_object_set_data(G_OBJECT(media), "pantau-reader", reader_create(m, appsrc));
        gst_object_unref(appsrc);
    } else {
        if (m->label) {
            GstElement *osd = gst_bin_get_by_name(GST_BIN(bin), "osd");
            g_object_set(osd, "text", m->label, NULL);
            gst_object_unref(osd);
        }
        GstElement *valve = gst_bin_get_by_name(GST_BIN(bin), "valve");
        g_object_set_data(G_OBJECT(media), "pantau-valve", valve);
        g_mutex_lock(&valves_lock);
        g_ptr_array_add(valves, valve);
        g_mutex_unlock(&valves_lock);
    }
    gst_object_unref(bin);
}

static gboolean on_freeze(gpointer data)
{
    gboolean drop = GPOINTER_TO_INT(data);
    g_mutex_lock(&valves_lock);
    for (guint i = 0; i < valves->len; i++) {
        g_object_set(g_ptr_array_index(valves, i), "drop", drop, NULL);
    }
    g_mutex_unlock(&valves_lock);
    printf("%s\n", drop ? "FROZEN" : "THAWED");
    fflush(stdout);
    return G_SOURCE_CONTINUE;
}

static gboolean on_quit(gpointer data)
{
    g_main_loop_quit(data);
    return G_SOURCE_CONTINUE;
}

/* Drops sessions whose clients went away without TEARDOWN (UDP). */
static gboolean on_cleanup(gpointer data)
{
    GstRTSPSessionPool *pool = gst_rtsp_server_get_session_pool(data);
    gst_rtsp_session_pool_cleanup(pool);
    g_object_unref(pool);
    return G_SOURCE_CONTINUE;
}

/* Parses "/PATH=SPEC" into m; returns 0, or -1 with a reason in err. */
static int parse_mount(const char *arg, struct mount *m, char *err, size_t errlen)
{
    const char *eq = strchr(arg, '=');
    if (arg[0] != '/' || !eq) {
        snprintf(err, errlen, "%s: expected /PATH=SPEC", arg);
        return -1;
    }
    m->path = g_strndup(arg, (gsize)(eq - arg));
    gchar **part = g_strsplit(eq + 1, ":", -1);
    int rc = -1;
    int w = 320, h = 240, fps = 25, kbps = 500, gop = 0;
    guint color = 0xffffffff;
    gboolean shared = TRUE;
    if (!part[0] || !part[1]) {
        snprintf(err, errlen, "%s: expected pattern:NAME or file:PATH", arg);
        goto out;
    }
    for (int i = 2; part[i]; i++) {
        const char *v = strchr(part[i], '=');
        v = v ? v + 1 : "";
        char *end = NULL;
        gboolean ok = TRUE;
        if (g_str_has_prefix(part[i], "size=")) {
            ok = sscanf(v, "%dx%d", &w, &h) == 2 && w > 0 && h > 0;
        } else if (g_str_has_prefix(part[i], "fps=")) {
            ok = (fps = atoi(v)) > 0;
        } else if (g_str_has_prefix(part[i], "bitrate=")) {
            ok = (kbps = atoi(v)) > 0;
        } else if (g_str_has_prefix(part[i], "gop=")) {
            ok = (gop = atoi(v)) > 0;
        } else if (g_str_has_prefix(part[i], "color=")) {
            color = 0xff000000u | ((guint)strtoul(v, &end, 16) & 0xffffffu);
            ok = end != v && *end == '\0';
        } else if (g_str_has_prefix(part[i], "label=")) {
            g_free(m->label);
            m->label = g_strdup(v);
        } else if (g_str_has_prefix(part[i], "shared=")) {
            shared = atoi(v) != 0;
        } else {
            ok = FALSE;
        }
        if (!ok) {
            snprintf(err, errlen, "%s: bad option \"%s\"", arg, part[i]);
            goto out;
        }
    }
    m->shared = shared;
    if (strcmp(part[0], "file") == 0) {
        m->file = g_strdup(part[1]);
        const char *ext = strrchr(m->file, '.');
        ext = ext ? ext : "";
        m->demux = g_ascii_strcasecmp(ext, ".mkv") == 0 ? "matroskademux"
                   : (g_ascii_strcasecmp(ext, ".ts") == 0 || g_ascii_strcasecmp(ext, ".m2ts") == 0) ? "tsdemux"
                   : "qtdemux";
        if (!g_file_test(m->file, G_FILE_TEST_IS_REGULAR)) {
            snprintf(err, errlen, "%s: no such file %s", arg, m->file);
            goto out;
        }
        m->launch = g_strdup("( appsrc name=src is-live=true format=time ! "
                             "rtph264pay name=pay0 pt=96 config-interval=1 )");
        char *desc = reader_desc(m->demux);
        rc = check_launch(desc, arg, err, errlen);
        g_free(desc);
        goto out;
    }
    if (strcmp(part[0], "pattern") != 0) {
        snprintf(err, errlen, "%s: unknown source \"%s\" (use pattern: or file:)", arg, part[0]);
        goto out;
    }
    /* The valve sits before the encoder: on thaw the next frame is a P-frame
     * that references the last frame the client decoded, so the picture
     * resumes at once instead of waiting for a key frame. */
    m->launch = g_strdup_printf(
        "( videotestsrc is-live=true pattern=%s foreground-color=%u ! "
        "video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1 ! %s"
        "valve name=valve drop=false ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=%d "
        "key-int-max=%d ! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )",
        part[1], color, w, h, fps,
        m->label ? "clockoverlay name=osd time-format=\"%H:%M:%S\" shaded-background=true ! " : "", kbps,
        gop ? gop : fps);
    rc = check_launch(m->launch, arg, err, errlen);
out:
    g_strfreev(part);
    return rc;
}

/* Sessions, for tests that count them: "PLAY <path> <client>" when a
 * client starts playing a mount, "CLOSED <client>" when its connection
 * ends. */
static void on_play(GstRTSPClient *client, GstRTSPContext *ctx, gpointer data)
{
    (void)data;
    printf("PLAY %s %p\n", ctx && ctx->uri ? ctx->uri->abspath : "?", (void *)client);
    fflush(stdout);
}

static void on_closed(GstRTSPClient *client, gpointer data)
{
    (void)data;
    printf("CLOSED %p\n", (void *)client);
    fflush(stdout);
}

static void on_client(GstRTSPServer *server, GstRTSPClient *client, gpointer data)
{
    (void)server;
    (void)data;
    g_signal_connect(client, "play-request", G_CALLBACK(on_play), NULL);
    g_signal_connect(client, "closed", G_CALLBACK(on_closed), NULL);
}

int main(int argc, char **argv)
{
    gint port = 0;
    gchar *auth = NULL;
    gchar *address = NULL;
    gchar **mounts = NULL;
    GOptionEntry entries[] = {
        { "port", 0, 0, G_OPTION_ARG_INT, &port, "TCP port to listen on (0: pick a free one)", "N" },
        { "address", 0, 0, G_OPTION_ARG_STRING, &address, "address to listen on (default 127.0.0.1)", "ADDR" },
        { "auth", 0, 0, G_OPTION_ARG_STRING, &auth, "require basic auth on every mount", "USER:PASS" },
        { "mount", 0, 0, G_OPTION_ARG_STRING_ARRAY, &mounts, "serve SPEC at /PATH (repeatable)", "/PATH=SPEC" },
        G_OPTION_ENTRY_NULL,
    };
    GError *e = NULL;
    GOptionContext *ctx = g_option_context_new("- RTSP test server for Pantau");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_add_group(ctx, gst_init_get_option_group());
    if (!g_option_context_parse(ctx, &argc, &argv, &e) || !mounts || port < 0 || port > 65535) {
        g_printerr("rtsp_server: %s\n", e ? e->message : "need at least one --mount, port 0..65535");
        return 2;
    }
    g_option_context_free(ctx);

    valves = g_ptr_array_new_with_free_func(gst_object_unref);
    GstRTSPServer *server = gst_rtsp_server_new();
    char service[16];
    snprintf(service, sizeof(service), "%d", port);
    gst_rtsp_server_set_address(server, address ? address : "127.0.0.1");
    gst_rtsp_server_set_service(server, service);
    if (auth) {
        gchar **up = g_strsplit(auth, ":", 2);
        if (!up[0] || !up[1]) {
            g_printerr("rtsp_server: --auth wants USER:PASS\n");
            return 2;
        }
        GstRTSPAuth *a = gst_rtsp_auth_new();
        GstRTSPToken *tok = gst_rtsp_token_new(GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE, G_TYPE_STRING, "user", NULL);
        gchar *basic = gst_rtsp_auth_make_basic(up[0], up[1]);
        gst_rtsp_auth_add_basic(a, basic, tok);
        gst_rtsp_server_set_auth(server, a);
        g_free(basic);
        gst_rtsp_token_unref(tok);
        g_object_unref(a);
        g_strfreev(up);
    }

    g_signal_connect(server, "client-connected", G_CALLBACK(on_client), NULL);
    GstRTSPMountPoints *mp = gst_rtsp_server_get_mount_points(server);
    for (int i = 0; mounts[i]; i++) {
        struct mount *m = g_new0(struct mount, 1); /* lives until exit */
        char err[256];
        if (parse_mount(mounts[i], m, err, sizeof(err)) < 0) {
            g_printerr("rtsp_server: %s\n", err);
            return 2;
        }
        GstRTSPMediaFactory *f = gst_rtsp_media_factory_new();
        gst_rtsp_media_factory_set_launch(f, m->launch);
        gst_rtsp_media_factory_set_shared(f, m->shared);
        g_signal_connect(f, "media-configure", G_CALLBACK(on_media_configure), m);
        if (auth) {
            gst_rtsp_media_factory_add_role(f, "user", GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
                                            GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, TRUE, NULL);
        }
        gst_rtsp_mount_points_add_factory(mp, m->path, f);
    }
    g_object_unref(mp);

    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    if (gst_rtsp_server_attach(server, NULL) == 0) {
        g_printerr("rtsp_server: cannot listen on %s:%s\n", address ? address : "127.0.0.1", service);
        return 1;
    }
    g_unix_signal_add(SIGINT, on_quit, loop);
    g_unix_signal_add(SIGTERM, on_quit, loop);
    g_unix_signal_add(SIGUSR1, on_freeze, GINT_TO_POINTER(TRUE));
    g_unix_signal_add(SIGUSR2, on_freeze, GINT_TO_POINTER(FALSE));
    g_timeout_add_seconds(2, on_cleanup, server);
    printf("PORT %d\n", gst_rtsp_server_get_bound_port(server));
    fflush(stdout);
    g_main_loop_run(loop);
    /* Media pipelines and client threads die with the process: tearing down
     * live media with clients attached can block, and a test wants a prompt
     * exit and a free port. */
    return 0;
}
