/* vq_png.c: validation and encoding. libpng reports errors by longjmp. Each function here owns the
 * jmp_buf and runs the whole libpng operation, so the jump never crosses a
 * Swift frame; the caller gets a status code and a one-line message. */
#include "vq_png_io.h"
#include "vq_image_buffer.h"
#include <stdio.h>
#include <string.h>

vq_image_status vq_png_validate(const uint8_t *data, size_t size, vq_image_limits limits,
                                uint32_t *width, uint32_t *height, char msg[VQ_IMAGE_MSG_SIZE]) {
    msg[0] = '\0';
    vq_image_status ihdr = vq_png_check_ihdr(data, size, limits, width, height);
    if (ihdr != VQ_IMAGE_OK) return ihdr;
    png_structp png;
    png_infop info;
    if (vq_png_create_reader(&png, &info, msg) != VQ_IMAGE_OK) return VQ_IMAGE_FAILED;
    vq_png_source source = { data, size, 0 };
    png_bytep volatile row = NULL;
    volatile vq_image_status status = VQ_IMAGE_CORRUPT;
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_set_read_fn(png, &source, vq_png_read);
        png_set_user_limits(png, limits.max_side, limits.max_side);
        /* Benign errors become warnings: vq_png_read_warning ignores those about ancillary chunks (an ICC profile
         * libpng dislikes) and turns the rest (zlib checksum at the end of IDAT, extra data) back into errors. */
        png_set_benign_errors(png, 1);
        png_read_info(png, info);
        *width = png_get_image_width(png, info);
        *height = png_get_image_height(png, info);
        if (vq_exceeds(*width, *height, limits)) {
            status = VQ_IMAGE_TOO_LARGE;
        } else {
            int passes = png_set_interlace_handling(png);
            png_read_update_info(png, info);
            row = png_malloc(png, png_get_rowbytes(png, info));
            for (int pass = 0; pass < passes; pass++)
                for (uint32_t y = 0; y < *height; y++) png_read_row(png, row, NULL);
            png_read_end(png, NULL);
            status = VQ_IMAGE_OK;
        }
    }
    png_free(png, row);
    png_destroy_read_struct(&png, &info, NULL);
    return status;
}

vq_image_status vq_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                              int channels, int bit_depth, int interlaced,
                              const uint8_t *palette_rgb, int palette_count,
                              vq_image_buffer *out, char msg[VQ_IMAGE_MSG_SIZE]) {
    static const int color_types[] = { PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                       PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA };
    msg[0] = '\0';
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, msg, vq_png_error, vq_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        return VQ_IMAGE_FAILED;
    }
    volatile vq_image_status status = VQ_IMAGE_FAILED;
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_set_write_fn(png, out, vq_png_write, vq_png_flush);
        int color_type = palette_rgb ? PNG_COLOR_TYPE_PALETTE : color_types[channels - 1];
        png_set_IHDR(png, info, width, height, bit_depth, color_type,
                     interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        if (palette_rgb) {
            png_color palette[256];
            for (int i = 0; i < palette_count; i++) {
                palette[i].red = palette_rgb[3 * i];
                palette[i].green = palette_rgb[3 * i + 1];
                palette[i].blue = palette_rgb[3 * i + 2];
            }
            png_set_PLTE(png, info, palette, palette_count);
        }
        png_write_info(png, info);
        size_t stride = (size_t)width * channels * (bit_depth / 8);
        int passes = png_set_interlace_handling(png);
        for (int pass = 0; pass < passes; pass++)
            for (uint32_t y = 0; y < height; y++) png_write_row(png, pixels + y * stride);
        png_write_end(png, NULL);
        status = VQ_IMAGE_OK;
    }
    png_destroy_write_struct(&png, &info);
    if (status != VQ_IMAGE_OK) vq_image_buffer_free(out);
    return status;
}
