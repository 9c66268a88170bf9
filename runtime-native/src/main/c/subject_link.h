/* PID 1 and the subject, forked early, set up side by side: while PID 1 builds the root, the subject makes the
 * container's network namespace (the slowest namespace to create) and hands it to PID 1, then takes its
 * credentials and seccomp filter and waits for the root. A SOCK_SEQPACKET pair, both ends close-on-exec, carries
 * the namespace (SCM_RIGHTS) one way and the root's release the other. */
#ifndef SANDBOX_SUBJECT_LINK_H
#define SANDBOX_SUBJECT_LINK_H

#include <sched.h>
#include <stdbool.h>
#include <sys/types.h>

struct subject_link {
    int fd;               /* PID 1's end, -1 once released */
    bool network_pending; /* the subject makes a network namespace that PID 1 has not joined yet */
    bool spread;          /* the subject runs away from PID 1's CPU until the release */
    cpu_set_t inherited;  /* the CPUs PID 1 (and so the subject) may run on */
};

int subject_link_open(int pair[2]); /* pair[0]: PID 1's end, pair[1]: the subject's */

/* Subject: a new network namespace with lo up, its fd sent to PID 1. */
int subject_link_make_network(int fd);
/* Subject: blocks until PID 1 released the root; fails if PID 1 is gone. */
int subject_link_await_root(int fd);

/* PID 1, before the fork: the CPUs the subject inherits. */
void subject_link_note_cpus(struct subject_link *link);
/* PID 1, right after the fork: keeps the subject off PID 1's CPU while both set up. A fork often lands on its
 * parent's CPU and waits there until the parent blocks, which runs the two one after the other while another
 * CPU idles (here about a third of the launches, 0.4 ms each). A hint, taken only where PID 1 may give the CPUs
 * back once the subject has its own uid (subject_uid): as that uid, or with CAP_SYS_NICE (which a container
 * engine's default capabilities lack); nothing fails if it is not taken. */
void subject_link_spread(struct subject_link *link, pid_t subject, uid_t subject_uid);

/* PID 1: receives the subject's network namespace and enters it (nothing when none is pending). */
int subject_link_join_network(struct subject_link *link);
/* PID 1: the root is ready; the subject gets back the CPUs it inherited and may exec. */
int subject_link_release(struct subject_link *link, pid_t subject);

#endif
