package io.github.junitsandbox.examples.escapes;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertBlocked;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertContained;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertEscaped;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assumeRootJvm;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.attempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ExecResult;
import io.github.junitsandbox.runtime.KillPermission;
import io.github.junitsandbox.runtime.Namespace;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reaching the host's processes (signals, ptrace), gaining privilege (setuid binaries, a new user
 * namespace) and outliving the container.
 */
@WithEscapeProbe
class ProcessEscapeTest {

    private Process hostSleep;

    @BeforeAll
    static void buildProbe() throws Exception {
        EscapeProbe.build();
    }

    @BeforeEach
    void startAHostProcess() throws IOException {
        hostSleep = new ProcessBuilder("sleep", "600").start();
    }

    @AfterEach
    void stopTheHostProcess() {
        hostSleep.destroyForcibly();
    }

    /** No twin: without a PID namespace, kill(-1) would kill every process of the machine. */
    @Test
    @Sandbox(command = {"sleep", "600"})
    void killMinusOneKillsOnlyTheContainersProcesses(Container box) throws InterruptedException {
        ExecResult attempt = attempt(box, "kill-everything");

        // The kill reaches the subject; PID 1 then exits and the kernel ends the namespace, which may
        // take the probe with it before it reports: either it said SENT, or it was killed too.
        assertThat(attempt.exitCode() == 137 || attempt.stdout().startsWith("SENT kill(-1, SIGKILL)"))
                .as("kill(-1) was sent: %s", attempt).isTrue();
        assertThat(box).exitedWith(137);
        assertThat(hostSleep.waitFor(1, TimeUnit.SECONDS)).as("the host's sleep exited").isFalse();
    }

    /**
     * kill(0, sig) signals the caller's process group; sharing the JVM's, a process inside could kill
     * it (this suite's fork bomb once stopped Maven that way). No twin: every process the launcher
     * starts inside leads a session of its own.
     */
    @Test
    void anEnteringProcessLeadsItsOwnProcessGroup(Container box) {
        assertContained(attempt(box, "process-group"));
    }

    @Test
    @Sandbox(command = {EscapeProbe.IN_BOX, "process-group"})
    void theSubjectLeadsItsOwnProcessGroup(Container box) {
        assertThat(box).exitedWith(1);
        assertThat(box.subjectStdout()).startsWith("CONTAINED process group 2, session 2 led inside");
    }

    @Test
    void aHostPidCannotBeKilled(Container box) {
        assertBlocked(attempt(box, "kill", Long.toString(hostSleep.pid())), "kill(SIGKILL)", "ESRCH");
        assertThat(hostSleep.isAlive()).as("the host's sleep is alive").isTrue();
    }

    @Test
    @Sandbox(namespaces = {Namespace.MOUNT, Namespace.UTS, Namespace.IPC, Namespace.NET, Namespace.CGROUP})
    void twinWithoutAPidNamespaceAHostPidIsKilled(Container box) throws InterruptedException {
        assertEscaped(attempt(box, "kill", Long.toString(hostSleep.pid())));
        assertThat(hostSleep.waitFor(10, TimeUnit.SECONDS)).as("the host's sleep exited").isTrue();
    }

    /** Refused twice: seccomp lets ptrace through only with CAP_SYS_PTRACE, and the PID is not in the container's namespace. */
    @Test
    void aHostProcessCannotBeTraced(Container box) {
        assertBlocked(attempt(box, "ptrace", Long.toString(hostSleep.pid())), "ptrace(PTRACE_ATTACH)", "EPERM");
        assertThat(box.tryKill(hostSleep.pid(), 0)).isEqualTo(KillPermission.NOT_VISIBLE);
    }

    @Test
    void theContainersInitCannotBeTraced(Container box) {
        assertBlocked(attempt(box, "ptrace", "1"), "ptrace(PTRACE_ATTACH)", "EPERM");
    }

    @Test
    @Sandbox(namespaces = {Namespace.MOUNT, Namespace.UTS, Namespace.IPC, Namespace.NET, Namespace.CGROUP}, capabilities = "+SYS_PTRACE")
    void twinWithoutAPidNamespaceAndWithSysPtraceAHostProcessIsTraced(Container box) {
        assumeRootJvm("CAP_SYS_PTRACE holds only in its own user namespace: the host's processes stay out of reach");
        assertEscaped(attempt(box, "ptrace", Long.toString(hostSleep.pid())));
    }

