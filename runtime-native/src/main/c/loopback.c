#include "loopback.h"

#include "failure.h"

#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail("socket(AF_INET)");
    struct ifreq req;
    memset(&req, 0, sizeof req);
    strcpy(req.ifr_name, "lo");
    int rc = 0;
    if (ioctl(fd, SIOCGIFFLAGS, &req) < 0)
        rc = fail("ioctl(lo, SIOCGIFFLAGS)");
    else {
        req.ifr_flags |= IFF_UP;
        if (ioctl(fd, SIOCSIFFLAGS, &req) < 0)
            rc = fail("ioctl(lo, SIOCSIFFLAGS)");
    }
    close(fd);
    return rc;
}

int loopback_namespace_new(void)
{
    if (unshare(CLONE_NEWNET) < 0)
        return fail("unshare(CLONE_NEWNET)");
    return loopback_up();
}
