/* The PROCESS flags, applied to the subject (run) or to the entering process (exec, probe). */
#ifndef SANDBOX_PROCESS_SETUP_H
#define SANDBOX_PROCESS_SETUP_H

#include "options.h"
#include "seccomp_install.h"

#include <stdbool.h>

/* Undoes what the launcher itself set up for signals (blocked set, SIGPIPE ignored) before the subject inherits it. */
int process_reset_signals(void);

/* rlimits, bounding set, groups/gid/uid, capabilities, no_new_privs. setgroups_denied: inside a user namespace whose
 * setgroups is "deny", where supplementary groups cannot be changed at all. */
int process_apply(const struct process_options *p, bool setgroups_denied);

/* chdir to --chdir, inside the container's root. */
int process_enter_workdir(const struct process_options *p);

/* Marks every inherited fd above 2 close-on-exec, then installs the seccomp filter: what follows runs under it. */
int process_confine(const struct seccomp_program *seccomp);

/* execs argv (searching PATH from the --env list when argv[0] has no slash). Returns only on failure. */
int process_exec(char **argv, char **env);

#endif
