package io.github.junitsandbox;

import io.github.junitsandbox.runtime.Durations;
import io.github.junitsandbox.runtime.InvalidSpecException;
import io.github.junitsandbox.runtime.LayerMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The JUnit configuration parameters of the extension ({@code junit-platform.properties}, or
 * {@code -D} on the command line), all prefixed {@code junit.sandbox.}.
 *
 * @param defaultRootfs {@code junit.sandbox.rootfs}: the rootfs of tests whose annotations name none
 * @param cgroupParent {@code junit.sandbox.cgroupParent}: the cgroup under which containers' cgroups are made
 * @param cacheDir {@code junit.sandbox.cacheDir}: where unpacked root filesystems and the launcher are cached
 * @param stateDir {@code junit.sandbox.stateDir}: where per-JVM working directories are made
 * @param keepOnFailure {@code junit.sandbox.keepOnFailure}: keep a failed test's container running until
 *        the end of the test run, to look into it ({@code nsenter}); default false
 * @param defaultTimeout {@code junit.sandbox.timeout}: the timeout of tests whose annotations give none
 * @param unsupported {@code junit.sandbox.unsupported}: what a test does on a host that cannot run it
 * @param layer {@code junit.sandbox.layer}: how a directory rootfs takes writes: auto (overlay, a copy where the
 *        kernel refuses overlayfs), overlay or copy; absent: the runtime's default (the system property, else auto)
 */
record SandboxConfiguration(Optional<String> defaultRootfs, Optional<String> cgroupParent, Optional<Path> cacheDir,
        Optional<Path> stateDir, boolean keepOnFailure, Duration defaultTimeout, UnsupportedHost unsupported,
        Optional<LayerMode> layer) {

    static final String PREFIX = "junit.sandbox.";
    static final String ROOTFS = PREFIX + "rootfs";
    static final String CGROUP_PARENT = PREFIX + "cgroupParent";
    static final String CACHE_DIR = PREFIX + "cacheDir";
    static final String STATE_DIR = PREFIX + "stateDir";
    static final String KEEP_ON_FAILURE = PREFIX + "keepOnFailure";
    static final String TIMEOUT = PREFIX + "timeout";
    static final String UNSUPPORTED = PREFIX + "unsupported";
    static final String LAYER = LayerMode.PROPERTY;

    static final Duration BUILT_IN_TIMEOUT = Duration.ofMinutes(2);

    /** What a test does when the host cannot give it the container it asks for. */
    enum UnsupportedHost {
        /** Fail, with the reason and the fix: a security suite must not go green without having run. */
        FAIL,
        /** Abort (reported as skipped, with the reason), for machines known not to run it. */
        ABORT
    }

    /**
     * @param parameters the configuration parameters by name, as {@code ExtensionContext#getConfigurationParameter}
     * @throws ExtensionConfigurationException naming the parameter, its value and what it accepts
     */
    static SandboxConfiguration from(Function<String, Optional<String>> parameters) {
        return new SandboxConfiguration(
                nonBlank(parameters, ROOTFS),
                nonBlank(parameters, CGROUP_PARENT),
                nonBlank(parameters, CACHE_DIR).map(Path::of),
                nonBlank(parameters, STATE_DIR).map(Path::of),
                nonBlank(parameters, KEEP_ON_FAILURE).map(v -> parseBoolean(KEEP_ON_FAILURE, v)).orElse(false),
                nonBlank(parameters, TIMEOUT).map(SandboxConfiguration::parseTimeout).orElse(BUILT_IN_TIMEOUT),
                nonBlank(parameters, UNSUPPORTED).map(SandboxConfiguration::parseUnsupported).orElse(UnsupportedHost.FAIL),
                nonBlank(parameters, LAYER).map(SandboxConfiguration::parseLayer));
    }

    private static Optional<String> nonBlank(Function<String, Optional<String>> parameters, String name) {
        return parameters.apply(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static boolean parseBoolean(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw rejected(name, value, "true or false");
        };
    }

    private static Duration parseTimeout(String value) {
        try {
            return Durations.parse(TIMEOUT, value);
        } catch (InvalidSpecException e) {
            throw rejected(TIMEOUT, value, e.accepted());
        }
    }

    private static LayerMode parseLayer(String value) {
        try {
            return LayerMode.parse(value);
        } catch (InvalidSpecException e) {
            throw rejected(LAYER, value, e.accepted());
        }
    }

    private static UnsupportedHost parseUnsupported(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "fail" -> UnsupportedHost.FAIL;
            case "abort" -> UnsupportedHost.ABORT;
            default -> throw rejected(UNSUPPORTED, value, "fail (the default) or abort");
        };
    }

    private static ExtensionConfigurationException rejected(String name, String value, String accepted) {
        return new ExtensionConfigurationException(
                "configuration parameter " + name + " = \"" + value + "\" is not accepted: " + accepted);
    }
}
