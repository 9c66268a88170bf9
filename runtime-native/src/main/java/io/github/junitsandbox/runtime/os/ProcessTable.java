package io.github.junitsandbox.runtime.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** What {@code /proc} says about processes: whether one exists and when it started. */
public final class ProcessTable {

    private final Path proc;
    private final long ticksPerSecond;

    /** @param proc {@code /proc}, or a copy of the files that matter in tests */
    public ProcessTable(Path proc, long ticksPerSecond) {
        this.proc = proc;
        this.ticksPerSecond = ticksPerSecond;
    }

    /**
     * The unit of the times in {@code /proc/PID/stat}: {@code USER_HZ}, 100 on every architecture this runtime is built
     * for (x86_64, aarch64) whatever the kernel's own HZ; {@code sysconf(_SC_CLK_TCK)} says the same, through JNA, which a
     * fresh JVM's first launch does not wait for.
     */
    public static final long USER_HZ = 100;

    public static ProcessTable system() {
        return new ProcessTable(Path.of("/proc"), USER_HZ);
    }

    /**
     * When the process started, to the second ({@code btime} in {@code /proc/stat} has no finer
     * resolution), or empty when there is no such process.
     */
    public Optional<Instant> startTime(long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"));
            // comm (field 2) may hold spaces and parentheses: fields are counted after its closing parenthesis
            String[] afterComm = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(afterComm[19]);
            long startMillis = bootTimeSeconds() * 1000 + startTicks * 1000 / ticksPerSecond;
            return Optional.of(Instant.ofEpochMilli(startMillis));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private long bootTimeSeconds() throws IOException {
        for (String line : Files.readAllLines(proc.resolve("stat"))) {
            if (line.startsWith("btime ")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new IOException("no btime in " + proc.resolve("stat"));
    }
}
