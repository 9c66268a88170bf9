package io.github.junitsandbox;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.runtime.Container;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * 64 sandboxed tests at once under JUnit's parallel execution (a fixed parallelism of 64), each
 * writing and reading back a file and exec'ing into its container while all 64 containers run.
 */
final class ParallelLoad {

    static final int CONTAINERS = 64;

    private ParallelLoad() {
    }

    @KitSubject
    @ExtendWith(LaunchClock.class)
    @Sandbox
    static class SixtyFourAtOnce {
        /** Counted down by each test once its container runs; set by {@link #run(Path)}. */
        static volatile CountDownLatch running;

        @RepeatedTest(CONTAINERS)
        void doesIoAndExec(Container box) throws InterruptedException {
            String write = "dd if=/dev/urandom of=/tmp/data bs=64k count=16 2>/dev/null; sha256sum < /tmp/data";
            String written = box.exec("sh", "-c", write).stdout();

            running.countDown();
            assertThat(running.await(2, TimeUnit.MINUTES)).as("all %d containers running at once", CONTAINERS).isTrue();

            assertThat(box.exec("sh", "-c", "cat /tmp/data | sha256sum")).succeeded().hasStdout(written);
            assertThat(box.exec("hostname")).succeeded().hasStdout("sandbox\n");
            assertThat(box).visiblePids().containsExactly(1L);
        }
    }

    /** Runs the 64 tests once, in parallel, with their state under {@code stateDir}; the results for the caller to check. */
    static EngineExecutionResults run(Path stateDir) {
        SixtyFourAtOnce.running = new CountDownLatch(CONTAINERS);
        return KitRun.run(Map.of(
                SandboxConfiguration.STATE_DIR, stateDir.toString(),
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(CONTAINERS)), SixtyFourAtOnce.class);
    }
}
