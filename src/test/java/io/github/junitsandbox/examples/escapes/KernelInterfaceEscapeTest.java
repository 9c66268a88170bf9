package io.github.junitsandbox.examples.escapes;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertBlocked;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertEscaped;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assumeRootJvm;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.attempt;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.Bind;
import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel's machine-wide interfaces: sysctls under /proc/sys, /sys, the masked /proc files,
 * module loading, the clock and time namespaces. Writes go back with the value read, so that a twin
 * that succeeds changes nothing on the host.
 */
@WithEscapeProbe
class KernelInterfaceEscapeTest {

    /** A machine-wide sysctl (not namespaced): writing it from a container would change the host. */
    private static final String GLOBAL_SYSCTL = "/proc/sys/kernel/printk_ratelimit";
    /** A machine-wide sysfs attribute. */
    private static final String SYSFS_ATTRIBUTE = "kernel/mm/ksm/run";

    @BeforeAll
    static void buildProbe() throws Exception {
        EscapeProbe.build();
    }

    @Test
    void aGlobalSysctlIsReadOnly(Container box) {
        // a plain user's container is refused earlier: a host-wide sysctl belongs to the host's root, not to its user namespace's
        assertBlocked(attempt(box, "rewrite", GLOBAL_SYSCTL), "open(O_WRONLY)", EscapeProbe.ROOT_JVM ? "EROFS" : "EACCES");
    }

    @Test
    @Sandbox(unmaskedPaths = "/proc/sys")
    void twinWithProcSysUnmaskedTheSysctlIsWritable(Container box) {
        assumeRootJvm("a host-wide sysctl belongs to the host's root, not to its user namespace's (EACCES)");
        assertEscaped(attempt(box, "rewrite", GLOBAL_SYSCTL));
    }

    @Test
    void sysIsReadOnly(Container box) {
        assumeTrue(Files.exists(Path.of("/sys", SYSFS_ATTRIBUTE)), "this kernel has no /sys/" + SYSFS_ATTRIBUTE);
        assertBlocked(attempt(box, "rewrite", "/sys/" + SYSFS_ATTRIBUTE), "open(O_WRONLY)", "EROFS");
    }

    /** /sys cannot be made writable by an attribute; a writable bind of the host's is the explicit way to lose that. */
    @Test
    @Bind(source = "/sys", target = "/host-sys", readOnly = false)
    void twinWithTheHostsSysBoundWritableItIsWritable(Container box) {
        assumeRootJvm("sysfs attributes belong to the host's root, not to its user namespace's");
        assumeTrue(Files.exists(Path.of("/sys", SYSFS_ATTRIBUTE)), "this kernel has no /sys/" + SYSFS_ATTRIBUTE);
        assertEscaped(attempt(box, "rewrite", "/host-sys/" + SYSFS_ATTRIBUTE));
    }

    @Test
    void sysrqTriggerIsReadOnlyWhereTheKernelHasIt(Container box) {
        assumeTrue(Files.exists(Path.of("/proc/sysrq-trigger")), "this kernel has no /proc/sysrq-trigger");
        assertThat(box.exec("sh", "-c", "echo h > /proc/sysrq-trigger")).exitedWith(2).stderr().contains("Read-only file system");
    }

    @Test
    void maskedProcFilesReadEmpty(Container box) {
        assumeTrue(Files.exists(Path.of("/proc/timer_list")), "this kernel has no /proc/timer_list");
        assertThat(box.exec("cat", "/proc/timer_list")).succeeded().hasStdout("");
    }

    @Test
    @Sandbox(unmaskedPaths = "/proc/timer_list")
    void twinUnmaskedTheTimerListShowsTheHostsTimers(Container box) {
        assumeRootJvm("/proc/timer_list is readable by the host's root only");
        assumeTrue(Files.exists(Path.of("/proc/timer_list")), "this kernel has no /proc/timer_list");
        assertThat(box.exec("cat", "/proc/timer_list")).succeeded().stdout().contains("Timer List Version");
    }

    @Test
    void loadingAModuleIsRefused(Container box) {
        assertBlocked(attempt(box, "load-module"), "finit_module", "EPERM");
    }

    /** Only past the permission checks: the descriptor is invalid, nothing is loaded into the host's kernel. */
    @Test
    @Sandbox(capabilities = "+SYS_MODULE")
    void twinWithSysModuleTheCallReachesTheModuleLoader(Container box) {
        assertEscaped(attempt(box, "load-module"));
    }

    /** No twin: with CAP_SYS_TIME this would set the host's clock. */
    @Test
    void settingTheClockIsRefused(Container box) {
        assertBlocked(attempt(box, "set-clock"), "clock_settime(CLOCK_REALTIME)", "EPERM");
    }

    @Test
    void aTimeNamespaceWithOffsetsIsRefused(Container box) {
        assertBlocked(attempt(box, "time-namespace"), "unshare(CLONE_NEWTIME)", "EPERM");
    }

    /** CAP_SYS_ADMIN creates the namespace, CAP_SYS_TIME writes its offsets (the probe never sets the clock). */
    @Test
    @Sandbox(capabilities = {"+SYS_ADMIN", "+SYS_TIME"})
    void twinWithSysAdminAndSysTimeATimeNamespaceRunsADayAhead(Container box) {
        assertEscaped(attempt(box, "time-namespace"));
    }
}
