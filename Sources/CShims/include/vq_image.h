#ifndef VQ_IMAGE_H
#define VQ_IMAGE_H
#include <stddef.h>
#endif
