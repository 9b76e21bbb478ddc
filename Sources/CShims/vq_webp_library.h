/* vq_webp_library.h: libwebp, loaded on first use (see vq_lazy_library.h); libwebpdemux in vq_webp_demux_library.h.
 * WebPGetFeatures and WebPInitDecoderConfig are inline functions in libwebp's header, calling versioned functions:
 * they are redefined here to call the loaded ones. */
#ifndef VQ_WEBP_LIBRARY_H
#define VQ_WEBP_LIBRARY_H
#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>
#include "vq_lazy_library.h"

#define VQ_WEBP_FUNCTIONS(X) \
    X(vq_webp_fn_, WebPDecode) \
    X(vq_webp_fn_, WebPGetFeaturesInternal) \
    X(vq_webp_fn_, WebPInitDecoderConfigInternal) \
    X(vq_webp_fn_, WebPEncodeRGB) \
    X(vq_webp_fn_, WebPEncodeRGBA) \
    X(vq_webp_fn_, WebPEncodeLosslessRGB) \
    X(vq_webp_fn_, WebPEncodeLosslessRGBA) \
    X(vq_webp_fn_, WebPFree) \
    X(vq_webp_fn_, WebPFreeDecBuffer)

VQ_WEBP_FUNCTIONS(VQ_LAZY_DECLARE)

/* Loads libwebp.so.7 once (thread-safe); VQ_IMAGE_OK, or VQ_IMAGE_UNSUPPORTED with msg naming what is missing. */
vq_image_status vq_webp_load(char msg[VQ_IMAGE_MSG_SIZE]);

#define WebPDecode vq_webp_fn_WebPDecode
#define WebPGetFeaturesInternal vq_webp_fn_WebPGetFeaturesInternal
#define WebPInitDecoderConfigInternal vq_webp_fn_WebPInitDecoderConfigInternal
#define WebPEncodeRGB vq_webp_fn_WebPEncodeRGB
#define WebPEncodeRGBA vq_webp_fn_WebPEncodeRGBA
#define WebPEncodeLosslessRGB vq_webp_fn_WebPEncodeLosslessRGB
#define WebPEncodeLosslessRGBA vq_webp_fn_WebPEncodeLosslessRGBA
#define WebPFree vq_webp_fn_WebPFree
#define WebPFreeDecBuffer vq_webp_fn_WebPFreeDecBuffer

/* libwebp's inline wrappers, calling the loaded functions. */
#undef WebPGetFeatures
#define WebPGetFeatures(data, size, features) \
    vq_webp_fn_WebPGetFeaturesInternal((data), (size), (features), WEBP_DECODER_ABI_VERSION)
#undef WebPInitDecoderConfig
#define WebPInitDecoderConfig(config) vq_webp_fn_WebPInitDecoderConfigInternal((config), WEBP_DECODER_ABI_VERSION)

#endif
