package io.github.junitsandbox.runtime.seccomp;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The part of libseccomp's C API (seccomp.h, libseccomp 2.x) that compiles a filter. Functions
 * return 0 or a negative errno; {@code uint32_t} is mapped to {@code int} (same bits).
 */
interface LibSeccomp extends Library {

    /** The soname on Debian, Ubuntu, Fedora, Alpine: version 2 of the ABI. */
    String SONAME = "libseccomp.so.2";

    /** What {@link #seccomp_syscall_resolve_name} returns for a name it does not know. */
    int NR_SCMP_ERROR = -1;

    Pointer seccomp_init(int defaultAction);

    void seccomp_release(Pointer ctx);

    /** {@code SCMP_FLTATR_CTL_OPTIMIZE} (libseccomp 2.5): how the exported program is laid out. */
    int SCMP_FLTATR_CTL_OPTIMIZE = 8;
    /** Its value for a binary search over the system call numbers instead of one comparison after another. */
    int OPTIMIZE_BINARY_TREE = 2;

    int seccomp_attr_set(Pointer ctx, int attribute, int value);

    int seccomp_arch_native();

    /** 0 for a name this libseccomp does not know. */
    int seccomp_arch_resolve_name(String name);

    /** 0 when the context already covers the architecture, -EEXIST when it does not. */
    int seccomp_arch_exist(Pointer ctx, int archToken);

    int seccomp_arch_add(Pointer ctx, int archToken);

    int seccomp_syscall_resolve_name(String name);

    int seccomp_rule_add_array(Pointer ctx, int action, int syscall, int argCount, ScmpArgCmp[] args);

    int seccomp_export_bpf(Pointer ctx, int fd);

    /** struct scmp_arg_cmp: one argument comparison of a rule. */
    @Structure.FieldOrder({"arg", "op", "datumA", "datumB"})
    final class ScmpArgCmp extends Structure {
        public int arg;
        public int op;
        public long datumA;
        public long datumB;
    }
}
