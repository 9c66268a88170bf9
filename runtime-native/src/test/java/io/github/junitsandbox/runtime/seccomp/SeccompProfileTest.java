package io.github.junitsandbox.runtime.seccomp;

import io.github.junitsandbox.runtime.InvalidSpecException;
import io.github.junitsandbox.runtime.seccomp.ArgumentComparison.Operator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeccompProfileTest {
    private static final KernelVersion KERNEL_6_1 = new KernelVersion(6, 1);
    private static final FilterTarget NO_CAPS_X86_64 = new FilterTarget(Set.of(), Architecture.X86_64, KERNEL_6_1);

    @Test
    void readsADockerFormatProfile() throws IOException {
        SeccompProfile profile = sample();

        assertThat(profile.defaultAction()).isEqualTo(SeccompAction.errno(1));
        assertThat(profile.archMap()).containsOnly(
                Map.entry(Architecture.X86_64, List.of(Architecture.X86, Architecture.X32)),
                Map.entry(Architecture.AARCH64, List.of(Architecture.ARM)),
                Map.entry(Architecture.S390X, List.of()));
        assertThat(profile.syscalls()).hasSize(12);
        assertThat(profile.syscalls().get(0)).isEqualTo(new SyscallRule(List.of("read", "write", "exit_group"),
                SeccompAction.allow(), List.of(), RuleCondition.NONE, RuleCondition.NONE));
        assertThat(profile.syscalls().get(1).names()).as("the deprecated single \"name\"").containsExactly("getpid");
        assertThat(profile.syscalls().get(3).args()).containsExactly(
                new ArgumentComparison(0, 0x7E020000L, 0, Operator.MASKED_EQ),
                new ArgumentComparison(1, -1L, 0, Operator.NE));
        assertThat(profile.syscalls().get(3).excludes()).isEqualTo(
                new RuleCondition(Set.of("CAP_SYS_ADMIN"), Set.of(Architecture.S390, Architecture.S390X), Optional.empty()));
        assertThat(profile.syscalls().get(4).action()).as("errnoRet").isEqualTo(SeccompAction.errno(38));
        assertThat(profile.syscalls().get(8).includes().minKernel()).contains(new KernelVersion(4, 8));
        assertThat(profile.syscalls().get(10).action()).as("TRACE without errnoRet").isEqualTo(new SeccompAction(SeccompAction.Type.TRACE, 1));
        assertThat(profile.syscalls().get(11).action()).as("SCMP_ACT_KILL").isEqualTo(new SeccompAction(SeccompAction.Type.KILL_THREAD, 0));
    }

    @Test
    void coversTheNativeArchitectureAndWhatArchMapAddsForIt() throws IOException {
        SeccompProfile profile = sample();

        assertThat(profile.architecturesFor(Architecture.X86_64)).containsExactly(Architecture.X86_64, Architecture.X86, Architecture.X32);
        assertThat(profile.architecturesFor(Architecture.AARCH64)).containsExactly(Architecture.AARCH64, Architecture.ARM);
        assertThat(profile.architecturesFor(Architecture.RISCV64)).as("not in archMap: native only").containsExactly(Architecture.RISCV64);
    }

    @Test
    void choosesRulesByCapabilitiesArchitectureAndKernelAsDockerDoes() throws IOException {
        SeccompProfile profile = sample();

        assertThat(namesOf(profile.rulesFor(NO_CAPS_X86_64)))
                .containsExactly("read", "write", "exit_group", "getpid", "personality", "clone", "clone3", "arch_prctl", "ptrace", "kill", "reboot");
        assertThat(namesOf(profile.rulesFor(new FilterTarget(Set.of("sys_admin"), Architecture.X86_64, KERNEL_6_1))))
                .as("CAP_SYS_ADMIN: the excluded clone rules go, the included mount rule comes")
                .containsExactly("read", "write", "exit_group", "getpid", "personality", "mount", "umount2", "clone", "clone3", "arch_prctl", "ptrace", "kill", "reboot");
        assertThat(namesOf(profile.rulesFor(new FilterTarget(Set.of(), Architecture.S390X, KERNEL_6_1))))
                .as("s390x: excluded from the clone rule, not included in arch_prctl's")
                .containsExactly("read", "write", "exit_group", "getpid", "personality", "clone3", "ptrace", "kill", "reboot");
        assertThat(namesOf(profile.rulesFor(new FilterTarget(Set.of(), Architecture.AARCH64, new KernelVersion(4, 4)))))
                .as("arm64 on 4.4: set_tls in, ptrace (minKernel 4.8) out")
                .containsExactly("read", "write", "exit_group", "getpid", "personality", "clone", "clone3", "set_tls", "kill", "reboot");
        assertThat(namesOf(profile.rulesFor(new FilterTarget(Set.of("CAP_BPF"), Architecture.X86_64, KERNEL_6_1))))
                .as("includes.caps needs every capability listed").doesNotContain("bpf");
        assertThat(namesOf(profile.rulesFor(new FilterTarget(Set.of("bpf", "perfmon"), Architecture.X86_64, KERNEL_6_1))))
                .contains("bpf");
    }

    @Test
    void severalComparisonsOfOneArgumentBecomeAlternativesAndOfDifferentArgumentsOneRule() throws IOException {
        SeccompProfile profile = sample();

        SyscallRule personality = profile.syscalls().get(2);
        SyscallRule clone = profile.syscalls().get(3);

        assertThat(personality.conditionSets()).containsExactly(
                List.of(new ArgumentComparison(0, 0, 0, Operator.EQ)),
                List.of(new ArgumentComparison(0, 0xffffffffL, 0, Operator.EQ)));
        assertThat(clone.conditionSets()).containsExactly(clone.args());
    }

    @Test
    void theDefaultProfileAllowsNoDangerousCallWithoutItsCapability() {
        List<String> dangerous = List.of("kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
                "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd", "io_uring_setup",
                "io_uring_enter", "io_uring_register", "mount", "umount2", "pivot_root", "unshare", "setns", "ptrace",
                "open_by_handle_at", "name_to_handle_at", "acct", "swapon", "swapoff", "reboot", "settimeofday",
                "clock_settime", "syslog", "quotactl", "lookup_dcookie", "vm86", "vm86old", "fsopen", "fsmount",
                "move_mount", "open_tree", "chroot", "iopl", "ioperm");
        List<SyscallRule> unprivileged = SeccompProfile.defaultProfile().rulesFor(NO_CAPS_X86_64);

        assertThat(SeccompProfile.defaultProfile().defaultAction()).isEqualTo(SeccompAction.errno(1));
        assertThat(unprivileged).filteredOn(rule -> rule.action().equals(SeccompAction.allow()))
                .flatMap(SyscallRule::names)
                .contains("read", "execve", "clone", "openat", "mmap", "socket")
                .doesNotContainAnyElementsOf(dangerous);
    }

    @Test
    void theDefaultProfileCoversX86AndX32OnX86_64Only() {
        SeccompProfile profile = SeccompProfile.defaultProfile();

        assertThat(profile.architecturesFor(Architecture.X86_64)).containsExactly(Architecture.X86_64, Architecture.X86, Architecture.X32);
        assertThat(profile.architecturesFor(Architecture.AARCH64)).containsExactly(Architecture.AARCH64);
    }

    static Stream<Arguments> invalidProfiles() {
        return Stream.of(
                invalid("not an object", "[]", "the document: expected an object, found an array"),
                invalid("no default action", "{}", "defaultAction: the member is missing"),
                invalid("unknown action", "{\"defaultAction\": \"SCMP_ACT_DENY\"}",
                        "defaultAction: unknown action \"SCMP_ACT_DENY\" (accepted: SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_LOG, SCMP_ACT_ALLOW)"),
                invalid("notify", "{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}", "defaultAction: unknown action \"SCMP_ACT_NOTIFY\""),
                invalid("misspelt member", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscals\": []}",
                        "the document: unknown member \"syscals\" (accepted: archMap, architectures, defaultAction, defaultErrnoRet, flags, listenerMetadata, listenerPath, syscalls)"),
                invalid("errno for an action without one", "{\"defaultAction\": \"SCMP_ACT_KILL\", \"defaultErrnoRet\": 1}",
                        "defaultErrnoRet: SCMP_ACT_KILL_THREAD returns no errno (accepted only with SCMP_ACT_ERRNO or SCMP_ACT_TRACE)"),
                invalid("errno out of range", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 70000}",
                        "defaultErrnoRet: 70000 is out of range (accepted: 0..65535)"),
                invalid("errno not an integer", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1.5}",
                        "defaultErrnoRet: 1.5 is not an integer (accepted: 0..65535)"),
                invalid("errno as a string", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": \"1\"}",
                        "defaultErrnoRet: expected an integer, found the string \"1\""),
                invalid("both architecture forms", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86\"], "
                        + "\"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}", "architectures: both architectures and archMap are given (accepted: one of them)"),
                invalid("unknown architecture", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_Z80\"}]}",
                        "archMap[0].architecture: unknown architecture \"SCMP_ARCH_Z80\" (accepted: SCMP_ARCH_X86, SCMP_ARCH_X86_64"),
                invalid("architecture mapped twice", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}, "
                        + "{\"architecture\": \"SCMP_ARCH_X86_64\"}]}", "archMap: architecture SCMP_ARCH_X86_64 is mapped twice"),
                invalid("flags", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"]}", "flags: seccomp flags are not supported"),
                invalid("listener", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"listenerPath\": \"/run/x.sock\"}", "listenerPath: seccomp notification listeners are not supported"),
                invalid("syscalls not an array", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": {}}", "syscalls: expected an array, found an object"),
                invalid("rule without names", rule("{\"action\": \"SCMP_ACT_ALLOW\"}"), "syscalls[1]: a rule names no system call"),
                invalid("name not a string", rule("{\"names\": [\"read\", 3], \"action\": \"SCMP_ACT_ALLOW\"}"), "syscalls[1].names[1]: expected a string, found the number 3"),
                invalid("rule without action", rule("{\"names\": [\"read\"]}"), "syscalls[1].action: the member is missing"),
                invalid("errnoRet on allow", rule("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1}"),
                        "syscalls[1].errnoRet: SCMP_ACT_ALLOW returns no errno"),
                invalid("unknown rule member", rule("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"arg\": []}"),
                        "syscalls[1]: unknown member \"arg\" (accepted: action, args, comment, errnoRet, excludes, includes, name, names)"),
                invalid("argument index out of range", rule(arg("{\"index\": 6, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}")),
                        "syscalls[1].args[0].index: 6 is out of range (accepted: 0..5)"),
                invalid("argument value beyond 64 bits", rule(arg("{\"index\": 0, \"value\": 18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}")),
                        "syscalls[1].args[0].value: 18446744073709551616 is out of range (accepted: 0..18446744073709551615)"),
                invalid("negative argument value", rule(arg("{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}")),
                        "syscalls[1].args[0].value: -1 is out of range"),
                invalid("argument without value", rule(arg("{\"index\": 0, \"op\": \"SCMP_CMP_EQ\"}")), "syscalls[1].args[0].value: the member is missing"),
                invalid("unknown operator", rule(arg("{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_MATCHES\"}")),
                        "syscalls[1].args[0].op: unknown operator \"SCMP_CMP_MATCHES\" (accepted: SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ)"),
                invalid("capability in the wrong form", rule("{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"sys_admin\"]}}"),
                        "syscalls[1].includes.caps[0]: \"sys_admin\" is not a capability name (accepted: CAP_ and upper-case letters, e.g. CAP_SYS_ADMIN)"),
                invalid("rule architecture by its SCMP name", rule("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"SCMP_ARCH_X86_64\"]}}"),
                        "syscalls[1].includes.arches[0]: unknown architecture \"SCMP_ARCH_X86_64\" (accepted: x86, amd64, x32"),
                invalid("minKernel not a version", rule("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"four\"}}"),
                        "syscalls[1].includes.minKernel: \"four\" is not a kernel version (accepted: MAJOR.MINOR, e.g. \"4.8\")"),
                invalid("minKernel in excludes", rule("{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"minKernel\": \"4.8\"}}"),
                        "syscalls[1].excludes: unknown member \"minKernel\" (accepted: arches, caps)"),
                invalid("malformed JSON", "{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [,]}",
                        "line 2, column 16: expected a value (object, array, string, number, true, false or null), found ','"));
    }

    private static String rule(String rule) {
        return "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, " + rule + "]}";
    }

    private static String arg(String arg) {
        return "{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [" + arg + "]}";
    }

    private static Arguments invalid(String what, String json, String message) {
        return Arguments.of(what, json, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidProfiles")
    void rejectsWhatItCannotCarryOutNamingThePlaceAndWhatIsAccepted(String what, String json, String message) {
        assertThatThrownBy(() -> SeccompProfile.parse(json, "my-profile.json"))
                .as(what)
                .isInstanceOf(SeccompProfileException.class)
                .hasMessageStartingWith("seccomp profile my-profile.json: " + message);
    }

    @Test
    void thePolicyAttributeAcceptsDefaultUnconfinedOrAProfileFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("profile.json");
        Files.writeString(file, "{\"defaultAction\": \"SCMP_ACT_LOG\"}");

        assertThat(SeccompPolicy.parse("default")).isEqualTo(new SeccompPolicy.Confined(SeccompProfile.defaultProfile()));
        assertThat(SeccompPolicy.parse("unconfined")).isEqualTo(new SeccompPolicy.Unconfined());
        assertThat(SeccompPolicy.parse(file.toString())).isEqualTo(new SeccompPolicy.Confined(
                new SeccompProfile(new SeccompAction(SeccompAction.Type.LOG, 0), List.of(), Map.of(), List.of())));
        // what names a program compiled from it in the cache shared across JVMs
        assertThat(((SeccompPolicy.Confined) SeccompPolicy.parse(file.toString())).digest())
                .contains(SeccompProgram.sha256(Files.readAllBytes(file)));
        assertThatThrownBy(() -> SeccompPolicy.parse(dir.resolve("absent.json").toString()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("seccomp = \"" + dir.resolve("absent.json") + "\" is not accepted: \"default\", \"unconfined\","
                        + " or the path of a seccomp profile in Docker's JSON format (no such file)");
    }

    private static SeccompProfile sample() throws IOException {
        try (InputStream in = SeccompProfileTest.class.getResourceAsStream("docker-format-sample.json")) {
            return SeccompProfile.parse(in.readAllBytes(), "docker-format-sample.json");
        }
    }

    private static List<String> namesOf(List<SyscallRule> rules) {
        return rules.stream().flatMap(rule -> rule.names().stream()).toList();
    }
}
