#include "tree_copy.h"

#include "failure.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int copy_entry(int src_dir, int dst_dir, const char *name, const char *path);

/* Owners the user namespace does not map cannot be given (EINVAL) nor, unprivileged, changed (EPERM): they stay ours. */
static int copy_owner(int dst_dir, const char *name, const struct stat *st, const char *path)
{
    if (fchownat(dst_dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != EINVAL && errno != EPERM)
        return fail("fchownat(%s, %u:%u)", path, (unsigned)st->st_uid, (unsigned)st->st_gid);
    return 0;
}

/* Mode after owner: chown clears set-id bits. Times last: writing the contents would change them. */
static int copy_metadata(int dst_dir, const char *name, const struct stat *st, const char *path)
{
    if (copy_owner(dst_dir, name, st, path) < 0)
        return -1;
    if (!S_ISLNK(st->st_mode) && fchmodat(dst_dir, name, st->st_mode & 07777, 0) < 0)
        return fail("fchmodat(%s, %o)", path, (unsigned)(st->st_mode & 07777));
    const struct timespec times[2] = {st->st_atim, st->st_mtim};
    if (utimensat(dst_dir, name, times, AT_SYMLINK_NOFOLLOW) < 0)
        return fail("utimensat(%s)", path);
    return 0;
}

static int copy_contents(int src_dir, int dst_dir, const char *name, const char *path)
{
    int in = openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0)
        return fail("open(%s)", path);
    int out = openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) {
        close(in);
        return fail("create(%s)", path);
    }
    int rc = 0;
    for (;;) {
        ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
        if (n > 0)
            continue;
        if (n == 0)
            break;
        if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
            rc = fail("copy_file_range(%s)", path);
            break;
        }
        /* Across file systems on older kernels: plain reads and writes. */
        char buf[65536];
        ssize_t got;
        while (rc == 0 && (got = read(in, buf, sizeof buf)) > 0)
            for (ssize_t done = 0; rc == 0 && done < got;) {
                ssize_t put = write(out, buf + done, (size_t)(got - done));
                if (put < 0)
                    rc = fail("write(%s)", path);
                else
                    done += put;
            }
        if (rc == 0 && got < 0)
            rc = fail("read(%s)", path);
        break;
    }
    close(in);
    close(out);
    return rc;
}

static int copy_symlink(int src_dir, int dst_dir, const char *name, const struct stat *st, const char *path)
{
    char target[PATH_MAX];
    ssize_t len = readlinkat(src_dir, name, target, sizeof target - 1);
    if (len < 0)
        return fail("readlink(%s)", path);
    target[len] = '\0';
    if (symlinkat(target, dst_dir, name) < 0)
        return fail("symlink(%s -> %s)", path, target);
    return copy_metadata(dst_dir, name, st, path);
}

/* Copies the entries of FROM (closed here) into TO; PATH names FROM in failures. */
static int copy_children(int from, int to, const char *path)
{
    DIR *entries = fdopendir(from);
    if (entries == NULL) {
        close(from);
        return fail("fdopendir(%s)", path);
    }
    int rc = 0;
    errno = 0;
    for (struct dirent *e = readdir(entries); rc == 0 && e != NULL; e = readdir(entries)) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[PATH_MAX];
        int len = snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        rc = len < 0 || len >= (int)sizeof child ? fail_with(ENAMETOOLONG, "path(%s/%s)", path, e->d_name)
                                                 : copy_entry(from, to, e->d_name, child);
        errno = 0;
    }
    if (rc == 0 && errno != 0)
        rc = fail("readdir(%s)", path);
    closedir(entries);
    return rc;
}

static int copy_directory(int src_dir, int dst_dir, const char *name, const struct stat *st, const char *path)
{
    if (mkdirat(dst_dir, name, 0700) < 0)
        return fail("mkdir(%s)", path);
    int from = openat(src_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (from < 0)
        return fail("open(%s)", path);
    int to = openat(dst_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (to < 0) {
        close(from);
        return fail("open(%s in the copy)", path);
    }
    int rc = copy_children(from, to, path);
    close(to);
    /* The directory's own mode and times once its entries are in: a read-only one could not take them before. */
    return rc == 0 ? copy_metadata(dst_dir, name, st, path) : rc;
}

static int copy_entry(int src_dir, int dst_dir, const char *name, const char *path)
{
    struct stat st;
    if (fstatat(src_dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return fail("stat(%s)", path);
    switch (st.st_mode & S_IFMT) {
    case S_IFDIR:
        return copy_directory(src_dir, dst_dir, name, &st, path);
    case S_IFLNK:
        return copy_symlink(src_dir, dst_dir, name, &st, path);
    case S_IFREG:
        if (copy_contents(src_dir, dst_dir, name, path) < 0)
            return -1;
        return copy_metadata(dst_dir, name, &st, path);
    case S_IFSOCK:
        /* A socket file is a name without its listener: nothing to copy that a process could use. */
        return 0;
    default:
        /* fifos and device nodes; an unprivileged namespace may not make devices (EPERM): it goes without, as --dev provides /dev */
        if (mknodat(dst_dir, name, st.st_mode & (S_IFMT | 0600), st.st_rdev) < 0) {
            if (errno == EPERM && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
                return 0;
            return fail("mknod(%s, %u:%u)", path, major(st.st_rdev), minor(st.st_rdev));
        }
        return copy_metadata(dst_dir, name, &st, path);
    }
}

int tree_copy(const char *source, const char *target)
{
    struct stat st;
    if (stat(source, &st) < 0)
        return fail("stat(%s)", source);
    if (!S_ISDIR(st.st_mode))
        return fail_with(ENOTDIR, "copy(%s)", source);
    int from = open(source, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (from < 0)
        return fail("open(%s)", source);
    int to = open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (to < 0) {
        close(from);
        return fail("open(%s)", target);
    }
    int rc = copy_children(from, to, source);
    if (rc == 0 && fchmod(to, st.st_mode & 07777) < 0)
        rc = fail("fchmod(%s, %o)", target, (unsigned)(st.st_mode & 07777));
    close(to);
    return rc;
}
