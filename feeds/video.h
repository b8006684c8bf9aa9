/* feeds/video.h: CCTV/video sources (RTSP, HTTP, files). The decoding feed
 * arrives with the video issue; today this kind is configured and validated
 * and its sources show DISABLED with a reason. */
#ifndef PANTAU_FEED_VIDEO_H
#define PANTAU_FEED_VIDEO_H

#include "../config/schema.h"

#include <stdint.h>

enum video_transport { VIDEO_TCP, VIDEO_UDP, VIDEO_AUTO };

struct video_source_opts {
    int transport;          /* enum video_transport */
    int64_t stall_after;    /* ms; 0: the wall's stall_after */
    char *substream;
};

extern const struct cfg_kind video_source_kind;

#endif
