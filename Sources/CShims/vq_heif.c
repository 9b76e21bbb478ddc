/* vq_heif.c: HEIC (HEVC) and AVIF (AV1) decoding with libheif. libheif reports errors as returned structs;
 * each function runs the whole operation and frees the context, handle and image before returning. Only
 * the primary image is decoded, with its irot/imir transformations applied (as libheif does by default);
 * the decoded frame is averaged down to the target size. 8-bit opaque images stay in the codec's YCbCr planes
 * and are converted a row at a time (vq_ycbcr.c), so they never exist twice at full size; others go through
 * libheif's own RGB conversion. The encoder exists for tests' fixtures. */
#include "vq_image_codecs.h"
#include "vq_frame.h"
#include "vq_image_buffer.h"
#include "vq_ycbcr.h"
#include "vq_heif_library.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vq_image_status vq_heif_fail(struct heif_error error, const char *what, char msg[VQ_IMAGE_MSG_SIZE]) {
    snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s: %s", what, error.message ? error.message : "unknown error");
    if (error.code == heif_error_Memory_allocation_error) return VQ_IMAGE_FAILED;
    if (error.code == heif_error_Unsupported_feature || error.code == heif_error_Unsupported_filetype
        || error.subcode == heif_suberror_Unsupported_codec) return VQ_IMAGE_UNSUPPORTED;
    return VQ_IMAGE_CORRUPT;
}

static int vq_heif_exceeds(uint32_t width, uint32_t height, vq_image_limits limits) {
    return width > limits.max_side || height > limits.max_side || (uint64_t)width * height > limits.max_pixels;
}

/* Reads the file and finds its primary image; on success the caller releases *handle and frees *context. */
static vq_image_status vq_heif_open(const uint8_t *data, size_t size, vq_image_limits limits,
                                    struct heif_context **context, struct heif_image_handle **handle,
                                    vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(facts, 0, sizeof *facts);
    msg[0] = '\0';
    *handle = NULL;
    *context = heif_context_alloc();
    if (*context == NULL) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        return VQ_IMAGE_FAILED;
    }
    heif_context_set_maximum_image_size_limit(*context, (int)(limits.max_side < 1u << 30 ? limits.max_side : 1u << 30));
    struct heif_error error = heif_context_read_from_memory_without_copy(*context, data, size, NULL);
    vq_image_status status = VQ_IMAGE_OK;
    if (error.code != heif_error_Ok) {
        status = vq_heif_fail(error, "reading the file", msg);
    } else if ((error = heif_context_get_primary_image_handle(*context, handle)).code != heif_error_Ok) {
        status = vq_heif_fail(error, "finding the primary image", msg);
    } else {
        /* The coded size (ispe) is what gets allocated; the display size is the same area, maybe turned. */
        uint32_t coded_w = (uint32_t)heif_image_handle_get_ispe_width(*handle);
        uint32_t coded_h = (uint32_t)heif_image_handle_get_ispe_height(*handle);
        facts->width = (uint32_t)heif_image_handle_get_width(*handle);
        facts->height = (uint32_t)heif_image_handle_get_height(*handle);
        facts->frames = 1;
        facts->has_alpha = heif_image_handle_has_alpha_channel(*handle);
        if (coded_w == 0 || coded_h == 0 || facts->width == 0 || facts->height == 0) {
            status = VQ_IMAGE_ZERO_SIZE;
        } else if (vq_heif_exceeds(coded_w, coded_h, limits)) {
            facts->width = coded_w;
            facts->height = coded_h;
            status = VQ_IMAGE_TOO_LARGE;
        } else if (vq_heif_exceeds(facts->width, facts->height, limits)) {
            status = VQ_IMAGE_TOO_LARGE;
        }
    }
    if (status != VQ_IMAGE_OK) {
        if (*handle) heif_image_handle_release(*handle);
        heif_context_free(*context);
        *handle = NULL;
        *context = NULL;
    }
    return status;
}

vq_image_status vq_heif_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                    vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    if (vq_heif_load(msg) != VQ_IMAGE_OK) return VQ_IMAGE_UNSUPPORTED;
    struct heif_context *context;
    struct heif_image_handle *handle;
    vq_image_status status = vq_heif_open(data, size, limits, &context, &handle, facts, msg);
    if (status != VQ_IMAGE_OK) return status;
    heif_image_handle_release(handle);
    heif_context_free(context);
    return VQ_IMAGE_OK;
}

