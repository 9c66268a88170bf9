/* Escape attempts, one per subcommand, run inside a sandbox by the escape regression suite.
 * Each prints one line and exits 0 when the technique worked (ESCAPED ...), 1 when it did not
 * (BLOCKED <step>: <errno> or CONTAINED <what was reached>), 2 on a usage error. */
#define _GNU_SOURCE
#include <dirent.h>
#include <linux/capability.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

static int blocked(const char *step)
{
    printf("BLOCKED %s: %s\n", step, strerrorname_np(errno));
    return 1;
}

static int reached(const char *marker)
{
    if (access(marker, F_OK) == 0) {
        printf("ESCAPED %s is reachable\n", marker);
        return 0;
    }
    printf("CONTAINED %s is not reachable (%s)\n", marker, strerrorname_np(errno));
    return 1;
}

/* Leaves a chroot by walking up from a directory outside it, then makes that the root. */
static int walk_out(void)
{
    for (int i = 0; i < 64; i++)
        if (chdir("..") < 0)
            return blocked("chdir(..)");
    if (chroot(".") < 0)
        return blocked("chroot(.)");
    return 0;
}

static int chroot_walk(const char *jail, const char *marker)
{
    if (mkdir(jail, 0700) < 0 && errno != EEXIST)
        return blocked("mkdir(jail)");
    if (chroot(jail) < 0)
        return blocked("chroot(jail)");
    /* The working directory stayed outside the new root: the classic hole. */
    return walk_out() != 0 ? 1 : reached(marker);
}

static int fchdir_walk(const char *jail, const char *marker)
{
    int outside = open("/", O_RDONLY | O_DIRECTORY);
    if (outside < 0)
        return blocked("open(/)");
    if (mkdir(jail, 0700) < 0 && errno != EEXIST)
        return blocked("mkdir(jail)");
    if (chroot(jail) < 0 || chdir("/") < 0)
        return blocked("chroot(jail)");
    if (fchdir(outside) < 0)
        return blocked("fchdir(/ of before)");
    return walk_out() != 0 ? 1 : reached(marker);
}

/* Every /proc/PID/root and /proc/PID/cwd this process can see, looked through for the marker. */
static int proc_walk(const char *marker, const char *marker_name)
{
    DIR *proc = opendir("/proc");
    if (proc == NULL)
        return blocked("opendir(/proc)");
    int seen = 0;
    struct dirent *e;
    char path[PATH_MAX];
    while ((e = readdir(proc)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        seen++;
        snprintf(path, sizeof path, "/proc/%s/root%s", e->d_name, marker);
        if (access(path, F_OK) == 0) {
            printf("ESCAPED %s is reachable\n", path);
            return 0;
        }
        snprintf(path, sizeof path, "/proc/%s/cwd/%s", e->d_name, marker_name);
        if (access(path, F_OK) == 0) {
            printf("ESCAPED %s is reachable\n", path);
            return 0;
        }
    }
    printf("CONTAINED %s not reachable through the root or cwd of the %d processes visible\n", marker, seen);
    return 1;
}

/* Descriptors beyond stdin, stdout and stderr that this process got from whoever started it. */
static int inherited_fds(void)
{
    int found = 0;
    char path[64], target[PATH_MAX];
    for (int fd = 3; fd < 1024; fd++) {
        if (fcntl(fd, F_GETFD) < 0)
            continue;
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        ssize_t len = readlink(path, target, sizeof target - 1);
        target[len < 0 ? 0 : len] = '\0';
        printf("%sfd %d -> %s", found++ ? ", " : "ESCAPED inherited ", fd, target);
    }
    if (found) {
        printf("\n");
        return 0;
    }
    char cwd[PATH_MAX];
    printf("CONTAINED no inherited descriptor; cwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : "(unreachable)");
    return 1;
}

static int open_exe(const char *pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/exe", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return blocked("open(/proc/PID/exe)");
    char elf[4];
    if (read(fd, elf, 4) != 4 || memcmp(elf, "\177ELF", 4) != 0)
        return blocked("read(/proc/PID/exe)");
    printf("ESCAPED read the runtime's binary through %s\n", path);
    return 0;
}

static int pivot_root_tmp(void)
{
    if (chdir("/tmp") < 0)
        return blocked("chdir(/tmp)");
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        return blocked("pivot_root(/tmp)");
    printf("ESCAPED pivot_root(/tmp) succeeded\n");
    return 0;
}

static int mount_tmpfs(const char *dir)
{
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return blocked("mkdir");
    if (mount("tmpfs", dir, "tmpfs", 0, NULL) < 0)
        return blocked("mount(tmpfs)");
    printf("ESCAPED mounted a tmpfs on %s\n", dir);
    return 0;
}

static int remount(const char *path, unsigned long flags)
{
    if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | flags, NULL) < 0)
        return blocked("mount(MS_REMOUNT)");
    printf("ESCAPED remounted %s %s\n", path, flags & MS_RDONLY ? "read-only" : "read-write");
    return 0;
}

