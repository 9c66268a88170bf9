package io.github.junitsandbox.examples;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Commands run inside a running container, like {@code docker exec}, with their output and status. */
@Sandbox
class ExecTest {

    @Test
    void outputAndExitStatusComeBack(Container box) {
        assertThat(box.exec("sh", "-c", "echo hi; echo oops >&2; exit 3"))
                .exitedWith(3)
                .hasStdout("hi\n")
                .hasStderr("oops\n");
    }

    @Test
    void aKilledCommandSaysBySignal(Container box) {
        assertThat(box.exec("sh", "-c", "kill -TERM $$")).wasKilledBy(15);
    }

    @Test
    void whatATestWritesStaysInItsContainer(Container box) {
        assertThat(box.exec("sh", "-c", "echo scratch > /written-by-a-test && cat /written-by-a-test"))
                .succeeded()
                .stdout().isEqualTo("scratch\n");

        assertThat(Path.of("/written-by-a-test")).doesNotExist(); // on the host
    }
}
