package io.github.junitsandbox.runtime.seccomp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The compiled default profile installed in a real process (by a small C helper that does what the
 * launcher does: no_new_privs, PR_SET_SECCOMP, exec) and the kernel's answers observed, each next
 * to its twin without a filter, where the same call reaches the kernel.
 */
class SeccompEnforcementTest {
    /** Docker's default capability set, which the runtime gives uid 0 inside; the filter is compiled for it. */
    static final Set<String> DOCKER_DEFAULT_CAPS = Set.of("chown", "dac_override", "fsetid", "fowner", "mknod", "net_raw",
            "setgid", "setuid", "setfcap", "setpcap", "net_bind_service", "sys_chroot", "kill", "audit_write");

    /**
     * Calls the default profile answers with EPERM, each made with harmless arguments; keyctl also
     * through the 32-bit entry (int 0x80) and the x32 numbering, the ABIs a 64-bit-only filter misses.
     */
    static final List<String> BLOCKED_ON_EVERY_MACHINE = List.of("keyctl", "keyctl_i386", "keyctl_x32", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
            "io_uring_setup", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "mount", "umount2",
            "pivot_root", "unshare", "clone_newuser", "setns", "ptrace", "personality_no_aslr", "open_by_handle_at",
            "name_to_handle_at", "acct", "swapon", "swapoff", "reboot", "clock_settime", "syslog", "quotactl", "fsopen",
            "fsmount", "move_mount", "open_tree", "iopl");

    @TempDir
    static Path bin;
    static Path installFilter;
    static Path syscallProbe;
    static List<String> blocked;

    @BeforeAll
    static void buildHelpers() throws IOException, InterruptedException {
        assumeThat(SeccompCompiler.system().nativeArchitecture()).as("the probes use x86_64 system calls").isEqualTo(Architecture.X86_64);
        installFilter = TestPrograms.compile("install-filter", bin);
        syscallProbe = TestPrograms.compile("syscall-probe", bin);
        blocked = TestPrograms.runnableHere(syscallProbe, BLOCKED_ON_EVERY_MACHINE);
    }

    @Test
    void theDefaultProfileAnswersTheDangerousCallsWithEperm() throws Exception {
        Map<String, String> confined = probe(defaultProgram(DOCKER_DEFAULT_CAPS), blocked);

        assertThat(confined).as("errno per call under the default profile").hasSize(blocked.size())
                .allSatisfy((call, errno) -> assertThat(errno).as(call).isEqualTo("EPERM"));
    }

    @Test
    void withoutAFilterTheSameCallsReachTheKernel() throws Exception {
        Map<String, String> unconfined = probe(null, blocked);

        assertThat(unconfined).as("errno per call without a filter (the kernel's own answer)").hasSize(blocked.size())
                .allSatisfy((call, errno) -> assertThat(errno).as(call).isNotEqualTo("EPERM"));
    }

    @Test
    void clone3IsReportedMissingSoThatTheCLibraryFallsBackToTheCheckedClone() throws Exception {
        List<String> calls = List.of("clone3", "clone_fork", "clone_newuser");

        assertThat(probe(defaultProgram(DOCKER_DEFAULT_CAPS), calls))
                .containsExactly(entry("clone3", "ENOSYS"), entry("clone_fork", "OK"), entry("clone_newuser", "EPERM"));
        assertThat(probe(null, calls))
                .containsExactly(entry("clone3", "EINVAL"), entry("clone_fork", "OK"), entry("clone_newuser", "OK"));
    }

    @Test
    void harmlessPersonalitiesAndOrdinaryCallsAreAllowed() throws Exception {
        assertThat(probe(defaultProgram(DOCKER_DEFAULT_CAPS), List.of("getpid", "personality_query", "chroot")))
                .as("chroot is allowed with CAP_SYS_CHROOT, in Docker's default set; the kernel then finds no such directory")
                .containsExactly(entry("getpid", "OK"), entry("personality_query", "OK"), entry("chroot", "ENOENT"));
    }

    @Test
    void aCapabilityOpensExactlyTheCallsItGates() throws Exception {
        Set<String> withPtrace = new HashSet<>(DOCKER_DEFAULT_CAPS);
        withPtrace.add("sys_ptrace");

        assertThat(probe(defaultProgram(withPtrace), List.of("ptrace", "mount")))
                .containsExactly(entry("ptrace", "ESRCH"), entry("mount", "EPERM"));
        assertThat(probe(defaultProgram(Set.of()), List.of("chroot")))
                .as("without CAP_SYS_CHROOT").containsExactly(entry("chroot", "EPERM"));
    }

    @Test
    void ordinaryProgramsWorkUnderTheDefaultProfile() throws Exception {
        ProcessOutcome outcome = ProcessOutcome.run(List.of(installFilter.toString(), defaultProgram(DOCKER_DEFAULT_CAPS).toString(),
                "sh", "-c", "ls / >/dev/null && cat /proc/self/status | grep '^Seccomp:' && dd if=/dev/zero bs=1k count=64 2>/dev/null | wc -c"));

        assertThat(outcome.exitCode()).as("%s", outcome).isZero();
        assertThat(outcome.stdout()).as("%s", outcome).isEqualTo("Seccomp:\t2\n65536\n");
    }

    @Test
    void unshareAndMountFailWithEpermAndSucceedWithoutAFilter() throws Exception {
        String filter = defaultProgram(DOCKER_DEFAULT_CAPS).toString();

        ProcessOutcome unshareConfined = ProcessOutcome.run(List.of(installFilter.toString(), filter, "unshare", "-U", "true"));
        ProcessOutcome unshareUnconfined = ProcessOutcome.run(List.of("unshare", "-U", "true"));
        // Both mounts are tried inside a private mount namespace, so that the unconfined one touches nothing of the host.
        ProcessOutcome mountConfined = ProcessOutcome.run(List.of("unshare", "-m", installFilter.toString(), filter,
                "mount", "-t", "tmpfs", "x", "/mnt"));
        ProcessOutcome mountUnconfined = ProcessOutcome.run(List.of("unshare", "-m", "mount", "-t", "tmpfs", "x", "/mnt"));

        assertThat(unshareConfined.exitCode()).as("%s", unshareConfined).isNotZero();
        assertThat(unshareConfined.stderr()).as("%s", unshareConfined).contains("Operation not permitted");
        assertThat(unshareUnconfined.exitCode()).as("%s", unshareUnconfined).isZero();
        assertThat(mountConfined.exitCode()).as("%s", mountConfined).isNotZero();
        assertThat(mountConfined.stderr()).as("%s", mountConfined).containsIgnoringCase("permission denied");
        assertThat(mountUnconfined.exitCode()).as("%s", mountUnconfined).isZero();
    }

    private static Path defaultProgram(Set<String> capabilities) throws IOException {
        return SeccompCompiler.system().compile(SeccompProfile.defaultProfile(), capabilities).writeTo(bin);
    }

    /** Runs the probes under the filter file, or with no filter when it is null; the errno name per call. */
    private static Map<String, String> probe(Path filter, List<String> calls) throws Exception {
        List<String> command = new ArrayList<>();
        if (filter != null) {
            command.add(installFilter.toString());
            command.add(filter.toString());
        }
        command.add(syscallProbe.toString());
        command.addAll(calls);
        ProcessOutcome outcome = ProcessOutcome.run(command);
        assertThat(outcome.exitCode()).as("%s", outcome).isZero();
        return TestPrograms.probeResults(outcome.stdout());
    }
}
