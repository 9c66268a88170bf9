package io.github.junitsandbox;

import io.github.junitsandbox.runtime.ExecResult;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.SoftAssertionsProvider;
import org.assertj.core.api.StringAssert;

/**
 * Assertions on what a command run inside a container did ({@link io.github.junitsandbox.runtime.Container#exec}).
 * Failures show the command's stderr, which usually says why. Obtain it from
 * {@link SandboxAssertions#assertThat(ExecResult)} or {@link SandboxSoftAssertions}.
 *
 * <p>Public constructor and overridable methods: AssertJ's soft assertions subclass it.
 */
public class ExecResultAssert extends AbstractAssert<ExecResultAssert, ExecResult> {

    /** Set when soft assertions made this one, so that the assertions it hands out collect too. */
    private SoftAssertionsProvider softly;

    public ExecResultAssert(ExecResult actual) {
        super(actual, ExecResultAssert.class);
    }

    ExecResultAssert collectingInto(SoftAssertionsProvider softAssertions) {
        this.softly = softAssertions;
        return this;
    }

    /** The command exited with status 0. */
    public ExecResultAssert succeeded() {
        return exitedWith(0);
    }

    /** The command exited with this status (as a shell reports it: 128+n for signal n). */
    public ExecResultAssert exitedWith(int expected) {
        isNotNull();
        if (actual.exitCode() != expected) {
            failWithActualExpectedAndMessage(actual.exitCode(), expected,
                    "%nExpecting the command to exit with:%n  %s%nbut it exited with:%n  %s%n%s",
                    ExitStatus.describe(expected), ExitStatus.describe(actual.exitCode()), outputs());
        }
        return myself;
    }

    /** The command was killed by this signal (exit status 128 + signal). */
    public ExecResultAssert wasKilledBy(int signal) {
        isNotNull();
        int expected = 128 + signal;
        if (actual.exitCode() != expected) {
            failWithActualExpectedAndMessage(actual.exitCode(), expected,
                    "%nExpecting the command to be killed by %s (exit status %d),%nbut it exited with:%n  %s%n%s",
                    ExitStatus.signal(signal), expected, ExitStatus.describe(actual.exitCode()), outputs());
        }
        return myself;
    }

    /** Standard output is exactly {@code expected}. */
    public ExecResultAssert hasStdout(String expected) {
        isNotNull();
        if (!expected.equals(actual.stdout())) {
            failWithActualExpectedAndMessage(actual.stdout(), expected,
                    "%nExpecting the command's stdout to be:%n  \"%s\"%nbut it was:%n  \"%s\"%nits stderr:%n%s%s",
                    expected, actual.stdout(), OutputText.indented(actual.stderr()), truncation());
        }
        return myself;
    }

    /** Standard error is exactly {@code expected}. */
    public ExecResultAssert hasStderr(String expected) {
        isNotNull();
        if (!expected.equals(actual.stderr())) {
            failWithActualExpectedAndMessage(actual.stderr(), expected,
                    "%nExpecting the command's stderr to be:%n  \"%s\"%nbut it was:%n  \"%s\"%s", expected, actual.stderr(), truncation());
        }
        return myself;
    }

    /** A string assertion on standard output. */
    public AbstractStringAssert<?> stdout() {
        isNotNull();
        return stringAssertion(actual.stdout()).as("stdout of the command (exit status %s, stderr \"%s\")%s",
                ExitStatus.describe(actual.exitCode()), actual.stderr(), truncation());
    }

    /** A string assertion on standard error. */
    public AbstractStringAssert<?> stderr() {
        isNotNull();
        return stringAssertion(actual.stderr()).as("stderr of the command (exit status %s)", ExitStatus.describe(actual.exitCode()));
    }

    private AbstractStringAssert<?> stringAssertion(String text) {
        return softly == null ? new StringAssert(text) : softly.proxy(StringAssert.class, String.class, text);
    }

    private String outputs() {
        return String.format("its stderr:%n%s%nits stdout:%n%s%s", OutputText.indented(actual.stderr()),
                OutputText.indented(actual.stdout()), truncation());
    }

    /** Empty, or a line saying how much output the runtime's exec output limit dropped: a long output is not all there. */
    private String truncation() {
        return actual.truncated() ? String.format("%n(output truncated at the exec output limit, %s: %d bytes of stdout and %d of stderr"
                + " were dropped; use Container.start for larger output)", ExecResult.OUTPUT_LIMIT_PROPERTY, actual.stdoutDropped(),
                actual.stderrDropped()) : "";
    }
}
