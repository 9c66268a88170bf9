package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.DeviceGuard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A container's cgroups on v1: one leaf per hierarchy (memory, pids, cpu, freezer as used). */
final class V1ContainerCgroup extends LeafCgroups {

    /** A freeze takes microseconds to a few milliseconds: past this, the kills go out without it. */
    private static final Duration FREEZING_TIMEOUT = Duration.ofSeconds(1);

    private final Path memoryLeaf;
    private final Path freezerLeaf;
    private volatile DeviceGuard deviceGuard = DeviceGuard.NONE;

    /**
     * @param memoryLeaf the leaf in the memory hierarchy, or null if the container has none
     * @param freezerLeaf the leaf in the freezer hierarchy, or null if none is mounted
     */
    V1ContainerCgroup(CgroupFs fs, List<Path> leaves, Path memoryLeaf, Path freezerLeaf) {
        super(fs, leaves);
        this.memoryLeaf = memoryLeaf;
        this.freezerLeaf = freezerLeaf;
    }

    /**
     * Denies every device, then allows each rule: one rule a write, as the kernel reads {@code devices.allow}. Before the
     * container's first process joins, so that none ever sees more.
     */
    void restrictDevices(Path devicesLeaf, DeviceAllowlist allowed, CgroupLimits limits) {
        apply(Map.of(devicesLeaf.resolve("devices.deny"), "a"), limits);
        for (DeviceRule rule : allowed.rules()) {
            apply(Map.of(devicesLeaf.resolve("devices.allow"), rule.toString()), limits);
        }
        deviceGuard = DeviceGuard.DEVICES_CONTROLLER;
    }

    @Override
    public DeviceGuard deviceGuard() {
        return deviceGuard;
    }

    @Override
    boolean readOomKilled() {
        // memory.oom_control: "oom_kill_disable 0\nunder_oom 0\noom_kill N" (oom_kill since Linux 4.13)
        return memoryLeaf != null && fs.keyedValue(memoryLeaf.resolve("memory.oom_control"), "oom_kill") > 0;
    }

    @Override
    public void killAll() {
        List<Path> leaves = existingLeaves();
        if (leaves.stream().allMatch(leaf -> fs.pids(leaf).isEmpty())) {
            return;
        }
        if (freezerLeaf == null || !leaves.contains(freezerLeaf) || !killFrozen()) {
            // Without a freezer a process may fork between reading cgroup.procs and the kill: repeat until none is left.
            Polling.await(() -> existingLeaves().stream().filter(this::killEach).count() == 0, EMPTYING_TIMEOUT);
        }
        awaitEmpty();
    }

    /**
     * Freezing first means no process can fork while the kills go out; they die once thawed. False, having killed nothing,
     * when the cgroup stays FREEZING (a task the v1 freezer cannot catch: seen here, rarely, for a shell just moved in):
     * then the kills go out one by one until none is left, as without a freezer.
     */
    private boolean killFrozen() {
        Path state = freezerLeaf.resolve("freezer.state");
        fs.write(state, "FROZEN");
        try {
            if (!Polling.await(() -> fs.read(state).strip().equals("FROZEN"), FREEZING_TIMEOUT)) {
                return false;
            }
            killEach(freezerLeaf);
            return true;
        } finally {
            fs.write(state, "THAWED");
        }
    }
}
