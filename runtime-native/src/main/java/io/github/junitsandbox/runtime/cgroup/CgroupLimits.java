package io.github.junitsandbox.runtime.cgroup;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The limits a container's cgroup enforces; an empty value means no limit.
 *
 * @param memoryBytes memory.max / memory.limit_in_bytes
 * @param memorySwapBytes memory plus swap (v1 memory.memsw.limit_in_bytes; v2 memory.swap.max gets the difference)
 * @param pids pids.max
 * @param cpus CPU quota in CPUs (cpu.max / cpu.cfs_quota_us over a 100 ms period)
 */
public record CgroupLimits(OptionalLong memoryBytes, OptionalLong memorySwapBytes, OptionalLong pids, OptionalDouble cpus) {

    public static CgroupLimits none() {
        return new CgroupLimits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty());
    }

    public boolean isEmpty() {
        return memoryBytes.isEmpty() && memorySwapBytes.isEmpty() && pids.isEmpty() && cpus.isEmpty();
    }
}
