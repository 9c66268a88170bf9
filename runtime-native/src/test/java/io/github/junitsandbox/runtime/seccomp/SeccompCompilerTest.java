package io.github.junitsandbox.runtime.seccomp;

import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.seccomp.ClassicBpf.SeccompData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.IntStream;

import static io.github.junitsandbox.runtime.seccomp.ClassicBpf.AUDIT_ARCH_I386;
import static io.github.junitsandbox.runtime.seccomp.ClassicBpf.AUDIT_ARCH_X86_64;
import static io.github.junitsandbox.runtime.seccomp.ClassicBpf.X32_SYSCALL_BIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The default profile compiled by the real libseccomp, read back instruction by instruction and
 * evaluated for system calls of each x86 ABI. Numbers are the kernel's syscall tables
 * (arch/x86/entry/syscalls/syscall_64.tbl and syscall_32.tbl).
 */
class SeccompCompilerTest {
    private static final int ALLOW = 0x7fff0000;
    private static final int ERRNO_EPERM = 0x00050000 | 1;
    private static final int ERRNO_ENOSYS = 0x00050000 | 38;
    private static final int KILL_THREAD = 0x00000000;

    private static final int X64_READ = 0;
    private static final int X64_PTRACE = 101;
    private static final int X64_PERSONALITY = 135;
    private static final int X64_CLONE = 56;
    private static final int X64_MOUNT = 165;
    private static final int X64_KEYCTL = 250;
    private static final int X64_UNSHARE = 272;
    private static final int X64_CLONE3 = 435;
    private static final int I386_READ = 3;
    private static final int I386_MOUNT = 21;
    private static final int I386_KEYCTL = 288;
    private static final int X64_SOCKET = 41;
    private static final int I386_SOCKETCALL = 102;
    private static final int I386_SOCKET = 359;
    private static final long AF_INET = 2;
    private static final long AF_VSOCK = 40;

    private static final long CLONE_NEWUSER = 0x10000000L;
    private static final long SIGCHLD = 17;
    private static final long ADDR_NO_RANDOMIZE = 0x0040000L;

    private static final SeccompCompiler COMPILER = SeccompCompiler.system();

    @BeforeAll
    static void onX86_64() {
        assumeThat(COMPILER.nativeArchitecture()).as("these checks use the x86 syscall tables").isEqualTo(Architecture.X86_64);
    }

    @Test
    void theDefaultProfileCompilesToAWellFormedProgramThatStartsWithTheArchitectureCheck() {
        SeccompProgram program = COMPILER.compile(SeccompProfile.defaultProfile(), Set.of());
        byte[] bytes = program.bytes();
        ClassicBpf bpf = ClassicBpf.decode(bytes);

        assertThat(bytes.length % SeccompProgram.INSTRUCTION_SIZE).as("length %d modulo 8", bytes.length).isZero();
        assertThat(program.instructionCount()).isEqualTo(bytes.length / 8).isBetween(2, ClassicBpf.MAX_INSTRUCTIONS);
        assertThat(bpf.problems()).as("what the kernel's checker would refuse").isEmpty();
        assertThat(bpf.instructions().get(0)).as("first instruction: load seccomp_data.arch")
                .isEqualTo(new ClassicBpf.Instruction(ClassicBpf.LD_W_ABS, 0, 0, 4));
    }

