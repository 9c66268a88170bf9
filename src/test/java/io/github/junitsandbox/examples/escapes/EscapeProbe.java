package io.github.junitsandbox.examples.escapes;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ExecResult;
import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The escape attempts of {@code escapes/escape-probe.c}, built once per run with the machine's C
 * compiler (static, so that it runs in any root filesystem) into {@code target/escape-probes}, which
 * {@link WithEscapeProbe} binds at {@code /probes}. Each attempt prints {@code ESCAPED ...} and exits
 * 0 when the technique worked, {@code BLOCKED step: ERRNO} or {@code CONTAINED ...} and exits 1 when not.
 */
final class EscapeProbe {

    /** Relative to the module, as {@code @Bind} resolves it. */
    static final String HOST_DIR = "target/escape-probes";
    static final String IN_BOX = "/probes/escape-probe";
    /** The same program, owned by root with the setuid bit. */
    static final String SETUID_IN_BOX = "/probes/escape-probe-setuid";

    private static boolean built;

    private EscapeProbe() {
    }

    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /** Compiles the probe and lays out the host-side files once per JVM; call it from {@code @BeforeAll}. */
    static synchronized void build() throws IOException, InterruptedException {
        if (built) {
            return;
        }
        Path dir = Files.createDirectories(moduleDir().resolve(HOST_DIR));
        Path source = dir.resolve("escape-probe.c");
        try (InputStream in = EscapeProbe.class.getResourceAsStream("/escapes/escape-probe.c")) {
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path binary = dir.resolve("escape-probe");
        Process cc = new ProcessBuilder("cc", "-std=gnu11", "-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary.toString(),
                source.toString()).redirectErrorStream(true).start();
        String output = new String(cc.getInputStream().readAllBytes());
        if (!cc.waitFor(120, TimeUnit.SECONDS) || cc.exitValue() != 0) {
            throw new IllegalStateException("cc could not build the escape probe: " + output);
        }
        Path setuid = dir.resolve("escape-probe-setuid");
        Files.copy(binary, setuid, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(setuid, PosixFilePermissions.fromString("rwxr-xr-x"));
        // chmod(2) with the setuid bit: java.nio's permission set has no such bit.
        Process chmod = new ProcessBuilder("chmod", "4755", setuid.toString()).start();
        if (chmod.waitFor() != 0) {
            throw new IllegalStateException("chmod 4755 " + setuid + " failed");
        }
        Files.createDirectories(marker().getParent());
        Files.writeString(marker(), "a file on the host that no container may reach\n");
        built = true;
    }

    /** The probe as the host sees it, for sandboxes without a mount namespace (no bind possible there). */
    static String onHost() {
        return moduleDir().resolve(HOST_DIR).resolve("escape-probe").toString();
    }

    /** A host file outside everything a default sandbox binds: reaching it is an escape. */
    static Path marker() {
        return moduleDir().resolve("target/escape-marker/junit-sandbox-escape-marker");
    }

    static ExecResult attempt(Container box, String... technique) {
        return run(box, IN_BOX, technique);
    }

    static ExecResult run(Container box, String program, String... technique) {
        List<String> argv = new ArrayList<>(List.of(program));
        argv.addAll(List.of(technique));
        return box.exec(argv.toArray(new String[0]));
    }

    /**
     * Whether this JVM is root. A plain user's containers run in a user namespace of that user's, whose root the kernel
     * itself denies what only the host's root may do (mknod of devices, ptrace or raw sockets in the host's namespaces,
     * host-wide sysctls): several attacks then stop earlier, with another errno, and their twins cannot show them.
     */
    static final boolean ROOT_JVM = ThisProcess.isRoot();

    /** For a twin that shows an attack in a root JVM's container: skipped in a plain user's, saying what stops it there. */
    static void assumeRootJvm(String whatStopsItRootless) {
        assumeTrue(ROOT_JVM, () -> "the twin shows the attack from a root JVM; in a plain user's container " + whatStopsItRootless);
    }

    static void assertBlocked(ExecResult attempt, String step, String errno) {
        assertThat(attempt).exitedWith(1).stdout().startsWith("BLOCKED " + step + ": " + errno);
    }

    static void assertContained(ExecResult attempt) {
        assertThat(attempt).exitedWith(1).stdout().contains("CONTAINED ");
    }

    static void assertEscaped(ExecResult attempt) {
        assertThat(attempt).exitedWith(0).stdout().contains("ESCAPED ");
    }
}
