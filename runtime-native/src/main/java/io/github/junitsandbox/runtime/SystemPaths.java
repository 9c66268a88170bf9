package io.github.junitsandbox.runtime;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The kernel interfaces a container does not get, as Docker hides them: masked paths (covered by
 * {@code /dev/null} or an empty read-only tmpfs) and read-only paths (bound read-only), in its
 * {@code /proc} and {@code /sys}. {@code /sys} as a whole is always read-only (sysfs mounted so).
 * The {@code unmaskedPaths} attribute lists those left as the kernel shows them, or {@code ALL}.
 *
 * @param unmasked the paths given to {@code unmaskedPaths}, every one of them when {@code ALL}
 */
public record SystemPaths(Set<String> unmasked) {

    public static final List<String> MASKED = List.of("/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
            "/sys/devices/virtual/powercap");

    public static final List<String> READ_ONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    public static final SystemPaths DOCKER_DEFAULT = new SystemPaths(Set.of());

    public SystemPaths {
        unmasked = Set.copyOf(unmasked);
    }

    /**
     * @throws InvalidSpecException naming an entry that is neither {@code ALL} nor one of the masked or read-only paths
     */
    public static SystemPaths unmasking(String... paths) {
        Set<String> unmasked = new LinkedHashSet<>();
        for (String path : paths) {
            if ("ALL".equals(path)) {
                Stream.concat(MASKED.stream(), READ_ONLY.stream()).forEach(unmasked::add);
            } else if (MASKED.contains(path) || READ_ONLY.contains(path)) {
                unmasked.add(path);
            } else {
                throw new InvalidSpecException("unmaskedPaths", path, "ALL, or paths among the masked " + MASKED
                        + " and the read-only " + READ_ONLY);
            }
        }
        return new SystemPaths(unmasked);
    }

    public List<String> masked() {
        return MASKED.stream().filter(p -> !unmasked.contains(p)).toList();
    }

    public List<String> readOnly() {
        return READ_ONLY.stream().filter(p -> !unmasked.contains(p)).toList();
    }

    @Override
    public String toString() {
        List<String> given = new ArrayList<>(Stream.concat(MASKED.stream(), READ_ONLY.stream()).filter(unmasked::contains).toList());
        return given.isEmpty() ? "none (Docker's masked and read-only paths)" : String.join(", ", given);
    }
}
