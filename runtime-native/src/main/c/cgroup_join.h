/* Placing a process in the cgroup directories Java prepared (one per v1 hierarchy, or one v2 directory). */
#ifndef SANDBOX_CGROUP_JOIN_H
#define SANDBOX_CGROUP_JOIN_H

#include <sys/types.h>

int cgroup_join(const char *const *dirs, int count, pid_t pid);

#endif
