/* The device allowlist on cgroup v2, which has no devices files: a BPF_PROG_TYPE_CGROUP_DEVICE program, as crun and runc
 * attach, that allows what one of the rules allows and denies everything else. */
#ifndef SANDBOX_DEVICE_PROGRAM_H
#define SANDBOX_DEVICE_PROGRAM_H

/* Loads the program for rules (each in devices.allow's form: "c 1:3 rwm", "b *:* m") and attaches it to the cgroup2
 * directory dir with BPF_F_ALLOW_MULTI, so that programs of its ancestors (systemd's) still hold too. The program stays
 * attached for the cgroup's life: no descriptor needs to be kept. Needs CAP_SYS_ADMIN (or CAP_BPF) on the host. */
int device_program_attach(const char *dir, const char *const *rules, int count);

/* Whether text is a rule in that form; options.c checks each --device-allow with it. */
int device_rule_valid(const char *text);

#endif
