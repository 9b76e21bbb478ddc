/* vq_gif.c: GIF validation and first-frame decoding with giflib. giflib reports errors by return code, so
 * each function runs the whole read and frees everything before returning. Every block of the file is read (a
 * truncated file fails) and each frame's declared size is checked against the limits; the first frame is
 * LZW-decoded and composited on a transparent screen. Later frames' data blocks are read but not decoded:
 * an animation is sent as its first frame, re-encoded, so their pixels never reach a service, and decoding
 * them would cost as much as the frame count times the first. */
#include "vq_image_codecs.h"
#include "vq_frame.h"
#include "vq_gif_library.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} vq_gif_source;

static int vq_gif_read(GifFileType *gif, GifByteType *bytes, int length) {
    vq_gif_source *source = gif->UserData;
    size_t count = (size_t)length < source->size - source->offset ? (size_t)length : source->size - source->offset;
    memcpy(bytes, source->data + source->offset, count);
    source->offset += count;
    return (int)count;
}

static int vq_gif_exceeds(uint32_t width, uint32_t height, vq_image_limits limits) {
    return width > limits.max_side || height > limits.max_side || (uint64_t)width * height > limits.max_pixels;
}

/* Opens the GIF and checks the logical screen; on failure closes it and returns the status. */
static vq_image_status vq_gif_open(vq_gif_source *source, vq_image_limits limits, GifFileType **gif,
                                   vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(facts, 0, sizeof *facts);
    msg[0] = '\0';
    int error = 0;
    *gif = DGifOpen(source, vq_gif_read, &error);
    if (*gif == NULL) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s", error == D_GIF_ERR_READ_FAILED ? "file is truncated" : GifErrorString(error));
        return error == D_GIF_ERR_NOT_ENOUGH_MEM ? VQ_IMAGE_FAILED : VQ_IMAGE_CORRUPT;
    }
    facts->width = (uint32_t)(*gif)->SWidth;
    facts->height = (uint32_t)(*gif)->SHeight;
    if (facts->width == 0 || facts->height == 0 || vq_gif_exceeds(facts->width, facts->height, limits)) {
        DGifCloseFile(*gif, &error);
        return facts->width == 0 || facts->height == 0 ? VQ_IMAGE_ZERO_SIZE : VQ_IMAGE_TOO_LARGE;
    }
    return VQ_IMAGE_OK;
}

vq_image_status vq_gif_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                   vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(facts, 0, sizeof *facts);
    if (vq_gif_load(msg) != VQ_IMAGE_OK) return VQ_IMAGE_UNSUPPORTED;
    vq_gif_source source = { data, size, 0 };
    GifFileType *gif;
    vq_image_status status = vq_gif_open(&source, limits, &gif, facts, msg);
    if (status != VQ_IMAGE_OK) return status;
    int error;
    DGifCloseFile(gif, &error);
    return VQ_IMAGE_OK;
}

/* The reason for giflib's last error on `gif`. */
static vq_image_status vq_gif_fail(GifFileType *gif, const vq_gif_source *source, const char *what,
                                   char msg[VQ_IMAGE_MSG_SIZE]) {
    int truncated = gif->Error == D_GIF_ERR_READ_FAILED || source->offset >= source->size;
    snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s: %s", what, truncated ? "file is truncated" : GifErrorString(gif->Error));
    return gif->Error == D_GIF_ERR_NOT_ENOUGH_MEM ? VQ_IMAGE_FAILED : VQ_IMAGE_CORRUPT;
}

/* Reads a frame's LZW data blocks without decoding them (frames after the first, frames of zero area). */
static int vq_gif_skip_codes(GifFileType *gif) {
    int code_size;
    GifByteType *block;
    if (DGifGetCode(gif, &code_size, &block) == GIF_ERROR) return 0;
    while (block != NULL)
        if (DGifGetCodeNext(gif, &block) == GIF_ERROR) return 0;
    return 1;
}

/* Paints row `y` of the first frame (palette indices) onto the RGBA screen, clipped, skipping transparent pixels. */
static void vq_gif_paint_row(uint8_t *screen, uint32_t screen_w, uint32_t screen_h, const GifImageDesc *desc,
                             uint32_t y, const GifPixelType *row, const ColorMapObject *map, int transparent) {
    uint32_t sy = (uint32_t)desc->Top + y;
    if (sy >= screen_h) return;
    for (uint32_t x = 0; x < (uint32_t)desc->Width; x++) {
        uint32_t sx = (uint32_t)desc->Left + x;
        if (sx >= screen_w) break;
        int index = row[x];
        if (index == transparent) continue;
        uint8_t *pixel = screen + ((size_t)sy * screen_w + sx) * 4;
        if (map != NULL && index < map->ColorCount) {
            pixel[0] = map->Colors[index].Red;
            pixel[1] = map->Colors[index].Green;
            pixel[2] = map->Colors[index].Blue;
        } else {
            pixel[0] = pixel[1] = pixel[2] = 0;  /* index outside the colour table: black, as browsers show it */
        }
        pixel[3] = 255;
    }
}