/* Writes back what the file holds: proves write access without changing the kernel's setting. */
static int rewrite(const char *path)
{
    char value[4096];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return blocked("open(O_RDONLY)");
    ssize_t len = read(fd, value, sizeof value);
    close(fd);
    if (len <= 0)
        return blocked("read");
    fd = open(path, O_WRONLY);
    if (fd < 0)
        return blocked("open(O_WRONLY)");
    if (write(fd, value, (size_t)len) < 0)
        return blocked("write");
    close(fd);
    printf("ESCAPED wrote %s\n", path);
    return 0;
}

/* An invalid descriptor: past the permission checks, the kernel answers EBADF (or ENOSYS without modules). */
static int load_module(void)
{
    if (syscall(SYS_finit_module, -1, "", 0) < 0 && errno == EPERM)
        return blocked("finit_module");
    printf("ESCAPED finit_module passed the permission checks (%s)\n", strerrorname_np(errno));
    return 0;
}

static int kill_pid(const char *pid)
{
    if (kill((pid_t)atol(pid), SIGKILL) < 0)
        return blocked("kill(SIGKILL)");
    printf("ESCAPED sent SIGKILL to %s\n", pid);
    return 0;
}

static int kill_everything(void)
{
    signal(SIGKILL, SIG_DFL);
    if (kill(-1, SIGKILL) < 0)
        return blocked("kill(-1, SIGKILL)");
    printf("SENT kill(-1, SIGKILL)\n");
    return 1; /* what it killed is for the caller to see from outside */
}

/* The processes kill(0, sig) reaches: a group or session whose leader has no PID in this
 * namespace (getpgrp() and getsid() say 0) holds processes outside, such as the JVM. */
static int process_group(void)
{
    pid_t group = getpgrp(), session = getsid(0);
    if (group == 0 || session == 0) {
        printf("ESCAPED process group %d, session %d led from outside the container\n", (int)group, (int)session);
        return 0;
    }
    printf("CONTAINED process group %d, session %d led inside (this is pid %d)\n", (int)group, (int)session, (int)getpid());
    return 1;
}

static int ptrace_attach(const char *pid)
{
    pid_t target = (pid_t)atol(pid);
    if (ptrace(PTRACE_ATTACH, target, NULL, NULL) < 0)
        return blocked("ptrace(PTRACE_ATTACH)");
    waitpid(target, NULL, __WALL);
    ptrace(PTRACE_DETACH, target, NULL, NULL);
    printf("ESCAPED attached to %s\n", pid);
    return 0;
}

static int effective_uid(void)
{
    if (geteuid() == 0 && getuid() != 0) {
        printf("ESCAPED uid %d became euid 0\n", (int)getuid());
        return 0;
    }
    printf("CONTAINED uid %d euid %d\n", (int)getuid(), (int)geteuid());
    return 1;
}

static void print_status_line(const char *key)
{
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    while (status != NULL && fgets(line, sizeof line, status) != NULL)
        if (strncmp(line, key, strlen(key)) == 0)
            printf(" %.*s", (int)strcspn(line, "\n"), line);
    if (status != NULL)
        fclose(status);
}

static int user_namespace(void)
{
    if (unshare(CLONE_NEWUSER) < 0)
        return blocked("unshare(CLONE_NEWUSER)");
    printf("ESCAPED a new user namespace:");
    print_status_line("CapEff");
    printf("\n");
    return 0;
}

static int block_device(const char *path, const char *major, const char *minor)
{
    if (mknod(path, S_IFBLK | 0600, makedev(atoi(major), atoi(minor))) < 0 && errno != EEXIST)
        return blocked("mknod(S_IFBLK)");
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return blocked("open(block device)");
    char sector[512];
    if (read(fd, sector, sizeof sector) != (ssize_t)sizeof sector)
        return blocked("read(block device)");
    printf("ESCAPED read the first sector of %s:%s\n", major, minor);
    return 0;
}

