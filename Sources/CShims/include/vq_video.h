/* vq_video.h: whole-operation wrappers around FFmpeg for the Imaging module's videos: open and probe a file, and
 * decode the frame shown at a time, scaled straight to the size wanted. Only plain C types appear here (the types
 * of vq_image.h), so Swift never sees FFmpeg's headers. */
#ifndef VQ_VIDEO_H
#define VQ_VIDEO_H
#include "vq_image.h"

/** An open video: the demuxer, the decoder of its best video stream, and the scaler. */
typedef struct vq_video vq_video;

/** Outcome of a vq_video_* call; msg says more for every value but VQ_VIDEO_OK. */
typedef enum vq_video_status {
    VQ_VIDEO_OK = 0,
    VQ_VIDEO_DAMAGED = 1,      /* FFmpeg cannot read the file (not a video, truncated, corrupt) */
    VQ_VIDEO_NO_STREAM = 2,    /* a container without a video stream (audio only) */
    VQ_VIDEO_NO_DECODER = 3,   /* a video stream in a codec this FFmpeg cannot decode */
    VQ_VIDEO_UNAVAILABLE = 4,  /* FFmpeg's libraries are not installed */
    VQ_VIDEO_ENDED = 5,        /* the stream ended before the time asked for: out and *time are its last frame's */
    VQ_VIDEO_FAILED = 6        /* out of memory, or the scaler refused the sizes */
} vq_video_status;

/** What the container and the video stream's header say. */
typedef struct vq_video_facts {
    /** Seconds of the video stream (else of the container); 0 when neither says. */
    double duration;
    /** Frames a second the stream declares (its average rate, else its base rate); 0 when it declares none. */
    double frame_rate;
    /** The stored frame size (before rotation). */
    uint32_t width;
    uint32_t height;
    /** Degrees clockwise (0, 90, 180, 270) the frames are turned to be shown upright (display matrix or rotate tag). */
    int rotation;
    /** The codec's short name (h264, vp9) and the demuxer's (mov,mp4,m4a,3gp,3g2,mj2; matroska,webm; avi). */
    char codec[32];
    char container[48];
} vq_video_facts;

/** Opens the file at `path` and its best video stream's decoder. On success *video must be closed with
 *  vq_video_close. */
vq_video_status vq_video_open(const char *path, vq_video **video, vq_video_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]);

void vq_video_close(vq_video *video);

/** Decodes the frame shown at `seconds` from the start (seeking to the keyframe before it unless the decoder is
 *  already between that keyframe and it) and scales it to exactly width x height stored pixels (not rotated) as
 *  8-bit RGB (3 channels). *time receives the frame's own time in seconds. */
vq_video_status vq_video_frame(vq_video *video, double seconds, uint32_t width, uint32_t height, vq_pixels *out,
                               double *time, char msg[VQ_IMAGE_MSG_SIZE]);

#endif
