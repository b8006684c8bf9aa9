/* app/window.c: the window and renderer: SDL start-up, the size for each
 * mode, the renderer choice (and the switch away from OpenGL emulated on
 * the CPU), SDL's log routed into ours. Render (main) thread only. */
#include "window.h"
#include "wall_state.h"
#include "geometry.h"
#include "../widgets/draw.h"

#include <SDL_image.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* SDL's log goes through ours. SDL has one log output per process, so its
 * logger is per process too: created with the first wall, never freed
 * (SDL may still log while it shuts down). */
static struct log *sdl_log;

static void sdl_output(void *userdata, int category, SDL_LogPriority prio, const char *msg)
{
    (void)userdata;
    (void)category;
    enum log_level lv = prio >= SDL_LOG_PRIORITY_ERROR ? LOG_ERROR
                      : prio >= SDL_LOG_PRIORITY_WARN  ? LOG_WARN
                      : prio >= SDL_LOG_PRIORITY_INFO  ? LOG_INFO
                                                       : LOG_DEBUG;
    log_msg(sdl_log, lv, "%s", msg);
}

static void route_sdl_log(void)
{
    if (!sdl_log) {
        sdl_log = log_create("sdl");
    }
    SDL_LogSetOutputFunction(sdl_output, NULL);
}

static const char *pick_renderer(const struct wall_opts *o)
{
    if (o->renderer) {
        return o->renderer;
    }
    return o->headless ? "software" : NULL;
}

static int renderer_index(const char *name)
{
    if (!name) {
        return -1;
    }
    for (int i = 0; i < SDL_GetNumRenderDrivers(); i++) {
        SDL_RendererInfo info;
        if (SDL_GetRenderDriverInfo(i, &info) == 0 && strcmp(info.name, name) == 0) {
            return i;
        }
    }
    return -2;
}

/* Default output size when none is asked for: native, but no larger than
 * 4K (a software framebuffer for a 6x4 wall would be ~200 MB). */
static void default_size(const struct wall *w, int *ow, int *oh)
{
    const struct cfg_wall *cw = &w->cfg->wall;
    int cw_px, ch_px;
    if (w->opts.mode == WALL_PREVIEW) {
        cfg_canvas_size(cw, &cw_px, &ch_px);
    } else {
        int loc[4];
        geom_local(cw, loc);
        cw_px = loc[2] * cw->size[0];
        ch_px = loc[3] * cw->size[1];
    }
    if (cw_px <= 3840 && ch_px <= 2160) {
        *ow = cw_px;
        *oh = ch_px;
        return;
    }
    float s;
    SDL_Rect fit;
    geom_fit(cw_px, ch_px, 1920, 1080, &s, &fit);
    *ow = fit.w;
    *oh = fit.h;
}

/* True when the current GL context renders on the CPU. */
static bool software_gl(const char *renderer_name)
{
    if (strncmp(renderer_name, "opengl", 6) != 0) {
        return false;
    }
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    void *sym = SDL_GL_GetProcAddress("glGetString");
    if (!sym) {
        return false;
    }
    get_string_fn get_string;
    memcpy(&get_string, &sym, sizeof(get_string)); /* ISO C: no object-to-function cast */
    const char *gl = (const char *)get_string(0x1F01 /* GL_RENDERER */);
    return gl && (strstr(gl, "llvmpipe") || strstr(gl, "softpipe") || strstr(gl, "Software Rasterizer"));
}

/* Whether SDL's default renderer here would be OpenGL emulated on the CPU
 * (llvmpipe: Xvfb, virtual machines), asked in a child process: loading the
 * emulated driver only to switch away from it left ~70 MB of it in this
 * process (RSS 115 MB against 47 MB for the same wall, measured under
 * Xvfb). 1 emulated, 0 not (a GPU, or not OpenGL), -1 unknown (then the
 * renderer is checked in this process as before). Before SDL_Init; no
 * other thread runs yet. */
static int gl_emulated_probe(void)
{
    int fd[2];
    if (pipe(fd) != 0) {
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        char r = '?';
        SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
        if (SDL_Init(SDL_INIT_VIDEO) == 0) {
            SDL_Window *win = SDL_CreateWindow("pantau probe", 0, 0, 16, 16, SDL_WINDOW_HIDDEN);
            SDL_Renderer *ren = win ? SDL_CreateRenderer(win, -1, 0) : NULL;
            SDL_RendererInfo info;
            if (ren && SDL_GetRendererInfo(ren, &info) == 0) {
                r = software_gl(info.name) ? 'e' : 'g';
            }
        }
        ssize_t wr = write(fd[1], &r, 1);
        (void)wr;
        _exit(0); /* no SDL_Quit, no atexit: the parent's display and files stay as they are */
    }
    close(fd[1]);
    char r = '?';
    struct pollfd pf = { .fd = fd[0], .events = POLLIN };
    if (poll(&pf, 1, 5000) == 1 && read(fd[0], &r, 1) != 1) {
        r = '?';
    }
    close(fd[0]);
    kill(pid, SIGKILL); /* done or stuck: either way it goes */
    waitpid(pid, NULL, 0);
    return r == 'e' ? 1 : r == 'g' ? 0 : -1;
}

