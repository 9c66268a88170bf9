#include "bind_scrub.h"

#include "failure.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Each level holds two descriptors; deeper trees are left unscrubbed below this, reported. */
#define SCRUB_DEPTH_MAX 256

/* Nobody waits on the scrub: what it could not do goes to stderr, in the form of the supervisor's cleanup reports. */
static void report(const char *what, const char *path)
{
    char line[FAILURE_STEP_MAX + 128];
    fail("%s(%s)", what, path);
    failure_format(last_failure(), line, sizeof line);
    dprintf(STDERR_FILENO, "sandbox-init: error\t%s\n", line);
}

static bool changed_since(const struct stat *st, const struct timespec *since)
{
    return st->st_ctim.tv_sec > since->tv_sec || (st->st_ctim.tv_sec == since->tv_sec && st->st_ctim.tv_nsec >= since->tv_nsec);
}

static bool has_capabilities(int dir, const char *name)
{
    char path[64 + NAME_MAX];
    snprintf(path, sizeof path, "/proc/self/fd/%d/%s", dir, name);
    return lgetxattr(path, "security.capability", NULL, 0) >= 0;
}

/* Opened without following, checked to be the inode looked at, then changed through the descriptor. */
static void clear_privileges(int dir, const char *name, const struct stat *seen, const char *path)
{
    int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        report("open", path);
        return;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_ino == seen->st_ino && st.st_dev == seen->st_dev && S_ISREG(st.st_mode)) {
        if ((st.st_mode & (S_ISUID | S_ISGID)) && fchmod(fd, st.st_mode & 07777 & ~(mode_t)(S_ISUID | S_ISGID)) < 0 && errno != EPERM)
            report("fchmod", path);
        if (fremovexattr(fd, "security.capability") < 0 && errno != ENODATA && errno != EPERM)
            report("fremovexattr", path);
    }
    close(fd);
}

static void scrub_entry(int dir, const char *name, const char *path, dev_t dev, const struct timespec *since, int depth);

static void scrub_directory(int dir, const char *path, dev_t dev, const struct timespec *since, int depth)
{
    if (depth > SCRUB_DEPTH_MAX) {
        errno = ELOOP;
        report("scrub", path);
        return;
    }
    int listing = dup(dir);
    DIR *d = listing >= 0 ? fdopendir(listing) : NULL;
    if (d == NULL) {
        if (listing >= 0)
            close(listing);
        report("opendir", path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[PATH_MAX];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        scrub_entry(dir, e->d_name, child, dev, since, depth);
    }
    closedir(d);
}

static void scrub_entry(int dir, const char *name, const char *path, dev_t dev, const struct timespec *since, int depth)
{
    struct stat st;
    if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno != ENOENT)
            report("fstatat", path);
        return;
    }
    if (st.st_dev != dev)
        return; /* another mount below the bind's source: not what the bind carried */
    if (S_ISDIR(st.st_mode)) {
        int sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
            report("open", path);
            return;
        }
        scrub_directory(sub, path, dev, since, depth + 1);
        close(sub);
        return;
    }
    if (!changed_since(&st, since))
        return;
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        if (unlinkat(dir, name, 0) < 0 && errno != ENOENT)
            report("unlink", path);
    } else if (S_ISREG(st.st_mode) && ((st.st_mode & (S_ISUID | S_ISGID)) || has_capabilities(dir, name))) {
        clear_privileges(dir, name, &st, path);
    }
}

/* The source's directory and the name in it, so that a bind of a single file is handled like an entry of a tree. */
static void scrub_source(const char *given, const struct timespec *since)
{
    /* The mount followed symlinks in the source's path; so does the scrub, up to the source itself. */
    char source[PATH_MAX], copy[PATH_MAX], parent_path[PATH_MAX];
    if (realpath(given, source) == NULL) {
        report("realpath", given);
        return;
    }
    snprintf(copy, sizeof copy, "%s", source);
    snprintf(parent_path, sizeof parent_path, "%s", dirname(copy));
    snprintf(copy, sizeof copy, "%s", source);
    const char *name = basename(copy);
    int parent = open(parent_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (parent < 0) {
        report("open", parent_path);
        return;
    }
    struct stat st;
    if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        report("fstatat", source);
    } else {
        scrub_entry(parent, name, source, st.st_dev, since, 0);
    }
    close(parent);
}

void bind_scrub(const struct options *o, const struct timespec *since)
{
    /* A plain user's container makes no device node, and what it makes setuid is the user's own or one of its
     * subordinate ids': nothing another user of the host gains. Its binds are not walked. */
    if (geteuid() != 0)
        return;
    for (int i = 0; i < o->mount_count; i++)
        if (o->mounts[i].kind == OP_BIND)
            scrub_source(o->mounts[i].src, since);
}
