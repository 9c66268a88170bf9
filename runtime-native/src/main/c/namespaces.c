#include "namespaces.h"

#include "failure.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* User first: the order namespaces_enter needs. */
static const struct {
    const char *name;
    int flag;
} namespace_table[NAMESPACE_COUNT] = {
    {"user", CLONE_NEWUSER}, {"pid", CLONE_NEWPID}, {"uts", CLONE_NEWUTS},       {"ipc", CLONE_NEWIPC},
    {"mnt", CLONE_NEWNS},    {"net", CLONE_NEWNET}, {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

int namespaces_parse(const char *list, const char *flag)
{
    int flags = 0;
    const char *p = list;
    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        int found = 0;
        for (int i = 0; i < NAMESPACE_COUNT; i++) {
            if (strlen(namespace_table[i].name) == len && strncmp(p, namespace_table[i].name, len) == 0) {
                flags |= namespace_table[i].flag;
                found = 1;
            }
        }
        if (!found)
            usage_error("%s: unknown namespace '%.*s' in '%s'; accepted: pid,uts,ipc,mnt,net,cgroup,user,time",
                        flag, (int)len, p, list);
        p += len;
        if (*p == ',')
            p++;
    }
    return flags;
}

void namespaces_describe(int namespaces, char *buf, unsigned long size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < NAMESPACE_COUNT; i++)
        if ((namespaces & namespace_table[i].flag) && used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used > 0 ? "," : "", namespace_table[i].name);
}

static int write_file(pid_t pid, const char *name, const char *content)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return fail("open(%s)", path);
    ssize_t len = (ssize_t)strlen(content);
    ssize_t n = write(fd, content, (size_t)len);
    int err = errno;
    close(fd);
    if (n != len)
        return fail_with(n < 0 ? err : EIO, "write(%s)", path);
    return 0;
}

/* The longest map the helpers are given: the kernel takes at most 340 lines; two or three are what the runtime sends. */
#define ID_MAP_TOKENS_MAX 30

/* Runs a setuid map helper (newuidmap PID IN OUT COUNT ...) and reports its refusal with the first line it printed. */
static int run_id_map_helper(const char *helper, pid_t child, const char *map)
{
    char pid_text[16], map_copy[512], message[256];
    char *argv[ID_MAP_TOKENS_MAX + 3];
    int argc = 0;
    if (strlen(map) >= sizeof map_copy)
        return fail_with(E2BIG, "%s(%s)", helper, map);
    snprintf(pid_text, sizeof pid_text, "%d", (int)child);
    strcpy(map_copy, map);
    argv[argc++] = (char *)helper;
    argv[argc++] = pid_text;
    for (char *save = NULL, *token = strtok_r(map_copy, " \n", &save); token != NULL; token = strtok_r(NULL, " \n", &save)) {
        if (argc == ID_MAP_TOKENS_MAX + 2)
            return fail_with(E2BIG, "%s(%s)", helper, map);
        argv[argc++] = token;
    }
    argv[argc] = NULL;

    int out[2];
    if (pipe2(out, O_CLOEXEC) < 0)
        return fail("pipe2(%s output)", helper);
    pid_t pid = fork();
    if (pid < 0) {
        close(out[0]);
        close(out[1]);
        return fail("fork(%s)", helper);
    }
    if (pid == 0) {
        if (dup2(out[1], STDOUT_FILENO) >= 0 && dup2(out[1], STDERR_FILENO) >= 0)
            execv(helper, argv);
        _exit(127);
    }
    close(out[1]);
    ssize_t n, len = 0;
    while ((n = read(out[0], message + len, sizeof message - 1 - (size_t)len)) > 0 || (n < 0 && errno == EINTR))
        len += n > 0 ? n : 0;
    close(out[0]);
    message[len] = '\0';
    message[strcspn(message, "\n")] = '\0';
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return fail("waitpid(%s)", helper);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    for (char *c = map_copy, *end = map_copy + strlen(map); c < end; c++)
        if (*c == '\0' || *c == '\n')
            *c = ' ';
    return fail_with(EPERM, "%s(%d %s): %s %d: %s", helper, (int)child, map_copy, WIFEXITED(status) ? "exit" : "signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), len > 0 ? message : "(no message)");
}

int namespaces_write_id_maps(pid_t child, const struct options *o)
{
    if (o->uid_map_helper != NULL) {
        if (run_id_map_helper(o->uid_map_helper, child, o->uid_map) < 0)
            return -1;
        return run_id_map_helper(o->gid_map_helper, child, o->gid_map);
    }
    char uid_default[64], gid_default[64];
    snprintf(uid_default, sizeof uid_default, "0 %u 1\n", (unsigned)geteuid());
    snprintf(gid_default, sizeof gid_default, "0 %u 1\n", (unsigned)getegid());
    /* An unprivileged writer may only map its own gid once setgroups is denied. */
    if (geteuid() != 0 && write_file(child, "setgroups", "deny") < 0)
        return -1;
    if (write_file(child, "uid_map", o->uid_map != NULL ? o->uid_map : uid_default) < 0)
        return -1;
    return write_file(child, "gid_map", o->gid_map != NULL ? o->gid_map : gid_default);
}

int namespaces_setgroups_allowed(pid_t pid, bool *allowed)
{
    char path[64], content[16] = {0};
    snprintf(path, sizeof path, "/proc/%d/setgroups", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail("open(%s)", path);
    ssize_t n = read(fd, content, sizeof content - 1);
    int err = errno;
    close(fd);
    if (n < 0)
        return fail_with(err, "read(%s)", path);
    *allowed = strncmp(content, "allow", 5) == 0;
    return 0;
}

int namespaces_open(pid_t target, int namespaces, struct namespace_fds *out)
{
    for (int i = 0; i < NAMESPACE_COUNT; i++) {
        out->fd[i] = -1;
        if (!(namespaces & namespace_table[i].flag))
            continue;
        /* PID 1 unshared its time namespace for its children: its own is still the host's. */
        const char *name = namespace_table[i].flag == CLONE_NEWTIME ? "time_for_children" : namespace_table[i].name;
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)target, name);
        out->fd[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (out->fd[i] < 0)
            return fail("open(%s)", path);
    }
    return 0;
}

int namespaces_enter(struct namespace_fds *fds)
{
    for (int i = 0; i < NAMESPACE_COUNT; i++) {
        if (fds->fd[i] < 0)
            continue;
        if (setns(fds->fd[i], namespace_table[i].flag) < 0)
            return fail("setns(%s)", namespace_table[i].name);
        close(fds->fd[i]);
        fds->fd[i] = -1;
    }
    return 0;
}
