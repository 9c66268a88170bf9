/* A waitpid status as the launcher reports it: the exit code, or 128+n for signal n (as shells do). */
#ifndef SANDBOX_WAIT_STATUS_H
#define SANDBOX_WAIT_STATUS_H

int wait_status_code(int status);

#endif
