/* --help and --version. */
#ifndef SANDBOX_USAGE_H
#define SANDBOX_USAGE_H

#define SANDBOX_INIT_VERSION "0.1.0"

void usage_print(void);

#endif
