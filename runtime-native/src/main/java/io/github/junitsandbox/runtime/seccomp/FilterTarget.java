package io.github.junitsandbox.runtime.seccomp;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a profile's conditional rules are decided against: the capabilities the confined process
 * will hold (in {@code CAP_SYS_ADMIN} form), the machine's architecture and the running kernel.
 */
public record FilterTarget(Set<String> capabilities, Architecture nativeArchitecture, KernelVersion kernel) {

    public FilterTarget {
        capabilities = capabilities.stream().map(FilterTarget::canonicalCapability).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * {@code CAP_SYS_ADMIN} from any of the spellings in use: the profile's {@code CAP_SYS_ADMIN},
     * the launcher's {@code sys_admin}.
     */
    static String canonicalCapability(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return upper.startsWith("CAP_") ? upper : "CAP_" + upper;
    }
}
