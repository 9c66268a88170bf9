#include "options.h"

#include "capabilities.h"
#include "device_program.h"
#include "failure.h"
#include "namespaces.h"
#include "resource_limits.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

/* Which subcommands accept a flag. */
#define FOR_RUN 1u
#define FOR_ENTER 2u /* exec and probe */
#define FOR_ALL (FOR_RUN | FOR_ENTER)

struct flag {
    const char *name;
    int arity;
    unsigned scope;
    void (*apply)(struct options *o, char **values, const char *name);
};

static unsigned long parse_number(const char *text, const char *flag, unsigned long max)
{
    char *end;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || value > max)
        usage_error("%s: '%s' is not a number from 0 to %lu", flag, text, max);
    return value;
}

static void add_mount(struct options *o, enum mount_kind kind, const char *src, const char *dst, const char *flag)
{
    if (dst[0] != '/')
        usage_error("%s: '%s' is not an absolute path inside the new root", flag, dst);
    o->mounts[o->mount_count++] = (struct mount_op){.kind = kind, .src = src, .dst = dst};
}

static void set_root(struct options *o, enum root_kind kind, const char *source, const char *flag)
{
    if (o->root != ROOT_NONE)
        usage_error("%s: only one of --root-tmpfs, --root-overlay, --root-copy, --root-bind may be given", flag);
    o->root = kind;
    o->root_source = source;
}

static char *append_line(char *map, const char *line)
{
    size_t old = map != NULL ? strlen(map) : 0;
    char *grown = realloc(map, old + strlen(line) + 2);
    if (grown == NULL)
        usage_error("out of memory");
    strcpy(grown + old, line);
    strcat(grown + old, "\n");
    return grown;
}

static void f_namespaces(struct options *o, char **v, const char *n) { o->namespaces = namespaces_parse(v[0], n); }
static void f_state(struct options *o, char **v, const char *n) { (void)n; o->state = v[0]; }
static void f_root_tmpfs(struct options *o, char **v, const char *n) { (void)v; set_root(o, ROOT_TMPFS, NULL, n); }
static void f_root_overlay(struct options *o, char **v, const char *n) { set_root(o, ROOT_OVERLAY, v[0], n); }
static void f_root_copy(struct options *o, char **v, const char *n) { set_root(o, ROOT_COPY, v[0], n); }
static void f_root_bind(struct options *o, char **v, const char *n) { set_root(o, ROOT_BIND, v[0], n); }
static void f_ro_bind(struct options *o, char **v, const char *n) { add_mount(o, OP_RO_BIND, v[0], v[1], n); }
static void f_bind(struct options *o, char **v, const char *n) { add_mount(o, OP_BIND, v[0], v[1], n); }
static void f_dev_bind(struct options *o, char **v, const char *n) { add_mount(o, OP_DEV_BIND, v[0], v[1], n); }
static void f_ro_dev_bind(struct options *o, char **v, const char *n) { add_mount(o, OP_RO_DEV_BIND, v[0], v[1], n); }
static void f_tmpfs(struct options *o, char **v, const char *n) { add_mount(o, OP_TMPFS, NULL, v[0], n); }
static void f_proc(struct options *o, char **v, const char *n) { add_mount(o, OP_PROC, NULL, v[0], n); }
static void f_sysfs(struct options *o, char **v, const char *n) { add_mount(o, OP_SYSFS, NULL, v[0], n); }
static void f_dev(struct options *o, char **v, const char *n) { add_mount(o, OP_DEV, NULL, v[0], n); }
static void f_dir(struct options *o, char **v, const char *n) { add_mount(o, OP_DIR, NULL, v[0], n); }
static void f_symlink(struct options *o, char **v, const char *n) { add_mount(o, OP_SYMLINK, v[0], v[1], n); }
static void f_mask(struct options *o, char **v, const char *n) { add_mount(o, OP_MASK, NULL, v[0], n); }
static void f_remount_ro(struct options *o, char **v, const char *n) { add_mount(o, OP_REMOUNT_RO, NULL, v[0], n); }
static void f_read_only_root(struct options *o, char **v, const char *n) { (void)v; (void)n; o->read_only_root = true; }
static void f_shm_size(struct options *o, char **v, const char *n)
{
    o->shm_size = parse_number(v[0], n, 1UL << 40);
    if (o->shm_size == 0)
        usage_error("%s: 0 is not a size; give bytes, at least 1", n);
}
static void f_hostname(struct options *o, char **v, const char *n) { (void)n; o->hostname = v[0]; }
static void f_uid_map(struct options *o, char **v, const char *n) { (void)n; o->uid_map = append_line(o->uid_map, v[0]); }
static void f_gid_map(struct options *o, char **v, const char *n) { (void)n; o->gid_map = append_line(o->gid_map, v[0]); }
static void f_id_map_helpers(struct options *o, char **v, const char *n)
{
    (void)n;
    o->uid_map_helper = v[0];
    o->gid_map_helper = v[1];
}
static void f_cgroup(struct options *o, char **v, const char *n) { (void)n; o->cgroups[o->cgroup_count++] = v[0]; }
static void f_device_allow(struct options *o, char **v, const char *n)
{
    if (!device_rule_valid(v[0]))
        usage_error("%s: '%s' is not TYPE MAJOR:MINOR ACCESS (a, b or c; numbers or *; a subset of rwm), e.g. 'c 1:3 rwm'", n, v[0]);
    o->device_rules[o->device_rule_count++] = v[0];
}
static void f_stdout(struct options *o, char **v, const char *n) { (void)n; o->stdout_path = v[0]; }
static void f_stderr(struct options *o, char **v, const char *n) { (void)n; o->stderr_path = v[0]; }
static void f_cleanup(struct options *o, char **v, const char *n) { (void)n; o->cleanup[o->cleanup_count++] = v[0]; }

