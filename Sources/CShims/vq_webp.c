/* vq_webp.c: WebP validation, decoding and encoding with libwebp. A still image is decoded whole (a truncated
 * or damaged file fails); an opaque one straight at the target size by libwebp's rescaler, one with alpha at
 * full size and then averaged premultiplied. An animation is decoded frame by frame through libwebpdemux
 * (every frame must decode) and its first frame is kept: one full-size canvas, never more. */
#include "vq_image_codecs.h"
#include "vq_frame.h"
#include "vq_image_buffer.h"
#include "vq_webp_library.h"
#include "vq_webp_demux_library.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *vq_webp_reason(VP8StatusCode code) {
    switch (code) {
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "file is truncated";
    default: return "cannot be decoded";
    }
}

static vq_image_status vq_webp_fail(VP8StatusCode code, char msg[VQ_IMAGE_MSG_SIZE]) {
    snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s", vq_webp_reason(code));
    if (code == VP8_STATUS_OUT_OF_MEMORY) return VQ_IMAGE_FAILED;
    return code == VP8_STATUS_UNSUPPORTED_FEATURE ? VQ_IMAGE_UNSUPPORTED : VQ_IMAGE_CORRUPT;
}

static int vq_webp_exceeds(uint32_t width, uint32_t height, vq_image_limits limits) {
    return width > limits.max_side || height > limits.max_side || (uint64_t)width * height > limits.max_pixels;
}

vq_image_status vq_webp_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                    vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(facts, 0, sizeof *facts);
    msg[0] = '\0';
    if (vq_webp_load(msg) != VQ_IMAGE_OK) return VQ_IMAGE_UNSUPPORTED;
    WebPBitstreamFeatures features;
    VP8StatusCode code = WebPGetFeatures(data, size, &features);
    /* A simple lossy file ("VP8 " first) whose frame header declares a zero width or height. */
    if (code == VP8_STATUS_BITSTREAM_ERROR && size >= 30 && memcmp(data + 12, "VP8 ", 4) == 0
        && ((data[26] | data[27] << 8) & 0x3FFF) * ((data[28] | data[29] << 8) & 0x3FFF) == 0) return VQ_IMAGE_ZERO_SIZE;
    if (code != VP8_STATUS_OK) return vq_webp_fail(code, msg);
    facts->width = (uint32_t)features.width;
    facts->height = (uint32_t)features.height;
    facts->has_alpha = features.has_alpha;
    facts->frames = features.has_animation ? 0 : 1;
    return vq_webp_exceeds(facts->width, facts->height, limits) ? VQ_IMAGE_TOO_LARGE : VQ_IMAGE_OK;
}

/* A still image: opaque ones are rescaled by libwebp while decoding; with alpha, decoded whole, then averaged. */
static vq_image_status vq_webp_decode_still(const uint8_t *data, size_t size, const WebPBitstreamFeatures *features,
                                            uint32_t target_width, uint32_t target_height,
                                            vq_pixels *out, char msg[VQ_IMAGE_MSG_SIZE]) {
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) return vq_webp_fail(VP8_STATUS_INVALID_PARAM, msg);
    int alpha = features->has_alpha;
    int channels = alpha ? 4 : 3;
    uint32_t width = alpha ? (uint32_t)features->width : target_width;
    uint32_t height = alpha ? (uint32_t)features->height : target_height;
    if (!alpha && (width != (uint32_t)features->width || height != (uint32_t)features->height)) {
        config.options.use_scaling = 1;
        config.options.scaled_width = (int)width;
        config.options.scaled_height = (int)height;
    }
    size_t stride = (size_t)width * channels;
    uint8_t *pixels = malloc(stride * height);
    if (pixels == NULL) return vq_webp_fail(VP8_STATUS_OUT_OF_MEMORY, msg);
    config.output.colorspace = alpha ? MODE_RGBA : MODE_RGB;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = pixels;
    config.output.u.RGBA.stride = (int)stride;
    config.output.u.RGBA.size = stride * height;
    VP8StatusCode code = WebPDecode(data, size, &config);
    WebPFreeDecBuffer(&config.output);
    if (code != VP8_STATUS_OK) {
        free(pixels);
        return vq_webp_fail(code, msg);
    }
    if (!alpha) {
        out->bytes = pixels;
        out->width = width;
        out->height = height;
        out->channels = 3;
        return VQ_IMAGE_OK;
    }
    vq_image_status status = vq_frame_resample(pixels, stride, width, height, 4, target_width, target_height, out, msg);
    free(pixels);
    return status;
}

/* Decodes one animation frame (its ALPH/VP8/VP8L chunks) as RGBA into `pixels` (rows `stride` bytes apart), at
 * width x height (scaled when smaller than the frame). */
static VP8StatusCode vq_webp_decode_frame(const WebPIterator *frame, uint8_t *pixels, size_t stride,
                                          int width, int height) {
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) return VP8_STATUS_INVALID_PARAM;
    if (width != frame->width || height != frame->height) {
        config.options.use_scaling = 1;
        config.options.scaled_width = width;
        config.options.scaled_height = height;
    }
    config.output.colorspace = MODE_RGBA;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = pixels;
    config.output.u.RGBA.stride = (int)stride;
    config.output.u.RGBA.size = stride * (size_t)(height - 1) + (size_t)width * 4;
    VP8StatusCode code = WebPDecode(frame->fragment.bytes, frame->fragment.size, &config);
    WebPFreeDecBuffer(&config.output);
    return code;
}

