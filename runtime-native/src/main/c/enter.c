#include "enter.h"

#include "cgroup_join.h"
#include "failure.h"
#include "inherited_fds.h"
#include "namespaces.h"
#include "probes.h"
#include "process_setup.h"
#include "protocol.h"
#include "relay.h"
#include "seccomp_install.h"
#include "wait_status.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the entering process holds before it enters: everything is opened while the host is still in view. */
struct entry {
    const struct options *options;
    struct namespace_fds namespaces;
    int root;       /* /proc/PID/root */
    int host_proc;  /* the host's /proc, for the creds probe */
    struct seccomp_program seccomp;
    bool setgroups_denied;
    int channel[2];
    int output[2][2]; /* exec: the child's stdout and stderr pipes */
    int signals;
    pid_t child;
};

static int open_container(struct entry *e)
{
    const struct options *o = e->options;
    char path[64];
    if (namespaces_open(o->target, o->namespaces, &e->namespaces) < 0)
        return -1;
    snprintf(path, sizeof path, "/proc/%d/root", (int)o->target);
    if ((e->root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        return fail("open(%s)", path);
    if (o->subcommand == CMD_PROBE && (e->host_proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        return fail("open(/proc)");
    if (seccomp_load(o->process.seccomp_file, &e->seccomp) < 0)
        return -1;
    if (cgroup_join_self(o->cgroups, o->cgroup_count, -1) < 0)
        return -1;
    /* From here on a process inside could otherwise reach this launcher through /proc/PID/exe or ptrace. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        return fail("prctl(PR_SET_DUMPABLE, 0)");
    /* Joining a user namespace made by a user who is not root: the kernel's setgroups state says whether its maps
     * came from newgidmap (allowed) or from that user alone (denied). */
    bool setgroups_allowed = true;
    if ((o->namespaces & CLONE_NEWUSER) && geteuid() != 0 && namespaces_setgroups_allowed(o->target, &setgroups_allowed) < 0)
        return -1;
    e->setgroups_denied = !setgroups_allowed;
    return namespaces_enter(&e->namespaces);
}

static int prepare_child_io(struct entry *e)
{
    sigset_t forwarded;
    sigemptyset(&forwarded);
    sigaddset(&forwarded, SIGCHLD);
    sigaddset(&forwarded, SIGTERM);
    sigaddset(&forwarded, SIGINT);
    sigaddset(&forwarded, SIGHUP);
    sigaddset(&forwarded, SIGQUIT);
    if (sigprocmask(SIG_BLOCK, &forwarded, NULL) < 0)
        return fail("sigprocmask(SIG_BLOCK)");
    signal(SIGPIPE, SIG_IGN);
    if ((e->signals = signalfd(-1, &forwarded, SFD_CLOEXEC)) < 0)
        return fail("signalfd");
    if (channel_open(e->channel) < 0)
        return -1;
    if (e->options->subcommand == CMD_EXEC)
        for (int i = 0; i < 2; i++)
            if (pipe2(e->output[i], O_CLOEXEC) < 0)
                return fail("pipe2(%s)", i == 0 ? "stdout" : "stderr");
    return 0;
}

/* The child: inside every namespace now (PID included, being forked after setns), it takes the container's root,
 * then the PROCESS credentials, then runs the command or the probe. */
static noreturn void child_main(struct entry *e)
{
    const struct options *o = e->options;
    int channel = e->channel[1];
    char root_path[64];
    snprintf(root_path, sizeof root_path, "/proc/%d/root", (int)o->target);
    if (o->subcommand == CMD_EXEC)
        for (int i = 0; i < 2; i++)
            if (dup2(e->output[i][1], STDOUT_FILENO + i) < 0) {
                fail("dup2(%s)", i == 0 ? "stdout" : "stderr");
                channel_fail(channel, last_failure());
            }
    if (fchdir(e->root) < 0)
        fail("fchdir(%s)", root_path);
    else if (chroot(".") < 0)
        fail("chroot(%s)", root_path);
    else if (process_reset_signals() == 0 && process_apply(&o->process, e->setgroups_denied) == 0
             && process_enter_workdir(&o->process) == 0) {
        if (o->subcommand == CMD_EXEC) {
            if (process_confine(&e->seccomp) == 0)
                process_exec(o->command, o->process.env);
        } else if (seccomp_install(&e->seccomp) == 0 && probe_run(o->command, e->host_proc) == 0)
            _exit(0);
    }
    channel_fail(channel, last_failure());
}

static noreturn void child_exited(struct entry *e, int status)
{
    struct failure f;
    pid_t unused;
    if (channel_receive(e->channel[0], false, &f, &unused) == CHANNEL_FAILED) {
        setup_abort(&f, false, 0);
    }
    if (e->options->subcommand == CMD_EXEC)
        for (int i = 0; i < 2; i++)
            relay_drain(e->output[i][0], STDOUT_FILENO + i);
    exit(wait_status_code(status));
}

static noreturn void wait_for_child(struct entry *e)
{
    bool relaying = e->options->subcommand == CMD_EXEC;
    struct pollfd fds[3] = {
        {.fd = e->signals, .events = POLLIN},
        {.fd = relaying ? e->output[0][0] : -1, .events = POLLIN},
        {.fd = relaying ? e->output[1][0] : -1, .events = POLLIN},
    };
    for (;;) {
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            fail("poll");
            setup_abort(last_failure(), false, e->child);
        }
        for (int i = 1; i < 3; i++)
            if (fds[i].revents && !relay_chunk(fds[i].fd, STDOUT_FILENO + i - 1))
                fds[i].fd = -1;
        if (!fds[0].revents)
            continue;
        struct signalfd_siginfo info;
        if (read(e->signals, &info, sizeof info) != sizeof info)
            continue;
        if (info.ssi_signo != SIGCHLD) {
            kill(e->child, (int)info.ssi_signo);
            continue;
        }
        int status;
        if (waitpid(e->child, &status, WNOHANG) == e->child)
            child_exited(e, status);
    }
}

void enter_main(const struct options *o)
{
    struct entry e = {.options = o, .root = -1, .host_proc = -1, .output = {{-1, -1}, {-1, -1}}};
    if (inherited_fds_close() < 0 || open_container(&e) < 0 || prepare_child_io(&e) < 0)
        setup_abort(last_failure(), false, e.child);
    e.child = fork();
    if (e.child < 0) {
        fail("fork");
        setup_abort(last_failure(), false, e.child);
    }
    if (e.child == 0) {
        close(e.channel[0]);
        child_main(&e);
    }
    close(e.channel[1]);
    for (int i = 0; i < 2; i++)
        if (e.output[i][1] >= 0)
            close(e.output[i][1]);
    wait_for_child(&e);
}
