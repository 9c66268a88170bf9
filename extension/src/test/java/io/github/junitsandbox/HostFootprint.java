package io.github.junitsandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Everything of this JVM's that sandboxed tests could leave on the host: processes (its descendants
 * and whatever sits in its cgroups), their network namespaces, mounts, cgroup directories, entries of
 * the state and temporary directories, and the JVM's own open file descriptors. Other JVMs on the
 * machine (parallel builds, Surefire forks) are left out: only what names this JVM's pid or lies under
 * {@code stateDir} counts.
 *
 * @param processes "pid command" of the JVM's descendants and of the processes in its cgroups
 * @param networkNamespaces the distinct {@code /proc/PID/ns/net} of those processes
 * @param mounts mount points naming this JVM's {@code junit-sandbox-<pid>} or under the state directory
 * @param cgroups {@code find /sys/fs/cgroup -name 'junit-sandbox*'}, narrowed to this JVM's pid
 * @param stateEntries everything under the state directory
 * @param tempEntries entries of {@code java.io.tmpdir} named after this JVM's pid
 * @param openFileDescriptors the count of {@code /proc/self/fd}
 */
record HostFootprint(Set<String> processes, Set<String> networkNamespaces, Set<String> mounts, Set<String> cgroups,
        Set<String> stateEntries, Set<String> tempEntries, long openFileDescriptors) {

    private static final long SELF = ProcessHandle.current().pid();
    private static final String OURS = "junit-sandbox-" + SELF;

    static HostFootprint of(Path stateDir) {
        Set<Long> pids = new TreeSet<>();
        ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
        pids.addAll(pidsInOurCgroups());
        Set<String> processes = new TreeSet<>();
        Set<String> namespaces = new TreeSet<>();
        for (long pid : pids) {
            read(Path.of("/proc/" + pid + "/comm")).ifPresent(comm -> processes.add(pid + " " + comm.strip()));
            link(Path.of("/proc/" + pid + "/ns/net")).ifPresent(namespaces::add);
        }
        return new HostFootprint(processes, namespaces, mountsOfOurs(stateDir), cgroupsOfThisJvm(), listing(stateDir, Integer.MAX_VALUE),
                temporaryEntries(), openFileDescriptorCount());
    }

    /** Distinct network namespaces of all processes on the host: other users' come and go, so this is for reports only. */
    static long hostNetworkNamespaces() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .map(p -> link(p.resolve("ns/net"))).flatMap(Optional::stream).distinct().count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long openFileDescriptorCount() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count() - 1; // the listing's own descriptor
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<Long> pidsInOurCgroups() {
        Set<Long> pids = new TreeSet<>();
        for (String cgroup : cgroupsOfThisJvm()) {
            Path procs = Path.of(cgroup, "cgroup.procs");
            read(procs).ifPresent(text -> text.lines().filter(l -> !l.isBlank()).forEach(l -> pids.add(Long.parseLong(l.strip()))));
        }
        return pids;
    }

    private static Set<String> cgroupsOfThisJvm() {
        Set<String> found = new TreeSet<>();
        for (String path : listing(Path.of("/sys/fs/cgroup"), 6)) {
            if (path.contains(OURS)) {
                found.add(path);
            }
        }
        return found;
    }

    private static Set<String> mountsOfOurs(Path stateDir) {
        Set<String> found = new TreeSet<>();
        read(Path.of("/proc/self/mountinfo")).orElseThrow().lines()
                .map(line -> line.split(" ")[4])
                .filter(point -> point.contains(OURS) || point.startsWith(stateDir.toString()))
                .forEach(found::add);
        return found;
    }

    private static Set<String> temporaryEntries() {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.map(Path::toString).filter(p -> p.contains(OURS)).collect(TreeSet::new, Set::add, Set::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Paths under {@code root} (directories only below the cgroup root, which is what it holds), skipping what vanishes meanwhile. */
    private static Set<String> listing(Path root, int depth) {
        Set<String> found = new TreeSet<>();
        List<Path> level = new ArrayList<>(List.of(root));
        for (int d = 0; d < depth && !level.isEmpty(); d++) {
            List<Path> next = new ArrayList<>();
            for (Path dir : level) {
                try (Stream<Path> children = Files.list(dir)) {
                    children.forEach(child -> {
                        if (Files.isDirectory(child) || !root.startsWith("/sys/fs/cgroup")) {
                            found.add(child.toString());
                        }
                        if (Files.isDirectory(child) && !Files.isSymbolicLink(child)) {
                            next.add(child);
                        }
                    });
                } catch (NoSuchFileException e) {
                    // removed by its owner while we looked
                } catch (IOException e) {
                    // unreadable: nothing of ours can be in there
                }
            }
            level = next;
        }
        return found;
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> link(Path link) {
        try {
            return Optional.of(Files.readSymbolicLink(link).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
