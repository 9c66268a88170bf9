package io.github.junitsandbox.examples;

import static io.github.junitsandbox.SandboxAssertions.assertThat;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import org.junit.jupiter.api.Test;

/** A composed annotation ({@link Unprivileged}) names a kind of box once; @Sandbox next to it overrides what it sets. */
@Unprivileged
class ComposedAnnotationTest {

    @Test
    void runsAsAnOrdinaryUserOnAReadOnlyRoot(Container box) {
        assertThat(box.exec("id", "-u")).succeeded().hasStdout("1000\n");
        assertThat(box.exec("touch", "/new-file")).stderr().contains("Read-only file system");
        assertThat(box).cannotKill(1);
    }

    @Test
    @Sandbox(hostname = "overridden")
    void aNearerSandboxWinsForWhatItSets(Container box) {
        assertThat(box).hasHostname("overridden");
        assertThat(box.exec("id", "-u")).hasStdout("1000\n");
    }
}
