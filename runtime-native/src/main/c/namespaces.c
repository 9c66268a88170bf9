#include "namespaces.h"

#include "failure.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
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

int namespaces_write_id_maps(pid_t child, const char *uid_map, const char *gid_map)
{
    char uid_default[64], gid_default[64];
    snprintf(uid_default, sizeof uid_default, "0 %u 1\n", (unsigned)geteuid());
    snprintf(gid_default, sizeof gid_default, "0 %u 1\n", (unsigned)getegid());
    /* An unprivileged writer may only map its own gid once setgroups is denied. */
    if (geteuid() != 0 && write_file(child, "setgroups", "deny") < 0)
        return -1;
    if (write_file(child, "uid_map", uid_map != NULL ? uid_map : uid_default) < 0)
        return -1;
    return write_file(child, "gid_map", gid_map != NULL ? gid_map : gid_default);
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
