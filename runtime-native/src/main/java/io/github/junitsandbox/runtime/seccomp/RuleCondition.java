package io.github.junitsandbox.runtime.seccomp;

import java.util.Optional;
import java.util.Set;

/**
 * A rule's {@code includes} or {@code excludes}: the capabilities ({@code CAP_SYS_ADMIN} form), the
 * architectures and, for includes only, the oldest kernel on which it holds. An empty condition
 * says nothing.
 */
public record RuleCondition(Set<String> caps, Set<Architecture> arches, Optional<KernelVersion> minKernel) {

    public static final RuleCondition NONE = new RuleCondition(Set.of(), Set.of(), Optional.empty());

    public RuleCondition {
        caps = Set.copyOf(caps);
        arches = Set.copyOf(arches);
    }

    /** As an {@code includes}: every capability held, the native architecture listed, the kernel new enough. */
    boolean includes(FilterTarget target) {
        return target.capabilities().containsAll(caps)
                && (arches.isEmpty() || arches.contains(target.nativeArchitecture()))
                && minKernel.map(min -> target.kernel().compareTo(min) >= 0).orElse(true);
    }

    /** As an {@code excludes}: any capability held, or the native architecture listed. */
    boolean excludes(FilterTarget target) {
        return caps.stream().anyMatch(target.capabilities()::contains)
                || arches.contains(target.nativeArchitecture());
    }
}
