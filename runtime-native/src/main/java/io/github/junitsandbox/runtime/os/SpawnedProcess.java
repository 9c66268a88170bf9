package io.github.junitsandbox.runtime.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;

/**
 * A child process started with {@code posix_spawn(3)} straight from the calling thread: one
 * {@code clone(CLONE_VFORK)} and one {@code execve}. JDK 17's {@code ProcessBuilder} execs its
 * {@code jspawnhelper} first and the target from there, which costs every start another dynamically
 * linked program's startup (half a millisecond on a VM, where each of its {@code cpuid}s traps).
 * For the launcher only: posix_spawn does not close the JVM's descriptors that lack close-on-exec,
 * and {@code sandbox-init} closes every descriptor it inherits above stderr as its first step.
 * Standard input is a pipe or /dev/null, standard output a pipe, standard error a pipe or a file.
 * Unlike the JDK's processes, its streams are closed by their readers only (and stdin by
 * {@link #destroy()} too): nothing closes a descriptor that another thread may be reading.
 */
public final class SpawnedProcess extends Process {

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY_CREAT_TRUNC = 01 | 0100 | 01000;
    private static final int O_CLOEXEC = 02000000;
    private static final int FILE_MODE = 0644;
    private static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int EINTR = 4;
    private static final int ECHILD = 10;
    private static final int WNOHANG = 1;
    private static final short POLLIN = 1;
    /** The same number on x86_64 and aarch64 (syscalls from 424 on are numbered alike everywhere). */
    private static final long SYS_PIDFD_OPEN = 434;
    /** Generous upper bounds of glibc's and musl's posix_spawn_file_actions_t, posix_spawnattr_t and sigset_t. */
    private static final int OPAQUE_BYTES = 1024;
    private static final Pointer ENVIRON_ADDRESS = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getGlobalVariableAddress("environ");

    private final int pid;
    /** Readable (POLLIN) once the process has exited; closed once it is reaped. */
    private final int pidfd;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private Integer exitStatus;
    /** Threads polling the pidfd: it is closed once the process is reaped and none polls (its number could be reused). */
    private int pollers;
    private boolean pidfdClosed;

