package io.github.junitsandbox.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.junitsandbox.runtime.SandboxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CgroupV2Driver} against a {@link FaithfulCgroup2Tree}: files and formats as a Linux 6.x cgroup2 mount
 * presents them, in a temp directory. A faithful tree, not the kernel: it shows what the driver writes, where,
 * in which order, and how it reads what the kernel reports; enforcement on a real kernel is the VM lane's job
 * (issue 7) and {@link CgroupV2RealMountTest} covers what the cgroup2 mount of a hybrid machine offers.
 */
class CgroupV2DriverTreeTest {

    private static final String ALL_CONTROLLERS = "cpuset cpu io memory hugetlb pids rdma misc";
    private static final long JVM_PID = 4242;

    @TempDir
    Path tmp;


    private FaithfulCgroup2Tree tree(String rootControllers) {
        return new FaithfulCgroup2Tree(tmp.resolve("cgroup"), rootControllers, true, true);
    }

    @Test
    void enablesControllersAlongThePathAndWritesEachLimit() {
        FaithfulCgroup2Tree tree = tree(ALL_CONTROLLERS);
        Path parent = tree.root().resolve("ci.slice");
        tree.mkdir(parent);
        CgroupV2Driver driver = new CgroupV2Driver(tree, tree.root(), parent, JVM_PID);

        ContainerCgroup cgroup = driver.create("c1", Limits.of(64L << 20, 96L << 20, 64L, 1.5));

        Path leaf = parent.resolve("junit-sandbox-4242-c1");
        assertThat(tree.writes()).containsExactly(
                "cgroup.subtree_control: +memory +pids +cpu",
                "ci.slice/cgroup.subtree_control: +memory +pids +cpu",
                "ci.slice/junit-sandbox-4242-c1/memory.max: 67108864",
                "ci.slice/junit-sandbox-4242-c1/memory.swap.max: 33554432",
                "ci.slice/junit-sandbox-4242-c1/pids.max: 64",
                "ci.slice/junit-sandbox-4242-c1/cpu.max: 150000 100000");
        assertThat(tree.read(leaf.resolve("cgroup.controllers"))).isEqualTo("cpu memory pids\n");
        assertThat(cgroup.directories()).containsExactly(leaf);
        assertThat(cgroup.cleanupPaths()).containsExactly(leaf);
        assertThat(driver.describe()).isEqualTo("cgroup v2 under " + parent + ", as junit-sandbox-4242-ID");
    }

    @Test
    void writesOnlyTheControllersNotYetEnabled() {
        FaithfulCgroup2Tree tree = tree(ALL_CONTROLLERS);
        tree.put(tree.root(), "cgroup.subtree_control", "cpu memory\n");
        CgroupV2Driver driver = new CgroupV2Driver(tree, tree.root(), tree.root(), JVM_PID);

        driver.create("c1", Limits.of(32L << 20, null, 10L, null));
        driver.create("c2", Limits.of(32L << 20, null, 10L, null));

        assertThat(tree.writes()).containsExactly(
                "cgroup.subtree_control: +pids",
                "junit-sandbox-4242-c1/memory.max: 33554432",
                "junit-sandbox-4242-c1/pids.max: 10",
                "junit-sandbox-4242-c2/memory.max: 33554432",
                "junit-sandbox-4242-c2/pids.max: 10");
    }

    @Test
    void noLimitsMakesAPlainCgroupAndEnablesNothing() {
        FaithfulCgroup2Tree tree = tree(ALL_CONTROLLERS);
        CgroupV2Driver driver = new CgroupV2Driver(tree, tree.root(), tree.root(), JVM_PID);

        ContainerCgroup cgroup = driver.create("c1", CgroupLimits.none());

        assertThat(tree.writes()).isEmpty();
        assertThat(cgroup.directories()).containsExactly(tree.root().resolve("junit-sandbox-4242-c1"));
        assertThat(tree.read(tree.root().resolve("junit-sandbox-4242-c1/cgroup.controllers"))).isEqualTo("\n");
    }

    @Test
    void aControllerTheMountDoesNotOfferIsNamedWithItsFileAndNothingIsCreated() {
        // A hybrid machine: memory is bound to its v1 hierarchy, the cgroup2 mount offers the rest.
        FaithfulCgroup2Tree tree = tree("cpu io pids");
        CgroupV2Driver driver = new CgroupV2Driver(tree, tree.root(), tree.root(), JVM_PID);

        assertThatThrownBy(() -> driver.create("c1", Limits.of(32L << 20, null, 10L, null)))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("a memory limit needs the memory controller, which is not available: "
                        + tree.root().resolve("cgroup.controllers") + " is \"cpu io pids\"")
                .hasMessageContaining("cgroup_no_v1=memory")
                .hasMessageContaining("echo +memory > PARENT/cgroup.subtree_control");
        assertThat(tree.subdirectories(tree.root())).isEmpty();
        assertThat(tree.writes()).isEmpty();
    }

