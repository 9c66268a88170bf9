/* The launcher's two channels: control lines on stdout (run), and the close-on-exec error channel from the
 * container's processes to the supervisor (every subcommand). */
#ifndef SANDBOX_PROTOCOL_H
#define SANDBOX_PROTOCOL_H

#include "failure.h"

#include <stdbool.h>
#include <stdnoreturn.h>
#include <sys/types.h>

/* One tab-separated line on stdout, written with a single write(2). */
void control_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reports f ("error\tstep\tERRNO\ttext" as a control line for run; "sandbox-init: error\t..." on stderr for exec and
 * probe), kills and reaps the process started so far (if any), and exits 125. */
noreturn void setup_abort(const struct failure *f, bool control_channel, pid_t started);

/*
 * The error channel is a SOCK_SEQPACKET pair, both ends close-on-exec: like OpenJDK's childproc.c fail pipe, EOF
 * without a failure means every process holding the child end has exec'd (or exited). A socket rather than a pipe
 * so that the supervisor learns, from SCM_CREDENTIALS, the subject's pid as the host sees it.
 */
int channel_open(int pair[2]); /* pair[0]: supervisor's end, pair[1]: child's end */

/* Child side: "this process is the subject" (its pid travels in the credentials), and "this step failed". */
void channel_send_started(int fd);
noreturn void channel_fail(int fd, const struct failure *f); /* sends, then _exit(125) */

enum channel_event { CHANNEL_STARTED, CHANNEL_FAILED, CHANNEL_CLOSED, CHANNEL_EMPTY };
/* Supervisor side: the next message; CHANNEL_EMPTY only when !wait and nothing is queued. */
enum channel_event channel_receive(int fd, bool wait, struct failure *failure, pid_t *sender);

#define EXIT_SETUP_FAILED 125
#define EXIT_LIFELINE_BROKEN 137

#endif
