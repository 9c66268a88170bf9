package io.github.junitsandbox.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.junitsandbox.runtime.SandboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLauncherTest {

    private static final byte[] BINARY = "#!/bin/sh\necho launcher\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path cache;

    @Test
    void extractsToAContentAddressedReadOnlyFile() throws IOException {
        Path installed = NativeLauncher.install(BINARY, cache);

        assertThat(installed.getFileName().toString()).isEqualTo("sandbox-init-" + NativeLauncher.sha256(BINARY));
        assertThat(installed).hasBinaryContent(BINARY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installed))).isEqualTo("r-xr-xr-x");
        try (var files = Files.list(cache)) {
            assertThat(files).as("no temporary file left").containsExactly(installed);
        }
    }

    @Test
    void replacesATamperedFile() throws IOException {
        Path installed = NativeLauncher.install(BINARY, cache);
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(installed, "#!/bin/sh\necho evil\n");

        Path again = NativeLauncher.install(BINARY, cache);

        assertThat(again).isEqualTo(installed).hasBinaryContent(BINARY);
    }

    @Test
    void replacesASymlinkPlantedAtThePath() throws IOException {
        Path elsewhere = Files.write(cache.resolve("elsewhere"), BINARY);
        Path target = cache.resolve("sandbox-init-" + NativeLauncher.sha256(BINARY));
        Files.createSymbolicLink(target, elsewhere);

        Path installed = NativeLauncher.install(BINARY, cache);

        assertThat(Files.isSymbolicLink(installed)).isFalse();
        assertThat(installed).hasBinaryContent(BINARY);
    }

    @Test
    void mapsJavaArchitectureNamesToTheResourceDirectory() {
        assertThat(NativeLauncher.resourcePath("Linux", "amd64")).isEqualTo("/io/github/junitsandbox/runtime/native/linux-x86_64/sandbox-init");
        assertThat(NativeLauncher.resourcePath("Linux", "x86_64")).isEqualTo("/io/github/junitsandbox/runtime/native/linux-x86_64/sandbox-init");
        assertThat(NativeLauncher.resourcePath("Linux", "aarch64")).isEqualTo("/io/github/junitsandbox/runtime/native/linux-aarch64/sandbox-init");
        assertThat(NativeLauncher.resourcePath("Linux", "arm64")).isEqualTo("/io/github/junitsandbox/runtime/native/linux-aarch64/sandbox-init");
    }

    @Test
    void refusesOtherSystemsAndArchitecturesClearly() {
        assertThatThrownBy(() -> NativeLauncher.resourcePath("Mac OS X", "aarch64")).isInstanceOf(SandboxException.class)
                .hasMessage("junit-sandbox runs containers on Linux only; this JVM runs on Mac OS X");
        assertThatThrownBy(() -> NativeLauncher.resourcePath("Linux", "riscv64")).isInstanceOf(SandboxException.class)
                .hasMessage("junit-sandbox has no launcher for the architecture riscv64 (os.arch); it is built for x86_64 (amd64) and aarch64");
    }

    @Test
    void aCacheDirThatCannotBeCreatedIsReported() throws IOException {
        Path file = Files.createFile(cache.resolve("file"));
        assertThatThrownBy(() -> NativeLauncher.install(BINARY, file.resolve("sub")))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith("cannot extract the launcher to " + file.resolve("sub").resolve("sandbox-init-" + NativeLauncher.sha256(BINARY)))
                .hasMessageEndingWith("(set junit.sandbox.cacheDir to a writable directory)");
    }
}
