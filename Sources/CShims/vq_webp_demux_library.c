/* Why this exists: see vq_webp_demux_library.h. */
#include "vq_webp_demux_library.h"

VQ_LAZY_LIBRARY(vq_webp_demux_load, VQ_WEBP_DEMUX_FUNCTIONS, "libwebpdemux.so.2", "libwebpdemux", "libwebpdemux2", VQ_LAZY_OWN_FIRST)
