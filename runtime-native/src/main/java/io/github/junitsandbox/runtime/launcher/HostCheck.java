package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.ContainerUser;
import io.github.junitsandbox.runtime.PidLimitMechanism;
import io.github.junitsandbox.runtime.RootLayer;
import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.SandboxRuntime;
import io.github.junitsandbox.runtime.os.ThisProcess;
import io.github.junitsandbox.runtime.os.SubordinateIds;
import io.github.junitsandbox.runtime.seccomp.KernelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What this host gives this user, checked by doing it: a default container, another uid inside, limits, a throwaway
 * layer on a directory rootfs. Each line says {@code ok}, {@code no} or {@code info}, what was found, and for
 * {@code no} the fix, in the same words as the failure of a test that hits it. The exit status is 1 when a container
 * with the defaults cannot run here, else 0.
 *
 * <p>{@code java -cp junit-sandbox-runtime-VERSION.jar:jna-VERSION.jar io.github.junitsandbox.runtime.launcher.HostCheck},
 * or in this repository {@code mvn -q -pl runtime-native exec:java@doctor}.
 */
public final class HostCheck {

    /** The AppArmor profile that lets the launcher create user namespaces where Ubuntu restricts them. */
    static final String APPARMOR_PROFILE = "/io/github/junitsandbox/runtime/apparmor/junit-sandbox";

    private final SandboxRuntime runtime;
    private final PrintStream out;
    private final List<String> lines = new ArrayList<>();

    private HostCheck(SandboxRuntime runtime, PrintStream out) {
        this.runtime = runtime;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(check(SandboxRuntime.builder().build(), System.out) ? 0 : 1);
    }

    /** Checks this host with {@code runtime}'s configuration and prints the findings; true when a container with the defaults runs. */
    public static boolean check(SandboxRuntime runtime, PrintStream out) {
        return new HostCheck(runtime, out).run();
    }

    private boolean run() {
        boolean root = ThisProcess.isRoot();
        KernelVersion kernel = KernelVersion.running();
        info("user", System.getProperty("user.name") + " (uid " + ThisProcess.euid() + (root ? ", root: no user namespace needed" : ", not root: "
                + "every container gets a user namespace") + ")");
        info("kernel", kernel + (kernel.compareTo(PidLimitMechanism.PER_NAMESPACE_NPROC) >= 0 ? ": counts RLIMIT_NPROC per user namespace"
                : ": counts RLIMIT_NPROC per user, so without a delegated cgroup the default PID limit cannot be enforced"));
        boolean defaults = defaultContainer(root);
        if (!root) {
            otherUids();
        }
        Optional<String> cgroups = runtime.cgroupsUnavailableReason();
        if (cgroups.isPresent()) {
            report(false, "limits", "memory, pids and cpus written in a spec fail here: " + cgroups.get());
        } else {
            report(true, "limits", runtime.describeCgroups());
        }
        layer();
        lines.forEach(out::println);
        return defaults;
    }

    private boolean defaultContainer(boolean root) {
        try (Container c = runtime.launch(ContainerSpec.builder().command("/bin/sleep", "60").build())) {
            String seccomp = c.exec("sh", "-c", "grep ^Seccomp: /proc/self/status").stdout().replaceAll("\\s+", " ").strip();
            report(true, "default container", "runs: namespaces " + c.spec().namespaces() + ", PID limit " + c.pidLimit().describe(c.spec().pidsLimit())
                    + ", " + seccomp + " (2: a filter, the default profile), devices: " + c.deviceGuard().describe());
            return true;
        } catch (SandboxException e) {
            report(false, "default container", e.getMessage());
            if (!root && new UserNamespaceDiagnosis(Path.of("/proc/sys")).appArmorRestrictsUserNamespaces()) {
                lines.add("  the AppArmor profile to install (/etc/apparmor.d/junit-sandbox, then apparmor_parser -r /etc/apparmor.d/junit-sandbox):");
                apparmorProfile().lines().forEach(l -> lines.add("    " + l));
            }
            return false;
        }
    }

    private void otherUids() {
        try {
            UserNamespaceMaps maps = UserNamespaceMaps.of(new ContainerUser(1000, 1000), "user = \"1000:1000\"");
            report(true, "other uids inside", "user = \"UID[:GID]\" maps onto " + SubordinateIds.SUBUID + " and " + SubordinateIds.SUBGID + ": uid 1.. -> "
                    + maps.uid().get(1)[1] + ".. (" + maps.uid().get(1)[2] + " ids), written by " + maps.helpers().orElseThrow());
        } catch (SandboxException e) {
            report(false, "other uids inside", e.getMessage());
        }
    }

    private void layer() {
        Path rootfs = null;
        try {
            rootfs = Files.createTempDirectory(runtime.stateDir(), "host-check-rootfs-");
            for (String dir : List.of("usr", "proc", "dev", "tmp", "sys")) {
                Files.createDirectory(rootfs.resolve(dir));
            }
            try (Container c = runtime.launch(ContainerSpec.builder().rootfs("dir:" + rootfs).bind("/usr", "/usr", true).pidsLimit(0).build())) {
                report(c.layer() == RootLayer.OVERLAY, "throwaway layer", c.layer() == RootLayer.OVERLAY
                        ? "overlayfs" : "a copy per container (the kernel refuses overlayfs to this user: Linux 5.11+ allows it rootless)");
            }
        } catch (IOException | SandboxException e) {
            report(false, "throwaway layer", e.getMessage());
        } finally {
            delete(rootfs);
        }
    }

    private void report(boolean ok, String what, String detail) {
        lines.add((ok ? "ok    " : "no    ") + what + ": " + detail);
    }

    private void info(String what, String detail) {
        lines.add("info  " + what + ": " + detail);
    }

    static String apparmorProfile() {
        try (InputStream in = HostCheck.class.getResourceAsStream(APPARMOR_PROFILE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
