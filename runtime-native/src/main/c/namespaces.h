/* Namespace names as the command line spells them, and what run and exec/probe do with them. */
#ifndef SANDBOX_NAMESPACES_H
#define SANDBOX_NAMESPACES_H

#include "options.h"

#include <stdbool.h>
#include <sys/types.h>

/* "pid,uts,..." to CLONE_NEW* bits; a usage error for an unknown name. */
int namespaces_parse(const char *list, const char *flag);

/* "pid,uts,..." for messages. */
void namespaces_describe(int namespaces, char *buf, unsigned long size);

/* setgroups=deny (unless root outside), uid_map and gid_map of the cloned child; through the setuid helpers
 * newuidmap/newgidmap when options name them (they check the maps against /etc/subuid and /etc/subgid, and leave
 * setgroups allowed when more than the caller's own gid is mapped). */
int namespaces_write_id_maps(pid_t child, const struct options *o);

/* Whether the user namespace of pid allows setgroups(2): "allow" in /proc/PID/setgroups. */
int namespaces_setgroups_allowed(pid_t pid, bool *allowed);

/* exec/probe: /proc/PID/ns/NAME for each namespace asked, opened before any is entered. */
#define NAMESPACE_COUNT 8
struct namespace_fds {
    int fd[NAMESPACE_COUNT];
};
int namespaces_open(pid_t target, int namespaces, struct namespace_fds *out);
/* Enters them, user first (it grants the capabilities that entering the others needs). */
int namespaces_enter(struct namespace_fds *fds);

#endif
