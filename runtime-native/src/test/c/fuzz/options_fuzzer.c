/*
 * libFuzzer harness for the launcher's command-line parser (options_parse and the list parsers it calls:
 * namespaces, capabilities, rlimits). The input is one subcommand byte (run, exec, probe) followed by the
 * arguments, NUL-separated. A usage error is the parser's ordinary answer to bad input: it is linked with
 * -Wl,--wrap=usage_error so that, instead of exiting the process, it formats its message (as the real one
 * does) and jumps back here. Anything else (a crash, an out-of-bounds access, undefined behaviour) is a bug.
 */
#include "options.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf rejected;

void __wrap_usage_error(const char *fmt, ...);

void __wrap_usage_error(const char *fmt, ...)
{
    char message[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    longjmp(rejected, 1);
}

static void free_options(struct options *o)
{
    free(o->mounts);
    free(o->time_offsets);
    free(o->cleanup);
    free(o->cgroups);
    free(o->device_rules);
    free(o->process.env);
    free(o->uid_map);
    free(o->gid_map);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    enum subcommand subcommand = data[0] % 3 == 0 ? CMD_RUN : data[0] % 3 == 1 ? CMD_EXEC : CMD_PROBE;

    /* One copy of the text, NUL-terminated, cut into argv at each NUL: the shape execve hands to main. */
    char *text = malloc(size);
    char **argv = calloc(size + 1, sizeof *argv);
    if (text == NULL || argv == NULL)
        abort();
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    int argc = 0;
    for (size_t start = 0; start < size - 1; start += strlen(text + start) + 1)
        argv[argc++] = text + start;

    /* volatile: read after longjmp, so it must not live in a register that setjmp did not save */
    struct options *volatile o = calloc(1, sizeof *o);
    if (o == NULL)
        abort();
    if (setjmp(rejected) == 0)
        options_parse(argc, argv, subcommand, o);
    free_options(o);
    free(o);
    free(argv);
    free(text);
    return 0;
}
