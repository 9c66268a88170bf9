#include "capabilities.h"

#include "failure.h"

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Indexed by capability number, as in linux/capability.h. */
static const char *const capability_names[] = {
    "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid",
    "setpcap", "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw",
    "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
    "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod",
    "lease", "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog",
    "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};
#define CAPABILITY_COUNT ((int)(sizeof capability_names / sizeof capability_names[0]))

uint64_t capabilities_parse(const char *list)
{
    if (strcmp(list, "none") == 0)
        return 0;
    uint64_t caps = 0;
    const char *p = list;
    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        int found = -1;
        for (int i = 0; i < CAPABILITY_COUNT; i++)
            if (strlen(capability_names[i]) == len && strncasecmp(p, capability_names[i], len) == 0)
                found = i;
        if (found < 0)
            usage_error("--caps: unknown capability '%.*s' in '%s'; accepted: 'none' or names without cap_ "
                        "(chown,dac_override,kill,net_bind_service,sys_admin,...)",
                        (int)len, p, list);
        caps |= UINT64_C(1) << found;
        p += len;
        if (*p == ',')
            p++;
    }
    return caps;
}

int capabilities_limit_bounding(uint64_t caps)
{
    for (int cap = 0; cap < 64; cap++) {
        if (caps & (UINT64_C(1) << cap))
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
            if (errno == EINVAL) /* beyond the kernel's last capability */
                break;
            return fail("prctl(PR_CAPBSET_DROP, %d)", cap);
        }
    }
    return 0;
}

bool capabilities_effective(int cap)
{
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) < 0)
        return false;
    return (data[cap / 32].effective >> (cap % 32)) & 1U;
}

int capabilities_set(uint64_t caps)
{
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    for (int i = 0; i < 2; i++) {
        uint32_t word = (uint32_t)(caps >> (32 * i));
        data[i].effective = word;
        data[i].permitted = word;
        data[i].inheritable = word;
    }
    if (syscall(SYS_capset, &header, data) < 0)
        return fail("capset(0x%llx)", (unsigned long long)caps);
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
        return fail("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
    return 0;
}
