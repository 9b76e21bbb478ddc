/* poppler-glib, cairo and glib, loaded on first use (dlopen) instead of linked: poppler brings fontconfig,
 * freetype, lcms, NSS, cairo and glib, whose loading would cost every vq start though only a PDF needs them.
 * The headers still come from libpoppler-glib-dev (so every call is type-checked); every function vq calls goes
 * through a pointer filled by vq_pdf_load. One dlopen of libpoppler-glib finds the cairo and glib symbols too:
 * dlsym on its handle searches the libraries it depends on. */
#ifndef VQ_PDF_LIBRARY_H
#define VQ_PDF_LIBRARY_H
#include <poppler.h>
#include <cairo-pdf.h>
#include "vq_image.h"

#define VQ_PDF_FUNCTIONS(X) \
    X(cairo_create) \
    X(cairo_destroy) \
    X(cairo_format_stride_for_width) \
    X(cairo_image_surface_create_for_data) \
    X(cairo_paint) \
    X(cairo_pdf_surface_create_for_stream) \
    X(cairo_pdf_surface_set_size) \
    X(cairo_restore) \
    X(cairo_save) \
    X(cairo_scale) \
    X(cairo_set_source_rgb) \
    X(cairo_show_page) \
    X(cairo_status) \
    X(cairo_status_to_string) \
    X(cairo_surface_destroy) \
    X(cairo_surface_finish) \
    X(cairo_surface_flush) \
    X(cairo_surface_status) \
    X(g_bytes_new) \
    X(g_bytes_unref) \
    X(g_error_free) \
    X(g_log_set_handler) \
    X(g_object_unref) \
    X(poppler_document_get_n_pages) \
    X(poppler_document_get_page) \
    X(poppler_document_new_from_bytes) \
    X(poppler_error_quark) \
    X(poppler_page_get_size) \
    X(poppler_page_render) \
    X(poppler_page_render_for_printing)

#define VQ_PDF_DECLARE(name) extern __typeof__(name) *vq_pdf_fn_##name;
VQ_PDF_FUNCTIONS(VQ_PDF_DECLARE)
#undef VQ_PDF_DECLARE

/* Loads poppler-glib once (thread-safe) and collects poppler's messages (poppler-glib logs them through g_log)
 * for vq_pdf_first_error; 1 when loaded, else 0 with msg naming the missing library and its package. */
int vq_pdf_load(char msg[VQ_IMAGE_MSG_SIZE]);

/* Forgets the messages poppler reported so far on this thread (call before an operation). */
void vq_pdf_clear_error(void);

/* The first message poppler reported on this thread since vq_pdf_clear_error, or "" (poppler reports damage
 * it repairs, and the reason for a failure, only through its error callback). */
const char *vq_pdf_first_error(void);

#define cairo_create vq_pdf_fn_cairo_create
#define cairo_destroy vq_pdf_fn_cairo_destroy
#define cairo_format_stride_for_width vq_pdf_fn_cairo_format_stride_for_width
#define cairo_image_surface_create_for_data vq_pdf_fn_cairo_image_surface_create_for_data
#define cairo_paint vq_pdf_fn_cairo_paint
#define cairo_pdf_surface_create_for_stream vq_pdf_fn_cairo_pdf_surface_create_for_stream
#define cairo_pdf_surface_set_size vq_pdf_fn_cairo_pdf_surface_set_size
#define cairo_restore vq_pdf_fn_cairo_restore
#define cairo_save vq_pdf_fn_cairo_save
#define cairo_scale vq_pdf_fn_cairo_scale
#define cairo_set_source_rgb vq_pdf_fn_cairo_set_source_rgb
#define cairo_show_page vq_pdf_fn_cairo_show_page
#define cairo_status vq_pdf_fn_cairo_status
#define cairo_status_to_string vq_pdf_fn_cairo_status_to_string
#define cairo_surface_destroy vq_pdf_fn_cairo_surface_destroy
#define cairo_surface_finish vq_pdf_fn_cairo_surface_finish
#define cairo_surface_flush vq_pdf_fn_cairo_surface_flush
#define cairo_surface_status vq_pdf_fn_cairo_surface_status
#define g_bytes_new vq_pdf_fn_g_bytes_new
#define g_bytes_unref vq_pdf_fn_g_bytes_unref
#define g_error_free vq_pdf_fn_g_error_free
#define g_log_set_handler vq_pdf_fn_g_log_set_handler
#define g_object_unref vq_pdf_fn_g_object_unref
#define poppler_document_get_n_pages vq_pdf_fn_poppler_document_get_n_pages
#define poppler_document_get_page vq_pdf_fn_poppler_document_get_page
#define poppler_document_new_from_bytes vq_pdf_fn_poppler_document_new_from_bytes
#define poppler_error_quark vq_pdf_fn_poppler_error_quark
#define poppler_page_get_size vq_pdf_fn_poppler_page_get_size
#define poppler_page_render vq_pdf_fn_poppler_page_render
#define poppler_page_render_for_printing vq_pdf_fn_poppler_page_render_for_printing

#endif
