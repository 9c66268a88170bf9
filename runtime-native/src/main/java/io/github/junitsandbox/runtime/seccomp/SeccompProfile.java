package io.github.junitsandbox.runtime.seccomp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A seccomp policy as data, in the shape of Docker's profile format: the default action, the
 * architectures the filter covers, and the rules. Which rules apply depends on the process it
 * confines ({@link #rulesFor}); {@link SeccompCompiler} turns the result into a BPF program.
 *
 * @param architectures the flat {@code architectures} list of older profiles (all used), or empty
 * @param archMap       {@code archMap}: for a native architecture, the others its processes can also use
 */
public record SeccompProfile(SeccompAction defaultAction, List<Architecture> architectures,
                             Map<Architecture, List<Architecture>> archMap, List<SyscallRule> syscalls) {

    public SeccompProfile {
        architectures = List.copyOf(architectures);
        archMap = Map.copyOf(archMap);
        syscalls = List.copyOf(syscalls);
    }

    /**
     * This project's default profile, equivalent in effect to Docker's: every system call not listed
     * fails with EPERM; the ordinary ones are allowed; those that reach the kernel or other
     * namespaces (module loading, kexec, bpf, keyrings, mount, new namespaces...) only with the
     * capability that makes them legitimate.
     */
    public static SeccompProfile defaultProfile() {
        return SeccompPolicy.defaultPolicy().profile();
    }

    /**
     * Reads a profile in Docker's JSON format.
     *
     * @param source how to name the profile in errors (its path, say)
     * @throws SeccompProfileException naming the place in the document and what is accepted there
     */
    public static SeccompProfile parse(byte[] json, String source) {
        return ProfileParser.parse(json, source);
    }

    public static SeccompProfile parse(String json, String source) {
        return parse(json.getBytes(StandardCharsets.UTF_8), source);
    }

    /** Reads a profile file in Docker's JSON format. */
    public static SeccompProfile read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * The architectures the filter covers on a machine of the given one: the native architecture
     * first, then those {@code archMap} lists for it (or the flat {@code architectures} list).
     */
    public List<Architecture> architecturesFor(Architecture nativeArchitecture) {
        Set<Architecture> result = new LinkedHashSet<>();
        result.add(nativeArchitecture);
        result.addAll(architectures);
        result.addAll(archMap.getOrDefault(nativeArchitecture, List.of()));
        return List.copyOf(result);
    }

    /** The rules whose includes and excludes hold for the target, in profile order. */
    public List<SyscallRule> rulesFor(FilterTarget target) {
        List<SyscallRule> result = new ArrayList<>();
        for (SyscallRule rule : syscalls) {
            if (rule.appliesTo(target)) {
                result.add(rule);
            }
        }
        return result;
    }
}
