package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What takes a directory rootfs's writes: an overlay where the kernel allows it; a private copy where it
 * refuses overlayfs or the configuration asks for one. Either way the source is never modified.
 */
class RootLayerTest {

    @TempDir
    Path rootfs;

    @TempDir
    Path stateDir;

    @BeforeEach
    void aRootfsWithModesOwnersAndLinks() throws IOException {
        MinimalRootfs.create(rootfs);
        Files.writeString(rootfs.resolve("data"), "original\n");
        Path locked = Files.createDirectory(rootfs.resolve("locked"));
        Path secret = Files.writeString(locked.resolve("secret"), "kept\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-x---"));
        Files.createSymbolicLink(rootfs.resolve("link"), Path.of("data"));
        if (ThisProcess.isRoot()) {
            Files.setAttribute(secret, "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(secret, "unix:gid", 5678, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private SandboxRuntime runtime(LayerMode mode) {
        return SandboxRuntime.builder().stateDir(stateDir).layerMode(mode).build();
    }

    private ContainerSpec.Builder sleepingIn(Path root) {
        return ContainerSpec.builder().rootfs("dir:" + root).bind("/usr", "/usr", true).command("/bin/sleep", "300");
    }

    /** The file system type of the container's root, as its mountinfo says. */
    private static String rootFilesystem(Container box) {
        return box.exec("sh", "-c", "grep ' / / ' /proc/self/mountinfo | sed 's/.* - \\([^ ]*\\) .*/\\1/'").stdout().strip();
    }

    @Test
    void overlayIsWhatAutoChoosesHere() {
        try (Container box = runtime(LayerMode.AUTO).launch(sleepingIn(rootfs).build())) {
            assertThat(box.layer()).isEqualTo(RootLayer.OVERLAY);
            assertThat(rootFilesystem(box)).isEqualTo("overlay");
        }
    }

    @Test
    void aConfiguredCopyIsAPrivateWritableCopyDroppedAtClose() throws IOException {
        Map<String, String> sourceBefore = snapshot(rootfs);
        SandboxRuntime runtime = runtime(LayerMode.COPY);

        try (Container first = runtime.launch(sleepingIn(rootfs).build())) {
            assertThat(first.layer()).isEqualTo(RootLayer.COPY);
            assertThat(rootFilesystem(first)).as("the copy's file system").isEqualTo("tmpfs");
            assertThat(first.exec("stat", "-c", "%n %a %u:%g", "/locked", "/locked/secret").stdout())
                    .isEqualTo("/locked 550 0:0\n/locked/secret 640 " + (ThisProcess.isRoot() ? "1234:5678" : "0:0") + "\n");
            assertThat(first.exec("readlink", "/link").stdout()).isEqualTo("data\n");
            ExecResult write = first.exec("sh", "-c", "echo changed > /data && touch /locked/new && rm /locked/secret && cat /link");
            assertThat(write.stdout()).as(write.stderr()).isEqualTo("changed\n");
        }
        assertThat(snapshot(rootfs)).as("the source after a container wrote to its copy").isEqualTo(sourceBefore);

        try (Container next = runtime.launch(sleepingIn(rootfs).build())) {
            assertThat(next.exec("sh", "-c", "cat /data /locked/secret; ls /locked").stdout()).isEqualTo("original\nkept\nsecret\n");
        }
        try (Stream<Path> left = Files.list(stateDir)) {
            assertThat(left).as("the state directory once its containers are closed").isEmpty();
        }
    }

    @Test
    void aReadOnlyRootIsTheSourceItselfWhenItHoldsTheMountPoints() throws IOException {
        for (String dir : List.of("proc", "dev", "tmp", "sys")) {
            Files.createDirectory(rootfs.resolve(dir));
        }
        Map<String, String> sourceBefore = snapshot(rootfs);

        try (Container box = runtime(LayerMode.AUTO).launch(sleepingIn(rootfs).readOnlyRoot(true).build())) {
            assertThat(box.layer()).isEqualTo(RootLayer.NONE);
            assertThat(rootFilesystem(box)).as("the source's own file system").isNotIn("overlay", "tmpfs");
            ExecResult write = box.exec("sh", "-c", "echo changed > /data");
            assertThat(write.stderr()).contains("Read-only file system");
            assertThat(box.exec("touch", "/tmp/scratch").exitCode()).as("/tmp stays writable").isZero();
        }
        assertThat(snapshot(rootfs)).isEqualTo(sourceBefore);
    }

    @Test
    void aReadOnlyRootWithoutTheMountPointsKeepsTheLayerForThem() throws IOException {
        Map<String, String> sourceBefore = snapshot(rootfs);

        try (Container box = runtime(LayerMode.AUTO).launch(sleepingIn(rootfs).readOnlyRoot(true).build())) {
            assertThat(box.layer()).isEqualTo(RootLayer.OVERLAY);
            assertThat(box.exec("sh", "-c", "echo changed > /data").stderr()).contains("Read-only file system");
        }
        assertThat(snapshot(rootfs)).as("no /proc, /dev, /tmp or /sys made in the source").isEqualTo(sourceBefore);
    }

    @Test
    void whereTheKernelRefusesOverlayAutoCopiesAndOverlaySaysWhy(@TempDir Path stack) throws Exception {
        assumeTrue(ThisProcess.isRoot(), "mounts overlays on the host, which needs root");
        // overlayfs stacks two deep at most: a rootfs that is itself a second overlay cannot be a lower layer
        Path first = stack.resolve("first");
        Path second = stack.resolve("second");
        for (String dir : List.of("first", "upper1", "work1", "second", "upper2", "work2")) {
            Files.createDirectory(stack.resolve(dir));
        }
        mount("lowerdir=" + rootfs + ",upperdir=" + stack.resolve("upper1") + ",workdir=" + stack.resolve("work1"), first);
        try {
            mount("lowerdir=" + first + ",upperdir=" + stack.resolve("upper2") + ",workdir=" + stack.resolve("work2"), second);
            try {
                assertThatThrownBy(() -> runtime(LayerMode.OVERLAY).launch(sleepingIn(second).build()))
                        .isInstanceOf(SandboxException.class)
                        .hasMessageStartingWith("mount(overlay, ")
                        .hasMessageContaining("the kernel refuses overlayfs for rootfs dir:" + second)
                        .hasMessageContaining("junit.sandbox.layer = overlay allows nothing else");

                SandboxRuntime auto = runtime(LayerMode.AUTO);
                for (int launch = 1; launch <= 2; launch++) {
                    try (Container box = auto.launch(sleepingIn(second).build())) {
                        assertThat(box.layer()).as("launch %d", launch).isEqualTo(RootLayer.COPY);
                        assertThat(box.exec("sh", "-c", "echo changed > /data; cat /data").stdout()).isEqualTo("changed\n");
                    }
                }
                assertThat(second.resolve("data")).hasContent("original");
            } finally {
                umount(second);
            }
        } finally {
            umount(first);
        }
    }

    private static void mount(String options, Path target) throws Exception {
        run("mount", "-t", "overlay", "overlay", "-o", options, target.toString());
    }

    private static void umount(Path target) throws Exception {
        run("umount", target.toString());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    /** Every entry's type, mode, owner, size, modification time and (for links) target. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                String link = Files.isSymbolicLink(p) ? " -> " + Files.readSymbolicLink(p) : "";
                entries.put(root.relativize(p).toString(), a.get("mode") + " " + a.get("uid") + ":" + a.get("gid") + " " + a.get("size")
                        + " " + a.get("lastModifiedTime") + link);
            }
        }
        return entries;
    }
}