/* An animation, frame by frame through the demuxer: the first frame is drawn straight into a transparent canvas
 * (the one full-size buffer); every later frame must decode too, but only into a few pixels. */
static vq_image_status vq_webp_decode_animation(const uint8_t *data, size_t size, vq_image_limits limits,
                                                uint32_t target_width, uint32_t target_height,
                                                vq_pixels *out, vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    if (vq_webp_demux_load(msg) != VQ_IMAGE_OK) return VQ_IMAGE_UNSUPPORTED;
    WebPData webp = { data, size };
    WebPDemuxer *demux = WebPDemux(&webp);
    if (demux == NULL) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "the animation is truncated or its chunks are damaged");
        return VQ_IMAGE_CORRUPT;
    }
    uint32_t canvas_w = WebPDemuxGetI(demux, WEBP_FF_CANVAS_WIDTH), canvas_h = WebPDemuxGetI(demux, WEBP_FF_CANVAS_HEIGHT);
    vq_image_status status = VQ_IMAGE_CORRUPT;
    uint8_t *canvas = NULL;
    WebPIterator frame;
    int iterating = 0;
    if (vq_webp_exceeds(canvas_w, canvas_h, limits)) {
        facts->width = canvas_w;
        facts->height = canvas_h;
        status = VQ_IMAGE_TOO_LARGE;
        goto done;
    }
    if (!(iterating = WebPDemuxGetFrame(demux, 1, &frame))) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "the animation has no frames");
        goto done;
    }
    canvas = calloc((size_t)canvas_w * canvas_h, 4);
    if (canvas == NULL) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        status = VQ_IMAGE_FAILED;
        goto done;
    }
    uint8_t scratch[8 * 8 * 4];
    uint32_t count = 0;
    do {
        VP8StatusCode code;
        if (count == 0) {
            /* Blending onto a transparent canvas leaves the frame's own pixels. */
            uint8_t *origin = canvas + ((size_t)frame.y_offset * canvas_w + (size_t)frame.x_offset) * 4;
            code = vq_webp_decode_frame(&frame, origin, (size_t)canvas_w * 4, frame.width, frame.height);
        } else {
            int w = frame.width < 8 ? frame.width : 8, h = frame.height < 8 ? frame.height : 8;
            code = vq_webp_decode_frame(&frame, scratch, (size_t)w * 4, w, h);
        }
        if (code != VP8_STATUS_OK) {
            snprintf(msg, VQ_IMAGE_MSG_SIZE, "frame %u of %d: %s", count + 1, frame.num_frames, vq_webp_reason(code));
            status = code == VP8_STATUS_OUT_OF_MEMORY ? VQ_IMAGE_FAILED : VQ_IMAGE_CORRUPT;
            goto done;
        }
        count++;
    } while (WebPDemuxNextFrame(&frame));
    status = vq_frame_resample(canvas, (size_t)canvas_w * 4, canvas_w, canvas_h, 4, target_width, target_height, out, msg);
    facts->frames = count;
done:
    if (iterating) WebPDemuxReleaseIterator(&frame);
    free(canvas);
    WebPDemuxDelete(demux);
    return status;
}

vq_image_status vq_webp_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                               uint32_t target_width, uint32_t target_height,
                               vq_pixels *out, vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(out, 0, sizeof *out);
    vq_image_status status = vq_webp_read_header(data, size, limits, facts, msg);
    if (status != VQ_IMAGE_OK) return status;
    if (target_width == 0 || target_height == 0 || target_width > facts->width || target_height > facts->height) abort();
    WebPBitstreamFeatures features;
    if (WebPGetFeatures(data, size, &features) != VP8_STATUS_OK) abort();  /* read successfully just above */
    if (features.has_animation) {
        status = vq_webp_decode_animation(data, size, limits, target_width, target_height, out, facts, msg);
    } else {
        status = vq_webp_decode_still(data, size, &features, target_width, target_height, out, msg);
        facts->frames = 1;
    }
    if (status != VQ_IMAGE_OK) {
        vq_pixels_free(out);
        return status;
    }
    facts->has_alpha = out->channels == 4;
    return VQ_IMAGE_OK;
}

vq_image_status vq_webp_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                               int quality, int lossless, vq_image_buffer *out, char msg[VQ_IMAGE_MSG_SIZE]) {
    msg[0] = '\0';
    if (channels != 3 && channels != 4) abort();
    if (vq_webp_load(msg) != VQ_IMAGE_OK) return VQ_IMAGE_FAILED;
    uint8_t *encoded = NULL;
    int stride = (int)width * channels;
    size_t count;
    if (lossless)
        count = channels == 4 ? WebPEncodeLosslessRGBA(pixels, (int)width, (int)height, stride, &encoded)
                              : WebPEncodeLosslessRGB(pixels, (int)width, (int)height, stride, &encoded);
    else
        count = channels == 4 ? WebPEncodeRGBA(pixels, (int)width, (int)height, stride, (float)quality, &encoded)
                              : WebPEncodeRGB(pixels, (int)width, (int)height, stride, (float)quality, &encoded);
    if (count == 0 || !vq_image_buffer_reserve(out, count)) {
        WebPFree(encoded);
        vq_image_buffer_free(out);
        snprintf(msg, VQ_IMAGE_MSG_SIZE, count == 0 ? "libwebp refused the image" : "out of memory");
        return VQ_IMAGE_FAILED;
    }
    memcpy(out->bytes + out->count, encoded, count);
    out->count += count;
    WebPFree(encoded);
    return VQ_IMAGE_OK;
}
