#include "protocol.h"

#include "io.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct channel_message {
    char kind; /* 'S' started, 'F' failed */
    struct failure failure;
};

void control_line(const char *fmt, ...)
{
    char line[FAILURE_STEP_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    if ((size_t)len > sizeof line - 2)
        len = (int)sizeof line - 2;
    line[len++] = '\n';
    write_all(STDOUT_FILENO, line, (size_t)len);
}

static void control_error(const struct failure *f)
{
    char text[FAILURE_STEP_MAX + 200];
    failure_format(f, text, sizeof text);
    control_line("error\t%s", text);
}

static void stderr_error(const struct failure *f)
{
    char line[FAILURE_STEP_MAX + 256];
    char text[FAILURE_STEP_MAX + 200];
    failure_format(f, text, sizeof text);
    int len = snprintf(line, sizeof line, "sandbox-init: error\t%s\n", text);
    if (len > 0)
        write_all(STDERR_FILENO, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
}

void setup_abort(const struct failure *f, bool control_channel, pid_t started)
{
    if (control_channel)
        control_error(f);
    else
        stderr_error(f);
    if (started > 0) {
        kill(started, SIGKILL);
        waitpid(started, NULL, 0);
    }
    _exit(EXIT_SETUP_FAILED);
}

int channel_open(int pair[2])
{
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
        return fail("socketpair(AF_UNIX, SOCK_SEQPACKET)");
    int on = 1;
    if (setsockopt(pair[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) < 0)
        return fail("setsockopt(SO_PASSCRED)");
    return 0;
}

static void send_message(int fd, const struct channel_message *m)
{
    while (send(fd, m, sizeof *m, MSG_NOSIGNAL) < 0 && errno == EINTR)
        ;
}

void channel_send_started(int fd)
{
    struct channel_message m = {.kind = 'S'};
    send_message(fd, &m);
}

void channel_fail(int fd, const struct failure *f)
{
    struct channel_message m = {.kind = 'F', .failure = *f};
    send_message(fd, &m);
    _exit(EXIT_SETUP_FAILED);
}

enum channel_event channel_receive(int fd, bool wait, struct failure *failure, pid_t *sender)
{
    struct channel_message m;
    union {
        char buf[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } control;
    for (;;) {
        struct iovec iov = {.iov_base = &m, .iov_len = sizeof m};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
        ssize_t n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | (wait ? 0 : MSG_DONTWAIT));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return CHANNEL_EMPTY;
        if (n <= 0)
            return CHANNEL_CLOSED;
        if (m.kind == 'F') {
            *failure = m.failure;
            failure->step[sizeof failure->step - 1] = '\0';
            return CHANNEL_FAILED;
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
                struct ucred cred;
                memcpy(&cred, CMSG_DATA(c), sizeof cred);
                *sender = cred.pid;
            }
        return CHANNEL_STARTED;
    }
}
