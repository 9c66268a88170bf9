package io.github.junitsandbox.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What a container's cgroup costs per launch on this machine, as root: create with the default limits
 * (64 MiB memory, 1024 pids), then killAll and remove, empty and with one process placed in it. Prints the median
 * and p90 in microseconds. Run:
 * {@code mvn -B -ntp -q -pl runtime-native test-compile exec:java -Dexec.mainClass=io.github.junitsandbox.runtime.cgroup.CgroupLifecycleBenchmark -Dexec.classpathScope=test}
 */
public final class CgroupLifecycleBenchmark {

    private static final int WARM_UP = 50;
    private static final int RUNS = 300;

    private CgroupLifecycleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long pid = ProcessHandle.current().pid();
        CgroupLimits defaults = Limits.of(64L << 20, null, 1024L, null);
        CgroupDriver detected = CgroupDrivers.detect(null, pid, true);
        System.out.println(detected.describe());
        measure("detected, empty", () -> detected.create(id(), defaults), false);
        measure("detected, one process", () -> detected.create(id(), defaults), true);
        CgroupMounts.ofThisProcess().all().stream().filter(m -> m.version() == 2).findFirst().ifPresent(mount -> {
            CgroupV2Driver v2 = new CgroupV2Driver(mount.mountPoint(), mount.mountPoint(), pid);
            CgroupLimits supported = mount.controllers().containsAll(defaults.controllersNeeded().keySet()) ? defaults : CgroupLimits.none();
            System.out.println(v2.describe() + " with " + supported.describe());
            measure("cgroup2, empty", () -> v2.create(id(), supported), false);
            measure("cgroup2, one process", () -> v2.create(id(), supported), true);
        });
    }

    private static String id() {
        return "bench-" + UUID.randomUUID();
    }

    private static void measure(String what, Supplier<ContainerCgroup> create, boolean withProcess) {
        long[] createMicros = new long[RUNS];
        long[] teardownMicros = new long[RUNS];
        for (int i = -WARM_UP; i < RUNS; i++) {
            long start = System.nanoTime();
            ContainerCgroup cgroup = create.get();
            long created = System.nanoTime();
            Process process = null;
            try {
                if (withProcess) {
                    process = new ProcessBuilder("sleep", "600").start();
                    for (Path dir : cgroup.directories()) {
                        Files.writeString(dir.resolve("cgroup.procs"), Long.toString(process.pid()));
                    }
                }
                long teardownStart = System.nanoTime();
                cgroup.killAll();
                cgroup.remove();
                long end = System.nanoTime();
                if (i >= 0) {
                    createMicros[i] = (created - start) / 1000;
                    teardownMicros[i] = (end - teardownStart) / 1000;
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                if (process != null) {
                    process.destroyForcibly();
                }
            }
        }
        System.out.printf("%-24s create median %5d us p90 %5d us | killAll+remove median %5d us p90 %5d us%n", what,
                percentile(createMicros, 50), percentile(createMicros, 90), percentile(teardownMicros, 50), percentile(teardownMicros, 90));
    }

    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
    }
}
