package io.github.junitsandbox.examples;

import static io.github.junitsandbox.SandboxAssertions.assertThat;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import org.junit.jupiter.api.Test;

/** A subject in a minimal busybox root filesystem, with its own hostname and limits. */
@Sandbox(rootfs = "busybox", hostname = "box", memory = "64m", pids = 64, command = {"/bin/sleep", "3600"})
class ContainedTest {

    @Test
    void subjectIsContained(Container box) {
        assertThat(box).hasHostname("box");
        assertThat(box).visiblePids().containsExactly(1L, 2L);
        assertThat(box).cannotKill(ProcessHandle.current().pid());
        assertThat(box.exec("sh", "-c", "echo hi; exit 3")).exitedWith(3).hasStdout("hi\n");
    }

    @Test
    void theRootIsBusyboxNotTheHost(Container box) {
        assertThat(box.exec("readlink", "/bin/sh")).stdout().contains("busybox");
        assertThat(box.exec("test", "-e", "/usr/bin/java")).exitedWith(1);
    }
}