static void f_time_offset(struct options *o, char **v, const char *n)
{
    if (strcmp(v[0], "monotonic") != 0 && strcmp(v[0], "boottime") != 0)
        usage_error("%s: unknown clock '%s'; accepted: monotonic, boottime", n, v[0]);
    char *end;
    errno = 0;
    long long seconds = strtoll(v[1], &end, 10);
    if (errno != 0 || end == v[1] || *end != '\0')
        usage_error("%s: '%s' is not a number of seconds", n, v[1]);
    o->time_offsets[o->time_offset_count++] = (struct time_offset){.clock = v[0], .seconds = seconds};
}

static void f_target(struct options *o, char **v, const char *n)
{
    o->target = (pid_t)parse_number(v[0], n, 4194304);
    if (o->target == 0)
        usage_error("%s: 0 is not a process", n);
}

static void f_uid(struct options *o, char **v, const char *n) { o->process.uid = (uid_t)parse_number(v[0], n, 4294967294UL); }
static void f_gid(struct options *o, char **v, const char *n) { o->process.gid = (gid_t)parse_number(v[0], n, 4294967294UL); }
static void f_caps(struct options *o, char **v, const char *n) { (void)n; o->process.caps = capabilities_parse(v[0]); }
static void f_no_new_privs(struct options *o, char **v, const char *n) { (void)v; (void)n; o->process.no_new_privs = true; }
static void f_seccomp(struct options *o, char **v, const char *n) { (void)n; o->process.seccomp_file = v[0]; }
static void f_chdir(struct options *o, char **v, const char *n)
{
    if (v[0][0] != '/')
        usage_error("%s: '%s' is not an absolute path", n, v[0]);
    o->process.chdir = v[0];
}

static void f_rlimit(struct options *o, char **v, const char *n)
{
    struct rlimit_setting setting = resource_limits_parse(v[0]);
    for (int i = 0; i < o->process.rlimit_count; i++)
        if (o->process.rlimits[i].resource == setting.resource)
            usage_error("%s: %s given twice", n, setting.name);
    o->process.rlimits[o->process.rlimit_count++] = setting;
}

