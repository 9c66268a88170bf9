/* The command line, parsed into one struct; what each flag means is in docs/launcher-protocol.md. */
#ifndef SANDBOX_OPTIONS_H
#define SANDBOX_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

enum subcommand { CMD_RUN, CMD_EXEC, CMD_PROBE };

enum root_kind { ROOT_NONE, ROOT_TMPFS, ROOT_OVERLAY, ROOT_COPY, ROOT_BIND };

enum mount_kind {
    OP_RO_BIND, OP_BIND, OP_DEV_BIND, OP_RO_DEV_BIND, OP_TMPFS, OP_PROC, OP_SYSFS, OP_DEV,
    OP_DIR, OP_SYMLINK, OP_MASK, OP_REMOUNT_RO,
};

struct mount_op {
    enum mount_kind kind;
    const char *src; /* host path for binds, link target for symlinks, else NULL */
    const char *dst; /* path inside the new root */
};

struct rlimit_setting {
    int resource;
    const char *name;
    struct rlimit value;
};

#define RLIMIT_SETTINGS_MAX 8

/* What the subject (run) or the entering process (exec, probe) runs with. */
struct process_options {
    uid_t uid;
    gid_t gid;
    uint64_t caps;
    bool no_new_privs;
    const char *seccomp_file;
    struct rlimit_setting rlimits[RLIMIT_SETTINGS_MAX];
    int rlimit_count;
    const char *chdir;
    char **env; /* NULL-terminated */
    int env_count;
};

struct time_offset {
    const char *clock;
    long long seconds;
};

struct options {
    enum subcommand subcommand;
    int namespaces; /* CLONE_NEW* bits: --unshare for run, --join for exec and probe */

    /* run */
    const char *state;
    enum root_kind root;
    const char *root_source;
    struct mount_op *mounts;
    int mount_count;
    bool read_only_root;
    const char *hostname;
    unsigned long long shm_size; /* bytes of /dev/shm under --dev; 0: the launcher's default */
    char *uid_map;
    char *gid_map;
    const char *uid_map_helper; /* newuidmap: writes uid_map for a user that may not map other ids itself */
    const char *gid_map_helper; /* newgidmap */
    struct time_offset *time_offsets;
    int time_offset_count;
    const char *stdout_path;
    const char *stderr_path;
    const char **cleanup;
    int cleanup_count;

    const char **device_rules; /* --device-allow: the cgroup2 device program's allowlist */
    int device_rule_count;

    /* run, exec, probe */
    const char **cgroups;
    int cgroup_count;
    struct process_options process;

    /* exec, probe */
    pid_t target;

    char **command; /* run, exec: NULL-terminated argv, or NULL; probe: the probe and its arguments */
};

void options_parse(int argc, char **argv, enum subcommand subcommand, struct options *out);

#endif
