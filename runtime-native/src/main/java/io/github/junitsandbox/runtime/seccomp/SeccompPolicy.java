package io.github.junitsandbox.runtime.seccomp;

import io.github.junitsandbox.runtime.InvalidSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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

    /**
     * The process runs under a profile. One read from Docker's JSON is known by the digest of its text, so that a program
     * an earlier JVM compiled from it can be found without parsing it again; the default profile is parsed only when a
     * program has to be compiled or its rules shown.
     */
    final class Confined implements SeccompPolicy {

        private static final String DEFAULT_RESOURCE = "default-profile.json";

        private final Optional<String> digest;
        private final byte[] json;
        private final String source;
        private volatile SeccompProfile profile;

        /** A profile built in code: compiled in each JVM that uses it. */
        public Confined(SeccompProfile profile) {
            this.digest = Optional.empty();
            this.json = null;
            this.source = "(built in code)";
            this.profile = profile;
        }

        private Confined(byte[] json, String source) {
            this.digest = Optional.of(SeccompProgram.sha256(json));
            this.json = json.clone();
            this.source = source;
        }

        /** The profile; parsed on first use where it came as JSON. */
        public SeccompProfile profile() {
            SeccompProfile parsed = profile;
            if (parsed == null) {
                parsed = SeccompProfile.parse(json, source);
                profile = parsed;
            }
            return parsed;
        }

        /** Hex SHA-256 of the JSON text the profile was read from; empty for a profile built in code. */
        public Optional<String> digest() {
            return digest;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Confined that && profile().equals(that.profile());
        }

        @Override
        public int hashCode() {
            return profile().hashCode();
        }

        @Override
        public String toString() {
            return "Confined[" + source + "]";
        }

        private static final class DefaultHolder {
            static final Confined POLICY = new Confined(readDefault(), "(default) " + DEFAULT_RESOURCE);

            private static byte[] readDefault() {
                try (InputStream in = SeccompProfile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                    if (in == null) {
                        throw new IllegalStateException("the default seccomp profile " + DEFAULT_RESOURCE + " is missing from the class path");
                    }
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the default seccomp profile " + DEFAULT_RESOURCE, e);
                }
            }
        }
    }

    /** This project's default profile ({@link SeccompProfile#defaultProfile()}), not parsed until needed. */
    static Confined defaultPolicy() {
        return Confined.DefaultHolder.POLICY;
    }

    static SeccompPolicy unconfined() {
        return new Unconfined();
    }

    /**
     * The policy an attribute value names: {@code default}, {@code unconfined} or a profile file, parsed at once so that
     * a bad file is refused where the spec is built.
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
            Confined confined = new Confined(Files.readAllBytes(file), file.toString());
            confined.profile();
            return confined;
        } catch (IOException e) {
            throw new InvalidSpecException("seccomp", value, ACCEPTED + " (cannot read the file: " + e.getMessage() + ")");
        }
    }
}
