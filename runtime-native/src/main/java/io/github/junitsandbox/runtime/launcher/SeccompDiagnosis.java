package io.github.junitsandbox.runtime.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Says that a refused step may be the outer container's seccomp profile: Docker's and podman's default profiles refuse
 * sethostname, and clone/unshare with namespace flags where the process lacks CAP_SYS_ADMIN outside, even to the root of
 * a user namespace of its own. The kernel answers EPERM, as for a missing capability; the filter shows only as
 * {@code Seccomp: 2} in {@code /proc/self/status}.
 */
final class SeccompDiagnosis {

    private final Path procSelfStatus;

    /** @param procSelfStatus {@code /proc/self/status}, or a copy of one in tests */
    SeccompDiagnosis(Path procSelfStatus) {
        this.procSelfStatus = procSelfStatus;
    }

    /** The explanation to append to {@code error} when it is EPERM and this JVM runs under a seccomp filter. */
    Optional<String> explain(LauncherError error) {
        if (!error.errno().equals("EPERM") || !filtered()) {
            return Optional.empty();
        }
        return Optional.of("this JVM runs under a seccomp filter (Seccomp: 2 in /proc/self/status), as in a container started with"
                + " Docker's or podman's default profile, which refuses sethostname, and namespaces to a process without"
                + " CAP_SYS_ADMIN, even inside a user namespace of its own; run that container with --security-opt seccomp=unconfined");
    }

    private boolean filtered() {
        try {
            return Files.readAllLines(procSelfStatus).stream().anyMatch(line -> line.matches("Seccomp:\\s*2"));
        } catch (IOException e) {
            return false;
        }
    }
}
