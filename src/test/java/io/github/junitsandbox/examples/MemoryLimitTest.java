package io.github.junitsandbox.examples;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import org.junit.jupiter.api.Test;

/** A memory limit is enforced by the kernel: a subject that wants more is OOM-killed. */
class MemoryLimitTest {

    @Test
    @Sandbox(memory = "32m", command = {"dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"})
    void aSubjectAskingForMoreThanTheLimitIsOomKilled(Container box) {
        assertThat(box).exitedWith(137); // 128 + SIGKILL
        assertThat(box).wasOomKilled();
    }

    @Test
    @Sandbox(memory = "64m")
    void withinTheLimitAllIsWell(Container box) {
        assertThat(box.exec("dd", "if=/dev/zero", "of=/dev/null", "bs=16M", "count=1")).succeeded();
        assertThat(box.oomKilled()).isFalse();
    }
}
