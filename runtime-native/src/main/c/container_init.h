/* The container side of `run`: what the cloned child (the container's PID 1) does inside its new namespaces, up
 * to forking the subject and settling into the init loop. */
#ifndef SANDBOX_CONTAINER_INIT_H
#define SANDBOX_CONTAINER_INIT_H

#include "options.h"
#include "seccomp_install.h"

#include <stdbool.h>
#include <stdnoreturn.h>

struct container_launch {
    const struct options *options;
    int release_fd;  /* read end of the pipe the supervisor writes to once the id maps are in place */
    int channel_fd;  /* the child's end of the error channel */
    int stdio[3];    /* the subject's stdin, stdout, stderr, opened by the supervisor on the host */
    struct seccomp_program seccomp;
    bool setgroups_denied;
    int born_in_cgroup; /* index of the --cgroup that clone3(CLONE_INTO_CGROUP) placed PID 1 in, or -1 */
    bool non_dumpable; /* PID 1 hidden from ptrace and /proc/1/exe: only when the launcher runs as root, since a
                          rootless exec needs /proc/PID/ns and /proc/PID/root of PID 1, which a non-dumpable
                          process closes to its own unprivileged owner */
};

noreturn void container_main(const struct container_launch *launch);

#endif
