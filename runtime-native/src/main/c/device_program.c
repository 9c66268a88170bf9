#include "device_program.h"

#include "failure.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct device_rule {
    char type;      /* 'a', 'b' or 'c' */
    long major;     /* -1: any */
    long minor;     /* -1: any */
    unsigned access; /* BPF_DEVCG_ACC_* bits */
};

static int parse_number(const char *text, long *out)
{
    if (strcmp(text, "*") == 0) {
        *out = -1;
        return 0;
    }
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 0 || value > 0xfffff)
        return -1;
    *out = value;
    return 0;
}

static int parse_rule(const char *text, struct device_rule *rule)
{
    char type, major[16], minor[16], access[8];
    char rest;
    if (sscanf(text, "%c %15[0-9*]:%15[0-9*] %7[rwm]%c", &type, major, minor, access, &rest) != 4)
        return -1;
    if ((type != 'a' && type != 'b' && type != 'c') || parse_number(major, &rule->major) < 0 ||
        parse_number(minor, &rule->minor) < 0)
        return -1;
    rule->type = type;
    rule->access = 0;
    for (const char *c = access; *c != '\0'; c++)
        rule->access |= *c == 'r' ? BPF_DEVCG_ACC_READ : *c == 'w' ? BPF_DEVCG_ACC_WRITE : BPF_DEVCG_ACC_MKNOD;
    return 0;
}

int device_rule_valid(const char *text)
{
    struct device_rule rule;
    return parse_rule(text, &rule) == 0;
}

static struct bpf_insn insn(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
    return (struct bpf_insn){.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

/* Appends the checks of one rule: each test that fails jumps past the rule's "return 1", to the next rule. */
static int append_rule(struct bpf_insn *p, const struct device_rule *r)
{
    struct bpf_insn checks[4];
    int n = 0;
    if (r->type != 'a')
        checks[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 0, r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
    if (r->major >= 0)
        checks[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 0, (__s32)r->major);
    if (r->minor >= 0)
        checks[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0, (__s32)r->minor);
    int len = 0;
    unsigned all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
    bool partial = (r->access & all) != all;
    int total = n + (partial ? 3 : 0) + 2;
    for (int i = 0; i < n; i++) {
        p[len] = checks[i];
        p[len].off = (__s16)(total - len - 1);
        len++;
    }
    if (partial) {
        /* allowed when the access asked has no bit beyond the rule's: (r3 & ~access) == 0 */
        p[len++] = insn(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0);
        p[len++] = insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_1, 0, 0, (__s32)(~r->access & all));
        p[len] = insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_1, 0, 0, 0);
        p[len].off = (__s16)(total - len - 1);
        len++;
    }
    p[len++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
    p[len++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    return len;
}

/* r2 = device type, r3 = access asked, r4 = major, r5 = minor (struct bpf_cgroup_dev_ctx); then the rules; then deny. */
static int build_program(const char *const *texts, int count, struct bpf_insn **out)
{
    struct bpf_insn *p = calloc((size_t)(6 + count * 9 + 2), sizeof *p);
    if (p == NULL)
        return fail_with(ENOMEM, "calloc(device program of %d rules)", count);
    int len = 0;
    p[len++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0);
    p[len++] = insn(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_2, 0, 0);
    p[len++] = insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
    p[len++] = insn(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
    p[len++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0);
    p[len++] = insn(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0);
    for (int i = 0; i < count; i++) {
        struct device_rule rule;
        if (parse_rule(texts[i], &rule) < 0) {
            free(p);
            return fail_with(EINVAL, "device rule '%s' (accepted: TYPE MAJOR:MINOR ACCESS, e.g. c 1:3 rwm)", texts[i]);
        }
        len += append_rule(p + len, &rule);
    }
    p[len++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
    p[len++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    *out = p;
    return len;
}

static int bpf(int command, union bpf_attr *attr)
{
    return (int)syscall(SYS_bpf, command, attr, sizeof *attr);
}

/* The verifier's last line, where it refused: loaded again with its log, which a first load spares (a log too small for
 * the trace fails a load that would pass). */
static void verifier_reason(union bpf_attr *load, char *log, size_t size)
{
    log[0] = '\0';
    load->log_buf = (__u64)(unsigned long)log;
    load->log_size = (__u32)size;
    load->log_level = 1;
    int fd = bpf(BPF_PROG_LOAD, load);
    if (fd >= 0) {
        close(fd);
        log[0] = '\0';
        return;
    }
    size_t end = strlen(log);
    while (end > 0 && log[end - 1] == '\n')
        log[--end] = '\0';
    char *last = strrchr(log, '\n');
    if (last != NULL)
        memmove(log, last + 1, strlen(last + 1) + 1);
}

int device_program_attach(const char *dir, const char *const *rules, int count)
{
    struct bpf_insn *program = NULL;
    int length = build_program(rules, count, &program);
    if (length < 0)
        return -1;
    union bpf_attr load = {
        .prog_type = BPF_PROG_TYPE_CGROUP_DEVICE,
        .insns = (__u64)(unsigned long)program,
        .insn_cnt = (__u32)length,
        .license = (__u64)(unsigned long)"Apache-2.0",
    };
    int prog = bpf(BPF_PROG_LOAD, &load);
    int err = errno;
    if (prog < 0) {
        char log[4096] = "";
        if (err == EINVAL || err == EACCES)
            verifier_reason(&load, log, sizeof log);
        free(program);
        return fail_with(err, "bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE of %d rules%s%s)", count,
                         log[0] != '\0' ? "; verifier: " : "", log);
    }
    free(program);
    int cgroup = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cgroup < 0) {
        err = errno;
        close(prog);
        return fail_with(err, "open(%s)", dir);
    }
    union bpf_attr attach = {
        .target_fd = (__u32)cgroup,
        .attach_bpf_fd = (__u32)prog,
        .attach_type = BPF_CGROUP_DEVICE,
        .attach_flags = BPF_F_ALLOW_MULTI,
    };
    int rc = bpf(BPF_PROG_ATTACH, &attach);
    err = errno;
    close(cgroup);
    close(prog);
    if (rc < 0)
        return fail_with(err, "bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE, %s)", dir);
    return 0;
}
