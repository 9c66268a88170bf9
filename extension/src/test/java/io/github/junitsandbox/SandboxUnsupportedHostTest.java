package io.github.junitsandbox;

import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * When the runtime cannot give a test its container, the test fails with the runtime's reason, or
 * is aborted with it under {@code junit.sandbox.unsupported=abort}; it never passes. The host here
 * can run containers, so the runtime is made to fail for real by giving it a state directory that
 * is a regular file.
 */
class SandboxUnsupportedHostTest {

    @KitSubject
    @Sandbox
    static class NeedsAContainer {
        @Test
        void test(Container box) {
        }
    }

    private static Map<String, String> unusableStateDir(Path tmp, String policy) throws IOException {
        Path notADirectory = Files.writeString(tmp.resolve("state-is-a-file"), "");
        return Map.of("junit.sandbox.stateDir", notADirectory.toString(), "junit.sandbox.unsupported", policy);
    }

    @Test
    void failsWithTheRuntimesReasonByDefault(@TempDir Path tmp) throws IOException {
        KitRun.run(unusableStateDir(tmp, "fail"), NeedsAContainer.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("test"), finishedWithFailure(instanceOf(SandboxException.class),
                        message(m -> m.contains("state-is-a-file")))));
    }

    @Test
    void isAbortedWithTheReasonWhenConfiguredSo(@TempDir Path tmp) throws IOException {
        KitRun.run(unusableStateDir(tmp, "abort"), NeedsAContainer.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("test"), abortedWithReason(instanceOf(TestAbortedException.class),
                        message(m -> m.contains("junit.sandbox.unsupported=abort") && m.contains("state-is-a-file")))));
    }
}
