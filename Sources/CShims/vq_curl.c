/* Typed wrappers over libcurl's variadic and macro-based API, reached through the pointers libcurl's lazy loading
 * fills; see vq_curl.h and vq_curl_library.h. */
#include "vq_curl_library.h"
#include "vq_curl.h"

/* libcurl's soname and the Debian package that installs it: the one place vq names them. VQ_LAZY_OWN_FIRST
 * (RTLD_DEEPBIND): libcurl and its chain are plain C, and looking their symbols up among their own dependencies first
 * costs a streamed query 1.6 million instructions less than looking in vq's global scope first (callgrind, release
 * build). libcrypto, which vq links for SHA-256, is one object either way (same soname), so OpenSSL is never loaded
 * twice; GnuTLS (for LDAP and RTMP) shares no symbol with it; vq's executable has no copy relocations that deep
 * binding would bypass. */
VQ_LAZY_LIBRARY(vq_curl_load_library, VQ_CURL_FUNCTIONS, "libcurl.so.4", "libcurl", "libcurl4", VQ_LAZY_OWN_FIRST)

/* CURLOPT_PROTOCOLS_STR, which keeps transfers to http and https, arrived in libcurl 7.85.0. */
#define VQ_CURL_MINIMUM_VERSION 0x075500u

static pthread_once_t vq_curl_init_once = PTHREAD_ONCE_INIT;
static char vq_curl_init_error[VQ_CURL_MSG_SIZE];

/* Loads libcurl and runs curl_global_init, once, before any handle exists. */
static void vq_curl_init(void) {
    char error[VQ_IMAGE_MSG_SIZE];
    if (vq_curl_load_library(error) != VQ_IMAGE_OK) {
        snprintf(vq_curl_init_error, sizeof vq_curl_init_error, "%s", error);
        return;
    }
    const curl_version_info_data *version = curl_version_info(CURLVERSION_NOW);
    if (version->version_num < VQ_CURL_MINIMUM_VERSION) {
        snprintf(vq_curl_init_error, sizeof vq_curl_init_error,
                 "libcurl %s is too old: vq needs libcurl 7.85.0 or newer (apt-get install libcurl4)", version->version);
        return;
    }
    CURLcode code = curl_global_init(CURL_GLOBAL_ALL);
    if (code != CURLE_OK)
        snprintf(vq_curl_init_error, sizeof vq_curl_init_error, "libcurl could not start: %s", curl_easy_strerror(code));
}

int vq_curl_load(char msg[VQ_CURL_MSG_SIZE]) {
    pthread_once(&vq_curl_init_once, vq_curl_init);
    if (!vq_curl_init_error[0]) return 0;
    snprintf(msg, VQ_CURL_MSG_SIZE, "%s", vq_curl_init_error);
    return -1;
}

size_t vq_curl_error_size(void) { return CURL_ERROR_SIZE; }

CURL *vq_curl_easy_init(void) { return curl_easy_init(); }
void vq_curl_easy_cleanup(CURL *h) { curl_easy_cleanup(h); }
void vq_curl_easy_reset(CURL *h) { curl_easy_reset(h); }
CURLcode vq_curl_easy_perform(CURL *h) { return curl_easy_perform(h); }
const char *vq_curl_easy_strerror(CURLcode code) { return curl_easy_strerror(code); }
struct curl_slist *vq_curl_slist_append(struct curl_slist *list, const char *line) { return curl_slist_append(list, line); }
void vq_curl_slist_free_all(struct curl_slist *list) { curl_slist_free_all(list); }

CURLcode vq_curl_setopt_long(CURL *h, CURLoption opt, long value) { return curl_easy_setopt(h, opt, value); }
CURLcode vq_curl_setopt_off(CURL *h, CURLoption opt, curl_off_t value) { return curl_easy_setopt(h, opt, value); }
CURLcode vq_curl_setopt_str(CURL *h, CURLoption opt, const char *value) { return curl_easy_setopt(h, opt, value); }
CURLcode vq_curl_setopt_ptr(CURL *h, CURLoption opt, void *value) { return curl_easy_setopt(h, opt, value); }

CURLcode vq_curl_setopt_write_cb(CURL *h, vq_curl_data_cb cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cb);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_WRITEDATA, userdata);
}
CURLcode vq_curl_setopt_header_cb(CURL *h, vq_curl_data_cb cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, cb);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_HEADERDATA, userdata);
}
CURLcode vq_curl_setopt_read_cb(CURL *h, vq_curl_data_cb cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_READFUNCTION, cb);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_READDATA, userdata);
}
CURLcode vq_curl_setopt_seek_cb(CURL *h, vq_curl_seek_cb cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, cb);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_SEEKDATA, userdata);
}
CURLcode vq_curl_setopt_xferinfo_cb(CURL *h, vq_curl_xferinfo_cb cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb);
    if (rc == CURLE_OK) rc = curl_easy_setopt(h, CURLOPT_XFERINFODATA, userdata);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
}

CURLcode vq_curl_getinfo_long(CURL *h, CURLINFO info, long *out) { return curl_easy_getinfo(h, info, out); }
CURLcode vq_curl_getinfo_str(CURL *h, CURLINFO info, const char **out) { return curl_easy_getinfo(h, info, out); }

size_t vq_curl_readfunc_abort(void) { return CURL_READFUNC_ABORT; }
int vq_curl_seekfunc_ok(void) { return CURL_SEEKFUNC_OK; }
int vq_curl_seekfunc_cantseek(void) { return CURL_SEEKFUNC_CANTSEEK; }

CURLM *vq_curl_multi_new(void) {
    CURLM *m = curl_multi_init();
    if (m) curl_multi_setopt(m, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    return m;
}
CURLMcode vq_curl_multi_set_maxconnects(CURLM *m, long value) { return curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, value); }
CURLMcode vq_curl_multi_cleanup(CURLM *m) { return curl_multi_cleanup(m); }
CURLMcode vq_curl_multi_add_handle(CURLM *m, CURL *h) { return curl_multi_add_handle(m, h); }
CURLMcode vq_curl_multi_remove_handle(CURLM *m, CURL *h) { return curl_multi_remove_handle(m, h); }
CURLMcode vq_curl_multi_perform(CURLM *m, int *running) { return curl_multi_perform(m, running); }
CURLMcode vq_curl_multi_poll(CURLM *m, int timeout_ms, int *ready) { return curl_multi_poll(m, NULL, 0, timeout_ms, ready); }
CURLMcode vq_curl_multi_wakeup(CURLM *m) { return curl_multi_wakeup(m); }
int vq_curl_multi_next_done(CURLM *m, CURL **easy, CURLcode *result) {
    int left = 0;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(m, &left)) != NULL) {
        if (msg->msg == CURLMSG_DONE) {
            *easy = msg->easy_handle;
            *result = msg->data.result;
            return 1;
        }
    }
    return 0;
}
