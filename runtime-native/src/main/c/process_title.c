#include "process_title.h"

#include "failure.h"

#include <stdlib.h>
#include <string.h>

extern char **environ;

#define NEUTRAL_TITLE "sandbox-init"

/* The end of a contiguous run of strings starting at first (the kernel lays argv, then envp, out back to back). */
static char *end_of(char **strings, int count, char *first)
{
    char *end = first;
    for (int i = 0; i < count; i++)
        if (strings[i] == end)
            end = strings[i] + strlen(strings[i]) + 1;
    return end;
}

char **process_title_hide(int argc, char **argv)
{
    char **copy = calloc((size_t)argc + 1, sizeof *copy);
    if (copy == NULL)
        usage_error("out of memory");
    for (int i = 0; i < argc; i++)
        if ((copy[i] = strdup(argv[i])) == NULL)
            usage_error("out of memory");

    int envc = 0;
    while (environ != NULL && environ[envc] != NULL)
        envc++;
    char *env_start = envc > 0 ? environ[0] : NULL;
    char *env_end = envc > 0 ? end_of(environ, envc, env_start) : NULL;
    char *arg_end = end_of(argv, argc, argv[0]);
    clearenv();

    if (env_start != NULL)
        memset(env_start, 0, (size_t)(env_end - env_start));
    size_t arg_size = (size_t)(arg_end - argv[0]);
    memset(argv[0], 0, arg_size);
    if (arg_size > sizeof NEUTRAL_TITLE) {
        memcpy(argv[0], NEUTRAL_TITLE, sizeof NEUTRAL_TITLE);
        /* A last byte that is not NUL makes the kernel read the title up to its first NUL (setproctitle's convention),
         * rather than the whole zeroed area. */
        arg_end[-1] = ' ';
    }
    return copy;
}
