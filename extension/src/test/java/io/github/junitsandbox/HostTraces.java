package io.github.junitsandbox;

import io.github.junitsandbox.runtime.SandboxRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a container leaves on the host, looked at from outside: its PID 1's process, its cgroup
 * directories, its state directory, its mounts. After close, all of it must be gone.
 */
final class HostTraces {

    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static final Path STATE_DIR = SandboxRuntime.defaultStateDir();
    /** This JVM's directories: other JVMs (a parallel build, a podman lane) may have containers with the same id. */
    private static final String OWN_DIRECTORY = "junit-sandbox-" + ProcessHandle.current().pid();

    private HostTraces() {
    }

    /** Everything still on the host of the container {@code id} whose PID 1 was {@code hostPid}; empty when none. */
    static List<String> of(String id, long hostPid) {
        List<String> traces = new ArrayList<>();
        if (ProcessHandle.of(hostPid).map(ProcessHandle::isAlive).orElse(false)) {
            traces.add("process " + hostPid + " is alive");
        }
        // cgroups: junit-sandbox-<jvm pid>-<id> in a parent cgroup; state: junit-sandbox-<jvm pid>/<id>
        traces.addAll(directoriesWhere(CGROUP_ROOT, 6, dir -> dir.getFileName().toString().equals(OWN_DIRECTORY + "-" + id)));
        traces.addAll(directoriesWhere(STATE_DIR, 3, dir -> dir.getFileName().toString().equals(id)
                && dir.getParent().getFileName().toString().equals(OWN_DIRECTORY)));
        traces.addAll(mountsMentioning(id));
        return traces;
    }

    /** Other tests create and remove cgroups meanwhile: a directory that vanishes during the walk is skipped. */
    private static List<String> directoriesWhere(Path root, int depth, Predicate<Path> isTrace) {
        List<String> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, Set.of(), depth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    if (dir.getFileName() != null && isTrace.test(dir)) {
                        found.add("directory " + dir);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static List<String> mountsMentioning(String id) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.filter(l -> l.contains(OWN_DIRECTORY + "/" + id)).map(l -> "mount " + l).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