static void f_env(struct options *o, char **v, const char *n)
{
    const char *eq = strchr(v[0], '=');
    if (eq == NULL || eq == v[0])
        usage_error("%s: '%s' is not KEY=VALUE with a non-empty KEY", n, v[0]);
    o->process.env[o->process.env_count++] = v[0];
}

static const struct flag flags[] = {
    {"--unshare", 1, FOR_RUN, f_namespaces},
    {"--state", 1, FOR_RUN, f_state},
    {"--root-tmpfs", 0, FOR_RUN, f_root_tmpfs},
    {"--root-overlay", 1, FOR_RUN, f_root_overlay},
    {"--root-copy", 1, FOR_RUN, f_root_copy},
    {"--root-bind", 1, FOR_RUN, f_root_bind},
    {"--ro-bind", 2, FOR_RUN, f_ro_bind},
    {"--bind", 2, FOR_RUN, f_bind},
    {"--dev-bind", 2, FOR_RUN, f_dev_bind},
    {"--ro-dev-bind", 2, FOR_RUN, f_ro_dev_bind},
    {"--tmpfs", 1, FOR_RUN, f_tmpfs},
    {"--proc", 1, FOR_RUN, f_proc},
    {"--sysfs", 1, FOR_RUN, f_sysfs},
    {"--dev", 1, FOR_RUN, f_dev},
    {"--dir", 1, FOR_RUN, f_dir},
    {"--symlink", 2, FOR_RUN, f_symlink},
    {"--mask", 1, FOR_RUN, f_mask},
    {"--remount-ro", 1, FOR_RUN, f_remount_ro},
    {"--read-only-root", 0, FOR_RUN, f_read_only_root},
    {"--hostname", 1, FOR_RUN, f_hostname},
    {"--shm-size", 1, FOR_RUN, f_shm_size},
    {"--uid-map", 1, FOR_RUN, f_uid_map},
    {"--gid-map", 1, FOR_RUN, f_gid_map},
    {"--id-map-helpers", 2, FOR_RUN, f_id_map_helpers},
    {"--time-offset", 2, FOR_RUN, f_time_offset},
    {"--stdout", 1, FOR_RUN, f_stdout},
    {"--stderr", 1, FOR_RUN, f_stderr},
    {"--cleanup", 1, FOR_RUN, f_cleanup},
    {"--cgroup", 1, FOR_ALL, f_cgroup},
    {"--device-allow", 1, FOR_RUN, f_device_allow},
    {"--join", 1, FOR_ENTER, f_namespaces},
    {"--target", 1, FOR_ENTER, f_target},
    {"--uid", 1, FOR_ALL, f_uid},
    {"--gid", 1, FOR_ALL, f_gid},
    {"--caps", 1, FOR_ALL, f_caps},
    {"--no-new-privs", 0, FOR_ALL, f_no_new_privs},
    {"--seccomp", 1, FOR_ALL, f_seccomp},
    {"--rlimit", 1, FOR_ALL, f_rlimit},
    {"--chdir", 1, FOR_ALL, f_chdir},
    {"--env", 1, FOR_ALL, f_env},
};

static const char *subcommand_name(enum subcommand s)
{
    return s == CMD_RUN ? "run" : s == CMD_EXEC ? "exec" : "probe";
}

