package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.os.LibC;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A container's cgroup directories (one per v1 hierarchy, or one v2 cgroup), each a leaf below its
 * JVM's {@code junit-sandbox-<pid>} directory: placement, cleanup list and removal, common to both drivers.
 */
abstract class LeafCgroups implements ContainerCgroup {

    /** How long processes may take to leave their cgroup after SIGKILL (exit of a large process, a D-state wait). */
    static final Duration EMPTYING_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Held while a leaf is made in its owner directory and while an owner directory is removed: otherwise the last
     * container of one thread removes the owner between another thread's mkdir of the owner and of its leaf (ENOENT).
     */
    private static final Object OWNER_DIRECTORIES = new Object();

    /** How often a leaf's owner directory is made again when it vanishes while the leaf is made (see createLeaf). */
    private static final int OWNER_DIRECTORY_ATTEMPTS = 5;

    final CgroupFs fs;
    private final List<Path> leaves;
    /** What oomKilled() said when the cgroup was removed; null while it exists. */
    private volatile Boolean oomKilledAtRemoval;

    LeafCgroups(CgroupFs fs, List<Path> leaves) {
        this.fs = fs;
        this.leaves = List.copyOf(leaves);
    }

    /**
     * Creates {@code <parent>/junit-sandbox-<jvm pid>/<container id>} in each parent, calling {@code prepareOwner} on
     * each owner directory before its leaf is made; on failure removes what this call made.
     */
    static List<Path> createLeaves(CgroupFs fs, Collection<Path> parents, long jvmPid, String containerId, Consumer<Path> prepareOwner) {
        String name = CgroupNames.checkedContainerId(containerId);
        List<Path> owners = parents.stream().map(p -> p.resolve(CgroupNames.ownerDirectory(jvmPid))).toList();
        List<Path> leaves = new ArrayList<>();
        synchronized (OWNER_DIRECTORIES) {
            try {
                for (Path owner : owners) {
                    leaves.add(createLeaf(fs, owner, name, prepareOwner));
                }
            } catch (RuntimeException e) {
                // An existing leaf (EEXIST) is a leftover, not this call's: only leaves made here are removed.
                List<Path> made = new ArrayList<>(leaves);
                made.addAll(owners);
                for (Path dir : made) {
                    try {
                        fs.rmdir(dir);
                    } catch (RuntimeException cleanupFailure) {
                        e.addSuppressed(cleanupFailure);
                    }
                }
                throw e;
            }
        }
        return leaves;
    }

    /**
     * The lock above keeps this JVM's threads out, not another JVM's sweep: one in another PID namespace takes this JVM
     * for dead and removes its owner directory when it holds no process, maybe between its mkdir and the leaf's. A step
     * that failed while the owner directory is gone is then taken again from its mkdir.
     */
    private static Path createLeaf(CgroupFs fs, Path owner, String name, Consumer<Path> prepareOwner) {
        Path leaf = owner.resolve(name);
        for (int attempt = 1; ; attempt++) {
            try {
                fs.mkdirIfAbsent(owner);
                prepareOwner.accept(owner);
                fs.mkdir(leaf);
                return leaf;
            } catch (SandboxException e) {
                if (fs.exists(owner) || attempt == OWNER_DIRECTORY_ATTEMPTS) {
                    throw e;
                }
            }
        }
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
        List<Path> paths = new ArrayList<>(leaves);
        paths.addAll(ownerDirectories());
        return paths;
    }

    private Set<Path> ownerDirectories() {
        Set<Path> owners = new LinkedHashSet<>();
        leaves.forEach(leaf -> owners.add(leaf.getParent()));
        return owners;
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
        // Another container of this JVM may still live in the owner directory: then it stays.
        synchronized (OWNER_DIRECTORIES) {
            ownerDirectories().forEach(fs::rmdir);
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
