/* app/window.c: the window and renderer: SDL start-up, the size for each
 * mode, the renderer choice (and the switch away from OpenGL emulated on
 * the CPU), SDL's log routed into ours. Render (main) thread only. */
#include "window.h"
#include "wall_state.h"
#include "geometry.h"

#include <SDL_image.h>
#include <string.h>

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

int window_open(struct wall *w, char *err, size_t errlen)
{
    const struct wall_opts *o = &w->opts;
    const char *rname = pick_renderer(o);
    if (o->headless) {
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
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
    log_info(w->log, "%s mode, %s renderer, output %dx%d", o->mode == WALL_PREVIEW ? "preview" : "wall",
             info.name, ow, oh);
    if (o->mode == WALL_OPERATOR && !o->headless) {
        SDL_ShowCursor(SDL_DISABLE); /* operators have no mouse; a cursor would sit on the wall */
    }
    SDL_DisableScreenSaver();
    return 0;
}
