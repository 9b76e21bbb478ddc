/* Why this exists: FFmpeg's API is a dozen calls per frame with reference-counted packets and frames, error codes
 * that need av_strerror, and a log that would print to stderr; here each operation (open, frame at a time) is one
 * call returning a status and a one-line message, so Swift never holds an FFmpeg object. */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vq_video.h"
#include "vq_video_library.h"

struct vq_video {
    AVFormatContext *format;
    AVCodecContext *codec;
    AVStream *stream;
    int index;
    AVPacket *packet;
    AVFrame *frame;
    /* The frame decoded before `frame`: what is shown at a time between the two. */
    AVFrame *previous;
    struct SwsContext *scaler;
    /* The stream time of the last frame returned, and whether the decoder may go on from there (no seek needed). */
    int64_t last_pts;
    int positioned;
    /* The decoder was drained at the end of the stream: the next frame needs a seek. */
    int drained;
};

/* FFmpeg's last error line on this thread ("moov atom not found"), kept instead of printed. */
static __thread char vq_video_log[VQ_IMAGE_MSG_SIZE];

static void vq_video_on_log(void *object, int level, const char *format, va_list arguments) {
    (void)object;
    if (level > AV_LOG_ERROR) return;
    vsnprintf(vq_video_log, sizeof vq_video_log, format, arguments);
    size_t length = strlen(vq_video_log);
    while (length > 0 && (vq_video_log[length - 1] == '\n' || vq_video_log[length - 1] == '\r')) vq_video_log[--length] = 0;
}

static pthread_once_t vq_video_log_once = PTHREAD_ONCE_INIT;
static void vq_video_install_log(void) { av_log_set_callback(vq_video_on_log); }

/* "what: FFmpeg's reason" from an AVERROR code, with FFmpeg's own log line when it said more. */
static void vq_video_message(char msg[VQ_IMAGE_MSG_SIZE], const char *what, int code) {
    char reason[AV_ERROR_MAX_STRING_SIZE] = "";
    if (code < 0) av_strerror(code, reason, sizeof reason);
    if (vq_video_log[0] && code < 0)
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s: %s (%s)", what, reason, vq_video_log);
    else if (vq_video_log[0])
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s: %s", what, vq_video_log);
    else
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s: %s", what, code < 0 ? reason : "no reason given");
}

static int vq_video_rotation(AVStream *stream) {
    size_t size = 0;
    const uint8_t *matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    double theta = 0;
    if (matrix && size >= 9 * sizeof(int32_t)) {
        double counterclockwise = av_display_rotation_get((const int32_t *)matrix);
        if (!isnan(counterclockwise)) theta = -round(counterclockwise);
    } else {
        const AVDictionaryEntry *tag = av_dict_get(stream->metadata, "rotate", NULL, 0);
        if (tag) theta = atoi(tag->value);
    }
    theta -= 360 * floor(theta / 360 + 0.9 / 360);
    int degrees = (int)lround(theta / 90) * 90 % 360;
    return degrees < 0 ? degrees + 360 : degrees;
}