    @Test
    void blocksTheDangerousCallsWithEpermAndAllowsTheOrdinaryOnesOnX86_64() {
        ClassicBpf bpf = ClassicBpf.decode(COMPILER.compile(SeccompProfile.defaultProfile(), Set.of()).bytes());

        assertThat(bpf.run(new SeccompData(X64_READ, AUDIT_ARCH_X86_64))).as("read").isEqualTo(ALLOW);
        assertThat(bpf.run(new SeccompData(X64_KEYCTL, AUDIT_ARCH_X86_64))).as("keyctl").isEqualTo(ERRNO_EPERM);
        assertThat(bpf.run(new SeccompData(X64_MOUNT, AUDIT_ARCH_X86_64))).as("mount").isEqualTo(ERRNO_EPERM);
        assertThat(bpf.run(new SeccompData(X64_UNSHARE, AUDIT_ARCH_X86_64, CLONE_NEWUSER))).as("unshare").isEqualTo(ERRNO_EPERM);
        assertThat(bpf.run(new SeccompData(X64_PTRACE, AUDIT_ARCH_X86_64))).as("ptrace").isEqualTo(ERRNO_EPERM);
        assertThat(bpf.run(new SeccompData(X64_CLONE3, AUDIT_ARCH_X86_64))).as("clone3").isEqualTo(ERRNO_ENOSYS);
    }

    @Test
    void decidesEverySystemCallInAFewDozenInstructions() {
        ClassicBpf bpf = ClassicBpf.decode(COMPILER.compile(SeccompProfile.defaultProfile(), Set.of()).bytes());

        // A binary search over the numbers: the kernel runs the program over all of them at every install (launch, exec).
        // One comparison after another would take hundreds for the high numbers.
        int longest = IntStream.range(0, 460).map(nr -> bpf.trace(new SeccompData(nr, AUDIT_ARCH_X86_64)).instructionsRun()).max().orElseThrow();
        assertThat(longest).as("instructions run for the costliest system call number on x86_64").isBetween(1, 64);
    }

    @Test
    void checksCloneFlagsAndPersonalityValues() {
        ClassicBpf bpf = ClassicBpf.decode(COMPILER.compile(SeccompProfile.defaultProfile(), Set.of()).bytes());

        assertThat(bpf.run(new SeccompData(X64_CLONE, AUDIT_ARCH_X86_64, SIGCHLD))).as("clone(SIGCHLD): fork").isEqualTo(ALLOW);
        assertThat(bpf.run(new SeccompData(X64_CLONE, AUDIT_ARCH_X86_64, CLONE_NEWUSER | SIGCHLD))).as("clone(CLONE_NEWUSER)").isEqualTo(ERRNO_EPERM);
        assertThat(bpf.run(new SeccompData(X64_PERSONALITY, AUDIT_ARCH_X86_64, 0))).as("personality(PER_LINUX)").isEqualTo(ALLOW);
        assertThat(bpf.run(new SeccompData(X64_PERSONALITY, AUDIT_ARCH_X86_64, 0xffffffffL))).as("personality(query)").isEqualTo(ALLOW);
        assertThat(bpf.run(new SeccompData(X64_PERSONALITY, AUDIT_ARCH_X86_64, ADDR_NO_RANDOMIZE))).as("personality(ADDR_NO_RANDOMIZE)").isEqualTo(ERRNO_EPERM);
    }

    @Test
    void coversThe32BitAndX32AbisAndKillsCallsOfAnyOtherArchitecture() {
        ClassicBpf bpf = ClassicBpf.decode(COMPILER.compile(SeccompProfile.defaultProfile(), Set.of()).bytes());

        assertThat(bpf.run(new SeccompData(I386_READ, AUDIT_ARCH_I386))).as("i386 read").isEqualTo(ALLOW);
        assertThat(bpf.run(new SeccompData(I386_KEYCTL, AUDIT_ARCH_I386))).as("i386 keyctl").isEqualTo(ERRNO_EPERM);
        assertThat(bpf.run(new SeccompData(I386_MOUNT, AUDIT_ARCH_I386))).as("i386 mount").isEqualTo(ERRNO_EPERM);
        assertThat(bpf.run(new SeccompData(X64_READ | X32_SYSCALL_BIT, AUDIT_ARCH_X86_64))).as("x32 read").isEqualTo(ALLOW);
        assertThat(bpf.run(new SeccompData(X64_KEYCTL | X32_SYSCALL_BIT, AUDIT_ARCH_X86_64))).as("x32 keyctl").isEqualTo(ERRNO_EPERM);
        int auditArchAarch64 = 0xC00000B7;
        assertThat(bpf.run(new SeccompData(X64_READ, auditArchAarch64))).as("aarch64 read").isEqualTo(KILL_THREAD);
    }

