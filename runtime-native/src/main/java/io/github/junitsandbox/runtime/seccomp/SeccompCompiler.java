package io.github.junitsandbox.runtime.seccomp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.os.LibC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles a {@link SeccompProfile} to a BPF program with libseccomp (through JNA), for the
 * capabilities the confined process will hold, the way Docker and runc do: the native architecture
 * plus those the profile maps to it (x86 and x32 on x86_64), rules whose includes/excludes do not
 * hold for the capabilities left out, system calls this libseccomp does not know left out.
 *
 * <p>Programs are cached per (profile, capabilities) for the life of the compiler, so that once a
 * profile has been compiled, a launch costs a map lookup.
 */
public final class SeccompCompiler {

    private static final SeccompCompiler SYSTEM = new SeccompCompiler(LibSeccomp.SONAME);

    private final String libraryName;
    private final Map<CacheKey, SeccompProgram> cache = new ConcurrentHashMap<>();
    private volatile Machine machine;

    private record CacheKey(SeccompProfile profile, Set<String> capabilities) {
    }

    /** The libraries, and the facts about this machine, that every compilation needs; loaded once. */
    private record Machine(LibSeccomp seccomp, Architecture architecture, KernelVersion kernel) {
    }

    SeccompCompiler(String libraryName) {
        this.libraryName = libraryName;
    }

    /** The compiler of this JVM, with libseccomp.so.2 loaded on first use. */
    public static SeccompCompiler system() {
        return SYSTEM;
    }

    /**
     * The program for a policy: none when unconfined, else the profile compiled for the
     * capabilities (in the launcher's {@code sys_admin} or the profile's {@code CAP_SYS_ADMIN} form).
     */
    public Optional<SeccompProgram> compile(SeccompPolicy policy, Set<String> capabilities) {
        if (policy instanceof SeccompPolicy.Confined confined) {
            return Optional.of(compile(confined.profile(), capabilities));
        }
        return Optional.empty();
    }

    /**
     * @throws SandboxException when libseccomp is not installed, or rejects the profile (the message
     *                          names the rule and libseccomp's error)
     */
    public SeccompProgram compile(SeccompProfile profile, Set<String> capabilities) {
        Machine lib = library();
        FilterTarget target = new FilterTarget(capabilities, lib.architecture(), lib.kernel());
        return cache.computeIfAbsent(new CacheKey(profile, target.capabilities()), key -> build(lib, profile, target));
    }

    /** The architecture of this machine as libseccomp sees it. */
    public Architecture nativeArchitecture() {
        return library().architecture();
    }

    private Machine library() {
        Machine lib = machine;
        if (lib == null) {
            synchronized (this) {
                lib = machine;
                if (lib == null) {
                    lib = load();
                    machine = lib;
                }
            }
        }
        return lib;
    }

    private Machine load() {
        LibSeccomp seccomp;
        try {
            seccomp = Native.load(libraryName, LibSeccomp.class);
        } catch (UnsatisfiedLinkError e) {
            throw new SandboxException("seccomp: cannot load " + libraryName + ", which compiles the seccomp filter"
                    + " (install the package libseccomp2 on Debian and Ubuntu, libseccomp on Fedora and Alpine),"
                    + " or run with seccomp = \"unconfined\": " + e.getMessage(), e);
        }
        int nativeToken = seccomp.seccomp_arch_native();
        Architecture architecture = Arrays.stream(Architecture.values())
                .filter(a -> seccomp.seccomp_arch_resolve_name(a.libseccompName()) == nativeToken)
                .findFirst()
                .orElseThrow(() -> new SandboxException("seccomp: libseccomp reports a native architecture (token 0x"
                        + Integer.toHexString(nativeToken) + ") that this runtime does not know"));
        return new Machine(seccomp, architecture, KernelVersion.running());
    }

