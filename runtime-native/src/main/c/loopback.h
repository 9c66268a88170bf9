/* A new network namespace starts with lo down; the container gets it up and nothing else. */
#ifndef SANDBOX_LOOPBACK_H
#define SANDBOX_LOOPBACK_H

int loopback_up(void);

#endif
