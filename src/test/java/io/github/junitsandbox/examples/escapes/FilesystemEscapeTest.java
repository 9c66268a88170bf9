package io.github.junitsandbox.examples.escapes;

import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertBlocked;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertContained;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertEscaped;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assumeRootJvm;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.attempt;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.marker;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leaving the container's root for the host's: the chroot walks, /proc's links to other processes'
 * roots and working directories, descriptors inherited from the runtime (CVE-2024-21626), and the
 * runtime's own binary through /proc/PID/exe (CVE-2019-5736).
 */
class FilesystemEscapeTest {

    private Process hostSleep;

    @BeforeAll
    static void buildProbe() throws Exception {
        EscapeProbe.build();
    }

    /** A host process whose working directory holds the marker: /proc/PID/cwd would lead there. */
    @BeforeEach
    void startHostProcessNextToTheMarker() throws IOException {
        hostSleep = new ProcessBuilder("sleep", "600").directory(marker().getParent().toFile()).start();
    }

    @AfterEach
    void stopHostProcess() throws IOException {
        hostSleep.destroyForcibly();
        deleteJail();
    }

    /** Where the twins without a mount namespace make their jail: on the host, so it goes after the test. */
    private static Path hostJail() {
        return EscapeProbe.moduleDir().resolve("target/escape-jail");
    }

    private static void deleteJail() throws IOException {
        Files.deleteIfExists(hostJail());
    }

    @Test
    @WithEscapeProbe
    void chrootWalkEndsAtTheContainersRoot(Container box) {
        assertContained(attempt(box, "chroot-walk", "/tmp/jail", marker().toString()));
    }

    @Test
    @Sandbox(namespaces = {Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.NET, Namespace.CGROUP})
    void twinWithoutAMountNamespaceTheChrootWalkReachesTheHost(Container box) {
        assertEscaped(EscapeProbe.run(box, EscapeProbe.onHost(), "chroot-walk", hostJail().toString(), marker().toString()));
    }

    @Test
    @WithEscapeProbe
    void fchdirWalkEndsAtTheContainersRoot(Container box) {
        assertContained(attempt(box, "fchdir-walk", "/tmp/jail", marker().toString()));
    }

    @Test
    @Sandbox(namespaces = {Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.NET, Namespace.CGROUP})
    void twinWithoutAMountNamespaceTheFchdirWalkReachesTheHost(Container box) {
        assertEscaped(EscapeProbe.run(box, EscapeProbe.onHost(), "fchdir-walk", hostJail().toString(), marker().toString()));
    }

    @Test
    @WithEscapeProbe
    void procRootAndCwdLinksLeadNowhereOutside(Container box) {
        assertContained(attempt(box, "proc-walk", marker().toString(), marker().getFileName().toString()));
    }

    @Test
    @WithEscapeProbe
    @Sandbox(namespaces = {Namespace.MOUNT, Namespace.UTS, Namespace.IPC, Namespace.NET, Namespace.CGROUP}, capabilities = "+SYS_PTRACE")
    void twinWithoutAPidNamespaceAndWithSysPtraceProcLinksReachTheHost(Container box) {
        assumeRootJvm("CAP_SYS_PTRACE holds only in its own user namespace: the host's processes stay out of reach");
        assertEscaped(attempt(box, "proc-walk", marker().toString(), marker().getFileName().toString()));
    }

    /**
     * The CVE-2024-21626 shape: a descriptor of the runtime's (a namespace, the container's root, the
     * host's /proc) left open into an exec'd process is a way out. No setting keeps them open, so
     * there is no twin: the JDK closes the JVM's descriptors for every child, and the launcher opens
     * its own close-on-exec.
     */
    @Test
    @WithEscapeProbe
    void anEnteringProcessInheritsNoDescriptor(Container box) throws IOException {
        try (var openInTheJvm = Files.newByteChannel(marker())) {
            assertThat(openInTheJvm.isOpen()).isTrue();
            assertContained(attempt(box, "inherited-fds"));
        }
    }

    /** The CVE-2019-5736 shape: PID 1 inside is the launcher; its binary must not be reachable through /proc/1/exe. */
    @Test
    @WithEscapeProbe
    void theRuntimesBinaryIsNotReachableThroughProcExe(Container box) {
        assertBlocked(attempt(box, "open-exe", "1"), "open(/proc/PID/exe)", "EACCES");
    }

    /** Non-dumpable PID 1 holds only against processes without CAP_SYS_PTRACE: give it, and the binary is readable. */
    @Test
    @WithEscapeProbe
    @Sandbox(capabilities = "+SYS_PTRACE")
    void twinWithSysPtraceTheRuntimesBinaryIsReadable(Container box) {
        assertEscaped(attempt(box, "open-exe", "1"));
    }
}
