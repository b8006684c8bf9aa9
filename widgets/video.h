/* widgets/video.h: a CCTV panel. It shows the newest picture of its video
 * source (feeds/video.h) and, when the source is lost, the last picture
 * dimmed under the reason. Render thread only. */
#ifndef PANTAU_WIDGET_VIDEO_H
#define PANTAU_WIDGET_VIDEO_H

#include "../config/schema.h"

#include <SDL.h>

struct video_panel_opts {
    int fit;    /* enum view_fit */
};

/* Where a src_w x src_h picture with sample aspect sar_num:sar_den goes in
 * box for fit (enum view_fit in scene.h): the whole picture's rect,
 * which may extend past box for cover. Pure. */
void video_fit_rect(SDL_Rect box, int src_w, int src_h, int sar_num, int sar_den, int fit, SDL_Rect *out);

extern const struct cfg_kind video_panel_kind;

#endif
