package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.cgroup.CgroupMode;
import io.github.junitsandbox.runtime.cgroup.CgroupMount;
import io.github.junitsandbox.runtime.cgroup.CgroupMounts;
import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM killed with SIGKILL takes its containers with it; what it leaves is swept by the next launch. */
class JvmDeathTest {

    private static final int CONTAINERS = 20;

    @BeforeAll
    static void needsRoot() {
        assumeTrue(ThisProcess.isRoot(), "creates cgroups under the hierarchy's root: run as root (CI does)");
    }

    @Test
    void containersDieWithTheirJvmAndTheNextLaunchSweepsTheRest(@TempDir Path stateDir) throws Exception {
        Path pids = pidsHierarchy();
        Process child = ChildJvm.start(List.of(), ChildJvm.classPath(), List.of("-Djunit.sandbox.stateDir=" + stateDir), "hold",
                Integer.toString(CONTAINERS));
        Path leftoverCgroup = pids.resolve("junit-sandbox-" + child.pid() + "-c9");
        try {
            killedJvmLeavesNothingRunningAndTheNextLaunchSweeps(child, stateDir, leftoverCgroup);
        } finally {
            child.destroyForcibly().waitFor();
            removeIfLeft(leftoverCgroup);
        }
    }

    private static void killedJvmLeavesNothingRunningAndTheNextLaunchSweeps(Process child, Path stateDir, Path leftoverCgroup) throws Exception {
        List<Long> pids = ChildJvm.linesUntilDone(child, Duration.ofSeconds(120)).stream()
                .filter(l -> l.startsWith("pid ")).map(l -> Long.parseLong(l.substring(4))).toList();
        assertThat(pids).as("PID 1 and subject of each container").hasSize(2 * CONTAINERS)
                .allSatisfy(pid -> assertThat(Path.of("/proc/" + pid)).exists());

        child.destroyForcibly();
        child.waitFor();
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (pids.stream().anyMatch(JvmDeathTest::running) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(pids).as("container processes still running a second after their JVM was killed").noneMatch(JvmDeathTest::running);

        Path leftoverState = Files.createDirectories(stateDir.resolve("junit-sandbox-" + child.pid()).resolve("c9/root"));
        Files.createDirectories(leftoverCgroup);
        try (Container next = SandboxRuntime.builder().stateDir(stateDir).build().launch(ContainerSpec.builder().command("/bin/true").build())) {
            next.awaitExit(Duration.ofSeconds(10));
        }
        assertThat(leftoverState.getParent().getParent()).as("the dead JVM's state directory").doesNotExist();
        assertThat(cgroupsOf(child.pid())).as("the dead JVM's cgroups").isEmpty();
        assertThat(leftoverCgroup).doesNotExist();
    }

    /**
     * Without a PID namespace, a subject's children outlive PID 1: the supervisors, whose lifeline broke with the JVM,
     * kill what is left in the containers' cgroups and remove them.
     */
    @Test
    void containersWithoutPidNamespaceLeaveNoProcessAndNoCgroupWhenTheirJvmDies(@TempDir Path stateDir) throws Exception {
        pidsHierarchy();
        Process child = ChildJvm.start(List.of(), ChildJvm.classPath(), List.of("-Djunit.sandbox.stateDir=" + stateDir), "hold-forking", "5");
        List<Long> pids = List.of();
        try {
            pids = ChildJvm.linesUntilDone(child, Duration.ofSeconds(120)).stream()
                    .filter(l -> l.startsWith("pid ")).map(l -> Long.parseLong(l.substring(4))).toList();
            assertThat(pids).as("PID 1, subject and its background child of each container").hasSize(3 * 5);

            child.destroyForcibly();
            child.waitFor();
            long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while ((pids.stream().anyMatch(JvmDeathTest::running) || !cgroupsOf(child.pid()).isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            assertThat(pids).as("container processes still running a second after their JVM was killed").noneMatch(JvmDeathTest::running);
            assertThat(cgroupsOf(child.pid())).as("the dead JVM's cgroups a second after it was killed").isEmpty();
        } finally {
            child.destroyForcibly().waitFor();
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /**
     * What a container made a privilege in a writable bind, the launcher undoes when the container ends, also when its JVM
     * is killed: the supervisor, whose lifeline broke, scrubs the bind before it exits.
     */
    @Test
    void aKilledJvmsContainerLeavesNoSetuidFileOrDeviceNodeInItsBind(@TempDir Path stateDir, @TempDir Path bind) throws Exception {
        Process child = ChildJvm.start(List.of(), ChildJvm.classPath(), List.of("-Djunit.sandbox.stateDir=" + stateDir), "hold-in-bind",
                bind.toString());
        try {
            long init = ChildJvm.linesUntilDone(child, Duration.ofSeconds(60)).stream().filter(l -> l.startsWith("pid "))
                    .mapToLong(l -> Long.parseLong(l.substring(4))).findFirst().orElseThrow();
            ProcessHandle supervisor = ProcessHandle.of(init).flatMap(ProcessHandle::parent).orElseThrow();
            assertThat(mode(bind.resolve("setuid-copy")) & 04000).as("the setuid bit while the container runs").isNotZero();
            assertThat(bind.resolve("disk")).as("the node while the container runs").exists();

            child.destroyForcibly().waitFor();
            assertThat(supervisor.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("the supervisor, its lifeline broken").isFalse();

            assertThat(mode(bind.resolve("setuid-copy"))).as("mode of the copy after the container").isEqualTo(0100755);
            assertThat(bind.resolve("disk")).as("the node after the container").doesNotExist();
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    private static int mode(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Two JVMs running containers from the same state directory, as Surefire forks do: the second's
     * sweep (which does remove a dead JVM's leftovers) leaves the first's directory and cgroups alone,
     * and both go on exec'ing into their containers and launching new ones.
     */
    @Test
    void twoLiveJvmsSideBySideDoNotSweepEachOther(@TempDir Path stateDir) throws Exception {
        List<String> properties = List.of("-Djunit.sandbox.stateDir=" + stateDir);
        long deadPid = exitedPid();
        Path deadCgroup = pidsHierarchy().resolve("junit-sandbox-" + deadPid + "-c1");
        Process first = ChildJvm.start(List.of(), ChildJvm.classPath(), properties, "serve", "3");
        Process second = null;
        try {
            ChildJvm.linesUntilDone(first, Duration.ofSeconds(60));
            Path deadState = Files.createDirectories(stateDir.resolve("junit-sandbox-" + deadPid).resolve("c1/root"));
            Files.createDirectories(deadCgroup);

            second = ChildJvm.start(List.of(), ChildJvm.classPath(), properties, "serve", "3");
            ChildJvm.linesUntilDone(second, Duration.ofSeconds(60));

            assertThat(deadState.getParent().getParent()).as("a dead JVM's state directory, after the second JVM's sweep").doesNotExist();
            assertThat(deadCgroup).as("a dead JVM's cgroup, after the second JVM's sweep").doesNotExist();
            for (Process jvm : List.of(first, second)) {
                assertThat(stateDir.resolve("junit-sandbox-" + jvm.pid())).as("the state directory of live JVM %d", jvm.pid()).isDirectory();
                assertThat(cgroupsOf(jvm.pid())).as("the cgroups of live JVM %d", jvm.pid()).isNotEmpty();
                jvm.getOutputStream().write("check\n".getBytes(StandardCharsets.US_ASCII));
                jvm.getOutputStream().flush();
                assertThat(ChildJvm.linesUntilDone(jvm, Duration.ofSeconds(60))).as("JVM %d, after the other's sweep", jvm.pid())
                        .containsExactly("answered 3, launched, exited 0");
            }
            for (Process jvm : List.of(first, second)) {
                jvm.getOutputStream().close();
                assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).as("JVM %d exits at the end of its input", jvm.pid()).isTrue();
                assertThat(stateDir.resolve("junit-sandbox-" + jvm.pid())).as("the state directory of JVM %d, which exited", jvm.pid()).doesNotExist();
            }
        } finally {
            first.destroyForcibly().waitFor();
            if (second != null) {
                second.destroyForcibly().waitFor();
            }
            removeIfLeft(deadCgroup);
        }
    }

    /** A cgroup a test made to be swept, in case the sweep it tests did not remove it. */
    private static void removeIfLeft(Path cgroup) throws IOException {
        Files.deleteIfExists(cgroup);
    }

    /** The pid of a process that has exited (and was reaped): no process has it, as with a JVM killed earlier. */
    private static long exitedPid() throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return gone.pid();
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

    /** The container cgroups {@code junit-sandbox-PID-ID} of a JVM at the root of every cgroup hierarchy mounted here (v1 or v2). */
    static List<Path> cgroupsOf(long jvmPid) {
        List<Path> found = new ArrayList<>();
        for (Path hierarchy : CgroupMounts.ofThisProcess().all().stream().map(CgroupMount::mountPoint).distinct().toList()) {
            try (Stream<Path> children = Files.list(hierarchy)) {
                children.filter(dir -> dir.getFileName().toString().startsWith("junit-sandbox-" + jvmPid + "-")).forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }
}
