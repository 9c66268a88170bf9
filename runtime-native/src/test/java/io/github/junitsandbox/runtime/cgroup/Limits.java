package io.github.junitsandbox.runtime.cgroup;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Limits for tests, null for "no limit". */
final class Limits {

    private Limits() {
    }

    static CgroupLimits of(Long memory, Long swap, Long pids, Double cpus) {
        return new CgroupLimits(memory == null ? OptionalLong.empty() : OptionalLong.of(memory),
                swap == null ? OptionalLong.empty() : OptionalLong.of(swap),
                pids == null ? OptionalLong.empty() : OptionalLong.of(pids),
                cpus == null ? OptionalDouble.empty() : OptionalDouble.of(cpus));
    }
}
