package io.github.junitsandbox.examples;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Each container has its own hostname, which its subject sees and cannot change. */
@Sandbox(hostname = "box")
class HostnameTest {

    @Test
    void theSubjectSeesTheHostnameItWasGiven(Container box) {
        assertThat(box).hasHostname("box");
        assertThat(box.exec("hostname")).succeeded().hasStdout("box\n");
    }

    @Test
    void rootInsideMayNotRenameItsBoxNorTheHost(Container box) throws UnknownHostException {
        String hostBefore = InetAddress.getLocalHost().getHostName();

        assertThat(box.exec("hostname", "renamed-inside")).exitedWith(1); // no CAP_SYS_ADMIN, as in Docker

        assertThat(box).hasHostname("box");
        assertThat(InetAddress.getLocalHost().getHostName()).isEqualTo(hostBefore);
    }
}
