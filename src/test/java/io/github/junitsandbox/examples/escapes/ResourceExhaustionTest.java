package io.github.junitsandbox.examples.escapes;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertEscaped;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.attempt;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Taking the machine's processes or memory: the container's cgroup limits stop it. Each bomb is bounded, so that a twin ends. */
@WithEscapeProbe
class ResourceExhaustionTest {

    /** More than the default PID limit (1024), few enough for any machine. */
    private static final String FORKS = "1200";

    @BeforeAll
    static void buildProbe() throws Exception {
        EscapeProbe.build();
    }

    @Test
    void aForkBombStopsAtThePidLimit(Container box) {
        assertThat(attempt(box, "fork-bomb", FORKS)).exitedWith(1).stdout().startsWith("BLOCKED fork after ").endsWith(": EAGAIN\n");
    }

    @Test
    @Sandbox(pids = 0)
    void twinWithoutAPidLimitTheForksAllSucceed(Container box) {
        assertEscaped(attempt(box, "fork-bomb", FORKS));
    }

    @Test
    @Sandbox(memory = "64m")
    void aMemoryBombIsOomKilledAtTheLimit(Container box) {
        assertThat(attempt(box, "memory-bomb", "256")).wasKilledBy(9);
        assertThat(box).wasOomKilled();
    }

    @Test
    void twinWithoutAMemoryLimitTheMemoryIsTaken(Container box) {
        assertEscaped(attempt(box, "memory-bomb", "256"));
    }
}
