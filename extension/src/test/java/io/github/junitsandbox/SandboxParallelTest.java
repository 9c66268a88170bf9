package io.github.junitsandbox;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.Observed.Sighting;
import io.github.junitsandbox.Sandbox.Lifecycle;
import io.github.junitsandbox.runtime.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** Classes and methods running in parallel each get their own container, and all are cleaned up. */
class SandboxParallelTest {

    @KitSubject
    @Sandbox(hostname = "first")
    static class First {
        @RepeatedTest(4)
        void test(Container box, RepetitionInfo repetition) {
            Observed.container(First.class, "first", box);
            assertThat(box).hasHostname("first");
            String mine = "repetition " + repetition.getCurrentRepetition();
            assertThat(box.exec("sh", "-c", "echo \"$1\" > /owner; sleep 0.2; cat /owner", "sh", mine))
                    .succeeded().hasStdout(mine + "\n");
            assertThat(box).visiblePids().containsExactly(1L);
        }
    }

    @KitSubject
    @Sandbox(hostname = "second")
    static class Second {
        @RepeatedTest(4)
        void test(Container box) {
            Observed.container(Second.class, "second", box);
            assertThat(box).hasHostname("second");
            assertThat(box).visiblePids().containsExactly(1L);
        }
    }

    @KitSubject
    @Sandbox(hostname = "shared", lifecycle = Lifecycle.PER_CLASS)
    static class SharedAcrossParallelMethods {
        @RepeatedTest(4)
        void test(Container box) {
            Observed.container(SharedAcrossParallelMethods.class, "shared", box);
            assertThat(box.exec("hostname")).succeeded().hasStdout("shared\n");
        }
    }

    @Test
    void parallelClassesAndMethodsEachUseTheirContainer() {
        Map<String, String> parallel = Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent");

        KitRun.run(parallel, First.class, Second.class, SharedAcrossParallelMethods.class)
                .testEvents().assertStatistics(s -> s.started(12).succeeded(12));

        List<Sighting> perTest = new ArrayList<>(Observed.takeFrom(First.class));
        perTest.addAll(Observed.takeFrom(Second.class));
        assertThat(perTest).hasSize(8).extracting(Sighting::containerId).doesNotHaveDuplicates();
        List<Sighting> shared = Observed.takeFrom(SharedAcrossParallelMethods.class);
        assertThat(shared).hasSize(4).extracting(Sighting::containerId).containsOnly(shared.get(0).containerId());
        perTest.addAll(shared);
        perTest.forEach(s -> assertThat(HostTraces.of(s.containerId(), s.hostPid())).as("left behind by %s", s).isEmpty());
    }
}
