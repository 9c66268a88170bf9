#include "failure.h"

#include "errno_name.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct failure recorded;

static int record(int err, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static int record(int err, const char *fmt, va_list ap)
{
    recorded.err = err;
    vsnprintf(recorded.step, sizeof recorded.step, fmt, ap);
    errno = err;
    return -1;
}

int fail(const char *fmt, ...)
{
    int err = errno;
    va_list ap;
    va_start(ap, fmt);
    record(err, fmt, ap);
    va_end(ap);
    return -1;
}

int fail_with(int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(err, fmt, ap);
    va_end(ap);
    return -1;
}

const struct failure *last_failure(void)
{
    return &recorded;
}

void failure_format(const struct failure *f, char *buf, unsigned long size)
{
    snprintf(buf, size, "%s\t%s\t%s", f->step, errno_name(f->err), strerror(f->err));
}

void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sandbox-init: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\nTry 'sandbox-init --help' for the accepted flags.\n", stderr);
    va_end(ap);
    exit(2);
}
