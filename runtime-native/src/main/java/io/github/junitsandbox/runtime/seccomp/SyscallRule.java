package io.github.junitsandbox.runtime.seccomp;

import java.util.List;

/**
 * One entry of a profile's {@code syscalls}: the action for the named system calls, when the
 * argument comparisons hold (all of them, or any one where several compare the same argument, as
 * runc reads Docker's profiles), and when the rule's includes and excludes apply.
 */
public record SyscallRule(List<String> names, SeccompAction action, List<ArgumentComparison> args,
                          RuleCondition includes, RuleCondition excludes) {

    public SyscallRule {
        names = List.copyOf(names);
        args = List.copyOf(args);
    }

    public boolean appliesTo(FilterTarget target) {
        return includes.includes(target) && !excludes.excludes(target);
    }

    /**
     * The argument conditions as libseccomp rules: one rule with all of them (ANDed), unless two
     * compare the same argument, which one libseccomp rule cannot express; then one rule per
     * comparison (ORed), as runc does. Docker's profile relies on this for personality's values.
     */
    public List<List<ArgumentComparison>> conditionSets() {
        long distinctIndexes = args.stream().mapToInt(ArgumentComparison::index).distinct().count();
        if (distinctIndexes == args.size()) {
            return List.of(args);
        }
        return args.stream().map(List::of).toList();
    }
}
