package io.github.junitsandbox.runtime;

import io.github.junitsandbox.runtime.seccomp.KernelVersion;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What enforces a container's PID limit on this host. A limit written in the spec is the cgroup's or the launch
 * fails; the default limit ({@link ContainerSpec#DEFAULT_PIDS_LIMIT}) falls back to {@link #RLIMIT_NPROC} where no
 * pids cgroup can be made (a plain user without a delegated cgroup), so that the defaults need nothing from the host.
 */
public enum PidLimitMechanism {
    /** {@code pids.max} of the container's cgroup: counts every task of the container. */
    CGROUP("pids.max of the container's cgroup"),
    /**
     * {@code RLIMIT_NPROC} of every process the launcher starts inside (PID 1, the subject, each exec and probe). Since
     * Linux 5.14 the kernel counts it per user namespace and uid, so it limits this container's processes of one uid,
     * not the user's processes elsewhere or another container's.
     */
    RLIMIT_NPROC("RLIMIT_NPROC in the container's own user namespace: no pids cgroup is delegated to this user"),
    /** {@code pids = 0}. */
    NONE("no limit");

    /** The first kernel that counts RLIMIT_NPROC per user namespace (RLIMIT_NPROC reimplemented on ucounts). */
    public static final KernelVersion PER_NAMESPACE_NPROC = new KernelVersion(5, 14);

    private final String description;

    PidLimitMechanism(String description) {
        this.description = description;
    }

    /**
     * The mechanism for {@code spec} on this host.
     *
     * @param cgroupsUnavailable why this JVM can make no cgroup, empty where it can
     * @param kernel the running kernel, asked only where the fallback is considered
     */
    public static PidLimitMechanism choose(ContainerSpec spec, Optional<String> cgroupsUnavailable, Supplier<KernelVersion> kernel) {
        if (spec.pidsLimit() == 0) {
            return NONE;
        }
        boolean fallbackPossible = cgroupsUnavailable.isPresent() && !spec.pidsLimitGiven()
                && spec.namespaces().contains(Namespace.USER) && kernel.get().compareTo(PER_NAMESPACE_NPROC) >= 0;
        // Otherwise the cgroup: where none can be made, creating it fails naming what is missing.
        return fallbackPossible ? RLIMIT_NPROC : CGROUP;
    }

    /** For reports: {@code 1024 (RLIMIT_NPROC in the container's own user namespace: ...)}. */
    public String describe(int limit) {
        return this == NONE ? description : limit + " (" + description + ")";
    }
}