/* Finds the planes of an 8-bit YCbCr 4:2:0/4:2:2/4:4:4 image and the matrix its nclx profile names (BT.601 full
 * range without one, as libheif assumes); 0 for anything else. */
static int vq_heif_ycbcr_planes(const struct heif_image *image, uint32_t width, uint32_t height,
                                vq_ycbcr_planes *planes, vq_ycbcr_matrix *matrix) {
    if (heif_image_get_colorspace(image) != heif_colorspace_YCbCr) return 0;
    switch (heif_image_get_chroma_format(image)) {
    case heif_chroma_420: planes->chroma_shift_x = 1; planes->chroma_shift_y = 1; break;
    case heif_chroma_422: planes->chroma_shift_x = 1; planes->chroma_shift_y = 0; break;
    case heif_chroma_444: planes->chroma_shift_x = 0; planes->chroma_shift_y = 0; break;
    default: return 0;
    }
    enum heif_channel channels[3] = { heif_channel_Y, heif_channel_Cb, heif_channel_Cr };
    for (int i = 0; i < 3; i++)
        if (heif_image_get_bits_per_pixel_range(image, channels[i]) != 8) return 0;
    planes->y = heif_image_get_plane_readonly(image, heif_channel_Y, &planes->y_stride);
    planes->cb = heif_image_get_plane_readonly(image, heif_channel_Cb, &planes->cb_stride);
    planes->cr = heif_image_get_plane_readonly(image, heif_channel_Cr, &planes->cr_stride);
    planes->width = width;
    planes->height = height;
    uint32_t chroma_w = (width + planes->chroma_shift_x) >> planes->chroma_shift_x;
    uint32_t chroma_h = (height + planes->chroma_shift_y) >> planes->chroma_shift_y;
    if (!planes->y || !planes->cb || !planes->cr
        || heif_image_get_width(image, heif_channel_Y) != (int)width
        || heif_image_get_height(image, heif_channel_Y) != (int)height
        || heif_image_get_width(image, heif_channel_Cb) < (int)chroma_w
        || heif_image_get_height(image, heif_channel_Cb) < (int)chroma_h
        || heif_image_get_width(image, heif_channel_Cr) < (int)chroma_w
        || heif_image_get_height(image, heif_channel_Cr) < (int)chroma_h) return 0;
    int matrix_coefficients = heif_matrix_coefficients_ITU_R_BT_601_6, full_range = 1;
    struct heif_color_profile_nclx *nclx = NULL;
    if (heif_image_get_nclx_color_profile(image, &nclx).code == heif_error_Ok && nclx != NULL) {
        matrix_coefficients = nclx->matrix_coefficients;
        full_range = nclx->full_range_flag;
    }
    heif_nclx_color_profile_free(nclx);
    return vq_ycbcr_matrix_init(matrix, matrix_coefficients, full_range);
}

vq_image_status vq_heif_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                               uint32_t target_width, uint32_t target_height,
                               vq_pixels *out, vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(out, 0, sizeof *out);
    if (vq_heif_load(msg) != VQ_IMAGE_OK) return VQ_IMAGE_UNSUPPORTED;
    struct heif_context *context;
    struct heif_image_handle *handle;
    vq_image_status status = vq_heif_open(data, size, limits, &context, &handle, facts, msg);
    if (status != VQ_IMAGE_OK) return status;
    if (target_width == 0 || target_height == 0 || target_width > facts->width || target_height > facts->height) abort();
    struct heif_decoding_options *options = heif_decoding_options_alloc();
    struct heif_image *image = NULL;
    if (options == NULL) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        status = VQ_IMAGE_FAILED;
        goto done;
    }
    options->convert_hdr_to_8bit = 1;
    struct heif_error error;
    if (!facts->has_alpha && heif_image_handle_get_luma_bits_per_pixel(handle) == 8
        && heif_image_handle_get_chroma_bits_per_pixel(handle) == 8) {
        /* 4:2:0 is what phones and encoders write (no conversion); a rare 4:2:2 or 4:4:4 file is subsampled
         * by libheif first, which the JPEG it becomes (4:2:0 as well) would do anyway. */
        error = heif_decode_image(handle, &image, heif_colorspace_YCbCr, heif_chroma_420, options);
        if (error.code != heif_error_Ok) {
            status = vq_heif_fail(error, "decoding the image", msg);
            goto done;
        }
        vq_ycbcr_planes planes;
        vq_ycbcr_matrix matrix;
        if (vq_heif_ycbcr_planes(image, facts->width, facts->height, &planes, &matrix)) {
            status = vq_ycbcr_resample(&planes, &matrix, target_width, target_height, out, msg);
            goto done;
        }
        heif_image_release(image);  /* not plain 8-bit YCbCr: let libheif convert it */
        image = NULL;
    }
    int channels = facts->has_alpha ? 4 : 3;
    error = heif_decode_image(handle, &image, heif_colorspace_RGB,
                                                channels == 4 ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB,
                                                options);
    if (error.code != heif_error_Ok) {
        status = vq_heif_fail(error, "decoding the image", msg);
        goto done;
    }
    int stride = 0;
    const uint8_t *plane = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride);
    int width = heif_image_get_width(image, heif_channel_interleaved);
    int height = heif_image_get_height(image, heif_channel_interleaved);
    if (plane == NULL || width != (int)facts->width || height != (int)facts->height) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "decoding the image: got %dx%d pixels, the file declares %ux%u",
                 width, height, facts->width, facts->height);
        status = VQ_IMAGE_CORRUPT;
        goto done;
    }
    status = vq_frame_resample(plane, (size_t)stride, (uint32_t)width, (uint32_t)height, channels,
                               target_width, target_height, out, msg);
    facts->has_alpha = out->channels == 4;
