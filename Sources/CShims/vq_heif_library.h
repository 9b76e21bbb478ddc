/* libheif, loaded on first use (dlopen, see vq_lazy_library.h) instead of linked: libheif brings its HEVC and AV1
 * codecs (x265, libde265, dav1d, aom), whose loading cost about 3 ms of CPU at every vq start, HEIC or not. The header
 * still comes from libheif-dev; every libheif function vq calls goes through a pointer filled by vq_heif_load. */
#ifndef VQ_HEIF_LIBRARY_H
#define VQ_HEIF_LIBRARY_H
#include <libheif/heif.h>
#include "vq_lazy_library.h"

#define VQ_HEIF_FUNCTIONS(X) \
    X(vq_heif_fn_, heif_context_alloc) \
    X(vq_heif_fn_, heif_context_encode_image) \
    X(vq_heif_fn_, heif_context_free) \
    X(vq_heif_fn_, heif_context_get_encoder_for_format) \
    X(vq_heif_fn_, heif_context_get_primary_image_handle) \
    X(vq_heif_fn_, heif_context_read_from_memory_without_copy) \
    X(vq_heif_fn_, heif_context_set_maximum_image_size_limit) \
    X(vq_heif_fn_, heif_context_write) \
    X(vq_heif_fn_, heif_decode_image) \
    X(vq_heif_fn_, heif_decoding_options_alloc) \
    X(vq_heif_fn_, heif_decoding_options_free) \
    X(vq_heif_fn_, heif_encoder_release) \
    X(vq_heif_fn_, heif_encoder_set_lossy_quality) \
    X(vq_heif_fn_, heif_encoding_options_alloc) \
    X(vq_heif_fn_, heif_encoding_options_free) \
    X(vq_heif_fn_, heif_image_add_plane) \
    X(vq_heif_fn_, heif_image_create) \
    X(vq_heif_fn_, heif_image_get_bits_per_pixel_range) \
    X(vq_heif_fn_, heif_image_get_chroma_format) \
    X(vq_heif_fn_, heif_image_get_colorspace) \
    X(vq_heif_fn_, heif_image_get_height) \
    X(vq_heif_fn_, heif_image_get_nclx_color_profile) \
    X(vq_heif_fn_, heif_image_get_plane) \
    X(vq_heif_fn_, heif_image_get_plane_readonly) \
    X(vq_heif_fn_, heif_image_get_width) \
    X(vq_heif_fn_, heif_image_handle_get_chroma_bits_per_pixel) \
    X(vq_heif_fn_, heif_image_handle_get_height) \
    X(vq_heif_fn_, heif_image_handle_get_ispe_height) \
    X(vq_heif_fn_, heif_image_handle_get_ispe_width) \
    X(vq_heif_fn_, heif_image_handle_get_luma_bits_per_pixel) \
    X(vq_heif_fn_, heif_image_handle_get_width) \
    X(vq_heif_fn_, heif_image_handle_has_alpha_channel) \
    X(vq_heif_fn_, heif_image_handle_release) \
    X(vq_heif_fn_, heif_image_release) \
    X(vq_heif_fn_, heif_nclx_color_profile_free)

VQ_HEIF_FUNCTIONS(VQ_LAZY_DECLARE)

/* Loads libheif once (thread-safe); VQ_IMAGE_OK, or VQ_IMAGE_UNSUPPORTED with msg naming the missing library. */
vq_image_status vq_heif_load(char msg[VQ_IMAGE_MSG_SIZE]);

#define heif_context_alloc vq_heif_fn_heif_context_alloc
#define heif_context_encode_image vq_heif_fn_heif_context_encode_image
#define heif_context_free vq_heif_fn_heif_context_free
#define heif_context_get_encoder_for_format vq_heif_fn_heif_context_get_encoder_for_format
#define heif_context_get_primary_image_handle vq_heif_fn_heif_context_get_primary_image_handle
#define heif_context_read_from_memory_without_copy vq_heif_fn_heif_context_read_from_memory_without_copy
#define heif_context_set_maximum_image_size_limit vq_heif_fn_heif_context_set_maximum_image_size_limit
#define heif_context_write vq_heif_fn_heif_context_write
#define heif_decode_image vq_heif_fn_heif_decode_image
#define heif_decoding_options_alloc vq_heif_fn_heif_decoding_options_alloc
#define heif_decoding_options_free vq_heif_fn_heif_decoding_options_free
#define heif_encoder_release vq_heif_fn_heif_encoder_release
#define heif_encoder_set_lossy_quality vq_heif_fn_heif_encoder_set_lossy_quality
#define heif_encoding_options_alloc vq_heif_fn_heif_encoding_options_alloc
#define heif_encoding_options_free vq_heif_fn_heif_encoding_options_free
#define heif_image_add_plane vq_heif_fn_heif_image_add_plane
#define heif_image_create vq_heif_fn_heif_image_create
#define heif_image_get_bits_per_pixel_range vq_heif_fn_heif_image_get_bits_per_pixel_range
#define heif_image_get_chroma_format vq_heif_fn_heif_image_get_chroma_format
#define heif_image_get_colorspace vq_heif_fn_heif_image_get_colorspace
#define heif_image_get_height vq_heif_fn_heif_image_get_height
#define heif_image_get_nclx_color_profile vq_heif_fn_heif_image_get_nclx_color_profile
#define heif_image_get_plane vq_heif_fn_heif_image_get_plane
#define heif_image_get_plane_readonly vq_heif_fn_heif_image_get_plane_readonly
#define heif_image_get_width vq_heif_fn_heif_image_get_width
#define heif_image_handle_get_chroma_bits_per_pixel vq_heif_fn_heif_image_handle_get_chroma_bits_per_pixel
#define heif_image_handle_get_height vq_heif_fn_heif_image_handle_get_height
#define heif_image_handle_get_ispe_height vq_heif_fn_heif_image_handle_get_ispe_height
#define heif_image_handle_get_ispe_width vq_heif_fn_heif_image_handle_get_ispe_width
#define heif_image_handle_get_luma_bits_per_pixel vq_heif_fn_heif_image_handle_get_luma_bits_per_pixel
#define heif_image_handle_get_width vq_heif_fn_heif_image_handle_get_width
#define heif_image_handle_has_alpha_channel vq_heif_fn_heif_image_handle_has_alpha_channel
#define heif_image_handle_release vq_heif_fn_heif_image_handle_release
#define heif_image_release vq_heif_fn_heif_image_release
#define heif_nclx_color_profile_free vq_heif_fn_heif_nclx_color_profile_free

#endif
