package io.github.junitsandbox.runtime.launcher;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.cgroup.CgroupMode;
import io.github.junitsandbox.runtime.cgroup.CgroupMount;
import io.github.junitsandbox.runtime.cgroup.CgroupMounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Cgroup directories a test creates under {@code junit-sandbox-test-JVMPID/} of the hierarchy this machine uses
 * for a controller (v1: {@code /sys/fs/cgroup/CONTROLLER}; v2: the unified mount, the controller enabled for the
 * children), removed afterwards. The files both versions share (cgroup.procs, pids.*) are read by name; those that
 * differ have a method each.
 */
final class TestCgroups implements AutoCloseable {

    private final CgroupMounts mounts = CgroupMounts.ofThisProcess();
    private final Deque<Path> created = new ArrayDeque<>();

    boolean unified() {
        return mounts.mode() == CgroupMode.UNIFIED;
    }

    /** A new cgroup where {@code controller} applies; aborts the test where the machine has no such hierarchy. */
    Path create(String controller, String name) {
        Path parent = parent(controller);
        return mkdir(parent.resolve(name));
    }

    /** A new cgroup on this machine's cgroup2 mount, whatever controllers it offers (on the hybrid layout: none). */
    Path createOnCgroup2(String name) {
        Path mountPoint = mounts.all().stream().filter(m -> m.version() == 2).map(CgroupMount::mountPoint).findFirst().orElse(null);
        assumeTrue(mountPoint != null, () -> "needs a cgroup2 mount; this machine has: " + mounts.describe());
        return mkdir(testDirectoryIn(mountPoint).resolve(name));
    }

    /**
     * What systemd's {@code Delegate=yes} gives a user, for {@code controller}: {@code delegated()} and its
     * {@code cgroup.procs} belong to {@code owner}; {@code leader()} (for the user's launcher: on cgroup2 a process
     * may move only between cgroups whose common ancestor it may write) and {@code container()} too.
     */
    Delegation delegate(String controller, String name, UserPrincipal owner) {
        Path delegated = mkdir(parent(controller).resolve(name));
        if (unified()) {
            write(delegated, "cgroup.subtree_control", "+" + controller);
        }
        Delegation d = new Delegation(delegated, mkdir(delegated.resolve("leader")), mkdir(delegated.resolve("container")));
        for (Path dir : new Path[] {d.delegated(), d.leader(), d.container()}) {
            chown(dir, owner);
            chown(dir.resolve("cgroup.procs"), owner);
            if (!unified()) {
                chown(dir.resolve("tasks"), owner);
            }
        }
        return d;
    }

    record Delegation(Path delegated, Path leader, Path container) {}

    /** Sets the memory limit: memory.max (v2) or memory.limit_in_bytes (v1). */
    void limitMemory(Path dir, String limit) {
        write(dir, unified() ? "memory.max" : "memory.limit_in_bytes", limit);
    }

    /** The OOM kills counted in the cgroup: {@code oom_kill} of memory.events (v2) or memory.oom_control (v1). */
    long oomKills(Path dir) {
        return read(dir, unified() ? "memory.events" : "memory.oom_control").lines().filter(l -> l.startsWith("oom_kill "))
                .mapToLong(l -> Long.parseLong(l.substring("oom_kill ".length()))).findFirst()
                .orElseThrow(() -> new AssertionError(dir + " counts no oom_kill"));
    }

    private Path parent(String controller) {
        Path hierarchy;
        if (unified()) {
            CgroupMount mount = mounts.unified().orElseThrow();
            assumeTrue(mount.controllers().contains(controller), () -> "needs the " + controller + " controller; this machine has: " + mounts.describe());
            hierarchy = mount.mountPoint();
        } else {
            hierarchy = mounts.v1Hierarchy(controller).map(CgroupMount::mountPoint).orElse(null);
            assumeTrue(hierarchy != null, () -> "needs a cgroup hierarchy with " + controller + "; this machine has: " + mounts.describe());
        }
        Path parent = testDirectoryIn(hierarchy);
        if (unified() && !read(parent, "cgroup.subtree_control").contains(controller)) {
            write(parent, "cgroup.subtree_control", "+" + controller);
        }
        return parent;
    }

    private Path testDirectoryIn(Path hierarchy) {
        Path dir = hierarchy.resolve("junit-sandbox-test-" + ProcessHandle.current().pid());
        return Files.isDirectory(dir) ? dir : mkdir(dir);
    }

    private Path mkdir(Path dir) {
        try {
            Files.createDirectory(dir);
            created.push(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chown(Path file, UserPrincipal owner) {
        try {
            Files.setOwner(file, owner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path dir, String file, String value) {
        try {
            Files.writeString(dir.resolve(file), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path dir, String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** rmdir, deepest first; a cgroup still holding processes cannot be removed, which then fails the test. */
    @Override
    public void close() throws IOException {
        while (!created.isEmpty()) {
            Files.delete(created.pop());
        }
    }
}
