/* vq_tiff.c: TIFF (and BigTIFF) decoding with libtiff, so scanner output and the like can be sent (as JPEG or
 * PNG). libtiff reports errors through handlers, installed per file here (TIFFOpenOptions) so nothing reaches
 * stderr; each function runs the whole read and closes the file before returning. Only the first page is read,
 * through libtiff's RGBA interface (every photometric and compression libtiff knows): an opaque image band by band
 * (whole strips or tile rows) into the resampler, one with alpha samples into one full-size raster that is averaged
 * down (premultiplied, and RGB when every pixel turns out opaque); the Orientation tag is applied afterwards. Plain
 * RGB in strips (8 or 16 bits, as scanners and raw converters write them) skips the RGBA interface: it is read one
 * scanline at a time, so not even a strip is held decoded. */
#include "vq_image_codecs.h"
#include "vq_frame.h"
#include "vq_resample.h"
#include "vq_tiff_library.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    char *msg;
} vq_tiff_source;

static tmsize_t vq_tiff_read(thandle_t handle, void *buffer, tmsize_t length) {
    vq_tiff_source *source = handle;
    if (length <= 0 || source->offset >= source->size) return 0;
    size_t count = (size_t)length < source->size - source->offset ? (size_t)length : source->size - source->offset;
    memcpy(buffer, source->data + source->offset, count);
    source->offset += count;
    return (tmsize_t)count;
}

static tmsize_t vq_tiff_write(thandle_t handle, void *buffer, tmsize_t length) {
    (void)handle; (void)buffer; (void)length;
    return 0;
}

static toff_t vq_tiff_seek(thandle_t handle, toff_t offset, int whence) {
    vq_tiff_source *source = handle;
    uint64_t base = whence == SEEK_CUR ? source->offset : whence == SEEK_END ? source->size : 0;
    if (offset > UINT64_MAX - base) return (toff_t)-1;
    source->offset = (size_t)(base + offset < source->size ? base + offset : source->size);
    return base + offset;
}

static int vq_tiff_close(thandle_t handle) { (void)handle; return 0; }

static toff_t vq_tiff_size(thandle_t handle) { return ((vq_tiff_source *)handle)->size; }

static int vq_tiff_map(thandle_t handle, void **base, toff_t *size) {
    vq_tiff_source *source = handle;
    *base = (void *)source->data;
    *size = source->size;
    return 1;
}

static void vq_tiff_unmap(thandle_t handle, void *base, toff_t size) { (void)handle; (void)base; (void)size; }

/* Keeps libtiff's first error message; warnings (unknown tags and the like) are dropped. */
static int vq_tiff_error(TIFF *tif, void *user_data, const char *module, const char *format, va_list args) {
    (void)tif; (void)module;
    vq_tiff_source *source = user_data;
    if (source->msg[0] == '\0') vsnprintf(source->msg, VQ_IMAGE_MSG_SIZE, format, args);
    return 1;
}

static int vq_tiff_warning(TIFF *tif, void *user_data, const char *module, const char *format, va_list args) {
    (void)tif; (void)user_data; (void)module; (void)format; (void)args;
    return 1;
}

static int vq_tiff_exceeds(uint32_t width, uint32_t height, vq_image_limits limits) {
    return width > limits.max_side || height > limits.max_side || (uint64_t)width * height > limits.max_pixels;
}

