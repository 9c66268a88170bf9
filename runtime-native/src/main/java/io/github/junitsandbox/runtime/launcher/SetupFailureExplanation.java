package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.UnsupportedHostException;
import io.github.junitsandbox.runtime.SandboxException;
import java.nio.file.Path;
import java.util.Optional;

/** A launcher's failure as a {@code SandboxException} says it: the step, and why, where the environment tells. */
final class SetupFailureExplanation {

    private SetupFailureExplanation() {
    }

    /** What this host lacks that made the step fail, where the environment tells. */
    static Optional<String> hostShortcoming(LauncherError error) {
        // the most specific first: root's missing capabilities, then masks over /proc or /sys, then a seccomp filter
        Path status = Path.of("/proc/self/status");
        return new CapabilityDiagnosis(status).explain(error)
                .or(() -> new MaskedFilesystemDiagnosis(Path.of("/proc/self/mountinfo")).explain(error))
                .or(() -> new SeccompDiagnosis(status).explain(error));
    }

    /**
     * The failure as an exception: an {@link UnsupportedHostException} when the host lacks something
     * (the spec would work elsewhere), a plain {@link SandboxException} otherwise.
     */
    static SandboxException exception(String prefix, LauncherError error) {
        Optional<String> why = hostShortcoming(error);
        String message = prefix + error.describe() + why.map(w -> ": " + w).orElse("");
        return why.isPresent() ? new UnsupportedHostException(message) : new SandboxException(message);
    }
}