vq_video_status vq_video_open(const char *path, vq_video **video, vq_video_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    *video = NULL;
    memset(facts, 0, sizeof *facts);
    if (vq_avformat_load(msg) != VQ_IMAGE_OK || vq_swscale_load(msg) != VQ_IMAGE_OK) return VQ_VIDEO_UNAVAILABLE;
    pthread_once(&vq_video_log_once, vq_video_install_log);
    vq_video_log[0] = 0;
    vq_video *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        return VQ_VIDEO_FAILED;
    }
    int code = avformat_open_input(&v->format, path, NULL, NULL);
    if (code < 0) {
        vq_video_message(msg, "FFmpeg cannot open it", code);
        free(v);
        return VQ_VIDEO_DAMAGED;
    }
    vq_video_status status = VQ_VIDEO_DAMAGED;
    code = avformat_find_stream_info(v->format, NULL);
    if (code < 0) {
        vq_video_message(msg, "FFmpeg cannot read its streams", code);
        goto fail;
    }
    const AVCodec *decoder = NULL;
    v->index = av_find_best_stream(v->format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (v->index == AVERROR_STREAM_NOT_FOUND) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "it has no video stream (%u stream(s) of other kinds)", v->format->nb_streams);
        status = VQ_VIDEO_NO_STREAM;
        goto fail;
    }
    if (v->index < 0 || !decoder) {
        const AVStream *any = NULL;
        for (unsigned i = 0; i < v->format->nb_streams; i++)
            if (v->format->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) any = v->format->streams[i];
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "this FFmpeg has no decoder for its %s video",
                 any ? avcodec_get_name(any->codecpar->codec_id) : "unknown");
        status = VQ_VIDEO_NO_DECODER;
        goto fail;
    }
    v->stream = v->format->streams[v->index];
    /* Only the video stream's packets are wanted: the demuxer skips the others. */
    for (unsigned i = 0; i < v->format->nb_streams; i++)
        if ((int)i != v->index) v->format->streams[i]->discard = AVDISCARD_ALL;
    AVCodecParameters *parameters = v->stream->codecpar;
    snprintf(facts->codec, sizeof facts->codec, "%s", avcodec_get_name(parameters->codec_id));
    snprintf(facts->container, sizeof facts->container, "%s", v->format->iformat->name);
    facts->width = parameters->width > 0 ? (uint32_t)parameters->width : 0;
    facts->height = parameters->height > 0 ? (uint32_t)parameters->height : 0;
    facts->rotation = vq_video_rotation(v->stream);
    AVRational declared = v->stream->avg_frame_rate.num > 0 ? v->stream->avg_frame_rate : v->stream->r_frame_rate;
    if (declared.num > 0 && declared.den > 0) facts->frame_rate = av_q2d(declared);
    if (v->stream->duration != AV_NOPTS_VALUE && v->stream->duration > 0)
        facts->duration = v->stream->duration * av_q2d(v->stream->time_base);
    else if (v->format->duration != AV_NOPTS_VALUE && v->format->duration > 0)
        facts->duration = v->format->duration / (double)AV_TIME_BASE;
    if (facts->width == 0 || facts->height == 0) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "its %s video stream declares no frame size", facts->codec);
        goto fail;
    }
    v->codec = avcodec_alloc_context3(decoder);
    v->packet = av_packet_alloc();
    v->frame = av_frame_alloc();
    v->previous = av_frame_alloc();
    if (!v->codec || !v->packet || !v->frame || !v->previous) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        status = VQ_VIDEO_FAILED;
        goto fail;
    }
    code = avcodec_parameters_to_context(v->codec, parameters);
    /* One thread: after each seek a frame-threaded decoder would decode frames ahead that are thrown away. */
    v->codec->thread_count = 1;
    if (code >= 0) code = avcodec_open2(v->codec, decoder, NULL);
    if (code < 0) {
        vq_video_message(msg, "FFmpeg cannot open its decoder", code);
        goto fail;
    }
    *video = v;
    return VQ_VIDEO_OK;
fail:
    vq_video_close(v);
    return status;
}

void vq_video_close(vq_video *video) {
    if (!video) return;
    if (video->scaler) sws_freeContext(video->scaler);
    if (video->frame) av_frame_free(&video->frame);
    if (video->previous) av_frame_free(&video->previous);
    if (video->packet) av_packet_free(&video->packet);
    if (video->codec) avcodec_free_context(&video->codec);
    if (video->format) avformat_close_input(&video->format);
    free(video);
}

static int64_t vq_video_pts(const AVFrame *frame) {
    return frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : frame->pts;
}

/* Scales `frame` to width x height RGB into `out`. */
static vq_video_status vq_video_scale(vq_video *v, const AVFrame *frame, uint32_t width, uint32_t height, vq_pixels *out,
                                      char msg[VQ_IMAGE_MSG_SIZE]) {
    int shrinking = width < (uint32_t)frame->width || height < (uint32_t)frame->height;
    v->scaler = sws_getCachedContext(v->scaler, frame->width, frame->height, frame->format, (int)width, (int)height,
                                     AV_PIX_FMT_RGB24, shrinking ? SWS_AREA : SWS_BICUBIC, NULL, NULL, NULL);
    if (!v->scaler) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "libswscale cannot convert %dx%d %s frames to %ux%u RGB", frame->width,
                 frame->height, frame->format >= 0 ? "decoded" : "unknown", width, height);
        return VQ_VIDEO_FAILED;
    }
    size_t stride = (size_t)width * 3;
    uint8_t *bytes = malloc(stride * height);
    if (!bytes) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory for a %ux%u frame", width, height);
        return VQ_VIDEO_FAILED;
    }
    uint8_t *planes[4] = {bytes, NULL, NULL, NULL};
    int strides[4] = {(int)stride, 0, 0, 0};
    sws_scale(v->scaler, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height, planes, strides);
    out->bytes = bytes;
    out->width = width;
    out->height = height;
    out->channels = 3;
    return VQ_VIDEO_OK;
}

