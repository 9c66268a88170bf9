package io.github.junitsandbox.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.launcher.SandboxInit.Result;
import io.github.junitsandbox.runtime.launcher.Supervisor.Ready;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher's command line and control protocol (docs/launcher-protocol.md), against the real kernel, as root:
 * each test starts the built binary as the Java runtime does and observes the container from inside (probes, exec)
 * and from outside (/proc, cgroup files, mountinfo).
 */
@Timeout(120) // a hang guard, not a performance assertion
class SandboxInitCliTest {

    private static final String FULL_ISOLATION = "pid,uts,ipc,mnt,net,cgroup";
    private static final String JOIN = "--join";
    private static final String ROOTLESS_USER = "sandboxci";
    private static final List<String> AS_ROOTLESS_USER = List.of("setpriv", "--reuid=" + ROOTLESS_USER, "--regid=" + ROOTLESS_USER, "--clear-groups", "--");

    @TempDir
    Path temp;

    private Path binary;
    private Path state;
    private final List<Supervisor> supervisors = new ArrayList<>();
    private final List<Process> hostProcesses = new ArrayList<>();
    private final TestCgroups cgroups = new TestCgroups();
    private final List<Path> rootlessDirs = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        binary = SandboxInit.binary();
        state = Files.createDirectory(temp.resolve("state"));
    }

    @AfterEach
    void tearDown() throws IOException {
        supervisors.forEach(Supervisor::close);
        hostProcesses.forEach(Process::destroyForcibly);
        cgroups.close();
        for (Path dir : rootlessDirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                .as("host mounts under the test's temp dir after the run")
                .noneMatch(line -> line.contains(temp.toString()));
    }

    /** rootfs "host": a tmpfs root with the host's system directories read-only. */
    private List<String> hostView(String namespaces, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--unshare", namespaces, "--state", state.toString(), "--root-tmpfs",
                "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
                "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin", "--proc", "/proc", "--dev", "/dev",
                "--tmpfs", "/tmp", "--dir", "/etc", "--ro-bind", "/etc/passwd", "/etc/passwd",
                "--ro-bind", "/etc/group", "/etc/group"));
        args.addAll(List.of(extra));
        return args;
    }

    private static List<String> plus(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    private Supervisor start(List<String> args) {
        Supervisor s = Supervisor.start(SandboxInit.command(List.of(), binary, args));
        supervisors.add(s);
        return s;
    }

    private Result probe(Ready ready, String namespaces, String... probe) {
        List<String> args = new ArrayList<>(List.of("probe", "--target", String.valueOf(ready.init()), JOIN, namespaces));
        args.addAll(List.of(probe));
        return SandboxInit.call(SandboxInit.command(List.of(), binary, args), "");
    }

    private Result exec(Ready ready, String input, String... command) {
        return execWith(ready, FULL_ISOLATION, List.of("--env", "PATH=/usr/bin:/bin"), input, command);
    }

    private Result execWith(Ready ready, String namespaces, List<String> flags, String input, String... command) {
        return SandboxInit.call(SandboxInit.command(List.of(), binary, SandboxInit.execArgs(ready.init(), namespaces, flags, command)), input);
    }

    private Path outputFile(String name) {
        return temp.resolve(name);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }

    @Test
    void helpListsTheSubcommandsAndVersionPrintsOne() {
        Result help = SandboxInit.call(binary, "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("sandbox-init run", "sandbox-init exec", "sandbox-init probe", "--unshare LIST", "--caps LIST");
        Result version = SandboxInit.call(binary, "--version");
        assertThat(version.stdout()).matches("sandbox-init \\d+\\.\\d+\\.\\d+\n");
    }

    @Test
    void badFlagIsAUsageErrorNamingIt() {
        Result unknown = SandboxInit.call(binary, "run", "--unshare", "pid,bogus", "--", "/bin/true");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown namespace 'bogus'", "accepted: pid,uts,ipc,mnt,net,cgroup,user,time");
        Result misplaced = SandboxInit.call(binary, "exec", "--target", "1", "--hostname", "x", "--", "/bin/true");
        assertThat(misplaced.exitCode()).isEqualTo(2);
        assertThat(misplaced.stderr()).contains("--hostname is not accepted here (run only)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 42})
    void exitStatusOfTheSubjectIsReportedAndReturned(int status) {
        Supervisor s = start(plus(hostView(FULL_ISOLATION), "--", "/bin/sh", "-c", "exit " + status));
        Ready ready = s.awaitReady();
        assertThat(ready.subject()).isPositive();
        assertThat(s.nextLine()).containsExactly("exit", String.valueOf(status));
        assertThat(s.awaitExit()).isEqualTo(status);
    }

    @Test
    void subjectKilledBySigkillExits137() {
        Supervisor s = start(plus(hostView(FULL_ISOLATION), "--", "/bin/sleep", "1000"));
        Ready ready = s.awaitReady();
        ProcessHandle.of(ready.subject()).orElseThrow().destroyForcibly();
        assertThat(s.nextLine()).containsExactly("exit", "137");
        assertThat(s.awaitExit()).isEqualTo(137);
    }

    @Test
    void sigtermToTheSupervisorIsForwardedToTheSubject() {
        Supervisor s = start(plus(hostView(FULL_ISOLATION), "--", "/bin/sleep", "1000"));
        s.awaitReady();
        s.signal("TERM");
        assertThat(s.nextLine()).containsExactly("exit", "143");
        assertThat(s.awaitExit()).isEqualTo(143);
    }

    @Test
    void pidNamespaceShowsOnlyInitAndSubjectAndHidesTheHost() {
        Supervisor s = start(plus(hostView(FULL_ISOLATION), "--", "/bin/sleep", "1000"));
        Ready ready = s.awaitReady();
        Result pids = probe(ready, FULL_ISOLATION, "pids");
        assertThat(pids.exitCode()).as(pids.stderr()).isZero();
        assertThat(pids.stdoutLines()).extracting(line -> line.split("\t")[0]).containsExactly("1", "2");
        assertThat(pids.stdoutLines().get(1)).endsWith("\tsleep\t/bin/sleep 1000");
        long jvm = ProcessHandle.current().pid();
        assertThat(probe(ready, FULL_ISOLATION, "kill", String.valueOf(jvm), "0").stdout()).isEqualTo("ESRCH\n");
        assertThat(probe(ready, FULL_ISOLATION, "kill", "2", "0").stdout()).isEqualTo("ALLOWED\n");
        assertThat(ProcessHandle.of(ready.subject()).flatMap(p -> p.info().command())).contains("/usr/bin/sleep");
    }

    @Test
    void argumentsCannotForgeLinesOfThePidsProbe() {
        // found inside a podman container, where a shell's multi-line `sh -c` script was visible to the probe
        Supervisor s = start(plus(hostView(FULL_ISOLATION), "--", "/bin/sh", "-c", "sleep 1000\n9\t0\tS\tforged\tline", "x"));
        Ready ready = s.awaitReady();
        // ready comes at the shell's exec; its sleep is forked a moment later
        Result pids = probe(ready, FULL_ISOLATION, "pids");
        for (long deadline = System.nanoTime() + 10_000_000_000L; pids.stdoutLines().size() < 3 && System.nanoTime() < deadline;) {
            pids = probe(ready, FULL_ISOLATION, "pids");
        }
        assertThat(pids.stdoutLines()).as("init, sh, its sleep").hasSize(3).noneMatch(line -> line.startsWith("9\t"));
        assertThat(pids.stdoutLines().get(1)).endsWith("\tsh\t/bin/sh -c sleep 1000 9 0 S forged line x");
    }

    @Test
    void mountNamespaceAloneSeesAndMayKillHostProcesses() throws IOException {
        Process hostSleep = new ProcessBuilder("sleep", "1000").start();
        hostProcesses.add(hostSleep);
        Supervisor s = start(List.of("run", "--unshare", "mnt"));
        Ready ready = s.awaitReady();
        assertThat(ready.subject()).isZero();
        assertThat(probe(ready, "mnt", "kill", String.valueOf(hostSleep.pid()), "0").stdout()).isEqualTo("ALLOWED\n");
        assertThat(probe(ready, "mnt", "pids").stdoutLines())
                .anyMatch(line -> line.startsWith(ProcessHandle.current().pid() + "\t"))
                .anyMatch(line -> line.startsWith(hostSleep.pid() + "\t"));
    }

    @Test
    void hostnameIsSetInsideAndUnchangedOutside() throws IOException {
        String before = Files.readString(Path.of("/proc/sys/kernel/hostname"));
        Supervisor s = start(hostView(FULL_ISOLATION, "--hostname", "box-under-test"));
        Ready ready = s.awaitReady();
        assertThat(probe(ready, FULL_ISOLATION, "hostname").stdout()).isEqualTo("box-under-test\n");
        assertThat(exec(ready, "", "cat", "/proc/sys/kernel/hostname").stdout()).isEqualTo("box-under-test\n");
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname"))).isEqualTo(before);
    }

    @Test
    void networkNamespaceHasOnlyLoopbackAndItIsUp() {
        Supervisor s = start(hostView(FULL_ISOLATION, "--sysfs", "/sys"));
        Ready ready = s.awaitReady();
        Result interfaces = exec(ready, "", "ls", "/sys/class/net");
        assertThat(interfaces.stdoutLines()).containsExactly("lo");
        Result flags = exec(ready, "", "cat", "/sys/class/net/lo/flags");
        assertThat(Integer.decode(flags.stdout().strip()) & 1).as("IFF_UP in lo's flags %s", flags.stdout().strip()).isEqualTo(1);
        Result dev = exec(ready, "", "cat", "/proc/net/dev");
        assertThat(dev.stdoutLines()).hasSize(3).last().asString().startsWith("    lo:");
    }

    @Test
    void userNamespaceMapsTheNonRootUserToRootInside() throws IOException, InterruptedException {
        Rootless rootless = rootless();
        long uid = Long.parseLong(new String(new ProcessBuilder("id", "-u", ROOTLESS_USER).start().getInputStream().readAllBytes()).strip());
        List<String> args = List.of("run", "--unshare", "user," + FULL_ISOLATION, "--state", rootless.state().toString(), "--root-tmpfs",
                "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
                "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp");
        try (Supervisor s = Supervisor.start(SandboxInit.command(AS_ROOTLESS_USER, rootless.binary(), args))) {
            Ready ready = s.awaitReady();
            List<String> exec = SandboxInit.execArgs(ready.init(), "user," + FULL_ISOLATION, List.of(),
                    "/bin/sh", "-c", "id -u; cat /proc/self/uid_map");
            Result inside = SandboxInit.call(SandboxInit.command(AS_ROOTLESS_USER, rootless.binary(), exec), "");
            assertThat(inside.exitCode()).as(inside.stderr()).isZero();
            assertThat(inside.stdoutLines().get(0)).isEqualTo("0");
            assertThat(inside.stdoutLines().get(1).trim().split("\\s+")).containsExactly("0", String.valueOf(uid), "1");
            assertThat(Files.readAllLines(Path.of("/proc", String.valueOf(ready.init()), "status")))
                    .filteredOn(line -> line.startsWith("Uid:"))
                    .singleElement().asString().startsWith("Uid:\t" + uid + "\t");
        }
    }

    @Test
    void aFailureOfPid1IsReportedAsItsOwnWhenTheContainerHasACgroup() throws IOException {
        // A subject that does not exist: PID 1 fails after the supervisor released it. The supervisor once released
        // it twice (around the cgroup placement) and reported the second write's EPIPE instead of this.
        Rootless rootless = rootless();
        TestCgroups.Delegation cgroup = cgroups.delegate("pids", "rootless", rootless.owner());
        List<String> inLeader = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", cgroup.leader().toString()));
        inLeader.addAll(AS_ROOTLESS_USER);
        Supervisor s = Supervisor.start(SandboxInit.command(inLeader, rootless.binary(), List.of("run", "--unshare", "user,mnt,uts",
                "--state", rootless.state().toString(), "--cgroup", cgroup.container().toString(), "--root-tmpfs",
                "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--", "/nonexistent-subject")));
        supervisors.add(s);
        String report = String.join("\t", s.nextLine());
        assertThat(report).as("stderr: %s", s.stderrAfterExit()).startsWith("error\texecve(/nonexistent-subject)\tENOENT\t");
        assertThat(s.awaitExit()).isEqualTo(125);
    }

    /** The binary and a state directory where {@link #ROOTLESS_USER} can reach them (/root is mode 700), removed after the test. */
    private Rootless rootless() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "junit-sandbox-test-rootless-");
        rootlessDirs.add(dir);
        Path copy = Files.copy(binary, dir.resolve("sandbox-init"));
        Path owned = Files.createDirectory(dir.resolve("state"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(ROOTLESS_USER);
        Files.setOwner(owned, owner);
        return new Rootless(copy, owned, owner);
    }

    private record Rootless(Path binary, Path state, UserPrincipal owner) {}

    @Test
    void rootMapsARangeAndTheSubjectRunsAsAMappedUserInItsCgroup() throws IOException {
        // the namespace's root is host uid 100000: the state directory must be reachable for it
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = outputFile("range.out");
        Path pids = cgroups.create("pids", "c1");
        Supervisor s = start(plus(hostView("user," + FULL_ISOLATION, "--uid-map", "0 100000 65536", "--gid-map", "0 100000 65536",
                        "--cgroup", pids.toString(), "--stdout", out.toString()),
                "--uid", "1000", "--gid", "1000", "--", "/bin/sh", "-c", "id -u; id -g; cat /proc/self/uid_map; touch /tmp/f && stat -c %u /tmp/f"));
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(4);
        assertThat(lines.subList(0, 2)).containsExactly("1000", "1000");
        assertThat(lines.get(2).trim().split("\\s+")).containsExactly("0", "100000", "65536");
        assertThat(lines.get(3)).isEqualTo("1000");
    }

    @Test
    void missingCommandIsReportedAsExecveEnoent() {
        Supervisor s = start(plus(hostView(FULL_ISOLATION), "--", "/nope"));
        assertThat(String.join("\t", s.nextLine())).isEqualTo("error\texecve(/nope)\tENOENT\tNo such file or directory");
        assertThat(s.awaitExit()).isEqualTo(125);
    }

    @Test
    void failingSetupStepIsNamedWithItsErrno() {
        Path missing = temp.resolve("no-such-state");
        Supervisor badState = start(List.of("run", "--unshare", "mnt", "--state", missing.toString(), "--root-tmpfs", "--", "/bin/true"));
        assertThat(String.join("\t", badState.nextLine())).startsWith("error\tmount(tmpfs, " + missing + ")\tENOENT\t");
        assertThat(badState.awaitExit()).isEqualTo(125);
        Supervisor badBind = start(plus(hostView(FULL_ISOLATION, "--ro-bind", "/does/not/exist", "/x"), "--", "/bin/true"));
        assertThat(String.join("\t", badBind.nextLine())).startsWith("error\topen_tree(/does/not/exist, OPEN_TREE_CLONE)\tENOENT\t");
        assertThat(badBind.awaitExit()).isEqualTo(125);
    }

    @Test
    void pidsCgroupHoldsInitAndStopsAForkLoop() {
        Path pids = cgroups.create("pids", "c1");
        TestCgroups.write(pids, "pids.max", "20");
        Supervisor s = start(hostView(FULL_ISOLATION, "--cgroup", pids.toString()));
        Ready ready = s.awaitReady();
        assertThat(TestCgroups.read(pids, "cgroup.procs").lines()).containsExactly(String.valueOf(ready.init()));
        Result forkLoop = execWith(ready, FULL_ISOLATION, List.of("--cgroup", pids.toString()), "", "/bin/sh", "-c",
                "i=0; while [ $i -lt 50 ]; do sleep 1000 >/dev/null 2>&1 & i=$((i+1)); done");
        assertThat(forkLoop.exitCode()).isNotZero();
        assertThat(forkLoop.stderr()).contains("Cannot fork");
        assertThat(TestCgroups.read(pids, "pids.events")).isNotEqualTo("max 0\n");
        // PID 1 and the sleeps that got in, never more than the limit
        assertThat(Integer.parseInt(TestCgroups.read(pids, "pids.current").strip())).isBetween(2, 20);
        s.close();
        assertThat(TestCgroups.read(pids, "cgroup.procs")).isEmpty();
    }

    @Test
    void cgroup2DirectoryIsEnteredAtBirthAndV1OnesByPid1Itself() {
        Assumptions.assumeFalse(cgroups.unified(), "needs the hybrid layout (v1 controllers beside an empty cgroup2 mount), as on the build machine");
        Path unified = cgroups.createOnCgroup2("c1"); // this machine's cgroup2 mount: real, without controllers
        Path pids = cgroups.create("pids", "c1");
        Supervisor s = start(hostView(FULL_ISOLATION, "--cgroup", pids.toString(), "--cgroup", unified.toString()));
        Ready ready = s.awaitReady();
        String init = String.valueOf(ready.init());
        assertThat(TestCgroups.read(unified, "cgroup.procs").lines()).containsExactly(init);
        assertThat(TestCgroups.read(pids, "cgroup.procs").lines()).containsExactly(init);
        // the cgroup namespace is rooted at the container's cgroups: inside, they are "/"
        Result inside = execWith(ready, FULL_ISOLATION, List.of("--cgroup", pids.toString(), "--cgroup", unified.toString()), "",
                "/bin/cat", "/proc/self/cgroup");
        assertThat(inside.stdoutLines()).contains("0::/").anyMatch(line -> line.endsWith(":pids:/"));
        Supervisor missing = start(plus(hostView(FULL_ISOLATION, "--cgroup", unified.resolveSibling("absent").toString()), "--", "/bin/true"));
        assertThat(String.join("\t", missing.nextLine())).startsWith("error\tstatfs(" + unified.resolveSibling("absent") + ")\tENOENT");
    }

    @Test
    void memoryCgroupOomKillsAnAllocationAboveTheLimit() {
        Path memory = cgroups.create("memory", "c1");
        cgroups.limitMemory(memory, "32M");
        Supervisor s = start(plus(hostView(FULL_ISOLATION, "--cgroup", memory.toString()),
                "--", "/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"));
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "137");
        assertThat(cgroups.oomKills(memory)).isEqualTo(1);
    }

    @Test
    void brokenLifelineKillsEveryProcessAndRemovesCleanupPaths() throws IOException {
        Path pids = cgroups.create("pids", "c1");
        Path stateToRemove = Files.createDirectory(temp.resolve("state-to-remove"));
        Path fileToRemove = Files.writeString(temp.resolve("file-to-remove"), "x");
        Supervisor s = start(plus(List.of("run", "--unshare", FULL_ISOLATION, "--state", stateToRemove.toString(), "--root-tmpfs",
                        "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
                        "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev", "--cgroup", pids.toString(),
                        "--cleanup", fileToRemove.toString(), "--cleanup", stateToRemove.toString()),
                "--", "/bin/sleep", "1000"));
        Ready ready = s.awaitReady();
        // an orphan inside: started by exec, re-parented to PID 1 once its shell exits
        Result orphan = execWith(ready, FULL_ISOLATION, List.of("--cgroup", pids.toString()), "",
                "/bin/sh", "-c", "sleep 1000 >/dev/null 2>&1 &");
        assertThat(orphan.exitCode()).as(orphan.stderr()).isZero();
        List<String> inside = TestCgroups.read(pids, "cgroup.procs").lines().toList();
        assertThat(inside).hasSize(3).contains(String.valueOf(ready.init()), String.valueOf(ready.subject()));
        s.breakLifeline();
        assertThat(s.awaitExit()).isEqualTo(137);
        assertThat(inside).allSatisfy(pid -> assertThat(Path.of("/proc", pid)).doesNotExist());
        assertThat(TestCgroups.read(pids, "cgroup.procs")).isEmpty();
        assertThat(fileToRemove).doesNotExist();
        assertThat(stateToRemove).doesNotExist();
    }

    /**
     * Without a PID namespace the subject's children outlive PID 1: the supervisor empties the cgroups itself, on v1
     * by SIGKILL to each listed pid, on cgroup2 by cgroup.kill, since the JVM that would have is gone.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void brokenLifelineEmptiesTheCgroupOfAContainerWithoutPidNamespace(boolean cgroup2) throws IOException, InterruptedException {
        Path cgroup = cgroup2 ? cgroups.createOnCgroup2("no-pidns") : cgroups.create("pids", "no-pidns");
        Supervisor s = start(plus(hostView("uts,ipc,mnt,net", "--cgroup", cgroup.toString(), "--cleanup", cgroup.toString()),
                "--", "/bin/sh", "-c", "sleep 1000 >/dev/null 2>&1 & exec sleep 1000"));
        Ready ready = s.awaitReady();
        List<String> inside = awaitProcessCount(cgroup, 3);
        assertThat(inside).contains(String.valueOf(ready.init()), String.valueOf(ready.subject()));
        s.breakLifeline();
        assertThat(s.awaitExit()).isEqualTo(137);
        assertThat(inside).allSatisfy(pid -> assertThat(runningOrSleeping(pid)).as("process %s after the lifeline broke", pid).isFalse());
        assertThat(cgroup).doesNotExist();
    }

    /** cgroup.procs once it lists {@code count} processes (the subject's background child starts after ready). */
    private static List<String> awaitProcessCount(Path cgroup, int count) throws InterruptedException {
        List<String> pids = TestCgroups.read(cgroup, "cgroup.procs").lines().toList();
        for (int attempt = 0; pids.size() < count && attempt < 1000; attempt++) {
            Thread.sleep(10);
            pids = TestCgroups.read(cgroup, "cgroup.procs").lines().toList();
        }
        assertThat(pids).as("cgroup.procs of " + cgroup).hasSize(count);
        return pids;
    }

    /** False once the process is gone or a zombie (its parent outside the container reaps it in its own time). */
    private static boolean runningOrSleeping(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void execPassesExitCodeSeparateOutputsAndStdin() {
        Supervisor s = start(hostView(FULL_ISOLATION));
        Ready ready = s.awaitReady();
        Result r = exec(ready, "hello\n", "/bin/sh", "-c", "read x; echo \"out $x\"; echo err >&2; exit 7");
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.stdout()).isEqualTo("out hello\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void execReturnsOnceItsChildExitedEvenIfAGrandchildHoldsTheOutput() {
        Supervisor s = start(hostView(FULL_ISOLATION));
        Ready ready = s.awaitReady();
        Result r = exec(ready, "", "/bin/sh", "-c", "sleep 100 & echo hi");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("hi\n");
    }

    @Test
    void execOfAMissingCommandFailsWith125AndTheStep() {
        Supervisor s = start(hostView(FULL_ISOLATION));
        Ready ready = s.awaitReady();
        Result r = exec(ready, "", "/bin/nope");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).endsWith("sandbox-init: error\texecve(/bin/nope)\tENOENT\tNo such file or directory\n");
    }

    @Test
    void credsProbeShowsTheCapabilitiesNoNewPrivsAndRlimitsAskedFor() {
        Supervisor s = start(hostView(FULL_ISOLATION));
        Ready ready = s.awaitReady();
        Result creds = probe(ready, FULL_ISOLATION, "--caps", "chown,kill", "--no-new-privs", "--rlimit", "nofile=100:200", "creds");
        assertThat(creds.exitCode()).as(creds.stderr()).isZero();
        assertThat(creds.stdoutLines()).contains("uid\t0", "CapEff\t0000000000000021", "CapPrm\t0000000000000021",
                "CapBnd\t0000000000000021", "CapAmb\t0000000000000000", "NoNewPrivs\t1", "rlimit.nofile\t100:200");
    }

    @Test
    void subjectRunsWithTheProcessFlags() throws IOException {
        Path out = outputFile("subject.out");
        Supervisor s = start(plus(hostView(FULL_ISOLATION, "--stdout", out.toString()), "--uid", "1000", "--gid", "1000",
                "--caps", "net_bind_service", "--no-new-privs", "--rlimit", "nofile=64:64", "--chdir", "/tmp",
                "--env", "GREETING=hi", "--", "/bin/sh", "-c",
                "id -u; id -g; pwd; ulimit -n; grep -E '^(CapBnd|NoNewPrivs)' /proc/self/status; env | sort"));
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        // PWD is the shell's own addition; nothing else is inherited
        assertThat(Files.readAllLines(out)).containsExactly("1000", "1000", "/tmp", "64",
                "CapBnd:\t0000000000000400", "NoNewPrivs:\t1", "GREETING=hi", "PWD=/tmp");
    }

    /**
     * PID 1 keeps the subject off its own CPU while both set up and gives the CPUs back before the exec: as root without
     * CAP_SYS_NICE (a container engine's default capabilities), for a subject that has become another uid by then, it
     * could not give them back, so it must not take them: the subject runs, on the CPUs it inherited.
     */
    @Test
    void aSubjectOfAnotherUidRunsOnItsInheritedCpusWhenPid1LacksCapSysNice() throws IOException {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "with one CPU nothing is kept off it");
        Path out = outputFile("cpus.out");
        Supervisor s = Supervisor.start(SandboxInit.command(List.of("setpriv", "--bounding-set", "-sys_nice"), binary,
                plus(hostView(FULL_ISOLATION, "--stdout", out.toString()), "--uid", "1000", "--gid", "1000", "--",
                        "/bin/sh", "-c", "grep Cpus_allowed_list /proc/self/status; grep CapEff /proc/1/status")));
        supervisors.add(s);
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        List<String> seen = Files.readAllLines(out);
        assertThat(Long.parseLong(seen.get(1).substring("CapEff:".length()).strip(), 16) & (1L << 23)).as("PID 1's CAP_SYS_NICE").isZero();
        assertThat(seen.get(0)).as("the subject's CPUs").isEqualTo(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list")).findFirst().orElseThrow());
    }

    @Test
    void readOnlyRootStillHasAWritableTmp() throws IOException {
        Path out = outputFile("ro.out");
        Supervisor s = start(plus(hostView(FULL_ISOLATION, "--read-only-root", "--stdout", out.toString(), "--stderr", out.toString()),
                "--", "/bin/sh", "-c", "touch /x || echo root-refused; touch /tmp/y && echo tmp-written"));
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        assertThat(read(out)).contains("Read-only file system", "root-refused", "tmp-written");
    }

    @Test
    void overlayRootKeepsWritesAwayFromTheLowerDirectory() throws IOException {
        Path lower = Files.createDirectory(temp.resolve("lower"));
        Files.writeString(lower.resolve("marker"), "original\n");
        Path out = outputFile("overlay.out");
        Supervisor s = start(List.of("run", "--unshare", FULL_ISOLATION, "--state", state.toString(), "--root-overlay", lower.toString(),
                "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
                "--symlink", "usr/lib64", "/lib64", "--stdout", out.toString(),
                "--", "/bin/sh", "-c", "echo changed > /marker; echo new > /newfile; cat /marker /newfile"));
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        assertThat(read(out)).isEqualTo("changed\nnew\n");
        assertThat(read(lower.resolve("marker"))).isEqualTo("original\n");
        try (Stream<Path> entries = Files.list(lower)) {
            assertThat(entries).containsExactly(lower.resolve("marker"));
        }
    }

    @Test
    void symlinksInTheRootfsCannotLeadMountOpsOutOfIt() throws IOException {
        Path hostTarget = Files.createDirectory(temp.resolve("host-target"));
        Path lower = Files.createDirectory(temp.resolve("hostile-lower"));
        Files.createSymbolicLink(lower.resolve("escape"), hostTarget); // absolute: the host's path
        // the same path exists inside the rootfs: resolved there, the symlink leads to this copy
        Path insideTarget = Files.createDirectories(lower.resolve(Path.of("/").relativize(hostTarget)));
        Supervisor s = start(List.of("run", "--unshare", FULL_ISOLATION, "--state", state.toString(), "--root-overlay", lower.toString(),
                "--dir", "/escape/made-by-launcher", "--symlink", "somewhere", "/escape/link", "--tmpfs", "/escape/mounted",
                "--ro-bind", "/etc/hostname", "/escape/bound", "--", "/nope"));
        // every mount op succeeded (inside the rootfs); only then does the missing subject fail
        assertThat(String.join("\t", s.nextLine())).startsWith("error\texecve(/nope)\tENOENT");
        try (Stream<Path> entries = Files.list(hostTarget)) {
            assertThat(entries).as("host directory behind the rootfs symlink").isEmpty();
        }
        assertThat(insideTarget).as("the overlay's lower layer").isEmptyDirectory();
    }

    @Test
    void inheritedFileDescriptorsAboveTwoAreClosed() throws IOException {
        // bash hands fd 7 down to the launcher: the way a careless parent leaks one.
        List<String> leaking = List.of("bash", "-c", "exec 7</etc/hostname; exec \"$@\"", "bash");
        Path out = outputFile("fds.out");
        Supervisor s = Supervisor.start(SandboxInit.command(leaking, binary,
                plus(hostView(FULL_ISOLATION, "--stdout", out.toString()), "--", "/bin/ls", "/proc/self/fd")));
        supervisors.add(s);
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        // 3 is the directory ls opened to list itself
        assertThat(Files.readAllLines(out)).containsExactly("0", "1", "2", "3");

        Supervisor idle = Supervisor.start(SandboxInit.command(leaking, binary, hostView(FULL_ISOLATION)));
        supervisors.add(idle);
        Ready ready = idle.awaitReady();
        assertThat(Path.of("/proc", String.valueOf(ready.init()), "fd", "7")).as("the leak stops at the launcher: PID 1 has no fd 7")
                .doesNotExist();
        Result exec = SandboxInit.call(SandboxInit.command(leaking, binary,
                SandboxInit.execArgs(ready.init(), FULL_ISOLATION, List.of(), "/bin/ls", "/proc/self/fd")), "");
        assertThat(exec.stdoutLines()).containsExactly("0", "1", "2", "3");
    }

    @Test
    void seccompFilterIsInstalledBeforeExecve() throws IOException {
        Path filter = Files.write(temp.resolve("deny-mkdir.bpf"), SeccompPrograms.denyWithEperm(83, 258)); // mkdir, mkdirat
        Path out = outputFile("seccomp.out");
        List<String> plan = hostView(FULL_ISOLATION, "--stdout", out.toString(), "--stderr", out.toString());
        Supervisor s = start(plus(plan, "--no-new-privs", "--seccomp", filter.toString(),
                "--", "/bin/sh", "-c", "grep Seccomp: /proc/self/status; mkdir /tmp/d || echo refused; touch /tmp/f && echo touched"));
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        assertThat(read(out)).contains("Seccomp:\t2", "Operation not permitted", "refused", "touched");

        // without no_new_privs (and without CAP_SYS_ADMIN) the kernel refuses the filter: the step says so
        Supervisor refused = start(plus(hostView(FULL_ISOLATION), "--seccomp", filter.toString(), "--", "/bin/true"));
        assertThat(String.join("\t", refused.nextLine())).startsWith("error\tseccomp(SECCOMP_SET_MODE_FILTER)\tEACCES\t");
    }

    @Test
    void timeNamespaceShiftsBoottimeForTheContainerOnly() throws IOException {
        Path out = outputFile("uptime.out");
        double hostBefore = uptime(Files.readString(Path.of("/proc/uptime")));
        String namespaces = FULL_ISOLATION + ",time";
        Supervisor s = start(plus(hostView(namespaces, "--time-offset", "boottime", "86400", "--stdout", out.toString()),
                "--", "/bin/cat", "/proc/uptime"));
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        assertThat(uptime(read(out)) - hostBefore).isGreaterThanOrEqualTo(86400.0);

        Supervisor idle = start(hostView(namespaces, "--time-offset", "boottime", "86400"));
        Ready ready = idle.awaitReady();
        Result entered = execWith(ready, namespaces, List.of(), "", "/bin/cat", "/proc/uptime");
        assertThat(uptime(entered.stdout()) - hostBefore).as("uptime seen by exec").isGreaterThanOrEqualTo(86400.0);
        assertThat(uptime(Files.readString(Path.of("/proc/uptime"))) - hostBefore).isLessThan(86400.0);
    }

    private static double uptime(String procUptime) {
        return Double.parseDouble(procUptime.split(" ")[0]);
    }

    @Test
    void maskHidesAndRemountReadOnlyProtectsABind() throws IOException {
        Path data = Files.createDirectory(temp.resolve("data"));
        Files.writeString(data.resolve("kept"), "host data\n");
        Path out = outputFile("mask.out");
        Supervisor s = start(plus(hostView(FULL_ISOLATION, "--bind", data.toString(), "/data", "--remount-ro", "/data",
                        "--mask", "/etc/passwd", "--mask", "/usr/share", "--stdout", out.toString(), "--stderr", out.toString()),
                "--", "/bin/sh", "-c", "cat /data/kept; echo x > /data/new || echo data-ro; wc -c < /etc/passwd; ls /usr/share | wc -l"));
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        assertThat(Files.readAllLines(out)).contains("host data", "data-ro", "0").endsWith("0");
        assertThat(data.resolve("new")).doesNotExist();
    }

    @Test
    void remountReadOnlyTurnsAPathInsideProcReadOnlyAloneAndSkipsWhatTheKernelLacks() throws IOException {
        Path out = outputFile("proc-ro.out");
        Supervisor s = start(plus(hostView(FULL_ISOLATION, "--remount-ro", "/proc/sys", "--remount-ro", "/proc/no-such-interface",
                        "--stdout", out.toString(), "--stderr", out.toString()),
                "--", "/bin/sh", "-c", "echo other > /proc/sys/kernel/hostname || echo sys-ro; echo renamed > /proc/self/comm && cat /proc/$$/comm;"
                        + " grep -c ' /proc/sys ro,' /proc/self/mountinfo"));
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        assertThat(Files.readAllLines(out)).contains("sys-ro").containsSubsequence("renamed", "1");
    }

    @Test
    void subjectCannotReachTheLauncherThroughInitsExe() throws IOException {
        Path out = outputFile("exe.out");
        Supervisor s = start(plus(hostView(FULL_ISOLATION, "--stdout", out.toString(), "--stderr", out.toString()),
                "--caps", "chown,dac_override,fowner,kill,setuid,setgid,sys_chroot", "--", "/bin/sh", "-c",
                "readlink /proc/1/exe || echo exe-hidden; cat /proc/1/environ > /dev/null || echo environ-hidden"));
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        assertThat(read(out)).contains("exe-hidden", "environ-hidden");
    }

    @Test
    void execForwardsSigtermToItsChild() throws IOException, InterruptedException {
        Supervisor s = start(hostView(FULL_ISOLATION));
        Ready ready = s.awaitReady();
        Process exec = new ProcessBuilder(SandboxInit.command(List.of(), binary,
                SandboxInit.execArgs(ready.init(), FULL_ISOLATION, List.of(), "/bin/sh", "-c", "echo started; exec sleep 1000"))).start();
        hostProcesses.add(exec);
        // once the child has printed, it is inside and about to exec sleep: the signal reaches it either way
        assertThat(new String(exec.getInputStream().readNBytes(8))).isEqualTo("started\n");
        assertThat(new ProcessBuilder("kill", "-TERM", String.valueOf(exec.pid())).start().waitFor()).isZero();
        assertThat(exec.waitFor()).isEqualTo(143);
    }

    @Test
    void bindRootIsTheDirectoryItself() throws IOException {
        Path rootDir = Files.createDirectory(temp.resolve("rootdir"));
        Supervisor s = start(List.of("run", "--unshare", FULL_ISOLATION, "--state", state.toString(), "--root-bind", rootDir.toString(),
                "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
                "--symlink", "usr/lib64", "/lib64", "--", "/bin/sh", "-c", "echo written-inside > /hello"));
        s.awaitReady();
        assertThat(s.nextLine()).containsExactly("exit", "0");
        assertThat(read(rootDir.resolve("hello"))).isEqualTo("written-inside\n");
        assertThat(rootDir.resolve("bin")).isSymbolicLink();
    }

    @Test
    void idleContainerExitsOnSigtermWith143() {
        Supervisor s = start(hostView(FULL_ISOLATION));
        Ready ready = s.awaitReady();
        assertThat(ready.subject()).isZero();
        assertThat(probe(ready, FULL_ISOLATION, "pids").stdoutLines()).singleElement().asString().startsWith("1\t");
        s.signal("TERM");
        assertThat(s.nextLine()).containsExactly("exit", "143");
    }
}
