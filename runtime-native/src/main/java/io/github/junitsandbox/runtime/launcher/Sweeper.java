package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.cgroup.CgroupDriver;
import io.github.junitsandbox.runtime.os.ProcessTable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes what JVMs that died without cleaning up left behind: state directories
 * {@code junit-sandbox-<pid>} and cgroups. The owner of {@code junit-sandbox-<pid>} is dead when
 * no process has that pid, or when the process that has it started after the directory was
 * created (the pid was reused).
 *
 * <p>That pid is one of the owner's PID namespace. A state directory is deleted on that test alone: it holds files,
 * no process, and a state directory is private to the JVMs that share its temp directory, which a JVM in another PID
 * namespace rarely does. Cgroups differ: a container sharing the host's cgroup tree shows its JVMs' directories to every
 * JVM on the host, where their pids mean nothing; so the cgroup sweep also needs them empty (see {@link CgroupDriver#sweep}).
 */
public final class Sweeper {

    static final String JVM_DIRECTORY_PREFIX = "junit-sandbox-";

    /** {@code btime} has one-second resolution: a process must have started this much later to count as a newer one. */
    static final Duration CLOCK_ALLOWANCE = Duration.ofSeconds(2);

    private static final Pattern JVM_DIRECTORY = Pattern.compile(Pattern.quote(JVM_DIRECTORY_PREFIX) + "(\\d{1,10})");

    private final Path stateDir;
    private final ProcessTable processes;
    private final long selfPid;

    public Sweeper(Path stateDir, ProcessTable processes, long selfPid) {
        this.stateDir = stateDir;
        this.processes = processes;
        this.selfPid = selfPid;
    }

    /** The per-JVM directory of {@code pid} under the state directory. */
    public static Path jvmDirectory(Path stateDir, long pid) {
        return stateDir.resolve(JVM_DIRECTORY_PREFIX + pid);
    }

    /**
     * Deletes the state directories of dead JVMs that this user may delete, then has {@code cgroups}
     * sweep with the same test (the directories' creation times are read before any is deleted).
     */
    public void sweep(CgroupDriver cgroups) {
        Map<Long, Path> directories = jvmDirectories();
        Map<Long, Optional<Instant>> created = new HashMap<>();
        directories.forEach((pid, dir) -> created.put(pid, creationTime(dir)));
        LongPredicate ownerAlive = pid -> ownerAlive(pid, created.getOrDefault(pid, Optional.empty()));
        directories.forEach((pid, dir) -> {
            if (Files.isWritable(dir) && !ownerAlive.test(pid)) {
                deleteRecursively(dir);
            }
        });
        cgroups.sweep(ownerAlive);
    }

    /**
     * @param created when the owner's state directory was made; empty when it has none, and then
     *     only whether the pid exists counts
     */
    private boolean ownerAlive(long pid, Optional<Instant> created) {
        if (pid == selfPid) {
            return true;
        }
        Optional<Instant> started = processes.startTime(pid);
        if (started.isEmpty()) {
            return false;
        }
        return created.isEmpty() || !started.get().isAfter(created.get().plus(CLOCK_ALLOWANCE));
    }

    private Map<Long, Path> jvmDirectories() {
        Map<Long, Path> directories = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(stateDir, JVM_DIRECTORY_PREFIX + "*")) {
            for (Path entry : entries) {
                ownerPid(entry).ifPresent(pid -> directories.put(pid, entry));
            }
        } catch (IOException e) {
            // a state directory that cannot be listed holds nothing of ours to sweep
        }
        return directories;
    }

    private static OptionalLong ownerPid(Path entry) {
        Matcher m = JVM_DIRECTORY.matcher(entry.getFileName().toString());
        return m.matches() && Files.isDirectory(entry) ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    private static Optional<Instant> creationTime(Path dir) {
        try {
            return Optional.of(Files.readAttributes(dir, BasicFileAttributes.class).creationTime().toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new SandboxException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
