#include "inherited_fds.h"

#include "failure.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* One by one, as listed in /proc/self/fd (the listing's own descriptor spared). */
static int each_listed(bool cloexec)
{
    DIR *dir = opendir("/proc/self/fd");
    if (dir == NULL)
        return fail("opendir(/proc/self/fd)");
    int own = dirfd(dir), rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(dir)) != NULL) {
        int fd = atoi(e->d_name);
        if (fd <= 2 || fd == own)
            continue;
        if (cloexec && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
            rc = fail("fcntl(%d, F_SETFD, FD_CLOEXEC)", fd);
        else if (!cloexec)
            close(fd);
    }
    closedir(dir);
    return rc;
}

static int above_stderr(bool cloexec)
{
    if (syscall(SYS_close_range, 3, ~0U, cloexec ? CLOSE_RANGE_CLOEXEC : 0) == 0)
        return 0;
    /* Kernels before 5.9, and seccomp profiles of container engines that predate the call (ENOSYS or EPERM). */
    if (errno != ENOSYS && errno != EPERM)
        return fail(cloexec ? "close_range(3, ~0, CLOSE_RANGE_CLOEXEC)" : "close_range(3, ~0)");
    return each_listed(cloexec);
}

int inherited_fds_close(void)
{
    return above_stderr(false);
}

int inherited_fds_cloexec(void)
{
    return above_stderr(true);
}
