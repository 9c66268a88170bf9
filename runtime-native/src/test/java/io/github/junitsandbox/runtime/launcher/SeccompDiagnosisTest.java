package io.github.junitsandbox.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seccomp explanation, from faithful copies of {@code /proc/self/status}. */
class SeccompDiagnosisTest {

    /** uid 1000 inside podman on this machine, default options. */
    private static final String PODMAN_USER = """
            Name:\tjava
            Uid:\t1000\t1000\t1000\t1000
            CapEff:\t0000000000000000
            NoNewPrivs:\t0
            Seccomp:\t2
            Seccomp_filters:\t1
            """;

    private static final LauncherError HOSTNAME_REFUSED = new LauncherError("sethostname(sandbox)", "EPERM", "Operation not permitted");

    @TempDir
    Path tmp;

    private Optional<String> explain(String status, LauncherError error) throws IOException {
        return new SeccompDiagnosis(Files.writeString(tmp.resolve("status"), status)).explain(error);
    }

    @Test
    void aRefusalUnderASeccompFilterPointsAtTheOuterProfile() throws IOException {
        assertThat(explain(PODMAN_USER, HOSTNAME_REFUSED)).hasValue("this JVM runs under a seccomp filter (Seccomp: 2 in"
                + " /proc/self/status), as in a container started with Docker's or podman's default profile, which refuses"
                + " sethostname, and namespaces to a process without CAP_SYS_ADMIN, even inside a user namespace of its own; run"
                + " that container with --security-opt seccomp=unconfined");
    }

    @Test
    void withoutAFilterOrWithAnotherErrorThereIsNoGuess() throws IOException {
        assertThat(explain(PODMAN_USER.replace("Seccomp:\t2", "Seccomp:\t0"), HOSTNAME_REFUSED)).isEmpty();
        assertThat(explain(PODMAN_USER, new LauncherError("execve(/bin/nope)", "ENOENT", "No such file or directory"))).isEmpty();
    }
}
