package io.github.junitsandbox.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.junitsandbox.runtime.KillPermission;
import io.github.junitsandbox.runtime.ProcessEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's lines as docs/launcher-protocol.md writes them, and what the runtime makes of them. */
class ControlChannelParsingTest {

    @Test
    void readsTheThreeEvents() {
        assertThat(ControlEvent.parse("ready\t4242\t4243")).isEqualTo(new ControlEvent.Ready(4242, 4243));
        assertThat(ControlEvent.parse("exit\t137")).isEqualTo(new ControlEvent.Exited(137));
        assertThat(ControlEvent.parse("error\tpivot_root(/tmp/x/root)\tEINVAL\tInvalid argument"))
                .isEqualTo(new ControlEvent.Failed(new LauncherError("pivot_root(/tmp/x/root)", "EINVAL", "Invalid argument")));
    }

    @Test
    void refusesLinesTheProtocolDoesNotHave() {
        for (String line : new String[] {"ready\t12", "hello", "exit\tlots", ""}) {
            assertThatThrownBy(() -> ControlEvent.parse(line)).isInstanceOf(SandboxProtocolException.class)
                    .hasMessage("sandbox-init wrote a line that docs/launcher-protocol.md does not have: \"" + line.replace("\t", "\\t")
                            + "\" (is the launcher from the same junit-sandbox-runtime jar?)");
        }
    }

    @Test
    void describesAFailedStepAsStepErrnoAndText() {
        assertThat(LauncherError.parse("execve(/bin/nope)\tENOENT\tNo such file or directory").describe())
                .isEqualTo("execve(/bin/nope): ENOENT (No such file or directory)");
    }

    @Test
    void recognisesARefusedUserNamespace() {
        assertThat(new LauncherError("clone(user,pid,mnt)", "EPERM", "Operation not permitted").refusedUserNamespace()).isTrue();
        assertThat(new LauncherError("clone(user,pid)", "ENOSPC", "No space left on device").refusedUserNamespace()).isTrue();
        assertThat(new LauncherError("write(/proc/77/uid_map)", "EPERM", "Operation not permitted").refusedUserNamespace()).isTrue();
        assertThat(new LauncherError("clone(pid,mnt)", "EPERM", "Operation not permitted").refusedUserNamespace()).isFalse();
        assertThat(new LauncherError("pivot_root(/x)", "EINVAL", "Invalid argument").refusedUserNamespace()).isFalse();
    }

    @Test
    void readsTheProcessTableSortedWithKernelThreadsInBrackets() {
        String output = "2\t0\tS\tsleep\tsleep 60 \n1\t0\tS\tsandbox-init\tsandbox-init run --unshare pid\n3\t1000\tZ\tworker\t\n";
        assertThat(ProbeOutput.processes(output)).containsExactly(
                new ProcessEntry(1, 0, "S", "sandbox-init run --unshare pid"),
                new ProcessEntry(2, 0, "S", "sleep 60"),
                new ProcessEntry(3, 1000, "Z", "[worker]"));
        assertThat(ProbeOutput.processes("")).isEmpty();
    }

    @Test
    void readsKillAnswers() {
        assertThat(ProbeOutput.killPermission("ALLOWED\n")).isEqualTo(KillPermission.ALLOWED);
        assertThat(ProbeOutput.killPermission("ESRCH\n")).isEqualTo(KillPermission.NOT_VISIBLE);
        assertThat(ProbeOutput.killPermission("EPERM\n")).isEqualTo(KillPermission.DENIED);
        assertThatThrownBy(() -> ProbeOutput.killPermission("EINVAL\n")).isInstanceOf(SandboxProtocolException.class);
    }

    @Test
    void explainsWhichSysctlForbidsUserNamespaces(@TempDir Path procSys) throws IOException {
        Files.createDirectories(procSys.resolve("kernel"));
        Files.createDirectories(procSys.resolve("user"));
        Files.writeString(procSys.resolve("kernel/apparmor_restrict_unprivileged_userns"), "1\n");
        Files.writeString(procSys.resolve("user/max_user_namespaces"), "63000\n");

        assertThat(new UserNamespaceDiagnosis(procSys).explain()).isEqualTo("the kernel refused an unprivileged user namespace "
                + "(a JVM that is not root needs one): kernel.apparmor_restrict_unprivileged_userns is 1 (Ubuntu 23.10 and later): "
                + "allow them with `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or install the AppArmor profile "
                + "junit-sandbox ships for its launcher (junit.sandbox.cacheDir/sandbox-init-*, with the `userns,` rule), which the "
                + "host check prints (java -cp junit-sandbox-runtime.jar:jna.jar io.github.junitsandbox.runtime.launcher.HostCheck), "
                + "as /etc/apparmor.d/junit-sandbox, then `apparmor_parser -r /etc/apparmor.d/junit-sandbox`");

        Files.writeString(procSys.resolve("kernel/apparmor_restrict_unprivileged_userns"), "0\n");
        Files.writeString(procSys.resolve("kernel/unprivileged_userns_clone"), "0\n");
        assertThat(new UserNamespaceDiagnosis(procSys).explain()).endsWith("kernel.unprivileged_userns_clone is 0 (Debian's switch): "
                + "allow them with `sysctl -w kernel.unprivileged_userns_clone=1`");
    }

    @Test
    void saysSoWhenNoSysctlForbidsThem(@TempDir Path procSys) {
        assertThat(new UserNamespaceDiagnosis(procSys).explain()).contains("no sysctl here forbids it", "seccomp", "run the tests as root");
    }
}
