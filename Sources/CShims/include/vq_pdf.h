/* vq_pdf.h: whole-operation wrappers around poppler-glib and cairo for the Imaging module's PDF documents.
 * Only plain C types appear here (the types of vq_image.h), so Swift never sees poppler's, cairo's or glib's
 * headers. Pages are numbered from 0 here; Swift numbers them from 1. */
#ifndef VQ_PDF_H
#define VQ_PDF_H
#include "vq_image.h"

/** An open PDF: poppler's document and the copy of the bytes it reads from. */
typedef struct vq_pdf vq_pdf;

/** Outcome of a vq_pdf_* call; msg says more for every value but VQ_PDF_OK. */
typedef enum vq_pdf_status {
    VQ_PDF_OK = 0,
    VQ_PDF_ENCRYPTED = 1,    /* needs a password */
    VQ_PDF_DAMAGED = 2,      /* poppler cannot read the file (truncated, corrupt, not a PDF) */
    VQ_PDF_UNAVAILABLE = 3,  /* poppler is not installed */
    VQ_PDF_FAILED = 4        /* rendering or writing failed (out of memory, cairo refusal) */
} vq_pdf_status;

/** Opens a PDF from memory (the bytes are copied). On success *document must be closed with vq_pdf_close. */
vq_pdf_status vq_pdf_open(const uint8_t *data, size_t size, vq_pdf **document, char msg[VQ_IMAGE_MSG_SIZE]);

void vq_pdf_close(vq_pdf *document);

/** The number of pages poppler found; when none, msg holds poppler's reason ("" when it gave none). */
int vq_pdf_page_count(vq_pdf *document, char msg[VQ_IMAGE_MSG_SIZE]);

/** The page's crop box in points as displayed (its /Rotate applied). 0 when the page cannot be read. */
int vq_pdf_page_size(vq_pdf *document, int index, double *width, double *height);

/** Renders the page as displayed, scaled to exactly width x height, on white: 8-bit RGB pixels (3 channels).
 *  Also fails when poppler cannot read the page. */
vq_pdf_status vq_pdf_render(vq_pdf *document, int index, uint32_t width, uint32_t height, vq_pixels *out,
                            char msg[VQ_IMAGE_MSG_SIZE]);

/** Writes a new PDF holding the pages `indexes` (in that order) as vector graphics and text, each page as
 *  displayed (so the new page has no /Rotate). */
vq_pdf_status vq_pdf_extract(vq_pdf *document, const int32_t *indexes, size_t count, vq_image_buffer *out,
                             char msg[VQ_IMAGE_MSG_SIZE]);

#endif
