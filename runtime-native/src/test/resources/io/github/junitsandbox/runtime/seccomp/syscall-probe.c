/*
 * Test helper: make system calls directly, each with arguments that do no harm when the call does
 * reach the kernel (a path that does not exist, a bad fd, an invalid operation), each in its own
 * child so that one probe cannot change what the next one sees, and print one line per probe:
 *
 *   NAME<TAB>OK            the call succeeded
 *   NAME<TAB>ERRNONAME     it failed with that errno (EPERM is what the default filter answers)
 *
 *   syscall-probe NAME...
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOWHERE "/nonexistent/junit-sandbox-seccomp-probe"

static long clone_flags(unsigned long flags) {
    long pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
    if (pid == 0) {
        _exit(0);
    }
    if (pid > 0) {
        waitpid((pid_t) pid, NULL, 0);
        return 0;
    }
    return pid;
}

#if defined(__x86_64__)
/*
 * The 32-bit entry (int 0x80) from a 64-bit process: the kernel runs the i386 system call of that
 * number, and seccomp sees AUDIT_ARCH_I386, the classic way around a filter that checks x86_64 only.
 */
static long i386_syscall(long nr, long arg) {
    long ret;
    __asm__ volatile("int $0x80"
                     : "=a"(ret)
                     : "a"(nr), "b"(arg), "c"(0), "d"(0), "S"(0), "D"(0)
                     : "r8", "r9", "r10", "r11", "memory");
    if (ret < 0 && ret > -4096) {
        errno = (int) -ret;
        return -1;
    }
    return ret;
}

#define I386_NR_KEYCTL 288
#define I386_NR_GETPID 20
#define X32_SYSCALL_BIT 0x40000000L
#endif

static long probe(const char *name) {
    if (strcmp(name, "getpid") == 0) return syscall(SYS_getpid) > 0 ? 0 : -1;
    if (strcmp(name, "keyctl") == 0) return syscall(SYS_keyctl, 0x7fffffff, 0, 0, 0, 0);
#if defined(__x86_64__)
    if (strcmp(name, "keyctl_i386") == 0) return i386_syscall(I386_NR_KEYCTL, 0x7fffffff);
    if (strcmp(name, "getpid_i386") == 0) return i386_syscall(I386_NR_GETPID, 0) > 0 ? 0 : -1;
    if (strcmp(name, "keyctl_x32") == 0) return syscall(X32_SYSCALL_BIT | SYS_keyctl, 0x7fffffff, 0, 0, 0, 0);
#endif
    if (strcmp(name, "add_key") == 0) return syscall(SYS_add_key, NULL, NULL, NULL, 0, 0);
    if (strcmp(name, "request_key") == 0) return syscall(SYS_request_key, NULL, NULL, NULL, 0);
    if (strcmp(name, "bpf") == 0) return syscall(SYS_bpf, -1, NULL, 0);
    if (strcmp(name, "perf_event_open") == 0) return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
    if (strcmp(name, "userfaultfd") == 0) return syscall(SYS_userfaultfd, -1);
    if (strcmp(name, "io_uring_setup") == 0) return syscall(SYS_io_uring_setup, 1, NULL);
    if (strcmp(name, "kexec_load") == 0) return syscall(SYS_kexec_load, 0, 0, NULL, 0xffff0000UL);
    if (strcmp(name, "init_module") == 0) return syscall(SYS_init_module, NULL, 0, "");
    if (strcmp(name, "finit_module") == 0) return syscall(SYS_finit_module, -1, "", 0);
    if (strcmp(name, "delete_module") == 0) return syscall(SYS_delete_module, "junit_sandbox_no_such_module", O_NONBLOCK);
    if (strcmp(name, "mount") == 0) return syscall(SYS_mount, "none", NOWHERE, "tmpfs", 0, NULL);
    if (strcmp(name, "umount2") == 0) return syscall(SYS_umount2, NOWHERE, 0);
    if (strcmp(name, "pivot_root") == 0) return syscall(SYS_pivot_root, NOWHERE, NOWHERE);
    if (strcmp(name, "unshare") == 0) return syscall(SYS_unshare, CLONE_NEWUSER);
    if (strcmp(name, "clone_newuser") == 0) return clone_flags(CLONE_NEWUSER);
    if (strcmp(name, "clone_fork") == 0) return clone_flags(0);
    if (strcmp(name, "clone3") == 0) return syscall(SYS_clone3, NULL, 0);
    if (strcmp(name, "setns") == 0) return syscall(SYS_setns, -1, 0);
    if (strcmp(name, "ptrace") == 0) return syscall(SYS_ptrace, PTRACE_ATTACH, 0x3fffffff, NULL, NULL);
    if (strcmp(name, "personality_query") == 0) return syscall(SYS_personality, 0xffffffffUL) >= 0 ? 0 : -1;
    if (strcmp(name, "personality_no_aslr") == 0) return syscall(SYS_personality, ADDR_NO_RANDOMIZE) >= 0 ? 0 : -1;
    if (strcmp(name, "open_by_handle_at") == 0) return syscall(SYS_open_by_handle_at, -1, NULL, 0);
    if (strcmp(name, "name_to_handle_at") == 0) return syscall(SYS_name_to_handle_at, AT_FDCWD, "/", NULL, NULL, 0);
    if (strcmp(name, "acct") == 0) return syscall(SYS_acct, NOWHERE);
    if (strcmp(name, "swapon") == 0) return syscall(SYS_swapon, NOWHERE, 0);
    if (strcmp(name, "swapoff") == 0) return syscall(SYS_swapoff, NOWHERE);
    if (strcmp(name, "reboot") == 0) return syscall(SYS_reboot, 0, 0, 0, NULL);
    if (strcmp(name, "clock_settime") == 0) return syscall(SYS_clock_settime, -1, NULL);
    if (strcmp(name, "syslog") == 0) return syscall(SYS_syslog, -1, NULL, 0);
    if (strcmp(name, "quotactl") == 0) return syscall(SYS_quotactl, 0, NULL, 0, NULL);
    if (strcmp(name, "fsopen") == 0) return syscall(SYS_fsopen, NULL, 0);
    if (strcmp(name, "fsmount") == 0) return syscall(SYS_fsmount, -1, 0, 0);
    if (strcmp(name, "move_mount") == 0) return syscall(SYS_move_mount, -1, NULL, -1, NULL, 0);
    if (strcmp(name, "open_tree") == 0) return syscall(SYS_open_tree, -1, NULL, 0);
    if (strcmp(name, "iopl") == 0) return syscall(SYS_iopl, 4);
    if (strcmp(name, "kexec_file_load") == 0) return syscall(SYS_kexec_file_load, -1, -1, 0, NULL, 0xffff0000UL);
    if (strcmp(name, "chroot") == 0) return syscall(SYS_chroot, NOWHERE);
    fprintf(stderr, "syscall-probe: unknown probe %s\n", name);
    exit(2);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        fflush(stdout);
        pid_t child = fork();
        if (child < 0) {
            perror("syscall-probe: fork");
            return 1;
        }
        if (child == 0) {
            errno = 0;
            long rc = probe(argv[i]);
            const char *errname = strerrorname_np(errno);
            printf("%s\t%s\n", argv[i], rc >= 0 ? "OK" : errname != NULL ? errname : "?");
            fflush(stdout);
            _exit(0);
        }
        int status;
        if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "syscall-probe: probe %s did not exit cleanly (status 0x%x)\n", argv[i], status);
            return 1;
        }
    }
    return 0;
}
