/* What a container leaves in its writable binds that would outlast it as a privilege on the host: a device node (root
 * inside keeps CAP_MKNOD, as in Docker; nodev stops it only inside), a setuid or setgid file, a file with capabilities
 * (security.capability). Removed, or the bits and capabilities cleared, once the container is dead. */
#ifndef SANDBOX_BIND_SCRUB_H
#define SANDBOX_BIND_SCRUB_H

#include "options.h"

#include <time.h>

/* As root, walks each --bind source (nodev,nosuid; a --dev-bind is the explicit opt-out) without following a symlink
 * or leaving its file system, and fixes what changed at or after since (CLOCK_REALTIME_COARSE, the clock of inode
 * times): a host file that was setuid before the container ran stays as it was. Best effort: a failure is reported
 * on stderr and the walk goes on. A plain user's supervisor walks nothing (see bind_scrub.c). */
void bind_scrub(const struct options *o, const struct timespec *since);

#endif
