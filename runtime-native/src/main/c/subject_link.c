#include "subject_link.h"

#include "capabilities.h"
#include "failure.h"
#include "loopback.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int subject_link_open(int pair[2])
{
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
        return fail("socketpair(subject link)");
    return 0;
}

int subject_link_make_network(int fd)
{
    if (loopback_namespace_new() < 0)
        return -1;
    int ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (ns < 0)
        return fail("open(/proc/self/ns/net)");
    char byte = 'n';
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &ns, sizeof ns);
    ssize_t n;
    while ((n = sendmsg(fd, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    int err = errno;
    close(ns);
    return n == 1 ? 0 : fail_with(err, "sendmsg(network namespace to PID 1)");
}

int subject_link_await_root(int fd)
{
    char byte;
    ssize_t n;
    while ((n = read(fd, &byte, 1)) < 0 && errno == EINTR)
        ;
    if (n < 0)
        return fail("read(root release from PID 1)");
    return n == 1 ? 0 : fail_with(EPIPE, "read(root release from PID 1): PID 1 is gone");
}

static int receive_namespace(int fd)
{
    char byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
    ssize_t n;
    while ((n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
        ;
    if (n < 0)
        return fail("recvmsg(network namespace from the subject)");
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (n == 0 || c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
        /* The subject failed before (its report is on the error channel already) or sent no namespace. */
        return fail_with(EPIPE, "recvmsg(network namespace from the subject): none came");
    int ns;
    memcpy(&ns, CMSG_DATA(c), sizeof ns);
    return ns;
}

int subject_link_join_network(struct subject_link *link)
{
    if (!link->network_pending)
        return 0;
    link->network_pending = false;
    int ns = receive_namespace(link->fd);
    if (ns < 0)
        return -1;
    int rc = setns(ns, CLONE_NEWNET);
    int err = errno;
    close(ns);
    return rc < 0 ? fail_with(err, "setns(the subject's network namespace, CLONE_NEWNET)") : 0;
}

void subject_link_note_cpus(struct subject_link *link)
{
    if (sched_getaffinity(0, sizeof link->inherited, &link->inherited) < 0)
        CPU_ZERO(&link->inherited);
}

void subject_link_spread(struct subject_link *link, pid_t subject, uid_t subject_uid)
{
    if (subject_uid != geteuid() && !capabilities_effective(CAP_SYS_NICE))
        return;
    int here = sched_getcpu();
    if (here < 0 || here >= CPU_SETSIZE || !CPU_ISSET(here, &link->inherited) || CPU_COUNT(&link->inherited) < 2)
        return;
    cpu_set_t away = link->inherited;
    CPU_CLR(here, &away);
    link->spread = sched_setaffinity(subject, sizeof away, &away) == 0;
}

int subject_link_release(struct subject_link *link, pid_t subject)
{
    /* A subject that is gone already (killed, or failed and reported) leaves nothing to release: PID 1 reaps it. */
    if (link->spread && sched_setaffinity(subject, sizeof link->inherited, &link->inherited) < 0 && errno != ESRCH)
        return fail("sched_setaffinity(subject, the CPUs it inherited)");
    send(link->fd, "r", 1, MSG_NOSIGNAL);
    close(link->fd);
    link->fd = -1;
    return 0;
}
