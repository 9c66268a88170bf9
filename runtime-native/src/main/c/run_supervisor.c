#include "run_supervisor.h"

#include "bind_scrub.h"
#include "cgroup_empty.h"
#include "cgroup_join.h"
#include "container_init.h"
#include "device_program.h"
#include "failure.h"
#include "inherited_fds.h"
#include "init_loop.h"
#include "namespaces.h"
#include "protocol.h"
#include "wait_status.h"

#include <errno.h>
#include <linux/sched.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct supervisor {
    const struct options *options;
    pid_t init;           /* host pid of the container's PID 1 */
    pid_t subject;        /* host pid of the subject, 0 until known */
    int channel;          /* -1 once closed */
    int mount_ns;         /* the container's mount namespace, held from ready on; -1 for none */
    struct timespec started; /* before the container existed: what changed in its binds since is its doing */
};

static int open_output(const char *path)
{
    int fd = open(path != NULL ? path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail("open(%s)", path != NULL ? path : "/dev/null");
    return fd;
}

static int prepare(struct container_launch *l, int release[2], int channel[2])
{
    const struct options *o = l->options;
    l->stdio[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (l->stdio[0] < 0)
        return fail("open(/dev/null)");
    if ((l->stdio[1] = open_output(o->stdout_path)) < 0)
        return -1;
    /* One file for both: one open file description, or each write would land at its own offset. */
    bool same = o->stdout_path != NULL && o->stderr_path != NULL && strcmp(o->stdout_path, o->stderr_path) == 0;
    if ((l->stdio[2] = same ? l->stdio[1] : open_output(o->stderr_path)) < 0)
        return -1;
    if (seccomp_load(o->process.seccomp_file, &l->seccomp) < 0)
        return -1;
    if (pipe2(release, O_CLOEXEC) < 0)
        return fail("pipe2(release)");
    return channel_open(channel);
}

/* The lifeline is a pipe or socket from the JVM; a terminal or /dev/null (use by hand) is not watched. */
static int lifeline_fd(void)
{
    struct stat st;
    if (fstat(STDIN_FILENO, &st) < 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        return -1;
    return STDIN_FILENO;
}

/* After SIGKILL, the time left for a container's processes to leave its cgroups (exit of a large process). */
#define CGROUP_EMPTYING_TIMEOUT_MS 1000

/* Nobody reads the control channel once the lifeline broke: what could not be cleaned up goes to stderr. */
static void report_cleanup_failure(const struct failure *f)
{
    char line[FAILURE_STEP_MAX + 128];
    failure_format(f, line, sizeof line);
    dprintf(STDERR_FILENO, "sandbox-init: error\t%s\n", line);
}

static noreturn void lifeline_broken(struct supervisor *s)
{
    /* Killing PID 1 makes the kernel kill every other process of its PID namespace. */
    kill(s->init, SIGKILL);
    while (waitpid(s->init, NULL, 0) < 0 && errno == EINTR)
        ;
    /* Without a PID namespace the subject's children outlive PID 1, and the JVM that would kill them is gone. */
    for (int i = 0; i < s->options->cgroup_count; i++) {
        if (cgroup_empty(s->options->cgroups[i], CGROUP_EMPTYING_TIMEOUT_MS) < 0)
            report_cleanup_failure(last_failure());
    }
    bind_scrub(s->options, &s->started);
    for (int i = 0; i < s->options->cleanup_count; i++) {
        const char *path = s->options->cleanup[i];
        if (rmdir(path) < 0 && errno == ENOTDIR)
            unlink(path);
    }
    exit(EXIT_LIFELINE_BROKEN);
}

/*
 * The last process of a mount namespace to exit unmounts its whole tree on the way (an RCU grace period, then each
 * file system's teardown): held here, that work leaves PID 1's exit and the path to the exit line, and happens when
 * the supervisor exits, while the JVM removes the cgroup. A failure only forgoes that.
 */
static void hold_mount_namespace(struct supervisor *s)
{
    if (!(s->options->namespaces & CLONE_NEWNS))
        return;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)s->init);
    s->mount_ns = open(path, O_RDONLY | O_CLOEXEC);
}

/* Returns false once the channel has nothing more to say for now. */
static bool channel_event(struct supervisor *s, bool wait)
{
    struct failure f;
    switch (channel_receive(s->channel, wait, &f, &s->subject)) {
    case CHANNEL_STARTED:
        return true;
    case CHANNEL_FAILED:
        setup_abort(&f, true, s->init); /* does not return */
    case CHANNEL_CLOSED:
        close(s->channel);
        s->channel = -1;
        control_line("ready\t%d\t%d", (int)s->init, (int)s->subject);
        hold_mount_namespace(s);
        return false;
    case CHANNEL_EMPTY:
        break;
    }
    return false;
}

static noreturn void init_exited(struct supervisor *s, int status)
{
    /* A failure report reaches the channel before PID 1 can exit: read what is queued before concluding. */
    while (s->channel >= 0 && channel_event(s, false))
        ;
    /* Before the exit line: once a test sees its container ended, its binds hold nothing the container made a privilege. */
    bind_scrub(s->options, &s->started);
    control_line("exit\t%d", wait_status_code(status));
    exit(wait_status_code(status));
}

static noreturn void supervise(struct supervisor *s, int signals)
{
    struct pollfd fds[3] = {
        {.fd = s->channel, .events = POLLIN},
        {.fd = lifeline_fd(), .events = POLLIN},
        {.fd = signals, .events = POLLIN},
    };
    for (;;) {
        fds[0].fd = s->channel;
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            fail("poll");
            setup_abort(last_failure(), true, s->init);
        }
        if (fds[0].revents)
            channel_event(s, true);
        if (fds[1].revents) {
            char buf[256];
            ssize_t n = read(fds[1].fd, buf, sizeof buf);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
                lifeline_broken(s);
        }
        if (fds[2].revents) {
            struct signalfd_siginfo info;
            if (read(signals, &info, sizeof info) != sizeof info)
                continue;
            if (info.ssi_signo != SIGCHLD) {
                kill(s->init, (int)info.ssi_signo);
                continue;
            }
            int status;
            if (waitpid(s->init, &status, WNOHANG) == s->init) {
                s->init = 0; /* reaped: its pid may be reused, never signal it again */
                init_exited(s, status);
            }
        }
    }
}

