/* The container's PID 1 once set up: reaps orphans, forwards SIGTERM/SIGINT/SIGHUP to the subject, and exits
 * with the subject's status. Without a subject (idle container) it only reaps, and exits 128+n on such a signal. */
#ifndef SANDBOX_INIT_LOOP_H
#define SANDBOX_INIT_LOOP_H

#include <signal.h>
#include <stdnoreturn.h>
#include <sys/types.h>

/* The signals the supervisor and PID 1 handle synchronously (blocked, then waited for). */
void init_loop_signals(sigset_t *set);

/* subject: its pid, or 0 when idle. The signals of init_loop_signals must be blocked already. */
noreturn void init_loop(pid_t subject);

#endif
