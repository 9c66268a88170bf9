package io.github.junitsandbox;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.KillPermission;
import io.github.junitsandbox.runtime.ProcessEntry;
import io.github.junitsandbox.runtime.SandboxException;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.ListAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Assertions on what a container's subject sees and may do, observed from inside. Obtain it from
 * {@link SandboxAssertions#assertThat(Container)} or, to collect failures, from
 * {@link SandboxSoftAssertions}.
 *
 * <p>Public constructor and overridable methods: AssertJ's soft assertions subclass it.
 */
public class ContainerAssert extends AbstractAssert<ContainerAssert, Container> {

    /** How long {@link #exitedWith(int)} waits for the subject to exit. */
    public static final Duration DEFAULT_EXIT_WAIT = Duration.ofSeconds(30);

    /** Set when soft assertions made this one, so that the assertions it hands out collect too. */
    private SoftAssertionsProvider softly;

    public ContainerAssert(Container actual) {
        super(actual, ContainerAssert.class);
    }

    ContainerAssert collectingInto(SoftAssertionsProvider softAssertions) {
        this.softly = softAssertions;
        return this;
    }

    /** The hostname seen inside is {@code expected}. */
    public ContainerAssert hasHostname(String expected) {
        isNotNull();
        String hostname = actual.hostname();
        if (!expected.equals(hostname)) {
            failWithActualExpectedAndMessage(hostname, expected,
                    "%nExpecting the hostname inside container %s to be:%n  \"%s\"%nbut it is:%n  \"%s\"",
                    actual.id(), expected, hostname);
        }
        return myself;
    }

    /**
     * A list assertion on the PIDs visible inside (the probe's own left out), in ascending order. Its
     * failure message shows the process table inside: pid, uid, state, command.
     */
    @SuppressWarnings("unchecked")
    public ListAssert<Long> visiblePids() {
        isNotNull();
        List<ProcessEntry> processes = actual.processes();
        List<Long> pids = processes.stream().map(ProcessEntry::pid).toList();
        ListAssert<Long> assertion = softly == null ? new ListAssert<>(pids) : softly.proxy(ListAssert.class, List.class, pids);
        return assertion.as("PIDs visible inside container %s, whose process table is:%n%s%n",
                actual.id(), ProcessTable.render(processes));
    }

    /** The subject may send signals to {@code pid} from inside (asked with signal 0, nothing is sent). */
    public ContainerAssert canKill(long pid) {
        return hasKillPermission(pid, KillPermission.ALLOWED);
    }

    /** The subject may not signal {@code pid} from inside, whether it cannot see it or is denied. */
    public ContainerAssert cannotKill(long pid) {
        isNotNull();
        KillPermission permission = actual.tryKill(pid, 0);
        if (permission == KillPermission.ALLOWED) {
            failWithMessage("%nExpecting the subject of container %s not to be allowed to kill PID %d,"
                    + "%nbut kill(%d, 0) from inside answered ALLOWED (%s)", actual.id(), pid, pid, explain(permission));
        }
        return myself;
    }

    /**
     * What {@code kill(pid, 0)} from inside answers: {@link KillPermission#ALLOWED},
     * {@link KillPermission#NOT_VISIBLE} (ESRCH) or {@link KillPermission#DENIED} (EPERM).
     */
    public ContainerAssert hasKillPermission(long pid, KillPermission expected) {
        isNotNull();
        KillPermission permission = actual.tryKill(pid, 0);
        if (permission != expected) {
            failWithActualExpectedAndMessage(permission, expected,
                    "%nExpecting kill(%d, 0) from inside container %s to answer:%n  %s (%s)%nbut it answered:%n  %s (%s)",
                    pid, actual.id(), expected, explain(expected), permission, explain(permission));
        }
        return myself;
    }

    /** The kernel's OOM killer killed a process of the container, as its cgroup records. */
    public ContainerAssert wasOomKilled() {
        isNotNull();
        if (!actual.oomKilled()) {
            failWithMessage("%nExpecting container %s to have had a process OOM-killed,%nbut its cgroup records no OOM kill."
                    + "%nSpec:%n%s%nSubject's stderr (tail):%n%s",
                    actual.id(), actual.spec().describe(), FailureReport.tail(actual::subjectStderr));
        }
        return myself;
    }

    /** The subject exits (within {@link #DEFAULT_EXIT_WAIT}) with this status; 128+n for signal n. */
    public ContainerAssert exitedWith(int expected) {
        return exitedWith(expected, DEFAULT_EXIT_WAIT);
    }

    /** The subject exits within {@code wait} with this status; 128+n for signal n. */
    public ContainerAssert exitedWith(int expected, Duration wait) {
        isNotNull();
        int status;
        try {
            status = actual.awaitExit(wait);
        } catch (SandboxException e) {
            failWithMessage("%nExpecting the subject of container %s to exit with %d,%nbut it had not exited: %s"
                    + "%nSubject's stderr (tail):%n%s", actual.id(), expected, e.getMessage(),
                    FailureReport.tail(actual::subjectStderr));
            return myself;
        }
        if (status != expected) {
            failWithActualExpectedAndMessage(status, expected,
                    "%nExpecting the subject of container %s to exit with:%n  %s%nbut it exited with:%n  %s"
                    + "%nSubject's stderr (tail):%n%s",
                    actual.id(), ExitStatus.describe(expected), ExitStatus.describe(status),
                    FailureReport.tail(actual::subjectStderr));
        }
        return myself;
    }

    private static String explain(KillPermission permission) {
        return switch (permission) {
            case ALLOWED -> "the signal may be sent";
            case NOT_VISIBLE -> "ESRCH: the process is not visible inside";
            case DENIED -> "EPERM: visible, but the subject may not signal it";
        };
    }
}
