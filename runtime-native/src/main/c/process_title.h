/* What /proc/PID/cmdline and /proc/PID/environ of the launcher show: every process inside can read PID 1's, so they
 * show a neutral name and nothing of the host (its paths, the JVM's pid, cgroup directories, the JVM's environment). */
#ifndef SANDBOX_PROCESS_TITLE_H
#define SANDBOX_PROCESS_TITLE_H

/* Copies argv to the heap, returns the copy, and overwrites the original argument and environment memory (what the
 * kernel reads for /proc/PID/cmdline and /proc/PID/environ) so that they read "sandbox-init" and nothing. The
 * environment is emptied too: the launcher needs none, and gives each process it starts exactly its --env. */
char **process_title_hide(int argc, char **argv);

#endif
