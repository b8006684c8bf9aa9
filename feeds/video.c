/* feeds/video.c: config schema of video sources. The decoding feed (one
 * thread per source, libavformat + libavcodec) plugs in through .impl. */
#include "video.h"

#include <stddef.h>

static const char *const transports[] = { "tcp", "udp", "auto", NULL };

static const struct cfg_key keys[] = {
    { "transport", CFG_ENUM, CFG_OFF(video_source_opts, transport), "tcp", .choices = transports,
      .help = "RTSP transport: tcp (reliable through firewalls), udp, or auto." },
    { "stall_after", CFG_DURATION, CFG_OFF(video_source_opts, stall_after), "0s", 0, 86400000,
      .reload = true, .help = "Mark the camera frozen after this long without a new frame; 0s uses wall.stall_after." },
    { "substream", CFG_URL, CFG_OFF(video_source_opts, substream), "", .allow_empty = true,
      .help = "Lower-resolution stream used while the panel is small; empty: always the main stream." },
    { NULL },
};

const struct cfg_kind video_source_kind = {
    .name = "video",
    .value_help = "the stream URL (rtsp://, rtsps://, http(s)://, file://); put credentials in ${NAME}.",
    .value_type = CFG_URL,
    .keys = keys,
    .opts_size = sizeof(struct video_source_opts),
    .impl = NULL,
};
