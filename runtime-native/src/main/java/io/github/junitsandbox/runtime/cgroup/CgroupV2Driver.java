package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.UnsupportedHostException;
import io.github.junitsandbox.runtime.SandboxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Containers' cgroups in the unified (v2) hierarchy: {@code <parent>/junit-sandbox-<jvm pid>-<container id>},
 * with the controllers the limits need enabled in {@code cgroup.subtree_control} along the path down to the parent.
 */
public final class CgroupV2Driver implements CgroupDriver {

    /**
     * Where the processes of a JVM's own delegated cgroup go ({@link #inOwnCgroup}), so that the cgroup may enable
     * controllers for the containers' cgroups beside it.
     */
    public static final String PROCESSES_LEAF = "junit-sandbox-processes";

    private final CgroupFs fs;
    private final Path mountPoint;
    private final Path parent;
    private final long jvmPid;
    private final boolean parentIsOwnCgroup;

    /**
     * @param mountPoint where the cgroup2 filesystem is mounted, e.g. {@code /sys/fs/cgroup}
     * @param parent the cgroup below which this JVM's cgroups go: {@code mountPoint} itself or a directory under it
     * @param jvmPid the pid that names this JVM's directory
     */
    public CgroupV2Driver(Path mountPoint, Path parent, long jvmPid) {
        this(CgroupFs.KERNEL, mountPoint, parent, jvmPid, false);
    }

    /**
     * A driver whose containers' cgroups go below the JVM's own cgroup, delegated to its user (a plain user's build under
     * {@code systemd-run --user --scope -p Delegate=yes}). That cgroup holds the build's processes, and cgroup v2 enables
     * controllers only below a cgroup without processes of its own: when a limit needs one, the processes move to
     * {@value #PROCESSES_LEAF} below it first, as systemd expects of a delegated cgroup's owner.
     */
    public static CgroupV2Driver inOwnCgroup(Path mountPoint, Path ownCgroup, long jvmPid) {
        return new CgroupV2Driver(CgroupFs.KERNEL, mountPoint, ownCgroup, jvmPid, true);
    }

    CgroupV2Driver(CgroupFs fs, Path mountPoint, Path parent, long jvmPid) {
        this(fs, mountPoint, parent, jvmPid, false);
    }

    CgroupV2Driver(CgroupFs fs, Path mountPoint, Path parent, long jvmPid, boolean parentIsOwnCgroup) {
        if (!parent.normalize().startsWith(mountPoint.normalize())) {
            throw new IllegalArgumentException("cgroup parent " + parent + " is not under the cgroup2 mount " + mountPoint);
        }
        this.fs = fs;
        this.mountPoint = mountPoint.normalize();
        this.parent = parent.normalize();
        this.jvmPid = jvmPid;
        this.parentIsOwnCgroup = parentIsOwnCgroup;
    }

    @Override
    public ContainerCgroup create(String containerId, CgroupLimits limits) {
        Map<String, String> controllers = limits.controllersNeeded();
        enableAlongParentPath(controllers);
        Path leaf = LeafCgroups.createLeaves(fs, List.of(parent), jvmPid, containerId).get(0);
        V2ContainerCgroup container = new V2ContainerCgroup(fs, leaf, limits.devices());
        Map<Path, String> settings = new LinkedHashMap<>();
        limits.memoryBytes().ifPresent(v -> settings.put(leaf.resolve("memory.max"), Long.toString(v)));
        limits.memorySwapBytes().ifPresent(v -> settings.put(leaf.resolve("memory.swap.max"),
                Long.toString(v - limits.memoryBytes().getAsLong())));
        limits.pids().ifPresent(v -> settings.put(leaf.resolve("pids.max"), Long.toString(v)));
        limits.cpuQuotaMicros().ifPresent(v -> settings.put(leaf.resolve("cpu.max"), v + " " + CgroupLimits.CPU_PERIOD_MICROS));
        container.apply(settings, limits);
        return container;
    }

    /**
     * Makes each controller available in the parent's children: a controller shows in a cgroup's
     * cgroup.controllers only if its parent lists it in cgroup.subtree_control, so it is enabled from the
     * deepest ancestor that still has it down to the parent.
     */
    private void enableAlongParentPath(Map<String, String> controllers) {
        List<Path> chain = new ArrayList<>();
        for (Path dir = parent; dir.startsWith(mountPoint); dir = dir.getParent()) {
            chain.add(0, dir);
            if (dir.equals(mountPoint)) {
                break;
            }
        }
        Map<String, Integer> enableFrom = new LinkedHashMap<>();
        controllers.forEach((controller, neededBy) -> enableFrom.put(controller, deepestOffering(chain, controller, neededBy)));
        for (int i = 0; i < chain.size(); i++) {
            int depth = i;
            enable(chain.get(i), enableFrom.entrySet().stream().filter(e -> e.getValue() <= depth).map(Map.Entry::getKey).toList());
        }
    }

