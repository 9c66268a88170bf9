package io.github.junitsandbox.runtime.cgroup;

import static io.github.junitsandbox.runtime.cgroup.RealCgroupV2.keyed;
import static io.github.junitsandbox.runtime.cgroup.RealCgroupV2.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.Capabilities;
import io.github.junitsandbox.runtime.launcher.NativeLauncher;
import io.github.junitsandbox.runtime.launcher.SeccompPrograms;
import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code sandbox-init run --cgroup DIR} places the container's PID 1 in a cgroup2 directory: born there by
 * clone3(CLONE_INTO_CGROUP) where the kernel has it (5.7 and later), or, where clone3 is missing or hidden (a
 * seccomp profile answering ENOSYS, as Docker's and this runtime's do), cloned beside the launcher and moved by
 * itself. The two tell apart through the pids controller: a process born in DIR is charged to DIR alone, so a
 * launcher whose own cgroup is full (pids.max = 1, itself) can still start a container; one that clones beside
 * itself cannot. The birth is tagged {@value RealCgroupV2#TAG} (the VM lane runs it as root and as a delegated user);
 * the fallback runs as root only (hiding clone3 goes through {@code sandbox-init exec}, whose chroot needs
 * CAP_SYS_CHROOT): the lane runs it with the untagged cgroup tests.
 */
class CgroupV2PlacementTest {

    @TempDir
    Path temp;

    private RealCgroupV2 v2;
    private Path testCgroup;
    private Path launcherCgroup;
    private Path containerCgroup;
    private Path launcher;

    @BeforeEach
    void createCgroups() throws IOException {
        v2 = RealCgroupV2.required();
        Path parent = v2.configuredParent();
        if (!read(parent.resolve("cgroup.subtree_control")).contains("pids")) {
            Files.writeString(parent.resolve("cgroup.subtree_control"), "+pids");
        }
        testCgroup = Files.createDirectory(parent.resolve("junit-sandbox-test-" + ProcessHandle.current().pid()));
        Files.writeString(testCgroup.resolve("cgroup.subtree_control"), "+pids");
        launcherCgroup = Files.createDirectory(testCgroup.resolve("launcher"));
        containerCgroup = Files.createDirectory(testCgroup.resolve("container"));
        launcher = NativeLauncher.path(temp.resolve("cache"));
    }

    @AfterEach
    void removeCgroups() throws IOException {
        for (Path dir : new Path[] {containerCgroup, launcherCgroup, testCgroup}) {
            if (dir != null) {
                Files.deleteIfExists(dir);
            }
        }
    }

    @Test
    @Tag(RealCgroupV2.TAG)
    void pid1IsBornInTheContainersCgroupSoALauncherInAFullCgroupStillStartsIt() throws Exception {
        Files.writeString(launcherCgroup.resolve("pids.max"), "1");

        Run run = launch(List.of());

        assertThat(run.controlLines()).as("%s", run).hasSize(2).last().isEqualTo("exit\t0");
        assertThat(run.controlLines().get(0)).startsWith("ready\t");
        assertThat(run.subjectOutput()).as("the subject's /proc/self/cgroup").isEqualTo(expectedSubjectCgroup());
        assertThat(keyed(launcherCgroup.resolve("pids.events"), "max")).as("forks refused in the launcher's cgroup").isZero();
    }

    @Test
    void whereClone3IsHiddenPid1MovesItselfIntoTheContainersCgroup() throws Exception {
        Run run = launch(hidingClone3());

        assertThat(run.controlLines()).as("%s", run).hasSize(2).last().isEqualTo("exit\t0");
        assertThat(run.subjectOutput()).as("the subject's /proc/self/cgroup").isEqualTo(expectedSubjectCgroup());
    }

    @Test
    void whereClone3IsHiddenPid1IsClonedBesideTheLauncherSoAFullLauncherCgroupRefusesIt() throws Exception {
        Files.writeString(launcherCgroup.resolve("pids.max"), "1");

        Run run = launch(hidingClone3());

        assertThat(run.controlLines()).as("%s", run).singleElement().asString().startsWith("error\tclone(").contains("\tEAGAIN\t");
        assertThat(run.exitCode()).isEqualTo(125);
        assertThat(keyed(launcherCgroup.resolve("pids.events"), "max")).as("forks refused in the launcher's cgroup").isPositive();
    }

    private String expectedSubjectCgroup() {
        return "0::/" + v2.mountPoint().relativize(containerCgroup) + "\n";
    }

    /**
     * {@code sandbox-init exec} into this JVM's own namespaces (none joined) under a filter that fails clone3 with
     * ENOSYS, with the credentials and capabilities this JVM has: the launcher then runs as in a container whose
     * seccomp profile hides clone3.
     */
    private List<String> hidingClone3() throws IOException {
        assumeTrue(ThisProcess.isRoot(), "sandbox-init exec chroots into this JVM's root, which needs CAP_SYS_CHROOT: run as root (the VM lane does)");
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the filter names clone3 by its x86_64 number");
        Path filter = Files.write(temp.resolve("hide-clone3.bpf"), SeccompPrograms.failWith(SeccompPrograms.ENOSYS, SeccompPrograms.X86_64_CLONE3));
        return List.of(launcher.toString(), "exec", "--target", Long.toString(ProcessHandle.current().pid()),
                "--uid", Integer.toString(ThisProcess.euid()), "--gid", Integer.toString(ThisProcess.egid()), "--caps", capabilitiesOfThisJvm(),
                "--no-new-privs", "--seccomp", filter.toString(), "--");
    }

    /** The launcher's --caps for the capabilities in effect here (root may lack some, e.g. sys_resource in a container). */
    private static String capabilitiesOfThisJvm() throws IOException {
        long effective = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith("CapEff:"))
                .mapToLong(line -> Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16)).findFirst().orElseThrow();
        List<String> names = Capabilities.kernelNames();
        List<String> held = IntStream.range(0, names.size()).filter(i -> (effective >>> i & 1) != 0).mapToObj(names::get).toList();
        return held.isEmpty() ? "none" : String.join(",", held);
    }

    /** The launcher started from a shell that first moved itself into the launcher's cgroup; the subject prints its cgroup. */
    private Run launch(List<String> prefix) throws IOException, InterruptedException {
        Path subjectOutput = temp.resolve("subject.out");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", launcherCgroup.toString(),
                launcher.toString(), "run", "--unshare", ThisProcess.isRoot() ? "pid" : "user,pid", "--cgroup", containerCgroup.toString(),
                "--stdout", subjectOutput.toString(), "--", "/bin/cat", "/proc/self/cgroup"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream lifeline = process.getOutputStream()) {
            String control = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the launcher exited: %s", command).isTrue();
            String subject = Files.exists(subjectOutput) ? Files.readString(subjectOutput) : "";
            return new Run(control.lines().toList(), process.exitValue(), subject);
        } finally {
            process.destroyForcibly();
        }
    }

    private record Run(List<String> controlLines, int exitCode, String subjectOutput) {}
}