/* A mount plan is only meaningful inside a new mount namespace on a new root. */
static void check_run(const struct options *o)
{
    bool has_root = o->root != ROOT_NONE;
    if (!(o->namespaces & CLONE_NEWNS) && (has_root || o->mount_count > 0 || o->read_only_root))
        usage_error("run: mount flags need a new mount namespace (--unshare ...,mnt)");
    if (!has_root && (o->mount_count > 0 || o->read_only_root))
        usage_error("run: mount flags need a new root: --root-tmpfs, --root-overlay LOWER, --root-copy DIR or --root-bind DIR");
    if (has_root && o->state == NULL)
        usage_error("run: a new root needs --state DIR (an existing empty directory to stage it on)");
    if (o->hostname != NULL && !(o->namespaces & CLONE_NEWUTS))
        usage_error("run: --hostname needs a new uts namespace (--unshare ...,uts)");
    if ((o->uid_map != NULL || o->gid_map != NULL) && !(o->namespaces & CLONE_NEWUSER))
        usage_error("run: --uid-map/--gid-map need a new user namespace (--unshare ...,user)");
    if (o->uid_map_helper != NULL && (o->uid_map == NULL || o->gid_map == NULL))
        usage_error("run: --id-map-helpers needs the maps they write: --uid-map and --gid-map");
    if (o->device_rule_count > 0 && o->cgroup_count == 0)
        usage_error("run: --device-allow needs the cgroup2 directory it guards (--cgroup DIR)");
    if (o->time_offset_count > 0 && !(o->namespaces & CLONE_NEWTIME))
        usage_error("run: --time-offset needs a new time namespace (--unshare ...,time)");
}

static void check_enter(const struct options *o)
{
    if (o->target == 0)
        usage_error("%s: --target PID is required (the host pid of the container's PID 1)", subcommand_name(o->subcommand));
    if (o->subcommand == CMD_EXEC && o->command == NULL)
        usage_error("exec: a command is required after --");
    if (o->subcommand == CMD_PROBE) {
        const char *probe = o->command != NULL ? o->command[0] : NULL;
        int args = 0;
        while (probe != NULL && o->command[args + 1] != NULL)
            args++;
        bool ok = probe != NULL && ((strcmp(probe, "kill") == 0 && args == 2) ||
                                    ((strcmp(probe, "pids") == 0 || strcmp(probe, "hostname") == 0 ||
                                      strcmp(probe, "creds") == 0) && args == 0));
        if (!ok)
            usage_error("probe: expected one of: pids | hostname | kill PID SIGNAL | creds");
    }
}

void options_parse(int argc, char **argv, enum subcommand subcommand, struct options *o)
{
    memset(o, 0, sizeof *o);
    o->subcommand = subcommand;
    size_t n = (size_t)argc + 1;
    o->mounts = calloc(n, sizeof *o->mounts);
    o->time_offsets = calloc(n, sizeof *o->time_offsets);
    o->cleanup = calloc(n, sizeof *o->cleanup);
    o->cgroups = calloc(n, sizeof *o->cgroups);
    o->device_rules = calloc(n, sizeof *o->device_rules);
    o->process.env = calloc(n, sizeof *o->process.env);
    if (!o->mounts || !o->time_offsets || !o->cleanup || !o->cgroups || !o->device_rules || !o->process.env)
        usage_error("out of memory");
    o->process.chdir = "/";
    unsigned scope = subcommand == CMD_RUN ? FOR_RUN : FOR_ENTER;

    int i = 0;
    while (i < argc) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (strncmp(arg, "--", 2) != 0)
            break;
        const struct flag *f = NULL;
        for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
            if (strcmp(flags[k].name, arg) == 0)
                f = &flags[k];
        if (f == NULL)
            usage_error("%s: unknown flag %s", subcommand_name(subcommand), arg);
        if (!(f->scope & scope))
            usage_error("%s: %s is not accepted here (%s only)", subcommand_name(subcommand), arg,
                        f->scope == FOR_RUN ? "run" : "exec and probe");
        if (i + f->arity >= argc)
            usage_error("%s: %s needs %d argument%s", subcommand_name(subcommand), arg, f->arity, f->arity > 1 ? "s" : "");
        if (o->process.rlimit_count == RLIMIT_SETTINGS_MAX && f->apply == f_rlimit)
            usage_error("--rlimit: at most %d limits", RLIMIT_SETTINGS_MAX);
        f->apply(o, &argv[i + 1], arg);
        i += 1 + f->arity;
    }
    if (i < argc)
        o->command = &argv[i];
    if (subcommand == CMD_RUN)
        check_run(o);
    else
        check_enter(o);
}
