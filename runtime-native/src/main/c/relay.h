/* Copying the entered command's output to the launcher's own stdout/stderr. The launcher stops relaying as soon
 * as its child has exited and the pipes are drained: a grandchild that still holds them open cannot keep the
 * caller waiting. */
#ifndef SANDBOX_RELAY_H
#define SANDBOX_RELAY_H

#include <stdbool.h>

/* One read and its full write; false at end of input. */
bool relay_chunk(int from, int to);
/* Everything readable now, without waiting for more. */
void relay_drain(int from, int to);

#endif
