package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cgroups a process belongs to, from {@code /proc/PID/cgroup}: one path per v1 controller and the
 * cgroup2 path (the line {@code 0::PATH}).
 */
public final class ProcessCgroups {

    private final Map<String, String> v1PathByController;
    private final String unifiedPath;

    private ProcessCgroups(Map<String, String> v1PathByController, String unifiedPath) {
        this.v1PathByController = Map.copyOf(v1PathByController);
        this.unifiedPath = unifiedPath;
    }

    public static ProcessCgroups ofThisProcess() {
        return parse(Path.of("/proc/self/cgroup"));
    }

    /** @param cgroupFile a file in the format of {@code /proc/PID/cgroup} */
    public static ProcessCgroups parse(Path cgroupFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(cgroupFile);
        } catch (IOException e) {
            throw new SandboxException("read " + cgroupFile + ": " + CgroupFs.reason(e), e);
        }
        Map<String, String> v1 = new HashMap<>();
        String unified = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(":", 3);
            if (fields.length != 3) {
                throw new SandboxException("unexpected line in " + cgroupFile + ": \"" + line
                        + "\" (expected: HIERARCHY-ID:CONTROLLERS:PATH)");
            }
            if (fields[0].equals("0") && fields[1].isEmpty()) {
                unified = fields[2];
            } else {
                for (String controller : fields[1].split(",")) {
                    v1.put(controller, fields[2]);
                }
            }
        }
        return new ProcessCgroups(v1, unified);
    }

    /** The process's cgroup in the v1 hierarchy of {@code controller}, e.g. {@code /user.slice}. */
    public Optional<String> v1Path(String controller) {
        return Optional.ofNullable(v1PathByController.get(controller));
    }

    /** The process's cgroup2 path, e.g. {@code /user.slice/user-1000.slice/session-2.scope}. */
    public Optional<String> unifiedPath() {
        return Optional.ofNullable(unifiedPath);
    }
}
