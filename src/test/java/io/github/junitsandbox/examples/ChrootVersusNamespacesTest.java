package io.github.junitsandbox.examples;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.KillPermission;
import io.github.junitsandbox.runtime.Namespace;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Why containers need namespaces, not just their own root: the scenario that started this project.
 * A process on the host ({@code top}) is watched from both kinds of box.
 */
class ChrootVersusNamespacesTest {

    private Process hostTop;

    @BeforeEach
    void startTopOnTheHost() throws IOException {
        hostTop = new ProcessBuilder("top", "-b", "-d", "1").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @AfterEach
    void stopTopOnTheHost() {
        hostTop.destroyForcibly();
    }

    @Test
    @Sandbox(namespaces = Namespace.MOUNT) // like chroot: its own root filesystem, nothing else separated
    void rootInsideAChrootSeesAndKillsTheHostsProcesses(Container box) throws InterruptedException {
        assertThat(box).visiblePids().contains(hostTop.pid());

        assertThat(box.exec("kill", String.valueOf(hostTop.pid()))).succeeded();

        assertThat(hostTop.waitFor(10, TimeUnit.SECONDS)).as("host's top killed from inside").isTrue();
    }

    @Test
    @Sandbox(command = {"sleep", "3600"}) // the default namespaces: PID, UTS, IPC, MOUNT, NET, CGROUP
    void withNamespacesItSeesOnlyItselfAndKillsNothingOutside(Container box) {
        assertThat(box).visiblePids().containsExactly(1L, 2L); // its init and the subject

        assertThat(box).hasKillPermission(hostTop.pid(), KillPermission.NOT_VISIBLE);
        assertThat(box.exec("kill", String.valueOf(hostTop.pid()))).exitedWith(1);

        assertThat(hostTop.isAlive()).as("host's top still running").isTrue();
    }
}
