package io.github.junitsandbox;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.junitsandbox.runtime.ExecResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How ExecResultAssert words its failures. An ExecResult is a plain record: no container is needed. */
class ExecResultAssertMessagesTest {

    private static ExecResult result(int exitCode, String stdout, String stderr) {
        return new ExecResult(exitCode, stdout, stderr, Duration.ofMillis(3));
    }

    @Test
    void aFailedCommandShowsItsStderr() {
        assertThatThrownBy(() -> assertThat(result(2, "", "ls: /nope: No such file or directory\n")).succeeded())
                .hasMessageContainingAll("to exit with:", "  0", "but it exited with:", "  2", "ls: /nope: No such file or directory");
    }

    @Test
    void wasKilledByNamesTheSignal() {
        assertThatThrownBy(() -> assertThat(result(0, "", "")).wasKilledBy(9))
                .hasMessageContainingAll("killed by signal 9, SIGKILL (exit status 137)", "but it exited with:", "  0");
        assertThat(result(143, "", "")).wasKilledBy(15);
    }

    @Test
    void stdoutMismatchShowsBothAndTheStderr() {
        assertThatThrownBy(() -> assertThat(result(0, "hello\n", "warning: x\n")).hasStdout("hi\n"))
                .hasMessageContainingAll("stdout to be:", "\"hi\n\"", "but it was:", "\"hello\n\"", "warning: x");
    }

    @Test
    void stringAssertionsAreDescribed() {
        assertThatThrownBy(() -> assertThat(result(1, "abc", "oops")).stdout().contains("xyz"))
                .hasMessageContaining("[stdout of the command (exit status 1, stderr \"oops\")]");
        assertThat(result(3, "hi\n", "")).exitedWith(3).hasStdout("hi\n").hasStderr("");
    }

    @Test
    void aTruncatedOutputIsSaidInEveryFailureAboutIt() {
        ExecResult flood = new ExecResult(1, "0000", "", Duration.ofMillis(3), 1_000_000, 0);
        String said = "(output truncated at the exec output limit, junit.sandbox.execOutputLimit: 1000000 bytes of stdout and 0 of stderr"
                + " were dropped; use Container.start for larger output)";
        assertThatThrownBy(() -> assertThat(flood).hasStdout("0")).hasMessageContaining(said);
        assertThatThrownBy(() -> assertThat(flood).succeeded()).hasMessageContaining(said);
        assertThatThrownBy(() -> assertThat(flood).stdout().endsWith("1")).hasMessageContaining(said);
        assertThatThrownBy(() -> assertThat(result(1, "0000", "")).succeeded()).hasMessageNotContaining("truncated");
    }
}
