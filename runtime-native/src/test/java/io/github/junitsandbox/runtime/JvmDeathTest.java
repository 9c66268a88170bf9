package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.cgroup.CgroupMode;
import io.github.junitsandbox.runtime.cgroup.CgroupMount;
import io.github.junitsandbox.runtime.cgroup.CgroupMounts;
import io.github.junitsandbox.runtime.os.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM killed with SIGKILL takes its containers with it; what it leaves is swept by the next launch. */
class JvmDeathTest {

    @Test
    void containersDieWithTheirJvmAndTheNextLaunchSweepsTheRest(@TempDir Path stateDir) throws Exception {
        assumeTrue(LibC.isRoot(), "creates cgroups under the hierarchy's root: run as root (CI does)");
        Process child = ChildJvm.start(List.of(), ChildJvm.classPath(), List.of("-Djunit.sandbox.stateDir=" + stateDir), "hold", "5");
        List<Long> pids = ChildJvm.linesUntilDone(child, Duration.ofSeconds(60)).stream()
                .filter(l -> l.startsWith("pid ")).map(l -> Long.parseLong(l.substring(4))).toList();
        assertThat(pids).hasSize(10).allSatisfy(pid -> assertThat(Path.of("/proc/" + pid)).exists());

        child.destroyForcibly();
        child.waitFor();
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (pids.stream().anyMatch(JvmDeathTest::running) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(pids).as("container processes still running a second after their JVM was killed").noneMatch(JvmDeathTest::running);

        Path leftoverState = Files.createDirectories(stateDir.resolve("junit-sandbox-" + child.pid()).resolve("c9/root"));
        Path leftoverCgroup = Files.createDirectories(pidsHierarchy().resolve("junit-sandbox-" + child.pid()).resolve("c9"));
        try (Container next = SandboxRuntime.builder().stateDir(stateDir).build().launch(ContainerSpec.builder().command("/bin/true").build())) {
            next.awaitExit(Duration.ofSeconds(10));
        }
        assertThat(leftoverState.getParent().getParent()).as("the dead JVM's state directory").doesNotExist();
        assertThat(cgroupsOf(child.pid())).as("the dead JVM's cgroups").isEmpty();
        assertThat(leftoverCgroup).doesNotExist();
    }

    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** Where the pids controller is: its v1 hierarchy, or the unified one (cgroup v2). */
    private static Path pidsHierarchy() {
        CgroupMounts mounts = CgroupMounts.ofThisProcess();
        Optional<CgroupMount> pids = mounts.mode() == CgroupMode.UNIFIED ? mounts.unified() : mounts.v1Hierarchy("pids");
        assumeTrue(pids.isPresent(), () -> "needs the pids controller; this machine has: " + mounts.describe());
        return pids.get().mountPoint();
    }

    /** The {@code junit-sandbox-PID} directories of a JVM at the root of every cgroup hierarchy mounted here (v1 or v2). */
    static List<Path> cgroupsOf(long jvmPid) {
        return CgroupMounts.ofThisProcess().all().stream().map(m -> m.mountPoint().resolve("junit-sandbox-" + jvmPid))
                .distinct().filter(Files::exists).toList();
    }
}
