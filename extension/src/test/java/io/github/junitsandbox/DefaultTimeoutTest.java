package io.github.junitsandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.junitsandbox.Observed.Sighting;
import io.github.junitsandbox.runtime.Container;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Without a {@code @Sandbox timeout}, a test is bounded by {@code junit.sandbox.timeout}, else by
 * the built-in 2 minutes (README, "Reliability"): a test body stuck in its container fails and the
 * container is killed, instead of hanging the build.
 */
class DefaultTimeoutTest {

    @KitSubject
    @Sandbox
    static class StuckInItsContainer {
        @Test
        void waitsForever(Container box) throws InterruptedException {
            Observed.container(StuckInItsContainer.class, "waitsForever", box);
            box.start("sleep", "3600").waitFor();
        }
    }

    @Test
    void theConfiguredDefaultTimeoutEndsAStuckTestAndKillsItsContainer() {
        KitRun.run(Map.of(SandboxConfiguration.TIMEOUT, "500ms"), StuckInItsContainer.class).testEvents()
                .assertThatEvents().haveExactly(1, event(test("waitsForever"), finishedWithFailure(message(
                        "test timed out after 500ms (timeout from configuration parameter junit.sandbox.timeout or its default);"
                                + " its container " + Observed.seenBy(StuckInItsContainer.class).get(0).containerId() + " was killed"))));

        Sighting stuck = Observed.takeFrom(StuckInItsContainer.class).get(0);
        assertThat(HostTraces.of(stuck.containerId(), stuck.hostPid())).as("left behind by the timed-out test").isEmpty();
    }

    @Test
    void theBuiltInDefaultIsTwoMinutes() {
        assertThat(SandboxConfiguration.from(name -> Optional.empty()).defaultTimeout()).isEqualTo(Duration.ofMinutes(2));
    }
}