    private SpawnedProcess(int pid, int pidfd, int stdinFd, int stdoutFd, int stderrFd) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.stdin = stdinFd < 0 ? OutputStream.nullOutputStream() : new DescriptorOutputStream(stdinFd);
        this.stdout = new DescriptorInputStream(stdoutFd);
        this.stderr = stderrFd < 0 ? InputStream.nullInputStream() : new DescriptorInputStream(stderrFd);
    }

    /**
     * Starts {@code argv} with this JVM's environment.
     *
     * @param stdinPipe true: standard input is a pipe kept open until {@link #getOutputStream()} is closed; false: /dev/null
     * @param stderrFile where standard error goes (created or truncated), or null for a pipe read from {@link #getErrorStream()}
     * @throws IOException with the errno's text when the pipes cannot be made or the program cannot be started
     */
    public static SpawnedProcess start(List<String> argv, boolean stdinPipe, Path stderrFile) throws IOException {
        int[] in = stdinPipe ? pipe() : new int[] {-1, -1};
        int[] out = {-1, -1};
        int[] err = {-1, -1};
        Memory actions = new Memory(OPAQUE_BYTES);
        Memory attributes = new Memory(OPAQUE_BYTES);
        actions.clear();
        attributes.clear();
        try {
            check(Calls.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            check(Calls.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            out = pipe();
            err = stderrFile == null ? pipe() : err;
            if (stdinPipe) {
                check(Calls.posix_spawn_file_actions_adddup2(actions, in[0], 0), "posix_spawn_file_actions_adddup2(stdin)");
            } else {
                check(Calls.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0), "posix_spawn_file_actions_addopen(/dev/null)");
            }
            check(Calls.posix_spawn_file_actions_adddup2(actions, out[1], 1), "posix_spawn_file_actions_adddup2(stdout)");
            if (stderrFile == null) {
                check(Calls.posix_spawn_file_actions_adddup2(actions, err[1], 2), "posix_spawn_file_actions_adddup2(stderr)");
            } else {
                check(Calls.posix_spawn_file_actions_addopen(actions, 2, stderrFile.toString(), O_WRONLY_CREAT_TRUNC, FILE_MODE),
                        "posix_spawn_file_actions_addopen(" + stderrFile + ")");
            }
            // The child starts with no signal blocked, whatever this thread blocks (as ProcessBuilder's children do).
            Memory noSignals = new Memory(OPAQUE_BYTES);
            noSignals.clear();
            check(Calls.posix_spawnattr_setsigmask(attributes, noSignals), "posix_spawnattr_setsigmask");
            check(Calls.posix_spawnattr_setflags(attributes, (short) POSIX_SPAWN_SETSIGMASK), "posix_spawnattr_setflags");
            int[] pid = new int[1];
            int rc = Calls.posix_spawn(pid, argv.get(0), actions, attributes, new StringArray(argv.toArray(String[]::new)),
                    ENVIRON_ADDRESS.getPointer(0));
            if (rc != 0) {
                throw new IOException("posix_spawn(" + argv.get(0) + "): " + describe(rc));
            }
            int pidfd = pidfdOpen(pid[0]);
            closeQuietly(in[0], out[1], err[1]);
            return new SpawnedProcess(pid[0], pidfd, in[1], out[0], err[0]);
        } catch (IOException | RuntimeException e) {
            closeQuietly(in[0], in[1], out[0], out[1], err[0], err[1]);
            throw e;
        } finally {
            // destroying zeroed, never initialised objects is harmless: both are plain memory until init
            Calls.posix_spawn_file_actions_destroy(actions);
            Calls.posix_spawnattr_destroy(attributes);
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    /** Standard error when it is a pipe; an empty stream when it goes to a file. */
    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        while (!reapIfExited()) {
            awaitExitEvent(-1);
        }
        return exitStatus();
    }

    private synchronized int exitStatus() {
        return exitStatus;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!reapIfExited()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            awaitExitEvent((int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        }
        return true;
    }

    /** The exit status as a shell reports it (128+n for signal n). */
    @Override
    public synchronized int exitValue() {
        if (exitStatus == null && !reapIfExited()) {
            throw new IllegalThreadStateException("process " + pid + " has not exited");
        }
        return exitStatus;
    }

    /**
     * Makes sure the process is gone and reaped, which nothing else does for a spawned process: SIGKILL unless it has
     * exited, then a wait of at most {@code boundMillis} that an interrupt does not cut short (the interrupt is kept).
     */
    public void killAndReap(long boundMillis) {
        boolean interrupted = Thread.interrupted();
        try {
            if (!reapIfExited()) {
                destroyForcibly();
                while (true) {
                    try {
                        waitFor(boundMillis, TimeUnit.MILLISECONDS);
                        return;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void destroy() {
        signal(LibC.SIGTERM);
    }

    @Override
    public Process destroyForcibly() {
        signal(LibC.SIGKILL);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    /** Sends {@code signal} unless the process is reaped (then its pid may be another's), and closes its stdin as the JDK's destroy does. */
    private void signal(int signal) {
        synchronized (this) {
            if (exitStatus == null) {
                LibC.sendSignal(pid, signal);
            }
        }
        closeQuietly(stdin);
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // closing a pipe end cannot fail in a way that matters here
        }
    }

    /** Blocks until the pidfd says the process exited, or {@code timeoutMillis} (-1: no bound) passed. */
    private void awaitExitEvent(int timeoutMillis) throws InterruptedException {
        synchronized (this) {
            if (exitStatus != null) {
                return;
            }
            pollers++;
        }
        try {
            Memory pollfd = new Memory(8);
            pollfd.setInt(0, pidfd);
            pollfd.setShort(4, POLLIN);
            pollfd.setShort(6, (short) 0);
            Calls.poll(pollfd, 1, timeoutMillis);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EINTR) {
                throw new IllegalStateException("poll(pidfd of " + pid + "): " + describe(e.getErrorCode()), e);
            }
        } finally {
            synchronized (this) {
                pollers--;
                closePidfdOnceDone();
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private synchronized boolean reapIfExited() {
        if (exitStatus != null) {
            return true;
        }
        int[] status = new int[1];
        int reaped;
        try {
            reaped = Calls.waitpid(pid, status, WNOHANG);
        } catch (LastErrorException e) {
            throw new IllegalStateException("waitpid(" + pid + "): " + describe(e.getErrorCode())
                    + (e.getErrorCode() == ECHILD ? " (something else in this JVM reaped it)" : ""), e);
        }
        if (reaped == 0) {
            return false;
        }
        int signal = status[0] & 0x7f;
        exitStatus = signal == 0 ? (status[0] >> 8) & 0xff : 128 + signal;
        closePidfdOnceDone();
        // nobody reads its standard input any more (the JDK's processes close theirs on exit too)
        closeQuietly(stdin);
        return true;
    }

    private void closePidfdOnceDone() {
        if (exitStatus != null && pollers == 0 && !pidfdClosed) {
            pidfdClosed = true;
            closeQuietly(pidfd);
        }
    }

    private static int pidfdOpen(int pid) throws IOException {
        try {
            return (int) Calls.syscall(SYS_PIDFD_OPEN, pid, 0);
        } catch (LastErrorException e) {
            LibC.sendSignal(pid, LibC.SIGKILL);
            Calls.waitpid(pid, new int[1], 0);
            throw new IOException("pidfd_open(" + pid + "): " + describe(e.getErrorCode()), e);
        }
    }

    private static int[] pipe() throws IOException {
        int[] fds = new int[2];
        try {
            Calls.pipe2(fds, O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("pipe2: " + describe(e.getErrorCode()), e);
        }
        return fds;
    }

    private static void check(int rc, String call) throws IOException {
        if (rc != 0) {
            throw new IOException(call + ": " + describe(rc));
        }
    }

    private static void closeQuietly(int... fds) {
        for (int fd : fds) {
            if (fd >= 0) {
                try {
                    Calls.close(fd);
                } catch (LastErrorException e) {
                    // EBADF or EINTR on close: the descriptor is released either way on Linux
                }
            }
        }
    }

    private static String describe(int errno) {
        return Calls.strerror(errno) + " (errno " + errno + ")";
    }

    /** One end of a pipe, closed once by whoever owns it (a close from elsewhere could free the number while it is read). */
    private static final class PipeEnd {
        private final int fd;
        private final AtomicBoolean closed = new AtomicBoolean();

        PipeEnd(int fd) {
            this.fd = fd;
        }

        /** Runs {@code call} (a read or a write) on the descriptor, again after EINTR. */
        long transfer(String name, ToLongFunction<Integer> call) throws IOException {
            while (true) {
                if (closed.get()) {
                    throw new IOException("stream closed");
                }
                try {
                    return call.applyAsLong(fd);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != EINTR) {
                        throw new IOException(name + "(pipe): " + describe(e.getErrorCode()), e);
                    }
                }
            }
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                closeQuietly(fd);
            }
        }
    }

    /** Writes a pipe end. */
    private static final class DescriptorOutputStream extends OutputStream {
        private final PipeEnd end;

        DescriptorOutputStream(int fd) {
            this.end = new PipeEnd(fd);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            for (int done = 0; done < length;) {
                byte[] rest = Arrays.copyOfRange(buffer, offset + done, offset + length);
                done += (int) end.transfer("write", fd -> Calls.write(fd, rest, rest.length));
            }
        }

        @Override
        public void close() {
            end.close();
        }
    }

    /** Reads a pipe end; one reader at a time, which closes it. */
    private static final class DescriptorInputStream extends InputStream {
        private final PipeEnd end;

        DescriptorInputStream(int fd) {
            this.end = new PipeEnd(fd);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            byte[] target = offset == 0 ? buffer : new byte[length];
            int n = (int) end.transfer("read", fd -> Calls.read(fd, target, length));
            if (n == 0) {
                return -1;
            }
            if (target != buffer) {
                System.arraycopy(target, 0, buffer, offset, n);
            }
            return n;
        }

        @Override
        public void close() {
            end.close();
        }
    }

    /** Loads JNA and maps the calls {@link #start} makes: what its first use would otherwise wait for. */
    static void load() {
        Calls.load();
    }

    /** JNA direct mapping: no reflection per call. */
    private static final class Calls {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static void load() {
            // the class initialiser did it
        }

        static native int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attributes, Pointer argv, Pointer envp);

        static native int posix_spawn_file_actions_init(Pointer actions);

        static native int posix_spawn_file_actions_destroy(Pointer actions);

        static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

        static native int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

        static native int posix_spawnattr_init(Pointer attributes);

        static native int posix_spawnattr_destroy(Pointer attributes);

        static native int posix_spawnattr_setflags(Pointer attributes, short flags);

        static native int posix_spawnattr_setsigmask(Pointer attributes, Pointer mask);

        static native int pipe2(int[] fds, int flags) throws LastErrorException;

        static native long read(int fd, byte[] buffer, long count) throws LastErrorException;

        static native long write(int fd, byte[] buffer, long count) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int waitpid(int pid, int[] status, int options) throws LastErrorException;

        static native int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

        static native long syscall(long number, int pid, int flags) throws LastErrorException;

        static native String strerror(int errno);
    }
}
