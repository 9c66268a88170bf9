package io.github.junitsandbox;

import io.github.junitsandbox.runtime.Namespace;
import io.github.junitsandbox.runtime.rootfs.RootfsProvider;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test with a fresh Linux container and injects it as a
 * {@link io.github.junitsandbox.runtime.Container} parameter.
 *
 * <p>Put it on a test class, a {@code @Nested} class, a test method, or on an annotation of your own
 * ({@code @DebianBox}) that you then put on tests. Several of them merge attribute by attribute and the
 * nearest wins: method over nested class over enclosing class, and on one element a direct
 * {@code @Sandbox} over one reached through a composed annotation. An attribute left out is not set
 * and does not hide the value of a farther annotation; that is why the attributes that have no
 * natural "empty" value ({@link #pids}, {@link #readOnlyRoot}, {@link #namespaces},
 * {@link #lifecycle}) are arrays: write {@code pids = 64}, Java accepts a single value.
 *
 * <p>Values are checked before anything is launched; a bad one fails the test with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the attribute, the
 * value, the annotation that declared it and what is accepted.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(SandboxExtension.class)
public @interface Sandbox {

    /**
     * Where the root filesystem comes from: {@code host} (the default, a read-only view of the host's
     * system directories), {@code dir:PATH}, {@code busybox}, {@code tar:PATH}, {@code oci:PATH[:TAG]},
     * {@code docker-archive:PATH}, {@code debootstrap:SUITE}. Relative paths are resolved against the
     * project directory. The configuration parameter {@code junit.sandbox.rootfs} changes the default.
     */
    String rootfs() default "";

    /**
     * A custom root filesystem source, instead of {@link #rootfs}: a class with a public no-argument
     * constructor. The interface itself, the default, means "not set".
     */
    Class<? extends RootfsProvider> rootfsProvider() default RootfsProvider.class;

    /**
     * The namespaces the container gets. Not set: PID, UTS, IPC, MOUNT, NET, CGROUP (USER is added
     * when the JVM is not root). {@code {MOUNT}} alone is the chroot of old: a separate root, nothing
     * else separated.
     */
    Namespace[] namespaces() default {};

    /**
     * Host devices the container may use beyond Docker's default set (null, zero, full, random, urandom, tty, console,
     * ptmx, pts): each an absolute path under {@code /dev}, optionally with {@code :ACCESS} ({@code r}, {@code w},
     * {@code m} in that order), e.g. {@code "/dev/fuse"} or {@code "/dev/net/tun:rw"}. Each is bound at the same path
     * inside and allowed by the container's device cgroup, which denies every other node. Not set: none.
     */
    String[] devices() default {};

    /** The size of {@code /dev/shm}: bytes, or a number with k, m or g (binary). Not set: {@code 64m}, as Docker's. */
    String shmSize() default "";

    /** The hostname inside (needs UTS). Not set: {@code sandbox}. */
    String hostname() default "";

    /** The memory limit: bytes, or a number with {@code k}, {@code m} or {@code g}. Not set: none. */
    String memory() default "";

    /** The most processes the container may hold, 0 for no limit. Not set: 1024. */
    int[] pids() default {};

    /** The subject: started as PID 2 before the test body runs. Not set: an idle container. */
    String[] command() default {};

    /** The subject's environment, {@code KEY=value} entries. Not set: PATH, HOME and HOSTNAME. */
    String[] env() default {};

    /** The subject's working directory, absolute. Not set: {@code /}. */
    String workdir() default "";

    /** {@code UID[:GID]} inside. Not set: {@code 0:0} with Docker's default capabilities. */
    String user() default "";

    /**
     * Changes to the capabilities of uid 0 inside, applied in order to Docker's default set of 14
     * (CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, NET_BIND_SERVICE, NET_RAW,
     * SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP): {@code "+SYS_ADMIN"} adds, {@code "-NET_RAW"} drops,
     * {@code "-ALL"} drops every one. Names as in capabilities(7), with or without {@code CAP_}.
     * Other uids hold none (adding for them is refused). Not set: Docker's default for uid 0.
     */
    String[] capabilities() default {};

    /**
     * The seccomp filter: {@code "default"} (in effect Docker's default profile: unlisted calls fail
     * with EPERM, mount, module loading, kexec, bpf, keyctl, new namespaces... refused unless the
     * capability that legitimises them is held), {@code "unconfined"} (no filter: an explicit
     * loosening), or the path of a profile in Docker's JSON format. Not set: {@code "default"}.
     */
    String seccomp() default "";

    /**
     * Which of Docker's masked paths (/proc/acpi, /proc/kcore, /proc/keys, /proc/latency_stats,
     * /proc/timer_list, /proc/timer_stats, /proc/sched_debug, /proc/scsi, /sys/firmware,
     * /sys/devices/virtual/powercap) and read-only paths (/proc/bus, /proc/fs, /proc/irq, /proc/sys,
     * /proc/sysrq-trigger) the container sees as the kernel shows them; {@code "ALL"} for all of them
     * (an explicit loosening). /sys itself stays read-only. Not set: all masked or read-only.
     */
    String[] unmaskedPaths() default {};

    /** Whether the root filesystem is mounted read-only. Not set: writable, into a throwaway layer. */
    boolean[] readOnlyRoot() default {};

    /** {@code none} (a network namespace with only {@code lo}) or {@code host}. Not set: {@code none}. */
    String network() default "";

    /**
     * The longest a test may run: {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h} or ISO-8601
     * ({@code PT30S}). When it expires the container is killed and the test fails. Not set: the
     * configuration parameter {@code junit.sandbox.timeout}, else 2 minutes.
     */
    String timeout() default "";

    /**
     * {@link Lifecycle#PER_TEST} (not set) gives each test a fresh container;
     * {@link Lifecycle#PER_CLASS} shares one across the tests of a class. A class-level choice.
     */
    Lifecycle[] lifecycle() default {};

    /** How long a container lives. */
    enum Lifecycle {
        /** A fresh container for every test: nothing one test does is seen by the next. */
        PER_TEST,
        /**
         * One container for all tests of a class (each {@code @Nested} class gets its own), for suites
         * that want speed over freshness. A test method with its own {@code @Sandbox} or {@code @Bind}
         * still gets a fresh container of its own.
         */
        PER_CLASS
    }
}
