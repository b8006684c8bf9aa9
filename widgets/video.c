/* widgets/video.c: the video panel. Render thread only. It keeps the
 * source's on-screen size up to date (the feed scales to it) and draws the
 * status placeholder while no picture is available. */
#include "video.h"
#include "status.h"
#include "widget.h"

#include <stddef.h>

static const char *const fits[] = { "contain", "cover", "stretch", NULL };

static const struct cfg_key keys[] = {
    { "fit", CFG_ENUM, CFG_OFF(video_panel_opts, fit), "contain", .choices = fits, .reload = true,
      .help = "How the picture fills the panel: contain (letterbox), cover (crop) or stretch." },
    { NULL },
};

static bool update(struct panel *p, const struct draw_ctx *dc)
{
    (void)dc;
    /* No decoder yet: drop any frame so a mailbox never pins memory. */
    void *frame = scene_mailbox_take(p->source, NULL);
    scene_frame_release(p->source, frame);
    return widget_poll_source(p);
}

static void draw(struct panel *p, struct draw_ctx *dc, SDL_Rect box)
{
    scene_source_set_view_size(p->source, box.w, box.h);
    status_draw_placeholder(dc, box, &p->info);
}

static const struct widget_ops ops = {
    .kind = "video",
    .update = update,
    .draw = draw,
};

const struct cfg_kind video_panel_kind = {
    .name = "video",
    .value_help = "the name of a video source defined under sources.",
    .value_type = CFG_STRING,
    .source_kind = "video",
    .keys = keys,
    .opts_size = sizeof(struct video_panel_opts),
    .impl = &ops,
};
