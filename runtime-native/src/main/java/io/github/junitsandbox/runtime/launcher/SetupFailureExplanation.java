package io.github.junitsandbox.runtime.launcher;

import java.nio.file.Path;
import java.util.Optional;

/** A launcher's failure as a {@code SandboxException} says it: the step, and why, where the environment tells. */
final class SetupFailureExplanation {

    private SetupFailureExplanation() {
    }

    static String describe(LauncherError error) {
        // the most specific first: root's missing capabilities, then masks over /proc or /sys, then a seccomp filter
        Path status = Path.of("/proc/self/status");
        Optional<String> why = new CapabilityDiagnosis(status).explain(error)
                .or(() -> new MaskedFilesystemDiagnosis(Path.of("/proc/self/mountinfo")).explain(error))
                .or(() -> new SeccompDiagnosis(status).explain(error));
        return error.describe() + why.map(w -> ": " + w).orElse("");
    }
}
