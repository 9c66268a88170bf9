/* A new network namespace starts with lo down; the container gets it up and nothing else. */
#ifndef SANDBOX_LOOPBACK_H
#define SANDBOX_LOOPBACK_H

/* unshare(CLONE_NEWNET), then lo up. */
int loopback_namespace_new(void);

#endif
