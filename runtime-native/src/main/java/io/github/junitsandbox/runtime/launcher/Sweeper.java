package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.cgroup.CgroupDriver;
import io.github.junitsandbox.runtime.os.ProcessTable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes what JVMs that died without cleaning up left behind: state directories
 * {@code junit-sandbox-<pid>} and cgroups. The owner of {@code junit-sandbox-<pid>} is dead when
 * no process has that pid, or when the process that has it started after the directory was
 * created (the pid was reused).
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

    /** Deletes the state directories of dead JVMs that this user may delete, then has {@code cgroups} sweep with the same test. */
    public void sweep(CgroupDriver cgroups) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(stateDir, JVM_DIRECTORY_PREFIX + "*")) {
            for (Path entry : entries) {
                OptionalLong owner = ownerPid(entry);
                if (owner.isPresent() && owner.getAsLong() != selfPid && Files.isWritable(entry) && !ownerAlive(owner.getAsLong())) {
                    LaunchedContainer.deleteRecursively(entry);
                }
            }
        } catch (IOException e) {
            // a state directory that cannot be listed has nothing of ours to sweep
        }
        if (cgroups != null) {
            cgroups.sweep(this::ownerAlive);
        }
    }

    /** Whether the JVM {@code pid} that owns our things is still running. */
    public boolean ownerAlive(long pid) {
        if (pid == selfPid) {
            return true;
        }
        Optional<Instant> started = processes.startTime(pid);
        if (started.isEmpty()) {
            return false;
        }
        Optional<Instant> created = creationTime(jvmDirectory(stateDir, pid));
        return created.isEmpty() || !started.get().isAfter(created.get().plus(CLOCK_ALLOWANCE));
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
}
