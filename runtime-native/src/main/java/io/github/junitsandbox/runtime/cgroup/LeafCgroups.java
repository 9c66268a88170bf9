package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.os.LibC;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A container's cgroup directories (one per v1 hierarchy, or one v2 cgroup), each
 * {@code junit-sandbox-<jvm pid>-<container id>} directly in its parent: placement, cleanup list and removal, common to
 * both drivers. No per-JVM directory sits between: it would be made and removed again around every container of a
 * test suite that runs them one after another, two more cgroups a launch (0.14 ms here), and a leaf's parent already
 * has the controllers it needs (v2: the driver enables them in the parent's cgroup.subtree_control).
 */
abstract class LeafCgroups implements ContainerCgroup {

    /** How long processes may take to leave their cgroup after SIGKILL (exit of a large process, a D-state wait). */
    static final Duration EMPTYING_TIMEOUT = Duration.ofSeconds(10);

    final CgroupFs fs;
    private final List<Path> leaves;
    /** What oomKilled() said when the cgroup was removed; null while it exists. */
    private volatile Boolean oomKilledAtRemoval;

    LeafCgroups(CgroupFs fs, List<Path> leaves) {
        this.fs = fs;
        this.leaves = List.copyOf(leaves);
    }

    /** Creates {@code <parent>/junit-sandbox-<jvm pid>-<container id>} in each parent; on failure removes what this call made. */
    static List<Path> createLeaves(CgroupFs fs, Collection<Path> parents, long jvmPid, String containerId) {
        String name = CgroupNames.containerDirectory(jvmPid, containerId);
        List<Path> leaves = new ArrayList<>();
        try {
            for (Path parent : parents) {
                Path leaf = parent.resolve(name);
                fs.mkdir(leaf);
                leaves.add(leaf);
            }
        } catch (RuntimeException e) {
            // An existing leaf (EEXIST) is a leftover, not this call's: only leaves made here are removed.
            for (Path dir : leaves) {
                try {
                    fs.rmdir(dir);
                } catch (RuntimeException cleanupFailure) {
                    e.addSuppressed(cleanupFailure);
                }
            }
            throw e;
        }
        return leaves;
    }

    /** Writes each value to its file, in order; on failure removes the container's cgroups. */
    void apply(Map<Path, String> settings, CgroupLimits limits) {
        try {
            settings.forEach((file, value) -> {
                if (!fs.exists(file)) {
                    String name = file.getFileName().toString();
                    throw new SandboxException("cannot enforce " + limits.describe() + ": " + file + " does not exist"
                            + (name.equals("memory.swap.max") || name.equals("memory.memsw.limit_in_bytes")
                                    ? " (the kernel keeps no swap accounting: boot with swapaccount=1 on a kernel built with"
                                            + " CONFIG_MEMCG_SWAP, or ask for no swap limit)"
                                    : ""));
                }
                fs.write(file, value);
            });
        } catch (RuntimeException e) {
            remove();
            throw e;
        }
    }

    @Override
    public List<Path> directories() {
        return leaves;
    }

    @Override
    public List<Path> cleanupPaths() {
        return leaves;
    }

    @Override
    public final boolean oomKilled() {
        Boolean removed = oomKilledAtRemoval;
        return removed != null ? removed : readOomKilled();
    }

    /** Reads from the kernel whether the OOM killer killed a process in this cgroup. */
    abstract boolean readOomKilled();

    @Override
    public void remove() {
        try {
            if (oomKilledAtRemoval == null && !existingLeaves().isEmpty()) {
                // A test asks after close(), when the counters are gone with the cgroup.
                oomKilledAtRemoval = readOomKilled();
            }
        } finally {
            removeDirectories();
        }
    }

    private void removeDirectories() {
        for (Path leaf : leaves) {
            if (!Polling.await(() -> fs.rmdir(leaf) != CgroupFs.Rmdir.BUSY, EMPTYING_TIMEOUT)) {
                throw new SandboxException("rmdir " + leaf + ": EBUSY (Device or resource busy) for " + EMPTYING_TIMEOUT.toSeconds()
                        + " s; processes still in it: " + remainingPids(leaf));
            }
        }
    }

    /** The leaves that still exist: killing is idempotent, and a removed container has nothing left to kill. */
    List<Path> existingLeaves() {
        return leaves.stream().filter(fs::exists).toList();
    }

    /** SIGKILL to every process listed in {@code dir/cgroup.procs}; true if there was any. */
    boolean killEach(Path dir) {
        List<Integer> pids = fs.pids(dir);
        for (int pid : pids) {
            int errno = LibC.sendSignal(pid, LibC.SIGKILL);
            if (errno != 0 && errno != LibC.ESRCH) {
                throw new SandboxException("kill(" + pid + ", SIGKILL) of a process in " + dir + ": " + LibC.describe(errno));
            }
        }
        return !pids.isEmpty();
    }

    /** Waits until every leaf's cgroup.procs is empty; fails naming what is left. */
    void awaitEmpty() {
        if (!Polling.await(() -> existingLeaves().stream().allMatch(leaf -> fs.pids(leaf).isEmpty()), EMPTYING_TIMEOUT)) {
            throw new SandboxException("processes still in cgroup " + leaves + " " + EMPTYING_TIMEOUT.toSeconds()
                    + " s after SIGKILL: " + existingLeaves().stream().map(this::remainingPids).toList());
        }
    }

    String remainingPids(Path leaf) {
        return fs.exists(leaf) ? leaf.resolve("cgroup.procs") + " = " + fs.pids(leaf) : leaf + " (gone)";
    }
}