/* Opens the first page and reads its size and orientation; on failure nothing stays open. */
static vq_image_status vq_tiff_open(vq_tiff_source *source, vq_image_limits limits, TIFF **tif, uint32_t *width,
                                    uint32_t *height, uint16_t *orientation, vq_image_facts *facts) {
    memset(facts, 0, sizeof *facts);
    source->msg[0] = '\0';
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (options == NULL) {
        snprintf(source->msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        return VQ_IMAGE_FAILED;
    }
    TIFFOpenOptionsSetErrorHandlerExtR(options, vq_tiff_error, source);
    TIFFOpenOptionsSetWarningHandlerExtR(options, vq_tiff_warning, source);
    /* libtiff's own buffers (strips, tiles, tables) stay well under one full-size RGBA raster. */
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, (tmsize_t)(limits.max_pixels * 4 + (64u << 20)));
    *tif = TIFFClientOpenExt("image", "r", source, vq_tiff_read, vq_tiff_write, vq_tiff_seek, vq_tiff_close,
                             vq_tiff_size, vq_tiff_map, vq_tiff_unmap, options);
    TIFFOpenOptionsFree(options);
    if (*tif == NULL) {
        if (source->msg[0] == '\0') snprintf(source->msg, VQ_IMAGE_MSG_SIZE, "not a readable TIFF file");
        /* libtiff refuses a zero width or height while reading the directory, in these words. */
        return strstr(source->msg, "scanline size is zero") ? VQ_IMAGE_ZERO_SIZE : VQ_IMAGE_CORRUPT;
    }
    *orientation = ORIENTATION_TOPLEFT;
    if (!TIFFGetField(*tif, TIFFTAG_IMAGEWIDTH, width) || !TIFFGetField(*tif, TIFFTAG_IMAGELENGTH, height)) {
        snprintf(source->msg, VQ_IMAGE_MSG_SIZE, "the first page has no width or height");
        TIFFClose(*tif);
        return VQ_IMAGE_CORRUPT;
    }
    TIFFGetFieldDefaulted(*tif, TIFFTAG_ORIENTATION, orientation);
    if (*orientation < 1 || *orientation > 8) *orientation = ORIENTATION_TOPLEFT;
    int swap = *orientation >= 5;
    facts->width = swap ? *height : *width;
    facts->height = swap ? *width : *height;
    facts->frames = 1;
    source->msg[0] = '\0';  /* what libtiff recovered from while reading the directory does not count */
    vq_image_status status = VQ_IMAGE_OK;
    if (*width == 0 || *height == 0) status = VQ_IMAGE_ZERO_SIZE;
    else if (vq_tiff_exceeds(*width, *height, limits)) status = VQ_IMAGE_TOO_LARGE;
    if (status != VQ_IMAGE_OK) TIFFClose(*tif);
    return status;
}

/* Rows read at a time: whole strips (or rows of tiles), at least 64 rows, so that no strip or tile is decoded twice. */
static uint32_t vq_tiff_band_rows(TIFF *tif, uint32_t height) {
    uint32_t unit = 0;
    if (TIFFIsTiled(tif)) TIFFGetField(tif, TIFFTAG_TILELENGTH, &unit);
    else TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &unit);
    if (unit == 0 || unit > height) unit = height;
    uint32_t band = unit;
    while (band < 64 && band < height) band += unit;
    return band < height ? band : height;
}

/* Ends an RGB resampling run: on success flushes the last rows and describes `out`; frees the resampler's tables
 * either way. Returns `status`. */
static vq_image_status vq_tiff_end_rgb(vq_resampler *resampler, vq_image_status status, uint32_t target_width,
                                       uint32_t target_height, vq_pixels *out) {
    if (status == VQ_IMAGE_OK) {
        vq_resampler_finish(resampler);
        out->width = target_width;
        out->height = target_height;
        out->channels = 3;
    }
    vq_resampler_release(resampler);
    return status;
}

/* An opaque image read one band of rows at a time (libtiff's RGBA interface from row_offset on) and pushed row by
 * row into an RGB resampler: memory holds one band, not the full-size raster. The same arithmetic as
 * vq_frame_resample's for an opaque RGBA frame, so the pixels are the same. */
