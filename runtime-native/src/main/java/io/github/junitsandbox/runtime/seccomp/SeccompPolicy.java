package io.github.junitsandbox.runtime.seccomp;

import io.github.junitsandbox.runtime.InvalidSpecException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code seccomp} setting of a container: the default profile, no filter at all, or a profile
 * file in Docker's JSON format.
 */
public sealed interface SeccompPolicy {

    /** What the {@code seccomp} attribute accepts, for error messages. */
    String ACCEPTED = "\"default\", \"unconfined\", or the path of a seccomp profile in Docker's JSON format";

    /** No filter: every system call reaches the kernel (Docker's {@code seccomp=unconfined}). */
    record Unconfined() implements SeccompPolicy {
    }

    /** The process runs under this profile. */
    record Confined(SeccompProfile profile) implements SeccompPolicy {
    }

    static SeccompPolicy defaultPolicy() {
        return new Confined(SeccompProfile.defaultProfile());
    }

    static SeccompPolicy unconfined() {
        return new Unconfined();
    }

    /**
     * The policy an attribute value names: {@code default}, {@code unconfined} or a profile file.
     *
     * @throws InvalidSpecException when the value is none of these, or the file cannot be read
     * @throws SeccompProfileException when the file is not a valid profile
     */
    static SeccompPolicy parse(String value) {
        if (value.equals("default")) {
            return defaultPolicy();
        }
        if (value.equals("unconfined")) {
            return unconfined();
        }
        Path file = Path.of(value);
        if (!Files.isRegularFile(file)) {
            throw new InvalidSpecException("seccomp", value, ACCEPTED + " (no such file)");
        }
        try {
            return new Confined(SeccompProfile.read(file));
        } catch (IOException e) {
            throw new InvalidSpecException("seccomp", value, ACCEPTED + " (cannot read the file: " + e.getMessage() + ")");
        }
    }
}
