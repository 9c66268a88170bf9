package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.BindMount;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.Namespace;
import io.github.junitsandbox.runtime.PidLimitMechanism;
import io.github.junitsandbox.runtime.ResourceLimit;
import io.github.junitsandbox.runtime.seccomp.ArgumentComparison;
import io.github.junitsandbox.runtime.seccomp.FilterTarget;
import io.github.junitsandbox.runtime.json.JsonWriter;
import io.github.junitsandbox.runtime.seccomp.KernelVersion;
import io.github.junitsandbox.runtime.seccomp.SeccompCompiler;
import io.github.junitsandbox.runtime.seccomp.SeccompPolicy;
import io.github.junitsandbox.runtime.seccomp.SeccompProfile;
import io.github.junitsandbox.runtime.seccomp.SyscallRule;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A container's effective state as an OCI runtime {@code config.json} (runtime-spec 1.0): what its
 * processes run with once the image's defaults are resolved, in the vocabulary runc and crun use,
 * so that the two can be compared field by field. What this project sets up that OCI has no field
 * for (the rootfs source, the seccomp program file) goes to {@code annotations}.
 */
public final class OciConfig {

    private static final BigInteger RLIM_INFINITY = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private OciConfig() {
    }

    public static String of(ContainerSpec spec, LaunchPlan plan) {
        LaunchPlan.EffectiveProcess effective = plan.effective();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ociVersion", "1.0.2");
        config.put("process", process(spec, effective));
        config.put("root", Map.of("path", "rootfs", "readonly", spec.readOnlyRoot()));
        spec.hostname().ifPresent(name -> config.put("hostname", name));
        if (spec.namespaces().contains(Namespace.MOUNT)) {
            config.put("mounts", mounts(spec));
        }
        config.put("linux", linux(spec, plan));
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put("io.github.junitsandbox.rootfs", spec.rootfs().describe());
        effective.seccompFile().ifPresent(file -> annotations.put("io.github.junitsandbox.seccomp.program", file.toString()));
        config.put("annotations", annotations);
        return JsonWriter.write(config);
    }

    private static Map<String, Object> process(ContainerSpec spec, LaunchPlan.EffectiveProcess effective) {
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", false);
        process.put("user", Map.of("uid", effective.user().uid(), "gid", effective.user().gid()));
        process.put("args", spec.command());
        process.put("env", effective.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        process.put("cwd", effective.workdir());
        List<String> caps = effective.capabilities().stream().map(c -> "CAP_" + c.toUpperCase(Locale.ROOT)).toList();
        Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put("bounding", caps);
        capabilities.put("effective", caps);
        capabilities.put("inheritable", caps);
        capabilities.put("permitted", caps);
        capabilities.put("ambient", List.of());
        process.put("capabilities", capabilities);
        process.put("rlimits", effective.rlimits().stream().map(OciConfig::rlimit).toList());
        process.put("noNewPrivileges", true);
        return process;
    }

    private static Map<String, Object> rlimit(ResourceLimit limit) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", "RLIMIT_" + limit.name().toUpperCase(Locale.ROOT));
        entry.put("hard", limit.hard() == ResourceLimit.UNLIMITED ? RLIM_INFINITY : limit.hard());
        entry.put("soft", limit.soft() == ResourceLimit.UNLIMITED ? RLIM_INFINITY : limit.soft());
        return entry;
    }

