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
 * The files the launcher's {@code --seccomp} reads: each program compiled once per (profile, capabilities) by
 * {@link SeccompCompiler}, written into a directory named by its content, and kept for later JVMs under the name of
 * its inputs ({@link SeccompProgramCache}), so that a launch after the first costs a map lookup, and a fresh JVM's
 * first one a file check instead of parsing the profile and loading libseccomp.
 */
final class SeccompFiles {

    private static final Map<Path, Path> WRITTEN = new ConcurrentHashMap<>();
    /** By directory and inputs' key: the file found or written in this JVM. */
    private static final Map<Path, Path> BY_INPUTS = new ConcurrentHashMap<>();

    private SeccompFiles() {
    }

    /** The program file for processes holding {@code capabilities} under {@code policy}; none when unconfined. */
    static Optional<Path> fileFor(SeccompPolicy policy, Set<String> capabilities, Path directory) {
        if (!(policy instanceof SeccompPolicy.Confined confined)) {
            return Optional.empty();
        }
        if (confined.digest().isEmpty()) {
            return Optional.of(compiled(confined, capabilities, directory));
        }
        String key = SeccompProgramCache.key(confined.digest().get(), capabilities);
        return Optional.of(BY_INPUTS.computeIfAbsent(directory.resolve(key), k -> {
            SeccompProgramCache cache = new SeccompProgramCache(directory);
            return cache.find(key).orElseGet(() -> {
                Path file = compiled(confined, capabilities, directory);
                try {
                    cache.remember(key, file);
                } catch (IOException e) {
                    // the next JVM compiles it again
                }
                return file;
            });
        }));
    }

    private static Path compiled(SeccompPolicy.Confined confined, Set<String> capabilities, Path directory) {
        return written(SeccompCompiler.system().compile(confined.profile(), capabilities), directory);
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