vq_video_status vq_video_frame(vq_video *v, double seconds, uint32_t width, uint32_t height, vq_pixels *out,
                               double *time, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(out, 0, sizeof *out);
    *time = 0;
    vq_video_log[0] = 0;
    AVRational base = v->stream->time_base;
    int64_t origin = v->stream->start_time != AV_NOPTS_VALUE ? v->stream->start_time : 0;
    int64_t target = origin + (int64_t)llround(seconds / av_q2d(base));
    /* Half a frame early counts as the frame at `seconds` (timestamps are rounded to the time base). */
    AVRational rate = v->stream->avg_frame_rate.num > 0 ? v->stream->avg_frame_rate : v->stream->r_frame_rate;
    int64_t slack = rate.num > 0 ? (int64_t)llround(0.5 / av_q2d(rate) / av_q2d(base)) : 0;

    /* Go on decoding when the keyframe before the target is at or before the last frame returned (the same group
     * of pictures): seeking would decode that stretch again. */
    int go_on = v->positioned && !v->drained && target > v->last_pts;
    if (go_on) {
        const AVIndexEntry *key = avformat_index_get_entry_from_timestamp(v->stream, target, AVSEEK_FLAG_BACKWARD);
        go_on = key && key->timestamp <= v->last_pts;
    }
    if (!go_on) {
        int code = av_seek_frame(v->format, v->index, target, AVSEEK_FLAG_BACKWARD);
        if (code < 0) code = av_seek_frame(v->format, v->index, target, AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY);
        if (code < 0 && target > origin) {
            vq_video_message(msg, "cannot seek", code);
            return VQ_VIDEO_DAMAGED;
        }
        avcodec_flush_buffers(v->codec);
        av_frame_unref(v->previous);
        v->drained = 0;
    }
    v->positioned = 0;
    int flushing = 0;
    int rejected = 0;
    char rejection[VQ_IMAGE_MSG_SIZE] = "";
    for (;;) {
        int code = avcodec_receive_frame(v->codec, v->frame);
        if (code == 0) {
            int64_t pts = vq_video_pts(v->frame);
            if (pts == AV_NOPTS_VALUE || pts + slack >= target) break;
            av_frame_unref(v->previous);
            av_frame_move_ref(v->previous, v->frame);
            continue;
        }
        if (code == AVERROR_EOF) {
            v->drained = 1;
            if (!v->previous->buf[0]) {
                if (rejected)
                    snprintf(msg, VQ_IMAGE_MSG_SIZE, "no frame decodes (%s)", rejection);
                else
                    vq_video_message(msg, "no frame decodes", code);
                return VQ_VIDEO_DAMAGED;
            }
            /* The last frame is what is shown to the end: the caller decides whether it is near enough. */
            vq_video_status scaled = vq_video_scale(v, v->previous, width, height, out, msg);
            *time = (vq_video_pts(v->previous) - origin) * av_q2d(base);
            return scaled == VQ_VIDEO_OK ? VQ_VIDEO_ENDED : scaled;
        }
        if (code != AVERROR(EAGAIN)) {
            vq_video_message(msg, "FFmpeg cannot decode it", code);
            return VQ_VIDEO_DAMAGED;
        }
        if (flushing) continue;
        code = av_read_frame(v->format, v->packet);
        if (code < 0) {
            /* The end (or a read error past the last whole packet, as in a truncated file): drain the decoder. */
            flushing = 1;
            avcodec_send_packet(v->codec, NULL);
            continue;
        }
        if (v->packet->stream_index == v->index) {
            code = avcodec_send_packet(v->codec, v->packet);
            if (code < 0 && code != AVERROR(EAGAIN)) {
                /* A damaged packet: the decoder conceals what it can; say why if nothing decodes at all. */
                rejected++;
                vq_video_message(rejection, "a packet was refused", code);
            }
        }
        av_packet_unref(v->packet);
    }
    vq_video_status status = vq_video_scale(v, v->frame, width, height, out, msg);
    int64_t pts = vq_video_pts(v->frame);
    *time = pts == AV_NOPTS_VALUE ? seconds : (pts - origin) * av_q2d(base);
    v->last_pts = pts == AV_NOPTS_VALUE ? target : pts;
    v->positioned = pts != AV_NOPTS_VALUE;
    av_frame_unref(v->previous);
    av_frame_move_ref(v->previous, v->frame);
    return status;
}