/* /dev/kmsg made anew: a line written to it lands in the host's kernel log, which the test reads from the host. */
static int kernel_log(const char *path, const char *line)
{
    if (mknod(path, S_IFCHR | 0600, makedev(1, 11)) < 0 && errno != EEXIST)
        return blocked("mknod(S_IFCHR)");
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return blocked("open(char device)");
    /* One record a write, ended by its newline: without one the kernel holds it back as a continued line. */
    char record[512];
    int length = snprintf(record, sizeof record, "%s\n", line);
    if (length < 0 || (size_t)length >= sizeof record || write(fd, record, (size_t)length) != length)
        return blocked("write(char device)");
    printf("ESCAPED wrote \"%s\" to the host's kernel log\n", line);
    return 0;
}

static int copy_self(const char *path)
{
    int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    char buf[65536];
    ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            return -1;
    return in >= 0 && out >= 0 && close(out) == 0 ? 0 : -1;
}

/* What would be a privilege on the host if it outlived the container, made in a bind: a setuid-root copy of this
 * program, a block device node open to all, a file granting CAP_SYS_ADMIN. Each step may fail (a plain user's
 * namespace cannot make nodes); the line says what was made. */
static int leave_privileges(const char *dir)
{
    char path[PATH_MAX];
    printf("made");
    snprintf(path, sizeof path, "%s/setuid-copy", dir);
    if (copy_self(path) == 0 && chmod(path, 04755) == 0)
        printf(" setuid-copy");
    snprintf(path, sizeof path, "%s/disk", dir);
    if (mknod(path, S_IFBLK | 0600, makedev(7, 0)) == 0 && chmod(path, 0666) == 0)
        printf(" disk");
    snprintf(path, sizeof path, "%s/capable", dir);
    struct vfs_cap_data caps = {.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE};
    caps.data[0].permitted = 1u << CAP_SYS_ADMIN;
    if (copy_self(path) == 0 && setxattr(path, "security.capability", &caps, XATTR_CAPS_SZ_2, 0) == 0)
        printf(" capable");
    printf("\n");
    return 0;
}

/* From the host: each file of DIR as "NAME TYPE MODE caps|- OWNER", or "NAME absent". */
static int inspect(const char *dir)
{
    static const char *const names[] = {"setuid-copy", "disk", "capable", "setuid-before"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[PATH_MAX];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (lstat(path, &st) < 0) {
            printf("%s absent\n", names[i]);
            continue;
        }
        bool caps = lgetxattr(path, "security.capability", NULL, 0) >= 0;
        printf("%s %s %04o %s %u\n", names[i], S_ISBLK(st.st_mode) ? "block" : S_ISREG(st.st_mode) ? "file" : "other",
               (unsigned)(st.st_mode & 07777), caps ? "caps" : "-", (unsigned)st.st_uid);
    }
    return 0;
}

static int raw_socket(void)
{
    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (fd < 0)
        return blocked("socket(SOCK_RAW)");
    struct if_nameindex *interfaces = if_nameindex();
    int others = 0;
    printf("raw socket; interfaces:");
    for (struct if_nameindex *i = interfaces; i != NULL && i->if_index != 0; i++) {
        printf(" %s", i->if_name);
        others += strcmp(i->if_name, "lo") != 0;
    }
    printf("\n%s\n", others ? "ESCAPED a raw socket on the host's interfaces" : "CONTAINED loopback only");
    return others ? 0 : 1;
}

/* vsock is not namespaced: a socket reaches the hypervisor host whatever the container's network. Only made, never
 * connected: the twin shows the door, and sends nothing to the host. */
static int vsock(void)
{
    int fd = socket(40 /* AF_VSOCK */, SOCK_STREAM, 0);
    if (fd < 0 && errno == EAFNOSUPPORT) {
        printf("UNAVAILABLE this kernel has no vsock\n");
        return 2;
    }
    if (fd < 0)
        return blocked("socket(AF_VSOCK)");
    printf("ESCAPED an AF_VSOCK socket, which reaches the hypervisor host from any network namespace\n");
    return 0;
}

static int change_network(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
        return blocked("socket");
    struct ifreq req = {0};
    snprintf(req.ifr_name, sizeof req.ifr_name, "lo");
    if (ioctl(fd, SIOCGIFMTU, &req) < 0)
        return blocked("ioctl(SIOCGIFMTU)");
    if (ioctl(fd, SIOCSIFMTU, &req) < 0) /* the same MTU: a change the kernel must first permit */
        return blocked("ioctl(SIOCSIFMTU)");
    printf("ESCAPED changed lo's MTU\n");
    return 0;
}

