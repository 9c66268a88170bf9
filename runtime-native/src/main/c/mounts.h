/* The container's filesystem: the new root staged on --state, the mount ops in order, pivot_root. Runs in the
 * container's new mount namespace, so nothing here is ever visible in the host's. */
#ifndef SANDBOX_MOUNTS_H
#define SANDBOX_MOUNTS_H

#include "options.h"
#include "subject_link.h"

#include <stddef.h>

/* Builds the new root and runs the mount ops on it; newroot receives where it ended up. A fresh sysfs shows the
 * container's network namespace: the one pending on link is joined before it is mounted. */
int mounts_build_root(const struct options *o, struct subject_link *link, char *newroot, size_t size);
/* pivot_root into newroot, detach the old root, then (only then) chdir("/"). */
int mounts_enter_root(const char *newroot);

#endif
