/* widgets/video.h: a CCTV panel. Until the video feed lands it shows its
 * source's status placeholder; frames arrive through the source's mailbox. */
#ifndef PANTAU_WIDGET_VIDEO_H
#define PANTAU_WIDGET_VIDEO_H

#include "../config/schema.h"

struct video_panel_opts {
    int fit;    /* enum: contain, cover, stretch */
};

extern const struct cfg_kind video_panel_kind;

#endif