    /**
     * no_new_privs has no attribute to turn it off, so there is no twin inside; the control runs the
     * same file on the host as an ordinary user, where its setuid bit does make it root.
     */
    @Test
    @Sandbox(user = "1000:1000")
    void aSetuidRootBinaryGivesNothingUnderNoNewPrivs(Container box) throws Exception {
        assertContained(EscapeProbe.run(box, EscapeProbe.SETUID_IN_BOX, "euid"));

        if (!EscapeProbe.ROOT_JVM) {
            return; // the control needs root: a plain user can make no setuid-root file, nor switch to uid 1000
        }
        Process onHost = new ProcessBuilder("setpriv", "--reuid=1000", "--regid=1000", "--clear-groups",
                EscapeProbe.moduleDir().resolve(EscapeProbe.HOST_DIR).resolve("escape-probe-setuid").toString(), "euid").start();
        assertThat(new String(onHost.getInputStream().readAllBytes())).as("the control on the host").startsWith("ESCAPED uid 1000 became euid 0");
    }

    @Test
    void aNewUserNamespaceIsRefused(Container box) {
        assertBlocked(attempt(box, "userns"), "unshare(CLONE_NEWUSER)", "EPERM");
    }

    /** What a process inside reads of PID 1: its command line and its environment, NULs shown as |, errors on stdout too. */
    private static final String READ_PID_1 = "exec 2>&1; tr '\\0' '|' < /proc/1/cmdline; echo; tr '\\0' '|' < /proc/1/environ; echo";

    /**
     * PID 1 is the launcher, whose command line held the host's cache and state directories, the JVM's pid and the cgroup
     * paths, and whose environment was the JVM's: both read as a neutral name and nothing, from the subject and an exec.
     */
    @Test
    @Sandbox(command = {"sh", "-c", READ_PID_1 + "; sleep 3600"})
    void theContainersInitShowsNothingOfTheHostInItsCommandLineOrEnvironment(Container box) throws InterruptedException {
        ExecResult exec = box.exec("sh", "-c", READ_PID_1);
        // root: PID 1 is not dumpable, so its environment is not even readable; a plain user's PID 1 reads empty
        String environment = EscapeProbe.ROOT_JVM ? "Permission denied" : "";
        for (String seen : new String[] {exec.stdout(), awaitTwoLines(box)}) {
            List<String> lines = seen.lines().toList();
            assertThat(lines).as("what a process inside reads of PID 1").hasSizeGreaterThanOrEqualTo(2);
            assertThat(lines.get(0)).as("PID 1's cmdline").isEqualTo("sandbox-init|");
            assertThat(lines.get(1)).as("PID 1's environ").contains(environment).doesNotContain("=");
        }
    }

    private static String awaitTwoLines(Container box) throws InterruptedException {
        for (int i = 0; i < 500 && box.subjectStdout().lines().count() < 2; i++) {
            Thread.sleep(10);
        }
        return box.subjectStdout();
    }

    /** Exec'd processes are chroot'ed, which the kernel refuses a user namespace; the subject is not. */
    @Test
    @Sandbox(seccomp = "unconfined", command = {EscapeProbe.IN_BOX, "userns"})
    void twinUnconfinedTheSubjectGetsEveryCapabilityInANewUserNamespace(Container box) {
        assertThat(box).exitedWith(0);
        assertThat(box.subjectStdout()).startsWith("ESCAPED a new user namespace:").contains("CapEff:\t000001ffffffffff");
    }

    /** No twin: close() kills the container's cgroup whatever its processes do with signals; nothing turns that off. */
    @Test
    @Sandbox(command = {EscapeProbe.IN_BOX, "ignore-sigterm"})
    void aSubjectIgnoringSigtermStillGoesAtClose(Container box) throws Exception {
        // ready comes at the probe's execve; it says when its SIGTERM disposition is set
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                !box.subjectStdout().contains("ignoring SIGTERM") && System.nanoTime() < deadline; ) {
            Thread.onSpinWait();
        }
        assertThat(box.tryKill(2, 15)).isEqualTo(KillPermission.ALLOWED);
        assertThat(box).visiblePids().contains(2L);
        ProcessHandle init = ProcessHandle.of(box.hostPid()).orElseThrow();

        box.close();

        assertThat(init.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(init.descendants().count()).isZero();
    }
}
