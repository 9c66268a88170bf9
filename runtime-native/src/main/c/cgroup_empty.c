#include "cgroup_empty.h"

#include "failure.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define EMPTY_POLL_NS (10 * 1000 * 1000)

/* 1: the kernel killed the subtree; 0: no cgroup.kill here; -1: it failed. */
static int write_cgroup_kill(const char *dir)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/cgroup.kill", dir) >= (int)sizeof path)
        return fail_with(ENAMETOOLONG, "open(%s/cgroup.kill)", dir);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : fail("open(%s)", path);
    ssize_t n = write(fd, "1", 1);
    int err = errno;
    close(fd);
    if (n != 1)
        return fail_with(n < 0 ? err : EIO, "write(%s, 1)", path);
    return 1;
}

/* SIGKILL to each process listed in dir/cgroup.procs; *listed: whether there was any. 0, or -1 (failure recorded). */
static int kill_listed(const char *dir, bool signal, bool *listed)
{
    char path[PATH_MAX];
    *listed = false;
    if (snprintf(path, sizeof path, "%s/cgroup.procs", dir) >= (int)sizeof path)
        return fail_with(ENAMETOOLONG, "open(%s/cgroup.procs)", dir);
    FILE *procs = fopen(path, "re");
    if (procs == NULL)
        return errno == ENOENT ? 0 : fail("open(%s)", path);
    int pid;
    int rc = 0;
    while (fscanf(procs, "%d", &pid) == 1) {
        *listed = true;
        if (signal && kill(pid, SIGKILL) < 0 && errno != ESRCH)
            rc = fail("kill(%d, SIGKILL) of a process in %s", pid, dir);
    }
    if (ferror(procs))
        rc = fail("read(%s)", path);
    fclose(procs);
    return rc;
}

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int cgroup_empty(const char *dir, int timeout_ms)
{
    int killed_by_kernel = write_cgroup_kill(dir);
    if (killed_by_kernel < 0)
        return -1;
    long long deadline = now_ns() + timeout_ms * 1000000LL;
    for (;;) {
        bool listed;
        if (kill_listed(dir, killed_by_kernel == 0, &listed) < 0)
            return -1;
        if (!listed)
            return 0;
        if (now_ns() >= deadline)
            return fail_with(EBUSY, "emptying %s: processes still in it after %d ms of SIGKILL", dir, timeout_ms);
        nanosleep(&(struct timespec){.tv_nsec = EMPTY_POLL_NS}, NULL);
    }
}