    /**
     * The kernel here runs neither i386 (int 0x80 dies) nor x32 (not built in) system calls, so the filter's answer for
     * them is read from the program. i386's socketcall(2) passes the family in memory, which no filter reads: Docker's gap.
     */
    @Test
    void refusesVsockSocketsOnEachAbiThatPassesTheFamilyInARegister() {
        ClassicBpf bpf = ClassicBpf.decode(COMPILER.compile(SeccompProfile.defaultProfile(), Set.of()).bytes());

        assertThat(bpf.run(new SeccompData(X64_SOCKET, AUDIT_ARCH_X86_64, AF_VSOCK))).as("socket(AF_VSOCK)").isEqualTo(ERRNO_EPERM);
        assertThat(bpf.run(new SeccompData(X64_SOCKET, AUDIT_ARCH_X86_64, AF_INET))).as("socket(AF_INET)").isEqualTo(ALLOW);
        assertThat(bpf.run(new SeccompData(X64_SOCKET | X32_SYSCALL_BIT, AUDIT_ARCH_X86_64, AF_VSOCK))).as("x32 socket(AF_VSOCK)")
                .isEqualTo(ERRNO_EPERM);
        assertThat(bpf.run(new SeccompData(I386_SOCKET, AUDIT_ARCH_I386, AF_VSOCK))).as("i386 socket(AF_VSOCK)").isEqualTo(ERRNO_EPERM);
        assertThat(bpf.run(new SeccompData(I386_SOCKET, AUDIT_ARCH_I386, AF_INET))).as("i386 socket(AF_INET)").isEqualTo(ALLOW);
        assertThat(bpf.run(new SeccompData(I386_SOCKETCALL, AUDIT_ARCH_I386, 1))).as("i386 socketcall(SYS_SOCKET, args in memory)")
                .isEqualTo(ALLOW);
    }

    @Test
    void capabilitiesOpenTheCallsTheyGate() {
        ClassicBpf withPtrace = ClassicBpf.decode(COMPILER.compile(SeccompProfile.defaultProfile(), Set.of("sys_ptrace")).bytes());
        ClassicBpf withSysAdmin = ClassicBpf.decode(COMPILER.compile(SeccompProfile.defaultProfile(), Set.of("CAP_SYS_ADMIN")).bytes());

        assertThat(withPtrace.run(new SeccompData(X64_PTRACE, AUDIT_ARCH_X86_64))).as("ptrace with sys_ptrace").isEqualTo(ALLOW);
        assertThat(withPtrace.run(new SeccompData(X64_MOUNT, AUDIT_ARCH_X86_64))).as("mount with sys_ptrace").isEqualTo(ERRNO_EPERM);
        assertThat(withSysAdmin.run(new SeccompData(X64_MOUNT, AUDIT_ARCH_X86_64))).as("mount with CAP_SYS_ADMIN").isEqualTo(ALLOW);
        assertThat(withSysAdmin.run(new SeccompData(X64_CLONE, AUDIT_ARCH_X86_64, CLONE_NEWUSER))).as("clone(CLONE_NEWUSER) with CAP_SYS_ADMIN").isEqualTo(ALLOW);
        assertThat(withSysAdmin.run(new SeccompData(X64_CLONE3, AUDIT_ARCH_X86_64))).as("clone3 with CAP_SYS_ADMIN").isEqualTo(ALLOW);
    }

    @Test
    void overlappingCapabilityRulesCompileTogether() {
        SeccompProgram program = COMPILER.compile(SeccompProfile.defaultProfile(),
                Set.of("sys_admin", "syslog", "bpf", "perfmon", "sys_ptrace", "sys_time", "sys_module", "sys_boot"));

        assertThat(ClassicBpf.decode(program.bytes()).problems()).isEmpty();
    }

