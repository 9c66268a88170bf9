package io.github.junitsandbox.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.InvalidSpecException;
import io.github.junitsandbox.runtime.Namespace;
import io.github.junitsandbox.runtime.PidLimitMechanism;
import io.github.junitsandbox.runtime.RootLayer;
import io.github.junitsandbox.runtime.cgroup.ContainerCgroup;
import io.github.junitsandbox.runtime.rootfs.ImageDefaults;
import io.github.junitsandbox.runtime.rootfs.Rootfs;
import io.github.junitsandbox.runtime.seccomp.SeccompCompiler;
import io.github.junitsandbox.runtime.seccomp.SeccompProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchPlanTest {

    private static final Path LAUNCHER = Path.of("/cache/sandbox-init-abc");
    private static final String DOCKER_CAPS = "chown,dac_override,fowner,fsetid,kill,setgid,setuid,setpcap,net_bind_service,net_raw,"
            + "sys_chroot,mknod,audit_write,setfcap";

    private static final ContainerCgroup NO_CGROUP = new FixedCgroup(List.of());

    @TempDir
    Path host;

    private HostView hostView;
    private final ContainerStateDir state = ContainerStateDir.of(Path.of("/tmp/junit-sandbox-42"), "c1");

    /** A merged-/usr Debian layout, with a secret that must never be bound. */
    @BeforeEach
    void buildHostTree() throws IOException {
        Files.createDirectories(host.resolve("usr/bin"));
        Files.createFile(host.resolve("usr/bin/true"));
        Files.createSymbolicLink(host.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(host.resolve("lib64"), Path.of("usr/lib64"));
        Files.createDirectories(host.resolve("etc/java-17-openjdk"));
        Files.createDirectories(host.resolve("etc/ssl"));
        for (String file : List.of("passwd", "group", "shadow", "gshadow", "hosts", "ld.so.cache", "machine-id")) {
            Files.createFile(host.resolve("etc").resolve(file));
        }
        Files.createSymbolicLink(host.resolve("etc/localtime"), Path.of("/usr/share/zoneinfo/Etc/UTC"));
        hostView = HostView.of(host);
    }

    private Path seccompDir() {
        return host.resolve("seccomp");
    }

    /** The file the plan must name: the default profile compiled for these capabilities, in {@link #seccompDir()}. */
    private Path defaultSeccompFile(String caps) {
        Set<String> set = caps.equals("none") ? Set.of() : Set.of(caps.split(","));
        return seccompDir().resolve("seccomp-" + SeccompCompiler.system().compile(SeccompProfile.defaultProfile(), set).sha256() + ".bpf");
    }

    /**
     * The system mounts and Docker's read-only and masked paths, in the plan's order: sysfs waits for the network
     * namespace, so it comes after everything that lies in /proc, and the masks in /sys after it.
     */
    private static List<String> systemMountArguments() {
        return argv("--proc", "/proc", "--dev", "/dev", "--shm-size", "67108864", "--tmpfs", "/tmp",
                "--remount-ro", "/proc/bus", "--remount-ro", "/proc/fs", "--remount-ro", "/proc/irq", "--remount-ro", "/proc/sys",
                "--remount-ro", "/proc/sysrq-trigger",
                "--mask", "/proc/acpi", "--mask", "/proc/kcore", "--mask", "/proc/keys", "--mask", "/proc/latency_stats",
                "--mask", "/proc/timer_list", "--mask", "/proc/timer_stats", "--mask", "/proc/sched_debug", "--mask", "/proc/scsi",
                "--sysfs", "/sys", "--mask", "/sys/firmware", "--mask", "/sys/devices/virtual/powercap");
    }

    private static List<String> argv(String... args) {
        return new ArrayList<>(Arrays.asList(args));
    }

    @Test
    void hostViewBindsSystemDirectoriesAndAnEtcAllowlistOnly() {
        assertThat(hostView.mountArguments()).containsExactly(
                "--root-tmpfs",
                "--ro-bind", host.resolve("usr").toString(), "/usr",
                "--symlink", "usr/bin", "/bin",
                "--symlink", "usr/lib64", "/lib64",
                "--dir", "/etc",
                "--ro-bind", host.resolve("etc/group").toString(), "/etc/group",
                "--ro-bind", host.resolve("etc/hosts").toString(), "/etc/hosts",
                "--ro-bind", host.resolve("etc/java-17-openjdk").toString(), "/etc/java-17-openjdk",
                "--ro-bind", host.resolve("etc/ld.so.cache").toString(), "/etc/ld.so.cache",
                "--symlink", "/usr/share/zoneinfo/Etc/UTC", "/etc/localtime",
                "--ro-bind", host.resolve("etc/passwd").toString(), "/etc/passwd",
                "--ro-bind", host.resolve("etc/ssl").toString(), "/etc/ssl");
    }

    @Test
    void theDefaultSpecOnTheHostView() {
        ContainerSpec spec = ContainerSpec.builder().command("/bin/sleep", "60").build();
        LaunchPlan plan = LaunchPlan.of(LAUNCHER, spec, new Rootfs.HostView(), hostView, NO_CGROUP, state, seccompDir(), RootLayer.OVERLAY, PidLimitMechanism.CGROUP);

        List<String> expected = argv(LAUNCHER.toString(), "run", "--unshare", "pid,uts,ipc,mnt,net,cgroup",
                "--state", "/tmp/junit-sandbox-42/root");
        expected.addAll(hostView.mountArguments());
        expected.addAll(systemMountArguments());
        expected.addAll(List.of("--hostname", "sandbox",
                "--stdout", "/tmp/junit-sandbox-42/c1/stdout", "--stderr", "/tmp/junit-sandbox-42/c1/stderr",
                "--cleanup", "/tmp/junit-sandbox-42/c1/stdout", "--cleanup", "/tmp/junit-sandbox-42/c1/stderr",
                "--cleanup", "/tmp/junit-sandbox-42/c1/launcher.stderr", "--cleanup", "/tmp/junit-sandbox-42/c1",
                "--cleanup", "/tmp/junit-sandbox-42/root", "--cleanup", "/tmp/junit-sandbox-42",
                "--uid", "0", "--gid", "0", "--caps", DOCKER_CAPS, "--no-new-privs", "--seccomp", defaultSeccompFile(DOCKER_CAPS).toString(),
                "--rlimit", "nofile=1024:1024",
                "--env", "PATH=" + ContainerSpec.DEFAULT_PATH, "--env", "HOME=/root", "--env", "HOSTNAME=sandbox",
                "--chdir", "/", "--", "/bin/sleep", "60"));
        assertThat(plan.runCommand()).containsExactlyElementsOf(expected);
        assertThat(defaultSeccompFile(DOCKER_CAPS)).isRegularFile();
    }

    @Test
    void looseningIsWhatTheSpecSays() {
        ContainerSpec spec = ContainerSpec.builder().seccomp("unconfined").unmaskedPaths("/proc/kcore", "/proc/sys")
                .capabilities("-ALL", "+SYS_ADMIN").build();
        String argv = String.join(" ", LaunchPlan.of(LAUNCHER, spec, new Rootfs.HostView(), hostView, NO_CGROUP, state, seccompDir(), RootLayer.OVERLAY, PidLimitMechanism.CGROUP).runCommand());

        assertThat(argv).contains("--caps sys_admin --no-new-privs --rlimit", "--mask /proc/keys", "--remount-ro /proc/irq")
                .doesNotContain("--seccomp", "/proc/kcore", "/proc/sys ");
    }

    @Test
    void aDirectoryRootfsWithBindsLimitsAndAnUnprivilegedUser(@TempDir Path rootfs) throws IOException {
        ContainerSpec spec = ContainerSpec.builder().rootfs("dir:" + rootfs).namespaces(Namespace.PID, Namespace.MOUNT, Namespace.USER)
                .bind(host.resolve("etc").toString(), "/data", true).bind(host.toString(), "/out", false).readOnlyRoot(true)
                .user("1000").env("MODE=test").workdir("/work").rlimit("nproc", 50, 50).command("subject", "--flag").build();
        ContainerCgroup cgroup = new FixedCgroup(List.of(Path.of("/sys/fs/cgroup/memory/junit-sandbox-42/c1"),
                Path.of("/sys/fs/cgroup/pids/junit-sandbox-42/c1")));

        LaunchPlan plan = LaunchPlan.of(LAUNCHER, spec, new Rootfs.Directory(rootfs, ImageDefaults.none()), hostView, cgroup, state, seccompDir(), RootLayer.OVERLAY, PidLimitMechanism.CGROUP);

        assertThat(String.join(" ", plan.runCommand())).isEqualTo(String.join(" ", LAUNCHER.toString(), "run",
                "--unshare pid,mnt,user",
                "--uid-map", "0 0 65536", "--gid-map", "0 0 65536",
                "--state /tmp/junit-sandbox-42/root",
                "--root-overlay " + rootfs,
                String.join(" ", systemMountArguments()),
                "--ro-bind " + host.resolve("etc") + " /data",
                "--bind " + host + " /out",
                "--read-only-root",
                "--cgroup /sys/fs/cgroup/memory/junit-sandbox-42/c1 --cgroup /sys/fs/cgroup/pids/junit-sandbox-42/c1",
                "--stdout /tmp/junit-sandbox-42/c1/stdout --stderr /tmp/junit-sandbox-42/c1/stderr",
                "--cleanup /tmp/junit-sandbox-42/c1/stdout --cleanup /tmp/junit-sandbox-42/c1/stderr",
                "--cleanup /tmp/junit-sandbox-42/c1/launcher.stderr",
                "--cleanup /tmp/junit-sandbox-42/c1 --cleanup /tmp/junit-sandbox-42/root --cleanup /tmp/junit-sandbox-42",
                "--cleanup /sys/fs/cgroup/memory/junit-sandbox-42/c1 --cleanup /sys/fs/cgroup/pids/junit-sandbox-42/c1",
                "--uid 1000 --gid 1000 --caps none --no-new-privs --seccomp " + defaultSeccompFile("none") + " --rlimit nofile=1024:1024 --rlimit nproc=50:50",
                "--env PATH=" + ContainerSpec.DEFAULT_PATH + " --env HOME=/ --env MODE=test",
                "--chdir /work -- subject --flag"));
    }

    @Test
    void theImageSaysHowToRunUnlessTheSpecDoes(@TempDir Path rootfs) {
        ImageDefaults image = new ImageDefaults(List.of("PATH=/opt/bin", "LANG=C.UTF-8"), "/app", "7:8", List.of(), List.of());
        Rootfs directory = new Rootfs.Directory(rootfs, image);

        List<String> fromImage = LaunchPlan.of(LAUNCHER, ContainerSpec.builder().rootfs("dir:" + rootfs).build(), directory, hostView, NO_CGROUP, state, seccompDir(), RootLayer.OVERLAY, PidLimitMechanism.CGROUP)
                .runCommand();
        List<String> fromSpec = LaunchPlan.of(LAUNCHER, ContainerSpec.builder().rootfs("dir:" + rootfs).user("0").workdir("/").env("LANG=C")
                .build(), directory, hostView, NO_CGROUP, state, seccompDir(), RootLayer.OVERLAY, PidLimitMechanism.CGROUP).runCommand();

        assertThat(String.join(" ", fromImage)).contains("--uid 7 --gid 8 --caps none", "--env PATH=/opt/bin", "--env LANG=C.UTF-8", "--chdir /app");
        assertThat(String.join(" ", fromSpec)).contains("--uid 0 --gid 0 --caps " + DOCKER_CAPS, "--env LANG=C", "--chdir /");
    }

    @Test
    void capabilitiesAddedForAnImagesUserThatIsNotRootAreRefused(@TempDir Path rootfs) {
        Rootfs directory = new Rootfs.Directory(rootfs, new ImageDefaults(List.of(), null, "7:8", List.of(), List.of()));
        ContainerSpec spec = ContainerSpec.builder().rootfs("dir:" + rootfs).capabilities("+NET_ADMIN").build();

        assertThatThrownBy(() -> LaunchPlan.of(LAUNCHER, spec, directory, hostView, NO_CGROUP, state, seccompDir(), RootLayer.OVERLAY, PidLimitMechanism.CGROUP))
                .isInstanceOf(InvalidSpecException.class).hasMessage("capabilities = \"+net_admin\" is not accepted: additions only "
                        + "for uid 0; the image runs as 7:8, which holds no capabilities: set user = \"0\" or add none");
    }

    @Test
    void aPidLimitByRlimitReachesTheSubjectAndEveryEnteringProcessUnlessTheSpecSetsNproc() {
        ContainerSpec spec = ContainerSpec.builder().namespaces(Namespace.PID).build();
        LaunchPlan plan = LaunchPlan.of(LAUNCHER, spec, new Rootfs.HostView(), hostView, NO_CGROUP, state, seccompDir(), RootLayer.OVERLAY,
                PidLimitMechanism.RLIMIT_NPROC);
        assertThat(plan.runCommand()).containsSequence("--rlimit", "nofile=1024:1024", "--rlimit", "nproc=1024:1024");
        assertThat(plan.execCommand(7, List.of("true"))).containsSequence("--rlimit", "nproc=1024:1024");
        assertThat(plan.probeCommand(7, "pids")).containsSequence("--rlimit", "nproc=1024:1024");
        assertThat(plan.effective().rlimits()).extracting(Object::toString).containsExactly("nofile=1024:1024", "nproc=1024:1024");

        ContainerSpec ownNproc = ContainerSpec.builder().namespaces(Namespace.PID).rlimit("nproc", 50, 60).build();
        assertThat(LaunchPlan.of(LAUNCHER, ownNproc, new Rootfs.HostView(), hostView, NO_CGROUP, state, seccompDir(), RootLayer.OVERLAY,
                PidLimitMechanism.RLIMIT_NPROC).runCommand()).containsSequence("--rlimit", "nproc=50:60").doesNotContain("nproc=1024:1024");
        assertThat(LaunchPlan.of(LAUNCHER, spec, new Rootfs.HostView(), hostView, NO_CGROUP, state, seccompDir(), RootLayer.OVERLAY,
                PidLimitMechanism.CGROUP).runCommand()).noneMatch(arg -> arg.startsWith("nproc="));
    }

    @Test
    void withoutAMountNamespaceNoMountIsAsked() {
        ContainerSpec spec = ContainerSpec.builder().namespaces(Namespace.PID).build();
        List<String> argv = LaunchPlan.of(LAUNCHER, spec, new Rootfs.HostView(), hostView, NO_CGROUP, state, seccompDir(), RootLayer.OVERLAY, PidLimitMechanism.CGROUP).runCommand();
        assertThat(argv).containsSequence("run", "--unshare", "pid", "--stdout")
                .doesNotContain("--state", "--root-tmpfs", "--proc", "--hostname", "--");
    }

    @Test
    void execAndProbeEnterWithTheSubjectsOptions() {
        ContainerSpec spec = ContainerSpec.builder().namespaces(Namespace.PID, Namespace.UTS).user("5:6").build();
        ContainerCgroup cgroup = new FixedCgroup(List.of(Path.of("/cg/c1")));
        LaunchPlan plan = LaunchPlan.of(LAUNCHER, spec, new Rootfs.HostView(), hostView, cgroup, state, seccompDir(), RootLayer.OVERLAY, PidLimitMechanism.CGROUP);
        String options = "--uid 5 --gid 6 --caps none --no-new-privs --seccomp " + defaultSeccompFile("none") + " --rlimit nofile=1024:1024 --env PATH=" + ContainerSpec.DEFAULT_PATH
                + " --env HOME=/ --env HOSTNAME=sandbox --chdir /";

        assertThat(String.join(" ", plan.execCommand(4711, List.of("true", "x"))))
                .isEqualTo(LAUNCHER + " exec --target 4711 --join pid,uts --cgroup /cg/c1 " + options + " -- true x");
        assertThat(String.join(" ", plan.probeCommand(4711, "kill", "1", "0")))
                .isEqualTo(LAUNCHER + " probe --target 4711 --join pid,uts --cgroup /cg/c1 " + options + " kill 1 0");
    }

    /** A cgroup as the drivers hand it over: only its paths matter to the plan. */
    private record FixedCgroup(List<Path> directories) implements ContainerCgroup {
        @Override
        public List<Path> cleanupPaths() {
            return directories;
        }

        @Override
        public boolean oomKilled() {
            return false;
        }

        @Override
        public void killAll() {
        }

        @Override
        public void remove() {
        }
    }
}
