package io.github.junitsandbox.runtime.cgroup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The limits a container's cgroup enforces; an empty value means no limit.
 *
 * @param memoryBytes memory.max / memory.limit_in_bytes
 * @param memorySwapBytes memory plus swap (v1 memory.memsw.limit_in_bytes; v2 memory.swap.max gets the difference);
 *     needs {@code memoryBytes} and is at least that
 * @param pids pids.max
 * @param cpus CPU quota in CPUs (cpu.max / cpu.cfs_quota_us over a 100 ms period)
 * @param devices the devices the container may use (v1 devices controller, v2 device program); empty: not restricted
 */
public record CgroupLimits(OptionalLong memoryBytes, OptionalLong memorySwapBytes, OptionalLong pids, OptionalDouble cpus,
        Optional<DeviceAllowlist> devices) {

    /** The CFS period the CPU quota is expressed over, in microseconds (what Docker and runc use). */
    public static final long CPU_PERIOD_MICROS = 100_000;
    /** The kernel refuses quotas below 1 ms. */
    private static final long MIN_CPU_QUOTA_MICROS = 1_000;

    public CgroupLimits {
        memoryBytes.ifPresent(v -> require(v > 0, "memoryBytes", v, "> 0"));
        memorySwapBytes.ifPresent(v -> {
            require(memoryBytes.isPresent(), "memorySwapBytes", v, "only together with memoryBytes");
            require(v >= memoryBytes.getAsLong(), "memorySwapBytes", v, ">= memoryBytes (" + memoryBytes.getAsLong() + ")");
        });
        pids.ifPresent(v -> require(v > 0, "pids", v, "> 0"));
        cpus.ifPresent(v -> require(v * CPU_PERIOD_MICROS >= MIN_CPU_QUOTA_MICROS && Double.isFinite(v), "cpus", v,
                ">= " + (double) MIN_CPU_QUOTA_MICROS / CPU_PERIOD_MICROS));
    }

    /** Limits that leave devices unrestricted. */
    public CgroupLimits(OptionalLong memoryBytes, OptionalLong memorySwapBytes, OptionalLong pids, OptionalDouble cpus) {
        this(memoryBytes, memorySwapBytes, pids, cpus, Optional.empty());
    }

    public static CgroupLimits none() {
        return new CgroupLimits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty());
    }

    /** These limits less the PID limit, for a container whose PID limit is enforced otherwise. */
    public CgroupLimits withoutPids() {
        return new CgroupLimits(memoryBytes, memorySwapBytes, OptionalLong.empty(), cpus, devices);
    }

    /** These limits, with only {@code allowed} devices usable. */
    public CgroupLimits withDevices(DeviceAllowlist allowed) {
        return new CgroupLimits(memoryBytes, memorySwapBytes, pids, cpus, Optional.of(allowed));
    }

    public boolean isEmpty() {
        return memoryBytes.isEmpty() && memorySwapBytes.isEmpty() && pids.isEmpty() && cpus.isEmpty() && devices.isEmpty();
    }

    /** The CPU quota per {@link #CPU_PERIOD_MICROS}, if a CPU limit is set. */
    public OptionalLong cpuQuotaMicros() {
        return cpus.isPresent() ? OptionalLong.of(Math.round(cpus.getAsDouble() * CPU_PERIOD_MICROS)) : OptionalLong.empty();
    }

    /** The controllers these limits need (the same names in v1 and v2), each with what needs it, for messages. */
    public Map<String, String> controllersNeeded() {
        Map<String, String> controllers = new LinkedHashMap<>();
        if (memoryBytes.isPresent()) {
            controllers.put("memory", "a memory limit");
        }
        if (pids.isPresent()) {
            controllers.put("pids", "a PID limit");
        }
        if (cpus.isPresent()) {
            controllers.put("cpu", "a CPU quota");
        }
        return controllers;
    }

    /** For error messages: {@code memory 33554432 bytes, pids 64}. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        memoryBytes.ifPresent(v -> out.append(", memory ").append(v).append(" bytes"));
        memorySwapBytes.ifPresent(v -> out.append(", memory+swap ").append(v).append(" bytes"));
        pids.ifPresent(v -> out.append(", pids ").append(v));
        cpus.ifPresent(v -> out.append(", cpus ").append(v));
        devices.ifPresent(v -> out.append(", devices ").append(v.describe()));
        return out.length() == 0 ? "no limits" : out.substring(2);
    }

    private static void require(boolean accepted, String component, Object value, String acceptedValues) {
        if (!accepted) {
            throw new IllegalArgumentException("cgroup limit " + component + " = " + value + " is not accepted (accepted: " + acceptedValues + ")");
        }
    }
}
