package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.DeviceGuard;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The cgroup(s) of one container. */
public interface ContainerCgroup {

    /** The directories whose {@code cgroup.procs} the launcher writes the container's PID 1 into ({@code --cgroup}). */
    List<Path> directories();

    /**
     * The allowlist the launcher enforces with a device program attached to this cgroup ({@code --device-allow}: cgroup
     * v2 has no device files); empty where the cgroup's own files enforce it (v1) or no allowlist was asked.
     */
    default Optional<DeviceAllowlist> deviceProgram() {
        return Optional.empty();
    }

    /** What enforces the container's device allowlist: this cgroup's devices files, the device program, or nothing. */
    default DeviceGuard deviceGuard() {
        return DeviceGuard.NONE;
    }

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
