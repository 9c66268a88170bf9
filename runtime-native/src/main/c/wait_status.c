#include "wait_status.h"

#include <sys/wait.h>

int wait_status_code(int status)
{
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
