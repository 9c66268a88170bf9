/* Emptying a container's cgroup directories when no one else will: the JVM that would have done it is gone. */
#ifndef SANDBOX_CGROUP_EMPTY_H
#define SANDBOX_CGROUP_EMPTY_H

/* Kills every process in dir and below it: "1" to dir/cgroup.kill where the kernel has it (cgroup2, Linux >= 5.14),
 * else SIGKILL to each pid of dir/cgroup.procs, again until that file lists none (a process may fork between the read
 * and the kill) or timeout_ms passed. Returns 0 once dir/cgroup.procs is empty or dir is gone, -1 (failure recorded)
 * otherwise. */
int cgroup_empty(const char *dir, int timeout_ms);

#endif
