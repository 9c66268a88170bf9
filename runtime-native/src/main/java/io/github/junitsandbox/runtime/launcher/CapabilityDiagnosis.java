package io.github.junitsandbox.runtime.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Says why root was refused a setup step when it lacks capabilities that the launcher needs: the case of a JVM run as
 * root inside a container (a CI job's container) that was given only Docker's or podman's default capabilities. The
 * kernel then answers EPERM or EACCES, which alone tells a user nothing about the outer container.
 */
final class CapabilityDiagnosis {

    /** What root needs, without a user namespace of its own, to set up a container and to enter it, by bit number. */
    private static final Map<Integer, String> NEEDED = new LinkedHashMap<>();

    static {
        NEEDED.put(6, "SETGID");       // the subject's gid
        NEEDED.put(7, "SETUID");       // the subject's uid
        NEEDED.put(8, "SETPCAP");      // dropping the bounding set
        NEEDED.put(12, "NET_ADMIN");   // lo up in the new network namespace
        NEEDED.put(18, "SYS_CHROOT");  // exec and probe chroot into the container
        NEEDED.put(19, "SYS_PTRACE");  // exec and probe open /proc/PID/ns/* of a non-dumpable PID 1
        NEEDED.put(21, "SYS_ADMIN");   // namespaces, mounts, the hostname
    }

    private static final Set<String> REFUSALS = Set.of("EPERM", "EACCES");

    private final Path procSelfStatus;

    /** @param procSelfStatus {@code /proc/self/status}, or a copy of one in tests */
    CapabilityDiagnosis(Path procSelfStatus) {
        this.procSelfStatus = procSelfStatus;
    }

    /**
     * The explanation to append to {@code error}, when this JVM is root, the error is a refusal and root lacks
     * capabilities the launcher needs; empty otherwise (the error then says all there is to say).
     */
    Optional<String> explain(LauncherError error) {
        if (!REFUSALS.contains(error.errno())) {
            return Optional.empty();
        }
        Map<String, String> status = status();
        if (!"0".equals(effectiveUid(status.get("Uid")))) {
            return Optional.empty();
        }
        long effective = Long.parseUnsignedLong(status.getOrDefault("CapEff", "0"), 16);
        List<String> missing = NEEDED.entrySet().stream().filter(e -> (effective & (1L << e.getKey())) == 0)
                .map(Map.Entry::getValue).toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String names = missing.stream().map(c -> "CAP_" + c).collect(Collectors.joining(", "));
        String seccomp = "2".equals(status.get("Seccomp"))
                ? "; a seccomp filter is in force too, and if it still refuses, add --security-opt seccomp=unconfined"
                : "";
        return Optional.of("this JVM runs as root but without " + names + ", which creating and entering a container needs:"
                + " it runs inside a container started with fewer capabilities (Docker's and podman's defaults, a CI job's"
                + " container); run that container with --privileged, or add them: "
                + missing.stream().map(c -> "--cap-add " + c).collect(Collectors.joining(" ")) + seccomp);
    }

    private Map<String, String> status() {
        try {
            return Files.readAllLines(procSelfStatus).stream().filter(line -> line.indexOf(':') > 0)
                    .collect(Collectors.toMap(line -> line.substring(0, line.indexOf(':')),
                            line -> line.substring(line.indexOf(':') + 1).strip(), (a, b) -> a));
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** {@code Uid:} lists the real, effective, saved and filesystem uids. */
    private static String effectiveUid(String uids) {
        String[] fields = uids == null ? new String[0] : uids.split("\\s+");
        return fields.length > 1 ? fields[1] : null;
    }
}
