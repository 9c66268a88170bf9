/* Descriptors beyond stdin, stdout and stderr: what the launcher inherited, and what it opened itself. */
#ifndef SANDBOX_INHERITED_FDS_H
#define SANDBOX_INHERITED_FDS_H

/* Closes every descriptor above stderr: whatever the starter left open without close-on-exec (a JVM's jar files and
 * sockets, when it spawns the launcher directly rather than through its own helper) must not reach the container.
 * Returns -1 with the failure recorded. */
int inherited_fds_close(void);

/* Marks every descriptor above stderr close-on-exec: for the last step before execve, while the error channel must
 * stay usable until execve succeeds. Returns -1 with the failure recorded. */
int inherited_fds_cloexec(void);

#endif
