package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The launcher binary {@code sandbox-init}, packaged in this jar per architecture and extracted
 * once per JVM to {@code <cacheDir>/sandbox-init-<sha256>}. The file is content-addressed, written
 * atomically (a temporary file renamed into place), mode 0555, and its hash is checked against the
 * packaged bytes before it is used: a file that was changed is replaced.
 */
public final class NativeLauncher {

    static final String RESOURCE_ROOT = "/io/github/junitsandbox/runtime/native/";

    private static final Map<Path, Path> EXTRACTED = new ConcurrentHashMap<>();

    private NativeLauncher() {
    }

    /**
     * The path of the verified launcher under {@code cacheDir}, extracting it the first time in this JVM.
     *
     * @throws SandboxException when this jar has no launcher for this OS and architecture, or it cannot be written
     */
    public static Path path(Path cacheDir) {
        return EXTRACTED.computeIfAbsent(cacheDir.toAbsolutePath(), dir -> install(packagedBinary(), dir));
    }

    /** The class-path resource holding the launcher for {@code os.name} and {@code os.arch}. */
    static String resourcePath(String osName, String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new SandboxException("junit-sandbox runs containers on Linux only; this JVM runs on " + osName);
        }
        String arch = switch (osArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> throw new SandboxException("junit-sandbox has no launcher for the architecture " + osArch
                    + " (os.arch); it is built for x86_64 (amd64) and aarch64");
        };
        return RESOURCE_ROOT + "linux-" + arch + "/sandbox-init";
    }

    private static byte[] packagedBinary() {
        String resource = resourcePath(System.getProperty("os.name"), System.getProperty("os.arch"));
        try (InputStream in = NativeLauncher.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new SandboxException("the launcher " + resource + " is not in the junit-sandbox-runtime jar on the class path: "
                        + "this build of junit-sandbox does not include one for " + System.getProperty("os.arch")
                        + " (build it on such a machine: mvn package compiles it with the machine's C compiler)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SandboxException("cannot read the launcher " + resource + " from the class path: " + e.getMessage(), e);
        }
    }

    /** Makes {@code cacheDir/sandbox-init-<sha256>} hold exactly {@code binary}; returns its path. */
    static Path install(byte[] binary, Path cacheDir) {
        String hash = sha256(binary);
        Path target = cacheDir.resolve("sandbox-init-" + hash);
        try {
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && sha256(Files.readAllBytes(target)).equals(hash)) {
                return target;
            }
            Files.createDirectories(cacheDir);
            Path temporary = Files.createTempFile(cacheDir, "sandbox-init-", ".part");
            try {
                Files.write(temporary, binary);
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("r-xr-xr-x"));
                moveIntoPlace(temporary, target);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return target;
        } catch (IOException | UncheckedIOException e) {
            throw new SandboxException("cannot extract the launcher to " + target + ": " + e.getMessage()
                    + " (set junit.sandbox.cacheDir to a writable directory)", e);
        }
    }

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            // rename(2) replaces a tampered file atomically: a concurrent launcher never sees a half-written one
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the cache directory does not support an atomic rename", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
