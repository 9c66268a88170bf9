package io.github.junitsandbox.runtime.cgroup;

import java.nio.file.Path;
import java.util.List;

/** The cgroup(s) of one container. */
public interface ContainerCgroup {

    /** The directories whose {@code cgroup.procs} the launcher writes the container's PID 1 into ({@code --cgroup}). */
    List<Path> directories();

    /**
     * What the launcher removes, in this order, if the JVM dies ({@code --cleanup}): the container's
     * directories, then the per-JVM parents (an rmdir that fails because another container still
     * lives there is fine).
     */
    List<Path> cleanupPaths();

    /**
     * Whether the OOM killer killed a process in this cgroup (v2 memory.events oom_kill, v1 memory.oom_control oom_kill);
     * after {@link #remove()}, what it was when the cgroup was removed.
     */
    boolean oomKilled();

    /** Kills every process in the cgroup (v2 cgroup.kill; v1 freeze, SIGKILL each, thaw) and waits until it is empty. */
    void killAll();

    /** Removes the directories (bounded retry while the kernel finishes tearing processes down). Idempotent. */
    void remove();
}