    /** The launcher's fixed mounts (docs/launcher-protocol.md), then the binds. */
    private static List<Object> mounts(ContainerSpec spec) {
        List<Object> mounts = new ArrayList<>();
        mounts.add(mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"));
        mounts.add(mount("/dev", "tmpfs", "tmpfs", "nosuid", "noexec", "mode=755"));
        mounts.add(mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
        mounts.add(mount("/dev/shm", "tmpfs", "shm", "nosuid", "nodev", "mode=1777", "size=" + spec.shmSizeBytes()));
        mounts.add(mount("/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777"));
        mounts.add(spec.namespaces().contains(Namespace.NET) ? mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro")
                : mount("/sys", "bind", "/sys", "rbind", "ro"));
        for (BindMount bind : spec.binds()) {
            List<String> options = new ArrayList<>(List.of("rbind"));
            if (bind.readOnly()) {
                options.add("ro");
            }
            if (!bind.keepsDevicesAndSetuid()) {
                options.addAll(List.of("nosuid", "nodev"));
            }
            mounts.add(mount(bind.target(), "bind", bind.source().toString(), options.toArray(String[]::new)));
        }
        return mounts;
    }

    private static Map<String, Object> mount(String destination, String type, String source, String... options) {
        Map<String, Object> mount = new LinkedHashMap<>();
        mount.put("destination", destination);
        mount.put("type", type);
        mount.put("source", source);
        mount.put("options", List.of(options));
        return mount;
    }

    private static Map<String, Object> linux(ContainerSpec spec, LaunchPlan plan) {
        LaunchPlan.EffectiveProcess effective = plan.effective();
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", spec.namespaces().stream().map(ns -> Map.of("type", ociNamespace(ns))).toList());
        plan.idMaps().ifPresent(maps -> {
            linux.put("uidMappings", maps.uid().stream().map(OciConfig::idMapping).toList());
            linux.put("gidMappings", maps.gid().stream().map(OciConfig::idMapping).toList());
        });
        Map<String, Object> resources = new LinkedHashMap<>();
        spec.memoryLimitBytes().ifPresent(bytes -> resources.put("memory", Map.of("limit", bytes,
                "swap", spec.memorySwapLimitBytes().orElse(bytes))));
        if (plan.pidLimit() == PidLimitMechanism.CGROUP) {
            resources.put("pids", Map.of("limit", spec.pidsLimit()));
        }
        linux.put("resources", resources);
        linux.put("maskedPaths", effective.masked());
        linux.put("readonlyPaths", effective.readOnly());
        if (spec.seccomp() instanceof SeccompPolicy.Confined confined) {
            linux.put("seccomp", seccomp(confined.profile(), Set.copyOf(effective.capabilities())));
        }
        return linux;
    }

    /** The rules that apply to processes holding {@code capabilities}, as the compiled program has them. */
    private static Map<String, Object> seccomp(SeccompProfile profile, Set<String> capabilities) {
        FilterTarget target = new FilterTarget(capabilities, SeccompCompiler.system().nativeArchitecture(), KernelVersion.running());
        Map<String, Object> seccomp = new LinkedHashMap<>();
        seccomp.put("defaultAction", profile.defaultAction().type().profileName());
        if (profile.defaultAction().type().takesData()) {
            seccomp.put("defaultErrnoRet", profile.defaultAction().data());
        }
        seccomp.put("architectures", profile.architecturesFor(target.nativeArchitecture()).stream().map(a -> a.profileName()).toList());
        List<Object> syscalls = new ArrayList<>();
        for (SyscallRule rule : profile.rulesFor(target)) {
            for (List<ArgumentComparison> conditions : rule.conditionSets()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("names", rule.names());
                entry.put("action", rule.action().type().profileName());
                if (rule.action().type().takesData()) {
                    entry.put("errnoRet", rule.action().data());
                }
                if (!conditions.isEmpty()) {
                    entry.put("args", conditions.stream().map(OciConfig::argument).toList());
                }
                syscalls.add(entry);
            }
        }
        seccomp.put("syscalls", syscalls);
        return seccomp;
    }

    private static Map<String, Object> argument(ArgumentComparison c) {
        Map<String, Object> arg = new LinkedHashMap<>();
        arg.put("index", c.index());
        arg.put("value", new BigInteger(Long.toUnsignedString(c.value())));
        arg.put("valueTwo", new BigInteger(Long.toUnsignedString(c.valueTwo())));
        arg.put("op", c.op().profileName());
        return arg;
    }

    private static Map<String, Object> idMapping(long[] map) {
        return Map.of("containerID", map[0], "hostID", map[1], "size", map[2]);
    }

    private static String ociNamespace(Namespace namespace) {
        return switch (namespace) {
            case MOUNT -> "mount";
            case NET -> "network";
            default -> namespace.name().toLowerCase(Locale.ROOT);
        };
    }
}
