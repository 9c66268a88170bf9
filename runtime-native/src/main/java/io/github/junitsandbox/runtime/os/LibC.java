package io.github.junitsandbox.runtime.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/** The few libc calls the runtime makes from the JVM (JNA direct mapping: no reflection per call). */
public final class LibC {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    /** {@code errno} for "no such process". */
    public static final int ESRCH = 3;
    public static final int EBUSY = 16;
    public static final int ENOTEMPTY = 39;

    /** {@code memfd_create(2)} flag. */
    public static final int MFD_CLOEXEC = 1;

    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

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

    /** {@code memfd_create(2)}: an anonymous in-memory file, nothing on disk to clean up whatever happens. */
    public static native int memfd_create(String name, int flags) throws LastErrorException;

    public static native int close(int fd);

    public static native String strerror(int errnum);

    /** {@code EBUSY (Device or resource busy)}, the way strace and bubblewrap show an errno. */
    public static String describe(int errno) {
        String name = switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EBUSY -> "EBUSY";
            case ENOTEMPTY -> "ENOTEMPTY";
            case 13 -> "EACCES";
            case 22 -> "EINVAL";
            case 30 -> "EROFS";
            default -> "errno " + errno;
        };
        return name + " (" + strerror(errno) + ")";
    }
}
