/* `sandbox-init exec` and `sandbox-init probe`: enter the container of --target, then run a command there (exec)
 * or a probe in-process (probe). */
#ifndef SANDBOX_ENTER_H
#define SANDBOX_ENTER_H

#include "options.h"

#include <stdnoreturn.h>

noreturn void enter_main(const struct options *o);

#endif
