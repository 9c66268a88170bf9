package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.SandboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Chooses the cgroup driver for this machine and this JVM's privileges. */
public final class CgroupDrivers {

    private static final String PARENT_PROPERTY = "junit.sandbox.cgroupParent";
    private static final String DELEGATE_FIX = "run the build in a cgroup delegated to this user, e.g."
            + " `systemd-run --user --scope -p Delegate=yes mvn verify` (systemd delegates memory and pids to the user's"
            + " manager by default: `cat /sys/fs/cgroup/user.slice/user-$(id -u).slice/user@$(id -u).service/cgroup.subtree_control`"
            + " lists them), or set " + PARENT_PROPERTY + " to a cgroup directory this user may write";

    private CgroupDrivers() {
    }

    /**
     * The driver for this process, from {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}.
     *
     * @param configuredParent {@value #PARENT_PROPERTY}: the cgroup, relative to the mount point(s), below which
     *     this JVM's cgroups go; null or blank for the default: the hierarchy's root as root, the JVM's own
     *     (delegated) cgroup when rootless
     * @param jvmPid this JVM's pid
     * @param root whether this JVM runs as root
     */
    public static CgroupDriver detect(String configuredParent, long jvmPid, boolean root) {
        return detect(CgroupMounts.ofThisProcess(), ProcessCgroups.ofThisProcess(), configuredParent, jvmPid, root);
    }

    /**
     * As {@link #detect(String, long, boolean)} for given mounts and cgroup membership.
     *
     * @throws SandboxException when {@code configuredParent} names a cgroup that does not exist
     */
    public static CgroupDriver detect(CgroupMounts mounts, ProcessCgroups self, String configuredParent, long jvmPid, boolean root) {
        Optional<String> configured = Optional.ofNullable(configuredParent).filter(p -> !p.isBlank());
        switch (mounts.mode()) {
            case UNIFIED: {
                CgroupMount mount = mounts.unified().orElseThrow();
                if (mount.readOnly()) {
                    return new UnavailableCgroupDriver(readOnly(List.of(mount)));
                }
                Optional<Path> parent = parentIn(mount, configured, self.unifiedPath(), root);
                if (parent.isEmpty()) {
                    return new UnavailableCgroupDriver("rootless, and this JVM's cgroup " + self.unifiedPath().map(mount::directoryOf).orElse(null)
                            + " (cgroup v2 at " + mount.mountPoint() + ") is not delegated to it (not writable): " + DELEGATE_FIX);
                }
                if (configured.isEmpty() && !root) {
                    // a JVM of the same build moved this one to its processes' leaf: the delegated cgroup is the one above
                    Path own = parent.get();
                    return CgroupV2Driver.inOwnCgroup(mount.mountPoint(),
                            own.getFileName().toString().equals(CgroupV2Driver.PROCESSES_LEAF) ? own.getParent() : own, jvmPid);
                }
                return new CgroupV2Driver(mount.mountPoint(), parent.get(), jvmPid);
            }
            case LEGACY: {
                List<CgroupMount> readOnly = Stream.of("memory", "pids").map(mounts::v1Hierarchy).flatMap(Optional::stream)
                        .filter(CgroupMount::readOnly).toList();
                if (!readOnly.isEmpty()) {
                    return new UnavailableCgroupDriver(readOnly(readOnly));
                }
                Map<String, Path> parents = new LinkedHashMap<>();
                for (String controller : CgroupV1Driver.CONTROLLERS) {
                    if (controller.equals("devices")) {
                        // Only root may write devices.deny and devices.allow (a plain user's container cannot make nodes). The
                        // allowlist accounts for nothing a parent would sum up: where a configured parent was made only in the
                        // hierarchies of limits, the hierarchy's root takes the container's devices cgroup.
                        mounts.v1Hierarchy(controller).filter(mount -> root).ifPresent(mount -> parents.put(controller,
                                configured.map(mount::resolve).filter(Files::isDirectory).orElse(mount.mountPoint())));
                        continue;
                    }
                    mounts.v1Hierarchy(controller).ifPresent(mount -> parentIn(mount, configured, self.v1Path(controller), root)
                            .ifPresent(parent -> parents.put(controller, parent)));
                }
                List<String> undelegated = List.of("memory", "pids").stream()
                        .filter(c -> mounts.v1Hierarchy(c).isPresent() && !parents.containsKey(c)).toList();
                if (!undelegated.isEmpty()) {
                    String user = System.getProperty("user.name");
                    return new UnavailableCgroupDriver("rootless, and this JVM's cgroups in the cgroup v1 hierarchies of " + undelegated
                            + " are not delegated to " + user + " (not writable; systemd delegates only cgroup v2). As root, give this user a parent"
                            + " cgroup in each hierarchy: for c in memory pids cpu freezer; do mkdir -p /sys/fs/cgroup/$c/" + user
                            + "-sandboxes; chown -R " + user + " /sys/fs/cgroup/$c/" + user + "-sandboxes; done; then set "
                            + PARENT_PROPERTY + "=" + user + "-sandboxes");
                }
                return new CgroupV1Driver(parents, jvmPid);
            }
            default:
                return new UnavailableCgroupDriver("no cgroup hierarchy offers memory or pids here ("
                        + mounts.describe().replace('\n', ';') + "): mount cgroup2 with them (mount -t cgroup2 none /sys/fs/cgroup) or"
                        + " v1 hierarchies (mount -t cgroup -o memory cgroup /sys/fs/cgroup/memory, likewise pids)");
        }
    }

    /** Why cgroups cannot be made where the hierarchies are mounted read-only, and the fix. */
    private static String readOnly(List<CgroupMount> mounts) {
        return "the cgroup file system is mounted read-only here (" + mounts.stream().map(m -> m.mountPoint().toString())
                .collect(Collectors.joining(", ")) + "): this JVM runs inside a container that was not given its cgroups"
                + " (Docker and podman mount them read-only unless --privileged); run that container with --privileged,"
                + " or bind the host's cgroup file system writable into it (-v /sys/fs/cgroup:/sys/fs/cgroup:rw) and give it a"
                + " parent cgroup of its own (" + PARENT_PROPERTY + "=NAME, created beforehand in each hierarchy), so that JVMs"
                + " in other PID namespaces do not take its cgroups for leftovers";
    }

    /**
     * The directory below which this JVM's cgroups go in one hierarchy: the configured one (which must exist), the
     * hierarchy's root when root, or the JVM's own cgroup when rootless and that is writable (delegated).
     */
    private static Optional<Path> parentIn(CgroupMount mount, Optional<String> configured, Optional<String> ownCgroup, boolean root) {
        if (configured.isPresent()) {
            Path dir = mount.resolve(configured.get());
            if (!Files.isDirectory(dir)) {
                throw new SandboxException(PARENT_PROPERTY + "=" + configured.get() + ": " + dir + " does not exist (the parent cgroup"
                        + " is relative to the mount point of each hierarchy used; create it, e.g. mkdir " + dir + ")");
            }
            return Optional.of(dir);
        }
        if (root) {
            return Optional.of(mount.mountPoint());
        }
        return ownCgroup.map(mount::directoryOf)
                .filter(dir -> Files.isWritable(dir) && Files.isWritable(dir.resolve("cgroup.procs")));
    }
}
