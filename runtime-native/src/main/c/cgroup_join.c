#include "cgroup_join.h"

#include "failure.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

static int write_self(const char *dir, const char *file)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
        return fail_with(ENAMETOOLONG, "open(%s/%s)", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 1 : fail("open(%s)", path);
    ssize_t n = write(fd, "0", 1);
    int err = errno;
    close(fd);
    if (n != 1)
        return fail_with(n < 0 ? err : EIO, "write(%s, 0)", path);
    return 0;
}

int cgroup_join_self(const char *const *dirs, int count, int skip)
{
    for (int i = 0; i < count; i++) {
        if (i == skip)
            continue;
        int rc = write_self(dirs[i], "tasks");
        if (rc > 0) /* no tasks file: cgroup2 */
            rc = write_self(dirs[i], "cgroup.procs");
        if (rc != 0)
            return rc < 0 ? -1 : fail_with(ENOENT, "open(%s/cgroup.procs)", dirs[i]);
    }
    return 0;
}

int cgroup_find_unified(const char *const *dirs, int count, int *which, int *fd)
{
    *which = -1;
    *fd = -1;
    for (int i = 0; i < count; i++) {
        struct statfs fs;
        if (statfs(dirs[i], &fs) < 0)
            return fail("statfs(%s)", dirs[i]);
        if (fs.f_type != CGROUP2_SUPER_MAGIC)
            continue;
        if ((*fd = open(dirs[i], O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
            return fail("open(%s)", dirs[i]);
        *which = i;
        return 0;
    }
    return 0;
}
