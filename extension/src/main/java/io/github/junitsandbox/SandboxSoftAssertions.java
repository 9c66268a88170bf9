package io.github.junitsandbox;

import org.assertj.core.api.SoftAssertions;

/**
 * AssertJ's {@link SoftAssertions} plus the container and exec result assertions: every failure is
 * collected and {@link #assertAll()} reports them together. Works with AssertJ's
 * {@code SoftAssertionsExtension} ({@code @InjectSoftAssertions}).
 */
public class SandboxSoftAssertions extends SoftAssertions implements SandboxSoftAssertionsProvider {
}
