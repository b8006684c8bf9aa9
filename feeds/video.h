/* feeds/video.h: CCTV/video sources (RTSP, HTTP MJPEG/MPEG-TS, HLS, files).
 * One thread per source demuxes (libavformat) and decodes (libavcodec), and
 * hands the newest picture to the source's frame mailbox as a struct
 * video_frame, which the video panel (widgets/video.c) uploads. */
#ifndef PANTAU_FEED_VIDEO_H
#define PANTAU_FEED_VIDEO_H

#include "../config/schema.h"

#include <stdint.h>

enum video_transport { VIDEO_TCP, VIDEO_UDP, VIDEO_AUTO };
enum video_decode { VIDEO_DECODE_AUTO, VIDEO_DECODE_FULL, VIDEO_DECODE_FAST };
enum video_hwdec { VIDEO_HWDEC_NONE, VIDEO_HWDEC_VAAPI };

struct video_source_opts {
    int transport;          /* enum video_transport */
    int64_t stall_after;    /* ms; 0: the wall's stall_after */
    char *substream;
    int substream_below;    /* on-screen width (px) under which the substream is used */
    int64_t timeout;        /* ms: open and read */
    int64_t retry_min;      /* ms: the first reconnect wait */
    int64_t retry_max;      /* ms: the reconnect backoff's cap */
    int decode;             /* enum video_decode */
    int hwdec;              /* enum video_hwdec */
    int threads;            /* decoder threads; 0: chosen from cores and sources */
};

/* What the mailbox of a video source holds. av is an AVFrame: YUV420P at
 * the stream's size when the renderer asked for planes, else YUV 4:2:0
 * already scaled to the panel's on-screen size (1.5 bytes a pixel where
 * BGRA took 4: the mailbox holds up to three pictures a source). Owned by whoever took it from the
 * mailbox; release with video_frame_free() (feeds/video_picture.h). */
struct video_frame {
    void *av;               /* AVFrame * */
    int src_w, src_h;       /* the decoded picture's size */
    int sar_num, sar_den;   /* its sample aspect ratio (1:1 when unknown) */
};

extern const struct cfg_kind video_source_kind;

/* How often the reconnect probe looks at a down camera's port, after it
 * has been down for down_ms: every 0.5 s in the first 30 s (a camera back
 * from a reboot is live within a second), every 2 s up to 5 minutes, then
 * every 10 s (24 cameras behind a recorder that is down for an hour: about
 * 12,600 connections, not 170,000). Pure. */
int64_t video_probe_every(int64_t down_ms);

#endif
