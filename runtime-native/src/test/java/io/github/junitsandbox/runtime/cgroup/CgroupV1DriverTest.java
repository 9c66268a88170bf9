package io.github.junitsandbox.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CgroupV1Driver} on this machine's real v1 hierarchies, as root, with real processes placed in the
 * container's cgroups the way the launcher does it (their pid written to each directory's cgroup.procs before they
 * go on): the kernel enforces the limits, reports OOM kills, freezes and kills.
 */
class CgroupV1DriverTest {

    private static final long MIB = 1L << 20;

    private final long jvmPid = ProcessHandle.current().pid();
    private final ProcessesAndCgroups cleanup = new ProcessesAndCgroups();
    private CgroupDriver driver;

    @BeforeEach
    void needsV1HierarchiesAndRoot() {
        assumeTrue(CgroupMounts.ofThisProcess().mode() == CgroupMode.LEGACY, "cgroup v1 memory and pids hierarchies");
        assumeTrue("root".equals(System.getProperty("user.name")), "root");
        driver = CgroupDrivers.detect(null, jvmPid, true);
    }

    @AfterEach
    void cleanUp() {
        cleanup.close();
    }


    private ContainerCgroup create(CgroupDriver on, CgroupLimits limits) {
        return cleanup.track(on.create("v1-" + UUID.randomUUID(), limits));
    }

