/* `sandbox-init run`: the supervisor, the process Java started. It creates the container, speaks the control
 * protocol on stdout, watches the lifeline on stdin, and exits with the container's status. */
#ifndef SANDBOX_RUN_SUPERVISOR_H
#define SANDBOX_RUN_SUPERVISOR_H

#include "options.h"

#include <stdnoreturn.h>

noreturn void run_supervisor(const struct options *o);

#endif
