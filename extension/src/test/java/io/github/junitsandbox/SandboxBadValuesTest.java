package io.github.junitsandbox;

import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.SandboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.Events;

/** A bad annotation value fails its test with a message naming the attribute, the value, where, and what is accepted. */
class SandboxBadValuesTest {

    static final String SUBJECT = "SandboxBadValuesTest.BadValues";

    @KitSubject
    static class BadValues {
        @Test
        @Sandbox(memory = "lots")
        void memory(Container box) {
        }

        @Test
        @Sandbox(pids = -5)
        void pids(Container box) {
        }

        @Test
        @Sandbox(hostname = "a-hostname-that-goes-on-and-on-well-past-the-sixty-four-characters-allowed")
        void hostname(Container box) {
        }

        @Test
        @Sandbox(rootfs = "floppy:/dev/fd0")
        void unknownRootfsScheme(Container box) {
        }

        @Test
        @Sandbox(rootfs = "dir:/nonexistent/junit-sandbox-rootfs")
        void missingRootfsDirectory(Container box) {
        }

        @Test
        @Sandbox(command = "/nonexistent/junit-sandbox-subject")
        void nonexistentCommand(Container box) {
        }

        @Test
        @Sandbox(capabilities = "SYS_ADMIN")
        void capabilityWithoutSign(Container box) {
        }

        @Test
        @Sandbox(seccomp = "/nonexistent/profile.json")
        void missingSeccompProfile(Container box) {
        }

        @Test
        @Sandbox(unmaskedPaths = "/etc")
        void unmaskingWhatIsNotMasked(Container box) {
        }
    }

    private static Events events() {
        return KitRun.run(BadValues.class).testEvents();
    }

    private static String declaredOn(String method) {
        return "(declared on method " + SUBJECT + "." + method + "()) is not accepted: ";
    }

    @Test
    void eachBadValueFailsItsTestNamingTheAttribute() {
        Events events = events();

        events.assertStatistics(s -> s.started(9).failed(9));
        events.assertThatEvents()
                .haveExactly(1, event(test("memory"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@Sandbox memory = \"lots\" " + declaredOn("memory"))))))
                .haveExactly(1, event(test("pids"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@Sandbox pids = -5 " + declaredOn("pids"))))))
                .haveExactly(1, event(test("hostname"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@Sandbox hostname = \"a-hostname-that-goes-on")
                                && m.contains(declaredOn("hostname"))))))
                .haveExactly(1, event(test("unknownRootfsScheme"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@Sandbox rootfs = \"floppy:/dev/fd0\" " + declaredOn("unknownRootfsScheme"))
                                && m.contains("dir:PATH")))))
                .haveExactly(1, event(test("missingRootfsDirectory"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@Sandbox rootfs = \"dir:/nonexistent/junit-sandbox-rootfs\" "
                                + declaredOn("missingRootfsDirectory"))))))
                .haveExactly(1, event(test("capabilityWithoutSign"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@Sandbox capabilities = \"SYS_ADMIN\" " + declaredOn("capabilityWithoutSign")
                                + "+NAME to add or -NAME to drop, NAME one of ALL, CHOWN")))))
                .haveExactly(1, event(test("missingSeccompProfile"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@Sandbox seccomp = \"/nonexistent/profile.json\" " + declaredOn("missingSeccompProfile")
                                + "\"default\", \"unconfined\", or the path")))))
                .haveExactly(1, event(test("unmaskingWhatIsNotMasked"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@Sandbox unmaskedPaths = \"/etc\" " + declaredOn("unmaskingWhatIsNotMasked")
                                + "ALL, or paths among the masked")))))
                .haveExactly(1, event(test("nonexistentCommand"), finishedWithFailure(instanceOf(SandboxException.class),
                        message(m -> m.contains("/nonexistent/junit-sandbox-subject") && m.endsWith(
                                "@Sandbox command = [/nonexistent/junit-sandbox-subject] (declared on method "
                                + SUBJECT + ".nonexistentCommand())")))));
    }
}
