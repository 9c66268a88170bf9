package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.launcher.LaunchedContainer;
import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers on the real kernel, observed from inside (exec, probes) and from outside (/proc, the host's files). */
class LaunchedContainerTest {

    /** ALL is every capability the host allows: as root without a user namespace, the JVM's bounding set (CapBnd). */
    @Test
    void allCapabilitiesAreWhatTheHostAllowsAndTheContainerHoldsExactlyThose() {
        try (Container c = Sandboxes.launch(ContainerSpec.builder().capabilities("+ALL").command("/bin/sleep", "60").build())) {
            long expected = c.spec().capabilitiesFor(ContainerUser.ROOT).stream().mapToLong(name -> 1L << Capabilities.kernelNames().indexOf(name))
                    .reduce(0, (a, b) -> a | b);
            String capEff = c.exec("sh", "-c", "grep ^CapEff: /proc/self/status").stdout().replaceAll("\\s+", " ").strip();
            assertThat(capEff).isEqualTo(String.format("CapEff: %016x", expected));
            if (!c.spec().namespaces().contains(Namespace.USER)) {
                assertThat(c.spec().capabilitiesFor(ContainerUser.ROOT)).containsExactlyElementsOf(
                        Capabilities.kernelNames().stream().filter(Capabilities.boundingSetOfThisJvm()::contains).toList());
            }
        }
    }

    /** A capability named that the host withholds (this machine's root lacks CAP_SYS_RESOURCE) is refused, never dropped. */
    @Test
    void aNamedCapabilityTheHostWithholdsIsRefusedSayingSo() {
        assumeTrue(ThisProcess.isRoot(), "without a user namespace only: a plain user's container may hold every capability in its own");
        String withheld = Capabilities.kernelNames().stream().filter(name -> !Capabilities.boundingSetOfThisJvm().contains(name)).findFirst()
                .orElse(null);
        assumeTrue(withheld != null, "this JVM's bounding set holds every capability: nothing to withhold");
        try (Container withWhatTheHostAllows = Sandboxes.launch(ContainerSpec.builder().capabilities("+ALL").command("/bin/true").build())) {
            assertThat(withWhatTheHostAllows.awaitExit(Duration.ofSeconds(10))).as("a container with ALL, which this host can give").isZero();
        }
        ContainerSpec spec = ContainerSpec.builder().capabilities("+" + withheld).command("/bin/true").build();

        assertThatThrownBy(() -> Sandboxes.launch(spec)).isInstanceOf(UnsupportedHostException.class)
                .hasMessageStartingWith("capabilities = \"+" + withheld + "\" cannot be granted here: this JVM's bounding set")
                .hasMessageContaining("use ALL, which means every capability this host allows");
        assertThat(ContainerSpec.builder().capabilities("+ALL").build().describe())
                .contains("capabilities: +all (ALL without " + withheld);
    }

    private static final Duration EXIT_BOUND = Duration.ofSeconds(20);

    @BeforeAll
    static void needsRoot() {
        assumeTrue(ThisProcess.isRoot(), "these tests create cgroups under the hierarchy's root: run them as root (CI does)");
    }

    private static ContainerSpec.Builder sleeping() {
        return ContainerSpec.builder().command("/bin/sleep", "300");
    }

    @Test
    void aPidNamespaceHidesTheHostsProcesses() throws IOException {
        try (Container box = Sandboxes.launch(sleeping().build())) {
            assertThat(box.visiblePids()).containsExactly(1L, 2L);
            assertThat(box.processes()).extracting(ProcessEntry::command).last().isEqualTo("/bin/sleep 300");
            assertThat(box.tryKill(ProcessHandle.current().pid(), 0)).isEqualTo(KillPermission.NOT_VISIBLE);
            assertThat(box.tryKill(2, 0)).isEqualTo(KillPermission.ALLOWED);
            assertThat(box.exec("ps", "-e", "-o", "pid=").stdout().lines().map(String::strip).toList())
                    .as("ps inside sees the init, the subject, and itself only").hasSize(3).contains("1", "2");
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + box.hostPid() + "/ns/pid")))
                    .as("outside: the container's PID 1 is in another PID namespace than this JVM")
                    .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")));
        }
    }

    @Test
    void aProcessWithTabsAndNewlinesInItsArgumentsIsOneEntryOfTheTable() {
        try (Container box = Sandboxes.launch(ContainerSpec.builder()
                .command("/bin/sh", "-c", "sleep 300; : 'first line\nsecond\tfield'").build())) {
            // ready means the shell exec'd; its sleep comes a moment later
            List<ProcessEntry> table = box.processes();
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    table.stream().noneMatch(p -> p.command().equals("sleep 300")) && System.nanoTime() < deadline; table = box.processes()) {
                Thread.onSpinWait();
            }
            assertThat(table).extracting(ProcessEntry::command)
                    .contains("/bin/sh -c sleep 300; : 'first line second field'", "sleep 300");
        }
    }

    @Test
    void withOnlyAMountNamespaceTheHostsProcessesCanBeSeenAndKilled() throws Exception {
        Process hostSleep = new ProcessBuilder("sleep", "300").start();
        try (Container chrootLike = Sandboxes.launch(ContainerSpec.builder().namespaces(Namespace.MOUNT).build())) {
            assertThat(chrootLike.tryKill(hostSleep.pid(), 0)).isEqualTo(KillPermission.ALLOWED);
            assertThat(chrootLike.visiblePids()).contains(hostSleep.pid(), ProcessHandle.current().pid());

            ExecResult kill = chrootLike.exec("kill", "-KILL", Long.toString(hostSleep.pid()));

            assertThat(kill.exitCode()).as("kill from inside: %s", kill).isZero();
            assertThat(hostSleep.waitFor(10, TimeUnit.SECONDS)).as("the host's sleep is gone, seen from outside").isTrue();
            assertThat(hostSleep.exitValue()).isEqualTo(137);
        } finally {
            hostSleep.destroyForcibly();
        }
    }

    @Test
    void theHostnameChangesInsideOnly() throws IOException {
        String hostsName = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        try (Container box = Sandboxes.launch(sleeping().hostname("box-7").build())) {
            assertThat(box.hostname()).isEqualTo("box-7");
            assertThat(box.exec("hostname").stdout()).isEqualTo("box-7\n");
            assertThat(box.exec("sh", "-c", "echo $HOSTNAME").stdout()).isEqualTo("box-7\n");
            assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip()).as("outside").isEqualTo(hostsName);
        }
    }

    @Test
    void aNewNetworkNamespaceHasOnlyLoopbackUp() throws IOException {
        List<String> hostInterfaces = Arrays.asList(Path.of("/sys/class/net").toFile().list());
        // Where the host has nothing but lo (a VM without a network card), "only lo inside" could not tell a new
        // network namespace from the host's.
        assumeTrue(hostInterfaces.size() > 1, () -> "needs a host with an interface besides lo; it has " + hostInterfaces);
        try (Container box = Sandboxes.launch(sleeping().build())) {
            assertThat(box.exec("ls", "/sys/class/net").stdout().lines().toList()).containsExactly("lo");
            assertThat(box.exec("cat", "/sys/class/net/lo/operstate").stdout()).isIn("unknown\n", "up\n");
            assertThat(box.exec("sh", "-c", "tail -n +3 /proc/net/dev | cut -d: -f1").stdout().strip()).isEqualTo("lo");
        }
    }

    @Test
    void theSubjectPidOneAndAnExecShareOneNewNetworkNamespace() throws IOException {
        // The subject makes the network namespace while PID 1 builds the root, and PID 1 joins it: exec and probes enter
        // PID 1's, so a namespace of PID 1's own would be a different network than the subject's.
        try (Container box = Sandboxes.launch(sleeping().build())) {
            Path subjectNet = Files.readSymbolicLink(Path.of("/proc/" + ((LaunchedContainer) box).subjectHostPid() + "/ns/net"));
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + box.hostPid() + "/ns/net"))).as("PID 1's").isEqualTo(subjectNet);
            assertThat(box.exec("readlink", "/proc/self/ns/net").stdout().strip()).as("an exec'd process's").isEqualTo(subjectNet.toString());
            assertThat(subjectNet).as("not this JVM's").isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
        }
    }

    @Test
    void theSubjectRunsOnTheCpusItInheritedThoughPidOneKeptItOffItsOwnWhileSettingUp() throws IOException {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "with one CPU there is no other CPU to keep the subject on");
        try (Container box = Sandboxes.launch(sleeping().build())) {
            long subject = ((LaunchedContainer) box).subjectHostPid();
            assertThat(cpusAllowed("/proc/" + subject + "/status")).as("the subject's, after its exec")
                    .isEqualTo(cpusAllowed("/proc/self/status"));
        }
    }

    private static String cpusAllowed(String status) throws IOException {
        return Files.readAllLines(Path.of(status)).stream().filter(line -> line.startsWith("Cpus_allowed_list:")).findFirst()
                .orElseThrow();
    }

    @Test
    void theMemoryLimitOomKillsAndTheCgroupSaysSo() {
        try (Container box = Sandboxes.launch(ContainerSpec.builder().memoryLimit("32m")
                .command("dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1").build())) {
            assertThat(box.awaitExit(EXIT_BOUND)).isEqualTo(137);
            assertThat(box.oomKilled()).isTrue();
        }
        try (Container roomy = Sandboxes.launch(ContainerSpec.builder().memoryLimit("256m")
                .command("dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1").build())) {
            assertThat(roomy.awaitExit(EXIT_BOUND)).isZero();
            assertThat(roomy.oomKilled()).isFalse();
        }
    }

    @Test
    void thePidsLimitStopsAForkLoop() {
        try (Container box = Sandboxes.launch(ContainerSpec.builder().pidsLimit(16)
                .command("sh", "-c", "i=0; while [ $i -lt 100 ]; do sleep 300 & i=$((i+1)); done; wait").build())) {
            assertThat(box.awaitExit(EXIT_BOUND)).isNotZero();
            assertThat(box.subjectStderr()).contains("fork");
        }
    }

    @Test
    void awaitExitReportsTheSubjectsStatusAsAShellDoes() {
        assertThat(exitStatusOf("/bin/true")).isZero();
        assertThat(exitStatusOf("/bin/false")).isEqualTo(1);
        assertThat(exitStatusOf("sh", "-c", "kill -KILL $$")).isEqualTo(137);
        assertThat(exitStatusOf("sh", "-c", "exit 42")).isEqualTo(42);
    }

    private static int exitStatusOf(String... command) {
        try (Container box = Sandboxes.launch(ContainerSpec.builder().command(command).build())) {
            return box.awaitExit(EXIT_BOUND);
        }
    }

    @Test
    void awaitExitIsBounded() {
        try (Container box = Sandboxes.launch(sleeping().build())) {
            assertThatThrownBy(() -> box.awaitExit(Duration.ofMillis(50))).isInstanceOf(SandboxException.class)
                    .hasMessage("container " + box.id() + ": the subject is still running after PT0.05S");
        }
    }

    @Test
    void aMissingProgramIsNamedAndTheFailedLaunchLeavesNothing() throws IOException {
        try (Container box = Sandboxes.launch(sleeping().build())) {
            assertThatThrownBy(() -> box.exec("/bin/nope", "x")).isInstanceOf(SandboxException.class)
                    .hasMessage("exec [/bin/nope, x] in container " + box.id() + ": execve(/bin/nope): ENOENT (No such file or directory)");
        }
        List<String> pipesBefore = openFiles("pipe:");
        assertThatThrownBy(() -> Sandboxes.launch(ContainerSpec.builder().command("/usr/bin/absent-program").build()))
                .isInstanceOf(SandboxException.class).hasMessage("execve(/usr/bin/absent-program): ENOENT (No such file or directory)");
        assertThat(openFiles("pipe:")).as("pipes this JVM holds after the failed launch (the launcher's are closed)")
                .containsExactlyInAnyOrderElementsOf(pipesBefore);
        assertThat(Path.of(Sandboxes.defaultRuntime().stateDir().toString(), "junit-sandbox-" + ProcessHandle.current().pid()))
                .as("a failed launch leaves no directory (this class closes every container it opens)").doesNotExist();
        assertThat(JvmDeathTest.cgroupsOf(ProcessHandle.current().pid())).as("a failed launch leaves no cgroup").isEmpty();
    }

    @Test
    void filesTheJvmHasOpenReachNeitherTheContainerNorItsLauncher(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("open-in-the-jvm"), "held open by the JVM, without close-on-exec");
        try (FileInputStream held = new FileInputStream(secret.toFile()); Container box = Sandboxes.launch(sleeping().build())) {
            assertThat(held.available()).as("the file is open in the JVM meanwhile").isPositive();

            assertThat(box.exec("ls", "/proc/self/fd").stdout().lines().toList()).as("descriptors of a process exec'd inside")
                    .containsExactly("0", "1", "2", "3");
            assertThat(openFilesOf(box.hostPid())).as("PID 1's open files, seen from outside").doesNotContain(secret.toString());
        }
    }

    /** What this JVM's descriptors lead to, of those starting with {@code prefix}. */
    private static List<String> openFiles(String prefix) throws IOException {
        return openFilesOf(ProcessHandle.current().pid()).stream().filter(file -> file.startsWith(prefix)).toList();
    }

    private static List<String> openFilesOf(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.flatMap(fd -> {
                try {
                    return Stream.of(Files.readSymbolicLink(fd).toString());
                } catch (NoSuchFileException e) {
                    return Stream.empty(); // closed while listed
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void execCapturesBothStreamsWithoutDeadlock() {
        try (Container box = Sandboxes.launch(sleeping().build())) {
            ExecResult r = box.exec("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' e >&2; head -c 1000000 /dev/zero | tr '\\0' o; exit 3");
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stdout()).hasSize(1_000_000).matches("o+");
            assertThat(r.stderr()).hasSize(1_000_000).matches("e+");
        }
    }

    @Test
    void theSubjectsOutputIsKeptAfterClose() {
        Container box = Sandboxes.launch(ContainerSpec.builder().command("sh", "-c", "echo out; echo err >&2").build());
        assertThat(box.awaitExit(EXIT_BOUND)).isZero();
        box.close();
        assertThat(box.subjectStdout()).isEqualTo("out\n");
        assertThat(box.subjectStderr()).isEqualTo("err\n");
        assertThatThrownBy(() -> box.exec("true")).hasMessage("container " + box.id() + " is closed");
    }

    @Test
    void theUserRunsWithoutCapabilities() {
        try (Container box = Sandboxes.launch(sleeping().user("1000:1000").build())) {
            assertThat(box.exec("id", "-u").stdout()).isEqualTo("1000\n");
            assertThat(box.exec("grep", "CapEff", "/proc/self/status").stdout()).isEqualTo("CapEff:\t0000000000000000\n");
            assertThat(box.tryKill(1, 0)).as("uid 1000 may not signal root's PID 1").isEqualTo(KillPermission.DENIED);
        }
    }

    @Test
    void aUserNamespaceAsRootMapsOtherUsersToo() throws IOException {
        try (Container box = Sandboxes.launch(sleeping().namespaces(Namespace.USER, Namespace.PID, Namespace.MOUNT).user("1000:1000").build())) {
            assertThat(box.exec("id", "-u").stdout()).isEqualTo("1000\n");
            long subject = ((LaunchedContainer) box).subjectHostPid();
            assertThat(Files.readAllLines(Path.of("/proc/" + subject + "/status"))).as("outside, the identity map")
                    .contains("Uid:\t1000\t1000\t1000\t1000");
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + box.hostPid() + "/ns/user")))
                    .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/user")));
        }
    }

    @Test
    void aDirectoryRootfsGetsAThrowawayLayer(@TempDir Path rootfs) throws IOException {
        MinimalRootfs.create(rootfs);
        Files.writeString(rootfs.resolve("data"), "original\n");
        ContainerSpec spec = ContainerSpec.builder().rootfs("dir:" + rootfs).bind("/usr", "/usr", true).command("/bin/sleep", "300").build();

        try (Container first = Sandboxes.launch(spec)) {
            ExecResult write = first.exec("sh", "-c", "echo changed > /data; echo new > /marker; cat /data /marker");
            assertThat(write.stdout()).isEqualTo("changed\nnew\n");
            assertThat(rootfs.resolve("data")).as("on the host").hasContent("original");
            assertThat(rootfs.resolve("marker")).as("on the host").doesNotExist();
        }
        try (Container next = Sandboxes.launch(spec)) {
            assertThat(next.exec("cat", "/data").stdout()).isEqualTo("original\n");
            assertThat(next.exec("test", "-e", "/marker").exitCode()).isEqualTo(1);
        }
    }

    @Test
    void aReadOnlyRootLeavesTmpWritable() {
        try (Container box = Sandboxes.launch(sleeping().readOnlyRoot(true).build())) {
            ExecResult write = box.exec("touch", "/new-file");
            assertThat(write.exitCode()).isNotZero();
            assertThat(write.stderr()).contains("Read-only file system");
            assertThat(box.exec("touch", "/tmp/new-file").exitCode()).isZero();
        }
    }

    @Test
    void bindsAreReadOnlyOrReadWriteAsAsked(@TempDir Path shared, @TempDir Path readOnly) throws IOException {
        Files.writeString(readOnly.resolve("config"), "setting\n");
        try (Container box = Sandboxes.launch(sleeping().bind(shared.toString(), "/out", false).bind(readOnly.toString(), "/in", true).build())) {
            assertThat(box.exec("sh", "-c", "echo result > /out/file").exitCode()).isZero();
            assertThat(shared.resolve("file")).as("written inside, read on the host").hasContent("result");
            assertThat(box.exec("cat", "/in/config").stdout()).isEqualTo("setting\n");
            ExecResult write = box.exec("sh", "-c", "echo x > /in/config");
            assertThat(write.exitCode()).isNotZero();
            assertThat(write.stderr()).contains("Read-only file system");
            assertThat(readOnly.resolve("config")).hasContent("setting");
        }
    }

    @Test
    void closeIsIdempotentAndLeavesNoProcess() {
        Container box = Sandboxes.launch(sleeping().build());
        long init = box.hostPid();
        Process started = box.start("sleep", "300");
        box.close();
        box.close();
        assertThat(Path.of("/proc/" + init)).doesNotExist();
        assertThat(started.isAlive()).isFalse();
    }
}
