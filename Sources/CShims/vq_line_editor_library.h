/* libedit, loaded on first use (dlopen) instead of linked: only vq chat on a terminal edits lines, so a plain query
 * or a batch pays nothing for it at start-up. The header still comes from libedit-dev; every libedit function vq calls
 * goes through a pointer filled by vq_line_editor_load. */
#ifndef VQ_LINE_EDITOR_LIBRARY_H
#define VQ_LINE_EDITOR_LIBRARY_H
#include <stdio.h>
#include <histedit.h>

#define VQ_EDIT_FUNCTIONS(X) \
    X(el_end) \
    X(el_get) \
    X(el_gets) \
    X(el_init) \
    X(el_insertstr) \
    X(el_line) \
    X(el_push) \
    X(el_resize) \
    X(el_set) \
    X(el_source) \
    X(history) \
    X(history_end) \
    X(history_init)

#define VQ_EDIT_DECLARE(name) extern __typeof__(name) *vq_edit_fn_##name;
VQ_EDIT_FUNCTIONS(VQ_EDIT_DECLARE)
#undef VQ_EDIT_DECLARE

#define el_end vq_edit_fn_el_end
#define el_get vq_edit_fn_el_get
#define el_gets vq_edit_fn_el_gets
#define el_init vq_edit_fn_el_init
#define el_insertstr vq_edit_fn_el_insertstr
#define el_line vq_edit_fn_el_line
#define el_push vq_edit_fn_el_push
#define el_resize vq_edit_fn_el_resize
#define el_set vq_edit_fn_el_set
#define el_source vq_edit_fn_el_source
#define history vq_edit_fn_history
#define history_end vq_edit_fn_history_end
#define history_init vq_edit_fn_history_init

#endif