done:
    if (image) heif_image_release(image);
    if (options) heif_decoding_options_free(options);
    heif_image_handle_release(handle);
    heif_context_free(context);
    if (status != VQ_IMAGE_OK) vq_pixels_free(out);
    return status;
}

static struct heif_error vq_heif_write(struct heif_context *context, const void *data, size_t size, void *userdata) {
    (void)context;
    vq_image_buffer *out = userdata;
    struct heif_error result = { heif_error_Ok, heif_suberror_Unspecified, "" };
    if (!vq_image_buffer_reserve(out, size)) {
        result.code = heif_error_Memory_allocation_error;
        result.message = "out of memory";
        return result;
    }
    memcpy(out->bytes + out->count, data, size);
    out->count += size;
    return result;
}

vq_image_status vq_heif_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                               int quality, int av1, int orientation,
                               vq_image_buffer *out, char msg[VQ_IMAGE_MSG_SIZE]) {
    msg[0] = '\0';
    if ((channels != 3 && channels != 4) || orientation < 1 || orientation > 8) abort();
    if (vq_heif_load(msg) != VQ_IMAGE_OK) return VQ_IMAGE_FAILED;
    struct heif_context *context = heif_context_alloc();
    struct heif_encoder *encoder = NULL;
    struct heif_image *image = NULL;
    struct heif_encoding_options *options = NULL;
    struct heif_image_handle *handle = NULL;
    vq_image_status status = VQ_IMAGE_FAILED;
    struct heif_error error = heif_context_get_encoder_for_format(context, av1 ? heif_compression_AV1 : heif_compression_HEVC,
                                                                  &encoder);
    if (error.code != heif_error_Ok) { vq_heif_fail(error, "no encoder", msg); goto done; }
    heif_encoder_set_lossy_quality(encoder, quality);
    error = heif_image_create((int)width, (int)height, heif_colorspace_RGB,
                              channels == 4 ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, &image);
    if (error.code != heif_error_Ok) { vq_heif_fail(error, "creating the image", msg); goto done; }
    error = heif_image_add_plane(image, heif_channel_interleaved, (int)width, (int)height, 8);
    if (error.code != heif_error_Ok) { vq_heif_fail(error, "creating the image", msg); goto done; }
    int stride = 0;
    uint8_t *plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
    for (uint32_t y = 0; y < height; y++)
        memcpy(plane + (size_t)y * stride, pixels + (size_t)y * width * channels, (size_t)width * channels);
    options = heif_encoding_options_alloc();
    options->image_orientation = (enum heif_orientation)orientation;
    error = heif_context_encode_image(context, image, encoder, options, &handle);
    if (error.code != heif_error_Ok) { vq_heif_fail(error, "encoding", msg); goto done; }
    struct heif_writer writer = { 1, vq_heif_write };
    error = heif_context_write(context, &writer, out);
    if (error.code != heif_error_Ok) { vq_heif_fail(error, "writing", msg); goto done; }
    status = VQ_IMAGE_OK;
done:
    if (handle) heif_image_handle_release(handle);
    if (options) heif_encoding_options_free(options);
    if (image) heif_image_release(image);
    if (encoder) heif_encoder_release(encoder);
    heif_context_free(context);
    if (status != VQ_IMAGE_OK) vq_image_buffer_free(out);
    return status;
}
