package io.github.junitsandbox.runtime.launcher;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A step the launcher could not carry out: {@code pivot_root(/tmp/x/root)}, {@code EINVAL},
 * {@code Invalid argument}.
 *
 * @param step the call and its argument
 * @param errno the errno's name
 * @param text strerror
 */
record LauncherError(String step, String errno, String text) {

    private static final Pattern USER_NAMESPACE_STEP = Pattern.compile("(clone|unshare|setns)\\(.*user.*\\)|.*/(uid_map|gid_map|setgroups)\\)?");

    private static final Set<String> USER_NAMESPACE_REFUSALS = Set.of("EPERM", "EACCES", "EINVAL", "ENOSPC", "EUSERS");

    /** As {@code SandboxException}s say it: {@code pivot_root(/tmp/x/root): EINVAL (Invalid argument)}. */
    String describe() {
        return step + ": " + errno + " (" + text + ")";
    }

    /** Whether the kernel refused to create or enter a user namespace, or to map ids in one. */
    boolean refusedUserNamespace() {
        return USER_NAMESPACE_REFUSALS.contains(errno) && USER_NAMESPACE_STEP.matcher(step).matches();
    }

    /** Parses the text after {@code sandbox-init: error\t} on an exec's or probe's stderr. */
    static LauncherError parse(String tabSeparated) {
        String[] fields = tabSeparated.split("\t", 3);
        return fields.length == 3 ? new LauncherError(fields[0], fields[1], fields[2]) : new LauncherError(tabSeparated, "?", "?");
    }
}
