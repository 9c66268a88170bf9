package io.github.junitsandbox;

import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.junitsandbox.fixtures.busybox.BusyboxRootfs;
import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.UnsupportedHostException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * When the host cannot give a test its container, the test fails with the runtime's reason and fix,
 * or is aborted with it under {@code junit.sandbox.unsupported=abort}; it never passes. Abort is for
 * what the host lacks only: any other launch failure fails the test under abort too. The host here can
 * run containers, so each failure is made real: a busybox rootfs whose binary this host does not have
 * (what the host lacks), and a state directory that is a regular file (not the host's shortcoming).
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

    @KitSubject
    @Sandbox(rootfs = "busybox")
    static class NeedsBusybox {
        @Test
        void test(Container box) {
        }
    }

    @Test
    void failsWithTheRuntimesReasonByDefault(@TempDir Path tmp) throws IOException {
        KitRun.run(unusableStateDir(tmp, "fail"), NeedsAContainer.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("test"), finishedWithFailure(instanceOf(SandboxException.class),
                        message(m -> m.contains("state-is-a-file")))));
    }

    @Test
    void aFailureThatIsNotTheHostsStillFailsUnderAbort(@TempDir Path tmp) throws IOException {
        KitRun.run(unusableStateDir(tmp, "abort"), NeedsAContainer.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("test"), finishedWithFailure(instanceOf(SandboxException.class),
                        message(m -> m.contains("state-is-a-file")))));
    }

    @Test
    void whatTheHostLacksFailsByDefaultAndIsAbortedWhenConfiguredSo(@TempDir Path tmp) {
        String missingBusybox = tmp.resolve("no-busybox-here").toString();
        String before = System.getProperty(BusyboxRootfs.BINARY_PROPERTY);
        System.setProperty(BusyboxRootfs.BINARY_PROPERTY, missingBusybox);
        try {
            Map<String, String> cache = Map.of("junit.sandbox.cacheDir", tmp.resolve("cache").toString());
            KitRun.run(with(cache, "junit.sandbox.unsupported", "fail"), NeedsBusybox.class).testEvents().assertThatEvents()
                    .haveExactly(1, event(test("test"), finishedWithFailure(instanceOf(UnsupportedHostException.class),
                            message(m -> m.contains(missingBusybox) && m.contains("apt-get install busybox-static")))));
            KitRun.run(with(cache, "junit.sandbox.unsupported", "abort"), NeedsBusybox.class).testEvents().assertThatEvents()
                    .haveExactly(1, event(test("test"), abortedWithReason(instanceOf(TestAbortedException.class),
                            message(m -> m.contains("junit.sandbox.unsupported=abort") && m.contains("apt-get install busybox-static")))));
        } finally {
            if (before == null) {
                System.clearProperty(BusyboxRootfs.BINARY_PROPERTY);
            } else {
                System.setProperty(BusyboxRootfs.BINARY_PROPERTY, before);
            }
        }
    }

    private static Map<String, String> with(Map<String, String> parameters, String key, String value) {
        Map<String, String> all = new HashMap<>(parameters);
        all.put(key, value);
        return all;
    }
}
