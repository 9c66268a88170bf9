/* Placing a process in the cgroup directories Java prepared (one per v1 hierarchy, or one v2 directory). */
#ifndef SANDBOX_CGROUP_JOIN_H
#define SANDBOX_CGROUP_JOIN_H

/* Moves the calling process, which must be single-threaded, into each of dirs but the one at index skip (-1: none).
 * On cgroup v1 it writes "0" (itself) to DIR/tasks: moving one thread skips the global lock whose write side waits
 * for an RCU grace period (4-15 ms measured here, against ~40 us), and moving the only thread moves the process.
 * cgroup2 has no tasks file: there "0" goes to cgroup.procs. */
int cgroup_join_self(const char *const *dirs, int count, int skip);

/* Finds the first of dirs on a cgroup2 file system and opens it for clone3(CLONE_INTO_CGROUP): *which is its index
 * (-1 when there is none), *fd the directory. A child born in its cgroup needs no migration, and a migration
 * (writing cgroup.procs) waits for an RCU grace period in the kernel. */
int cgroup_find_unified(const char *const *dirs, int count, int *which, int *fd);

#endif
