#include "container_init.h"

#include "cgroup_join.h"
#include "failure.h"
#include "init_loop.h"
#include "loopback.h"
#include "mounts.h"
#include "process_setup.h"
#include "protocol.h"
#include "subject_link.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/*
 * PR_SET_PDEATHSIG first, then the release byte (the id maps are written), then a check that the supervisor still
 * holds the pipe: if it died before the prctl took effect, the write end is closed (POLLHUP), so no window is left
 * where PID 1 outlives it unnoticed. getppid() cannot serve here: it is 0 across a PID namespace boundary.
 */
static void die_with_supervisor(int release_fd)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        _exit(EXIT_SETUP_FAILED);
    char byte;
    ssize_t n;
    while ((n = read(release_fd, &byte, 1)) < 0 && errno == EINTR)
        ;
    struct pollfd p = {.fd = release_fd, .events = POLLIN};
    if (n != 1 || (poll(&p, 1, 0) > 0 && (p.revents & POLLHUP)))
        _exit(EXIT_SETUP_FAILED);
    close(release_fd);
}

static int write_time_offsets(const struct options *o)
{
    for (int i = 0; i < o->time_offset_count; i++) {
        int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            return fail("open(/proc/self/timens_offsets)");
        char line[64];
        int len = snprintf(line, sizeof line, "%s %lld 0\n", o->time_offsets[i].clock, o->time_offsets[i].seconds);
        ssize_t n = write(fd, line, (size_t)len);
        int err = errno;
        close(fd);
        if (n != len)
            return fail_with(n < 0 ? err : EIO, "write(/proc/self/timens_offsets, %s %lld)", o->time_offsets[i].clock,
                             o->time_offsets[i].seconds);
    }
    return 0;
}

/* In order: the cgroups (before anything else runs, so that their limits hold for the subject), the namespace's root
 * uid, and the cgroup namespace rooted in those cgroups; time, unshared while the host's /proc is in view (its offsets
 * apply to the children: the subject is the first process in it); the hostname. All before the subject is forked. */
