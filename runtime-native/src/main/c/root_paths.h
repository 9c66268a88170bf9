/* Paths inside the new root, resolved as if it were "/" (openat2 with RESOLVE_IN_ROOT): a symlink in a root
 * filesystem (say /tmp -> /etc, or etc -> /host/etc) can never make a mount op reach the host's files. */
#ifndef SANDBOX_ROOT_PATHS_H
#define SANDBOX_ROOT_PATHS_H

#include <stddef.h>

struct new_root {
    int fd;           /* O_PATH directory of the staged root */
    const char *path; /* where it is staged, for messages */
};

/* An O_PATH fd of PATH (absolute inside the root); extra_flags e.g. O_DIRECTORY. */
int root_open(const struct new_root *root, const char *path, int extra_flags);
/* mkdir -p inside the root; returns an O_PATH fd of the directory. */
int root_mkdir_p(const struct new_root *root, const char *path);
/* The directory that holds PATH (created if missing) as an O_PATH fd; its last component goes to name. */
int root_parent(const struct new_root *root, const char *path, char *name, size_t size);

/* "/proc/self/fd/N": how mount(2) is pointed at a resolved fd. */
struct fd_path {
    char text[32];
};
struct fd_path fd_path(int fd);

#endif
