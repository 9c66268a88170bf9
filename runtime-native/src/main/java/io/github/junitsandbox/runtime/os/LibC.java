package io.github.junitsandbox.runtime.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/** The few libc calls the runtime makes from the JVM (JNA direct mapping: no reflection per call). */
public final class LibC {

    /** {@code errno} for "no such process". */
    public static final int ESRCH = 3;
    /** {@code errno} for "operation not permitted". */
    public static final int EPERM = 1;

    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    public static native int getuid();

    public static native int geteuid();

    public static native int getgid();

    public static native int getegid();

    public static native int getpid();

    /** {@code sysconf(3)}. */
    public static native long sysconf(int name);

    /** {@code _SC_CLK_TCK}: the unit of the times in {@code /proc/PID/stat}. */
    public static final int SC_CLK_TCK = 2;

    private static native int kill(int pid, int signal) throws LastErrorException;

    /**
     * {@code kill(2)}.
     *
     * @return 0 when the signal was sent (or, for signal 0, could be), else the errno
     */
    public static int sendSignal(long pid, int signal) {
        try {
            kill(Math.toIntExact(pid), signal);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    public static boolean isRoot() {
        return geteuid() == 0;
    }
}
