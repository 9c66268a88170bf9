package io.github.junitsandbox.runtime.seccomp;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the filter does with a matching system call, as a profile names it ({@code SCMP_ACT_ERRNO}
 * with its {@code errnoRet}, ...). {@code SCMP_ACT_NOTIFY} is not offered: it needs a supervisor
 * listening on a notification fd, which this runtime does not run.
 */
public record SeccompAction(Type type, int data) {

    /** The errno a profile's ERRNO or TRACE action returns when it gives no {@code errnoRet} (as Docker). */
    public static final int EPERM = 1;

    public enum Type {
        KILL_PROCESS("SCMP_ACT_KILL_PROCESS", 0x80000000),
        KILL_THREAD("SCMP_ACT_KILL_THREAD", 0x00000000),
        TRAP("SCMP_ACT_TRAP", 0x00030000),
        ERRNO("SCMP_ACT_ERRNO", 0x00050000),
        TRACE("SCMP_ACT_TRACE", 0x7ff00000),
        LOG("SCMP_ACT_LOG", 0x7ffc0000),
        ALLOW("SCMP_ACT_ALLOW", 0x7fff0000);

        private final String profileName;
        private final int base;

        Type(String profileName, int base) {
            this.profileName = profileName;
            this.base = base;
        }

        public String profileName() {
            return profileName;
        }

        /** Whether the action carries a 16-bit value (the errno for ERRNO, the tracer's message for TRACE). */
        public boolean takesData() {
            return this == ERRNO || this == TRACE;
        }
    }

    public SeccompAction {
        if (!type.takesData() && data != 0) {
            throw new IllegalArgumentException(type.profileName + " takes no value, got " + data);
        }
        if (data < 0 || data > 0xffff) {
            throw new IllegalArgumentException(type.profileName + " value must be 0..65535, got " + data);
        }
    }

    public static SeccompAction allow() {
        return new SeccompAction(Type.ALLOW, 0);
    }

    public static SeccompAction errno(int errno) {
        return new SeccompAction(Type.ERRNO, errno);
    }

    /**
     * The action a profile names; {@code SCMP_ACT_KILL} is the old name of KILL_THREAD.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static Type typeNamed(String name) {
        if (name.equals("SCMP_ACT_KILL")) {
            return Type.KILL_THREAD;
        }
        for (Type type : Type.values()) {
            if (type.profileName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown action \"" + name + "\" (accepted: SCMP_ACT_KILL, "
                + Arrays.stream(Type.values()).map(Type::profileName).collect(Collectors.joining(", ")) + ")");
    }

    /** The action as libseccomp and the kernel encode it (SECCOMP_RET_*). */
    public int libseccompValue() {
        return type.base | data;
    }

    @Override
    public String toString() {
        return type.takesData() ? type.profileName + "(" + data + ")" : type.profileName;
    }
}
