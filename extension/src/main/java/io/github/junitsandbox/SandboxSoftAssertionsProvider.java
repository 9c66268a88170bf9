package io.github.junitsandbox;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ExecResult;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Soft versions of {@link SandboxAssertions}, to mix into a soft assertions class of your own (as
 * AssertJ's {@code StandardSoftAssertionsProvider} is mixed in), or use {@link SandboxSoftAssertions}.
 * The list and string assertions they hand out ({@code visiblePids()}, {@code stdout()}) collect too.
 */
public interface SandboxSoftAssertionsProvider extends SoftAssertionsProvider {

    default ContainerAssert assertThat(Container actual) {
        return proxy(ContainerAssert.class, Container.class, actual).collectingInto(this);
    }

    default ExecResultAssert assertThat(ExecResult actual) {
        return proxy(ExecResultAssert.class, ExecResult.class, actual).collectingInto(this);
    }
}
