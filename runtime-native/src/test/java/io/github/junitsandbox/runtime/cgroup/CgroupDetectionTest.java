package io.github.junitsandbox.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.junitsandbox.runtime.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mode detection and driver choice on faithful copies of {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}
 * from four kinds of machine: this build machine (v1 hierarchies beside a cgroup2 mount without controllers),
 * a pure cgroup v2 one (Debian 12, Ubuntu 24.04), a v1-only one (CentOS 7, Ubuntu 18.04 without the unified
 * mount) and a container with no cgroup filesystem at all. The cgroup2 controllers are those each machine's
 * {@code cgroup.controllers} lists.
 */
class CgroupDetectionTest {

    /** This machine, measured: hybrid, memory cgroup of the JVM's session below /process_api. */
    private static final String HYBRID_MOUNTINFO = """
            22 27 0:21 / /proc rw,relatime - proc proc rw
            23 27 0:22 / /sys rw,relatime - sysfs sysfs rw
            24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334492k,nr_inodes=3083623,mode=755
            27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;
    private static final String HYBRID_CGROUP = """
            9:name=systemd:/
            8:pids:/
            7:blkio:/
            6:freezer:/
            5:devices:/
            4:memory:/process_api/f753656f9a04ca65d06bcdab13ed81d7
            3:cpuset:/
            2:cpuacct:/
            1:cpu:/
            0::/
            """;

    /** Debian 12 / Ubuntu 24.04: systemd's unified layout, a user session. */
    private static final String UNIFIED_MOUNTINFO = """
            21 26 0:20 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            22 26 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
            23 26 0:5 / /dev rw,nosuid,relatime shared:2 - devtmpfs udev rw,size=4010348k,nr_inodes=1002587,mode=755,inode64
            24 23 0:22 / /dev/pts rw,nosuid,noexec,relatime shared:3 - devpts devpts rw,gid=5,mode=620,ptmxmode=000
            25 26 0:23 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=806344k,mode=755,inode64
            26 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
            28 21 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            29 21 0:26 / /sys/fs/pstore rw,nosuid,nodev,noexec,relatime shared:6 - pstore pstore rw
            """;
    private static final String UNIFIED_CGROUP = "0::/user.slice/user-1000.slice/session-3.scope\n";

    /** CentOS 7: v1 only, cpu and cpuacct co-mounted, systemd's named hierarchy. */
    private static final String LEGACY_MOUNTINFO = """
            17 39 0:17 / /sys rw,nosuid,nodev,noexec,relatime shared:6 - sysfs sysfs rw,seclabel
            18 39 0:3 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw
            25 17 0:21 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,seclabel,mode=755
            26 25 0:22 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,seclabel,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd
            28 25 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,seclabel,cpu,cpuacct
            29 25 0:25 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,seclabel,memory
            30 25 0:26 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,seclabel,pids
            31 25 0:27 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,seclabel,freezer
            32 25 0:28 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,seclabel,net_prio,net_cls
            39 1 253:0 / / rw,relatime shared:1 - xfs /dev/mapper/centos-root rw,seclabel,attr2,inode64,noquota
            """;
    private static final String LEGACY_CGROUP = """
            11:freezer:/
            10:pids:/user.slice/user-1000.slice
            9:memory:/user.slice
            4:cpu,cpuacct:/user.slice
            1:name=systemd:/user.slice/user-1000.slice/session-1.scope
            """;

    /** A container run without any cgroup filesystem (Docker with --cgroupns=private and /sys/fs/cgroup masked). */
    private static final String NONE_MOUNTINFO = """
            600 550 0:52 / / rw,relatime master:1 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/A:/var/lib/docker/overlay2/l/B,upperdir=/var/lib/docker/overlay2/c/diff,workdir=/var/lib/docker/overlay2/c/work
            601 600 0:55 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
            602 600 0:56 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755,inode64
            603 600 0:57 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro
            604 603 0:58 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - tmpfs tmpfs ro,mode=755,inode64
            """;

    /** Inside podman on this machine without --privileged: each hierarchy bound read-only from the container's cgroup. */
    private static final String PODMAN_UNPRIVILEGED_MOUNTINFO = """
            43 46 254:0 /tmp/pl/root / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
            68 43 0:40 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
            70 43 0:42 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro
            77 70 0:44 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755
            78 77 0:29 /libpod_parent/libpod-cf60 /sys/fs/cgroup/cpu ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,cpu
            81 77 0:32 /libpod_parent/libpod-cf60 /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,memory
            83 77 0:34 /libpod_parent/libpod-cf60 /sys/fs/cgroup/freezer ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,freezer
            85 77 0:36 /libpod_parent/libpod-cf60 /sys/fs/cgroup/pids ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,pids
            """;
    private static final String PODMAN_CGROUP = """
            8:pids:/libpod_parent/libpod-cf60
            6:freezer:/libpod_parent/libpod-cf60
            4:memory:/libpod_parent/libpod-cf60
            1:cpu:/libpod_parent/libpod-cf60
            """;

    @TempDir
    Path tmp;

    private CgroupMounts mounts(String mountinfo, Map<String, String> controllersByMountPoint) throws IOException {
        Path file = Files.writeString(tmp.resolve("proc-self-mountinfo"), mountinfo);
        return CgroupMounts.parse(file, mp -> CgroupMounts.words(controllersByMountPoint.getOrDefault(mp.toString(), "")));
    }

    private ProcessCgroups cgroups(String content) throws IOException {
        return ProcessCgroups.parse(Files.writeString(tmp.resolve("proc-self-cgroup"), content));
    }

    private static CgroupLimits memoryLimit() {
        return new CgroupLimits(OptionalLong.of(64L << 20), OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty());
    }

    @Test
    void thisMachinesHybridLayoutIsLegacyBecauseItsCgroup2MountHasNoControllers() throws IOException {
        CgroupMounts mounts = mounts(HYBRID_MOUNTINFO, Map.of("/sys/fs/cgroup/unified", ""));

        assertThat(mounts.mode()).isEqualTo(CgroupMode.LEGACY);
        assertThat(mounts.unified()).isEmpty();
        assertThat(mounts.v1Hierarchy("memory")).get().extracting(CgroupMount::mountPoint).isEqualTo(Path.of("/sys/fs/cgroup/memory"));
        assertThat(mounts.v1Hierarchy("pids")).get().extracting(CgroupMount::mountPoint).isEqualTo(Path.of("/sys/fs/cgroup/pids"));
        assertThat(mounts.v1Hierarchy("systemd")).isEmpty();
        assertThat(mounts.all()).filteredOn(m -> m.version() == 2).extracting(CgroupMount::mountPoint)
                .containsExactly(Path.of("/sys/fs/cgroup/unified"));
    }

    @Test
    void thisMachinesCgroupFileGivesTheJvmsCgroupPerHierarchy() throws IOException {
        ProcessCgroups self = cgroups(HYBRID_CGROUP);
        CgroupMount memory = mounts(HYBRID_MOUNTINFO, Map.of()).v1Hierarchy("memory").orElseThrow();

        assertThat(self.v1Path("memory")).hasValue("/process_api/f753656f9a04ca65d06bcdab13ed81d7");
        assertThat(self.v1Path("pids")).hasValue("/");
        assertThat(self.unifiedPath()).hasValue("/");
        assertThat(memory.directoryOf(self.v1Path("memory").orElseThrow()))
                .isEqualTo(Path.of("/sys/fs/cgroup/memory/process_api/f753656f9a04ca65d06bcdab13ed81d7"));
    }

    @Test
    void asRootOnTheHybridLayoutTheV1DriverUsesEachHierarchysRoot() throws IOException {
        CgroupDriver driver = CgroupDrivers.detect(mounts(HYBRID_MOUNTINFO, Map.of()), cgroups(HYBRID_CGROUP), null, 77, true);

        assertThat(driver).isInstanceOf(CgroupV1Driver.class);
        assertThat(driver.describe()).isEqualTo("cgroup v1: memory under /sys/fs/cgroup/memory,"
                + " pids under /sys/fs/cgroup/pids, cpu under /sys/fs/cgroup/cpu, devices under /sys/fs/cgroup/devices,"
                + " freezer under /sys/fs/cgroup/freezer, as junit-sandbox-77-ID");
    }

    @Test
    void aPureV2MachineIsUnified() throws IOException {
        CgroupMounts mounts = mounts(UNIFIED_MOUNTINFO, Map.of("/sys/fs/cgroup", "cpuset cpu io memory hugetlb pids rdma misc"));

        assertThat(mounts.mode()).isEqualTo(CgroupMode.UNIFIED);
        assertThat(mounts.unified()).get().isEqualTo(new CgroupMount(Path.of("/sys/fs/cgroup"), "/", 2,
                Set.of("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc")));
        assertThat(CgroupDrivers.detect(mounts, cgroups(UNIFIED_CGROUP), null, 77, true).describe())
                .isEqualTo("cgroup v2 under /sys/fs/cgroup, as junit-sandbox-77-ID");
    }

    @Test
    void rootlessOnV2WithoutADelegatedCgroupRefusesLimitsNamingTheFix() throws IOException {
        CgroupMounts mounts = mounts(UNIFIED_MOUNTINFO, Map.of("/sys/fs/cgroup", "cpuset cpu io memory hugetlb pids rdma misc"));
        // The session scope of this sample does not exist here, so it is not writable: not delegated.
        CgroupDriver driver = CgroupDrivers.detect(mounts, cgroups(UNIFIED_CGROUP), null, 77, false);

        assertThat(driver).isInstanceOf(UnavailableCgroupDriver.class);
        assertThatThrownBy(() -> driver.create("c1", memoryLimit()))
                .isInstanceOf(SandboxException.class)
                .hasMessage("cannot enforce memory 67108864 bytes for container c1: rootless, and this JVM's cgroup"
                        + " /sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope (cgroup v2 at /sys/fs/cgroup) is not delegated"
                        + " to it (not writable): run the build in a cgroup delegated to this user, e.g."
                        + " `systemd-run --user --scope -p Delegate=yes mvn verify` (systemd delegates memory and pids to the"
                        + " user's manager by default: `cat /sys/fs/cgroup/user.slice/user-$(id -u).slice/user@$(id -u).service/"
                        + "cgroup.subtree_control` lists them), or set junit.sandbox.cgroupParent to a cgroup directory this user may write");
        assertThat(driver.create("c1", CgroupLimits.none()).directories()).isEmpty();
    }

    @Test
    void rootlessOnV2InADelegatedCgroupUsesIt() throws IOException {
        Path mountPoint = tmp.resolve("cgroup");
        Path scope = Files.createDirectories(mountPoint.resolve("user.slice/user-1000.slice/user@1000.service/app.slice/run-r1.scope"));
        Files.writeString(scope.resolve("cgroup.procs"), "");
        String mountinfo = "28 21 0:25 / " + mountPoint + " rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
        CgroupMounts mounts = mounts(mountinfo, Map.of(mountPoint.toString(), "cpu memory pids"));

        CgroupDriver driver = CgroupDrivers.detect(mounts,
                cgroups("0::/user.slice/user-1000.slice/user@1000.service/app.slice/run-r1.scope\n"), null, 77, false);

        assertThat(driver.describe()).isEqualTo("cgroup v2 under " + scope + ", as junit-sandbox-77-ID");
    }

    /** Another JVM of the build moved this one's process into the scope's processes leaf: the scope stays the parent. */
    @Test
    void rootlessOnV2InTheProcessesLeafOfADelegatedCgroupUsesTheCgroupAbove() throws IOException {
        Path mountPoint = tmp.resolve("cgroup");
        Path scope = Files.createDirectories(mountPoint.resolve("user.slice/run-r1.scope"));
        Path leaf = Files.createDirectories(scope.resolve(CgroupV2Driver.PROCESSES_LEAF));
        Files.writeString(leaf.resolve("cgroup.procs"), "");
        String mountinfo = "28 21 0:25 / " + mountPoint + " rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";

        CgroupDriver driver = CgroupDrivers.detect(mounts(mountinfo, Map.of(mountPoint.toString(), "cpu memory pids")),
                cgroups("0::/user.slice/run-r1.scope/junit-sandbox-processes\n"), null, 77, false);

        assertThat(driver.describe()).isEqualTo("cgroup v2 under " + scope + ", as junit-sandbox-77-ID");
    }

    @Test
    void aV1OnlyMachineIsLegacyWithCoMountedCpu() throws IOException {
        CgroupMounts mounts = mounts(LEGACY_MOUNTINFO, Map.of());

        assertThat(mounts.mode()).isEqualTo(CgroupMode.LEGACY);
        assertThat(mounts.v1Hierarchy("cpu")).get().isEqualTo(new CgroupMount(Path.of("/sys/fs/cgroup/cpu,cpuacct"), "/", 1,
                Set.of("cpu", "cpuacct")));
        assertThat(mounts.v1Hierarchy("net_cls")).get().extracting(CgroupMount::mountPoint)
                .isEqualTo(Path.of("/sys/fs/cgroup/net_cls,net_prio"));
        assertThat(CgroupDrivers.detect(mounts, cgroups(LEGACY_CGROUP), null, 77, true).describe())
                .isEqualTo("cgroup v1: memory under /sys/fs/cgroup/memory,"
                        + " pids under /sys/fs/cgroup/pids, cpu under /sys/fs/cgroup/cpu,cpuacct,"
                        + " freezer under /sys/fs/cgroup/freezer, as junit-sandbox-77-ID");
    }

    @Test
    void rootlessOnV1IsUnavailableAndSaysHowRootCanGiveAParent() throws IOException {
        CgroupDriver driver = CgroupDrivers.detect(mounts(LEGACY_MOUNTINFO, Map.of()), cgroups(LEGACY_CGROUP), null, 77, false);

        assertThatThrownBy(() -> driver.create("c1", memoryLimit()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("rootless, and this JVM's cgroups in the cgroup v1 hierarchies of [memory, pids] are not delegated to")
                .hasMessageContaining("chown -R")
                .hasMessageContaining("then set junit.sandbox.cgroupParent=");
    }

    @Test
    void readOnlyHierarchiesInAContainerRefuseLimitsNamingTheFix() throws IOException {
        CgroupMounts mounts = mounts(PODMAN_UNPRIVILEGED_MOUNTINFO, Map.of());
        CgroupDriver driver = CgroupDrivers.detect(mounts, cgroups(PODMAN_CGROUP), null, 77, true);

        assertThat(mounts.v1Hierarchy("pids")).get().extracting(CgroupMount::readOnly).isEqualTo(true);
        assertThat(driver).isInstanceOf(UnavailableCgroupDriver.class);
        assertThatThrownBy(() -> driver.create("c1", memoryLimit()))
                .isInstanceOf(SandboxException.class)
                .hasMessage("cannot enforce memory 67108864 bytes for container c1: the cgroup file system is mounted read-only here"
                        + " (/sys/fs/cgroup/memory, /sys/fs/cgroup/pids): this JVM runs inside a container that was not given its"
                        + " cgroups (Docker and podman mount them read-only unless --privileged); run that container with"
                        + " --privileged, or bind the host's cgroup file system writable into it (-v /sys/fs/cgroup:/sys/fs/cgroup:rw)"
                        + " and give it a parent cgroup of its own (junit.sandbox.cgroupParent=NAME, created beforehand in each"
                        + " hierarchy), so that JVMs in other PID namespaces do not take its cgroups for leftovers");
    }

    @Test
    void aReadOnlyCgroup2MountRefusesLimits() throws IOException {
        String mountinfo = UNIFIED_MOUNTINFO.replace("/sys/fs/cgroup rw,nosuid", "/sys/fs/cgroup ro,nosuid");
        CgroupMounts mounts = mounts(mountinfo, Map.of("/sys/fs/cgroup", "cpu memory pids"));
        CgroupDriver driver = CgroupDrivers.detect(mounts, cgroups("0::/\n"), null, 77, true);

        assertThatThrownBy(() -> driver.create("c1", memoryLimit()))
                .hasMessageStartingWith("cannot enforce memory 67108864 bytes for container c1: the cgroup file system is mounted"
                        + " read-only here (/sys/fs/cgroup): ");
    }

    @Test
    void aContainerWithoutCgroupFilesystemsHasNone() throws IOException {
        CgroupMounts mounts = mounts(NONE_MOUNTINFO, Map.of());
        CgroupDriver driver = CgroupDrivers.detect(mounts, cgroups("0::/\n"), null, 77, true);

        assertThat(mounts.mode()).isEqualTo(CgroupMode.NONE);
        assertThat(mounts.all()).isEmpty();
        assertThatThrownBy(() -> driver.create("c1", memoryLimit()))
                .isInstanceOf(SandboxException.class)
                .hasMessage("cannot enforce memory 67108864 bytes for container c1: no cgroup hierarchy offers memory or pids here"
                        + " (no cgroup or cgroup2 filesystem is mounted): mount cgroup2 with them (mount -t cgroup2 none /sys/fs/cgroup)"
                        + " or v1 hierarchies (mount -t cgroup -o memory cgroup /sys/fs/cgroup/memory, likewise pids)");
        assertThat(driver.create("c1", CgroupLimits.none()).cleanupPaths()).isEmpty();
    }

    @Test
    void aCgroup2MountWithoutControllersAloneIsNone() throws IOException {
        CgroupMounts mounts = mounts(NONE_MOUNTINFO + "605 604 0:59 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n", Map.of());

        assertThat(mounts.mode()).isEqualTo(CgroupMode.NONE);
        assertThat(mounts.describe()).isEqualTo("cgroup2 /sys/fs/cgroup controllers (none)");
    }

    @Test
    void aMountInsideACgroupNamespaceMapsTheJvmsCgroupBelowItsRoot() throws IOException {
        CgroupMounts mounts = mounts("700 604 0:32 /docker/4f1c /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n", Map.of());
        CgroupMount memory = mounts.v1Hierarchy("memory").orElseThrow();

        assertThat(memory.directoryOf("/docker/4f1c/job")).isEqualTo(Path.of("/sys/fs/cgroup/memory/job"));
        assertThat(memory.directoryOf("/docker/4f1c")).isEqualTo(Path.of("/sys/fs/cgroup/memory"));
        assertThat(memory.directoryOf("/docker/other")).isNull();
    }

    @Test
    void mountPointsWithEscapedSpacesAreDecoded() throws IOException {
        CgroupMounts mounts = mounts("41 31 0:38 / /mnt/cgroup\\040two rw,relatime - cgroup2 cgroup2 rw\n", Map.of("/mnt/cgroup two", "pids"));

        assertThat(mounts.unified()).get().extracting(CgroupMount::mountPoint).isEqualTo(Path.of("/mnt/cgroup two"));
    }

    @Test
    void aConfiguredParentThatDoesNotExistIsAnError() throws IOException {
        Path mountPoint = Files.createDirectories(tmp.resolve("cgroup"));
        CgroupMounts mounts = mounts("28 21 0:25 / " + mountPoint + " rw - cgroup2 cgroup2 rw\n", Map.of(mountPoint.toString(), "memory pids"));

        assertThatThrownBy(() -> CgroupDrivers.detect(mounts, cgroups("0::/\n"), "ci/jobs", 77, true))
                .isInstanceOf(SandboxException.class)
                .hasMessage("junit.sandbox.cgroupParent=ci/jobs: " + mountPoint.resolve("ci/jobs") + " does not exist (the parent"
                        + " cgroup is relative to the mount point of each hierarchy used; create it, e.g. mkdir "
                        + mountPoint.resolve("ci/jobs") + ")");
    }

    @Test
    void aMalformedMountinfoLineIsReportedWithTheExpectedFormat() throws IOException {
        assertThatThrownBy(() -> mounts("41 31 0:38 / /sys/fs/cgroup/unified rw cgroup2\n", Map.of()))
                .isInstanceOf(SandboxException.class)
                .hasMessageEndingWith(": \"41 31 0:38 / /sys/fs/cgroup/unified rw cgroup2\" (expected: ID PARENT MAJ:MIN ROOT MOUNTPOINT"
                        + " OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS)");
    }

    @Test
    void thisMachineIsDetectedFromItsOwnProcFiles() {
        CgroupMounts mounts = CgroupMounts.ofThisProcess();
        CgroupDriver driver = CgroupDrivers.detect(null, ProcessHandle.current().pid(), true);

        switch (mounts.mode()) {
            case UNIFIED -> assertThat(driver).isInstanceOf(CgroupV2Driver.class);
            case LEGACY -> assertThat(driver).isInstanceOf(CgroupV1Driver.class);
            case NONE -> assertThat(driver).isInstanceOf(UnavailableCgroupDriver.class);
        }
    }
}