    @Test
    void compilesEachProfileAndCapabilitySetOnceAndAnswersRepeatsFromTheCache() {
        SeccompProgram first = COMPILER.compile(SeccompProfile.defaultProfile(), Set.of("chown", "kill"));
        SeccompProgram again = COMPILER.compile(SeccompProfile.defaultProfile(), Set.of("CAP_KILL", "CAP_CHOWN"));
        SeccompProgram otherCaps = COMPILER.compile(SeccompProfile.defaultProfile(), Set.of("sys_admin"));

        assertThat(again).as("the same capabilities in the other spelling").isSameAs(first);
        assertThat(otherCaps).isNotEqualTo(first);
    }

    @Test
    void unconfinedHasNoProgram() {
        assertThat(COMPILER.compile(SeccompPolicy.unconfined(), Set.of())).isEmpty();
        assertThat(COMPILER.compile(SeccompPolicy.defaultPolicy(), Set.of())).isPresent();
    }

    @Test
    void leavesOutSystemCallsThisLibseccompDoesNotKnowAndSaysWhich() {
        SeccompProfile profile = SeccompProfile.parse("""
                {"defaultAction": "SCMP_ACT_ERRNO",
                 "syscalls": [{"names": ["read", "no_such_syscall_in_any_kernel", "write"], "action": "SCMP_ACT_ALLOW"}]}
                """, "test");

        SeccompProgram program = COMPILER.compile(profile, Set.of());

        assertThat(program.unknownSyscalls()).containsExactly("no_such_syscall_in_any_kernel");
        assertThat(ClassicBpf.decode(program.bytes()).run(new SeccompData(X64_READ, AUDIT_ARCH_X86_64))).isEqualTo(ALLOW);
    }

    @Test
    void aRuleThatRepeatsTheDefaultActionIsLeftOutRatherThanRefused() {
        SeccompProfile profile = SeccompProfile.parse("""
                {"defaultAction": "SCMP_ACT_ERRNO",
                 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"},
                              {"names": ["keyctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
                """, "test");

        ClassicBpf bpf = ClassicBpf.decode(COMPILER.compile(profile, Set.of()).bytes());

        assertThat(bpf.run(new SeccompData(X64_KEYCTL, AUDIT_ARCH_X86_64))).isEqualTo(ERRNO_EPERM);
        assertThat(bpf.run(new SeccompData(X64_READ, AUDIT_ARCH_X86_64))).isEqualTo(ALLOW);
    }

    @Test
    void aMissingLibseccompNamesThePackageToInstall() {
        SeccompCompiler withoutLibrary = new SeccompCompiler("libseccomp-junit-sandbox-absent.so.2");

        assertThatThrownBy(() -> withoutLibrary.compile(SeccompProfile.defaultProfile(), Set.of()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("cannot load libseccomp-junit-sandbox-absent.so.2")
                .hasMessageContaining("install the package libseccomp2");
    }

    @Test
    void writesTheProgramOnceToAFileNamedByItsContent(@TempDir Path dir) throws IOException {
        SeccompProgram program = COMPILER.compile(SeccompProfile.defaultProfile(), Set.of());

        Path file = program.writeTo(dir);
        Path again = program.writeTo(dir);

        assertThat(file).isEqualTo(again).hasFileName("seccomp-" + program.sha256() + ".bpf");
        assertThat(Files.readAllBytes(file)).isEqualTo(program.bytes());
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void rewritesAProgramFileWhoseContentWasChanged(@TempDir Path dir) throws IOException {
        SeccompProgram program = COMPILER.compile(SeccompProfile.defaultProfile(), Set.of());
        Path file = program.writeTo(dir);
        byte[] allowEverything = {0x06, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f};
        Files.write(file, allowEverything);

        assertThat(program.writeTo(dir)).isEqualTo(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(program.bytes());
    }
}
