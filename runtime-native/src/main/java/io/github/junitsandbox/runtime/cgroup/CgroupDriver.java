package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.Capabilities;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Creates and removes the cgroups that hold containers, for one cgroup hierarchy layout (v1 with
 * one hierarchy per controller, or the v2 unified one). Everything it creates sits under
 * {@code <parent>/junit-sandbox-<jvm pid>/<container id>}.
 */
public interface CgroupDriver {

    /**
     * Creates the cgroup(s) of one container and applies {@code limits}.
     *
     * @throws io.github.junitsandbox.runtime.SandboxException when a limit cannot be enforced here (controller
     *     absent or not delegated, no write access), naming what is missing and how to get it; never drops a limit
     */
    ContainerCgroup create(String containerId, CgroupLimits limits);

    /**
     * Like {@link #create(String, CgroupLimits)}, for a container with a PID namespace of its own: the kernel kills all
     * of its processes with its PID 1, and none can be forked into it after that, so that killing needs no help against
     * forks (a v1 driver then spares the freezer cgroup it would otherwise make, when a limit gives the container a cgroup).
     */
    default ContainerCgroup createWithPidNamespace(String containerId, CgroupLimits limits) {
        return create(containerId, limits);
    }

    /**
     * Removes what JVMs that are no longer alive left behind and that holds no process; {@code ownerAlive} answers for a
     * JVM pid. It never kills: a directory whose owner looks dead from this PID namespace may be a live JVM's in another.
     */
    void sweep(LongPredicate ownerAlive);

    /**
     * Whether containers' cgroups restrict devices to an allowlist ({@link CgroupLimits#devices()}): writing v1's devices
     * files and loading a v2 device program take CAP_SYS_ADMIN over the host. A plain user's container cannot make a
     * device node at all; a root JVM without the capability (in a container with the default set) lacks it for namespaces
     * too, and gets as far as a user namespace lets it.
     */
    default boolean restrictsDevices() {
        return Capabilities.jvmAdministersTheHost();
    }

    /** Why this JVM can make no cgroup here, with the fix; empty where it can. */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /** For reports: {@code cgroup v1 (memory, pids, cpu) under /sys/fs/cgroup/<c>/junit-sandbox-123}. */
    String describe();
}