static vq_image_status vq_tiff_stream(TIFF *tif, TIFFRGBAImage *image, uint32_t width, uint32_t height,
                                      uint32_t target_width, uint32_t target_height, vq_pixels *out,
                                      char msg[VQ_IMAGE_MSG_SIZE]) {
    uint32_t band_rows = vq_tiff_band_rows(tif, height);
    uint32_t *band = malloc((size_t)width * band_rows * 4);
    uint8_t *rgb_row = malloc((size_t)width * 3);
    vq_resampler resampler;
    out->bytes = malloc((size_t)target_width * target_height * 3);
    int ready = vq_resampler_init(&resampler, width, height, target_width, target_height, 3, out->bytes);
    vq_image_status status = VQ_IMAGE_OK;
    if (band == NULL || rgb_row == NULL || out->bytes == NULL || !ready) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        status = VQ_IMAGE_FAILED;
    }
    for (uint32_t y = 0; status == VQ_IMAGE_OK && y < height; y += band_rows) {
        uint32_t rows = band_rows < height - y ? band_rows : height - y;
        image->row_offset = (int)y;
        image->col_offset = 0;
        if (!TIFFRGBAImageGet(image, band, width, rows) || msg[0] != '\0') {
            if (msg[0] == '\0') snprintf(msg, VQ_IMAGE_MSG_SIZE, "the image data cannot be read");
            status = VQ_IMAGE_CORRUPT;
            break;
        }
        for (uint32_t row = 0; row < rows; row++) {
            /* ABGR words: R, G, B, A bytes in memory on little-endian machines. */
            const uint8_t *rgba = (const uint8_t *)(band + (size_t)row * width);
            for (uint32_t x = 0; x < width; x++) memcpy(rgb_row + (size_t)x * 3, rgba + (size_t)x * 4, 3);
            vq_resampler_push_row(&resampler, rgb_row);
        }
    }
    status = vq_tiff_end_rgb(&resampler, status, target_width, target_height, out);
    free(band);
    free(rgb_row);
    return status;
}

/* Whether the first page is RGB, 8 or 16 unsigned bits a sample, interleaved, in strips, with a codec that decodes
 * row by row: then libtiff's scanline interface gives the same samples as its RGBA one, one row at a time. */
static int vq_tiff_reads_scanlines(TIFF *tif) {
    uint16_t photometric = 0, planar = PLANARCONFIG_CONTIG, samples = 1, bits = 1, format = SAMPLEFORMAT_UINT;
    uint16_t compression = COMPRESSION_NONE, extra_count = 0;
    uint16_t *extra = NULL;
    if (TIFFIsTiled(tif) || !TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric)) return 0;
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
    TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
    int row_codec = compression == COMPRESSION_NONE || compression == COMPRESSION_LZW || compression == COMPRESSION_ADOBE_DEFLATE
        || compression == COMPRESSION_DEFLATE || compression == COMPRESSION_PACKBITS || compression == COMPRESSION_ZSTD
        || compression == COMPRESSION_LZMA;
    return photometric == PHOTOMETRIC_RGB && planar == PLANARCONFIG_CONTIG && samples == 3 && extra_count == 0
        && (bits == 8 || bits == 16) && format == SAMPLEFORMAT_UINT && row_codec;
}

/* An RGB image read one scanline at a time into an RGB resampler. 16-bit samples become 8-bit as libtiff's RGBA
 * interface makes them (rounded: (v + 128) / 257), so the pixels are those of vq_tiff_stream. */
static vq_image_status vq_tiff_scanlines(TIFF *tif, uint32_t width, uint32_t height, uint32_t target_width,
                                         uint32_t target_height, vq_pixels *out, char msg[VQ_IMAGE_MSG_SIZE]) {
    uint16_t bits = 8;
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
    tmsize_t line_size = TIFFScanlineSize(tif);
    void *line = line_size >= (tmsize_t)width * 3 * (bits / 8) ? malloc((size_t)line_size) : NULL;
    uint8_t *rgb_row = bits == 16 ? malloc((size_t)width * 3) : NULL;
    vq_resampler resampler;
    out->bytes = malloc((size_t)target_width * target_height * 3);
    int ready = vq_resampler_init(&resampler, width, height, target_width, target_height, 3, out->bytes);
    vq_image_status status = VQ_IMAGE_OK;
    if (line == NULL || (bits == 16 && rgb_row == NULL) || out->bytes == NULL || !ready) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, line_size > 0 ? "out of memory" : "the image data cannot be read");
        status = line_size > 0 ? VQ_IMAGE_FAILED : VQ_IMAGE_CORRUPT;
    }
    for (uint32_t y = 0; status == VQ_IMAGE_OK && y < height; y++) {
        if (TIFFReadScanline(tif, line, y, 0) < 0 || msg[0] != '\0') {
            if (msg[0] == '\0') snprintf(msg, VQ_IMAGE_MSG_SIZE, "the image data cannot be read");
            status = VQ_IMAGE_CORRUPT;
            break;
        }
        if (bits == 16) {
            const uint16_t *samples = line;
            for (size_t i = 0; i < (size_t)width * 3; i++) rgb_row[i] = (uint8_t)((samples[i] + 128u) / 257u);
            vq_resampler_push_row(&resampler, rgb_row);
        } else {
            vq_resampler_push_row(&resampler, line);
        }
    }
    status = vq_tiff_end_rgb(&resampler, status, target_width, target_height, out);
    free(line);
    free(rgb_row);
    return status;
}

