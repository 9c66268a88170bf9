/* The subject's seccomp filter: a classic BPF program compiled by Java, loaded while the host's files are
 * still reachable, installed last before execve. */
#ifndef SANDBOX_SECCOMP_INSTALL_H
#define SANDBOX_SECCOMP_INSTALL_H

#include <linux/filter.h>

struct seccomp_program {
    struct sock_filter *filter; /* NULL: none */
    unsigned short length;
};

int seccomp_load(const char *path, struct seccomp_program *out);
int seccomp_install(const struct seccomp_program *program);

#endif