    private int deepestOffering(List<Path> chain, String controller, String neededBy) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (CgroupMounts.words(fs.read(chain.get(i).resolve("cgroup.controllers"))).contains(controller)) {
                return i;
            }
        }
        Path offered = mountPoint.resolve("cgroup.controllers");
        throw new UnsupportedHostException("cgroup v2: " + neededBy + " needs the " + controller + " controller, which is not available: "
                + offered + " is \"" + fs.read(offered).strip() + "\" (no " + controller + "). The kernel lacks it on this"
                + " cgroup2 mount: it is bound to a cgroup v1 hierarchy (hybrid layout; boot with systemd.unified_cgroup_hierarchy=1"
                + " or cgroup_no_v1=" + controller + ") or disabled (cgroup_disable=" + controller + "); where a parent cgroup"
                + " has it, enable it with: echo +" + controller + " > PARENT/cgroup.subtree_control");
    }

    private void enable(Path dir, List<String> controllers) {
        Path subtreeControl = dir.resolve("cgroup.subtree_control");
        Set<String> enabled = CgroupMounts.words(fs.read(subtreeControl));
        Set<String> missing = new LinkedHashSet<>(controllers);
        missing.removeAll(enabled);
        if (missing.isEmpty()) {
            return;
        }
        String value = String.join(" ", missing.stream().map(c -> "+" + c).toList());
        try {
            fs.write(subtreeControl, value);
        } catch (SandboxException e) {
            if (dir.equals(parent) && parentIsOwnCgroup && !fs.pids(dir).isEmpty()) {
                moveProcessesIntoLeaf(dir, e);
                fs.write(subtreeControl, value);
                return;
            }
            if (!dir.equals(mountPoint) && !fs.pids(dir).isEmpty()) {
                throw new SandboxException(e.getMessage() + ". " + dir + " holds processes itself (" + dir.resolve("cgroup.procs")
                        + " = " + fs.pids(dir) + "), and cgroup v2 enables controllers only below cgroups without processes of"
                        + " their own: move them into a leaf (mkdir " + dir + "/init; echo PID > " + dir + "/init/cgroup.procs for each)"
                        + " and keep junit.sandbox.cgroupParent at " + dir, e);
            }
            throw e;
        }
    }

    /**
     * Moves every process of {@code dir} to its {@value #PROCESSES_LEAF} (made by this JVM or another of the build):
     * again while one forked meanwhile lands in {@code dir}; one that exited meanwhile needs no move.
     */
    private void moveProcessesIntoLeaf(Path dir, SandboxException refused) {
        Path leaf = dir.resolve(PROCESSES_LEAF);
        if (!fs.exists(leaf)) {
            try {
                fs.mkdir(leaf);
            } catch (SandboxException raced) {
                if (!fs.exists(leaf)) {
                    throw raced;
                }
            }
        }
        List<SandboxException> failures = new ArrayList<>();
        boolean emptied = Polling.await(() -> {
            for (int pid : fs.pids(dir)) {
                try {
                    fs.write(leaf.resolve("cgroup.procs"), Integer.toString(pid));
                } catch (SandboxException moveFailed) {
                    failures.add(moveFailed);
                }
            }
            return fs.pids(dir).isEmpty();
        }, LeafCgroups.EMPTYING_TIMEOUT);
        if (!emptied) {
            throw new SandboxException(refused.getMessage() + ". " + dir + " holds processes itself, which cgroup v2"
                    + " forbids below a cgroup that enables controllers, and they could not all be moved to " + leaf + " ("
                    + dir.resolve("cgroup.procs") + " = " + fs.pids(dir) + (failures.isEmpty() ? "" : "; last: " + failures.get(failures.size() - 1).getMessage())
                    + "): set junit.sandbox.cgroupParent to a delegated cgroup without processes", refused);
        }
    }

    @Override
    public void sweep(LongPredicate ownerAlive) {
        Sweep.run(fs, List.of(parent), jvmPid, ownerAlive);
    }

    @Override
    public String describe() {
        return "cgroup v2 under " + parent + ", as " + CgroupNames.containerDirectory(jvmPid, "ID");
    }
}