vq_image_status vq_gif_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                              uint32_t target_width, uint32_t target_height,
                              vq_pixels *out, vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(out, 0, sizeof *out);
    memset(facts, 0, sizeof *facts);
    if (vq_gif_load(msg) != VQ_IMAGE_OK) return VQ_IMAGE_UNSUPPORTED;
    vq_gif_source source = { data, size, 0 };
    GifFileType *gif;
    vq_image_status status = vq_gif_open(&source, limits, &gif, facts, msg);
    if (status != VQ_IMAGE_OK) return status;
    uint32_t screen_w = facts->width, screen_h = facts->height;
    if (target_width == 0 || target_height == 0 || target_width > screen_w || target_height > screen_h) abort();
    uint8_t *screen = NULL;   /* the first frame, RGBA */
    GifPixelType *row = NULL;
    int transparent = -1;     /* from the graphic control extension before the next frame */
    uint32_t frames = 0;
    status = VQ_IMAGE_CORRUPT;
    for (;;) {
        GifRecordType record;
        if (DGifGetRecordType(gif, &record) == GIF_ERROR) {
            /* A file that ends right after a complete frame, without the trailer byte, is shown by every viewer. */
            if (frames > 0 && source.offset >= source.size) break;
            status = vq_gif_fail(gif, &source, "reading the next block", msg);
            goto done;
        }
        if (record == TERMINATE_RECORD_TYPE) break;
        if (record == EXTENSION_RECORD_TYPE) {
            int code;
            GifByteType *block;
            if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) {
                status = vq_gif_fail(gif, &source, "reading an extension", msg);
                goto done;
            }
            if (code == GRAPHICS_EXT_FUNC_CODE && block != NULL && block[0] >= 4) {
                GraphicsControlBlock gcb;
                if (DGifExtensionToGCB(block[0], block + 1, &gcb) == GIF_OK) transparent = gcb.TransparentColor;
            }
            while (block != NULL) {
                if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) {
                    status = vq_gif_fail(gif, &source, "reading an extension", msg);
                    goto done;
                }
            }
            continue;
        }
        if (record != IMAGE_DESC_RECORD_TYPE) {
            snprintf(msg, VQ_IMAGE_MSG_SIZE, "unknown block type");
            goto done;
        }
        if (DGifGetImageDesc(gif) == GIF_ERROR) {
            status = vq_gif_fail(gif, &source, "reading a frame header", msg);
            goto done;
        }
        GifImageDesc desc = gif->Image;
        uint32_t fw = (uint32_t)desc.Width, fh = (uint32_t)desc.Height;
        frames++;
        if (vq_gif_exceeds(fw, fh, limits)) {
            facts->width = fw;
            facts->height = fh;
            snprintf(msg, VQ_IMAGE_MSG_SIZE, "frame %u declares %ux%u pixels", frames, fw, fh);
            status = VQ_IMAGE_TOO_LARGE;
            goto done;
        }
        if (fw == 0 || fh == 0 || screen != NULL) {
            if (!vq_gif_skip_codes(gif)) {
                status = vq_gif_fail(gif, &source, "reading a frame", msg);
                goto done;
            }
        } else {
            GifPixelType *grown = realloc(row, fw);
            if (grown == NULL) { snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory"); status = VQ_IMAGE_FAILED; goto done; }
            row = grown;
            screen = calloc((size_t)screen_w * screen_h, 4);
            if (screen == NULL) { snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory"); status = VQ_IMAGE_FAILED; goto done; }
            const ColorMapObject *map = desc.ColorMap ? desc.ColorMap : gif->SColorMap;
            static const uint32_t pass_start[] = { 0, 4, 2, 1 }, pass_step[] = { 8, 8, 4, 2 };
            int passes = desc.Interlace ? 4 : 1;
            for (int pass = 0; pass < passes; pass++) {
                uint32_t start = desc.Interlace ? pass_start[pass] : 0, step = desc.Interlace ? pass_step[pass] : 1;
                for (uint32_t y = start; y < fh; y += step) {
                    if (DGifGetLine(gif, row, (int)fw) == GIF_ERROR) {
                        status = vq_gif_fail(gif, &source, "decoding the first frame", msg);
                        goto done;
                    }
                    vq_gif_paint_row(screen, screen_w, screen_h, &desc, y, row, map, transparent);
                }
            }
        }
        transparent = -1;
    }
    if (frames == 0 || screen == NULL) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "it has no frame with pixels");
        goto done;
    }
    status = vq_frame_resample(screen, (size_t)screen_w * 4, screen_w, screen_h, 4, target_width, target_height, out, msg);
    facts->frames = frames;
    facts->has_alpha = out->channels == 4;
done:
    free(screen);
    free(row);
    int error;
    DGifCloseFile(gif, &error);
    if (status != VQ_IMAGE_OK) vq_pixels_free(out);
    return status;
}
