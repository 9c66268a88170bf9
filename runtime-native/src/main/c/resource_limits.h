/* rlimits by the names the command line and the creds probe use. */
#ifndef SANDBOX_RESOURCE_LIMITS_H
#define SANDBOX_RESOURCE_LIMITS_H

#include "options.h"

/* "nofile=SOFT:HARD" (either may be "unlimited"); a usage error otherwise. */
struct rlimit_setting resource_limits_parse(const char *text);
int resource_limits_apply(const struct process_options *process);

/* For the creds probe: the i-th known limit's name and resource, or NULL past the end. */
const char *resource_limits_name(int index, int *resource);

#endif
