#include "mounts.h"

#include "failure.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int join_path(char *out, const char *root, const char *path)
{
    int len = snprintf(out, PATH_MAX, "%s%s", root, path);
    if (len < 0 || len >= PATH_MAX)
        return fail_with(ENAMETOOLONG, "path(%s%s)", root, path);
    return 0;
}

static int mkdir_p(const char *path, mode_t mode)
{
    char partial[PATH_MAX];
    size_t len = strlen(path);
    if (len >= sizeof partial)
        return fail_with(ENAMETOOLONG, "mkdir(%s)", path);
    memcpy(partial, path, len + 1);
    for (char *p = partial + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(partial, mode) < 0 && errno != EEXIST)
            return fail("mkdir(%s)", partial);
        *p = saved;
        if (saved == '\0')
            return 0;
    }
}

static int mkdir_parent(const char *path)
{
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash == NULL || slash == parent)
        return 0;
    *slash = '\0';
    return mkdir_p(parent, 0755);
}

/* A bind needs a mount point of the source's kind: a directory, or an (empty) file. */
static int make_mount_point(const char *path, bool directory)
{
    if (directory)
        return mkdir_p(path, 0755);
    if (mkdir_parent(path) < 0)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0 && errno != EEXIST && errno != EISDIR)
        return fail("open(%s, O_CREAT)", path);
    if (fd >= 0)
        close(fd);
    return 0;
}

static int set_read_only(const char *path, bool recursive)
{
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
    if (mount_setattr(AT_FDCWD, path, recursive ? AT_RECURSIVE : 0, &attr, sizeof attr) < 0)
        return fail("mount_setattr(%s, MOUNT_ATTR_RDONLY)", path);
    return 0;
}

static int bind(const char *src, const char *dst, bool read_only)
{
    struct stat st;
    if (stat(src, &st) < 0)
        return fail("stat(%s)", src);
    if (make_mount_point(dst, S_ISDIR(st.st_mode)) < 0)
        return -1;
    if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
        return fail("mount(%s, %s, MS_BIND)", src, dst);
    return read_only ? set_read_only(dst, true) : 0;
}

static int mount_fs(const char *type, const char *dst, unsigned long flags, const char *data)
{
    if (mkdir_p(dst, 0755) < 0)
        return -1;
    if (mount(type, dst, type, flags, data) < 0)
        return fail("mount(%s, %s)", type, dst);
    return 0;
}

static int make_symlink(const char *target, const char *path)
{
    if (mkdir_parent(path) < 0)
        return -1;
    if (symlink(target, path) == 0)
        return 0;
    int err = errno;
    char existing[PATH_MAX];
    ssize_t len = readlink(path, existing, sizeof existing - 1);
    if (err == EEXIST && len >= 0) {
        existing[len] = '\0';
        if (strcmp(existing, target) == 0)
            return 0;
    }
    return fail_with(err, "symlink(%s, %s)", target, path);
}