    /**
     * Rootless under systemd-run --user --scope -p Delegate=yes, the default parent: the JVM's own cgroup, which holds the
     * build's processes. They move to junit-sandbox-processes, then the scope enables what the container needs.
     */
    @Test
    void theJvmsOwnDelegatedCgroupMovesItsProcessesToALeafBeforeEnablingControllers() {
        FaithfulCgroup2Tree tree = tree(ALL_CONTROLLERS);
        Path scope = scopeHoldingTwoProcesses(tree);
        CgroupV2Driver driver = new CgroupV2Driver(tree, tree.root(), scope, JVM_PID, true);

        ContainerCgroup cgroup = driver.create("c1", Limits.of(null, null, 10L, null));

        Path processes = scope.resolve(CgroupV2Driver.PROCESSES_LEAF);
        assertThat(tree.pids(processes)).containsExactly(812, 813);
        assertThat(tree.pids(scope)).isEmpty();
        // the first write is refused (EBUSY): the move comes only where it is needed
        assertThat(tree.writes()).containsExactly("run-r1.scope/cgroup.subtree_control: +pids",
                "run-r1.scope/junit-sandbox-processes/cgroup.procs: 812",
                "run-r1.scope/junit-sandbox-processes/cgroup.procs: 813", "run-r1.scope/cgroup.subtree_control: +pids",
                "run-r1.scope/junit-sandbox-4242-c1/pids.max: 10");
        assertThat(cgroup.directories()).containsExactly(scope.resolve("junit-sandbox-4242-c1"));
        // the next container finds them moved, and the leaf is no JVM's leftover for a sweep
        driver.create("c2", Limits.of(null, null, 10L, null));
        driver.sweep(pid -> false);
        assertThat(processes).isDirectory();
    }

    /** What systemd-run --user --scope -p Delegate=yes makes: a cgroup below one that enables the controllers, with the build in it. */
    private static Path scopeHoldingTwoProcesses(FaithfulCgroup2Tree tree) {
        tree.put(tree.root(), "cgroup.subtree_control", "cpu memory pids\n");
        Path scope = tree.root().resolve("run-r1.scope");
        tree.mkdir(scope);
        tree.put(scope, "cgroup.procs", "812\n813\n");
        return scope;
    }

    @Test
    void aParentHoldingProcessesGetsTheNoInternalProcessesExplanation() {
        // Rootless under systemd-run --user --scope -p Delegate=yes: the scope holds the build's processes.
        FaithfulCgroup2Tree tree = tree(ALL_CONTROLLERS);
        Path scope = scopeHoldingTwoProcesses(tree);
        CgroupV2Driver driver = new CgroupV2Driver(tree, tree.root(), scope, JVM_PID);

        assertThatThrownBy(() -> driver.create("c1", Limits.of(null, null, 10L, null)))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("write \"+pids\" to " + scope.resolve("cgroup.subtree_control") + ": Device or resource busy")
                .hasMessageContaining("holds processes itself (" + scope.resolve("cgroup.procs") + " = [812, 813])")
                .hasMessageContaining("mkdir " + scope + "/init");
        assertThat(tree.subdirectories(scope)).isEmpty();
    }

    @Test
    void aSwapLimitWithoutSwapAccountingFailsAndLeavesNothing() {
        FaithfulCgroup2Tree tree = new FaithfulCgroup2Tree(tmp.resolve("cgroup"), ALL_CONTROLLERS, true, false);
        CgroupV2Driver driver = new CgroupV2Driver(tree, tree.root(), tree.root(), JVM_PID);

        assertThatThrownBy(() -> driver.create("c1", Limits.of(32L << 20, 64L << 20, null, null)))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("cannot enforce memory 33554432 bytes, memory+swap 67108864 bytes: "
                        + tree.root().resolve("junit-sandbox-4242-c1/memory.swap.max") + " does not exist")
                .hasMessageContaining("swapaccount=1");
        assertThat(tree.subdirectories(tree.root())).isEmpty();
    }

    @Test
    void oomKilledReadsTheOomKillCountOfMemoryEvents() {
        FaithfulCgroup2Tree tree = tree(ALL_CONTROLLERS);
        CgroupV2Driver driver = new CgroupV2Driver(tree, tree.root(), tree.root(), JVM_PID);
        ContainerCgroup limited = driver.create("c1", Limits.of(32L << 20, null, null, null));
        ContainerCgroup unlimited = driver.create("c2", CgroupLimits.none());

        assertThat(limited.oomKilled()).isFalse();
        // What the kernel shows after the OOM killer took one process: the limit was hit 3 times.
        tree.put(limited.directories().get(0), "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n");
        assertThat(limited.oomKilled()).isTrue();
        assertThat(unlimited.oomKilled()).isFalse();

        limited.remove();
        assertThat(limited.directories().get(0)).doesNotExist();
        assertThat(limited.oomKilled()).as("after remove, as it was at removal").isTrue();
    }

