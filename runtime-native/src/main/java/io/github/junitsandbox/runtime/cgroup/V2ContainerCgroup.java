package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.DeviceGuard;
import io.github.junitsandbox.runtime.SandboxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A container's cgroup on v2: one leaf of the unified hierarchy. */
final class V2ContainerCgroup extends LeafCgroups {

    private final Path leaf;
    private final Optional<DeviceAllowlist> deviceProgram;

    V2ContainerCgroup(CgroupFs fs, Path leaf, Optional<DeviceAllowlist> deviceProgram) {
        super(fs, List.of(leaf));
        this.leaf = leaf;
        this.deviceProgram = deviceProgram;
    }

    @Override
    public Optional<DeviceAllowlist> deviceProgram() {
        return deviceProgram;
    }

    @Override
    public DeviceGuard deviceGuard() {
        return deviceProgram.isPresent() ? DeviceGuard.DEVICE_PROGRAM : DeviceGuard.NONE;
    }

    @Override
    boolean readOomKilled() {
        // memory.events exists only where the memory controller is enabled, i.e. where a memory limit was asked.
        Path events = leaf.resolve("memory.events");
        return fs.exists(events) && fs.keyedValue(events, "oom_kill") > 0;
    }

    @Override
    public void killAll() {
        Path events = leaf.resolve("cgroup.events");
        if (!fs.exists(leaf) || fs.keyedValue(events, "populated") == 0) {
            return;
        }
        Path kill = leaf.resolve("cgroup.kill");
        boolean hasCgroupKill = fs.exists(kill);
        if (hasCgroupKill) {
            fs.write(kill, "1");
        }
        // cgroup.kill (Linux 5.14) kills atomically, forks included; before it, kill each process until none is left.
        boolean emptied = Polling.await(() -> {
            if (fs.keyedValue(events, "populated") == 0) {
                return true;
            }
            if (!hasCgroupKill) {
                killEach(leaf);
            }
            return false;
        }, EMPTYING_TIMEOUT);
        if (!emptied) {
            throw new SandboxException(events + " still says \"populated 1\" " + EMPTYING_TIMEOUT.toSeconds()
                    + " s after " + (hasCgroupKill ? "writing 1 to " + kill : "SIGKILL to each process") + "; " + remainingPids(leaf));
        }
    }
}
