package io.github.junitsandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launch latency under load: {@link ParallelLoad}'s 64 parallel tests, run {@code bench.rounds} times
 * (default 5); prints the median and 99th percentile of the time from a test's first before-each
 * callback to its body (the container's launch as the test sees it). Asserts only that every test
 * passed. Not part of {@code mvn verify} (the name matches no Surefire include); run as root with
 * {@code mvn -B -ntp -pl extension -am test -Dtest=ParallelLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ParallelLoadBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

    @Test
    void launchLatencyWithSixtyFourContainersAtOnce(@TempDir Path stateDir) {
        ParallelLoad.run(stateDir); // warm-up: class loading, launcher extraction, the first sweep
        LaunchClock.LAUNCH_NANOS.clear();
        for (int i = 0; i < ROUNDS; i++) {
            ParallelLoad.run(stateDir).testEvents().assertStatistics(s -> s.succeeded(ParallelLoad.CONTAINERS));
        }
        List<Long> nanos = new ArrayList<>(LaunchClock.LAUNCH_NANOS);
        Collections.sort(nanos);
        System.out.printf(Locale.ROOT, "launch latency with %d containers at once, %d launches: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                ParallelLoad.CONTAINERS, nanos.size(), millis(nanos, 0.50), millis(nanos, 0.99), nanos.get(nanos.size() - 1) / 1e6);
    }

    private static double millis(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.ceil(quantile * sorted.size()) - 1) / 1e6;
    }
}
