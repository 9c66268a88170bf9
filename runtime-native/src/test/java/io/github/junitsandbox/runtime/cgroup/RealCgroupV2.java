package io.github.junitsandbox.runtime.cgroup;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.SandboxRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The cgroup v2 unified hierarchy of a real kernel, for the tests tagged {@value #TAG}: they need memory and pids
 * on a cgroup2 mount, which the build machine (cgroup v1 hybrid) does not have, so there they abort; the VM lane
 * ({@code .ci/vm-lane/run.sh}) boots a kernel with {@code cgroup_no_v1=all} and fails if any of them aborted.
 */
final class RealCgroupV2 {

    static final String TAG = "cgroup-v2-kernel";

    private final CgroupMount mount;

    private RealCgroupV2(CgroupMount mount) {
        this.mount = mount;
    }

    /** This process's unified hierarchy; aborts the test where there is none with memory and pids. */
    static RealCgroupV2 required() {
        CgroupMounts mounts = CgroupMounts.ofThisProcess();
        assumeTrue(mounts.mode() == CgroupMode.UNIFIED && mounts.unified().orElseThrow().controllers().containsAll(List.of("memory", "pids")),
                () -> "needs the cgroup v2 unified hierarchy with memory and pids (the VM lane, .ci/vm-lane/run.sh, boots one);"
                        + " this machine has: " + mounts.describe().replace('\n', ';'));
        return new RealCgroupV2(mounts.unified().orElseThrow());
    }

    Path mountPoint() {
        return mount.mountPoint();
    }

    /**
     * Where this JVM's {@code junit-sandbox-<pid>} directory goes: {@value SandboxRuntime#CGROUP_PARENT_PROPERTY}
     * (the lane's delegated subtree when it runs the tests as a user), else the hierarchy's root.
     */
    Path configuredParent() {
        String configured = System.getProperty(SandboxRuntime.CGROUP_PARENT_PROPERTY);
        return configured == null || configured.isBlank() ? mount.mountPoint() : mount.resolve(configured);
    }

    /** The cgroup directory of a process, from its {@code /proc/PID/cgroup} as this JVM's cgroup namespace shows it. */
    Path cgroupOf(long pid) {
        String path = ProcessCgroups.parse(Path.of("/proc/" + pid + "/cgroup")).unifiedPath()
                .orElseThrow(() -> new AssertionError("/proc/" + pid + "/cgroup has no 0:: line"));
        return mount.directoryOf(path);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One key of a flat-keyed file such as memory.events or pids.events. */
    static long keyed(Path file, String key) {
        return read(file).lines().filter(l -> l.startsWith(key + " ")).mapToLong(l -> Long.parseLong(l.substring(key.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(file + " has no key " + key + ": " + read(file)));
    }

    static List<Long> pids(Path cgroup) {
        return read(cgroup.resolve("cgroup.procs")).lines().map(Long::parseLong).toList();
    }

    /** Dead: gone from /proc, or a zombie waiting for its (new) parent to reap it. */
    static boolean isDead(long pid) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        try {
            String text = Files.readString(stat);
            return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return true;
        }
    }
}
