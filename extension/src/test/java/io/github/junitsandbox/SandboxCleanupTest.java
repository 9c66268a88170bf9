package io.github.junitsandbox;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.junitsandbox.Observed.Sighting;
import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.PidLimitMechanism;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/**
 * A container is closed whatever its test did: its PID 1 gone, its cgroup and state directory
 * removed, observed from outside after the run.
 */
class SandboxCleanupTest {

    @KitSubject
    @Sandbox(command = {"sleep", "3600"})
    static class EndingBadly {
        @Test
        void fails(Container box) {
            Observed.container(EndingBadly.class, "fails", box);
            assertThat(box).hasHostname("not-the-hostname");
        }

        @Test
        void throwsAnException(Container box) {
            Observed.container(EndingBadly.class, "throwsAnException", box);
            throw new IllegalStateException("the test body blew up");
        }

        @Test
        @Timeout(value = 300, unit = TimeUnit.MILLISECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void overrunsJUnitsTimeout(Container box) {
            Observed.container(EndingBadly.class, "overrunsJUnitsTimeout", box);
            box.exec("sleep", "30");
        }

        @Test
        @Sandbox(timeout = "300ms")
        void overrunsTheSandboxTimeout(Container box) throws InterruptedException {
            Observed.container(EndingBadly.class, "overrunsTheSandboxTimeout", box);
            box.start("sleep", "30").waitFor();
        }

        @RepeatedTest(1)
        @Sandbox(timeout = "300ms")
        void repeatedTestRunningTooLong(Container box) throws InterruptedException {
            Observed.container(EndingBadly.class, "repeatedTestRunningTooLong", box);
            box.start("sleep", "30").waitFor();
        }

        @Test
        @Sandbox(timeout = "300ms")
        void execOutlastingTheTimeout(Container box) {
            Observed.container(EndingBadly.class, "execOutlastingTheTimeout", box);
            box.exec("sleep", "30");
        }

        @Test
        void leavesBackgroundProcesses(Container box) {
            Observed.container(EndingBadly.class, "leavesBackgroundProcesses", box);
            box.start("sleep", "3600");
            box.start("sh", "-c", "sleep 3600 & sleep 3600");
        }
    }

    @Test
    @Sandbox
    void aRunningContainersTracesAreSeenFromOutside(Container box) {
        assertThat(HostTraces.of(box.id(), box.hostPid())).anyMatch(trace -> trace.startsWith("process " + box.hostPid()));
        // a plain user without a delegated cgroup gets none: its default PID limit is RLIMIT_NPROC
        if (box.pidLimit() == PidLimitMechanism.CGROUP) {
            assertThat(HostTraces.of(box.id(), box.hostPid())).anyMatch(trace -> trace.startsWith("directory /sys/fs/cgroup/"));
        }
    }

    @Test
    void everyContainerIsGoneAfterItsTestWhateverTheOutcome() {
        EngineExecutionResults results = KitRun.run(EndingBadly.class);

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("fails"), finishedWithFailure(instanceOf(AssertionFailedError.class))))
                .haveExactly(1, event(test("throwsAnException"), finishedWithFailure(message("the test body blew up"))))
                .haveExactly(1, event(test("overrunsJUnitsTimeout"), finishedWithFailure(instanceOf(TimeoutException.class))))
                .haveExactly(1, event(test("overrunsTheSandboxTimeout"), finishedWithFailure(
                        instanceOf(AssertionFailedError.class),
                        message(m -> m.startsWith("test timed out after 300ms (timeout from @Sandbox timeout)")))))
                .haveExactly(1, event(test("repeatedTestRunningTooLong"), finishedWithFailure(
                        message(m -> m.startsWith("test timed out after 300ms")))))
                // the runtime bounds each exec by the same timeout; whichever of the two fires first, the test fails saying so
                .haveExactly(1, event(test("execOutlastingTheTimeout"), finishedWithFailure(
                        message(m -> m.startsWith("test timed out after 300ms") || m.contains("still running after PT0.3S")))));
        results.testEvents().assertStatistics(s -> s.started(7).failed(6).succeeded(1));
        List<Sighting> seen = Observed.takeFrom(EndingBadly.class);
        assertThat(seen).hasSize(7);
        seen.forEach(s -> assertThat(HostTraces.of(s.containerId(), s.hostPid())).as("left behind by %s", s).isEmpty());
    }
}
