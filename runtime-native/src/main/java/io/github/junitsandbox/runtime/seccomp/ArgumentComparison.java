package io.github.junitsandbox.runtime.seccomp;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A condition on one argument of a system call: {@code args[index] op value}, or for
 * {@link Operator#MASKED_EQ} {@code (args[index] & value) == valueTwo}. Values are unsigned 64-bit
 * quantities held in a {@code long}.
 */
public record ArgumentComparison(int index, long value, long valueTwo, Operator op) {

    /** The comparison operators of libseccomp, by the names profiles use; the code is its enum scmp_compare. */
    public enum Operator {
        NE("SCMP_CMP_NE", 1),
        LT("SCMP_CMP_LT", 2),
        LE("SCMP_CMP_LE", 3),
        EQ("SCMP_CMP_EQ", 4),
        GE("SCMP_CMP_GE", 5),
        GT("SCMP_CMP_GT", 6),
        MASKED_EQ("SCMP_CMP_MASKED_EQ", 7);

        private final String profileName;
        private final int code;

        Operator(String profileName, int code) {
            this.profileName = profileName;
            this.code = code;
        }

        public String profileName() {
            return profileName;
        }

        public int code() {
            return code;
        }

        /** @throws IllegalArgumentException naming the accepted names */
        public static Operator named(String name) {
            return Arrays.stream(values()).filter(o -> o.profileName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown operator \"" + name + "\" (accepted: "
                            + Arrays.stream(values()).map(Operator::profileName).collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** System calls have six arguments. */
    public static final int MAX_INDEX = 5;

    public ArgumentComparison {
        if (index < 0 || index > MAX_INDEX) {
            throw new IllegalArgumentException("argument index must be 0.." + MAX_INDEX + ", got " + index);
        }
    }

    @Override
    public String toString() {
        return "args[" + index + "] " + op.profileName + " " + Long.toUnsignedString(value)
                + (op == Operator.MASKED_EQ ? " " + Long.toUnsignedString(valueTwo) : "");
    }
}
