package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's directories failing under it: a full disk (a tiny tmpfs as the cache or state
 * directory), a read-only cache directory, a rootfs directory deleted between tests. Each failure
 * is a SandboxException naming the path; nothing half-written stays behind.
 */
class FilesystemFaultsTest {

    @TempDir
    Path scratch;

    private final Deque<Path> mounted = new ArrayDeque<>();

    @BeforeEach
    void needsRoot() {
        assumeTrue(ThisProcess.isRoot(), "mounts tmpfs on the host: run as root (CI does)");
    }

    @AfterEach
    void unmount() throws IOException, InterruptedException {
        while (!mounted.isEmpty()) {
            run("umount", mounted.pop().toString());
        }
    }

    @Test
    void aCacheDirectoryTooSmallForTheLauncherIsNamedAndKeepsNoPartialFile() throws Exception {
        Path cache = tmpfs("cache", "size=64k");
        Path state = Files.createDirectories(scratch.resolve("state"));

        assertThatThrownBy(() -> SandboxRuntime.builder().cacheDir(cache).stateDir(state).build()
                .launch(ContainerSpec.builder().command("/bin/true").build()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("cannot extract the launcher to " + cache + "/sandbox-init-")
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("junit.sandbox.cacheDir");
        assertThat(entries(cache)).as("what the failed extraction left in the cache").isEmpty();
        assertThat(entries(state)).as("state left behind").isEmpty();
    }

    @Test
    void aReadOnlyCacheDirectoryIsNamedWhenEmptyAndServesOnceFilled() throws Exception {
        Path cache = tmpfs("cache", "size=8m");
        Path state = Files.createDirectories(scratch.resolve("state"));
        run("mount", "-o", "remount,ro", cache.toString());

        assertThatThrownBy(() -> SandboxRuntime.builder().cacheDir(cache).stateDir(state).build()
                .launch(ContainerSpec.builder().command("/bin/true").build()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("cannot extract the launcher to " + cache + "/sandbox-init-")
                .hasMessageContaining("Read-only file system");
        assertThat(entries(cache)).isEmpty();

        run("mount", "-o", "remount,rw", cache.toString());
        try (Container filling = SandboxRuntime.builder().cacheDir(cache).stateDir(state).build()
                .launch(ContainerSpec.builder().command("/bin/true").build())) {
            filling.awaitExit(Duration.ofSeconds(30));
        }
        List<Path> cached = entries(cache);
        run("mount", "-o", "remount,ro", cache.toString());
        try (Container box = SandboxRuntime.builder().cacheDir(cache).stateDir(state).build()
                .launch(ContainerSpec.builder().command("/bin/true").build())) {
            assertThat(box.awaitExit(Duration.ofSeconds(30))).as("exit of a container whose launcher is read from a read-only cache").isZero();
        }
        assertThat(entries(cache)).isEqualTo(cached);
    }

    /** The subject's stdout is a file in the state directory: filling the disk fails the subject's writes, nothing else. */
    @Test
    void aFullStateDirectoryFailsTheSubjectsWritesNotTheRuntime() throws Exception {
        Path state = tmpfs("state", "size=1m");
        SandboxRuntime runtime = SandboxRuntime.builder().stateDir(state).build();

        try (Container box = runtime.launch(ContainerSpec.builder().command("sh", "-c", "head -c 4194304 /dev/zero; exec sleep 3600").build())) {
            awaitProcess(box, "sleep");
            Path stdout;
            try (Stream<Path> files = Files.walk(state)) {
                stdout = files.filter(p -> p.getFileName().toString().equals("stdout")).findFirst().orElseThrow();
            }
            assertThat(Files.size(stdout)).as("what the subject could write of its 4 MiB to a 1 MiB disk").isLessThanOrEqualTo(1L << 20);
            assertThat(box.exec("echo", "still answering").stdout()).isEqualTo("still answering\n");
        }
        assertThat(entries(state)).as("what a full state directory keeps after close").isEmpty();
        try (Container next = runtime.launch(ContainerSpec.builder().command("/bin/true").build())) {
            assertThat(next.awaitExit(Duration.ofSeconds(30))).as("the next container, once the space is free again").isZero();
        }
    }

    /** Bounded: the subject gets there in milliseconds; a minute means it never will. */
    private static void awaitProcess(Container box, String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (box.processes().stream().noneMatch(p -> p.command().contains(name))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + name + " in " + box.processes());
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aStateDirectoryWithNoSpaceLeftIsNamed() throws Exception {
        Path state = tmpfs("state", "size=64k,nr_inodes=4");
        Files.writeString(state.resolve("filler"), "x".repeat(60 * 1024));
        SandboxRuntime runtime = SandboxRuntime.builder().stateDir(state).build();

        assertThatThrownBy(() -> runtime.launch(ContainerSpec.builder().command("/bin/true").build()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining(state.toString())
                .hasMessageContaining("junit.sandbox.stateDir");
        assertThat(entries(state)).as("what the failed launch left").containsExactly(state.resolve("filler"));
    }

    @Test
    void aRootfsDirectoryDeletedBetweenLaunchesIsNamedAndTheRunningContainerIsUnharmed() throws Exception {
        Path rootfs = Files.createDirectories(scratch.resolve("rootfs"));
        run("cp", "-a", "/usr/bin/busybox", rootfs.resolve("busybox").toString());
        ContainerSpec spec = ContainerSpec.builder().rootfs("dir:" + rootfs).command("/busybox", "sleep", "3600").build();
        SandboxRuntime runtime = SandboxRuntime.builder().stateDir(Files.createDirectories(scratch.resolve("state"))).build();

        try (Container running = runtime.launch(spec)) {
            run("rm", "-rf", rootfs.toString());

            assertThatThrownBy(() -> runtime.launch(spec)).isInstanceOf(SandboxException.class).hasMessageContaining(rootfs.toString());
            assertThat(running.exec("/busybox", "echo", "unharmed").stdout()).isEqualTo("unharmed\n");
        }
        assertThat(entries(scratch.resolve("state"))).as("state left behind").isEmpty();
    }

    private Path tmpfs(String name, String options) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(scratch.resolve(name));
        run("mount", "-t", "tmpfs", "-o", options, "junit-sandbox-test-" + name, dir.toString());
        mounted.push(dir);
        return dir;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        }
    }
}
