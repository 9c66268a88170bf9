package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The cgroup mounts of a machine, read from a mountinfo file, and the mode they allow.
 *
 * <p>A cgroup2 mount's controllers come from its {@code cgroup.controllers}; the reader of that file is a
 * parameter so that faithful copies of other machines can be examined.
 */
public final class CgroupMounts {

    /**
     * The v1 controllers (kernel/cgroup/cgroup.c's subsystems); a v1 mount's options mix them with flags such as
     * {@code xattr}, {@code seclabel} (SELinux) or {@code name=systemd}.
     */
    private static final Set<String> V1_CONTROLLERS = Set.of("cpuset", "cpu", "cpuacct", "io", "blkio", "memory", "devices", "freezer",
            "net_cls", "perf_event", "net_prio", "hugetlb", "pids", "rdma", "misc");
    private static final Set<String> USED_CONTROLLERS = Set.of("memory", "pids");

    private final List<CgroupMount> mounts;

    private CgroupMounts(List<CgroupMount> mounts) {
        this.mounts = List.copyOf(mounts);
    }

    /** This process's cgroup mounts. */
    public static CgroupMounts ofThisProcess() {
        return parse(Path.of("/proc/self/mountinfo"), CgroupMounts::readControllersFile);
    }

    /**
     * @param mountinfo a file in the format of {@code /proc/PID/mountinfo}
     * @param cgroup2Controllers the controllers a cgroup2 mount point offers (the content of its
     *     {@code cgroup.controllers}, split on whitespace)
     */
    public static CgroupMounts parse(Path mountinfo, Function<Path, Set<String>> cgroup2Controllers) {
        List<String> lines;
        try {
            lines = Files.readAllLines(mountinfo);
        } catch (IOException e) {
            throw new SandboxException("read " + mountinfo + ": " + CgroupFs.reason(e), e);
        }
        List<CgroupMount> mounts = new ArrayList<>();
        for (String line : lines) {
            parseLine(mountinfo, line, cgroup2Controllers).ifPresent(mounts::add);
        }
        return new CgroupMounts(mounts);
    }

    /** Reads {@code <mountPoint>/cgroup.controllers}; an unreadable file counts as no controllers. */
    public static Set<String> readControllersFile(Path mountPoint) {
        try {
            return words(Files.readString(mountPoint.resolve("cgroup.controllers")));
        } catch (IOException e) {
            return Set.of();
        }
    }

    private static Optional<CgroupMount> parseLine(Path mountinfo, String line, Function<Path, Set<String>> cgroup2Controllers) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
        String[] fields = line.split(" ");
        int separator = Arrays.asList(fields).indexOf("-");
        if (separator < 6 || fields.length < separator + 4) {
            throw new SandboxException("unexpected line in " + mountinfo + ": \"" + line
                    + "\" (expected: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS)");
        }
        String fsType = fields[separator + 1];
        String root = unescape(fields[3]);
        Path mountPoint = Path.of(unescape(fields[4]));
        boolean readOnly = Arrays.asList(fields[5].split(",")).contains("ro");
        if (fsType.equals("cgroup2")) {
            return Optional.of(new CgroupMount(mountPoint, root, 2, cgroup2Controllers.apply(mountPoint), readOnly));
        }
        if (fsType.equals("cgroup")) {
            Set<String> controllers = new HashSet<>();
            for (String option : fields[separator + 3].split(",")) {
                if (V1_CONTROLLERS.contains(option)) {
                    controllers.add(option);
                }
            }
            return Optional.of(new CgroupMount(mountPoint, root, 1, controllers, readOnly));
        }
        return Optional.empty();
    }

    /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static Set<String> words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? Set.of() : Set.of(trimmed.split("\\s+"));
    }

    public List<CgroupMount> all() {
        return mounts;
    }

    /** The cgroup2 mount that offers memory or pids, if any. */
    public Optional<CgroupMount> unified() {
        return mounts.stream()
                .filter(m -> m.version() == 2 && m.controllers().stream().anyMatch(USED_CONTROLLERS::contains))
                .findFirst();
    }

    /** The v1 hierarchy of {@code controller}; of several mounts of it, the one showing the hierarchy's root. */
    public Optional<CgroupMount> v1Hierarchy(String controller) {
        List<CgroupMount> candidates = mounts.stream()
                .filter(m -> m.version() == 1 && m.controllers().contains(controller))
                .toList();
        return candidates.stream().filter(m -> m.root().equals("/")).findFirst()
                .or(() -> candidates.stream().findFirst());
    }

    public CgroupMode mode() {
        if (unified().isPresent()) {
            return CgroupMode.UNIFIED;
        }
        if (USED_CONTROLLERS.stream().anyMatch(c -> v1Hierarchy(c).isPresent())) {
            return CgroupMode.LEGACY;
        }
        return CgroupMode.NONE;
    }

    /** For error messages: every cgroup mount, one per line. */
    public String describe() {
        if (mounts.isEmpty()) {
            return "no cgroup or cgroup2 filesystem is mounted";
        }
        StringBuilder out = new StringBuilder();
        for (CgroupMount m : mounts) {
            out.append(m.version() == 2 ? "cgroup2 " : "cgroup v1 ").append(m.mountPoint())
                    .append(" controllers ").append(m.controllers().isEmpty() ? "(none)" : String.join(",", m.controllers().stream().sorted().toList()))
                    .append('\n');
        }
        return out.toString().strip();
    }
}
