package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.seccomp.SeccompCompiler;
import io.github.junitsandbox.runtime.seccomp.SeccompPolicy;
import io.github.junitsandbox.runtime.seccomp.SeccompProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files the launcher's {@code --seccomp} reads: each program compiled once per (profile,
 * capabilities) by {@link SeccompCompiler} and written once per JVM into a directory named by its
 * content, so that a launch after the first costs two map lookups.
 */
final class SeccompFiles {

    private static final Map<Path, Path> WRITTEN = new ConcurrentHashMap<>();

    private SeccompFiles() {
    }

    /** The program file for processes holding {@code capabilities} under {@code policy}; none when unconfined. */
    static Optional<Path> fileFor(SeccompPolicy policy, Set<String> capabilities, Path directory) {
        return SeccompCompiler.system().compile(policy, capabilities).map(program -> written(program, directory));
    }

    private static Path written(SeccompProgram program, Path directory) {
        return WRITTEN.computeIfAbsent(directory.resolve(program.sha256()), key -> {
            try {
                Files.createDirectories(directory);
                return program.writeTo(directory);
            } catch (IOException e) {
                throw new SandboxException("cannot write the seccomp program " + program + " to " + directory + ": " + e
                        + " (set junit.sandbox.cacheDir to a writable directory)", e);
            }
        });
    }
}
