/* The capability set in force for the subject: names, and setting bounding/permitted/effective/inheritable. */
#ifndef SANDBOX_CAPABILITIES_H
#define SANDBOX_CAPABILITIES_H

#include <stdbool.h>
#include <stdint.h>

/* "chown,kill,..." or "none" to a bit mask; a usage error for an unknown name. */
uint64_t capabilities_parse(const char *list);

/* Before the uid changes: drops from the bounding set what is not in caps (needs CAP_SETPCAP, still held). */
int capabilities_limit_bounding(uint64_t caps);
/* After the uid changed (with PR_SET_KEEPCAPS): permitted = effective = inheritable = caps, ambient empty. */
int capabilities_set(uint64_t caps);

/* Whether the calling process has capability cap in its effective set (false when that cannot be read). */
bool capabilities_effective(int cap);

#endif