/* The SDL display an output names (a number, or a name as
 * SDL_GetDisplayName gives it, case ignored); -1 when none. */
static int find_display(const char *name)
{
    int n = SDL_GetNumVideoDisplays();
    char *end;
    long v = strtol(name, &end, 10);
    if (end != name && !*end) {
        return v >= 0 && v < n ? (int)v : -1;
    }
    for (int i = 0; i < n; i++) {
        const char *dn = SDL_GetDisplayName(i);
        if (dn && strcasecmp(dn, name) == 0) {
            return i;
        }
    }
    return -1;
}

/* The displays SDL sees, for the log and for an output not found. */
static void list_displays(char *out, size_t outlen)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < SDL_GetNumVideoDisplays() && len + 1 < outlen; i++) {
        SDL_Rect b = { 0, 0, 0, 0 };
        SDL_GetDisplayBounds(i, &b);
        const char *dn = SDL_GetDisplayName(i);
        int k = snprintf(out + len, outlen - len, "%s%d \"%s\" %dx%d at %d,%d", i ? "; " : "", i, dn ? dn : "?",
                         b.w, b.h, b.x, b.y);
        len += k > 0 ? (size_t)k : 0;
    }
}

/* One borderless full-screen window per monitor this machine drives, all
 * drawn from one software surface: the local monitors' bounding box on the
 * canvas, 1:1 (bezels are unused gaps in it). A monitor whose output is not
 * found is left dark and logged with the outputs there are; the others
 * still show. list: --outputs / wall.displays.outputs ("auto", "" or names
 * in the local monitors' order); "" with listed monitors: each one's own. */
static int open_outputs(struct wall *w, const char *list, char *err, size_t errlen)
{
    const struct cfg_wall *cw = &w->cfg->wall;
    struct geom_monitor mons[GEOM_MAX_MONITORS];
    size_t n_mons = geom_monitors(cw, w->node, mons, GEOM_MAX_MONITORS);
    int need = 0;
    for (size_t i = 0; i < n_mons; i++) {
        need += mons[i].local;
    }
    bool automatic = !list[0] || strcmp(list, "auto") == 0;
    char items[CFG_MAX_OUTPUTS][64];
    int n = automatic ? need : cfg_outputs_parse(list, items, CFG_MAX_OUTPUTS);
    if (need == 0) {
        snprintf(err, errlen, "no monitor of wall.displays.monitors is driven by node \"%s\" (set each monitor's "
                              "node, or --node)", w->node);
        return -1;
    }
    if (need > MAX_OUTPUTS || n != need) {
        snprintf(err, errlen, "outputs \"%s\": %d output(s) for %d monitor(s) (one per monitor, in order, at most %d)",
                 list, n, need, MAX_OUTPUTS);
        return -1;
    }
    char shown[1024];
    list_displays(shown, sizeof(shown));
    log_info(w->log, "displays: %s", shown);
    const struct wall_opts *o = &w->opts;
    SDL_Rect box = geom_local_box(mons, n_mons);
    Uint32 fmt = SDL_PIXELFORMAT_RGB888;
    int k = -1;
    for (size_t i = 0; i < n_mons; i++) {
        const struct geom_monitor *m = &mons[i];
        if (!m->local) {
            continue;
        }
        k++;
        struct out_window *ow = &w->outs[w->n_outs];
        memset(ow, 0, sizeof(*ow));
        ow->col = m->col;
        ow->row = m->row;
        ow->number = m->number;
        ow->canvas = m->rect;
        ow->src = (SDL_Rect){ m->rect.x - box.x, m->rect.y - box.y, m->rect.w, m->rect.h };
        bool own = automatic && m->output[0] && !o->outputs; /* a listed monitor's own output */
        snprintf(ow->output, sizeof(ow->output), "%s", own ? m->output : automatic ? "" : items[k]);
        if (!ow->output[0]) {
            snprintf(ow->output, sizeof(ow->output), "%d", k);
        }
        char title[256], what[96];
        if (m->name[0]) {
            snprintf(what, sizeof(what), "%s", m->name);
        } else {
            snprintf(what, sizeof(what), "%d", m->number);
        }
        snprintf(title, sizeof(title), "%s \xc2\xb7 %s", w->cfg->title, what);
        SDL_Window *win;
        if (o->headless) {
            /* One display offscreen: every window at the monitor's size. */
            win = SDL_CreateWindow(title, 0, 0, m->rect.w, m->rect.h, 0);
        } else {
            bool numeric = true;
            for (const char *c = ow->output; *c; c++) {
                numeric = numeric && *c >= '0' && *c <= '9';
            }
            int d = find_display(ow->output);
            if (d < 0) {
                log_error(w->log, "monitor %s: output \"%s\" not found (displays here: %s); it stays dark", what,
                          ow->output, shown);
                continue;
            }
            const char *dn = SDL_GetDisplayName(d);
            if (dn && !numeric) {
                snprintf(ow->found, sizeof(ow->found), "%s", dn);
            } else {
                memcpy(ow->found, ow->output, sizeof(ow->found)); /* same size, NUL-terminated */
            }
            win = SDL_CreateWindow(title, (int)SDL_WINDOWPOS_CENTERED_DISPLAY(d), (int)SDL_WINDOWPOS_CENTERED_DISPLAY(d),
                                   m->rect.w, m->rect.h,
                                   SDL_WINDOW_BORDERLESS | SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_ALLOW_HIGHDPI);
            log_info(w->log, "monitor %s (%dx%d) on output %d \"%s\"", what, m->rect.w, m->rect.h, d,
                     dn ? dn : "?");
        }
        if (!win) {
            snprintf(err, errlen, "cannot create the window of monitor %s: %s", what, SDL_GetError());
            return -1;
        }
        ow->win = win;
        SDL_Surface *ws = SDL_GetWindowSurface(win);
        if (ws && w->n_outs == 0) {
            fmt = ws->format->format; /* copies in the windows' own format are plain copies */
        }
        w->n_outs++;
    }
    if (!w->n_outs) {
        snprintf(err, errlen, "none of the outputs was found (displays here: %s)", shown);
        return -1;
    }
    w->win = w->outs[0].win;
    w->surface = SDL_CreateRGBSurfaceWithFormat(0, box.w, box.h, 32, fmt);
    if (!w->surface) {
        snprintf(err, errlen, "cannot allocate the wall's surface: %s", SDL_GetError());
        return -1;
    }
    SDL_SetSurfaceBlendMode(w->surface, SDL_BLENDMODE_NONE);
    w->r = SDL_CreateSoftwareRenderer(w->surface);
    if (!w->r) {
        snprintf(err, errlen, "cannot create a renderer: %s", SDL_GetError());
        return -1;
    }
    w->gpu = false;
    draw_direct_target(w->r, w->surface);
    log_info(w->log, "wall mode, one window per monitor (%zu of %d), drawn once in software at %dx%d", w->n_outs,
             need, w->surface->w, w->surface->h);
    if (!o->headless) {
        SDL_ShowCursor(SDL_DISABLE);
    }
    SDL_DisableScreenSaver();
    return 0;
}

