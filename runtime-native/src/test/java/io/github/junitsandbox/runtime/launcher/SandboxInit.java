package io.github.junitsandbox.runtime.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The launcher binary the build produced, started with ProcessBuilder the way the Java runtime starts it. */
final class SandboxInit {

    private static final String RESOURCE = "/io/github/junitsandbox/runtime/native/linux-x86_64/sandbox-init";

    private SandboxInit() {}

    static Path binary() {
        URL url = SandboxInit.class.getResource(RESOURCE);
        if (url == null) {
            throw new IllegalStateException("sandbox-init not on the test class path at " + RESOURCE + " (did the compile phase run make?)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The command line: an optional prefix (e.g. setpriv to run as another user), the binary, the arguments. */
    static List<String> command(List<String> prefix, Path binary, List<String> args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(binary.toString());
        command.addAll(args);
        return command;
    }

    /** Runs a short-lived subcommand to completion (exec, probe, --help): stdin fed from {@code input}. */
    static Result call(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignoredBecauseTheCommandNeedNotReadStdin) {
                // a command that exits without reading closes the pipe under us
            }
            String stdout = readAll(process.getInputStream());
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running after 30 s: " + command);
            }
            return new Result(process.exitValue(), stdout, stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code exec --target TARGET --join NAMESPACES FLAGS... -- COMMAND...}. */
    static List<String> execArgs(long target, String namespaces, List<String> flags, String... command) {
        List<String> args = new ArrayList<>(List.of("exec", "--target", String.valueOf(target), "--join", namespaces));
        args.addAll(flags);
        args.add("--");
        args.addAll(List.of(command));
        return args;
    }

    static Result call(Path binary, String... args) {
        return call(command(List.of(), binary, List.of(args)), "");
    }

    static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a finished subcommand left: exit code and both outputs. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> stdoutLines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }
    }
}
