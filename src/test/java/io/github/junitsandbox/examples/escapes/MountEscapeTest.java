package io.github.junitsandbox.examples.escapes;

import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertBlocked;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertEscaped;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.attempt;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reshaping the file system from inside: a new mount, remounting the root or /proc's read-only
 * parts, pivot_root. Stopped by the missing CAP_SYS_ADMIN and the seccomp profile, which lets mount
 * and pivot_root through only for a holder of it; the twins add it.
 */
@WithEscapeProbe
class MountEscapeTest {

    @BeforeAll
    static void buildProbe() throws Exception {
        EscapeProbe.build();
    }

    @Test
    void mountIsRefused(Container box) {
        assertBlocked(attempt(box, "mount-tmpfs", "/tmp/m"), "mount(tmpfs)", "EPERM");
    }

    @Test
    @Sandbox(capabilities = "+SYS_ADMIN")
    void twinWithSysAdminMountWorks(Container box) {
        assertEscaped(attempt(box, "mount-tmpfs", "/tmp/m"));
    }

    @Test
    void remountingTheRootIsRefused(Container box) {
        assertBlocked(attempt(box, "remount-ro", "/"), "mount(MS_REMOUNT)", "EPERM");
    }

    @Test
    @Sandbox(capabilities = "+SYS_ADMIN")
    void twinWithSysAdminTheRootCanBeRemounted(Container box) {
        assertEscaped(attempt(box, "remount-ro", "/"));
    }

    @Test
    void remountingProcSysReadWriteIsRefused(Container box) {
        assertBlocked(attempt(box, "remount-rw", "/proc/sys"), "mount(MS_REMOUNT)", "EPERM");
    }

    @Test
    @Sandbox(capabilities = "+SYS_ADMIN")
    void twinWithSysAdminProcSysCanBeMadeWritable(Container box) {
        assertEscaped(attempt(box, "remount-rw", "/proc/sys"));
    }

    @Test
    void pivotRootIsRefused(Container box) {
        assertBlocked(attempt(box, "pivot-root"), "pivot_root(/tmp)", "EPERM");
    }

    @Test
    @Sandbox(capabilities = "+SYS_ADMIN")
    void twinWithSysAdminPivotRootWorks(Container box) {
        assertEscaped(attempt(box, "pivot-root"));
    }
}
