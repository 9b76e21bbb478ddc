/* vq_webp_demux_library.h: libwebpdemux (animated WebP), loaded on first use (see vq_lazy_library.h). WebPDemux is an
 * inline function in libwebp's header, calling a versioned function: it is redefined here to call the loaded one. */
#ifndef VQ_WEBP_DEMUX_LIBRARY_H
#define VQ_WEBP_DEMUX_LIBRARY_H
#include <webp/demux.h>
#include "vq_lazy_library.h"

#define VQ_WEBP_DEMUX_FUNCTIONS(X) \
    X(vq_webp_demux_fn_, WebPDemuxInternal) \
    X(vq_webp_demux_fn_, WebPDemuxGetI) \
    X(vq_webp_demux_fn_, WebPDemuxGetFrame) \
    X(vq_webp_demux_fn_, WebPDemuxNextFrame) \
    X(vq_webp_demux_fn_, WebPDemuxReleaseIterator) \
    X(vq_webp_demux_fn_, WebPDemuxDelete)

VQ_WEBP_DEMUX_FUNCTIONS(VQ_LAZY_DECLARE)

/* Loads libwebpdemux.so.2 once (thread-safe); VQ_IMAGE_OK, or VQ_IMAGE_UNSUPPORTED with msg naming what is missing. */
vq_image_status vq_webp_demux_load(char msg[VQ_IMAGE_MSG_SIZE]);

#define WebPDemuxInternal vq_webp_demux_fn_WebPDemuxInternal
#define WebPDemuxGetI vq_webp_demux_fn_WebPDemuxGetI
#define WebPDemuxGetFrame vq_webp_demux_fn_WebPDemuxGetFrame
#define WebPDemuxNextFrame vq_webp_demux_fn_WebPDemuxNextFrame
#define WebPDemuxReleaseIterator vq_webp_demux_fn_WebPDemuxReleaseIterator
#define WebPDemuxDelete vq_webp_demux_fn_WebPDemuxDelete

/* libwebpdemux's inline wrapper, calling the loaded function. */
#undef WebPDemux
#define WebPDemux(data) vq_webp_demux_fn_WebPDemuxInternal((data), 0, NULL, WEBP_DEMUX_ABI_VERSION)

#endif
