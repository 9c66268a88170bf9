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

    /** 80 MiB into /dev/shm: more than its default size (64 MiB, Docker's), which bounds what shared memory can take. */
    private static final String FILL_SHM = "dd if=/dev/zero of=/dev/shm/fill bs=1M count=80 2>&1; echo size $(stat -c %s /dev/shm/fill)";

    @Test
    void sharedMemoryStopsAtItsSize(Container box) {
        assertThat(box.exec("sh", "-c", FILL_SHM)).stdout().contains("No space left on device").endsWith("size " + (64 << 20) + "\n");
    }

    @Test
    @Sandbox(shmSize = "128m")
    void twinWithALargerShmSizeTheWriteFits(Container box) {
        assertThat(box.exec("sh", "-c", FILL_SHM)).stdout().doesNotContain("No space left").endsWith("size " + (80 << 20) + "\n");
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
