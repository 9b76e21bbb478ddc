/* vq_tiff_library.h: libtiff, loaded on first use (see vq_lazy_library.h): it brings zstd, lzma, Lerc, jbig, deflate
 * and libstdc++, which cost about 1.5 ms of CPU at every vq start, TIFF or not. */
#ifndef VQ_TIFF_LIBRARY_H
#define VQ_TIFF_LIBRARY_H
#include <tiffio.h>
#include "vq_lazy_library.h"

#define VQ_TIFF_FUNCTIONS(X) \
    X(vq_tiff_fn_, TIFFClientOpenExt) \
    X(vq_tiff_fn_, TIFFClose) \
    X(vq_tiff_fn_, TIFFGetField) \
    X(vq_tiff_fn_, TIFFGetFieldDefaulted) \
    X(vq_tiff_fn_, TIFFOpenOptionsAlloc) \
    X(vq_tiff_fn_, TIFFOpenOptionsFree) \
    X(vq_tiff_fn_, TIFFOpenOptionsSetErrorHandlerExtR) \
    X(vq_tiff_fn_, TIFFOpenOptionsSetMaxSingleMemAlloc) \
    X(vq_tiff_fn_, TIFFOpenOptionsSetWarningHandlerExtR) \
    X(vq_tiff_fn_, TIFFRGBAImageOK) \
    X(vq_tiff_fn_, TIFFRGBAImageBegin) \
    X(vq_tiff_fn_, TIFFRGBAImageGet) \
    X(vq_tiff_fn_, TIFFRGBAImageEnd) \
    X(vq_tiff_fn_, TIFFIsTiled) \
    X(vq_tiff_fn_, TIFFReadScanline) \
    X(vq_tiff_fn_, TIFFScanlineSize)

VQ_TIFF_FUNCTIONS(VQ_LAZY_DECLARE)

/* Loads libtiff.so.6 once (thread-safe); VQ_IMAGE_OK, or VQ_IMAGE_UNSUPPORTED with msg naming what is missing. */
vq_image_status vq_tiff_load(char msg[VQ_IMAGE_MSG_SIZE]);

#define TIFFClientOpenExt vq_tiff_fn_TIFFClientOpenExt
#define TIFFClose vq_tiff_fn_TIFFClose
#define TIFFGetField vq_tiff_fn_TIFFGetField
#define TIFFGetFieldDefaulted vq_tiff_fn_TIFFGetFieldDefaulted
#define TIFFOpenOptionsAlloc vq_tiff_fn_TIFFOpenOptionsAlloc
#define TIFFOpenOptionsFree vq_tiff_fn_TIFFOpenOptionsFree
#define TIFFOpenOptionsSetErrorHandlerExtR vq_tiff_fn_TIFFOpenOptionsSetErrorHandlerExtR
#define TIFFOpenOptionsSetMaxSingleMemAlloc vq_tiff_fn_TIFFOpenOptionsSetMaxSingleMemAlloc
#define TIFFOpenOptionsSetWarningHandlerExtR vq_tiff_fn_TIFFOpenOptionsSetWarningHandlerExtR
#define TIFFRGBAImageOK vq_tiff_fn_TIFFRGBAImageOK
#define TIFFRGBAImageBegin vq_tiff_fn_TIFFRGBAImageBegin
#define TIFFRGBAImageGet vq_tiff_fn_TIFFRGBAImageGet
#define TIFFRGBAImageEnd vq_tiff_fn_TIFFRGBAImageEnd
#define TIFFIsTiled vq_tiff_fn_TIFFIsTiled
#define TIFFReadScanline vq_tiff_fn_TIFFReadScanline
#define TIFFScanlineSize vq_tiff_fn_TIFFScanlineSize

#endif
