/* How a failed step is recorded and reported: "call(argument): ERRNO", the errno by its symbolic name. */
#ifndef SANDBOX_FAILURE_H
#define SANDBOX_FAILURE_H

#include <stdnoreturn.h>

#define FAILURE_STEP_MAX 1024

struct failure {
    int err;
    char step[FAILURE_STEP_MAX];
};

/* Records the current errno with the step that failed; returns -1 so that callers can `return fail(...)`. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same with an explicit errno, for failures that are not a syscall's (bad file contents, say). */
int fail_with(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const struct failure *last_failure(void);

/* Renders "step\tERRNO\tstrerror text" (no newline) into buf. */
void failure_format(const struct failure *f, char *buf, unsigned long size);

/* A bad command line: message on stderr, exit 2. */
noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
