package io.github.junitsandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.SandboxRuntime;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * What {@code @Sandbox} costs a test: the same test (run one command) with a fresh container per
 * test and without one, each run on the Jupiter engine in this JVM; and the latency of one exec into
 * a running container; and, to tell the extension's share from the runtime's, the runtime's own
 * launch, exec and close without JUnit. Prints median and 90th percentile; asserts only that every measured test
 * passed. Not part of {@code mvn verify} (the name matches no Surefire include); run as root with
 * {@code mvn -B -ntp -pl extension -am test -Dtest=SandboxOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SandboxOverheadBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 200);
    private static final int EXECS = Integer.getInteger("bench.execs", 500);

    @KitSubject
    @Sandbox
    static class WithSandbox {
        @Test
        void runsOneCommand(Container box) {
            assertThat(box.exec("true").exitCode()).isZero();
        }
    }

    @KitSubject
    static class WithoutSandbox {
        @Test
        void runsOneCommand() throws IOException, InterruptedException {
            assertThat(new ProcessBuilder("true").start().waitFor()).isZero();
        }
    }

    static final List<Long> EXEC_NANOS = new CopyOnWriteArrayList<>();

    @KitSubject
    @Sandbox(lifecycle = Sandbox.Lifecycle.PER_CLASS)
    static class ExecLatency {
        @Test
        void execsRepeatedly(Container box) {
            for (int i = 0; i < EXECS; i++) {
                long start = System.nanoTime();
                int status = box.exec("true").exitCode();
                EXEC_NANOS.add(System.nanoTime() - start);
                assertThat(status).isZero();
            }
        }
    }

    @Test
    void printPerTestOverheadAndExecLatency() {
        warmUp();
        List<Long> with = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        List<Long> runtimeAlone = new ArrayList<>();
        SandboxRuntime runtime = SandboxRuntime.builder().build();
        ContainerSpec defaults = ContainerSpec.builder().build();
        for (int i = 0; i < ROUNDS; i++) {
            with.add(testNanos(KitRun.run(WithSandbox.class)));
            without.add(testNanos(KitRun.run(WithoutSandbox.class)));
            long start = System.nanoTime();
            try (Container box = runtime.launch(defaults)) {
                assertThat(box.exec("true").exitCode()).isZero();
            }
            runtimeAlone.add(System.nanoTime() - start);
        }
        EXEC_NANOS.clear();
        KitRun.run(ExecLatency.class).testEvents().assertStatistics(s -> s.succeeded(1));

        System.out.printf(Locale.ROOT, "%n%-58s %10s %10s%n", "per test, " + ROUNDS + " rounds, interleaved", "median", "p90");
        print("@Sandbox test: launch, one exec, close", with);
        print("same test without @Sandbox: one ProcessBuilder spawn", without);
        print("the runtime alone, no JUnit: launch, one exec, close", runtimeAlone);
        System.out.printf(Locale.ROOT, "%-58s %8.2fms%n", "overhead of @Sandbox (difference of medians)",
                (percentile(with, 50) - percentile(without, 50)) / 1e6);
        print("exec into a running container (" + EXECS + " execs)", EXEC_NANOS);
    }

    private static void warmUp() {
        for (int i = 0; i < 20; i++) {
            testNanos(KitRun.run(WithSandbox.class));
            testNanos(KitRun.run(WithoutSandbox.class));
        }
    }

    /** From the test's start event to its finish event: its callbacks, its body and its store's closing. */
    private static long testNanos(EngineExecutionResults results) {
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        Event started = results.testEvents().started().list().get(0);
        Event finished = results.testEvents().finished().list().get(0);
        assertThat(started.getTestDescriptor().getType()).isEqualTo(TestDescriptor.Type.TEST);
        return Duration.between(started.getTimestamp(), finished.getTimestamp()).toNanos();
    }

    private static void print(String what, List<Long> nanos) {
        System.out.printf(Locale.ROOT, "%-58s %8.2fms %8.2fms%n", what, percentile(nanos, 50) / 1e6, percentile(nanos, 90) / 1e6);
    }

    private static double percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }
}