vq_image_status vq_tiff_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                    vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(facts, 0, sizeof *facts);
    if (vq_tiff_load(msg) != VQ_IMAGE_OK) return VQ_IMAGE_UNSUPPORTED;
    vq_tiff_source source = { data, size, 0, msg };
    TIFF *tif;
    uint32_t width, height;
    uint16_t orientation;
    vq_image_status status = vq_tiff_open(&source, limits, &tif, &width, &height, &orientation, facts);
    if (status == VQ_IMAGE_OK) TIFFClose(tif);
    return status;
}

vq_image_status vq_tiff_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                               uint32_t target_width, uint32_t target_height,
                               vq_pixels *out, vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(out, 0, sizeof *out);
    memset(facts, 0, sizeof *facts);
    if (vq_tiff_load(msg) != VQ_IMAGE_OK) return VQ_IMAGE_UNSUPPORTED;
    vq_tiff_source source = { data, size, 0, msg };
    TIFF *tif;
    uint32_t width, height;
    uint16_t orientation;
    vq_image_status status = vq_tiff_open(&source, limits, &tif, &width, &height, &orientation, facts);
    if (status != VQ_IMAGE_OK) return status;
    if (target_width == 0 || target_height == 0 || target_width > facts->width || target_height > facts->height) abort();
    char reason[1024];
    uint32_t *raster = NULL;
    vq_pixels stored = { 0 };
    TIFFRGBAImage image;
    int begun = 0;
    status = VQ_IMAGE_CORRUPT;
    if (!TIFFRGBAImageOK(tif, reason)) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "%.150s", reason);
        status = VQ_IMAGE_UNSUPPORTED;
        goto done;
    }
    if (!TIFFRGBAImageBegin(&image, tif, 1, reason)) {
        if (msg[0] == '\0') snprintf(msg, VQ_IMAGE_MSG_SIZE, "%.150s", reason);
        goto done;
    }
    begun = 1;
    /* Asking for the file's own orientation makes libtiff flip nothing: rows come as stored. */
    image.req_orientation = orientation;
    int swap = orientation >= 5;
    uint32_t stored_w = swap ? target_height : target_width, stored_h = swap ? target_width : target_height;
    vq_pixels *shrunk = orientation == ORIENTATION_TOPLEFT ? out : &stored;
    if (image.alpha == 0 && vq_tiff_reads_scanlines(tif)) {
        status = vq_tiff_scanlines(tif, width, height, stored_w, stored_h, shrunk, msg);
    } else if (image.alpha == 0) {
        /* No alpha samples: every pixel is opaque, so the image streams band by band into an RGB resampler. */
        status = vq_tiff_stream(tif, &image, width, height, stored_w, stored_h, shrunk, msg);
    } else {
        raster = malloc((size_t)width * height * 4);
        if (raster == NULL) {
            snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
            status = VQ_IMAGE_FAILED;
            goto done;
        }
        if (!TIFFRGBAImageGet(&image, raster, width, height) || msg[0] != '\0') {
            if (msg[0] == '\0') snprintf(msg, VQ_IMAGE_MSG_SIZE, "the image data cannot be read");
            goto done;
        }
        /* The raster is ABGR words: R, G, B, A bytes in memory on little-endian machines. */
        status = vq_frame_resample((const uint8_t *)raster, (size_t)width * 4, width, height, 4, stored_w, stored_h,
                                   shrunk, msg);
    }
    if (status == VQ_IMAGE_OK && orientation != ORIENTATION_TOPLEFT) {
        status = vq_pixels_orient(&stored, orientation, out);
        if (status != VQ_IMAGE_OK) snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
    }
    facts->has_alpha = out->channels == 4;
done:
    if (begun) TIFFRGBAImageEnd(&image);
    vq_pixels_free(&stored);
    free(raster);
    TIFFClose(tif);
    if (status != VQ_IMAGE_OK) vq_pixels_free(out);
    return status;
}
