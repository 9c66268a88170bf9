package io.github.junitsandbox.runtime.cgroup;

import static io.github.junitsandbox.runtime.cgroup.RealCgroupV2.keyed;
import static io.github.junitsandbox.runtime.cgroup.RealCgroupV2.pids;
import static io.github.junitsandbox.runtime.cgroup.RealCgroupV2.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.runtime.SandboxRuntime;
import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The driver this JVM detects ({@link CgroupDrivers#detect}) on a kernel with the cgroup v2 unified hierarchy and
 * its controllers: limits written and enforced by the kernel, the OOM kill counted where {@code oomKilled()} reads
 * it, cgroup.kill ending every process. As root the cgroups go under the hierarchy's root; as a user, under the
 * delegated subtree named by {@value SandboxRuntime#CGROUP_PARENT_PROPERTY}. Processes are placed while they wait
 * on stdin, so that they run their command only once in the cgroup.
 */
@Tag(RealCgroupV2.TAG)
class CgroupV2KernelTest {

    private static final long MIB = 1L << 20;

    private final long jvmPid = ProcessHandle.current().pid();
    private final ProcessesAndCgroups cleanup = new ProcessesAndCgroups();
    private RealCgroupV2 v2;
    private CgroupDriver driver;

    @BeforeEach
    void detectTheDriver() {
        v2 = RealCgroupV2.required();
        driver = CgroupDrivers.detect(System.getProperty(SandboxRuntime.CGROUP_PARENT_PROPERTY), jvmPid, ThisProcess.isRoot());
    }

    @AfterEach
    void cleanUp() {
        cleanup.close();
    }

    private static CgroupLimits limits(Long memory, Long pids) {
        return new CgroupLimits(memory == null ? OptionalLong.empty() : OptionalLong.of(memory), OptionalLong.empty(),
                pids == null ? OptionalLong.empty() : OptionalLong.of(pids), OptionalDouble.empty());
    }

    private ContainerCgroup create(CgroupLimits limits) {
        return cleanup.track(driver.create("v2k-" + UUID.randomUUID(), limits));
    }

    /** Starts {@code command} held on stdin, places it in {@code cgroup}, then lets it exec. */
    private Process startIn(ContainerCgroup cgroup, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "read go && exec \"$@\"", "sh"));
        argv.addAll(List.of(command));
        Process process = cleanup.track(new ProcessBuilder(argv).start());
        Files.writeString(cgroup.directories().get(0).resolve("cgroup.procs"), Long.toString(process.pid()));
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write("go\n".getBytes(StandardCharsets.US_ASCII));
        }
        return process;
    }

    private static int exitOf(Process process) throws InterruptedException {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s ended", process.info().commandLine().orElse("process")).isTrue();
        return process.exitValue();
    }

    @Test
    void theCgroupLiesInTheConfiguredParentOwnedByThisJvmsUserWithTheControllersItNeeds() throws IOException {
        ContainerCgroup cgroup = create(limits(32 * MIB, 16L));
        Path leaf = cgroup.directories().get(0);

        assertThat(leaf.getParent()).isEqualTo(v2.configuredParent());
        assertThat(leaf.getFileName().toString()).startsWith("junit-sandbox-" + jvmPid + "-");
        assertThat(Files.getAttribute(leaf, "unix:uid")).as("owner of %s", leaf).isEqualTo(ThisProcess.euid());
        assertThat(CgroupMounts.words(read(leaf.resolve("cgroup.controllers")))).contains("memory", "pids");
        assertThat(read(leaf.resolve("memory.max"))).isEqualTo(32 * MIB + "\n");
        assertThat(read(leaf.resolve("pids.max"))).isEqualTo("16\n");
        assertThat(driver.describe()).isEqualTo("cgroup v2 under " + v2.configuredParent() + ", as junit-sandbox-" + jvmPid + "-ID");
    }

    @Test
    void memoryMaxOomKillsAnAllocationAboveItAndMemoryEventsCountsTheKill() throws Exception {
        ContainerCgroup tight = create(limits(32 * MIB, null));
        ContainerCgroup roomy = create(limits(256 * MIB, null));

        Process overLimit = startIn(tight, "dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1");
        Process underLimit = startIn(roomy, "dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1");

        assertThat(exitOf(overLimit)).as("dd with a 128 MiB buffer in 32 MiB: SIGKILL").isEqualTo(137);
        assertThat(keyed(tight.directories().get(0).resolve("memory.events"), "oom_kill")).isEqualTo(1);
        assertThat(tight.oomKilled()).isTrue();
        assertThat(exitOf(underLimit)).as("the same dd in 256 MiB").isZero();
        assertThat(keyed(roomy.directories().get(0).resolve("memory.events"), "oom_kill")).isZero();
        assertThat(roomy.oomKilled()).isFalse();
    }

    @Test
    void pidsMaxStopsAForkLoopAndCgroupKillEndsWhatItStarted() throws Exception {
        ContainerCgroup cgroup = create(limits(null, 8L));
        Path leaf = cgroup.directories().get(0);

        // The sleeps must not hold the shell's stderr pipe open, or reading it would wait for them.
        Process forker = startIn(cgroup, "sh", "-c",
                "i=0; while [ $i -lt 30 ]; do sleep 600 < /dev/null > /dev/null 2>&1 & i=$((i+1)); done; echo all-started");
        int status = exitOf(forker);
        String stderr = new String(forker.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        List<Long> survivors = pids(leaf);

        assertThat(status).as("the forking shell's status; stderr: %s", stderr).isNotZero();
        assertThat(stderr).containsIgnoringCase("fork");
        assertThat(keyed(leaf.resolve("pids.events"), "max")).as("pids.events: fork refusals").isPositive();
        assertThat(survivors).as("the sleeps the limit let start").hasSizeBetween(1, 8);
        assertThat(Long.parseLong(read(leaf.resolve("pids.current")).strip())).isEqualTo(survivors.size());

        cgroup.killAll();

        assertThat(read(leaf.resolve("cgroup.events"))).contains("populated 0\n");
        assertThat(survivors).allSatisfy(pid -> assertThat(RealCgroupV2.isDead(pid)).as("pid %d dead", pid).isTrue());
        cgroup.remove();
        assertThat(leaf).doesNotExist();
    }

    @Test
    void removeLeavesNothingOfThisJvmInTheHierarchy() throws IOException {
        ContainerCgroup first = create(limits(32 * MIB, 8L));
        ContainerCgroup second = create(limits(null, 8L));

        first.killAll();
        first.remove();
        second.killAll();
        second.remove();

        try (Stream<Path> tree = Files.walk(v2.mountPoint())) {
            assertThat(tree.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("junit-sandbox-" + jvmPid + "-"));
        }
    }
}
