package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.UnsupportedHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;

/**
 * Containers' cgroups on cgroup v1: in each hierarchy used (memory, pids, cpu for the limits asked; devices for a device
 * allowlist; freezer, when mounted, so that killing cannot race with forks, unless a PID namespace sees to that and a
 * limit's hierarchy holds the container) a directory
 * {@code <hierarchy>/<parent>/junit-sandbox-<jvm pid>-<container id>}.
 */
public final class CgroupV1Driver implements CgroupDriver {

    /** The hierarchies used: those of the limits, the device allowlist's, and the freezer. */
    static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu", "devices", "freezer");

    private final CgroupFs fs;
    private final Map<String, Path> parentByController;
    private final long jvmPid;

    /**
     * @param parentByController for each of memory, pids, cpu, devices, freezer that is available, the directory in its
     *     hierarchy below which this JVM's cgroups go (e.g. {@code memory -> /sys/fs/cgroup/memory}); controllers
     *     mounted together (cpu,cpuacct) share one directory
     * @param jvmPid the pid that names this JVM's directories
     */
    public CgroupV1Driver(Map<String, Path> parentByController, long jvmPid) {
        this(CgroupFs.KERNEL, parentByController, jvmPid);
    }

    CgroupV1Driver(CgroupFs fs, Map<String, Path> parentByController, long jvmPid) {
        if (!CONTROLLERS.containsAll(parentByController.keySet())) {
            throw new IllegalArgumentException("cgroup v1 controllers " + parentByController.keySet() + " are not all accepted (accepted: "
                    + CONTROLLERS + ")");
        }
        this.fs = fs;
        this.parentByController = Map.copyOf(parentByController);
        this.jvmPid = jvmPid;
    }

    @Override
    public ContainerCgroup create(String containerId, CgroupLimits limits) {
        return create(containerId, limits, true);
    }

    /** Without the freezer when a limit's hierarchy holds the container: a PID namespace's processes die with its PID 1. */
    @Override
    public ContainerCgroup createWithPidNamespace(String containerId, CgroupLimits limits) {
        return create(containerId, limits, false);
    }

    private ContainerCgroup create(String containerId, CgroupLimits limits, boolean freezer) {
        Map<String, String> needed = limits.controllersNeeded();
        for (Map.Entry<String, String> controller : needed.entrySet()) {
            if (!parentByController.containsKey(controller.getKey())) {
                throw new UnsupportedHostException("cgroup v1: " + controller.getValue() + " needs the " + controller.getKey()
                        + " controller, but it has no v1 hierarchy here (" + describe() + "); mount one: mount -t cgroup -o "
                        + controller.getKey() + " cgroup /sys/fs/cgroup/" + controller.getKey());
            }
        }
        if (limits.devices().isPresent() && !parentByController.containsKey("devices")) {
            throw new UnsupportedHostException("cgroup v1: the device allowlist needs the devices controller, but it has no v1 hierarchy"
                    + " here (" + describe() + "); mount one: mount -t cgroup -o devices cgroup /sys/fs/cgroup/devices");
        }
        Set<String> used = new LinkedHashSet<>(needed.keySet());
        if (limits.devices().isPresent()) {
            used.add("devices");
        }
        // Without limits the freezer is the container's one cgroup of its own, which its cgroup namespace is rooted at.
        if (parentByController.containsKey("freezer") && (freezer || used.isEmpty())) {
            used.add("freezer");
        }
        if (used.isEmpty()) {
            return new NoContainerCgroup();
        }
        Set<Path> parents = used.stream().map(parentByController::get).collect(Collectors.toCollection(LinkedHashSet::new));
        V1ContainerCgroup container = open(LeafCgroups.createLeaves(fs, parents, jvmPid, containerId));
        Map<Path, String> settings = new LinkedHashMap<>();
        // memory.memsw.limit_in_bytes may never be below memory.limit_in_bytes: memory first.
        limits.memoryBytes().ifPresent(v -> settings.put(leaf("memory", containerId).resolve("memory.limit_in_bytes"), Long.toString(v)));
        limits.memorySwapBytes().ifPresent(v -> settings.put(leaf("memory", containerId).resolve("memory.memsw.limit_in_bytes"),
                Long.toString(v)));
        limits.pids().ifPresent(v -> settings.put(leaf("pids", containerId).resolve("pids.max"), Long.toString(v)));
        limits.cpuQuotaMicros().ifPresent(v -> {
            settings.put(leaf("cpu", containerId).resolve("cpu.cfs_period_us"), Long.toString(CgroupLimits.CPU_PERIOD_MICROS));
            settings.put(leaf("cpu", containerId).resolve("cpu.cfs_quota_us"), Long.toString(v));
        });
        container.apply(settings, limits);
        limits.devices().ifPresent(allowed -> container.restrictDevices(leaf("devices", containerId), allowed, limits));
        return container;
    }

    private Path leaf(String controller, String containerId) {
        return parentByController.get(controller).resolve(CgroupNames.containerDirectory(jvmPid, containerId));
    }

    /** The container cgroup made of existing leaves (one per hierarchy, same name). */
    private V1ContainerCgroup open(List<Path> leaves) {
        return new V1ContainerCgroup(fs, leaves, leafIn("memory", leaves), leafIn("freezer", leaves));
    }

    private Path leafIn(String controller, List<Path> leaves) {
        Path parent = parentByController.get(controller);
        return leaves.stream().filter(leaf -> leaf.getParent().equals(parent)).findFirst().orElse(null);
    }

    @Override
    public void sweep(LongPredicate ownerAlive) {
        Sweep.run(fs, new LinkedHashSet<>(parentByController.values()), jvmPid, ownerAlive);
    }

    @Override
    public String describe() {
        if (parentByController.isEmpty()) {
            return "cgroup v1 without memory, pids, cpu or freezer hierarchies";
        }
        List<String> hierarchies = new ArrayList<>();
        for (String controller : CONTROLLERS) {
            Path parent = parentByController.get(controller);
            if (parent != null) {
                hierarchies.add(controller + " under " + parent);
            }
        }
        return "cgroup v1: " + String.join(", ", hierarchies) + ", as " + CgroupNames.containerDirectory(jvmPid, "ID");
    }
}