    private static Path dirIn(ContainerCgroup cgroup, String hierarchy) {
        return cgroup.directories().stream().filter(dir -> dir.startsWith("/sys/fs/cgroup/" + hierarchy)).findFirst().orElseThrow();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Long> pidsIn(Path dir) {
        return read(dir.resolve("cgroup.procs")).lines().map(Long::parseLong).toList();
    }

    @Test
    void limitsAreWrittenToEachHierarchyAndReadBackFromTheKernel() {
        ContainerCgroup cgroup = create(driver, Limits.of(32 * MIB, 48 * MIB, 10L, 0.5));

        assertThat(cgroup.directories()).extracting(dir -> dir.getParent().toString())
                .containsExactly("/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids", "/sys/fs/cgroup/cpu", "/sys/fs/cgroup/freezer");
        assertThat(read(dirIn(cgroup, "memory").resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(32 * MIB));
        assertThat(read(dirIn(cgroup, "memory").resolve("memory.memsw.limit_in_bytes"))).isEqualTo(Long.toString(48 * MIB));
        assertThat(read(dirIn(cgroup, "pids").resolve("pids.max"))).isEqualTo("10");
        assertThat(read(dirIn(cgroup, "cpu").resolve("cpu.cfs_period_us"))).isEqualTo("100000");
        assertThat(read(dirIn(cgroup, "cpu").resolve("cpu.cfs_quota_us"))).isEqualTo("50000");
        assertThat(cgroup.cleanupPaths()).isEqualTo(cgroup.directories());
        assertThat(cgroup.directories()).extracting(dir -> dir.getFileName().toString()).as("one name in every hierarchy")
                .containsOnly(cgroup.directories().get(0).getFileName().toString())
                .allMatch(name -> name.startsWith("junit-sandbox-" + jvmPid + "-v1-"));
    }

    @Test
    void withoutLimitsOnlyTheFreezerCgroupIsMade() {
        ContainerCgroup cgroup = create(driver, CgroupLimits.none());

        assertThat(cgroup.directories()).extracting(dir -> dir.getParent().toString()).containsExactly("/sys/fs/cgroup/freezer");
    }

    @Test
    void withAPidNamespaceNoFreezerCgroupIsMadeAndKillAllStillEmptiesTheCgroup() throws Exception {
        ContainerCgroup cgroup = cleanup.track(driver.createWithPidNamespace("v1-" + UUID.randomUUID(), Limits.of(null, null, 64L, null)));
        Process tree = cleanup.startInside(cgroup, "(sleep 600 & echo forked; wait) & wait");
        assertThat(new BufferedReader(new InputStreamReader(tree.getInputStream(), StandardCharsets.US_ASCII)).readLine()).isEqualTo("forked");

        cgroup.killAll();

        assertThat(cgroup.directories()).extracting(dir -> dir.getParent().toString()).containsExactly("/sys/fs/cgroup/pids");
        assertThat(pidsIn(dirIn(cgroup, "pids"))).isEmpty();
        assertThat(tree.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(tree.exitValue()).isEqualTo(137);
    }

    @Test
    void withAPidNamespaceButNoLimitTheFreezerStillGivesTheContainerACgroupOfItsOwn() {
        ContainerCgroup cgroup = cleanup.track(driver.createWithPidNamespace("v1-" + UUID.randomUUID(), CgroupLimits.none()));

        assertThat(cgroup.directories()).extracting(dir -> dir.getParent().toString()).containsExactly("/sys/fs/cgroup/freezer");
    }

    @Test
    void aProcessOverTheMemoryLimitIsOomKilledAndOomKilledSaysSo() throws Exception {
        ContainerCgroup cgroup = create(driver, Limits.of(32 * MIB, 32 * MIB, null, null));

        Process dd = cleanup.startInside(cgroup, "exec dd if=/dev/zero of=/dev/null bs=128M count=1");

        assertThat(dd.waitFor(30, TimeUnit.SECONDS)).as("dd ended").isTrue();
        assertThat(dd.exitValue()).as("exit status (128 + SIGKILL)").isEqualTo(137);
        assertThat(read(dirIn(cgroup, "memory").resolve("memory.oom_control"))).contains("oom_kill 1");
        assertThat(cgroup.oomKilled()).isTrue();
        cgroup.remove();
        assertThat(cgroup.oomKilled()).as("after remove, as it was at removal").isTrue();
    }

    @Test
    void aProcessUnderTheMemoryLimitIsNotOomKilled() throws Exception {
        ContainerCgroup cgroup = create(driver, Limits.of(32 * MIB, 32 * MIB, null, null));

        Process dd = cleanup.startInside(cgroup, "exec dd if=/dev/zero of=/dev/null bs=1M count=8");

        assertThat(dd.waitFor(30, TimeUnit.SECONDS)).as("dd ended").isTrue();
        assertThat(dd.exitValue()).isZero();
        assertThat(cgroup.oomKilled()).isFalse();
    }

    @Test
    void thePidLimitStopsAForkLoop() throws Exception {
        ContainerCgroup cgroup = create(driver, Limits.of(null, null, 10L, null));
        Path pids = dirIn(cgroup, "pids");

        // The sleeps do not hold the shell's output open, so that it ends when the shell does.
        Process loop = cleanup.startInside(cgroup, "i=0; while [ $i -lt 30 ]; do sleep 600 >/dev/null 2>&1 & i=$((i+1)); done; echo looped");

        assertThat(loop.waitFor(30, TimeUnit.SECONDS)).as("shell ended").isTrue();
        assertThat(new String(loop.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).as("shell's stderr").containsIgnoringCase("fork");
        assertThat(new String(loop.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).as("shell's stdout").doesNotContain("looped");
        assertThat(pidsIn(pids)).as("sleeps left in the cgroup").hasSizeBetween(1, 9);
        assertThat(read(pids.resolve("pids.events"))).matches("max [1-9][0-9]*");
        cgroup.killAll();
        assertThat(pidsIn(pids)).isEmpty();
    }

    @Test
    void killAllKillsAProcessTreeIncludingOneThatIgnoresSigterm() throws Exception {
        ContainerCgroup cgroup = create(driver, Limits.of(null, null, 64L, null));
        // Each subshell reports once its sleep is forked: then all five processes exist, one of them ignoring SIGTERM.
        Process tree = cleanup.startInside(cgroup,
                "(trap '' TERM; sleep 600 & echo ignoring; wait) & (sleep 600 & echo plain; wait) & wait");
        assertThat(new BufferedReader(new InputStreamReader(tree.getInputStream(), StandardCharsets.US_ASCII)).lines().limit(2))
                .containsExactlyInAnyOrder("ignoring", "plain");
        List<Long> before = pidsIn(dirIn(cgroup, "freezer"));
        long termIgnorer = before.stream().filter(CgroupV1DriverTest::ignoresSigterm)
                .findFirst().orElseThrow(() -> new AssertionError("no process ignoring SIGTERM among " + before));

        cgroup.killAll();

        assertThat(before).hasSize(5).contains(tree.pid(), termIgnorer);
        assertThat(tree.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(tree.exitValue()).isEqualTo(137);
        for (Path dir : cgroup.directories()) {
            assertThat(pidsIn(dir)).as("%s/cgroup.procs", dir).isEmpty();
        }
        assertThat(before).allSatisfy(pid -> assertThat(stateOf(pid)).as("state of %d", pid).isIn("gone", "Z"));
        assertThat(read(dirIn(cgroup, "freezer").resolve("freezer.state"))).isEqualTo("THAWED");
    }

    private static boolean ignoresSigterm(long pid) {
        String ignored = read(Path.of("/proc/" + pid + "/status")).lines().filter(line -> line.startsWith("SigIgn:"))
                .findFirst().orElseThrow().substring("SigIgn:".length()).strip();
        return (Long.parseUnsignedLong(ignored, 16) & (1L << (15 - 1))) != 0;
    }

    /** The process's state letter from /proc/PID/stat, or "gone". */
    private static String stateOf(long pid) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return "gone";
        }
        try {
            String content = Files.readString(stat);
            return content.substring(content.lastIndexOf(')') + 2, content.lastIndexOf(')') + 3);
        } catch (IOException e) {
            return "gone";
        }
    }

    @Test
    void removeLeavesNoCgroupOfThisJvm() throws Exception {
        ContainerCgroup first = create(driver, Limits.of(64 * MIB, null, 10L, 1.0));
        ContainerCgroup second = create(driver, Limits.of(64 * MIB, null, 10L, null));
        cleanup.startInside(first, "sleep 600");
        first.killAll();

        first.remove();
        assertThat(first.directories()).allSatisfy(dir -> assertThat(dir).doesNotExist());
        assertThat(second.directories()).as("another container's, still alive").allSatisfy(dir -> assertThat(dir).isDirectory());

        second.remove();
        assertThat(cgroupsNamed("junit-sandbox-" + jvmPid + "-*")).isEmpty();
    }

    @Test
    void sweepRemovesADeadOwnersEmptyTreeAndNeverKills() throws Exception {
        long deadPid = finishedProcessPid();
        long deadPidInOtherNamespace = finishedProcessPid();
        Process liveOwner = cleanup.track(new ProcessBuilder("sleep", "600").start());
        ContainerCgroup leftover = create(CgroupDrivers.detect(null, deadPid, true), Limits.of(64 * MIB, null, 10L, null));
        // A JVM in another PID namespace: its pid means nothing here, but its container runs.
        ContainerCgroup otherNamespaces = create(CgroupDrivers.detect(null, deadPidInOtherNamespace, true), Limits.of(64 * MIB, null, 10L, null));
        Process running = cleanup.startInside(otherNamespaces, "sleep 600");
        ContainerCgroup othersLive = create(CgroupDrivers.detect(null, liveOwner.pid(), true), Limits.of(null, null, 10L, null));
        ContainerCgroup mine = create(driver, Limits.of(null, null, 10L, null));

        driver.sweep(pid -> ProcessHandle.of(pid).isPresent());

        assertThat(cgroupsNamed("junit-sandbox-" + deadPid + "-*")).isEmpty();
        assertThat(leftover.directories()).allSatisfy(dir -> assertThat(dir).doesNotExist());
        assertThat(running.isAlive()).as("process in the cgroup of an owner that looks dead").isTrue();
        assertThat(otherNamespaces.directories()).allSatisfy(dir -> assertThat(dir).isDirectory());
        assertThat(othersLive.directories()).allSatisfy(dir -> assertThat(dir).isDirectory());
        assertThat(mine.directories()).allSatisfy(dir -> assertThat(dir).isDirectory());
    }

    private static long finishedProcessPid() throws IOException, InterruptedException {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        return finished.pid();
    }

    /** {@code find /sys/fs/cgroup -name PATTERN}: find, because other JVMs' cgroups may vanish while it walks. */
    private static List<String> cgroupsNamed(String pattern) throws IOException, InterruptedException {
        Process find = new ProcessBuilder("find", "/sys/fs/cgroup", "-name", pattern).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> found = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        find.waitFor();
        return found;
    }
}