    private static SeccompProgram build(Machine lib, SeccompProfile profile, FilterTarget target) {
        LibSeccomp seccomp = lib.seccomp();
        Pointer ctx = seccomp.seccomp_init(profile.defaultAction().libseccompValue());
        if (ctx == null) {
            throw new SandboxException("seccomp_init(" + profile.defaultAction() + "): libseccomp refused the default action");
        }
        try {
            // The kernel runs the program over every system call number when it installs it (to cache the actions
            // that do not depend on arguments), at each launch and exec: a search tree makes that, and each
            // uncached call, a few comparisons instead of hundreds.
            check(seccomp.seccomp_attr_set(ctx, LibSeccomp.SCMP_FLTATR_CTL_OPTIMIZE, LibSeccomp.OPTIMIZE_BINARY_TREE),
                    "seccomp_attr_set(SCMP_FLTATR_CTL_OPTIMIZE, binary tree)");
            for (Architecture arch : profile.architecturesFor(target.nativeArchitecture())) {
                addArchitecture(lib, ctx, arch);
            }
            List<String> unknown = new ArrayList<>();
            for (SyscallRule rule : profile.rulesFor(target)) {
                // libseccomp refuses a rule that repeats the default action; it would change nothing.
                if (!rule.action().equals(profile.defaultAction())) {
                    addRule(lib, ctx, rule, unknown);
                }
            }
            return new SeccompProgram(export(lib, ctx), unknown);
        } finally {
            seccomp.seccomp_release(ctx);
        }
    }

    private static void addArchitecture(Machine lib, Pointer ctx, Architecture arch) {
        int token = lib.seccomp().seccomp_arch_resolve_name(arch.libseccompName());
        if (token == 0) {
            throw new SandboxException("seccomp: this libseccomp does not know the architecture " + arch.profileName()
                    + ", which the profile covers on " + lib.architecture().profileName() + " (a newer libseccomp2 is needed)");
        }
        if (lib.seccomp().seccomp_arch_exist(ctx, token) != 0) {
            check(lib.seccomp().seccomp_arch_add(ctx, token), "seccomp_arch_add(" + arch.profileName() + ")");
        }
    }

    private static void addRule(Machine lib, Pointer ctx, SyscallRule rule, List<String> unknown) {
        for (String name : rule.names()) {
            int nr = lib.seccomp().seccomp_syscall_resolve_name(name);
            if (nr == LibSeccomp.NR_SCMP_ERROR) {
                unknown.add(name);
                continue;
            }
            for (List<ArgumentComparison> conditions : rule.conditionSets()) {
                LibSeccomp.ScmpArgCmp[] args = argArray(conditions);
                int rc = lib.seccomp().seccomp_rule_add_array(ctx, rule.action().libseccompValue(), nr, conditions.size(), args);
                check(rc, "seccomp_rule_add_array(" + name + ", " + rule.action() + ", " + conditions + ")");
            }
        }
    }

    /** A contiguous native array of struct scmp_arg_cmp, or null for none (libseccomp ignores it then). */
    private static LibSeccomp.ScmpArgCmp[] argArray(List<ArgumentComparison> conditions) {
        if (conditions.isEmpty()) {
            return null;
        }
        LibSeccomp.ScmpArgCmp[] array = (LibSeccomp.ScmpArgCmp[]) new LibSeccomp.ScmpArgCmp().toArray(conditions.size());
        for (int i = 0; i < conditions.size(); i++) {
            ArgumentComparison c = conditions.get(i);
            array[i].arg = c.index();
            array[i].op = c.op().code();
            array[i].datumA = c.value();
            array[i].datumB = c.valueTwo();
        }
        return array;
    }

    private static byte[] export(Machine lib, Pointer ctx) {
        int fd;
        try {
            fd = LibC.memfd_create("junit-sandbox-seccomp", LibC.MFD_CLOEXEC);
        } catch (LastErrorException e) {
            throw new SandboxException("memfd_create(junit-sandbox-seccomp): " + LibC.describe(e.getErrorCode()), e);
        }
        try {
            check(lib.seccomp().seccomp_export_bpf(ctx, fd), "seccomp_export_bpf");
            // Opening the memfd through /proc reads it from the start, whatever the write offset.
            return Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
        } catch (IOException e) {
            throw new SandboxException("seccomp: cannot read the exported filter back from memfd " + fd + ": " + e.getMessage(), e);
        } finally {
            LibC.close(fd);
        }
    }

    private static void check(int rc, String step) {
        if (rc < 0) {
            throw new SandboxException(step + ": " + LibC.strerror(-rc) + " (libseccomp error " + rc + ")");
        }
    }
}
