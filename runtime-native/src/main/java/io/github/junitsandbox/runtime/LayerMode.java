package io.github.junitsandbox.runtime;

import java.util.Locale;

/**
 * Which {@link RootLayer} a directory root filesystem gets: {@value #PROPERTY} (a system property; the
 * extension's configuration parameter of the same name).
 */
public enum LayerMode {
    /** Overlay, and where the kernel refuses it for a rootfs, a copy: decided at that rootfs's first launch in the JVM. */
    AUTO,
    /** Overlay only: a launch fails, saying so, where the kernel refuses it. */
    OVERLAY,
    /** A copy always (slower: it costs the size of the rootfs per container). */
    COPY;

    public static final String PROPERTY = "junit.sandbox.layer";

    /** {@value #PROPERTY}, {@link #AUTO} when unset or blank. */
    public static LayerMode configured() {
        String value = System.getProperty(PROPERTY);
        return value == null || value.isBlank() ? AUTO : parse(value);
    }

    /** @throws InvalidSpecException naming {@value #PROPERTY}, the value and what is accepted */
    public static LayerMode parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "overlay" -> OVERLAY;
            case "copy" -> COPY;
            default -> throw new InvalidSpecException(PROPERTY, value, "auto (the default), overlay or copy");
        };
    }
}
