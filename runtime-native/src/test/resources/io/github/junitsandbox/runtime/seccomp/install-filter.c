/*
 * Test helper: install a compiled seccomp program the way the launcher does (no_new_privs, then
 * PR_SET_SECCOMP with the file's struct sock_filter array) and exec a command under it.
 *
 *   install-filter FILE COMMAND [ARG...]
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(const char *step, const char *arg) {
    fprintf(stderr, "install-filter: %s(%s): %s\n", step, arg, strerror(errno));
    exit(125);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: install-filter FILE COMMAND [ARG...]\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        die("open", argv[1]);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        die("fstat", argv[1]);
    }
    if (st.st_size == 0 || st.st_size % sizeof(struct sock_filter) != 0 || st.st_size > 65536) {
        fprintf(stderr, "install-filter: %s: %lld bytes is not an array of struct sock_filter\n", argv[1], (long long) st.st_size);
        return 125;
    }
    struct sock_filter *filter = malloc((size_t) st.st_size);
    if (filter == NULL) {
        die("malloc", argv[1]);
    }
    ssize_t n = read(fd, filter, (size_t) st.st_size);
    if (n != st.st_size) {
        die("read", argv[1]);
    }
    close(fd);
    struct sock_fprog program = {
        .len = (unsigned short) (st.st_size / sizeof(struct sock_filter)),
        .filter = filter,
    };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        die("prctl", "PR_SET_NO_NEW_PRIVS");
    }
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) != 0) {
        die("prctl", "PR_SET_SECCOMP");
    }
    execvp(argv[2], argv + 2);
    die("execvp", argv[2]);
}
