package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.launcher.LaunchedContainer;
import io.github.junitsandbox.runtime.launcher.NativeLauncher;
import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a container can refuse to end ends: a subject that ignores signals, an exec whose
 * background child keeps its stdout open, a launcher that dies before the container is ready. A hang
 * here would show as the spec's bound expiring (a SandboxException), never as a stuck build.
 */
class NoHangTest {

    /** Far above what any of these needs, so that reaching it is a hang and not a slow machine. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    @BeforeAll
    static void needsRoot() {
        assumeTrue(ThisProcess.isRoot(), "creates cgroups under the hierarchy's root: run as root (CI does)");
    }

    @Test
    void aSubjectThatIgnoresEverySignalButKillIsKilledAtClose() {
        LaunchedContainer box = (LaunchedContainer) Sandboxes.launch(ContainerSpec.builder().timeout(BOUND)
                .command("sh", "-c", "trap '' TERM INT HUP QUIT USR1 USR2; while :; do sleep 1; done").build());
        long init = box.hostPid();
        long subject = box.subjectHostPid();

        box.close();

        assertThat(gone(init)).as("the container's PID 1 is gone after close").isTrue();
        assertThat(gone(subject)).as("the subject is gone after close").isTrue();
    }

    @Test
    void anExecReturnsWhenItsProgramExitsThoughItsChildHoldsStdoutOpen() {
        try (Container box = Sandboxes.launch(ContainerSpec.builder().timeout(BOUND).build())) {
            ExecResult result = box.exec("sh", "-c", "sleep 3600 & echo started");

            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).isEqualTo("started\n");
            assertThat(box.visiblePids()).as("the background child lives on").hasSize(2);
        }
    }

    @Test
    void aLauncherThatExitsBeforeReadyIsAnException(@TempDir Path dir) throws IOException {
        Path launcher = script(dir, "exit 3");
        SandboxRuntime runtime = SandboxRuntime.builder().stateDir(dir).launcher(launcher).build();

        assertThatThrownBy(() -> runtime.launch(ContainerSpec.builder().command("/bin/true").build()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("sandbox-init exited with status 3 before the container was ready");
        assertThat(jvmLeftovers(dir)).as("state left behind").isEmpty();
    }

    /**
     * The real launcher, killed once it has cloned the container's PID 1 (its stdout goes elsewhere,
     * so its ready line, if it got that far, is lost as it would be with a crash).
     */
    @Test
    void aLauncherKilledMidSetupIsAnExceptionAndItsContainerDies(@TempDir Path dir) throws IOException {
        Path real = NativeLauncher.path(SandboxRuntime.builder().build().cacheDir());
        Path launcher = script(dir, "'" + real + "' \"$@\" >/dev/null & launcher=$!\n"
                + "until [ -n \"$(cat /proc/$launcher/task/*/children 2>/dev/null)\" ]; do :; done\n"
                + "cat /proc/$launcher/task/*/children > '" + dir.resolve("container-pids") + "'\n"
                + "kill -KILL $launcher; wait $launcher");
        SandboxRuntime runtime = SandboxRuntime.builder().stateDir(dir).launcher(launcher).build();

        assertThatThrownBy(() -> runtime.launch(ContainerSpec.builder().command("/bin/sleep", "3600").build()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("sandbox-init exited with status 137 before the container was ready");
        long containerInit = Long.parseLong(Files.readString(dir.resolve("container-pids")).strip().split("\\s+")[0]);
        assertThat(gone(containerInit)).as("the container's PID 1, cloned before its launcher died, is gone").isTrue();
        assertThat(jvmLeftovers(dir)).as("state left behind").isEmpty();
    }

    /** Whether {@code pid} is gone or a zombie, once its reaper has had a moment (reaping is asynchronous). */
    private static boolean gone(long pid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                if (stat.charAt(stat.lastIndexOf(')') + 2) == 'Z') {
                    return true;
                }
                Thread.sleep(10);
            } catch (IOException e) {
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static Path script(Path dir, String body) throws IOException {
        Path script = dir.resolve("fake-sandbox-init");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static java.util.List<Path> jvmLeftovers(Path stateDir) throws IOException {
        try (Stream<Path> entries = Files.list(stateDir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("junit-sandbox-")).toList();
        }
    }
}