void window_present(struct wall *w)
{
    for (size_t i = 0; i < w->n_outs; i++) {
        struct out_window *ow = &w->outs[i];
        SDL_Surface *ws = SDL_GetWindowSurface(ow->win);
        if (!ws) {
            continue;
        }
        SDL_Rect src = ow->src;
        if (ws->w == src.w && ws->h == src.h) {
            SDL_BlitSurface(w->surface, &src, ws, NULL);
        } else {
            if (!ow->size_warned) {
                /* Stretched to fit: pictures and text lose their shape. */
                log_warn(w->log, "monitor %d: its output shows %dx%d, the config says %dx%d: the picture is "
                                 "stretched; set the monitor's size to its output's mode", ow->number, ws->w, ws->h,
                         src.w, src.h);
                ow->size_warned = true;
            }
            SDL_BlitScaled(w->surface, &src, ws, NULL);
        }
        SDL_UpdateWindowSurface(ow->win);
    }
}

int window_save_outputs(struct wall *w, const char *path, char *err, size_t errlen)
{
    const char *dot = strrchr(path, '.');
    int base = dot ? (int)(dot - path) : (int)strlen(path);
    for (size_t i = 0; i < w->n_outs; i++) {
        const struct out_window *ow = &w->outs[i];
        char p[4096];
        snprintf(p, sizeof(p), "%.*s-%d%s", base, path, ow->number, dot ? dot : "");
        SDL_Surface *ws = SDL_GetWindowSurface(ow->win);
        if (!ws || IMG_SavePNG(ws, p) != 0) {
            snprintf(err, errlen, "%s: %s", p, SDL_GetError());
            return -1;
        }
    }
    return 0;
}

