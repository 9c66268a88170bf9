package io.github.junitsandbox.runtime.seccomp;

import com.sun.jna.Library;

/** The C library calls the compiler needs to receive libseccomp's output through a file descriptor. */
interface Libc extends Library {

    int MFD_CLOEXEC = 1;

    /** An anonymous in-memory file: nothing on disk to clean up, whatever happens. */
    int memfd_create(String name, int flags);

    int close(int fd);

    String strerror(int errnum);
}
