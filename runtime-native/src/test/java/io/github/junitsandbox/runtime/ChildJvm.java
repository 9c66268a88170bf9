package io.github.junitsandbox.runtime;

import com.sun.jna.Native;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Starts {@link ContainerLaunchingChild} in a JVM of its own and reads its lines up to {@code done}. */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** Where the runtime's classes, the tests' classes and JNA are: what the child needs. */
    public static List<Path> classPath() {
        return List.of(location(ContainerSpec.class), location(ContainerLaunchingChild.class), location(Native.class));
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Process start(List<String> commandPrefix, List<Path> classPath, List<String> systemProperties, String... args) throws IOException {
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // no /tmp/hsperfdata_<user> left behind by a child run as another user
        command.add("-XX:-UsePerfData");
        command.addAll(systemProperties);
        command.add("-cp");
        command.add(String.join(":", classPath.stream().map(Path::toString).toList()));
        command.add(ContainerLaunchingChild.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The child's stdout lines up to {@code done}; fails if it does not get there within {@code bound}. */
    public static List<String> linesUntilDone(Process child, Duration bound) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
            List<String> read = new ArrayList<>();
            try {
                for (String line = out.readLine(); line != null && !line.equals("done"); line = out.readLine()) {
                    read.add(line);
                }
            } catch (IOException e) {
                read.add("(read failed: " + e + ")");
            }
            return read;
        });
        try {
            return lines.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not print done within " + bound, e);
        }
    }
}
