#include "mounts.h"

#include "failure.h"
#include "root_paths.h"
#include "tree_copy.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
/* struct mount_attr and the new mount API's flags: glibc 2.36 brings them (and wrappers) with sys/mount.h, musl
   does not, so the calls go through syscall(2) as with the other post-5.2 calls. */
#include <linux/mount.h>
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

static int set_mount_attributes(int mount_fd, unsigned long long attributes, bool recursive)
{
    struct mount_attr attr = {.attr_set = attributes};
    return (int)syscall(SYS_mount_setattr, mount_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof attr);
}

static int set_read_only(const struct new_root *root, const char *path, bool recursive)
{
    int fd = root_open(root, path, 0);
    if (fd < 0)
        return -1;
    int rc = set_mount_attributes(fd, MOUNT_ATTR_RDONLY, recursive);
    close(fd);
    if (rc < 0)
        return fail("mount_setattr(%s%s, MOUNT_ATTR_RDONLY)", root->path, path);
    return 0;
}

/* A bind needs a mount point of the source's kind: a directory, or an (empty) file. */
static int make_mount_point(const struct new_root *root, const char *path, bool directory)
{
    if (directory)
        return root_mkdir_p(root, path);
    char name[NAME_MAX + 1];
    int parent = root_parent(root, path, name, sizeof name);
    if (parent < 0)
        return -1;
    /* O_PATH fds serve as dirfd for the *at calls. */
    int fd = openat(parent, name, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    int err = errno;
    close(parent);
    if (fd < 0 && err != EEXIST && err != EISDIR)
        return fail_with(err, "open(%s%s, O_CREAT)", root->path, path);
    if (fd >= 0)
        close(fd);
    return root_open(root, path, 0);
}

/* A detached recursive copy of src, made read-only (when asked) before it is attached, so that it is never writable
 * at its destination, then moved onto the mount point: fewer calls than mount(MS_BIND) through /proc/self/fd and a
 * second lookup for the read-only flag, which count over the thirty-odd binds of a host view. */
static int bind(const struct new_root *root, const char *src, const char *dst, unsigned long long attributes)
{
    int tree = (int)syscall(SYS_open_tree, AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (tree < 0)
        return fail("open_tree(%s, OPEN_TREE_CLONE)", src);
    struct stat st;
    int target = -1, rc = -1;
    if (fstat(tree, &st) < 0)
        fail("fstat(%s)", src);
    else if (attributes != 0 && set_mount_attributes(tree, attributes, true) < 0)
        fail("mount_setattr(%s, 0x%llx)", src, attributes);
    else if ((target = make_mount_point(root, dst, S_ISDIR(st.st_mode))) >= 0 &&
             (rc = (int)syscall(SYS_move_mount, tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)) < 0)
        fail("move_mount(%s, %s%s)", src, root->path, dst);
    close(tree);
    if (target >= 0)
        close(target);
    return rc < 0 ? -1 : 0;
}

static int mount_fs(const struct new_root *root, const char *type, const char *dst, unsigned long flags, const char *data)
{
    int target = root_mkdir_p(root, dst);
    if (target < 0)
        return -1;
    int rc = mount(type, fd_path(target).text, type, flags, data);
    close(target);
    if (rc < 0)
        return fail("mount(%s, %s%s)", type, root->path, dst);
    return 0;
}

static int make_symlink(const struct new_root *root, const char *target, const char *path)
{
    char name[NAME_MAX + 1];
    int parent = root_parent(root, path, name, sizeof name);
    if (parent < 0)
        return -1;
    int rc = symlinkat(target, parent, name);
    int err = errno;
    char existing[PATH_MAX];
    ssize_t len = rc < 0 ? readlinkat(parent, name, existing, sizeof existing - 1) : -1;
    close(parent);
    if (rc == 0)
        return 0;
    if (err == EEXIST && len >= 0) {
        existing[len] = '\0';
        if (strcmp(existing, target) == 0)
            return 0;
    }
    return fail_with(err, "symlink(%s, %s%s)", target, root->path, path);
}

/* Docker's default: a process filling /dev/shm fills memory, so it is bounded like everything else. */
#define DEFAULT_SHM_SIZE (64ULL << 20)

static int minimal_dev(const struct new_root *root, const char *dev, unsigned long long shm_size)
{
    static const char *const nodes[] = {"/null", "/zero", "/full", "/random", "/urandom", "/tty"};
    static const char *const links[][2] = {
        {"pts/ptmx", "/ptmx"}, {"/proc/self/fd", "/fd"}, {"/proc/self/fd/0", "/stdin"},
        {"/proc/self/fd/1", "/stdout"}, {"/proc/self/fd/2", "/stderr"},
    };
    char path[PATH_MAX], host[PATH_MAX], shm_options[64];
    /* nodev: the nodes are bound in from the host's /dev, each its own mount; one made here with mknod cannot open. */
    if (mount_fs(root, "tmpfs", dev, MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755") < 0)
        return -1;
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++)
        if (join_path(host, "/dev", nodes[i]) < 0 || join_path(path, dev, nodes[i]) < 0 || bind(root, host, path, 0) < 0)
            return -1;
    if (join_path(path, dev, "/pts") < 0 ||
        mount_fs(root, "devpts", path, MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620") < 0)
        return -1;
    snprintf(shm_options, sizeof shm_options, "mode=1777,size=%llu", shm_size != 0 ? shm_size : DEFAULT_SHM_SIZE);
    if (join_path(path, dev, "/shm") < 0 || mount_fs(root, "tmpfs", path, MS_NOSUID | MS_NODEV, shm_options) < 0)
        return -1;
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if (join_path(path, dev, links[i][1]) < 0 || make_symlink(root, links[i][0], path) < 0)
            return -1;
    return 0;
}

/* Docker's masked paths: a file disappears under /dev/null, a directory under an empty read-only tmpfs. */
static int mask(const struct new_root *root, const char *path)
{
    int target = root_open(root, path, 0);
    if (target < 0)
        return errno == ENOENT ? 0 : -1; /* nothing there to hide */
    struct stat st;
    int rc = fstat(target, &st);
    if (rc == 0 && !S_ISDIR(st.st_mode))
        rc = mount("/dev/null", fd_path(target).text, NULL, MS_BIND, NULL);
    else if (rc == 0)
        rc = mount("tmpfs", fd_path(target).text, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=0755");
    close(target);
    if (rc < 0)
        return fail("mount(mask, %s%s)", root->path, path);
    return 0;
}

/* Docker's read-only paths: DST is bound onto itself first, so that a directory or file inside a
 * larger mount (/proc/sys in /proc) becomes a mount of its own and only it turns read-only. */
static int remount_read_only(const struct new_root *root, const char *path)
{
    int target = root_open(root, path, 0);
    if (target < 0)
        return errno == ENOENT ? 0 : -1; /* this kernel has no such interface to protect */
    int rc = mount(fd_path(target).text, fd_path(target).text, NULL, MS_BIND | MS_REC, NULL);
    close(target);
    if (rc < 0)
        return fail("mount(%s%s, %s%s, MS_BIND)", root->path, path, root->path, path);
    return set_read_only(root, path, true);
}

static int run_op(const struct mount_op *op, const struct new_root *root, const struct options *o, struct subject_link *link)
{
    switch (op->kind) {
    /* A bind of the host's is nosuid and nodev unless asked otherwise: a node or a setuid file there is the host's. */
    case OP_RO_BIND:
        return bind(root, op->src, op->dst, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
    case OP_BIND:
        return bind(root, op->src, op->dst, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
    case OP_RO_DEV_BIND:
        return bind(root, op->src, op->dst, MOUNT_ATTR_RDONLY);
    case OP_DEV_BIND:
        return bind(root, op->src, op->dst, 0);
    case OP_TMPFS:
        return mount_fs(root, "tmpfs", op->dst, MS_NOSUID | MS_NODEV, strcmp(op->dst, "/tmp") == 0 ? "mode=1777" : "mode=0755");
    case OP_PROC:
        /* The kernel lets a user namespace mount a fresh proc only for a PID namespace it owns; without a new one,
         * the container's processes are the host's, and so is their /proc. */
        if ((o->namespaces & CLONE_NEWUSER) && !(o->namespaces & CLONE_NEWPID))
            return bind(root, "/proc", op->dst, 0);
        return mount_fs(root, "proc", op->dst, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    case OP_SYSFS:
        /* sysfs shows the mounter's network namespace: a fresh one only makes sense in a new net namespace. */
        if (o->namespaces & CLONE_NEWNET) {
            if (subject_link_join_network(link) < 0)
                return -1;
            return mount_fs(root, "sysfs", op->dst, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
        }
        return bind(root, "/sys", op->dst, MOUNT_ATTR_RDONLY);
    case OP_DEV:
        return minimal_dev(root, op->dst, o->shm_size);
    case OP_DIR: {
        int fd = root_mkdir_p(root, op->dst);
        if (fd >= 0)
            close(fd);
        return fd < 0 ? -1 : 0;
    }
    case OP_SYMLINK:
        return make_symlink(root, op->src, op->dst);
    case OP_MASK:
        return mask(root, op->dst);
    case OP_REMOUNT_RO:
        return remount_read_only(root, op->dst);
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
    case ROOT_BIND: {
        if (mount(o->root_source, o->state, NULL, MS_BIND | MS_REC, NULL) < 0)
            return fail("mount(%s, %s, MS_BIND)", o->root_source, o->state);
        /* nodev whatever the source's file system allows: a device node in DIR must not open inside. Read-only before the
         * ops, not after: a mount point they would create must never be written into DIR. */
        int fd = open(o->state, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return fail("open(%s)", o->state);
        unsigned long long attributes = MOUNT_ATTR_NODEV | (o->read_only_root ? MOUNT_ATTR_RDONLY : 0);
        int rc = set_mount_attributes(fd, attributes, true);
        close(fd);
        return rc < 0 ? fail("mount_setattr(%s, MOUNT_ATTR_NODEV%s)", o->state, o->read_only_root ? "|MOUNT_ATTR_RDONLY" : "") : 0;
    }
    case ROOT_OVERLAY: {
        /* The upper layer lives on a tmpfs of this mount namespace: it dies with the container. */
        if (mount("tmpfs", o->state, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
            return fail("mount(tmpfs, %s)", o->state);
        char upper[PATH_MAX], work[PATH_MAX], data[3 * PATH_MAX + 64];
        snprintf(upper, sizeof upper, "%s/upper", o->state);
        snprintf(work, sizeof work, "%s/work", o->state);
        snprintf(newroot, size, "%s/root", o->state);
        const char *const dirs[] = {upper, work, newroot};
        for (size_t i = 0; i < 3; i++)
            if (mkdir(dirs[i], 0755) < 0)
                return fail("mkdir(%s)", dirs[i]);
        /* Outside the initial user namespace trusted.* xattrs are out of reach; overlay keeps its own in user.*. */
        snprintf(data, sizeof data, "lowerdir=%s,upperdir=%s,workdir=%s%s", o->root_source, upper, work,
                 (o->namespaces & CLONE_NEWUSER) ? ",userxattr" : "");
        /* nodev: a node the container makes in its root must not open (CAP_MKNOD is kept, as in Docker). */
        if (mount("overlay", newroot, "overlay", MS_NODEV, data) < 0)
            return fail("mount(overlay, %s, lowerdir=%s)", newroot, o->root_source);
        return 0;
    }
    case ROOT_COPY:
        /* Where overlayfs is refused: a private copy on a tmpfs of this mount namespace, gone with it. */
        if (mount("tmpfs", o->state, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
            return fail("mount(tmpfs, %s)", o->state);
        return tree_copy(o->root_source, o->state);
    case ROOT_NONE:
        break;
    }
    return fail_with(EINVAL, "root kind %d", (int)o->root);
}

int mounts_build_root(const struct options *o, struct subject_link *link, char *newroot, size_t size)
{
    /* Nothing below may propagate back to the host's mount namespace. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return fail("mount(/, MS_REC|MS_PRIVATE)");
    if (stage_root(o, newroot, size) < 0)
        return -1;
    struct new_root root = {.fd = open(newroot, O_PATH | O_DIRECTORY | O_CLOEXEC), .path = newroot};
    if (root.fd < 0)
        return fail("open(%s)", newroot);
    int rc = 0;
    for (int i = 0; rc == 0 && i < o->mount_count; i++)
        rc = run_op(&o->mounts[i], &root, o, link);
    if (rc == 0 && o->read_only_root)
        rc = set_read_only(&root, "/", false);
    close(root.fd);
    return rc;
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
