/* Probes run in-process inside the container (after entering it, with the PROCESS credentials), so that they need
 * nothing in the rootfs. Output on stdout as docs/launcher-protocol.md describes. */
#ifndef SANDBOX_PROBES_H
#define SANDBOX_PROBES_H

/* args: "pids" | "hostname" | "kill PID SIGNAL" | "creds". host_proc: the host's /proc, opened before entering
 * (the container may have no /proc of its own). Returns the exit code, or -1 with the failure recorded. */
int probe_run(char **args, int host_proc);

#endif
