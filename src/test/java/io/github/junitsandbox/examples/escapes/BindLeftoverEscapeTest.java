package io.github.junitsandbox.examples.escapes;

import static io.github.junitsandbox.examples.escapes.EscapeProbe.ROOT_JVM;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assumeRootJvm;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.attempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.Bind;
import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a container makes in a writable bind outlives it on the host: a setuid-root executable, a block device node
 * open to all, a file granting capabilities would each be a privilege there for any local user. nodev,nosuid stop them
 * only inside; when a root JVM's container ends the launcher removes such nodes and clears such bits and capabilities on
 * what changed while it ran, and leaves what was there before. Observed from the host, after the container is gone.
 */
@WithEscapeProbe
class BindLeftoverEscapeTest {

    private static final String DEFAULT_BIND = "target/escape-leftovers/default";
    private static final String KEPT_BIND = "target/escape-leftovers/kept";

    /** A host file that was setuid before any container ran: a bind is no reason to change it. */
    @BeforeAll
    static void prepareBindsWithASetuidFileOfTheHost() throws Exception {
        EscapeProbe.build();
        removeWhatTheContainersMade();
        for (String bind : List.of(DEFAULT_BIND, KEPT_BIND)) {
            Path dir = Files.createDirectories(EscapeProbe.moduleDir().resolve(bind));
            Path before = Files.createFile(dir.resolve("setuid-before"));
            if (new ProcessBuilder("chmod", "4755", before.toString()).start().waitFor() != 0) {
                throw new IllegalStateException("chmod 4755 " + before + " failed");
            }
        }
        // Inode times tick with the kernel's coarse clock: past a tick, the file is older than any container.
        Thread.sleep(20);
    }

    /** The twin's setuid-root program and world-writable disk node must not stay in the build directory either. */
    @AfterAll
    static void removeWhatTheContainersMade() throws IOException {
        for (String bind : List.of(DEFAULT_BIND, KEPT_BIND)) {
            for (String name : List.of("setuid-copy", "disk", "capable", "setuid-before")) {
                Files.deleteIfExists(EscapeProbe.moduleDir().resolve(bind).resolve(name));
            }
        }
    }

    @Test
    @Bind(source = DEFAULT_BIND, target = "/out", readOnly = false)
    void whatTheContainerMadeAPrivilegeInAWritableBindIsUndoneWhenItEnds(Container box) throws Exception {
        String made = attempt(box, "leave-privileges", "/out").stdout();
        box.close();

        List<String> left = inspectFromTheHost(DEFAULT_BIND);
        if (ROOT_JVM) {
            assertThat(made).startsWith("made setuid-copy disk capable");
            assertThat(left).contains("setuid-copy file 0755 - 0", "disk absent", "capable file 0755 - 0", "setuid-before file 4755 - 0");
        } else {
            // A plain user's namespace cannot make device nodes, and what it makes setuid is the user's own: setuid to
            // the user who could run the program anyway, and left so (its capabilities hold only in namespaces it owns).
            int uid = ThisProcess.euid();
            assertThat(made).startsWith("made setuid-copy");
            assertThat(left).contains("setuid-copy file 4755 - " + uid, "disk absent", "setuid-before file 4755 - " + uid);
        }
    }

    @Test
    @Bind(source = KEPT_BIND, target = "/out", readOnly = false, keepDevicesAndSetuid = true)
    void twinABindKeepingDevicesAndSetuidLeavesThemOnTheHost(Container box) throws Exception {
        assumeRootJvm("files made setuid are the user's own, and no device node can be made");
        String made = attempt(box, "leave-privileges", "/out").stdout();
        box.close();

        assertThat(made).startsWith("made setuid-copy disk capable");
        assertThat(inspectFromTheHost(KEPT_BIND)).contains("setuid-copy file 4755 - 0", "disk block 0666 - 0", "capable file 0755 caps 0",
                "setuid-before file 4755 - 0");
    }

    private static List<String> inspectFromTheHost(String bind) throws IOException, InterruptedException {
        Process inspect = new ProcessBuilder(EscapeProbe.onHost(), "inspect", EscapeProbe.moduleDir().resolve(bind).toString()).start();
        List<String> lines = new String(inspect.getInputStream().readAllBytes()).lines().toList();
        assertThat(inspect.waitFor()).as("escape-probe inspect " + bind + " exit status").isZero();
        return lines;
    }
}
