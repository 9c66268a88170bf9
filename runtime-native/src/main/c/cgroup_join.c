#include "cgroup_join.h"

#include "failure.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cgroup_join(const char *const *dirs, int count, pid_t pid)
{
    char number[24];
    int len = snprintf(number, sizeof number, "%d", (int)pid);
    for (int i = 0; i < count; i++) {
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/cgroup.procs", dirs[i]) >= (int)sizeof path)
            return fail_with(ENAMETOOLONG, "open(%s/cgroup.procs)", dirs[i]);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            return fail("open(%s)", path);
        ssize_t n = write(fd, number, (size_t)len);
        int err = errno;
        close(fd);
        if (n != len)
            return fail_with(n < 0 ? err : EIO, "write(%s, %d)", path, (int)pid);
    }
    return 0;
}
