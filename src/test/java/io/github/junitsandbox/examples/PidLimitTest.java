package io.github.junitsandbox.examples;

import static io.github.junitsandbox.SandboxAssertions.assertThat;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import org.junit.jupiter.api.Test;

/** A PID limit turns a runaway fork loop into a test failure instead of a dead machine. */
class PidLimitTest {

    @Test
    @Sandbox(pids = 10)
    void forkingPastTheLimitFails(Container box) {
        String forkTwenty = "for i in $(seq 20); do sleep 60 >/dev/null 2>&1 & done";

        assertThat(box.exec("sh", "-c", forkTwenty)).stderr().contains("fork");

        assertThat(box).visiblePids().hasSizeLessThanOrEqualTo(10);
    }
}
