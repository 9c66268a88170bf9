#include "relay.h"

#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

bool relay_chunk(int from, int to)
{
    char buf[65536];
    ssize_t n;
    while ((n = read(from, buf, sizeof buf)) < 0 && errno == EINTR)
        ;
    if (n <= 0)
        return n < 0 && errno == EAGAIN;
    write_all(to, buf, (size_t)n);
    return true;
}

void relay_drain(int from, int to)
{
    int flags = fcntl(from, F_GETFL);
    if (flags < 0 || fcntl(from, F_SETFL, flags | O_NONBLOCK) < 0)
        return;
    char buf[65536];
    ssize_t n;
    while ((n = read(from, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            write_all(to, buf, (size_t)n);
}
