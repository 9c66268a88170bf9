package io.github.junitsandbox.runtime.seccomp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The C helpers under src/test/resources, built with the machine's C compiler as the launcher is. */
final class TestPrograms {

    private TestPrograms() {
    }

    /** Compiles {@code NAME.c} from this package's test resources to {@code dir/NAME}. */
    static Path compile(String name, Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve(name + ".c");
        try (InputStream in = TestPrograms.class.getResourceAsStream(name + ".c")) {
            assertThat(in).as("test resource %s.c", name).isNotNull();
            Files.copy(in, source);
        }
        Path binary = dir.resolve(name);
        ProcessOutcome cc = ProcessOutcome.run(List.of("cc", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-O1",
                "-o", binary.toString(), source.toString()));
        assertThat(cc.exitCode()).as("building %s:%n%s", name, cc).isZero();
        return binary;
    }
}