    @Test
    void killAllWritesCgroupKillOnlyWhileTheCgroupIsPopulated() {
        FaithfulCgroup2Tree tree = tree(ALL_CONTROLLERS);
        ContainerCgroup cgroup = new CgroupV2Driver(tree, tree.root(), tree.root(), JVM_PID).create("c1", CgroupLimits.none());
        Path leaf = cgroup.directories().get(0);

        cgroup.killAll();
        assertThat(tree.writes()).isEmpty();

        tree.put(leaf, "cgroup.procs", "5150\n5151\n");
        tree.put(leaf, "cgroup.events", "populated 1\nfrozen 0\n");
        cgroup.killAll();
        assertThat(tree.writes()).containsExactly("junit-sandbox-4242-c1/cgroup.kill: 1");
    }

    @Test
    void removeDeletesTheLeafAndNothingElse() {
        FaithfulCgroup2Tree tree = tree(ALL_CONTROLLERS);
        CgroupV2Driver driver = new CgroupV2Driver(tree, tree.root(), tree.root(), JVM_PID);
        ContainerCgroup first = driver.create("c1", Limits.of(null, null, 10L, null));
        ContainerCgroup second = driver.create("c2", Limits.of(null, null, 10L, null));

        first.remove();
        assertThat(tree.root().resolve("junit-sandbox-4242-c1")).doesNotExist();
        assertThat(tree.root().resolve("junit-sandbox-4242-c2")).isDirectory();

        second.remove();
        second.remove();
        assertThat(tree.subdirectories(tree.root())).isEmpty();
        assertThat(tree.root()).as("the parent").isDirectory();
    }

    @Test
    void anExistingLeafIsALeftoverAndIsNeitherReusedNorRemoved() {
        FaithfulCgroup2Tree tree = tree(ALL_CONTROLLERS);
        CgroupV2Driver driver = new CgroupV2Driver(tree, tree.root(), tree.root(), JVM_PID);
        driver.create("c1", CgroupLimits.none());

        assertThatThrownBy(() -> driver.create("c1", CgroupLimits.none()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("mkdir " + tree.root().resolve("junit-sandbox-4242-c1") + ": EEXIST");
        assertThat(tree.root().resolve("junit-sandbox-4242-c1")).isDirectory();
    }

    @Test
    void sweepRemovesDeadOwnersEmptyTreesOnlyAndNeverKills() {
        FaithfulCgroup2Tree tree = tree(ALL_CONTROLLERS);
        // 111 looks dead but runs a container (a JVM in another PID namespace): all of it stays, nothing is killed.
        new CgroupV2Driver(tree, tree.root(), tree.root(), 111).create("a", Limits.of(null, null, 10L, null));
        ContainerCgroup running = new CgroupV2Driver(tree, tree.root(), tree.root(), 111).create("b", CgroupLimits.none());
        tree.put(running.directories().get(0), "cgroup.procs", "5000\n");
        new CgroupV2Driver(tree, tree.root(), tree.root(), 222).create("c", CgroupLimits.none());
        new CgroupV2Driver(tree, tree.root(), tree.root(), 333).create("d", Limits.of(null, null, 10L, null));
        // A dead JVM's per-JVM directory as earlier builds made it, with a container below.
        tree.mkdir(tree.root().resolve("junit-sandbox-444"));
        tree.mkdir(tree.root().resolve("junit-sandbox-444/e"));
        tree.mkdir(tree.root().resolve("system.slice"));
        CgroupV2Driver self = new CgroupV2Driver(tree, tree.root(), tree.root(), JVM_PID);
        self.create("mine", CgroupLimits.none());

        self.sweep(pid -> pid == 222);

        assertThat(tree.subdirectories(tree.root())).extracting(dir -> dir.getFileName().toString())
                .containsExactlyInAnyOrder("junit-sandbox-111-a", "junit-sandbox-111-b", "junit-sandbox-222-c",
                        "junit-sandbox-4242-mine", "system.slice");
        assertThat(tree.writes()).noneMatch(write -> write.contains("cgroup.kill"));
    }

    @Test
    void aContainerIdThatIsNotADirectoryNameIsRefused() {
        FaithfulCgroup2Tree tree = tree(ALL_CONTROLLERS);
        CgroupV2Driver driver = new CgroupV2Driver(tree, tree.root(), tree.root(), JVM_PID);

        assertThatThrownBy(() -> driver.create("../escape", CgroupLimits.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("container id \"../escape\" is not accepted as a cgroup name"
                        + " (accepted: 1-128 characters of [A-Za-z0-9_.-], starting with a letter or digit)");
        assertThat(tree.subdirectories(tree.root())).isEmpty();
    }
}