/* Like fork(), into the new namespaces; born in the cgroup2 directory cgroup_fd when there is one (-1: none). cgroup and
 * time namespaces are unshared by the child itself, once it is where they must be rooted; the network namespace by
 * the subject, while PID 1 builds the root (subject_link.h). */
static pid_t clone_init(const struct options *o, int cgroup_fd)
{
    unsigned long flags = (unsigned long)(o->namespaces & ~(CLONE_NEWCGROUP | CLONE_NEWTIME | CLONE_NEWNET));
    if (cgroup_fd < 0)
        return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
    struct clone_args args = {
        .flags = flags | CLONE_INTO_CGROUP,
        .exit_signal = SIGCHLD,
        .cgroup = (unsigned long long)cgroup_fd,
    };
    return (pid_t)syscall(SYS_clone3, &args, sizeof args);
}

void run_supervisor(const struct options *o)
{
    struct supervisor s = {.options = o, .channel = -1, .mount_ns = -1};
    clock_gettime(CLOCK_REALTIME_COARSE, &s.started);
    struct container_launch l = {.options = o};
    int release[2], channel[2];

    if (inherited_fds_close() < 0)
        setup_abort(last_failure(), true, s.init);

    /* Blocked before the clone, so that PID 1 inherits the mask its sigwaitinfo loop expects. */
    sigset_t handled;
    init_loop_signals(&handled);
    if (sigprocmask(SIG_BLOCK, &handled, NULL) < 0) {
        fail("sigprocmask(SIG_BLOCK)");
        setup_abort(last_failure(), true, s.init);
    }
    signal(SIGPIPE, SIG_IGN);
    int signals = signalfd(-1, &handled, SFD_CLOEXEC);
    if (signals < 0) {
        fail("signalfd");
        setup_abort(last_failure(), true, s.init);
    }
    if (prepare(&l, release, channel) < 0)
        setup_abort(last_failure(), true, s.init);
    l.release_fd = release[0];
    l.channel_fd = channel[1];
    /* newgidmap leaves setgroups allowed when it maps more than the caller's own gid, which is why the runtime uses it. */
    l.setgroups_denied = (o->namespaces & CLONE_NEWUSER) && geteuid() != 0 && o->gid_map_helper == NULL;
    l.non_dumpable = geteuid() == 0;

    /* A cgroup2 directory is entered at birth; PID 1 joins the others (v1) itself. */
    int unified, unified_fd;
    if (cgroup_find_unified(o->cgroups, o->cgroup_count, &unified, &unified_fd) < 0)
        setup_abort(last_failure(), true, s.init);
    l.born_in_cgroup = unified;
    if (o->device_rule_count > 0) {
        if (unified < 0) {
            fail_with(EINVAL, "--device-allow: none of the --cgroup directories is on cgroup2 (v1 has devices.allow)");
            setup_abort(last_failure(), true, s.init);
        }
        if (device_program_attach(o->cgroups[unified], o->device_rules, o->device_rule_count) < 0)
            setup_abort(last_failure(), true, s.init);
    }
    pid_t pid = clone_init(o, unified_fd);
    if (pid < 0 && unified_fd >= 0 && (errno == ENOSYS || errno == E2BIG)) {
        /* No clone3 (before 5.3, or hidden by a seccomp profile such as Docker's or this runtime's default, which
         * answer ENOSYS), or one without CLONE_INTO_CGROUP (5.3 to 5.6 refuse the larger clone_args with E2BIG):
         * PID 1 joins the cgroup2 directory itself, writing 0 to its cgroup.procs before anything else. */
        close(unified_fd);
        unified_fd = -1;
        l.born_in_cgroup = -1;
        pid = clone_init(o, unified_fd);
    }
    if (pid < 0) {
        char names[64];
        namespaces_describe(o->namespaces, names, sizeof names);
        if (unified_fd >= 0)
            fail("clone3(%s, CLONE_INTO_CGROUP %s)", names, o->cgroups[unified]);
        else
            fail("clone(%s)", names);
        setup_abort(last_failure(), true, s.init);
    }
    if (pid == 0) {
        close(release[1]);
        close(channel[0]);
        close(signals);
        container_main(&l);
    }
    s.init = pid;
    s.channel = channel[0];
    close(release[0]);
    close(channel[1]);
    if (unified_fd >= 0)
        close(unified_fd);
    /* Released once, before PID 1 takes any step that can fail: so the error line it sends is the cause, never the
     * EPIPE of a later write to its closed pipe. The write end stays open for the supervisor's lifetime: PID 1 reads
     * its closing as "supervisor gone". */
    if ((o->namespaces & CLONE_NEWUSER) && namespaces_write_id_maps(pid, o) < 0)
        setup_abort(last_failure(), true, s.init);
    if (write(release[1], "r", 1) != 1) {
        fail("write(release pipe)");
        setup_abort(last_failure(), true, s.init);
    }
    supervise(&s, signals);
}
