package io.github.junitsandbox.runtime.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says why a fresh {@code /proc} or {@code /sys} was refused: in a user namespace the kernel mounts procfs and sysfs
 * only where the instance already visible is visible whole ("mount too revealing"), and a container's masked paths
 * ({@code /proc/keys}, {@code /proc/acpi}, {@code /sys/firmware}...: files and directories mounted over) hide parts of
 * it. A JVM that is not root inside a CI job's container meets this.
 */
final class MaskedFilesystemDiagnosis {

    private static final Pattern FRESH_MOUNT = Pattern.compile("mount\\((proc|sysfs), .*\\)");

    private final Path mountinfo;

    /** @param mountinfo {@code /proc/self/mountinfo}, or a copy of one in tests */
    MaskedFilesystemDiagnosis(Path mountinfo) {
        this.mountinfo = mountinfo;
    }

    /** The explanation to append to {@code error} when it is such a refusal and paths are masked; empty otherwise. */
    Optional<String> explain(LauncherError error) {
        Matcher fresh = FRESH_MOUNT.matcher(error.step());
        if (!error.errno().equals("EPERM") || !fresh.matches()) {
            return Optional.empty();
        }
        String top = fresh.group(1).equals("proc") ? "/proc/" : "/sys/";
        List<String> masked = mountPoints().stream()
                .filter(p -> p.startsWith(top) && !p.startsWith("/sys/fs/cgroup")) // cgroup mounts sit on empty directories, which the kernel allows
                .toList();
        if (masked.isEmpty()) {
            return Optional.empty();
        }
        String shown = String.join(", ", masked.subList(0, Math.min(masked.size(), 6))) + (masked.size() > 6 ? ", ..." : "");
        return Optional.of("the kernel mounts a fresh " + top.substring(0, top.length() - 1) + " in a user namespace only where the"
                + " one this JVM sees is visible whole, and here paths are mounted over it (" + shown + "): the masked paths of"
                + " the container this JVM runs in; run that container with --security-opt unmask=ALL (podman),"
                + " --security-opt systempaths=unconfined (Docker) or --privileged");
    }

    private List<String> mountPoints() {
        try {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT ...; masked paths have no spaces to unescape
            return Files.readAllLines(mountinfo).stream().map(line -> line.split(" ")).filter(f -> f.length > 4).map(f -> f[4]).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
