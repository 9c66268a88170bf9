package io.github.junitsandbox;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.rootfs.Rootfs;
import io.github.junitsandbox.runtime.rootfs.RootfsContext;
import io.github.junitsandbox.runtime.rootfs.RootfsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Custom rootfs sources and binds, relative paths included, in real containers. */
class SandboxRootfsAndBindTest {

    /** A source that cannot be made by the extension: it has no no-argument constructor. */
    public static class NeedsAnArgument implements RootfsProvider {
        public NeedsAnArgument(String argument) {
        }

        @Override
        public Rootfs provide(RootfsContext context) {
            return new Rootfs.HostView();
        }

        @Override
        public String describe() {
            return "never made";
        }
    }

    @KitSubject
    static class Subjects {
        @Test
        @Sandbox(rootfsProvider = FixedRootfs.class)
        void customProvider(Container box) {
            assertThat(box.spec().describe()).contains("custom host view (FixedRootfs)");
            assertThat(box.exec("true")).succeeded();
        }

        @Test
        @Sandbox(rootfsProvider = NeedsAnArgument.class)
        void providerWithoutNoArgumentConstructor(Container box) {
        }

        @Test
        @Bind(source = "src/test/resources/bind-fixture", target = "/mnt/fixture")
        @Sandbox
        void relativeBindSourceIsTheProjectDirectorysAndReadOnly(Container box) {
            assertThat(box.exec("cat", "/mnt/fixture/hello.txt")).succeeded().hasStdout("from the project directory\n");
            assertThat(box.exec("touch", "/mnt/fixture/new")).stderr().contains("Read-only file system");
        }
    }

    @Test
    void customSourcesAndBindsWork() {
        KitRun.run(Subjects.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("customProvider"), finishedSuccessfully()))
                .haveExactly(1, event(test("relativeBindSource"), finishedSuccessfully()))
                .haveExactly(1, event(test("providerWithoutNoArgumentConstructor"), finishedWithFailure(
                        instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@Sandbox rootfsProvider = " + NeedsAnArgument.class.getName()
                                + " (declared on method SandboxRootfsAndBindTest.Subjects.providerWithoutNoArgumentConstructor())"
                                + " could not be instantiated")))));
    }
}
