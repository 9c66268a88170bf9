/* PID 1 and the subject, forked early, set up side by side: while PID 1 builds the root, the subject makes the
 * container's network namespace (the slowest namespace to create) and hands it to PID 1, then takes its
 * credentials and seccomp filter and waits for the root. A SOCK_SEQPACKET pair, both ends close-on-exec, carries
 * the namespace (SCM_RIGHTS) one way and the root's release the other. */
#ifndef SANDBOX_SUBJECT_LINK_H
#define SANDBOX_SUBJECT_LINK_H

#include <stdbool.h>

struct subject_link {
    int fd;               /* PID 1's end, -1 once released */
    bool network_pending; /* the subject makes a network namespace that PID 1 has not joined yet */
};

int subject_link_open(int pair[2]); /* pair[0]: PID 1's end, pair[1]: the subject's */

/* Subject: a new network namespace with lo up, its fd sent to PID 1. */
int subject_link_make_network(int fd);
/* Subject: blocks until PID 1 released the root; fails if PID 1 is gone. */
int subject_link_await_root(int fd);

/* PID 1: receives the subject's network namespace and enters it (nothing when none is pending). */
int subject_link_join_network(struct subject_link *link);
/* PID 1: the root is ready; the subject may exec. */
void subject_link_release(struct subject_link *link);

#endif
