package io.github.junitsandbox.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explanation of a refused setup step, from faithful copies of {@code /proc/self/status}. */
class CapabilityDiagnosisTest {

    /** Root inside podman on this machine, without --privileged: podman's default capabilities and seccomp profile. */
    private static final String PODMAN_DEFAULT = """
            Name:\tjava
            Uid:\t0\t0\t0\t0
            Gid:\t0\t0\t0\t0
            CapInh:\t0000000000000000
            CapPrm:\t00000000a80425fb
            CapEff:\t00000000a80425fb
            CapBnd:\t00000000a80425fb
            CapAmb:\t0000000000000000
            NoNewPrivs:\t0
            Seccomp:\t2
            Seccomp_filters:\t1
            """;

    private static final LauncherError CLONE_REFUSED = new LauncherError("clone(pid,uts,ipc,mnt,net,cgroup)", "EPERM", "Operation not permitted");

    @TempDir
    Path tmp;

    private Optional<String> explain(String status, LauncherError error) throws IOException {
        return new CapabilityDiagnosis(Files.writeString(tmp.resolve("status"), status)).explain(error);
    }

    @Test
    void rootInAContainerWithDefaultCapabilitiesIsToldWhichToAdd() throws IOException {
        assertThat(explain(PODMAN_DEFAULT, CLONE_REFUSED)).hasValue("this JVM runs as root but without CAP_NET_ADMIN, CAP_SYS_PTRACE,"
                + " CAP_SYS_ADMIN, which creating and entering a container needs: it runs inside a container started with fewer"
                + " capabilities (Docker's and podman's defaults, a CI job's container); run that container with --privileged, or add"
                + " them: --cap-add NET_ADMIN --cap-add SYS_PTRACE --cap-add SYS_ADMIN; a seccomp filter is in force too, and if it"
                + " still refuses, add --security-opt seccomp=unconfined");
    }

    @Test
    void enteringAContainerRefusedForLackOfPtraceNamesOnlyWhatIsMissing() throws IOException {
        // podman --cap-add SYS_ADMIN,NET_ADMIN --security-opt seccomp=unconfined: launching works, exec and probe do not
        String status = PODMAN_DEFAULT.replace("00000000a80425fb", "00000000a82435fb").replace("Seccomp:\t2", "Seccomp:\t0");
        LauncherError refused = new LauncherError("open(/proc/111/ns/pid)", "EACCES", "Permission denied");

        assertThat(explain(status, refused)).get().asString()
                .startsWith("this JVM runs as root but without CAP_SYS_PTRACE, which creating and entering a container needs")
                .endsWith("--cap-add SYS_PTRACE");
    }

    @Test
    void rootWithEveryNeededCapabilityGetsNoGuess() throws IOException {
        // this build machine's root: everything but CAP_SYS_RESOURCE
        String status = PODMAN_DEFAULT.replace("00000000a80425fb", "000001fffeffffff");

        assertThat(explain(status, CLONE_REFUSED)).isEmpty();
    }

    @Test
    void aUserOtherThanRootIsLeftToTheUserNamespaceDiagnosis() throws IOException {
        String status = PODMAN_DEFAULT.replace("Uid:\t0\t0\t0\t0", "Uid:\t1000\t1000\t1000\t1000").replace("00000000a80425fb", "0000000000000000");

        assertThat(explain(status, CLONE_REFUSED)).isEmpty();
    }

    @Test
    void failuresOtherThanARefusalAreNotExplainedByCapabilities() throws IOException {
        assertThat(explain(PODMAN_DEFAULT, new LauncherError("execve(/bin/nope)", "ENOENT", "No such file or directory"))).isEmpty();
    }
}