int window_open(struct wall *w, char *err, size_t errlen)
{
    const struct wall_opts *o = &w->opts;
    const char *rname = pick_renderer(o);
    if (o->headless) {
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    }
    const char *outs_cfg = o->outputs ? o->outputs : w->cfg->wall.outputs ? w->cfg->wall.outputs : "";
    bool per_monitor = (outs_cfg[0] || w->cfg->wall.n_monitors) && o->mode == WALL_OPERATOR && !o->win_w;
    if (!rname && !per_monitor && gl_emulated_probe() == 1) {
        /* Known before this process loads the GL driver at all. */
        log_info(w->log, "OpenGL is emulated in software here (asked in a child process); using the software "
                         "renderer");
        rname = "software";
    }
    if (rname && strcmp(rname, "software") == 0) {
        /* Present straight from memory; through OpenGL costs 12-19 ms a frame. */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_Init(SDL_INIT_VIDEO) < 0) {
        snprintf(err, errlen, "cannot open the display: %s (run under X11/Wayland, or use "
                              "--headless)", SDL_GetError());
        return -1;
    }
    route_sdl_log();
    IMG_Init(IMG_INIT_PNG);
    const char *outputs = o->outputs ? o->outputs : w->cfg->wall.outputs ? w->cfg->wall.outputs : "";
    if ((outputs[0] || w->cfg->wall.n_monitors) && o->mode == WALL_OPERATOR) {
        if (!o->win_w) {
            return open_outputs(w, outputs, err, errlen);
        }
        log_info(w->log, "--window: one window for every monitor (a window per monitor is for full screen)");
    }
    int ow = o->win_w, oh = o->win_h;
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    int x = (int)SDL_WINDOWPOS_CENTERED_DISPLAY(o->display), y = x;
    if (o->headless) {
        if (!ow) {
            default_size(w, &ow, &oh);
        }
    } else if (o->mode == WALL_PREVIEW) {
        flags |= SDL_WINDOW_RESIZABLE;
        if (!ow) {
            ow = 1280;
            oh = 720;
        }
    } else if (!ow) {
        SDL_Rect b;
        if (SDL_GetDisplayBounds(o->display, &b) != 0) {
            snprintf(err, errlen, "display %d: %s", o->display, SDL_GetError());
            return -1;
        }
        ow = b.w;
        oh = b.h;
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    }
    w->win = SDL_CreateWindow(w->cfg->title, x, y, ow, oh, flags);
    if (!w->win) {
        snprintf(err, errlen, "cannot create the window: %s", SDL_GetError());
        return -1;
    }
    int ri = renderer_index(rname);
    if (ri == -2) {
        snprintf(err, errlen, "renderer \"%s\" is not available", rname);
        return -1;
    }
    Uint32 rflags = o->headless ? 0 : SDL_RENDERER_PRESENTVSYNC;
    w->r = SDL_CreateRenderer(w->win, ri, rflags);
    if (!w->r) {
        log_warn(w->log, "renderer failed (%s); using the software renderer", SDL_GetError());
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        w->r = SDL_CreateRenderer(w->win, renderer_index("software"), 0);
    }
    if (!w->r) {
        snprintf(err, errlen, "cannot create a renderer: %s", SDL_GetError());
        return -1;
    }
    SDL_RendererInfo info;
    SDL_GetRendererInfo(w->r, &info);
    if (!o->renderer && software_gl(info.name)) {
        /* OpenGL emulated on the CPU (llvmpipe: Xvfb, VMs, no GPU driver)
         * costs 29-60 ms a frame for a full wall; SDL's own software
         * renderer straight to the framebuffer is several times cheaper. */
        log_info(w->log, "OpenGL is emulated in software here; using the software renderer");
        SDL_DestroyRenderer(w->r);
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        w->r = SDL_CreateRenderer(w->win, renderer_index("software"), 0);
        if (!w->r) {
            snprintf(err, errlen, "cannot create a renderer: %s", SDL_GetError());
            return -1;
        }
        SDL_GetRendererInfo(w->r, &info);
    }
    /* A renderer named on the command line is taken at its word (that also
     * lets tests run the GPU path on emulated OpenGL). */
    w->gpu = strcmp(info.name, "software") != 0 && (o->renderer || !software_gl(info.name));
    /* SDL 2.26's offscreen driver has no way to wait for an event:
     * SDL_WaitEventTimeout polls it every millisecond (840 wake-ups a
     * second on the bench's wall, a fifth of the render thread's CPU). */
    const char *driver = SDL_GetCurrentVideoDriver();
    w->poll_wait = driver && strcmp(driver, "offscreen") == 0;
    if (!strcmp(info.name, "software")) {
        draw_direct_target(w->r, NULL);
    }
    log_info(w->log, "%s mode, %s renderer, output %dx%d", o->mode == WALL_PREVIEW ? "preview" : "wall",
             info.name, ow, oh);
    if (o->mode == WALL_OPERATOR && !o->headless) {
        SDL_ShowCursor(SDL_DISABLE); /* operators have no mouse; a cursor would sit on the wall */
    }
    SDL_DisableScreenSaver();
    return 0;
}
