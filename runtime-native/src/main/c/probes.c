#include "probes.h"

#include "errno_name.h"
#include "failure.h"
#include "resource_limits.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Reads a whole small /proc file; returns its length, or -1. */
static ssize_t read_small(int dir, const char *path, char *buf, size_t size)
{
    int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t used = 0;
    ssize_t n;
    while (used < size - 1 && (n = read(fd, buf + used, size - 1 - used)) > 0)
        used += (size_t)n;
    close(fd);
    buf[used] = '\0';
    return (ssize_t)used;
}

/* The value of "Key:\tvalue" in a /proc status text, up to the end of line. */
static void status_field(const char *status, const char *key, char *out, size_t size)
{
    size_t key_len = strlen(key);
    out[0] = '\0';
    for (const char *line = status; line != NULL && *line != '\0';) {
        if (strncmp(line, key, key_len) == 0 && line[key_len] == ':') {
            const char *v = line + key_len + 1;
            while (*v == '\t' || *v == ' ')
                v++;
            size_t len = strcspn(v, "\n");
            snprintf(out, size, "%.*s", (int)len, v);
            return;
        }
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
}

/* One process is one line of tab-separated fields: NULs between arguments, and any tab or newline
 * a program put in its arguments or name, would break that, so they become spaces. */
static void blank_control_characters(char *text, ssize_t len)
{
    for (ssize_t i = 0; i < len; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
            text[i] = ' ';
}

static int probe_pids(void)
{
    DIR *proc = opendir("/proc");
    if (proc == NULL)
        return fail("opendir(/proc)");
    pid_t self = getpid();
    struct dirent *e;
    while ((e = readdir(proc)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0]) || atoi(e->d_name) == self)
            continue;
        char path[sizeof e->d_name + 16], status[4096], cmdline[4096], uid[64], state[64], name[64];
        snprintf(path, sizeof path, "%s/status", e->d_name);
        if (read_small(dirfd(proc), path, status, sizeof status) < 0)
            continue; /* gone meanwhile */
        snprintf(path, sizeof path, "%s/cmdline", e->d_name);
        ssize_t len = read_small(dirfd(proc), path, cmdline, sizeof cmdline);
        blank_control_characters(cmdline, len);
        while (len > 0 && cmdline[len - 1] == ' ')
            cmdline[--len] = '\0';
        status_field(status, "Uid", uid, sizeof uid);
        status_field(status, "State", state, sizeof state);
        status_field(status, "Name", name, sizeof name);
        blank_control_characters(name, (ssize_t)strlen(name));
        printf("%s\t%.*s\t%.1s\t%s\t%s\n", e->d_name, (int)strcspn(uid, "\t"), uid, state, name, len > 0 ? cmdline : "");
    }
    closedir(proc);
    return 0;
}

static int probe_hostname(void)
{
    struct utsname u;
    if (uname(&u) < 0)
        return fail("uname");
    printf("%s\n", u.nodename);
    return 0;
}

static int parse_signal(const char *text)
{
    static const struct {
        const char *name;
        int number;
    } names[] = {
        {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"KILL", SIGKILL}, {"USR1", SIGUSR1},
        {"USR2", SIGUSR2}, {"TERM", SIGTERM}, {"STOP", SIGSTOP}, {"CONT", SIGCONT},
    };
    char *end;
    long number = strtol(text, &end, 10);
    if (end != text && *end == '\0' && number >= 0 && number < NSIG)
        return (int)number;
    const char *name = strncmp(text, "SIG", 3) == 0 ? text + 3 : text;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0)
            return names[i].number;
    return -1;
}

static int probe_kill(const char *pid_text, const char *signal_text)
{
    char *end;
    long pid = strtol(pid_text, &end, 10);
    if (end == pid_text || *end != '\0' || pid <= 0)
        return fail_with(EINVAL, "probe kill: pid '%s' (accepted: a positive number)", pid_text);
    int sig = parse_signal(signal_text);
    if (sig < 0)
        return fail_with(EINVAL, "probe kill: signal '%s' (accepted: a number, or HUP INT QUIT KILL USR1 USR2 TERM STOP CONT)",
                         signal_text);
    if (kill((pid_t)pid, sig) == 0)
        printf("ALLOWED\n");
    else if (errno == ESRCH || errno == EPERM)
        printf("%s\n", errno_name(errno));
    else
        return fail("kill(%ld, %d)", pid, sig);
    return 0;
}

static void print_limit(rlim_t value)
{
    if (value == RLIM_INFINITY)
        printf("unlimited");
    else
        printf("%llu", (unsigned long long)value);
}

static int probe_creds(int host_proc)
{
    char status[8192], value[256];
    /* The host's procfs knows this process whatever the container mounted: "self" resolves to our host pid. */
    if (read_small(host_proc, "self/status", status, sizeof status) < 0)
        return fail("open(/proc/self/status)");
    printf("uid\t%u\ngid\t%u\ngroups\t", (unsigned)getuid(), (unsigned)getgid());
    gid_t groups[256];
    int count = getgroups(256, groups);
    for (int i = 0; i < count; i++)
        printf("%s%u", i > 0 ? "," : "", (unsigned)groups[i]);
    printf("\n");
    static const char *const fields[] = {"CapEff", "CapPrm", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        status_field(status, fields[i], value, sizeof value);
        printf("%s\t%s\n", fields[i], value);
    }
    printf("hostname\t");
    if (probe_hostname() < 0)
        return -1;
    int resource;
    const char *name;
    for (int i = 0; (name = resource_limits_name(i, &resource)) != NULL; i++) {
        struct rlimit limit;
        if (getrlimit(resource, &limit) < 0)
            return fail("getrlimit(%s)", name);
        printf("rlimit.%s\t", name);
        print_limit(limit.rlim_cur);
        printf(":");
        print_limit(limit.rlim_max);
        printf("\n");
    }
    return 0;
}

int probe_run(char **args, int host_proc)
{
    int rc;
    if (strcmp(args[0], "pids") == 0)
        rc = probe_pids();
    else if (strcmp(args[0], "hostname") == 0)
        rc = probe_hostname();
    else if (strcmp(args[0], "kill") == 0)
        rc = probe_kill(args[1], args[2]);
    else
        rc = probe_creds(host_proc);
    if (rc < 0)
        return -1;
    if (fflush(stdout) != 0)
        return fail("write(stdout)");
    return 0;
}
