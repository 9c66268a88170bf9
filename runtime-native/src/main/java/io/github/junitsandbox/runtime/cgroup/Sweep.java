package io.github.junitsandbox.runtime.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongPredicate;

/** Removal of the cgroups that JVMs no longer alive left behind, for both drivers. */
final class Sweep {

    private Sweep() {
    }

    /**
     * @param parents the directories holding {@code junit-sandbox-<pid>} directories (one per v1 hierarchy, one for v2)
     * @param selfPid this JVM's pid: its own directories are never swept, whatever {@code ownerAlive} says
     * @param open the container cgroup made of one container's leaves (same name in every hierarchy)
     */
    static void run(CgroupFs fs, Collection<Path> parents, long selfPid, LongPredicate ownerAlive,
            Function<List<Path>, ContainerCgroup> open) {
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
            Map<String, List<Path>> leavesByContainer = new LinkedHashMap<>();
            for (Path ownerDir : ownerDirs) {
                for (Path leaf : fs.subdirectories(ownerDir)) {
                    leavesByContainer.computeIfAbsent(leaf.getFileName().toString(), id -> new ArrayList<>()).add(leaf);
                }
            }
            for (List<Path> leaves : leavesByContainer.values()) {
                ContainerCgroup container = open.apply(leaves);
                container.killAll();
                container.remove();
            }
            ownerDirs.forEach(fs::rmdir);
        }
    }
}
