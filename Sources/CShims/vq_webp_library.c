/* Why this exists: see vq_webp_library.h. */
#include "vq_webp_library.h"

VQ_LAZY_LIBRARY(vq_webp_load, VQ_WEBP_FUNCTIONS, "libwebp.so.7", "libwebp", "libwebp7", VQ_LAZY_OWN_FIRST)
