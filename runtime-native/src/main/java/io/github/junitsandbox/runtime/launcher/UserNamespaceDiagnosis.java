package io.github.junitsandbox.runtime.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Says why the kernel refuses unprivileged user namespaces and how to allow them, from the sysctls
 * that distributions use for it (those absent on this kernel are not mentioned).
 */
final class UserNamespaceDiagnosis {

    private final Path procSys;

    /** @param procSys {@code /proc/sys}, or a copy of the files that matter in tests */
    UserNamespaceDiagnosis(Path procSys) {
        this.procSys = procSys;
    }

    String explain() {
        List<String> causes = new ArrayList<>();
        if ("0".equals(read("kernel/unprivileged_userns_clone"))) {
            causes.add("kernel.unprivileged_userns_clone is 0 (Debian's switch): allow them with "
                    + "`sysctl -w kernel.unprivileged_userns_clone=1`");
        }
        if (appArmorRestrictsUserNamespaces()) {
            causes.add("kernel.apparmor_restrict_unprivileged_userns is 1 (Ubuntu 23.10 and later): allow them with "
                    + "`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or install the AppArmor profile junit-sandbox ships"
                    + " for its launcher (junit.sandbox.cacheDir/sandbox-init-*, with the `userns,` rule), which the host check prints"
                    + " (java -cp junit-sandbox-runtime.jar:jna.jar " + HostCheck.class.getName() + "), as /etc/apparmor.d/junit-sandbox,"
                    + " then `apparmor_parser -r /etc/apparmor.d/junit-sandbox`");
        }
        if ("0".equals(read("user/max_user_namespaces"))) {
            causes.add("user.max_user_namespaces is 0: allow them with `sysctl -w user.max_user_namespaces=15000`");
        }
        String prefix = "the kernel refused an unprivileged user namespace (a JVM that is not root needs one): ";
        if (causes.isEmpty()) {
            return prefix + "no sysctl here forbids it (kernel.unprivileged_userns_clone, kernel.apparmor_restrict_unprivileged_userns, "
                    + "user.max_user_namespaces); inside a container, its seccomp profile may (docker run --security-opt "
                    + "seccomp=unconfined), or run the tests as root";
        }
        return prefix + String.join("; ", causes);
    }

    /** Ubuntu's switch: unprivileged user namespaces only for programs whose AppArmor profile has {@code userns,}. */
    boolean appArmorRestrictsUserNamespaces() {
        return "1".equals(read("kernel/apparmor_restrict_unprivileged_userns"));
    }

    private String read(String name) {
        // As a stream: Files.readString trusts procfs's size of 0 and gets only the first digit of a sysctl.
        try (InputStream in = Files.newInputStream(procSys.resolve(name))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
