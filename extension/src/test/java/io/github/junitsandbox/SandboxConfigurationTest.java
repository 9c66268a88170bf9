package io.github.junitsandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.junitsandbox.SandboxConfiguration.UnsupportedHost;
import io.github.junitsandbox.runtime.LayerMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class SandboxConfigurationTest {

    private static SandboxConfiguration from(Map<String, String> parameters) {
        return SandboxConfiguration.from(name -> Optional.ofNullable(parameters.get(name)));
    }

    @Test
    void nothingConfiguredGivesTheDefaults() {
        SandboxConfiguration configuration = from(Map.of());

        assertThat(configuration.defaultRootfs()).isEmpty();
        assertThat(configuration.keepOnFailure()).isFalse();
        assertThat(configuration.defaultTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(configuration.unsupported()).isEqualTo(UnsupportedHost.FAIL);
        assertThat(configuration.layer()).isEmpty();
    }

    @Test
    void everyParameterIsRead() {
        SandboxConfiguration configuration = from(Map.of(
                "junit.sandbox.rootfs", "busybox", "junit.sandbox.cgroupParent", "ci", "junit.sandbox.cacheDir", "/var/cache/x",
                "junit.sandbox.stateDir", "/run/x", "junit.sandbox.keepOnFailure", "TRUE", "junit.sandbox.timeout", "45s",
                "junit.sandbox.unsupported", "abort", "junit.sandbox.layer", "Copy"));

        assertThat(configuration).isEqualTo(new SandboxConfiguration(Optional.of("busybox"), Optional.of("ci"),
                Optional.of(Path.of("/var/cache/x")), Optional.of(Path.of("/run/x")), true, Duration.ofSeconds(45),
                UnsupportedHost.ABORT, Optional.of(LayerMode.COPY)));
    }

    @Test
    void badValuesNameTheParameterAndWhatItAccepts() {
        assertThatThrownBy(() -> from(Map.of("junit.sandbox.unsupported", "skip")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("configuration parameter junit.sandbox.unsupported = \"skip\" is not accepted: fail (the default) or abort");
        assertThatThrownBy(() -> from(Map.of("junit.sandbox.keepOnFailure", "yes")))
                .hasMessage("configuration parameter junit.sandbox.keepOnFailure = \"yes\" is not accepted: true or false");
        assertThatThrownBy(() -> from(Map.of("junit.sandbox.timeout", "soon")))
                .hasMessageStartingWith("configuration parameter junit.sandbox.timeout = \"soon\" is not accepted: a positive duration");
        assertThatThrownBy(() -> from(Map.of("junit.sandbox.layer", "tmpfs")))
                .hasMessage("configuration parameter junit.sandbox.layer = \"tmpfs\" is not accepted: auto (the default), overlay or copy");
    }
}
