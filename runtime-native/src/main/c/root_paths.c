#include "root_paths.h"

#include "failure.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int root_open(const struct new_root *root, const char *path, int extra_flags)
{
    struct open_how how = {
        .flags = (unsigned long long)(O_PATH | O_CLOEXEC | extra_flags),
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    const char *relative = path + strspn(path, "/");
    int fd = (int)syscall(SYS_openat2, root->fd, *relative != '\0' ? relative : ".", &how, sizeof how);
    if (fd < 0)
        return fail("openat2(%s%s, RESOLVE_IN_ROOT)", root->path, path);
    return fd;
}

int root_mkdir_p(const struct new_root *root, const char *path)
{
    char partial[PATH_MAX];
    if (snprintf(partial, sizeof partial, "%s", path) >= (int)sizeof partial)
        return fail_with(ENAMETOOLONG, "mkdir(%s%s)", root->path, path);
    /* Most paths exist already (/etc for each of its entries): one lookup instead of one per component. */
    int existing = root_open(root, path, O_DIRECTORY);
    if (existing >= 0 || errno != ENOENT)
        return existing;
    int dir = root_open(root, "/", O_DIRECTORY);
    /* One component at a time, each resolved again from the root: a symlink met on the way stays inside it. */
    for (char *p = partial + strspn(partial, "/"); dir >= 0 && *p != '\0';) {
        size_t len = strcspn(p, "/");
        char saved = p[len];
        p[len] = '\0';
        if (mkdirat(dir, p, 0755) < 0 && errno != EEXIST) {
            fail("mkdir(%s%s)", root->path, partial);
            close(dir);
            return -1;
        }
        close(dir);
        dir = root_open(root, partial, O_DIRECTORY);
        p[len] = saved;
        p += len + strspn(p + len, "/");
    }
    return dir;
}

int root_parent(const struct new_root *root, const char *path, char *name, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL || slash[1] == '\0' || strlen(slash + 1) >= size)
        return fail_with(EINVAL, "path(%s%s): no last component", root->path, path);
    snprintf(name, size, "%s", slash + 1);
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%.*s", (int)(slash - path), path);
    return root_mkdir_p(root, parent);
}

struct fd_path fd_path(int fd)
{
    struct fd_path p;
    snprintf(p.text, sizeof p.text, "/proc/self/fd/%d", fd);
    return p;
}
