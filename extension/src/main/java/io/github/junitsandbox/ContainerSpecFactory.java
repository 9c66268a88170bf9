package io.github.junitsandbox;

import io.github.junitsandbox.MergedSandbox.RootfsChoice;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.InvalidSpecException;
import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.rootfs.RootfsProvider;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Turns merged {@link Sandbox} attributes into a validated {@link ContainerSpec}. A value the runtime
 * rejects becomes an {@link ExtensionConfigurationException} that names the attribute, the value,
 * the annotation that declared it and what is accepted.
 */
final class ContainerSpecFactory {

    /** The rootfs schemes whose argument is a host path, resolved against the project directory when relative. */
    private static final Set<String> PATH_SCHEMES = Set.of("dir", "tar", "oci", "docker-archive");

    /** The attributes that are not strings: their values are shown without quotes. */
    private static final Set<String> UNQUOTED_ATTRIBUTES = Set.of("pids", "readOnlyRoot", "namespaces", "lifecycle");

    private final SandboxConfiguration configuration;
    private final Path projectDir;

    ContainerSpecFactory(SandboxConfiguration configuration, Path projectDir) {
        this.configuration = configuration;
        this.projectDir = projectDir;
    }

    /** The directory relative paths are resolved against: Maven's {@code basedir}, else the working directory. */
    static Path projectDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /**
     * A spec and where each of its attributes was declared, so that a value the runtime rejects only
     * at launch can still be traced to its annotation.
     */
    record DeclaredSpec(ContainerSpec spec, Map<String, String> origins) {

        ExtensionConfigurationException rejected(InvalidSpecException e) {
            return ContainerSpecFactory.rejected(e, origins.getOrDefault(e.attribute(), "the defaults"));
        }

        /**
         * The runtime's launch failure, pointed at the {@code command} attribute when it is about the
         * subject's program (a path that does not exist in the rootfs, say), which the runtime can only
         * find out by trying.
         */
        SandboxException explained(SandboxException e) {
            List<String> command = spec.command();
            if (command.isEmpty() || !origins.containsKey("command") || !String.valueOf(e.getMessage()).contains(command.get(0))) {
                return e;
            }
            return new SandboxException(e.getMessage() + "; @Sandbox command = " + command + " (declared on "
                    + origins.get("command") + ")", e);
        }
    }

    /** @throws ExtensionConfigurationException when a declared value is not accepted */
    DeclaredSpec create(MergedSandbox merged) {
        ContainerSpec.Builder builder = ContainerSpec.builder();
        Map<String, String> origins = new HashMap<>();
        try {
            applyRootfs(merged, builder, origins);
            apply(merged.namespaces(), "namespaces", origins, v -> builder.namespaces(v.value()));
            apply(merged.hostname(), "hostname", origins, v -> builder.hostname(v.value()));
            apply(merged.shmSize(), "shmSize", origins, v -> builder.shmSize(v.value()));
            apply(merged.devices(), "devices", origins, v -> builder.devices(v.value()));
            apply(merged.memory(), "memory", origins, v -> builder.memoryLimit(v.value()));
            apply(merged.pids(), "pids", origins, v -> builder.pidsLimit(v.value()));
            apply(merged.command(), "command", origins, v -> builder.command(v.value()));
            apply(merged.env(), "env", origins, v -> builder.env(v.value()));
            apply(merged.workdir(), "workdir", origins, v -> builder.workdir(v.value()));
            apply(merged.user(), "user", origins, v -> builder.user(v.value()));
            apply(merged.capabilities(), "capabilities", origins, v -> builder.capabilities(v.value()));
            apply(merged.seccomp(), "seccomp", origins, v -> builder.seccomp(resolvePathOf(v.value())));
            apply(merged.unmaskedPaths(), "unmaskedPaths", origins, v -> builder.unmaskedPaths(v.value()));
            apply(merged.readOnlyRoot(), "readOnlyRoot", origins, v -> builder.readOnlyRoot(v.value()));
            apply(merged.network(), "network", origins, v -> builder.network(v.value()));
            apply(merged.timeout(), "timeout", origins, v -> builder.timeout(v.value()));
            for (Declared<Bind> bind : merged.binds()) {
                origins.put("bind", bind.origin());
                Bind b = bind.value();
                builder.bind(projectDir.resolve(b.source()).toString(), b.target(), b.readOnly(), b.keepDevicesAndSetuid());
            }
            return new DeclaredSpec(builder.build(), Map.copyOf(origins));
        } catch (InvalidSpecException e) {
            throw rejected(e, origins.getOrDefault(e.attribute(), "the defaults"));
        }
    }

    private void applyRootfs(MergedSandbox merged, ContainerSpec.Builder builder, Map<String, String> origins) {
        Optional<Declared<RootfsChoice>> declared = merged.rootfs();
        if (declared.isPresent()) {
            origins.put("rootfs", declared.get().origin());
            RootfsChoice choice = declared.get().value();
            if (choice instanceof RootfsChoice.Custom custom) {
                builder.rootfs(instantiate(custom.providerClass(), declared.get().origin()));
            } else {
                builder.rootfs(resolvePath(((RootfsChoice.Named) choice).value()));
            }
        } else if (configuration.defaultRootfs().isPresent()) {
            origins.put("rootfs", "configuration parameter " + SandboxConfiguration.ROOTFS);
            builder.rootfs(resolvePath(configuration.defaultRootfs().get()));
        }
    }

    /** A seccomp profile path relative to the project directory; the keywords as they are. */
    private String resolvePathOf(String seccomp) {
        return seccomp.equals("default") || seccomp.equals("unconfined") || seccomp.startsWith("/") ? seccomp
                : projectDir.resolve(seccomp).toString();
    }

    private String resolvePath(String rootfs) {
        int colon = rootfs.indexOf(':');
        if (colon < 0 || !PATH_SCHEMES.contains(rootfs.substring(0, colon))) {
            return rootfs;
        }
        String argument = rootfs.substring(colon + 1);
        return argument.isEmpty() || argument.startsWith("/") ? rootfs
                : rootfs.substring(0, colon + 1) + projectDir.resolve(argument);
    }

    private static RootfsProvider instantiate(Class<? extends RootfsProvider> providerClass, String origin) {
        try {
            return ReflectionSupport.newInstance(providerClass);
        } catch (Exception e) { // newInstance rethrows reflection's checked exceptions unchecked
            throw new ExtensionConfigurationException("@Sandbox rootfsProvider = " + providerClass.getName()
                    + " (declared on " + origin + ") could not be instantiated: " + e
                    + "; accepted: a RootfsProvider class with a public no-argument constructor", e);
        }
    }

    private static <T> void apply(Optional<Declared<T>> declared, String attribute, Map<String, String> origins,
            Consumer<Declared<T>> setter) {
        declared.ifPresent(d -> {
            origins.put(attribute, d.origin());
            setter.accept(d);
        });
    }

    private static ExtensionConfigurationException rejected(InvalidSpecException e, String origin) {
        String value = UNQUOTED_ATTRIBUTES.contains(e.attribute()) ? e.value() : "\"" + e.value() + "\"";
        return new ExtensionConfigurationException("@Sandbox " + e.attribute() + " = " + value
                + " (declared on " + origin + ") is not accepted: " + e.accepted(), e);
    }
}
