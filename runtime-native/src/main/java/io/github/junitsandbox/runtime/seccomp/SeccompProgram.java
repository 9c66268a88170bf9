package io.github.junitsandbox.runtime.seccomp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A compiled seccomp filter: a classic BPF program, an array of {@code struct sock_filter} in the
 * machine's byte order, as the launcher's {@code --seccomp FILE} takes it.
 */
public final class SeccompProgram {
    /** sizeof(struct sock_filter): u16 code, u8 jt, u8 jf, u32 k. */
    public static final int INSTRUCTION_SIZE = 8;

    private final byte[] bpf;
    private final List<String> unknownSyscalls;
    private final String sha256;

    SeccompProgram(byte[] bpf, List<String> unknownSyscalls) {
        if (bpf.length == 0 || bpf.length % INSTRUCTION_SIZE != 0) {
            throw new IllegalArgumentException("a BPF program is a non-empty array of " + INSTRUCTION_SIZE
                    + "-byte instructions, got " + bpf.length + " bytes");
        }
        this.bpf = bpf.clone();
        this.unknownSyscalls = List.copyOf(unknownSyscalls);
        this.sha256 = sha256(bpf);
    }

    public byte[] bytes() {
        return bpf.clone();
    }

    public int instructionCount() {
        return bpf.length / INSTRUCTION_SIZE;
    }

    /** The system calls the profile names that this libseccomp does not know, left out as Docker does. */
    public List<String> unknownSyscalls() {
        return unknownSyscalls;
    }

    /** Hex SHA-256 of the program: two equal programs have the same file name. */
    public String sha256() {
        return sha256;
    }

    /**
     * The program as a file in {@code directory}, named by its content
     * ({@code seccomp-<sha256>.bpf}), written once (atomically, so that a launcher reading it
     * concurrently never sees half a program) and reused afterwards while its content is intact.
     */
    public Path writeTo(Path directory) throws IOException {
        Path file = directory.resolve("seccomp-" + sha256 + ".bpf");
        // Compared, not trusted by name: the launcher installs whatever the file holds.
        if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bpf)) {
            return file;
        }
        Path partial = Files.createTempFile(directory, "seccomp-", ".partial");
        try {
            Files.write(partial, bpf);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return file;
    }

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SeccompProgram that && sha256.equals(that.sha256);
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        return "SeccompProgram[" + instructionCount() + " instructions, sha256 " + sha256.substring(0, 12) + "]";
    }
}
