/* Small I/O helpers shared by the control channel and the output relay. */
#ifndef SANDBOX_IO_H
#define SANDBOX_IO_H

#include <stddef.h>

/* Writes all of buf, retrying on EINTR; gives up silently when the reader is gone (nobody left to tell). */
void write_all(int fd, const char *buf, size_t len);

#endif
