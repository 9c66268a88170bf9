package io.github.junitsandbox;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.junitsandbox.runtime.KillPermission;
import io.github.junitsandbox.runtime.ProcessEntry;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** How ContainerAssert words its failures (observations recorded, see {@link RecordedContainer}). */
class ContainerAssertMessagesTest {

    private static final List<ProcessEntry> LEAKY_TABLE = List.of(
            new ProcessEntry(1, 0, "S", "sandbox-init run"),
            new ProcessEntry(2, 0, "S", "/bin/sleep 3600"),
            new ProcessEntry(731, 1000, "S", "top -b"));

    private static RecordedContainer withProcesses(List<ProcessEntry> table) {
        return new RecordedContainer("box", table, Map.of(), false, 0, "");
    }

    @Test
    void hostnameMismatchShowsBothSidesAndOffersADiff() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class,
                () -> assertThat(RecordedContainer.withHostname("sandbox")).hasHostname("box"));

        Assertions.assertThat(error).hasMessageContainingAll("container c7", "to be:", "\"box\"", "but it is:", "\"sandbox\"");
        Assertions.assertThat(error.getExpected().getStringRepresentation()).isEqualTo("box");
        Assertions.assertThat(error.getActual().getStringRepresentation()).isEqualTo("sandbox");
    }

    @Test
    void matchingHostnamePasses() {
        assertThat(RecordedContainer.withHostname("box")).hasHostname("box");
    }

    @Test
    void visiblePidsFailureShowsTheProcessTableInside() {
        assertThatThrownBy(() -> assertThat(withProcesses(LEAKY_TABLE)).visiblePids().containsExactly(1L, 2L))
                .hasMessageContaining("PIDs visible inside container c7, whose process table is:")
                .hasMessageContaining("PID     UID S COMMAND")
                .hasMessageContaining("731    1000 S top -b")
                .hasMessageContaining("2       0 S /bin/sleep 3600")
                .hasMessageContaining("but some elements were not expected:")
                .hasMessageContaining("[731L]");
    }

    @Test
    void cannotKillSaysThatTheSubjectMay() {
        RecordedContainer box = new RecordedContainer("box", LEAKY_TABLE, Map.of(731L, KillPermission.ALLOWED), false, 0, "");

        assertThatThrownBy(() -> assertThat(box).cannotKill(731))
                .hasMessageContainingAll("not to be allowed to kill PID 731", "kill(731, 0) from inside answered ALLOWED");
    }

    @Test
    void canKillSaysWhetherTheProcessWasInvisibleOrDenied() {
        RecordedContainer box = new RecordedContainer("box", LEAKY_TABLE, Map.of(731L, KillPermission.DENIED), false, 0, "");

        assertThatThrownBy(() -> assertThat(box).canKill(731))
                .hasMessageContainingAll("ALLOWED (the signal may be sent)", "but it answered:", "DENIED (EPERM: visible, but the subject may not signal it)");
        assertThatThrownBy(() -> assertThat(box).canKill(99))
                .hasMessageContaining("NOT_VISIBLE (ESRCH: the process is not visible inside)");
        assertThat(box).cannotKill(99).cannotKill(731).hasKillPermission(99, KillPermission.NOT_VISIBLE);
    }

    @Test
    void oomAssertionShowsTheSubjectsStderr() {
        RecordedContainer box = new RecordedContainer("box", List.of(), Map.of(), false, 0, "allocated 200 MiB\n");

        assertThatThrownBy(() -> assertThat(box).wasOomKilled())
                .hasMessageContainingAll("container c7 to have had a process OOM-killed", "records no OOM kill", "allocated 200 MiB");
    }

    @Test
    void exitStatusMismatchNamesTheSignal() {
        RecordedContainer box = new RecordedContainer("box", List.of(), Map.of(), true, 137, "Killed\n");

        assertThatThrownBy(() -> assertThat(box).exitedWith(0))
                .hasMessageContainingAll("to exit with:", "  0", "but it exited with:", "137 (killed by signal 9, SIGKILL)", "Killed");
    }

    @Test
    void aSubjectStillRunningIsAFailureNotAnError() {
        RecordedContainer box = new RecordedContainer("box", List.of(), Map.of(), false, null, "");

        assertThatThrownBy(() -> assertThat(box).exitedWith(0, java.time.Duration.ofMillis(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContainingAll("to exit with 0", "it had not exited", "still running");
    }
}