static int minimal_dev(const char *dev)
{
    static const char *const nodes[] = {"/null", "/zero", "/full", "/random", "/urandom", "/tty"};
    static const char *const links[][2] = {
        {"pts/ptmx", "/ptmx"}, {"/proc/self/fd", "/fd"}, {"/proc/self/fd/0", "/stdin"},
        {"/proc/self/fd/1", "/stdout"}, {"/proc/self/fd/2", "/stderr"},
    };
    char path[PATH_MAX], host[PATH_MAX];
    if (mount_fs("tmpfs", dev, MS_NOSUID | MS_NOEXEC, "mode=0755") < 0)
        return -1;
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++)
        if (join_path(host, "/dev", nodes[i]) < 0 || join_path(path, dev, nodes[i]) < 0 || bind(host, path, false) < 0)
            return -1;
    if (join_path(path, dev, "/pts") < 0 ||
        mount_fs("devpts", path, MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620") < 0)
        return -1;
    if (join_path(path, dev, "/shm") < 0 || mount_fs("tmpfs", path, MS_NOSUID | MS_NODEV, "mode=1777") < 0)
        return -1;
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if (join_path(path, dev, links[i][1]) < 0 || make_symlink(links[i][0], path) < 0)
            return -1;
    return 0;
}

/* Docker's masked paths: a file disappears under /dev/null, a directory under an empty read-only tmpfs. */
static int mask(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : fail("stat(%s)", path);
    if (!S_ISDIR(st.st_mode)) {
        if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0)
            return fail("mount(/dev/null, %s, MS_BIND)", path);
        return 0;
    }
    if (mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=0755") < 0)
        return fail("mount(tmpfs, %s)", path);
    return 0;
}

static int run_op(const struct mount_op *op, const char *root, bool own_net)
{
    char dst[PATH_MAX];
    if (join_path(dst, root, op->dst) < 0)
        return -1;
    switch (op->kind) {
    case OP_RO_BIND:
        return bind(op->src, dst, true);
    case OP_BIND:
    case OP_DEV_BIND:
        return bind(op->src, dst, false);
    case OP_TMPFS:
        return mount_fs("tmpfs", dst, MS_NOSUID | MS_NODEV, strcmp(op->dst, "/tmp") == 0 ? "mode=1777" : "mode=0755");
    case OP_PROC:
        return mount_fs("proc", dst, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    case OP_SYSFS:
        /* sysfs shows the mounter's network namespace: a fresh one only makes sense in a new net namespace. */
        if (own_net)
            return mount_fs("sysfs", dst, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
        return bind("/sys", dst, true);
    case OP_DEV:
        return minimal_dev(dst);
    case OP_DIR:
        return mkdir_p(dst, 0755);
    case OP_SYMLINK:
        return make_symlink(op->src, dst);
    case OP_MASK:
        return mask(dst);
    case OP_REMOUNT_RO:
        return set_read_only(dst, true);
    }
    return fail_with(EINVAL, "mount op %d", (int)op->kind);
}

static int stage_root(const struct options *o, char *newroot, size_t size)
{
    snprintf(newroot, size, "%s", o->state);
    switch (o->root) {
    case ROOT_TMPFS:
        if (mount("tmpfs", o->state, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
            return fail("mount(tmpfs, %s)", o->state);
        return 0;
    case ROOT_BIND:
        if (mount(o->root_source, o->state, NULL, MS_BIND | MS_REC, NULL) < 0)
            return fail("mount(%s, %s, MS_BIND)", o->root_source, o->state);
        return 0;
    case ROOT_OVERLAY: {
        /* The upper layer lives on a tmpfs of this mount namespace: it dies with the container. */
        if (mount("tmpfs", o->state, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
            return fail("mount(tmpfs, %s)", o->state);
        char upper[PATH_MAX], work[PATH_MAX], data[3 * PATH_MAX + 64];
        snprintf(upper, sizeof upper, "%s/upper", o->state);
        snprintf(work, sizeof work, "%s/work", o->state);
        snprintf(newroot, size, "%s/root", o->state);
        if (mkdir_p(upper, 0755) < 0 || mkdir_p(work, 0755) < 0 || mkdir_p(newroot, 0755) < 0)
            return -1;
        /* Outside the initial user namespace trusted.* xattrs are out of reach; overlay keeps its own in user.*. */
        snprintf(data, sizeof data, "lowerdir=%s,upperdir=%s,workdir=%s%s", o->root_source, upper, work,
                 (o->namespaces & CLONE_NEWUSER) ? ",userxattr" : "");
        if (mount("overlay", newroot, "overlay", 0, data) < 0)
            return fail("mount(overlay, %s, lowerdir=%s)", newroot, o->root_source);
        return 0;
    }
    case ROOT_NONE:
        break;
    }
    return fail_with(EINVAL, "root kind %d", (int)o->root);
}

int mounts_build_root(const struct options *o, char *newroot, size_t size)
{
    /* Nothing below may propagate back to the host's mount namespace. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return fail("mount(/, MS_REC|MS_PRIVATE)");
    if (stage_root(o, newroot, size) < 0)
        return -1;
    bool own_net = (o->namespaces & CLONE_NEWNET) != 0;
    for (int i = 0; i < o->mount_count; i++)
        if (run_op(&o->mounts[i], newroot, own_net) < 0)
            return -1;
    if (o->read_only_root && set_read_only(newroot, false) < 0)
        return -1;
    return 0;
}

int mounts_enter_root(const char *newroot)
{
    int old_root = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (old_root < 0)
        return fail("open(/)");
    if (chdir(newroot) < 0)
        return fail("chdir(%s)", newroot);
    /* pivot_root(".", ".") stacks the old root over the new one; no put_old directory is needed, so a
     * read-only root works too. */
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        return fail("pivot_root(%s)", newroot);
    if (fchdir(old_root) < 0)
        return fail("fchdir(old root)");
    if (umount2(".", MNT_DETACH) < 0)
        return fail("umount2(old root, MNT_DETACH)");
    close(old_root);
    if (chdir("/") < 0)
        return fail("chdir(/)");
    return 0;
}
