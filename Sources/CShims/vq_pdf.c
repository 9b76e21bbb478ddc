/* vq_pdf.c: PDF pages through poppler-glib and cairo (see vq_pdf.h). Each function runs one whole operation and
 * frees everything it allocated; poppler's messages are collected by vq_pdf_library.c, not printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vq_image_buffer.h"
#include "vq_pdf.h"
#include "vq_pdf_library.h"

struct vq_pdf {
    GBytes *bytes;
    PopplerDocument *document;
};

/* msg = what, and poppler's first message when it gave one: "PDF document is damaged (Couldn't find trailer)". */
static void vq_pdf_message(char msg[VQ_IMAGE_MSG_SIZE], const char *what) {
    const char *reason = vq_pdf_first_error();
    if (reason[0] && strcmp(reason, what) != 0) snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s (%s)", what, reason);
    else snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s", what);
}

vq_pdf_status vq_pdf_open(const uint8_t *data, size_t size, vq_pdf **document, char msg[VQ_IMAGE_MSG_SIZE]) {
    *document = NULL;
    if (!vq_pdf_load(msg)) return VQ_PDF_UNAVAILABLE;
    vq_pdf_clear_error();
    vq_pdf *pdf = calloc(1, sizeof *pdf);
    if (!pdf) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory opening the PDF");
        return VQ_PDF_FAILED;
    }
    pdf->bytes = g_bytes_new(data, size);
    GError *error = NULL;
    pdf->document = poppler_document_new_from_bytes(pdf->bytes, NULL, &error);
    if (!pdf->document) {
        int encrypted = error && error->domain == poppler_error_quark() && error->code == POPPLER_ERROR_ENCRYPTED;
        vq_pdf_message(msg, error && error->message ? error->message : "poppler cannot open it");
        if (error) g_error_free(error);
        vq_pdf_close(pdf);
        return encrypted ? VQ_PDF_ENCRYPTED : VQ_PDF_DAMAGED;
    }
    *document = pdf;
    return VQ_PDF_OK;
}

void vq_pdf_close(vq_pdf *document) {
    if (!document) return;
    if (document->document) g_object_unref(document->document);
    if (document->bytes) g_bytes_unref(document->bytes);
    free(document);
}

int vq_pdf_page_count(vq_pdf *document, char msg[VQ_IMAGE_MSG_SIZE]) {
    vq_pdf_clear_error();
    int count = poppler_document_get_n_pages(document->document);
    snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s", count > 0 ? "" : vq_pdf_first_error());
    return count;
}

int vq_pdf_page_size(vq_pdf *document, int index, double *width, double *height) {
    PopplerPage *page = poppler_document_get_page(document->document, index);
    if (!page) return 0;
    poppler_page_get_size(page, width, height);
    g_object_unref(page);
    return 1;
}

vq_pdf_status vq_pdf_render(vq_pdf *document, int index, uint32_t width, uint32_t height, vq_pixels *out,
                            char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(out, 0, sizeof *out);
    vq_pdf_clear_error();
    PopplerPage *page = poppler_document_get_page(document->document, index);
    if (!page) {
        vq_pdf_message(msg, "the page cannot be read");
        return VQ_PDF_DAMAGED;
    }
    double page_width = 0, page_height = 0;
    poppler_page_get_size(page, &page_width, &page_height);
    /* Cairo draws into memory vq owns (xRGB, 4 bytes a pixel), which is then packed to RGB in place. */
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, (int)width);
    uint8_t *bytes = stride > 0 ? malloc((size_t)stride * height) : NULL;
    if (!bytes) {
        g_object_unref(page);
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory rendering a %ux%u page", width, height);
        return VQ_PDF_FAILED;
    }
    cairo_surface_t *surface =
        cairo_image_surface_create_for_data(bytes, CAIRO_FORMAT_RGB24, (int)width, (int)height, stride);
    cairo_t *cairo = cairo_create(surface);
    cairo_set_source_rgb(cairo, 1, 1, 1);
    cairo_paint(cairo);
    cairo_scale(cairo, width / page_width, height / page_height);
    poppler_page_render(page, cairo);
    cairo_status_t status = cairo_status(cairo);
    cairo_destroy(cairo);
    cairo_surface_flush(surface);
    cairo_surface_destroy(surface);
    g_object_unref(page);
    if (status != CAIRO_STATUS_SUCCESS) {
        free(bytes);
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "rendering failed: %s", cairo_status_to_string(status));
        return VQ_PDF_FAILED;
    }
    /* Pack each row's native-endian 0xffRRGGBB words to R, G, B bytes; writing never overtakes reading. */
    uint8_t *to = bytes;
    for (uint32_t y = 0; y < height; y++) {
        const uint32_t *row = (const uint32_t *)(bytes + (size_t)y * stride);
        for (uint32_t x = 0; x < width; x++) {
            uint32_t pixel = row[x];
            to[0] = (uint8_t)(pixel >> 16);
            to[1] = (uint8_t)(pixel >> 8);
            to[2] = (uint8_t)pixel;
            to += 3;
        }
    }
    uint8_t *packed = realloc(bytes, (size_t)width * height * 3);
    out->bytes = packed ? packed : bytes;
    out->width = width;
    out->height = height;
    out->channels = 3;
    return VQ_PDF_OK;
}

/* cairo's write callback: appends to the vq_image_buffer. */
static cairo_status_t vq_pdf_write(void *closure, const unsigned char *data, unsigned int length) {
    vq_image_buffer *buffer = closure;
    if (!vq_image_buffer_reserve(buffer, length)) return CAIRO_STATUS_NO_MEMORY;
    memcpy(buffer->bytes + buffer->count, data, length);
    buffer->count += length;
    return CAIRO_STATUS_SUCCESS;
}

vq_pdf_status vq_pdf_extract(vq_pdf *document, const int32_t *indexes, size_t count, vq_image_buffer *out,
                             char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(out, 0, sizeof *out);
    vq_pdf_clear_error();
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(vq_pdf_write, out, 612, 792);
    cairo_t *cairo = cairo_create(surface);
    vq_pdf_status result = VQ_PDF_OK;
    for (size_t i = 0; i < count && result == VQ_PDF_OK; i++) {
        PopplerPage *page = poppler_document_get_page(document->document, indexes[i]);
        if (!page) {
            vq_pdf_message(msg, "a page cannot be read");
            result = VQ_PDF_DAMAGED;
            break;
        }
        double width = 0, height = 0;
        poppler_page_get_size(page, &width, &height);
        cairo_pdf_surface_set_size(surface, width, height);
        cairo_save(cairo);
        poppler_page_render_for_printing(page, cairo);
        cairo_restore(cairo);
        cairo_show_page(cairo);
        g_object_unref(page);
    }
    cairo_status_t status = cairo_status(cairo);
    cairo_destroy(cairo);
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (result == VQ_PDF_OK && status != CAIRO_STATUS_SUCCESS) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "writing the PDF failed: %s", cairo_status_to_string(status));
        result = VQ_PDF_FAILED;
    }
    if (result != VQ_PDF_OK) vq_image_buffer_free(out);
    return result;
}
