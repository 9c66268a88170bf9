package io.github.junitsandbox.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.SandboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CgroupV2Driver} on this machine's real cgroup2 mount, with real processes: placement, cgroup.kill,
 * cgroup.events and removal as the kernel does them. On the hybrid build machine that mount holds no controllers,
 * so it also shows the kernel's answer to a limit it cannot enforce. Needs root (or a writable mount).
 */
class CgroupV2RealMountTest {

    private final long jvmPid = ProcessHandle.current().pid();
    private final ProcessesAndCgroups cleanup = new ProcessesAndCgroups();
    private CgroupMount mount;

    @BeforeEach
    void findTheCgroup2Mount() {
        mount = CgroupMounts.ofThisProcess().all().stream().filter(m -> m.version() == 2).findFirst().orElse(null);
        assumeTrue(mount != null && Files.isWritable(mount.mountPoint()), "a writable cgroup2 mount");
    }

    @AfterEach
    void cleanUp() {
        cleanup.close();
    }

    @Test
    void aProcessPlacedInTheCgroupIsKilledByCgroupKillAndTheCgroupRemoved() throws Exception {
        assumeTrue(Files.exists(mount.mountPoint().resolve("cgroup.procs")));
        CgroupV2Driver driver = new CgroupV2Driver(mount.mountPoint(), mount.mountPoint(), jvmPid);
        String id = "v2-" + UUID.randomUUID();
        ContainerCgroup cgroup = cleanup.track(driver.create(id, CgroupLimits.none()));
        Path leaf = cgroup.directories().get(0);
        Process sleep = cleanup.track(new ProcessBuilder("sleep", "600").start());

        Files.writeString(leaf.resolve("cgroup.procs"), Long.toString(sleep.pid()));

        assertThat(Files.readString(Path.of("/proc/" + sleep.pid() + "/cgroup"))).contains("0::/junit-sandbox-" + jvmPid + "-" + id + "\n");
        assertThat(Files.readString(leaf.resolve("cgroup.events"))).contains("populated 1\n");
        assertThat(leaf.resolve("cgroup.kill")).exists();

        cgroup.killAll();

        assertThat(sleep.waitFor(5, TimeUnit.SECONDS)).as("sleep ended after killAll").isTrue();
        assertThat(sleep.exitValue()).as("exit status (128 + SIGKILL)").isEqualTo(137);
        assertThat(Files.readString(leaf.resolve("cgroup.events"))).contains("populated 0\n");
        assertThat(Files.readString(leaf.resolve("cgroup.procs"))).isEmpty();

        cgroup.remove();

        assertThat(leaf).doesNotExist();
    }

    @Test
    void withoutCgroupKillAsBeforeLinux514EachProcessIsKilled() throws Exception {
        CgroupFs withoutCgroupKill = new CgroupFs() {
            @Override
            boolean exists(Path path) {
                return !path.getFileName().toString().equals("cgroup.kill") && super.exists(path);
            }
        };
        CgroupV2Driver driver = new CgroupV2Driver(withoutCgroupKill, mount.mountPoint(), mount.mountPoint(), jvmPid);
        ContainerCgroup cgroup = cleanup.track(driver.create("v2-" + UUID.randomUUID(), CgroupLimits.none()));
        Process tree = cleanup.startInside(cgroup, "sleep 600 & sleep 600 & echo started; wait");
        assertThat(new String(tree.getInputStream().readNBytes(8), StandardCharsets.US_ASCII)).isEqualTo("started\n");
        Path leaf = cgroup.directories().get(0);
        assertThat(Files.readString(leaf.resolve("cgroup.procs")).lines()).hasSize(3);

        cgroup.killAll();

        assertThat(tree.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(tree.exitValue()).isEqualTo(137);
        assertThat(Files.readString(leaf.resolve("cgroup.events"))).contains("populated 0\n");
    }

    @Test
    void aMemoryLimitWhereTheMountOffersNoMemoryControllerFailsNamingIt() throws IOException {
        Set<String> offered = CgroupMounts.words(Files.readString(mount.mountPoint().resolve("cgroup.controllers")));
        assumeTrue(!offered.contains("memory"), "the cgroup2 mount offers no memory controller (hybrid layout)");
        CgroupV2Driver driver = new CgroupV2Driver(mount.mountPoint(), mount.mountPoint(), jvmPid);
        CgroupLimits memory = new CgroupLimits(OptionalLong.of(32L << 20), OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty());

        assertThatThrownBy(() -> cleanup.track(driver.create("v2-" + UUID.randomUUID(), memory)))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith("cgroup v2: a memory limit needs the memory controller, which is not available: "
                        + mount.mountPoint().resolve("cgroup.controllers") + " is \"" + String.join(" ", offered) + "\" (no memory)");
        try (Stream<Path> children = Files.list(mount.mountPoint())) {
            assertThat(children.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("junit-sandbox-" + jvmPid + "-"));
        }
    }

    @Test
    void theKernelItselfRefusesToEnableAControllerItDoesNotOffer() throws IOException {
        Set<String> offered = CgroupMounts.words(Files.readString(mount.mountPoint().resolve("cgroup.controllers")));
        assumeTrue(!offered.contains("memory"), "the cgroup2 mount offers no memory controller (hybrid layout)");
        Path subtreeControl = mount.mountPoint().resolve("cgroup.subtree_control");

        // What the driver's check spares the user: the kernel's own answer is a bare errno.
        assertThatThrownBy(() -> CgroupFs.KERNEL.write(subtreeControl, "+memory"))
                .isInstanceOf(SandboxException.class)
                .hasMessage("write \"+memory\" to " + subtreeControl + ": No such file or directory");
    }
}
