/* Why this exists: see vq_video_library.h (FFmpeg is loaded on first use, not at every start). */
#include "vq_video_library.h"

VQ_LAZY_LIBRARY(vq_avformat_load, VQ_AVFORMAT_FUNCTIONS, VQ_AVFORMAT_SONAME, "FFmpeg's libavformat", "libavformat59", VQ_LAZY_GLOBAL_FIRST)
VQ_LAZY_LIBRARY(vq_swscale_load, VQ_SWSCALE_FUNCTIONS, VQ_SWSCALE_SONAME, "FFmpeg's libswscale", "libswscale6", VQ_LAZY_GLOBAL_FIRST)
