#include "seccomp_install.h"

#include "failure.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int seccomp_load(const char *path, struct seccomp_program *out)
{
    out->filter = NULL;
    out->length = 0;
    if (path == NULL)
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail("open(%s)", path);
    struct stat st;
    if (fstat(fd, &st) < 0) {
        close(fd);
        return fail("fstat(%s)", path);
    }
    size_t size = (size_t)st.st_size;
    /* A program is a non-empty array of 8-byte instructions, at most BPF_MAXINSNS of them. */
    if (size == 0 || size % sizeof(struct sock_filter) != 0 || size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
        close(fd);
        return fail_with(EINVAL, "seccomp program %s (%zu bytes, not a multiple of 8 up to %d instructions)", path,
                         size, BPF_MAXINSNS);
    }
    out->filter = malloc(size);
    if (out->filter == NULL) {
        close(fd);
        return fail_with(ENOMEM, "malloc(%zu)", size);
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = read(fd, (char *)out->filter + done, size - done);
        if (n <= 0) {
            int err = n < 0 ? errno : EIO;
            close(fd);
            return fail_with(err, "read(%s)", path);
        }
        done += (size_t)n;
    }
    close(fd);
    out->length = (unsigned short)(size / sizeof(struct sock_filter));
    return 0;
}

int seccomp_install(const struct seccomp_program *program)
{
    if (program->filter == NULL)
        return 0;
    struct sock_fprog prog = {.len = program->length, .filter = program->filter};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
        return fail("seccomp(SECCOMP_SET_MODE_FILTER)");
    return 0;
}
