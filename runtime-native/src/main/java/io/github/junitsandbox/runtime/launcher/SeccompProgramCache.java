package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.seccomp.SeccompProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiled seccomp programs kept across JVMs, each under a name derived from what it was compiled from: the digest of the
 * profile's JSON, the capabilities, the machine's architecture and kernel release (a profile's rules depend on both), and
 * the runtime's version. A fresh JVM whose program is there neither parses the profile nor loads libseccomp.
 * <p>
 * The launcher installs whatever such a file holds, and no digest of the program is known before compiling it, so a
 * file is used only where nobody but this user could have written it: the directory and the file owned by this
 * process's user and writable by nobody else.
 */
final class SeccompProgramCache {

    /** Raised when what a profile compiles to changes while the runtime's version does not (a snapshot in development). */
    static final String FORMAT = "1";

    private final Path directory;

    SeccompProgramCache(Path directory) {
        this.directory = directory;
    }

    /** The name of the program for these inputs. */
    static String key(String profileDigest, Set<String> capabilities) {
        String version = SeccompProgramCache.class.getPackage().getImplementationVersion();
        String inputs = String.join("\n", profileDigest, String.join(",", new TreeSet<>(capabilities)), System.getProperty("os.arch"),
                System.getProperty("os.version"), version == null ? "classes" : version, FORMAT);
        return SeccompProgram.sha256(inputs.getBytes(StandardCharsets.UTF_8));
    }

    /** The program compiled for {@code key} by this or an earlier JVM, where it can be trusted. */
    Optional<Path> find(String key) {
        Path file = file(key);
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && ownedAndPrivate(directory) && ownedAndPrivate(file)
                ? Optional.of(file) : Optional.empty();
    }

    /**
     * Keeps a copy of {@code program} for {@code key}: written beside (mode 0600) and renamed, so that no reader sees half
     * of it. The directory, where it is this user's, is made private first (a umask of 002 leaves it group-writable).
     */
    void remember(String key, Path program) throws IOException {
        if ((Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS) == ownUid()) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
        Path file = file(key);
        Path partial = Files.createTempFile(directory, "partial-", ".bpf");
        try {
            Files.write(partial, Files.readAllBytes(program));
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private Path file(String key) {
        return directory.resolve("input-" + key + ".bpf");
    }

    /** Owned by this process's user (the owner of /proc/self), and neither group- nor world-writable. */
    private static boolean ownedAndPrivate(Path path) {
        try {
            int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return owner == ownUid() && (mode & 022) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** This process's effective uid: the kernel gives /proc/self its owner. */
    private static int ownUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
