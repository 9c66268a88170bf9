package io.github.junitsandbox.runtime.seccomp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.github.junitsandbox.runtime.seccomp.SeccompEnforcementTest.DOCKER_DEFAULT_CAPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The compiled default profile handed to the real launcher ({@code sandbox-init run --seccomp FILE}),
 * as the runtime does, and what the subject inside the container meets; each case next to its twin
 * run without {@code --seccomp} (seccomp {@code unconfined}), everything else equal.
 */
class LauncherSeccompTest {
    private static final Path LAUNCHER = Path.of("target/classes/io/github/junitsandbox/runtime/native/linux-x86_64/sandbox-init");
    private static final String DOCKER_CAPS = String.join(",", DOCKER_DEFAULT_CAPS);

    /**
     * Calls that only the filter stops in a container with Docker's capabilities: without it, the
     * kernel answers something else (the capability checks stop others, such as reboot or
     * pivot_root, on their own; those are left out here because the twin could not tell).
     */
    private static final List<String> STOPPED_BY_THE_FILTER_ALONE = List.of("keyctl", "keyctl_i386", "keyctl_x32", "add_key", "request_key", "bpf",
            "perf_event_open", "userfaultfd", "io_uring_setup", "mount", "umount2", "unshare", "clone_newuser", "setns",
            "ptrace", "personality_no_aslr", "name_to_handle_at", "clock_settime", "quotactl", "open_tree");

    @TempDir
    static Path work;
    static Path syscallProbe;
    static Path defaultFilter;
    static List<String> stoppedByTheFilterAlone;

    @BeforeAll
    static void prepare() throws IOException, InterruptedException {
        assumeThat(SeccompCompiler.system().nativeArchitecture()).as("the probes use x86_64 system calls").isEqualTo(Architecture.X86_64);
        assertThat(LAUNCHER).as("the launcher the build makes (mvn compile)").isExecutable();
        syscallProbe = TestPrograms.compile("syscall-probe", work);
        stoppedByTheFilterAlone = TestPrograms.runnableHere(syscallProbe, STOPPED_BY_THE_FILTER_ALONE);
        defaultFilter = SeccompCompiler.system().compile(SeccompProfile.defaultProfile(), DOCKER_DEFAULT_CAPS).writeTo(work);
    }

    @Test
    void insideAContainerTheDangerousCallsFailWithEpermAndWithoutTheFilterReachTheKernel() throws Exception {
        Map<String, String> confined = probe(defaultFilter, stoppedByTheFilterAlone);
        Map<String, String> unconfined = probe(null, stoppedByTheFilterAlone);

        assertThat(confined).as("errno per call under --seccomp (default profile)").hasSize(stoppedByTheFilterAlone.size())
                .allSatisfy((call, errno) -> assertThat(errno).as(call).isEqualTo("EPERM"));
        assertThat(unconfined).as("errno per call without --seccomp").hasSize(stoppedByTheFilterAlone.size())
                .allSatisfy((call, errno) -> assertThat(errno).as(call).isNotEqualTo("EPERM"));
    }

    @Test
    void openByHandleAtIsRefusedEvenWithCapDacReadSearchAndWithoutTheFilterReachesTheKernel() throws Exception {
        // Docker's capabilities lack CAP_DAC_READ_SEARCH, which kernels before 6.9 check first (EPERM without any
        // filter): both sides hold it, so that the twin shows the call getting past the capability check.
        String caps = DOCKER_CAPS + ",dac_read_search";
        assertThat(probe(defaultFilter, caps, List.of("open_by_handle_at"))).containsExactly(entry("open_by_handle_at", "EPERM"));
        assertThat(probe(null, caps, List.of("open_by_handle_at"))).hasEntrySatisfying("open_by_handle_at",
                errno -> assertThat(errno).as("open_by_handle_at without the filter").isNotEqualTo("EPERM"));
    }

    @Test
    void clone3IsMissingAndForkStillWorksInsideAContainer() throws Exception {
        assertThat(probe(defaultFilter, List.of("clone3", "clone_fork", "getpid")))
                .containsExactly(entry("clone3", "ENOSYS"), entry("clone_fork", "OK"), entry("getpid", "OK"));
        assertThat(probe(null, List.of("clone3"))).containsExactly(entry("clone3", "EINVAL"));
    }

    @Test
    void whereCloseRangeIsFilteredTheLauncherStillClosesWhatItInherited() throws Exception {
        // A container engine's profile older than close_range answers EPERM: the launcher then closes fd by fd.
        Path denyCloseRange = SeccompCompiler.system().compile(SeccompProfile.parse(
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"close_range\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
                "close_range denied"), Set.of()).writeTo(work);
        Path installFilter = TestPrograms.compile("install-filter", Files.createTempDirectory(work, "install-filter"));
        Path pid1Fds = Files.createTempFile(work, "pid1-fds", ".txt");
        // bash leaves fd 77 open for the launcher, which runs under the filter; the subject lists its PID 1's descriptors
        Process launcher = new ProcessBuilder(installFilter.toString(), denyCloseRange.toString(), "bash", "-c",
                "exec 77</etc/hostname; exec \"$@\"", "bash", LAUNCHER.toString(), "run", "--stdout", pid1Fds.toString(), "--",
                "/bin/sh", "-c", "ls /proc/$PPID/fd").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> control;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
            control = lines.lines().toList();
        }

        assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).as("launcher ended").isTrue();
        assertThat(control).as("control channel").last().isEqualTo("exit\t0");
        assertThat(Files.readAllLines(pid1Fds)).as("PID 1's descriptors").isNotEmpty().doesNotContain("77");
    }

    @Test
    void ordinaryProgramsWorkUnderTheFilter() throws Exception {
        ContainerRun run = runInContainer(defaultFilter, DOCKER_CAPS,
                "/bin/sh", "-c", "ls / >/dev/null && cat /etc/hostname >/dev/null && grep '^Seccomp:' /proc/self/status"
                        + " && dd if=/dev/zero bs=1k count=64 2>/dev/null | wc -c");

        assertThat(run.exitStatus()).as("%s", run).isZero();
        assertThat(run.stdout()).as("%s", run).isEqualTo("Seccomp:\t2\n65536\n");
    }

    @Test
    void unshareOfAUserNamespaceIsRefusedAndWithoutTheFilterSucceeds() throws Exception {
        ContainerRun confined = runInContainer(defaultFilter, DOCKER_CAPS, "unshare", "-U", "true");
        ContainerRun unconfined = runInContainer(null, DOCKER_CAPS, "unshare", "-U", "true");

        assertThat(confined.exitStatus()).as("%s", confined).isNotZero();
        assertThat(confined.stderr()).as("%s", confined).contains("Operation not permitted");
        assertThat(unconfined.exitStatus()).as("%s", unconfined).isZero();
    }

    @Test
    void mountIsRefusedEvenToAProcessThatHoldsCapSysAdmin() throws Exception {
        // The filter is compiled for Docker's capabilities; the process is given CAP_SYS_ADMIN on top, as if
        // the capability drop had failed: seccomp alone must still stop the mount.
        Path mountPoint = Files.createDirectory(work.resolve("mount-point"));
        String[] mount = {"mount", "-t", "tmpfs", "junit-sandbox-seccomp-test", mountPoint.toString()};

        ContainerRun confined = runInContainer(defaultFilter, DOCKER_CAPS + ",sys_admin", mount);
        ContainerRun unconfined = runInContainer(null, DOCKER_CAPS + ",sys_admin", mount);

        assertThat(confined.exitStatus()).as("%s", confined).isNotZero();
        assertThat(confined.stderr()).as("%s", confined).containsIgnoringCase("permission denied");
        assertThat(unconfined.exitStatus()).as("%s", unconfined).isZero();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
                .as("the container's mount stayed in its mount namespace").doesNotContain("junit-sandbox-seccomp-test");
    }

    /** The outcome of one {@code sandbox-init run}: the exit control line's status and the subject's output. */
    record ContainerRun(List<String> command, List<String> controlLines, int exitStatus, String stdout, String stderr) {
        @Override
        public String toString() {
            return String.join(" ", command) + "\n--- control\n" + String.join("\n", controlLines)
                    + "\n--- subject stdout\n" + stdout + "--- subject stderr\n" + stderr;
        }
    }

    private static ContainerRun runInContainer(Path filter, String caps, String... argv) throws Exception {
        Path out = Files.createTempFile(work, "stdout", ".txt");
        Path err = Files.createTempFile(work, "stderr", ".txt");
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "run", "--unshare", "pid,mnt,ipc,uts,net",
                "--stdout", out.toString(), "--stderr", err.toString(), "--caps", caps, "--no-new-privs"));
        if (filter != null) {
            command.addAll(List.of("--seccomp", filter.toString()));
        }
        command.add("--");
        command.addAll(List.of(argv));
        // stdin stays an open pipe while the container runs: it is the launcher's lifeline.
        Process launcher = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> control = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                control.add(line);
            }
        } finally {
            if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
                launcher.destroyForcibly().waitFor();
            }
            launcher.getOutputStream().close();
        }
        String last = control.isEmpty() ? "" : control.get(control.size() - 1);
        assertThat(last).as("the last control line of %s: %s", command, control).startsWith("exit\t");
        return new ContainerRun(command, control, Integer.parseInt(last.substring("exit\t".length())),
                Files.readString(out), Files.readString(err));
    }

    private static Map<String, String> probe(Path filter, List<String> calls) throws Exception {
        return probe(filter, DOCKER_CAPS, calls);
    }

    private static Map<String, String> probe(Path filter, String caps, List<String> calls) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(syscallProbe.toString());
        argv.addAll(calls);
        ContainerRun run = runInContainer(filter, caps, argv.toArray(String[]::new));
        assertThat(run.exitStatus()).as("%s", run).isZero();
        return TestPrograms.probeResults(run.stdout());
    }
}
