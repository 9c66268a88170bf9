package io.github.junitsandbox.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.SandboxRuntime;
import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The host check as root on this machine (RootlessTest runs it as a plain user); and the AppArmor profile it prints. */
class HostCheckTest {

    @Test
    void asRootEverythingRunsWithTheCgroupEnforcingThePidLimit() {
        assumeTrue(ThisProcess.isRoot(), "as root; RootlessTest runs the check as a plain user");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        boolean verdict = HostCheck.check(SandboxRuntime.builder().build(), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(verdict).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).anySatisfy(l -> assertThat(l).startsWith("info  user: root"))
                .anySatisfy(l -> assertThat(l).startsWith("ok    default container: runs:").contains("1024 (pids.max of the container's cgroup)")
                        .matches(".*devices: (the devices controller of the container's cgroup \\(v1\\)|a device program .*)"))
                .anySatisfy(l -> assertThat(l).startsWith("ok    limits: cgroup v"))
                .contains("ok    throwaway layer: overlayfs")
                .noneSatisfy(l -> assertThat(l).startsWith("no "));
    }

    @Test
    void theAppArmorProfileLetsTheExtractedLauncherCreateUserNamespaces() {
        String profile = HostCheck.apparmorProfile();
        assertThat(profile).contains("profile junit-sandbox @{HOME}/.cache/junit-sandbox/sandbox-init-* flags=(unconfined) {", "  userns,",
                "abi <abi/4.0>,");
    }
}
