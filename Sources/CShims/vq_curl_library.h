/* libcurl, loaded on first use (dlopen, see vq_lazy_library.h) instead of linked: Debian's libcurl brings 33 shared
 * objects (GnuTLS, Kerberos, LDAP, SASL, RTMP, SSH2, ...) whose loading was about two thirds of what `vq --version`
 * executed, yet only a run that sends a request needs them. The header still comes from libcurl4-openssl-dev; every
 * libcurl function vq calls goes through a pointer filled by vq_curl_load_library. */
#ifndef VQ_CURL_LIBRARY_H
#define VQ_CURL_LIBRARY_H
/* curl.h may define curl_easy_setopt and friends as type-checking macros, which would clash with the renames below. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include "vq_lazy_library.h"

#define VQ_CURL_FUNCTIONS(X) \
    X(vq_curl_fn_, curl_global_init) \
    X(vq_curl_fn_, curl_version_info) \
    X(vq_curl_fn_, curl_easy_init) \
    X(vq_curl_fn_, curl_easy_cleanup) \
    X(vq_curl_fn_, curl_easy_reset) \
    X(vq_curl_fn_, curl_easy_perform) \
    X(vq_curl_fn_, curl_easy_setopt) \
    X(vq_curl_fn_, curl_easy_getinfo) \
    X(vq_curl_fn_, curl_easy_strerror) \
    X(vq_curl_fn_, curl_slist_append) \
    X(vq_curl_fn_, curl_slist_free_all) \
    X(vq_curl_fn_, curl_multi_init) \
    X(vq_curl_fn_, curl_multi_setopt) \
    X(vq_curl_fn_, curl_multi_cleanup) \
    X(vq_curl_fn_, curl_multi_add_handle) \
    X(vq_curl_fn_, curl_multi_remove_handle) \
    X(vq_curl_fn_, curl_multi_perform) \
    X(vq_curl_fn_, curl_multi_poll) \
    X(vq_curl_fn_, curl_multi_wakeup) \
    X(vq_curl_fn_, curl_multi_info_read)

VQ_CURL_FUNCTIONS(VQ_LAZY_DECLARE)

/* Loads libcurl once (thread-safe); VQ_IMAGE_OK, or VQ_IMAGE_UNSUPPORTED with msg naming the missing library. */
vq_image_status vq_curl_load_library(char msg[VQ_IMAGE_MSG_SIZE]);

/* Without type checking curl.h still defines these three as function-like macros (to keep them at three arguments). */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_global_init vq_curl_fn_curl_global_init
#define curl_version_info vq_curl_fn_curl_version_info
#define curl_easy_init vq_curl_fn_curl_easy_init
#define curl_easy_cleanup vq_curl_fn_curl_easy_cleanup
#define curl_easy_reset vq_curl_fn_curl_easy_reset
#define curl_easy_perform vq_curl_fn_curl_easy_perform
#define curl_easy_setopt vq_curl_fn_curl_easy_setopt
#define curl_easy_getinfo vq_curl_fn_curl_easy_getinfo
#define curl_easy_strerror vq_curl_fn_curl_easy_strerror
#define curl_slist_append vq_curl_fn_curl_slist_append
#define curl_slist_free_all vq_curl_fn_curl_slist_free_all
#define curl_multi_init vq_curl_fn_curl_multi_init
#define curl_multi_setopt vq_curl_fn_curl_multi_setopt
#define curl_multi_cleanup vq_curl_fn_curl_multi_cleanup
#define curl_multi_add_handle vq_curl_fn_curl_multi_add_handle
#define curl_multi_remove_handle vq_curl_fn_curl_multi_remove_handle
#define curl_multi_perform vq_curl_fn_curl_multi_perform
#define curl_multi_poll vq_curl_fn_curl_multi_poll
#define curl_multi_wakeup vq_curl_fn_curl_multi_wakeup
#define curl_multi_info_read vq_curl_fn_curl_multi_info_read

#endif
