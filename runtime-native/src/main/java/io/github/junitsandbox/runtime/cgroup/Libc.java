package io.github.junitsandbox.runtime.cgroup;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Map;

/**
 * The two libc calls the cgroup drivers need and NIO does not offer with their errno: {@code kill(2)} and
 * {@code rmdir(2)} (whose EBUSY, "processes still leaving", must be told apart from other failures).
 * Kept in this package until the runtime has a shared libc binding.
 */
interface Libc extends Library {

    Libc INSTANCE = Native.load("c", Libc.class);

    int SIGKILL = 9;
    int EPERM = 1;
    int ENOENT = 2;
    int ESRCH = 3;
    int EBUSY = 16;
    int ENOTEMPTY = 39;

    int kill(int pid, int signal) throws LastErrorException;

    int rmdir(String path) throws LastErrorException;

    /** {@code EBUSY (Device or resource busy)}, the way strace and bubblewrap show an errno. */
    static String describe(LastErrorException e) {
        String name = Map.of(EPERM, "EPERM", ENOENT, "ENOENT", ESRCH, "ESRCH", EBUSY, "EBUSY", ENOTEMPTY, "ENOTEMPTY",
                13, "EACCES", 22, "EINVAL", 30, "EROFS").getOrDefault(e.getErrorCode(), "errno " + e.getErrorCode());
        String text = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^\\[\\d+]\\s*", "");
        return name + " (" + text + ")";
    }
}
