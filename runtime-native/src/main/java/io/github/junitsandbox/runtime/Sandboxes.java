package io.github.junitsandbox.runtime;

/** Launches containers on the default {@link SandboxRuntime}, configured by system properties. */
public final class Sandboxes {

    private Sandboxes() {
    }

    /** As {@link SandboxRuntime#launch(ContainerSpec)} on {@link #defaultRuntime()}. */
    public static Container launch(ContainerSpec spec) {
        return defaultRuntime().launch(spec);
    }

    /** The runtime built from {@code junit.sandbox.*} system properties, created on first use. */
    public static SandboxRuntime defaultRuntime() {
        return DefaultRuntime.INSTANCE;
    }

    private static final class DefaultRuntime {
        static final SandboxRuntime INSTANCE = SandboxRuntime.builder().build();
    }
}