static int fork_bomb(const char *max_text)
{
    int max = atoi(max_text), count = 0;
    for (; count < max; count++) {
        pid_t child = fork();
        if (child < 0)
            break;
        if (child == 0) {
            pause();
            _exit(0);
        }
    }
    int err = errno;
    signal(SIGTERM, SIG_IGN);
    kill(0, SIGTERM); /* the children, not this process */
    while (wait(NULL) > 0)
        ;
    if (count < max) {
        printf("BLOCKED fork after %d children: %s\n", count, strerrorname_np(err));
        return 1;
    }
    printf("ESCAPED forked %d children\n", count);
    return 0;
}

static int memory_bomb(const char *megabytes)
{
    size_t size = (size_t)atol(megabytes) << 20;
    char *memory = malloc(size);
    if (memory == NULL)
        return blocked("malloc");
    for (size_t i = 0; i < size; i += 4096)
        memory[i] = 1;
    printf("ESCAPED touched %s MiB\n", megabytes);
    return 0;
}

static _Noreturn void ignore_sigterm(void)
{
    signal(SIGTERM, SIG_IGN);
    printf("ignoring SIGTERM\n");
    fflush(stdout);
    for (;;)
        pause();
}

static int time_namespace(void)
{
    if (unshare(CLONE_NEWTIME) < 0)
        return blocked("unshare(CLONE_NEWTIME)");
    int fd = open("/proc/self/timens_offsets", O_WRONLY);
    if (fd < 0 || write(fd, "monotonic 86400 0", 17) < 0)
        return blocked("write(/proc/self/timens_offsets)");
    printf("ESCAPED a time namespace a day ahead\n");
    return 0;
}

static int set_clock(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    /* Only ever asked where the answer is EPERM: the suite has no twin for this one. */
    if (clock_settime(CLOCK_REALTIME, &now) < 0)
        return blocked("clock_settime(CLOCK_REALTIME)");
    printf("ESCAPED set the host's clock\n");
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *c = argc > 1 ? argv[1] : "";
    const char *a = argc > 2 ? argv[2] : NULL;
    if (strcmp(c, "chroot-walk") == 0 && argc > 3) return chroot_walk(a, argv[3]);
    if (strcmp(c, "fchdir-walk") == 0 && argc > 3) return fchdir_walk(a, argv[3]);
    if (strcmp(c, "proc-walk") == 0 && argc > 3) return proc_walk(a, argv[3]);
    if (strcmp(c, "inherited-fds") == 0) return inherited_fds();
    if (strcmp(c, "open-exe") == 0 && a) return open_exe(a);
    if (strcmp(c, "pivot-root") == 0) return pivot_root_tmp();
    if (strcmp(c, "mount-tmpfs") == 0 && a) return mount_tmpfs(a);
    if (strcmp(c, "remount-ro") == 0 && a) return remount(a, MS_RDONLY);
    if (strcmp(c, "remount-rw") == 0 && a) return remount(a, 0);
    if (strcmp(c, "rewrite") == 0 && a) return rewrite(a);
    if (strcmp(c, "load-module") == 0) return load_module();
    if (strcmp(c, "kill") == 0 && a) return kill_pid(a);
    if (strcmp(c, "kill-everything") == 0) return kill_everything();
    if (strcmp(c, "process-group") == 0) return process_group();
    if (strcmp(c, "ptrace") == 0 && a) return ptrace_attach(a);
    if (strcmp(c, "euid") == 0) return effective_uid();
    if (strcmp(c, "userns") == 0) return user_namespace();
    if (strcmp(c, "block-device") == 0 && argc > 4) return block_device(a, argv[3], argv[4]);
    if (strcmp(c, "kernel-log") == 0 && argc > 3) return kernel_log(a, argv[3]);
    if (strcmp(c, "leave-privileges") == 0 && a) return leave_privileges(a);
    if (strcmp(c, "inspect") == 0 && a) return inspect(a);
    if (strcmp(c, "raw-socket") == 0) return raw_socket();
    if (strcmp(c, "vsock") == 0) return vsock();
    if (strcmp(c, "change-network") == 0) return change_network();
    if (strcmp(c, "fork-bomb") == 0 && a) return fork_bomb(a);
    if (strcmp(c, "memory-bomb") == 0 && a) return memory_bomb(a);
    if (strcmp(c, "ignore-sigterm") == 0) ignore_sigterm();
    if (strcmp(c, "time-namespace") == 0) return time_namespace();
    if (strcmp(c, "set-clock") == 0) return set_clock();
    fprintf(stderr, "usage: escape-probe TECHNIQUE [ARG...] (see the source for the list)\n");
    return 2;
}
