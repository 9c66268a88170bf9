#include "inherited_fds.h"

#include "failure.h"

#include <unistd.h>

int inherited_fds_close(void)
{
    if (close_range(3, ~0U, 0) < 0)
        return fail("close_range(3, ~0)");
    return 0;
}
