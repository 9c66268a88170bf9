package io.github.junitsandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.junitsandbox.runtime.ExecResult;
import io.github.junitsandbox.runtime.ProcessEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The assertions work inside AssertJ's soft assertions, including the list and string ones they hand out. */
class SoftSandboxAssertionsTest {

    @Test
    void everyFailureIsCollectedAndReportedTogether() {
        RecordedContainer box = new RecordedContainer("sandbox",
                List.of(new ProcessEntry(1, 0, "S", "sandbox-init run"), new ProcessEntry(5, 0, "S", "sh")),
                Map.of(), false, 0, "");
        ExecResult echo = new ExecResult(3, "hi\n", "", Duration.ofMillis(1));
        SandboxSoftAssertions softly = new SandboxSoftAssertions();

        softly.assertThat(box).hasHostname("box");
        softly.assertThat(box).visiblePids().containsExactly(1L, 2L);
        softly.assertThat(echo).succeeded();
        softly.assertThat(echo).stdout().isEqualTo("bye\n");
        softly.assertThat("plain AssertJ").startsWith("plain");

        assertThat(softly.errorsCollected()).hasSize(4);
        assertThatThrownBy(softly::assertAll)
                .hasMessageContaining("Multiple Failures (4 failures)")
                .hasMessageContaining("\"sandbox\"")
                .hasMessageContaining("5       0 S sh")
                .hasMessageContaining("but it exited with:")
                .hasMessageContaining("stdout of the command");
    }
}
