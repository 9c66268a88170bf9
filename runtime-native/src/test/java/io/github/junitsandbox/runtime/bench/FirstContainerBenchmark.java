package io.github.junitsandbox.runtime.bench;

import io.github.junitsandbox.runtime.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a fresh JVM pays for its first container, as a Maven run does: {@code bench.jvms} JVMs (default 15) each launch two
 * containers (the default spec, {@code /bin/true}; from {@code Sandboxes.launch} to {@code close()} returning) with the cache
 * warm (the launcher extracted, the seccomp program compiled by an earlier JVM), and as many with an empty cache; as
 * many again start only {@code /bin/true} through ProcessBuilder, the machine's floor for a fresh JVM's first process.
 * The three kinds take turns, so that the machine's load hits them alike. Prints the median and 90th percentile of each.
 * {@code mvn -B -ntp -q -pl runtime-native test-compile exec:java@bench-first} (README, "Benchmarks").
 */
public final class FirstContainerBenchmark {

    private static final int JVMS = Integer.getInteger("bench.jvms", 15);

    private FirstContainerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("junit-sandbox-bench-first-");
        try {
            Path warmCache = work.resolve("warm-cache");
            run(List.of(property("cacheDir", warmCache), property("stateDir", work)), "first-container");
            Map<String, List<Long>> samples = new LinkedHashMap<>();
            for (int i = 0; i < JVMS; i++) {
                record(samples, "floor: ProcessBuilder /bin/true, first spawn", run(List.of(), "first-spawn").get("spawn"));
                Map<String, Long> warm = run(List.of(property("cacheDir", warmCache), property("stateDir", work)), "first-container");
                record(samples, "first container, warm cache", warm.get("first"));
                record(samples, "second container", warm.get("second"));
                record(samples, "JVM start to main (for scale)", warm.get("to-main"));
                Path cold = work.resolve("cold-" + i);
                record(samples, "first container, empty cache", run(List.of(property("cacheDir", cold), property("stateDir", work)),
                        "first-container").get("first"));
            }
            System.out.printf(Locale.ROOT, "%d fresh JVMs of each kind%n%-48s %9s %9s%n", JVMS, "", "median", "p90");
            samples.forEach((what, values) -> System.out.printf(Locale.ROOT, "%-48s %6.1f ms %6.1f ms%n", what,
                    percentile(values, 50), percentile(values, 90)));
            double ratio = percentile(samples.get("first container, warm cache"), 50)
                    / percentile(samples.get("floor: ProcessBuilder /bin/true, first spawn"), 50);
            System.out.printf(Locale.ROOT, "first container (warm) / first spawn: %.1fx%n", ratio);
        } finally {
            delete(work);
        }
    }

    private static String property(String name, Path value) {
        return "-Djunit.sandbox." + name + "=" + value;
    }

    /** One fresh JVM running a scenario of ContainerLaunchingChild: its "name nanoseconds" lines. */
    private static Map<String, Long> run(List<String> properties, String scenario) throws Exception {
        Process child = ChildJvm.start(List.of(), ChildJvm.classPath(), properties, scenario);
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : ChildJvm.linesUntilDone(child, Duration.ofSeconds(120))) {
            String[] parts = line.split(" ");
            values.put(parts[0], Long.parseLong(parts[1]));
        }
        child.waitFor();
        return values;
    }

    private static void record(Map<String, List<Long>> samples, String what, Long nanos) {
        if (nanos == null) {
            throw new IllegalStateException(what + ": the child JVM printed no figure");
        }
        samples.computeIfAbsent(what, k -> new ArrayList<>()).add(nanos);
    }

    private static double percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
