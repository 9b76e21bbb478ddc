/* CShims: the only C code in vq. Typed wrappers for libcurl's variadic calls,
 * setjmp-guarded libpng/libjpeg operations and whole-operation libwebp/giflib/libheif
 * calls, poppler-glib and cairo for PDFs, and vq chat's line editor (libedit). Every symbol is prefixed vq_. */
#ifndef VQ_SHIMS_H
#define VQ_SHIMS_H
#include "vq_curl.h"
#include "vq_image.h"
#include "vq_image_codecs.h"
#include "vq_line_editor.h"
#include "vq_pdf.h"
#include "vq_signals.h"
#include "vq_base64.h"
#endif
