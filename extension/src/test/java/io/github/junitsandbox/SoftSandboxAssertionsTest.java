package io.github.junitsandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ExecResult;
import io.github.junitsandbox.runtime.ProcessEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The assertions work inside AssertJ's soft assertions, including the list and string ones they hand
 * out: message wording on recorded observations, and AssertJ's JUnit extension on a real container.
 */
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

    @KitSubject
    @Sandbox(hostname = "soft")
    @ExtendWith(SoftAssertionsExtension.class)
    static class WithAssertJsExtension {
        @InjectSoftAssertions
        SandboxSoftAssertions softly;

        @Test
        void collectsEveryFailure(Container box) {
            softly.assertThat(box).hasHostname("hard");
            softly.assertThat(box.exec("sh", "-c", "echo out; exit 4")).succeeded();
            softly.assertThat(box).visiblePids().containsExactly(1L, 2L);
        }
    }

    @Test
    void worksWithAssertJsSoftAssertionsExtensionOnARealContainer() {
        KitRun.run(WithAssertJsExtension.class).testEvents().assertThatEvents().haveExactly(1, event(test("collectsEveryFailure"),
                finishedWithFailure(message(m -> m.contains("Multiple Failures (3 failures)") && m.contains("\"hard\"")
                        && m.contains("4") && m.contains("whose process table is:")))));
    }
}
