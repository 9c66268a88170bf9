#include "init_loop.h"

#include "wait_status.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

void init_loop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGCHLD);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGHUP);
}

void init_loop(pid_t subject)
{
    sigset_t set;
    init_loop_signals(&set);
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&set, &info);
        if (sig < 0)
            continue; /* EINTR */
        if (sig != SIGCHLD) {
            if (subject == 0)
                _exit(128 + sig);
            kill(subject, sig);
            continue;
        }
        int status;
        pid_t reaped;
        /* SIGCHLD coalesces: one may stand for several children, orphans re-parented to us included. */
        while ((reaped = waitpid(-1, &status, WNOHANG)) > 0)
            if (reaped == subject)
                _exit(wait_status_code(status));
    }
}
