package io.github.junitsandbox.runtime.seccomp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * {@code calls} less {@code keyctl_i386} where this machine has no 32-bit entry: some hypervisors' guests (this
     * project's CI machine among them) kill {@code int 0x80} with SIGSEGV even unfiltered, so there the i386 path of a
     * filter cannot be observed, only its compiled program ({@code SeccompCompilerTest}).
     */
    static List<String> runnableHere(Path syscallProbe, List<String> calls) throws IOException, InterruptedException {
        ProcessOutcome i386 = ProcessOutcome.run(List.of(syscallProbe.toString(), "getpid_i386"));
        if (i386.exitCode() == 0) {
            return calls;
        }
        System.err.println("no i386 system call entry on this machine (int 0x80: " + i386 + "): keyctl_i386 left out");
        return calls.stream().filter(call -> !call.equals("keyctl_i386")).toList();
    }

    /** The lines {@code syscall-probe} prints, {@code NAME<TAB>OK|ERRNONAME}, as a map in probe order. */
    static Map<String, String> probeResults(String stdout) {
        Map<String, String> results = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            String[] fields = line.split("\t");
            assertThat(fields).as("a syscall-probe line: %s", line).hasSize(2);
            results.put(fields[0], fields[1]);
        }
        return results;
    }
}
