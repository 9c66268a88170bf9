#include "process_setup.h"

#include "capabilities.h"
#include "failure.h"
#include "inherited_fds.h"
#include "resource_limits.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int process_reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
        return fail("sigprocmask(SIG_SETMASK)");
    if (signal(SIGPIPE, SIG_DFL) == SIG_ERR)
        return fail("signal(SIGPIPE, SIG_DFL)");
    return 0;
}

int process_apply(const struct process_options *p, bool setgroups_denied)
{
    /* A session and process group of its own, led inside the container: otherwise kill(0, sig) or a
     * signal to the group reaches every process of the group it was forked in, the JVM's. */
    if (setsid() < 0)
        return fail("setsid");
    if (resource_limits_apply(p) < 0)
        return -1;
    if (capabilities_limit_bounding(p->caps) < 0)
        return -1;
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        return fail("prctl(PR_SET_KEEPCAPS)");
    if (!setgroups_denied && setgroups(0, NULL) < 0)
        return fail("setgroups(0)");
    if (setresgid(p->gid, p->gid, p->gid) < 0)
        return fail("setresgid(%u)", (unsigned)p->gid);
    if (setresuid(p->uid, p->uid, p->uid) < 0)
        return fail("setresuid(%u)", (unsigned)p->uid);
    if (capabilities_set(p->caps) < 0)
        return -1;
    if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return fail("prctl(PR_SET_NO_NEW_PRIVS)");
    return 0;
}

static const char *search_path(char **env)
{
    for (char **e = env; *e != NULL; e++)
        if (strncmp(*e, "PATH=", 5) == 0)
            return *e + 5;
    return DEFAULT_PATH;
}

int process_enter_workdir(const struct process_options *p)
{
    if (chdir(p->chdir) < 0)
        return fail("chdir(%s)", p->chdir);
    return 0;
}

int process_confine(const struct seccomp_program *seccomp)
{
    /* Close-on-exec rather than closed: the error channel must stay usable until execve succeeds. */
    if (inherited_fds_cloexec() < 0)
        return -1;
    return seccomp_install(seccomp);
}

int process_exec(char **argv, char **env)
{
    if (strchr(argv[0], '/') != NULL) {
        execve(argv[0], argv, env);
        return fail("execve(%s)", argv[0]);
    }
    /* As execvp does: the first hit wins; EACCES somewhere is worth more than ENOENT everywhere. */
    int err = ENOENT;
    const char *dirs = search_path(env);
    while (*dirs != '\0') {
        size_t len = strcspn(dirs, ":");
        char candidate[PATH_MAX];
        if (snprintf(candidate, sizeof candidate, "%.*s/%s", (int)len, len > 0 ? dirs : ".", argv[0]) < (int)sizeof candidate) {
            execve(candidate, argv, env);
            if (errno == EACCES)
                err = EACCES;
            else if (errno != ENOENT && errno != ENOTDIR)
                return fail("execve(%s)", candidate);
        }
        dirs += len;
        if (*dirs == ':')
            dirs++;
    }
    return fail_with(err, "execve(%s)", argv[0]);
}