static int setup_identity(const struct container_launch *l)
{
    const struct options *o = l->options;
    /* Still with the host's uid: the cgroup files belong to the host's root. */
    if (cgroup_join_self(o->cgroups, o->cgroup_count, l->born_in_cgroup) < 0)
        return -1;
    /* Cloned by root with a map like "0 100000 65536", PID 1 still carries the host's uid 0, which the new
     * namespace does not map: become the namespace's root, or files it creates would have no owner (EOVERFLOW). */
    if (o->namespaces & CLONE_NEWUSER) {
        if (setresgid(0, 0, 0) < 0)
            return fail("setresgid(0) in the new user namespace");
        if (setresuid(0, 0, 0) < 0)
            return fail("setresuid(0) in the new user namespace");
    }
    if ((o->namespaces & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
        return fail("unshare(CLONE_NEWCGROUP)");
    if (o->namespaces & CLONE_NEWTIME) {
        if (unshare(CLONE_NEWTIME) < 0)
            return fail("unshare(CLONE_NEWTIME)");
        if (write_time_offsets(o) < 0)
            return -1;
    }
    if (o->hostname != NULL && sethostname(o->hostname, strlen(o->hostname)) < 0)
        return fail("sethostname(%s)", o->hostname);
    return 0;
}

/* The mounts and pivot_root; the network namespace the subject made is joined on the way (sysfs must show it), and
 * before pivot_root at the latest: the subject opens it in the host's /proc, which is gone from its view after. */
static int setup_root(const struct container_launch *l, struct subject_link *link)
{
    const struct options *o = l->options;
    if (o->root == ROOT_NONE)
        return subject_link_join_network(link);
    char newroot[PATH_MAX];
    if (mounts_build_root(o, link, newroot, sizeof newroot) < 0 || subject_link_join_network(link) < 0)
        return -1;
    return mounts_enter_root(newroot);
}

/*
 * Forked before the root is built, so that its own set-up overlaps PID 1's: the network namespace, the credentials
 * and the seccomp filter; then it waits for the root (the filter lets read and chdir through, as Docker's does),
 * enters the working directory and execs.
 */
static noreturn void subject_main(const struct container_launch *l, pid_t init_pid, int link)
{
    const struct options *o = l->options;
    channel_send_started(l->channel_fd);
    if ((o->namespaces & CLONE_NEWNET) && subject_link_make_network(link) < 0)
        channel_fail(l->channel_fd, last_failure());
    for (int fd = 0; fd < 3; fd++)
        if (dup2(l->stdio[fd], fd) < 0) {
            fail("dup2(%d)", fd);
            channel_fail(l->channel_fd, last_failure());
        }
    if (process_reset_signals() < 0 || process_apply(&o->process, l->setgroups_denied) < 0)
        channel_fail(l->channel_fd, last_failure());
    /* After the credentials changed: a change of uid clears the parent-death signal. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
        fail("prctl(PR_SET_PDEATHSIG)");
        channel_fail(l->channel_fd, last_failure());
    }
    if (getppid() != init_pid)
        _exit(EXIT_SETUP_FAILED);
    if (process_confine(&l->seccomp) < 0)
        channel_fail(l->channel_fd, last_failure());
    /* PID 1 gone before the root was ready has reported why; nothing to add. */
    if (subject_link_await_root(link) < 0)
        _exit(EXIT_SETUP_FAILED);
    if (process_enter_workdir(&o->process) == 0)
        process_exec(o->command, o->process.env);
    channel_fail(l->channel_fd, last_failure());
}

/* The subject, forked with the link to PID 1; for an idle container (no command) PID 1 makes the network itself. */
static pid_t start_subject(const struct container_launch *l, struct subject_link *link)
{
    const struct options *o = l->options;
    if (o->command == NULL) {
        if ((o->namespaces & CLONE_NEWNET) && loopback_namespace_new() < 0)
            return -1;
        return 0;
    }
    int pair[2];
    if (subject_link_open(pair) < 0)
        return -1;
    pid_t init_pid = getpid();
    subject_link_note_cpus(link);
    pid_t subject = fork();
    if (subject < 0)
        return fail("fork(subject)");
    if (subject == 0) {
        close(pair[0]);
        subject_main(l, init_pid, pair[1]);
    }
    subject_link_spread(link, subject, l->options->process.uid);
    close(pair[1]);
    link->fd = pair[0];
    link->network_pending = (o->namespaces & CLONE_NEWNET) != 0;
    return subject;
}

void container_main(const struct container_launch *l)
{
    die_with_supervisor(l->release_fd);
    /* The subject must not reach the launcher binary through /proc/1/exe, nor ptrace PID 1. */
    if (l->non_dumpable && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
        fail("prctl(PR_SET_DUMPABLE, 0)");
        channel_fail(l->channel_fd, last_failure());
    }
    struct subject_link link = {.fd = -1, .network_pending = false, .spread = false};
    pid_t subject;
    if (setup_identity(l) < 0 || (subject = start_subject(l, &link)) < 0 || setup_root(l, &link) < 0)
        channel_fail(l->channel_fd, last_failure());
    /* PID 1 keeps neither the lifeline nor the control channel: only the supervisor speaks for the container. */
    if (dup2(l->stdio[0], STDIN_FILENO) < 0 || dup2(l->stdio[0], STDOUT_FILENO) < 0) {
        fail("dup2(stdin)");
        channel_fail(l->channel_fd, last_failure());
    }
    if (link.fd >= 0 && subject_link_release(&link, subject) < 0)
        channel_fail(l->channel_fd, last_failure());
    close(l->channel_fd);
    for (int fd = 0; fd < 3; fd++)
        close(l->stdio[fd]);
    init_loop(subject);
}
