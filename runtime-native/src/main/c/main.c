/* sandbox-init: the native launcher of junit-sandbox. The contract with the Java runtime is
 * docs/launcher-protocol.md; this file only dispatches the subcommands. */
#include "enter.h"
#include "failure.h"
#include "options.h"
#include "process_title.h"
#include "run_supervisor.h"
#include "usage.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        usage_error("a subcommand is required: run, exec or probe");
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        usage_print();
        return 0;
    }
    if (strcmp(sub, "--version") == 0) {
        printf("sandbox-init %s\n", SANDBOX_INIT_VERSION);
        return 0;
    }
    /* From here on the arguments are read from a copy: the originals are what a process inside could read of PID 1. */
    argv = process_title_hide(argc, argv);
    sub = argv[1];
    struct options o;
    if (strcmp(sub, "run") == 0) {
        options_parse(argc - 2, argv + 2, CMD_RUN, &o);
        run_supervisor(&o);
    }
    if (strcmp(sub, "exec") == 0 || strcmp(sub, "probe") == 0) {
        options_parse(argc - 2, argv + 2, strcmp(sub, "exec") == 0 ? CMD_EXEC : CMD_PROBE, &o);
        enter_main(&o);
    }
    usage_error("unknown subcommand '%s'; accepted: run, exec, probe, --help, --version", sub);
}
