package io.github.junitsandbox.runtime;

import java.time.Duration;
import java.util.List;

/**
 * A running container: its PID 1 (the launcher, reaping orphans) and, if the spec gave a command,
 * the subject as PID 2. Closing it kills every process inside, waits for them, removes its cgroup
 * and drops its writable layer; nothing of it remains on the host afterwards.
 */
public interface Container extends AutoCloseable {

    /** A short identifier, unique within this JVM; also the last element of its cgroup and state paths. */
    String id();

    /** The spec this container was launched from. */
    ContainerSpec spec();

    /** The host PID of the container's PID 1. */
    long hostPid();

    /** Runs a command inside (same namespaces, cgroup, root and restrictions as the subject) and waits for it. */
    ExecResult exec(String... argv);

    /** Starts a command inside in the background; it is killed and reaped at {@link #close()} at the latest. */
    Process start(String... argv);

    /** The PIDs visible inside, in ascending order, as the subject would see them (the probe's own left out). */
    List<Long> visiblePids();

    /** The process table as seen inside: what {@link #visiblePids()} lists, with uid and command. */
    List<ProcessEntry> processes();

    /** The hostname as seen inside. */
    String hostname();

    /** Whether the subject's credentials may send {@code signal} to {@code pid} from inside; signal 0 only asks. */
    KillPermission tryKill(long pid, int signal);

    /**
     * Waits for the subject (or, without one, PID 1) to exit and returns its status as a shell reports
     * it: 0-255, 128+n for signal n.
     *
     * @throws SandboxException if it is still running after {@code timeout}
     */
    int awaitExit(Duration timeout);

    /** Whether the kernel's OOM killer killed a process of this container, as its cgroup records it. */
    boolean oomKilled();

    /** What the subject wrote to standard output so far (the last 64 KiB at most). */
    String subjectStdout();

    /** What the subject wrote to standard error so far (the last 64 KiB at most). */
    String subjectStderr();

    /** What takes the writes to the container's root: an overlay, a copy (where the kernel refuses overlayfs), or none. */
    RootLayer layer();

    /**
     * What enforces the PID limit: the cgroup's {@code pids.max}, or, for the default limit where this user has no
     * delegated pids cgroup, {@code RLIMIT_NPROC} in the container's own user namespace; {@code NONE} for {@code pids = 0}.
     */
    PidLimitMechanism pidLimit();

    /** What stops the container's processes from opening a device beyond {@link ContainerSpec#deviceAllowlist()}. */
    DeviceGuard deviceGuard();

    /**
     * The container's effective state as an OCI runtime {@code config.json}: namespaces, mounts,
     * capabilities, rlimits, masked and read-only paths, uid/gid maps, no_new_privs, hostname and the
     * seccomp rules in force, to compare with what runc or crun would be given.
     */
    String ociConfig();

    /** Kills everything inside and removes every trace of the container from the host. Idempotent. */
    @Override
    void close();
}
