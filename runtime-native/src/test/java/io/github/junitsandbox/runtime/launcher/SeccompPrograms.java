package io.github.junitsandbox.runtime.launcher;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small classic BPF programs in the launcher's --seccomp format: an array of struct sock_filter, native endian. */
public final class SeccompPrograms {

    private static final short LD_W_ABS = 0x20;
    private static final short JEQ_K = 0x15;
    private static final short RET_K = 0x06;
    private static final int RET_ALLOW = 0x7fff0000;
    private static final int RET_ERRNO = 0x00050000;
    private static final int EPERM = 1;
    public static final int ENOSYS = 38;
    public static final int X86_64_CLONE3 = 435;

    private SeccompPrograms() {}

    /** Fails the given x86_64 syscall numbers with EPERM, allows everything else (no arch check: a test filter). */
    static byte[] denyWithEperm(int... syscalls) {
        return failWith(EPERM, syscalls);
    }

    /** Fails the given x86_64 syscall numbers with {@code errno}, allows everything else (no arch check: a test filter). */
    public static byte[] failWith(int errno, int... syscalls) {
        ByteBuffer program = ByteBuffer.allocate(8 * (syscalls.length + 3)).order(ByteOrder.nativeOrder());
        instruction(program, LD_W_ABS, 0, 0, 0); // seccomp_data.nr
        for (int i = 0; i < syscalls.length; i++) {
            int toDeny = syscalls.length - i; // jump over the remaining compares and the allow
            instruction(program, JEQ_K, toDeny, 0, syscalls[i]);
        }
        instruction(program, RET_K, 0, 0, RET_ALLOW);
        instruction(program, RET_K, 0, 0, RET_ERRNO | errno);
        return program.array();
    }

    private static void instruction(ByteBuffer program, short code, int jumpIfTrue, int jumpIfFalse, int k) {
        program.putShort(code).put((byte) jumpIfTrue).put((byte) jumpIfFalse).putInt(k);
    }
}
