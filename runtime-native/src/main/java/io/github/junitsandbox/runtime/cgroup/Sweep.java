package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.SandboxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * Removal of the cgroups that JVMs no longer alive left behind, for both drivers. It never kills: the pid in
 * {@code junit-sandbox-<pid>} belongs to its JVM's PID namespace, and where the host's cgroup tree is shared with a
 * container that runs another JVM, that JVM's directories look like a dead JVM's from here. So an owner whose directories
 * hold a process anywhere below them is left alone. A JVM that really died left none: each of its containers'
 * supervisors emptied and removed the container's cgroups when the lifeline broke; what the sweep finds is empty
 * directories (a supervisor killed too, say).
 */
final class Sweep {

    private Sweep() {
    }

    /**
     * @param parents the directories holding {@code junit-sandbox-<pid>} directories (one per v1 hierarchy, one for v2)
     * @param selfPid this JVM's pid: its own directories are never swept, whatever {@code ownerAlive} says
     */
    static void run(CgroupFs fs, Collection<Path> parents, long selfPid, LongPredicate ownerAlive) {
        Map<Long, List<Path>> deadOwners = new TreeMap<>();
        for (Path parent : parents) {
            for (Path dir : fs.subdirectories(parent)) {
                OptionalLong owner = CgroupNames.ownerOf(dir);
                if (owner.isPresent() && owner.getAsLong() != selfPid && !ownerAlive.test(owner.getAsLong())) {
                    deadOwners.computeIfAbsent(owner.getAsLong(), pid -> new ArrayList<>()).add(dir);
                }
            }
        }
        for (List<Path> ownerDirs : deadOwners.values()) {
            if (ownerDirs.stream().allMatch(dir -> holdsNoProcess(fs, dir))) {
                ownerDirs.forEach(dir -> removeSubtree(fs, dir));
            }
        }
    }

    /** Whether no cgroup.procs in {@code dir}'s subtree lists a process; a directory removed meanwhile holds none. */
    private static boolean holdsNoProcess(CgroupFs fs, Path dir) {
        try {
            return fs.pids(dir).isEmpty() && fs.subdirectories(dir).stream().allMatch(sub -> holdsNoProcess(fs, sub));
        } catch (SandboxException e) {
            return !fs.exists(dir);
        }
    }

    /**
     * Deepest first; stops at a directory that is busy (a process joined since the check: then its owner lives) or that
     * this user may not remove (another user's JVM: not this JVM's to sweep), leaving it without a word.
     */
    private static boolean removeSubtree(CgroupFs fs, Path dir) {
        try {
            for (Path sub : fs.subdirectories(dir)) {
                if (!removeSubtree(fs, sub)) {
                    return false;
                }
            }
            return fs.rmdir(dir) != CgroupFs.Rmdir.BUSY;
        } catch (SandboxException e) {
            return false;
        }
    }
}
