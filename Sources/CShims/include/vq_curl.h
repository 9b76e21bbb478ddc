/* vq_curl: typed, non-variadic doors into libcurl for Swift.
 * curl_easy_setopt/curl_easy_getinfo are variadic and several constants are
 * macros, so Swift cannot call or see them directly; each shim fixes one type.
 * libcurl is loaded on first use (see vq_curl_library.h), so Swift calls libcurl only through these vq_curl_*
 * functions, and only after vq_curl_load has succeeded. */
#ifndef VQ_CURL_H
#define VQ_CURL_H
#include <curl/curl.h>

/* Write/header/read callbacks all share curl's (ptr, size, nmemb, userdata) shape. */
typedef size_t (*vq_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
/* CURLOPT_XFERINFOFUNCTION's shape. */
typedef int (*vq_curl_xferinfo_cb)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                   curl_off_t ultotal, curl_off_t ulnow);
/* CURLOPT_SEEKFUNCTION's shape. */
typedef int (*vq_curl_seek_cb)(void *userdata, curl_off_t offset, int origin);

/* The size of vq_curl_load's message. */
#define VQ_CURL_MSG_SIZE 256
/* Loads libcurl, checks it is 7.85.0 or newer and runs curl_global_init(CURL_GLOBAL_ALL), once (thread-safe; the
 * first caller does it, the others wait): 0, or -1 with `msg` saying what is missing, in one line. */
int vq_curl_load(char msg[VQ_CURL_MSG_SIZE]);
/* CURL_ERROR_SIZE as a function, so Swift need not rely on a macro. */
size_t vq_curl_error_size(void);

/* The plain libcurl calls vq makes, each calling its namesake through the loaded library. */
CURL *vq_curl_easy_init(void);
void vq_curl_easy_cleanup(CURL *h);
void vq_curl_easy_reset(CURL *h);
CURLcode vq_curl_easy_perform(CURL *h);
const char *vq_curl_easy_strerror(CURLcode code);
struct curl_slist *vq_curl_slist_append(struct curl_slist *list, const char *line);
void vq_curl_slist_free_all(struct curl_slist *list);

/* curl_easy_setopt is variadic: one typed shim per argument type. */
CURLcode vq_curl_setopt_long(CURL *h, CURLoption opt, long value);
CURLcode vq_curl_setopt_off(CURL *h, CURLoption opt, curl_off_t value);
CURLcode vq_curl_setopt_str(CURL *h, CURLoption opt, const char *value);
CURLcode vq_curl_setopt_ptr(CURL *h, CURLoption opt, void *value);
/* Sets CURLOPT_WRITEFUNCTION + CURLOPT_WRITEDATA (a function pointer cannot go through _ptr portably). */
CURLcode vq_curl_setopt_write_cb(CURL *h, vq_curl_data_cb cb, void *userdata);
/* Sets CURLOPT_HEADERFUNCTION + CURLOPT_HEADERDATA. */
CURLcode vq_curl_setopt_header_cb(CURL *h, vq_curl_data_cb cb, void *userdata);
/* Sets CURLOPT_READFUNCTION + CURLOPT_READDATA. */
CURLcode vq_curl_setopt_read_cb(CURL *h, vq_curl_data_cb cb, void *userdata);
/* Sets CURLOPT_SEEKFUNCTION + CURLOPT_SEEKDATA. */
CURLcode vq_curl_setopt_seek_cb(CURL *h, vq_curl_seek_cb cb, void *userdata);
/* Sets CURLOPT_XFERINFOFUNCTION + CURLOPT_XFERINFODATA and turns CURLOPT_NOPROGRESS off. */
CURLcode vq_curl_setopt_xferinfo_cb(CURL *h, vq_curl_xferinfo_cb cb, void *userdata);

/* curl_easy_getinfo is variadic: typed per result type. The string is owned by the handle. */
CURLcode vq_curl_getinfo_long(CURL *h, CURLINFO info, long *out);
CURLcode vq_curl_getinfo_str(CURL *h, CURLINFO info, const char **out);

/* Callback return values that are macros in curl.h. */
size_t vq_curl_readfunc_abort(void);
int vq_curl_seekfunc_ok(void);
int vq_curl_seekfunc_cantseek(void);

/* The multi interface: curl_multi_setopt is variadic and CURLPIPE_MULTIPLEX a macro, and CURLMsg's
 * result sits in a union Swift cannot read portably; these fix the types vq uses. */
/* A new multi handle that multiplexes HTTP/2 streams over shared connections (CURLMOPT_PIPELINING). */
CURLM *vq_curl_multi_new(void);
/* curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, value): connections kept open for reuse. */
CURLMcode vq_curl_multi_set_maxconnects(CURLM *m, long value);
CURLMcode vq_curl_multi_cleanup(CURLM *m);
CURLMcode vq_curl_multi_add_handle(CURLM *m, CURL *h);
CURLMcode vq_curl_multi_remove_handle(CURLM *m, CURL *h);
CURLMcode vq_curl_multi_perform(CURLM *m, int *running);
/* curl_multi_poll with no extra file descriptors. */
CURLMcode vq_curl_multi_poll(CURLM *m, int timeout_ms, int *ready);
CURLMcode vq_curl_multi_wakeup(CURLM *m);
/* Reads the next finished transfer: returns 1 and sets *easy and *result, or 0 when none is left. */
int vq_curl_multi_next_done(CURLM *m, CURL **easy, CURLcode *result);

#endif
