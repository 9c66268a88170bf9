package io.github.junitsandbox;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ExecResult;

/**
 * The AssertJ entry point for containers and what runs in them. Static-import it next to AssertJ's
 * {@code Assertions.assertThat}; the overloads do not clash.
 */
public final class SandboxAssertions {

    private SandboxAssertions() {
    }

    public static ContainerAssert assertThat(Container actual) {
        return new ContainerAssert(actual);
    }

    public static ExecResultAssert assertThat(ExecResult actual) {
        return new ExecResultAssert(actual);
    }
}
