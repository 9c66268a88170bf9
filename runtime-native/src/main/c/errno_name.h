/* The symbolic name of an errno value ("ENOENT"); "E<number>" for one the table does not know. */
#ifndef SANDBOX_ERRNO_NAME_H
#define SANDBOX_ERRNO_NAME_H

const char *errno_name(int err);

#endif
