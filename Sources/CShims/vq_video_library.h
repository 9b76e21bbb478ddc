/* FFmpeg (libavformat with the libavcodec and libavutil it depends on, and libswscale), loaded on first use (dlopen,
 * see vq_lazy_library.h) instead of linked: the four libraries and the codec libraries they pull in (dav1d, x264,
 * libvpx, ...) would cost every vq start though only a video needs them. The headers still come from the -dev
 * packages, so every call is type-checked, and the sonames carry the major versions of those headers (the ABI).
 * One dlopen of libavformat finds the libavcodec and libavutil symbols too: dlsym on its handle searches the
 * libraries it depends on. libswscale is a separate library. */
#ifndef VQ_VIDEO_LIBRARY_H
#define VQ_VIDEO_LIBRARY_H
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/macros.h>
#include <libswscale/swscale.h>
#include "vq_lazy_library.h"

#define VQ_AVFORMAT_FUNCTIONS(X) \
    X(vq_av_fn_, av_dict_get) \
    X(vq_av_fn_, av_display_rotation_get) \
    X(vq_av_fn_, av_find_best_stream) \
    X(vq_av_fn_, av_frame_alloc) \
    X(vq_av_fn_, av_frame_free) \
    X(vq_av_fn_, av_frame_move_ref) \
    X(vq_av_fn_, av_frame_unref) \
    X(vq_av_fn_, av_log_set_callback) \
    X(vq_av_fn_, av_packet_alloc) \
    X(vq_av_fn_, av_packet_free) \
    X(vq_av_fn_, av_packet_unref) \
    X(vq_av_fn_, av_read_frame) \
    X(vq_av_fn_, av_seek_frame) \
    X(vq_av_fn_, av_stream_get_side_data) \
    X(vq_av_fn_, av_strerror) \
    X(vq_av_fn_, avcodec_alloc_context3) \
    X(vq_av_fn_, avcodec_find_decoder) \
    X(vq_av_fn_, avcodec_flush_buffers) \
    X(vq_av_fn_, avcodec_free_context) \
    X(vq_av_fn_, avcodec_get_name) \
    X(vq_av_fn_, avcodec_open2) \
    X(vq_av_fn_, avcodec_parameters_to_context) \
    X(vq_av_fn_, avcodec_receive_frame) \
    X(vq_av_fn_, avcodec_send_packet) \
    X(vq_av_fn_, avformat_close_input) \
    X(vq_av_fn_, avformat_find_stream_info) \
    X(vq_av_fn_, avformat_index_get_entry_from_timestamp) \
    X(vq_av_fn_, avformat_open_input)

#define VQ_SWSCALE_FUNCTIONS(X) \
    X(vq_sws_fn_, sws_freeContext) \
    X(vq_sws_fn_, sws_getCachedContext) \
    X(vq_sws_fn_, sws_scale)

VQ_AVFORMAT_FUNCTIONS(VQ_LAZY_DECLARE)
VQ_SWSCALE_FUNCTIONS(VQ_LAZY_DECLARE)

/* Load libavformat (with libavcodec and libavutil) and libswscale once (thread-safe); VQ_IMAGE_OK, or
 * VQ_IMAGE_UNSUPPORTED with msg naming the missing library. */
vq_image_status vq_avformat_load(char msg[VQ_IMAGE_MSG_SIZE]);
vq_image_status vq_swscale_load(char msg[VQ_IMAGE_MSG_SIZE]);

#define VQ_AVFORMAT_SONAME "libavformat.so." AV_STRINGIFY(LIBAVFORMAT_VERSION_MAJOR)
#define VQ_SWSCALE_SONAME "libswscale.so." AV_STRINGIFY(LIBSWSCALE_VERSION_MAJOR)

#define av_dict_get vq_av_fn_av_dict_get
#define av_display_rotation_get vq_av_fn_av_display_rotation_get
#define av_find_best_stream vq_av_fn_av_find_best_stream
#define av_frame_alloc vq_av_fn_av_frame_alloc
#define av_frame_free vq_av_fn_av_frame_free
#define av_frame_move_ref vq_av_fn_av_frame_move_ref
#define av_frame_unref vq_av_fn_av_frame_unref
#define av_log_set_callback vq_av_fn_av_log_set_callback
#define av_packet_alloc vq_av_fn_av_packet_alloc
#define av_packet_free vq_av_fn_av_packet_free
#define av_packet_unref vq_av_fn_av_packet_unref
#define av_read_frame vq_av_fn_av_read_frame
#define av_seek_frame vq_av_fn_av_seek_frame
#define av_stream_get_side_data vq_av_fn_av_stream_get_side_data
#define av_strerror vq_av_fn_av_strerror
#define avcodec_alloc_context3 vq_av_fn_avcodec_alloc_context3
#define avcodec_find_decoder vq_av_fn_avcodec_find_decoder
#define avcodec_flush_buffers vq_av_fn_avcodec_flush_buffers
#define avcodec_free_context vq_av_fn_avcodec_free_context
#define avcodec_get_name vq_av_fn_avcodec_get_name
#define avcodec_open2 vq_av_fn_avcodec_open2
#define avcodec_parameters_to_context vq_av_fn_avcodec_parameters_to_context
#define avcodec_receive_frame vq_av_fn_avcodec_receive_frame
#define avcodec_send_packet vq_av_fn_avcodec_send_packet
#define avformat_close_input vq_av_fn_avformat_close_input
#define avformat_find_stream_info vq_av_fn_avformat_find_stream_info
#define avformat_index_get_entry_from_timestamp vq_av_fn_avformat_index_get_entry_from_timestamp
#define avformat_open_input vq_av_fn_avformat_open_input
#define sws_freeContext vq_sws_fn_sws_freeContext
#define sws_getCachedContext vq_sws_fn_sws_getCachedContext
#define sws_scale vq_sws_fn_sws_scale

#endif
