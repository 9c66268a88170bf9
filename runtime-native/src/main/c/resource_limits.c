#include "resource_limits.h"

#include "failure.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int resource;
} limit_table[] = {
    {"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC}, {"core", RLIMIT_CORE}, {"memlock", RLIMIT_MEMLOCK},
    {"stack", RLIMIT_STACK},   {"fsize", RLIMIT_FSIZE}, {"cpu", RLIMIT_CPU},   {"as", RLIMIT_AS},
};
#define LIMIT_COUNT ((int)(sizeof limit_table / sizeof limit_table[0]))

static rlim_t parse_value(const char *text, const char *whole)
{
    if (strcmp(text, "unlimited") == 0)
        return RLIM_INFINITY;
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-')
        usage_error("--rlimit: bad value '%s' in '%s'; accepted: a number or 'unlimited'", text, whole);
    return (rlim_t)value;
}

struct rlimit_setting resource_limits_parse(const char *text)
{
    const char *eq = strchr(text, '=');
    const char *colon = eq != NULL ? strchr(eq, ':') : NULL;
    if (eq == NULL || colon == NULL)
        usage_error("--rlimit: '%s' is not NAME=SOFT:HARD", text);
    struct rlimit_setting setting = {.name = NULL};
    for (int i = 0; i < LIMIT_COUNT; i++)
        if (strlen(limit_table[i].name) == (size_t)(eq - text) && strncmp(text, limit_table[i].name, (size_t)(eq - text)) == 0) {
            setting.name = limit_table[i].name;
            setting.resource = limit_table[i].resource;
        }
    if (setting.name == NULL)
        usage_error("--rlimit: unknown limit in '%s'; accepted: nofile, nproc, core, memlock, stack, fsize, cpu, as", text);
    char soft[32];
    size_t soft_len = (size_t)(colon - eq - 1);
    if (soft_len >= sizeof soft)
        usage_error("--rlimit: bad value in '%s'; accepted: a number or 'unlimited'", text);
    memcpy(soft, eq + 1, soft_len);
    soft[soft_len] = '\0';
    setting.value.rlim_cur = parse_value(soft, text);
    setting.value.rlim_max = parse_value(colon + 1, text);
    if (setting.value.rlim_cur > setting.value.rlim_max)
        usage_error("--rlimit: soft limit above hard limit in '%s'", text);
    return setting;
}

int resource_limits_apply(const struct process_options *process)
{
    for (int i = 0; i < process->rlimit_count; i++) {
        const struct rlimit_setting *s = &process->rlimits[i];
        if (setrlimit(s->resource, &s->value) < 0)
            return fail("setrlimit(%s)", s->name);
    }
    return 0;
}

const char *resource_limits_name(int index, int *resource)
{
    if (index < 0 || index >= LIMIT_COUNT)
        return NULL;
    *resource = limit_table[index].resource;
    return limit_table[index].name;
}
