package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.os.ThisProcess;
import io.github.junitsandbox.runtime.json.JsonReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Container#ociConfig()} says what a process inside observes: capabilities, no_new_privs,
 * seccomp, masked and read-only mounts, hostname, uid map and rlimits, read from {@code /proc}
 * inside and compared with the document field by field.
 */
class OciConfigTest {

    @BeforeAll
    static void needsRoot() {
        assumeTrue(ThisProcess.isRoot(), "these tests create cgroups under the hierarchy's root: run them as root (CI does)");
    }

    @Test
    void theDefaultContainerIsWhatItsConfigSays() {
        try (Container box = Sandboxes.launch(ContainerSpec.builder().command("/bin/sleep", "300").build())) {
            Map<String, Object> config = parse(box.ociConfig());
            assertObservedMatches(box, config);
            assertThat(list(config, "linux", "maskedPaths")).contains("/proc/kcore", "/proc/keys", "/sys/firmware");
            assertThat(list(config, "process", "capabilities", "effective")).hasSize(14).contains("CAP_CHOWN", "CAP_NET_RAW");
            assertThat(map(config, "linux")).containsKey("seccomp");
        }
    }

    @Test
    void aLoosenedContainerIsWhatItsConfigSays() {
        ContainerSpec spec = ContainerSpec.builder().command("/bin/sleep", "300").hostname("oci-box").capabilities("-ALL", "+SYS_ADMIN", "+KILL")
                .namespaces(Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.MOUNT, Namespace.NET, Namespace.USER)
                .seccomp("unconfined").unmaskedPaths("ALL").rlimit("nofile", 256, 512).build();
        try (Container box = Sandboxes.launch(spec)) {
            Map<String, Object> config = parse(box.ociConfig());
            assertObservedMatches(box, config);
            assertThat(list(config, "process", "capabilities", "bounding")).containsExactly("CAP_KILL", "CAP_SYS_ADMIN");
            assertThat(list(config, "linux", "maskedPaths")).isEmpty();
            assertThat(map(config, "linux")).doesNotContainKey("seccomp").containsKey("uidMappings");
        }
    }

    private static void assertObservedMatches(Container box, Map<String, Object> config) {
        Map<String, String> status = fields(box.exec("cat", "/proc/self/status").stdout(), ":");
        assertThat(capabilityNames(status.get("CapEff"))).as("CapEff inside").containsExactlyElementsOf(list(config, "process", "capabilities", "effective"));
        assertThat(capabilityNames(status.get("CapBnd"))).as("CapBnd inside").containsExactlyElementsOf(list(config, "process", "capabilities", "bounding"));
        assertThat(capabilityNames(status.get("CapAmb"))).as("CapAmb inside").containsExactlyElementsOf(list(config, "process", "capabilities", "ambient"));
        assertThat(status.get("NoNewPrivs")).as("NoNewPrivs inside").isEqualTo(map(config, "process").get("noNewPrivileges").equals(true) ? "1" : "0");
        assertThat(status.get("Seccomp")).as("Seccomp mode inside (2: filter)").isEqualTo(map(config, "linux").containsKey("seccomp") ? "2" : "0");

        assertThat(box.hostname()).isEqualTo(config.get("hostname"));
        assertThat(box.exec("cat", "/proc/self/uid_map").stdout().strip().split("\\s+"))
                .as("uid_map inside").containsExactly(uidMap(config));

        List<String> mountinfo = box.exec("cat", "/proc/self/mountinfo").stdout().lines().toList();
        assertThat(observed(mountinfo, SystemPaths.MASKED, false)).as("masked mounts inside")
                .containsExactlyElementsOf(existing(list(config, "linux", "maskedPaths")));
        assertThat(observed(mountinfo, SystemPaths.READ_ONLY, true)).as("read-only mounts inside")
                .containsExactlyElementsOf(existing(list(config, "linux", "readonlyPaths")));

        String limits = box.exec("sh", "-c", "ulimit -Sn; ulimit -Hn").stdout();
        Map<?, ?> nofile = ((List<?>) map(config, "process").get("rlimits")).stream().map(Map.class::cast)
                .filter(r -> r.get("type").equals("RLIMIT_NOFILE")).findFirst().orElseThrow();
        assertThat(limits.lines().toList()).as("nofile soft and hard inside").containsExactly(nofile.get("soft").toString(), nofile.get("hard").toString());
    }

    /** The mount points among {@code paths} inside (read-only ones only when asked), in the order of {@code paths}. */
    private static List<String> observed(List<String> mountinfo, List<String> paths, boolean readOnly) {
        List<String> found = new ArrayList<>();
        for (String path : paths) {
            boolean mounted = mountinfo.stream().map(line -> line.split(" "))
                    .anyMatch(f -> f[4].equals(path) && (!readOnly || Arrays.asList(f[5].split(",")).contains("ro")));
            if (mounted) {
                found.add(path);
            }
        }
        return found;
    }

    /** The paths this kernel has: the container's /proc and /sys are the same kernel's. */
    private static List<String> existing(List<String> paths) {
        return paths.stream().filter(p -> Files.exists(Path.of(p))).toList();
    }

    private static String[] uidMap(Map<String, Object> config) {
        List<String> mappings = list(config, "linux", "uidMappings");
        if (mappings.isEmpty()) {
            return new String[] {"0", "0", "4294967295"};
        }
        Map<?, ?> first = (Map<?, ?>) ((List<?>) map(config, "linux").get("uidMappings")).get(0);
        return Stream.of("containerID", "hostID", "size").map(k -> first.get(k).toString()).toArray(String[]::new);
    }

    private static List<String> capabilityNames(String hex) {
        long bits = Long.parseUnsignedLong(hex, 16);
        List<String> names = Capabilities.kernelNames();
        List<String> result = new ArrayList<>();
        for (int cap = 0; cap < names.size(); cap++) {
            if ((bits & (1L << cap)) != 0) {
                result.add("CAP_" + names.get(cap).toUpperCase(Locale.ROOT));
            }
        }
        return result;
    }

    private static Map<String, String> fields(String text, String separator) {
        return text.lines().filter(l -> l.contains(separator)).collect(java.util.stream.Collectors.toMap(
                l -> l.substring(0, l.indexOf(separator)), l -> l.substring(l.indexOf(separator) + 1).strip(), (a, b) -> a));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        return (Map<String, Object>) JsonReader.parse(json);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> config, String... path) {
        Map<String, Object> node = config;
        for (String key : path) {
            node = (Map<String, Object>) node.get(key);
        }
        return node;
    }

    private static List<String> list(Map<String, Object> config, String... path) {
        Map<String, Object> parent = map(config, Arrays.copyOf(path, path.length - 1));
        Object value = parent.get(path[path.length - 1]);
        return value == null ? List.of() : ((List<?>) value).stream().map(v -> v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v)).toList();
    }
}
