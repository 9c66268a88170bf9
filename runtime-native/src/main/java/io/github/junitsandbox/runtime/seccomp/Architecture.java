package io.github.junitsandbox.runtime.seccomp;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The system call ABIs a filter can cover. Profiles name them two ways: {@code SCMP_ARCH_X86_64}
 * in {@code archMap}/{@code architectures}, and by Go's names ({@code amd64}, {@code arm64}) in a
 * rule's {@code includes.arches}/{@code excludes.arches}, as Docker does; libseccomp knows them by
 * its own lower-case names.
 */
public enum Architecture {
    X86("x86", "x86"),
    X86_64("x86_64", "amd64"),
    X32("x32", "x32"),
    ARM("arm", "arm"),
    AARCH64("aarch64", "arm64"),
    LOONGARCH64("loongarch64", "loong64"),
    M68K("m68k", "m68k"),
    MIPS("mips", "mips"),
    MIPS64("mips64", "mips64"),
    MIPS64N32("mips64n32", "mips64n32"),
    MIPSEL("mipsel", "mipsel"),
    MIPSEL64("mipsel64", "mipsel64"),
    MIPSEL64N32("mipsel64n32", "mipsel64n32"),
    PPC("ppc", "ppc"),
    PPC64("ppc64", "ppc64"),
    PPC64LE("ppc64le", "ppc64le"),
    S390("s390", "s390"),
    S390X("s390x", "s390x"),
    PARISC("parisc", "parisc"),
    PARISC64("parisc64", "parisc64"),
    RISCV64("riscv64", "riscv64"),
    SH("sh", "sh"),
    SHEB("sheb", "sheb");

    private final String libseccompName;
    private final String goName;

    Architecture(String libseccompName, String goName) {
        this.libseccompName = libseccompName;
        this.goName = goName;
    }

    /** The name libseccomp's {@code seccomp_arch_resolve_name} takes. */
    public String libseccompName() {
        return libseccompName;
    }

    /** The name in {@code archMap} and {@code architectures}: {@code SCMP_ARCH_X86_64}. */
    public String profileName() {
        return "SCMP_ARCH_" + libseccompName.toUpperCase(Locale.ROOT);
    }

    /** The name in a rule's {@code includes.arches}: {@code amd64}. */
    public String goName() {
        return goName;
    }

    /** @throws IllegalArgumentException naming the accepted names */
    public static Architecture ofProfileName(String name) {
        return find(name, Architecture::profileName);
    }

    /** @throws IllegalArgumentException naming the accepted names */
    public static Architecture ofGoName(String name) {
        return find(name, Architecture::goName);
    }

    private static Architecture find(String name, Function<Architecture, String> naming) {
        return Arrays.stream(values()).filter(a -> naming.apply(a).equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown architecture \"" + name + "\" (accepted: "
                        + Arrays.stream(values()).map(naming).collect(Collectors.joining(", ")) + ")"));
    }
}
