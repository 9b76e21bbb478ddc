#ifndef VQ_CURL_H
#define VQ_CURL_H
#include <curl/curl.h>
#endif
