package io.github.junitsandbox.runtime;

import java.util.Set;

/**
 * One {@code setrlimit} applied to a container's processes ({@code rlimits}).
 *
 * @param name as the launcher's {@code --rlimit} spells it: {@code nofile}, {@code nproc}...
 * @param soft the soft limit, or {@link #UNLIMITED}
 * @param hard the hard limit, or {@link #UNLIMITED}
 */
public record ResourceLimit(String name, long soft, long hard) {

    /** {@code RLIM_INFINITY}. */
    public static final long UNLIMITED = -1;

    /** The names the launcher knows. */
    public static final Set<String> NAMES = Set.of("nofile", "nproc", "core", "memlock", "stack", "fsize", "cpu", "as");

    public ResourceLimit {
        if (name == null || !NAMES.contains(name)) {
            throw new InvalidSpecException("rlimits", name, "one of " + String.join(", ", NAMES.stream().sorted().toList()));
        }
        if (soft < UNLIMITED || hard < UNLIMITED) {
            throw new InvalidSpecException("rlimits", render(name, soft, hard), "limits of 0 or more, or unlimited (-1)");
        }
        if (hard != UNLIMITED && (soft == UNLIMITED || soft > hard)) {
            throw new InvalidSpecException("rlimits", render(name, soft, hard), "a soft limit no higher than the hard limit");
        }
    }

    /** {@code nofile=1024:1024}, the launcher's {@code --rlimit} argument. */
    public String launcherArgument() {
        return render(name, soft, hard);
    }

    private static String render(String name, long soft, long hard) {
        return name + "=" + value(soft) + ":" + value(hard);
    }

    private static String value(long limit) {
        return limit == UNLIMITED ? "unlimited" : Long.toString(limit);
    }

    @Override
    public String toString() {
        return launcherArgument();
    }
}
