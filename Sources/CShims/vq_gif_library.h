/* vq_gif_library.h: giflib, loaded on first use (see vq_lazy_library.h). */
#ifndef VQ_GIF_LIBRARY_H
#define VQ_GIF_LIBRARY_H
#include <gif_lib.h>
#include "vq_lazy_library.h"

#define VQ_GIF_FUNCTIONS(X) \
    X(vq_gif_fn_, DGifCloseFile) \
    X(vq_gif_fn_, DGifExtensionToGCB) \
    X(vq_gif_fn_, DGifGetCode) \
    X(vq_gif_fn_, DGifGetCodeNext) \
    X(vq_gif_fn_, DGifGetExtension) \
    X(vq_gif_fn_, DGifGetExtensionNext) \
    X(vq_gif_fn_, DGifGetImageDesc) \
    X(vq_gif_fn_, DGifGetLine) \
    X(vq_gif_fn_, DGifGetRecordType) \
    X(vq_gif_fn_, DGifOpen) \
    X(vq_gif_fn_, GifErrorString)

VQ_GIF_FUNCTIONS(VQ_LAZY_DECLARE)

/* Loads libgif.so.7 once (thread-safe); VQ_IMAGE_OK, or VQ_IMAGE_UNSUPPORTED with msg naming what is missing. */
vq_image_status vq_gif_load(char msg[VQ_IMAGE_MSG_SIZE]);

#define DGifCloseFile vq_gif_fn_DGifCloseFile
#define DGifExtensionToGCB vq_gif_fn_DGifExtensionToGCB
#define DGifGetCode vq_gif_fn_DGifGetCode
#define DGifGetCodeNext vq_gif_fn_DGifGetCodeNext
#define DGifGetExtension vq_gif_fn_DGifGetExtension
#define DGifGetExtensionNext vq_gif_fn_DGifGetExtensionNext
#define DGifGetImageDesc vq_gif_fn_DGifGetImageDesc
#define DGifGetLine vq_gif_fn_DGifGetLine
#define DGifGetRecordType vq_gif_fn_DGifGetRecordType
#define DGifOpen vq_gif_fn_DGifOpen
#define GifErrorString vq_gif_fn_GifErrorString

#endif
