package io.github.junitsandbox.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.runtime.os.ThisProcess;
import io.github.junitsandbox.runtime.seccomp.SeccompCompiler;
import io.github.junitsandbox.runtime.seccomp.SeccompPolicy;
import io.github.junitsandbox.runtime.seccomp.SeccompProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Programs kept across JVMs under the name of their inputs, and used only where nobody else could have written them. */
class SeccompProgramCacheTest {

    private static final Set<String> CAPS = Set.of("chown", "kill");

    @TempDir
    Path dir;

    @Test
    void aProgramFileForTheDefaultProfileIsKeptUnderTheNameOfItsInputsWithTheCompiledBytes() throws IOException {
        Path seccomp = dir.resolve("seccomp");
        Optional<Path> file = SeccompFiles.fileFor(SeccompPolicy.defaultPolicy(), CAPS, seccomp);

        String key = SeccompProgramCache.key(SeccompPolicy.defaultPolicy().digest().orElseThrow(), CAPS);
        Optional<Path> kept = new SeccompProgramCache(seccomp).find(key);
        assertThat(kept).as("what a later JVM finds").isPresent();
        assertThat(Files.readAllBytes(kept.get())).isEqualTo(Files.readAllBytes(file.orElseThrow()))
                .isEqualTo(SeccompCompiler.system().compile(SeccompProfile.defaultProfile(), CAPS).bytes());
        assertThat(Files.getPosixFilePermissions(kept.get())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(seccomp)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void theKeyChangesWithEachInputAndNotWithTheOrderOfTheCapabilities() {
        String key = SeccompProgramCache.key("digest-a", Set.of("chown", "kill"));

        assertThat(SeccompProgramCache.key("digest-a", new LinkedHashSet<>(List.of("kill", "chown")))).isEqualTo(key);
        assertThat(SeccompProgramCache.key("digest-b", Set.of("chown", "kill"))).isNotEqualTo(key);
        assertThat(SeccompProgramCache.key("digest-a", Set.of("chown"))).isNotEqualTo(key);
    }

    /** The launcher installs whatever the file holds: one that another user could have written is compiled anew instead. */
    @Test
    void aFileOrDirectoryOthersCouldWriteIsNotUsed() throws IOException {
        SeccompProgramCache cache = new SeccompProgramCache(dir);
        Path program = Files.write(dir.resolve("program"), new byte[8]);
        cache.remember("k", program);
        Path kept = cache.find("k").orElseThrow();

        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(cache.find("k")).as("a world-writable file").isEmpty();

        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(cache.find("k")).as("in a world-writable directory").isEmpty();

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertThat(cache.find("k")).as("private again").isPresent();
        if (ThisProcess.isRoot()) {
            Files.setAttribute(kept, "unix:uid", 1001);
            assertThat(cache.find("k")).as("a file another user owns").isEmpty();
        }
    }

    @Test
    void aProfileBuiltInCodeHasNoDigestAndIsCompiledInEachJvm() {
        SeccompPolicy.Confined built = new SeccompPolicy.Confined(SeccompProfile.defaultProfile());

        assertThat(built.digest()).isEmpty();
        assertThat(SeccompFiles.fileFor(built, CAPS, dir)).isPresent();
        assertThat(dir.toFile().list()).allSatisfy(name -> assertThat(name).doesNotStartWith("input-"));
    }
}
